"""make_random_bundle.py: config-f channel tables (the feature dims docs/models.md quotes) and a small export."""
import json
import os

from make_random_bundle import config_f_channels, make_random_bundle


def feature_dims(resolution, max_channels=512):
    ch = config_f_channels(resolution, max_channels=max_channels)
    return ch[4] * 2 + sum(2 * ch[r] for r in ch if r > 4)


def test_config_f_feature_dims_match_editgan_counts():
    assert feature_dims(256) == 5888
    assert feature_dims(512) == 6016  # EditGAN's car-512 config-f taps
    assert feature_dims(1024) == 6080


def test_small_random_bundle(tmp_path):
    out = str(tmp_path / 'r8')
    m = make_random_bundle(out, 8, seed=3, w_avg_samples=500)
    assert m['numWs'] == 4 and m['zDim'] == m['wDim'] == 512 and len(m['features']) == 4
    assert sum(f['channels'] for f in m['features']) == 2048
    with open(os.path.join(out, 'manifest.json')) as fh:
        assert json.load(fh)['features'][-1]['name'] == 'f03_8_conv1'


def test_max_channels_caps_every_layer():
    assert feature_dims(256, max_channels=112) == 1568  # the 256² generator issue 22 measured on: 14 maps

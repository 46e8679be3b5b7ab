"""NVIDIA converter: random stylegan2-ada generators saved as a persistence-style network .pkl and as a .pt
state dict, converted, run in onnxruntime-node and compared with nvidia_reference.py; hostile pickles
are refused without running anything."""
import json
import os
import pickle

import numpy as np
import pytest
import torch

import nvidia_reference as ref
from bundle_writer import BundleError
from nvidia import convert_nvidia, generator_state
from ort_runner import run_in_ort
from safe_load import UnsafeCheckpointError, load_pickle_file


def compare(bundle, g, tmp_path):
    with open(os.path.join(bundle, 'manifest.json')) as fh:
        manifest = json.load(fh)
    gen = torch.Generator().manual_seed(11)
    cases = [(torch.randn(b, g.z_dim, generator=gen), torch.randn(b, manifest['numWs'], g.w_dim, generator=gen)) for b in (1, 3)]
    results = run_in_ort(bundle, [(z.numpy(), ws.numpy()) for z, ws in cases], str(tmp_path))
    for (z, ws), got in zip(cases, results):
        with torch.no_grad():
            w = g.mapping(z)
            image, feats = g.synthesis(ws)
        assert np.abs(got['mapping.w'] - w.numpy()).max() < 1e-4
        assert np.abs(got['synthesis.image'] - image.numpy()).max() < 1e-4
        assert len(feats) == len(manifest['features'])
        for f, r in zip(manifest['features'], feats):
            out = got[f'synthesis.{f["name"]}']
            assert out.shape == tuple(r.shape) == (z.shape[0], f['channels'], f['resolution'], f['resolution'])
            assert np.abs(out - r.numpy()).max() < 1e-4, f['name']
    return manifest


def test_network_pkl_matches_reference_without_running_its_code(tmp_path, monkeypatch):
    ref.install_fake_nvidia_modules(monkeypatch)
    torch.manual_seed(0)
    g = ref.randomize(ref.Generator(conv_clamp=1.5), seed=1)  # a low clamp so clamping is exercised
    pkl = tmp_path / 'network-snapshot-000100.pkl'
    ref.write_network_pkl(pkl, g)
    raw = pkl.read_bytes()
    assert b'torch_utils.persistence' in raw and b'_reconstruct_persistent_obj' in raw and b'raise SystemExit' in raw
    # The converter must work without the real (or fake) torch_utils on the path.
    for name in ('torch_utils', 'torch_utils.persistence', 'dnnlib', 'dnnlib.util'):
        monkeypatch.delitem(__import__('sys').modules, name)
    bundle = str(tmp_path / 'bundle')
    manifest = convert_nvidia(str(pkl), bundle)
    compare(bundle, g, tmp_path)
    assert manifest['architecture'] == 'stylegan2-ada' and manifest['numWs'] == 8 and manifest['truncationCutoff'] == 8
    np.testing.assert_allclose(manifest['wAvg'], g.mapping.w_avg.numpy(), atol=1e-7)
    assert [(f['name'], f['channels'], f['layer']) for f in manifest['features'][:3]] == [
        ('f00_4_const', 32, 'synthesis.b4.const'), ('f01_4_conv1', 32, 'synthesis.b4.conv1'), ('f02_8_conv0', 32, 'synthesis.b8.conv0')]
    assert [f['channels'] for f in manifest['features']] == [32, 32, 32, 32, 32, 32, 16, 16]
    assert 'conv_clamp 1.5' in manifest['source']['notes']


def test_state_dict_pt_matches_reference(tmp_path, monkeypatch):
    ref.install_fake_nvidia_modules(monkeypatch)
    torch.manual_seed(1)
    g = ref.randomize(ref.Generator(z_dim=24, w_dim=32, img_resolution=16, channel_base=256, channel_max=32, map_layers=3), seed=2)
    pt = tmp_path / 'G_ema.pt'
    torch.save({'G_ema': g.state_dict()}, pt)
    bundle = str(tmp_path / 'bundle')
    manifest = convert_nvidia(str(pt), bundle)
    assert manifest['zDim'] == 24 and manifest['resolution'] == 16 and manifest['numWs'] == 6
    compare(bundle, g, tmp_path)


class _Evil:
    def __init__(self, target):
        self.target = target

    def __reduce__(self):
        return (os.system, (f'touch {self.target}',))


def test_hostile_pickles_are_refused_and_nothing_runs(tmp_path, monkeypatch):
    target = tmp_path / 'pwned'
    plain = tmp_path / 'evil.pkl'
    plain.write_bytes(pickle.dumps({'G_ema': _Evil(target)}))
    with pytest.raises(UnsafeCheckpointError, match='refused'):
        convert_nvidia(str(plain), str(tmp_path / 'b1'))
    # The same payload hidden in a persistence object's state, next to real tensors.
    ref.install_fake_nvidia_modules(monkeypatch)
    g = ref.Generator(img_resolution=8)
    g.mapping.evil = _Evil(target)
    nested = tmp_path / 'evil-nested.pkl'
    ref.write_network_pkl(nested, g)
    with pytest.raises(UnsafeCheckpointError, match='posix.system|os.system|nt.system'):
        load_pickle_file(str(nested))
    for payload in (b'cbuiltins\neval\n(V__import__("os").system("touch %s")\ntR.' % str(target).encode(),
                    b'csubprocess\ncall\n((Vtouch\nV%s\nltR.' % str(target).encode()):
        bad = tmp_path / 'bad.pkl'
        bad.write_bytes(payload)
        with pytest.raises(UnsafeCheckpointError, match='refused'):
            convert_nvidia(str(bad), str(tmp_path / 'b2'))
    assert not target.exists()
    assert not (tmp_path / 'b1').exists() and not (tmp_path / 'b2').exists()


def test_stylegan3_and_unknown_layouts_are_refused(tmp_path):
    pt = tmp_path / 'sg3.pt'
    torch.save({'mapping.fc0.weight': torch.zeros(2, 2), 'synthesis.input.weight': torch.zeros(2)}, pt)
    with pytest.raises(BundleError, match='StyleGAN3'):
        convert_nvidia(str(pt), str(tmp_path / 'b'))
    pt2 = tmp_path / 'other.pt'
    torch.save({'foo': torch.zeros(2)}, pt2)
    with pytest.raises(BundleError, match='not an NVIDIA'):
        convert_nvidia(str(pt2), str(tmp_path / 'b'))


@pytest.mark.parametrize('protocol', [2, 3, 5])
def test_pickle_protocols_of_older_and_newer_pythons_load(tmp_path, monkeypatch, protocol):
    ref.install_fake_nvidia_modules(monkeypatch)
    g = ref.randomize(ref.Generator(img_resolution=8, conv_clamp=256), seed=3)
    pkl = tmp_path / f'p{protocol}.pkl'
    ref.write_network_pkl(pkl, g, protocol=protocol)
    sd, attrs = generator_state(load_pickle_file(str(pkl)))
    want = g.state_dict()
    assert sorted(sd) == sorted(want)
    assert all(torch.equal(sd[k], want[k]) for k in want)
    assert attrs['synthesis.b8.conv0']['conv_clamp'] == 256 and attrs['synthesis.b8.conv0']['up'] == 2
    assert attrs['']['_class'] == 'Generator' and attrs['mapping.fc0']['_class'] == 'FullyConnectedLayer'

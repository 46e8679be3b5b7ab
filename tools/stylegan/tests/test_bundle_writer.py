"""bundle_writer: manifest rules (same as src/shared/bundle-manifest.ts), shape checks, sha256 definition."""
import copy
import hashlib
import json
import os
import struct

import pytest
import torch
from torch import nn

from bundle_writer import BundleError, bundle_sha256, compute_w_avg, validate_manifest, write_bundle
from ort_runner import REPO

FIXTURE = os.path.join(REPO, 'e2e', 'fixtures', 'tiny-bundle')


def fixture_manifest():
    with open(os.path.join(FIXTURE, 'manifest.json')) as fh:
        return json.load(fh)


@pytest.mark.parametrize('edit, message', [
    (lambda m: m.update(wAvg=m['wAvg'][:-1]), 'wAvg has 31 values but wDim is 32'),
    (lambda m: m.update(truncationCutoff=m['numWs'] + 1), 'exceeds numWs'),
    (lambda m: m['features'].append(dict(m['features'][0])), 'appears twice'),
    (lambda m: m.update(imageRange=[1, -1]), 'high > low'),
    (lambda m: m.update(noise='random'), 'noise must be "const"'),
    (lambda m: m.update(imageChannels=1), 'imageChannels must be 3'),
    (lambda m: m.update(features=[]), 'non-empty list'),
    (lambda m: m['features'][0].update(name='bad name'), 'must match'),
    (lambda m: m.pop('zDim'), 'zDim must be a positive integer'),
    (lambda m: m['graphs']['mapping'].update(file='other.onnx'), 'graphs.mapping'),
])
def test_manifest_rules(edit, message):
    m = fixture_manifest()
    validate_manifest(m)
    bad = copy.deepcopy(m)
    edit(bad)
    with pytest.raises(BundleError, match=message):
        validate_manifest(bad)


def test_sha256_follows_the_documented_canonical_bytes():
    h = hashlib.sha256()
    for name in ('manifest.json', 'mapping.onnx', 'synthesis.onnx'):
        with open(os.path.join(FIXTURE, name), 'rb') as fh:
            data = fh.read()
        h.update(name.encode() + b'\0' + struct.pack('<Q', len(data)) + data)
    assert bundle_sha256(FIXTURE) == h.hexdigest()


class _Map(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 6)

    def forward(self, z):
        return self.lin(z)


class _Syn(nn.Module):
    def __init__(self, fixed_batch=False, mixes_batch=False):
        super().__init__()
        self.c = nn.Parameter(torch.randn(1, 5, 4, 4))
        self.fixed_batch = fixed_batch
        self.mixes_batch = mixes_batch

    def forward(self, ws):
        x = self.c * ws[:, 0, :5, None, None]
        if self.fixed_batch:  # a graph that bakes a batch size in
            x = x.reshape(2, 5, 4, 4)
        if self.mixes_batch:  # batch statistics: a sample's maps depend on the others
            x = x - x.mean(0, keepdim=True)
        return torch.tanh(x[:, :3]), x


def _manifest(channels=5):
    return {'name': 't', 'architecture': 'test', 'resolution': 4, 'zDim': 4, 'wDim': 6, 'numWs': 2,
            'wAvg': [0.0] * 6, 'truncationCutoff': 2, 'imageRange': [-1, 1],
            'features': [{'name': 'f00_4_x', 'channels': channels, 'resolution': 4, 'layer': 'x'}]}


def test_write_bundle_checks_shapes_against_the_manifest(tmp_path):
    z, ws = torch.randn(2, 4), torch.randn(2, 2, 6)
    m = write_bundle(str(tmp_path / 'ok'), _Map(), _Syn(), _manifest(), z, ws)
    assert m['format'] == 'dgs-model-bundle' and m['noise'] == 'const' and m['defaultPsi'] == 0.7
    assert m['graphs']['synthesis'] == {'file': 'synthesis.onnx', 'input': 'ws', 'imageOutput': 'image'}
    with pytest.raises(BundleError, match=r'feature map f00_4_x has shape \[5, 4, 4\].*\[7, 4, 4\]'):
        write_bundle(str(tmp_path / 'bad'), _Map(), _Syn(), _manifest(channels=7), z, ws)
    with pytest.raises(BundleError, match='fails on one sample or on two at once.*no reshape to a fixed batch'):
        write_bundle(str(tmp_path / 'fixed'), _Map(), _Syn(fixed_batch=True), _manifest(), z, ws)
    with pytest.raises(BundleError, match='another result for a sample when a second one runs beside it'):
        write_bundle(str(tmp_path / 'mixed'), _Map(), _Syn(mixes_batch=True), _manifest(), z, ws)
    assert not any((tmp_path / d).exists() for d in ('bad', 'fixed', 'mixed'))


def test_compute_w_avg_is_the_seeded_mean():
    mp = _Map()
    got = compute_w_avg(mp, 4, n=2500, seed=9, chunk=1000)
    with torch.no_grad():
        want = mp(torch.randn(2500, 4, generator=torch.Generator().manual_seed(9))).mean(0)
    assert torch.allclose(torch.tensor(got), want, atol=1e-6)

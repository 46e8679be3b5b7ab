"""The committed tiny bundle: reproducible from its script, valid, and onnxruntime-node matches torch."""
import json
import os
import subprocess
import sys

import numpy as np
import torch

from bundle_writer import bundle_sha256, validate_manifest
from ort_runner import REPO, run_in_ort
from random_generator import random_stylegan2
from sg2_export import ExportSynthesis

FIXTURE = os.path.join(REPO, 'e2e', 'fixtures', 'tiny-bundle')


def test_fixture_is_small_valid_and_reproducible(tmp_path):
    sizes = sum(os.path.getsize(os.path.join(FIXTURE, f)) for f in os.listdir(FIXTURE))
    assert sizes < 2 * 1024 * 1024
    with open(os.path.join(FIXTURE, 'manifest.json')) as fh:
        manifest = json.load(fh)
    validate_manifest(manifest)
    assert [f['resolution'] for f in manifest['features']] == [4, 4, 8, 8, 16, 16, 32, 32]
    assert manifest['numWs'] == 8 and len(manifest['wAvg']) == manifest['wDim'] == 32
    out = tmp_path / 'again'
    subprocess.run([sys.executable, os.path.join(REPO, 'tools', 'make_tiny_bundle.py'), '--out', str(out)],
                   check=True, capture_output=True)
    assert bundle_sha256(str(out)) == bundle_sha256(FIXTURE), 'make_tiny_bundle.py no longer reproduces the fixture'


def test_onnxruntime_matches_torch(tmp_path):
    import make_tiny_bundle as mtb
    mapping, spec, _ = random_stylegan2(mtb.RESOLUTION, mtb.CHANNELS, mtb.Z_DIM, mtb.W_DIM, n_mlp=2, seed=mtb.SEED)
    synthesis = ExportSynthesis(spec).eval()
    with open(os.path.join(FIXTURE, 'manifest.json')) as fh:
        manifest = json.load(fh)
    gen = torch.Generator().manual_seed(7)
    cases = []
    for batch in (1, 3):
        cases.append((torch.randn(batch, 32, generator=gen), torch.randn(batch, manifest['numWs'], 32, generator=gen)))
    results = run_in_ort(FIXTURE, [(z.numpy(), ws.numpy()) for z, ws in cases], str(tmp_path))
    names = ['image'] + [f['name'] for f in manifest['features']]
    for (z, ws), got in zip(cases, results):
        with torch.no_grad():
            w = mapping(z)
            outs = synthesis(ws)
        np.testing.assert_allclose(got['mapping.w'], w.numpy(), atol=1e-4, rtol=0)
        for name, ref in zip(names, outs):
            assert got[f'synthesis.{name}'].shape == tuple(ref.shape)
            assert np.abs(got[f'synthesis.{name}'] - ref.numpy()).max() < 1e-4, name

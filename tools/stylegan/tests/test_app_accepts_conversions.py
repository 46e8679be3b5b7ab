"""The app accepts what the converters write: `dgs init --model` and `dgs sample` on converted bundles.

Random networks saved in each original format (rosinality .pt, NVIDIA network pickle) go through the
one command (convert.py) and then through the real `dgs` command line, which validates the manifest,
checks the graphs' signatures and runs a forward pass before embedding the bundle.
"""
import os
import shutil
import subprocess
import sys

import pytest
import torch

import nvidia_reference as ref
import test_rosinality_parity as rp
from ort_runner import REPO

CONVERT = os.path.join(REPO, 'tools', 'stylegan', 'convert.py')
DGS = os.path.join(REPO, 'bin', 'dgs.js')


def run(*cmd):
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=REPO, timeout=300)


def convert_and_init(ckpt, tmp_path):
    if shutil.which('node') is None:
        pytest.skip('node is not installed, so the dgs command line cannot run')
    bundle = tmp_path / 'model.dgsmodel'
    proc = run(sys.executable, CONVERT, ckpt, '--out', bundle)
    assert proc.returncode == 0, proc.stderr
    project = tmp_path / 'p.dgs'
    proc = run('node', DGS, 'init', project, '--model', bundle)
    assert proc.returncode == 0, proc.stderr
    proc = run('node', DGS, 'sample', project, '--count', '2', '--seed', '3', '--out', tmp_path / 'img')
    assert proc.returncode == 0, proc.stderr
    assert len(os.listdir(tmp_path / 'img')) == 2


def test_converted_rosinality_checkpoint_is_accepted_by_dgs(tmp_path):
    ckpt = tmp_path / 'rosinality.pt'
    torch.save({'g_ema': rp.random_generator(7).state_dict(), 'latent_avg': torch.zeros(rp.STYLE_DIM)}, ckpt)
    convert_and_init(ckpt, tmp_path)


def test_converted_nvidia_pickle_is_accepted_by_dgs(tmp_path, monkeypatch):
    ref.install_fake_nvidia_modules(monkeypatch)
    torch.manual_seed(0)
    pkl = tmp_path / 'network-snapshot.pkl'
    ref.write_network_pkl(pkl, ref.randomize(ref.Generator(), seed=2))
    convert_and_init(pkl, tmp_path)

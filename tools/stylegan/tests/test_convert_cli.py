"""convert.py: format detection and dispatch, and one-sentence errors with exit code 1."""
import os
import pickle
import subprocess
import sys

import pytest
import torch

from convert import detect_arch, main
from ort_runner import REPO
from safe_load import load_torch_file

CLI = os.path.join(REPO, 'tools', 'stylegan', 'convert.py')


def run_cli(*args):
    return subprocess.run([sys.executable, CLI, *map(str, args)], capture_output=True, text=True, cwd=REPO, timeout=120)


def test_rosinality_checkpoint_end_to_end(tmp_path):
    import test_rosinality_parity as rp
    ckpt = tmp_path / 'stylegan2-32.pt'
    torch.save({'g_ema': rp.random_generator(4).state_dict(), 'latent_avg': torch.zeros(rp.STYLE_DIM)}, ckpt)
    proc = run_cli(ckpt, '--out', tmp_path / 'out.dgsmodel')
    assert proc.returncode == 0, proc.stderr
    assert 'stylegan2 32px, 8 feature maps (192 dims)' in proc.stdout
    assert sorted(os.listdir(tmp_path / 'out.dgsmodel')) == ['manifest.json', 'mapping.onnx', 'synthesis.onnx']


@pytest.mark.parametrize('content, message', [
    (b'not a checkpoint at all', 'not a readable PyTorch checkpoint'),
    (b'', 'not a readable PyTorch checkpoint'),
    (b'PK\x03\x04broken zip', 'not a readable PyTorch checkpoint'),
])
def test_corrupt_files_exit_1_with_one_sentence(tmp_path, capsys, content, message):
    bad = tmp_path / 'bad.pkl'
    bad.write_bytes(content)
    assert main([str(bad), '--out', str(tmp_path / 'b')]) == 1
    err = capsys.readouterr().err.strip()
    assert message in err and '\n' not in err and 'Traceback' not in err


def test_missing_unknown_and_hostile_files_exit_1(tmp_path, capsys):
    assert main([str(tmp_path / 'nope.pt'), '--out', str(tmp_path / 'b')]) == 1
    assert 'does not exist' in capsys.readouterr().err
    other = tmp_path / 'resnet.pt'
    torch.save({'conv1.weight': torch.zeros(1), 'fc.weight': torch.zeros(1)}, other)
    assert main([str(other), '--out', str(tmp_path / 'b')]) == 1
    assert 'not a StyleGAN generator this tool knows' in capsys.readouterr().err
    import test_rosinality_parity as rp
    good = tmp_path / 'good.pt'
    torch.save({'g_ema': rp.random_generator(5).state_dict()}, good)
    assert main([str(good), '--out', str(other), '--w-avg-samples', '10']) == 1
    assert 'exists and is not a folder' in capsys.readouterr().err
    target = tmp_path / 'pwned'
    evil = tmp_path / 'evil.pkl'
    evil.write_bytes(pickle.dumps({'G_ema': _Evil(str(target))}))
    proc = run_cli(evil, '--out', tmp_path / 'b')
    assert proc.returncode == 1 and 'refused' in proc.stderr and 'Traceback' not in proc.stderr
    assert not target.exists() and not (tmp_path / 'b').exists()


class _Evil:
    def __init__(self, target):
        self.target = target

    def __reduce__(self):
        return (os.system, (f'touch {self.target}',))


def test_detection_by_key_layout(tmp_path):
    cases = {
        'rosinality': {'g_ema': {'style.1.weight': torch.zeros(1), 'input.input': torch.zeros(1)}, 'latent_avg': torch.zeros(1)},
        'nvidia': {'G_ema': {'mapping.fc0.weight': torch.zeros(1), 'synthesis.b4.const': torch.zeros(1)}},
        'stylegan1': {'module.g_mapping.dense0.weight': torch.zeros(1), 'module.g_synthesis.blocks.4x4.const': torch.zeros(1)},
    }
    for arch, obj in cases.items():
        f = tmp_path / f'{arch}.pt'
        torch.save(obj, f)
        assert detect_arch(load_torch_file(str(f))) == arch
    nv_sd = {'mapping.fc0.weight': torch.zeros(1), 'synthesis.b4.const': torch.zeros(1)}
    assert detect_arch(nv_sd) == 'nvidia'
    assert detect_arch({'style.1.weight': torch.zeros(1), 'input.input': torch.zeros(1)}) == 'rosinality'


def test_stylegan1_checkpoint_is_dispatched(tmp_path, capsys):
    from test_stylegan1_parity import make_reference
    g_all = make_reference(resolution=32, fmap_base=64, fmap_max=16, z_dim=16, w_dim=16, max_layer=8)
    ckpt = tmp_path / 'cat_256.for_g_all.pt'
    torch.save({f'module.{k}': v for k, v in g_all.state_dict().items()}, ckpt)
    out = tmp_path / 'sg1.dgsmodel'
    assert main([str(ckpt), '--out', str(out), '--w-avg-samples', '200']) == 0, capsys.readouterr().err
    assert 'stylegan1 32px' in capsys.readouterr().out
    assert sorted(os.listdir(out)) == ['manifest.json', 'mapping.onnx', 'synthesis.onnx']


def test_options_reach_the_converter_and_misplaced_ones_are_refused(tmp_path):
    import json
    import test_rosinality_parity as rp
    ckpt = tmp_path / 'stylegan2-32.pt'
    torch.save({'g_ema': rp.random_generator(4).state_dict(), 'latent_avg': torch.zeros(rp.STYLE_DIM)}, ckpt)
    proc = run_cli(ckpt, '--out', tmp_path / 'cut.dgsmodel', '--truncation-cutoff', '3')
    assert proc.returncode == 0, proc.stderr
    with open(tmp_path / 'cut.dgsmodel' / 'manifest.json') as fh:
        assert json.load(fh)['truncationCutoff'] == 3
    proc = run_cli(ckpt, '--out', tmp_path / 'bad.dgsmodel', '--avg-latent', tmp_path / 'x.npy')
    assert proc.returncode == 1
    assert proc.stderr.strip() == '--avg-latent does not apply to a rosinality checkpoint; leave it out.'
    assert not (tmp_path / 'bad.dgsmodel').exists()

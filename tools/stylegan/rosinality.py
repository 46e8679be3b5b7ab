"""Convert a rosinality/stylegan2-pytorch generator (`g_ema`) into a model bundle.

Checkpoints: `train.py` saves {g, d, g_ema, g_optim, d_optim, args, ada_aug_p}; `convert_weight.py`
saves {g_ema, latent_avg}. Only `g_ema` (and `latent_avg` when present) is read, by key name:

    style.1..N.{weight,bias}          EqualLinear(lr_mul=lr_mlp) + fused lrelu; style.0 is PixelNorm
    input.input                       [1, C, 4, 4] constant input
    conv1.*, convs.{2k,2k+1}.*         StyledConv: conv.weight [1,O,I,k,k], conv.modulation.{weight,bias},
                                      conv.blur.kernel (upsampling convs), noise.weight [1], activate.bias
    to_rgb1.*, to_rgbs.k.*            ToRGB: conv.weight [1,3,I,1,1], conv.modulation.*, bias [1,3,1,1],
                                      upsample.kernel
    noises.noise_0..noise_{2L}        the constant noise maps used with randomize_noise=False

Semantics reproduced (equalized lr): a linear layer's effective weight is weight * lr_mul / sqrt(in)
and bias * lr_mul; a modulated conv's weight is scaled by 1/sqrt(in * k * k); FusedLeakyReLU adds its
bias, applies leaky ReLU(0.2) and multiplies by sqrt(2); noise is added as weight * noise before it.
Truncation in rosinality applies to every w, so truncationCutoff = numWs.

    /usr/bin/python3 tools/stylegan/rosinality.py CKPT --out DIR   (or use convert.py)
"""
from __future__ import annotations

import argparse
import math
import sys
from typing import Any, Dict, List, Optional, Tuple

import torch

from bundle_writer import BundleError
from safe_load import load_torch_file
from sg2_export import (ExportMapping, StyledConvSpec, SynthesisSpec, fir_2d, stylegan2_w_avg,
                        write_stylegan2_bundle)

_NOT_ROSINALITY = 'so it is not a rosinality stylegan2-pytorch generator'


def looks_like_rosinality(state: Dict[str, Any]) -> bool:
    keys = set(_strip_module(state))
    return 'input.input' in keys and 'style.1.weight' in keys


def _strip_module(sd: Dict[str, Any]) -> Dict[str, Any]:
    if sd and all(isinstance(k, str) and k.startswith('module.') for k in sd):
        return {k[len('module.'):]: v for k, v in sd.items()}
    return sd


def _tensor(sd: Dict[str, Any], key: str, ndim: Optional[int] = None) -> torch.Tensor:
    t = sd.get(key)
    if not isinstance(t, torch.Tensor):
        raise BundleError(f'The checkpoint has no tensor "{key}", {_NOT_ROSINALITY}.')
    if ndim is not None and t.dim() != ndim:
        raise BundleError(f'The checkpoint tensor "{key}" has shape {list(t.shape)} (expected {ndim} dims), {_NOT_ROSINALITY}.')
    return t.detach().float()


def _modulation(sd: Dict[str, Any], prefix: str, in_ch: int) -> Tuple[torch.Tensor, torch.Tensor]:
    w = _tensor(sd, f'{prefix}.conv.modulation.weight', 2)
    b = _tensor(sd, f'{prefix}.conv.modulation.bias', 1)
    if w.shape[0] != in_ch:
        raise BundleError(f'"{prefix}.conv.modulation.weight" has {w.shape[0]} outputs for a conv with {in_ch} inputs, {_NOT_ROSINALITY}.')
    return w / math.sqrt(w.shape[1]), b  # EqualLinear with lr_mul 1


def _styled_conv(sd: Dict[str, Any], prefix: str, w_index: int, up: bool, noise: Optional[torch.Tensor]) -> StyledConvSpec:
    weight = _tensor(sd, f'{prefix}.conv.weight', 5)[0]
    out_ch, in_ch, k, _ = weight.shape
    aw, ab = _modulation(sd, prefix, in_ch)
    strength = _tensor(sd, f'{prefix}.noise.weight').reshape(-1)[0]
    res_noise = None if noise is None else noise.reshape(noise.shape[-2:]) * strength
    return StyledConvSpec(affine_weight=aw, affine_bias=ab, weight=weight / math.sqrt(in_ch * k * k),
                          bias=_tensor(sd, f'{prefix}.activate.bias', 1), w_index=w_index, up=up,
                          noise=res_noise, name=prefix)


def _to_rgb(sd: Dict[str, Any], prefix: str, w_index: int) -> StyledConvSpec:
    weight = _tensor(sd, f'{prefix}.conv.weight', 5)[0]
    in_ch = weight.shape[1]
    aw, ab = _modulation(sd, prefix, in_ch)
    return StyledConvSpec(affine_weight=aw, affine_bias=ab, weight=weight / math.sqrt(in_ch * weight.shape[2] ** 2),
                          bias=_tensor(sd, f'{prefix}.bias').reshape(-1), w_index=w_index, demodulate=False,
                          activate=False, name=prefix)


def rosinality_modules(g_ema: Dict[str, Any], lr_mlp: float = 0.01, noise_seed: int = 0) -> Tuple[ExportMapping, SynthesisSpec, List[str], List[str]]:
    """Build export modules from a g_ema state dict: (mapping, synthesis spec, feature layer names, notes)."""
    sd = _strip_module(dict(g_ema))
    notes: List[str] = []
    n_mlp = 0
    while f'style.{n_mlp + 1}.weight' in sd:
        n_mlp += 1
    if n_mlp == 0:
        raise BundleError(f'The checkpoint has no "style.1.weight" mapping layer, {_NOT_ROSINALITY}.')
    layers = []
    for i in range(1, n_mlp + 1):
        w = _tensor(sd, f'style.{i}.weight', 2)
        layers.append((w * (lr_mlp / math.sqrt(w.shape[1])), _tensor(sd, f'style.{i}.bias', 1) * lr_mlp))
    mapping = ExportMapping(layers)

    n_up = 0
    while f'to_rgbs.{n_up}.conv.weight' in sd:
        n_up += 1
    if f'convs.{2 * n_up}.conv.weight' in sd:
        raise BundleError(f'The checkpoint has more convs than to_rgbs layers, {_NOT_ROSINALITY}.')

    # Older checkpoints have no noises.* buffers; the network was still trained with N(0, 1) noise, so
    # those layers get seeded standard-normal maps (like the model's make_noise), not zeros.
    base_res = int(_tensor(sd, 'input.input', 4).shape[-1])
    fallback = torch.Generator().manual_seed(noise_seed)
    missing_noise: List[int] = []
    noises: List[torch.Tensor] = []
    for i in range(2 * n_up + 1):
        t = sd.get(f'noises.noise_{i}')
        res = base_res * 2 ** ((i + 1) // 2)
        if isinstance(t, torch.Tensor):
            noises.append(t.detach().float())
        else:
            missing_noise.append(i)
            noises.append(torch.randn(1, 1, res, res, generator=fallback))
    if missing_noise:
        notes.append(f'noise buffers {missing_noise} missing: seeded N(0,1) maps used (seed {noise_seed})')

    def noise(i: int) -> torch.Tensor:
        return noises[i]

    const = _tensor(sd, 'input.input', 4)[0]
    convs = [_styled_conv(sd, 'conv1', 0, False, noise(0))]
    torgbs = [_to_rgb(sd, 'to_rgb1', 1)]
    names = ['input', 'conv1']
    for k in range(n_up):
        convs.append(_styled_conv(sd, f'convs.{2 * k}', 2 * k + 1, True, noise(2 * k + 1)))
        convs.append(_styled_conv(sd, f'convs.{2 * k + 1}', 2 * k + 2, False, noise(2 * k + 2)))
        torgbs.append(_to_rgb(sd, f'to_rgbs.{k}', 2 * k + 3))
        names += [f'convs.{2 * k}', f'convs.{2 * k + 1}']
    blur = sd.get('convs.0.conv.blur.kernel')
    skip = sd.get('to_rgbs.0.upsample.kernel')
    fir = fir_2d([1, 3, 3, 1])
    spec = SynthesisSpec(const=const, convs=convs, torgbs=torgbs,
                         blur_kernel=fir if blur is None else blur.detach().float(),
                         skip_kernel=fir if skip is None else skip.detach().float())
    for j, c in enumerate(convs):
        res = const.shape[-1] * 2 ** ((j + 1) // 2)
        if c.noise is not None and tuple(c.noise.shape) != (res, res):
            raise BundleError(f'The noise map for "{c.name}" is {list(c.noise.shape)} but the layer is {res}x{res}, {_NOT_ROSINALITY}.')
    return mapping, spec, names, notes


def convert_rosinality(ckpt_path: Optional[str], out_dir: str, *, checkpoint: Optional[Dict[str, Any]] = None,
                       name: Optional[str] = None, lr_mlp: float = 0.01, w_avg_samples: int = 10000,
                       w_avg_seed: int = 0, default_psi: float = 0.7, truncation_cutoff: Optional[int] = None) -> Dict[str, Any]:
    """Convert a rosinality checkpoint file (or an already loaded `checkpoint` dict) into a bundle; returns the manifest."""
    if checkpoint is None:
        if ckpt_path is None:
            raise BundleError('No checkpoint was given; pass the path of a rosinality stylegan2-pytorch .pt file.')
        checkpoint = load_torch_file(ckpt_path)
    if not isinstance(checkpoint, dict):
        raise BundleError(f'The checkpoint holds a {type(checkpoint).__name__}, not a dict with "g_ema", {_NOT_ROSINALITY}.')
    g_ema = checkpoint.get('g_ema', checkpoint)
    if not isinstance(g_ema, dict):
        raise BundleError(f'The checkpoint\'s "g_ema" is not a state dict, {_NOT_ROSINALITY}.')
    mapping, spec, layer_names, notes = rosinality_modules(g_ema, lr_mlp=lr_mlp)
    w_dim = mapping.weights[-1].shape[0]
    latent_avg = checkpoint.get('latent_avg')
    stored = latent_avg.reshape(-1, w_dim)[0] if isinstance(latent_avg, torch.Tensor) and latent_avg.numel() >= w_dim else None
    w_avg, note = stylegan2_w_avg(mapping, stored, 'latent_avg', w_avg_samples, w_avg_seed)
    notes.append(note)
    return write_stylegan2_bundle(out_dir, mapping, spec, layer_names, w_avg, notes, ckpt_path=ckpt_path, name=name,
                                  label='StyleGAN2', architecture='stylegan2', library='rosinality/stylegan2-pytorch',
                                  converter='tools/stylegan/rosinality.py', default_psi=default_psi,
                                  truncation_cutoff=truncation_cutoff)


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description='Convert a rosinality stylegan2-pytorch checkpoint into a model bundle.')
    ap.add_argument('checkpoint')
    ap.add_argument('--out', required=True)
    ap.add_argument('--w-avg-samples', type=int, default=10000)
    ap.add_argument('--lr-mlp', type=float, default=0.01)
    args = ap.parse_args(argv)
    try:
        convert_rosinality(args.checkpoint, args.out, w_avg_samples=args.w_avg_samples, lr_mlp=args.lr_mlp)
    except BundleError as e:
        print(str(e), file=sys.stderr)
        return 1
    print(args.out)
    return 0


if __name__ == '__main__':
    sys.exit(main())

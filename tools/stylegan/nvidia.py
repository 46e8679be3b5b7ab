"""Convert an NVIDIA stylegan2-ada-pytorch generator (network .pkl or a .pt state dict) into a model bundle.

Network pickles (`network-snapshot-*.pkl`) are dicts holding `G`, `D`, `G_ema`, … whose modules were
pickled by `torch_utils.persistence`: each carries its class's Python source, which NVIDIA's loader
exec's. safe_load.py reads them with a restricted unpickler that keeps only the state (module tree,
parameters, buffers, attributes such as conv_clamp) and never runs that source. A plain state dict in
the same key layout (`G_ema.state_dict()`, optionally under a "G_ema" key) is accepted too.

Key layout and semantics (training/networks.py), reproduced with the non-fused modconv path in plain torch:
    mapping.fc{i}.{weight,bias}     FullyConnectedLayer, lr_multiplier 0.01: weight * lr/sqrt(in), bias * lr,
                                    then leaky ReLU(0.2) * sqrt(2); z is normalised by its 2nd moment first
    mapping.w_avg                   the tracked average w (truncation centre)
    synthesis.b{R}.const            [C, 4, 4] constant input of the 4x4 block
    synthesis.b{R}.conv0 / conv1    SynthesisLayer (conv0 upsamples x2): affine (w -> styles, bias init 1),
                                    weight [O, I, 3, 3] (not pre-scaled: demodulation normalises it),
                                    noise_const [R, R] * noise_strength added after demodulation, bias,
                                    leaky ReLU * act_gain (sqrt 2), clamp to +-conv_clamp
    synthesis.b{R}.torgb            ToRGBLayer: styles * 1/sqrt(I), no demodulation, bias, clamp
    *.resample_filter               the normalised FIR [1,3,3,1] (times 4 when upsampling by 2)
ws: block R uses ws[i], ws[i+1] for conv0/conv1 and ws[i+2] for its torgb (shared with the next conv0).
Truncation (truncation_cutoff=None in NVIDIA's code) applies to all ws: truncationCutoff = numWs.
Only the 'skip' architecture (the default), unconditional (c_dim 0) generators are supported.
"""
from __future__ import annotations

import math
from typing import Any, Dict, List, Optional, Tuple

import torch

from bundle_writer import BundleError
from safe_load import PersistentObject, load_pickle_file, load_torch_file
from sg2_export import (ExportMapping, StyledConvSpec, SynthesisSpec, fir_2d, stylegan2_w_avg,
                        write_stylegan2_bundle)

_NOT_NVIDIA = 'so it is not an NVIDIA stylegan2-ada-pytorch generator'


def _flatten(obj: Any, prefix: str, tensors: Dict[str, torch.Tensor], attrs: Dict[str, Dict[str, Any]]) -> None:
    """Walk a PersistentObject tree into a flat state dict and per-module attributes."""
    if not isinstance(obj, PersistentObject):
        raise BundleError(f'The module "{prefix.rstrip(".") or "G_ema"}" is a {type(obj).__name__}, not a '
                          f'torch_utils.persistence module, {_NOT_NVIDIA}.')
    if obj.is_stylegan3:
        raise BundleError('This is a StyleGAN3 generator, which has no non-fused export path; convert a StyleGAN2(-ADA) checkpoint instead.')
    attrs[prefix.rstrip('.')] = dict({k: v for k, v in obj.state.items() if not k.startswith('_')}, _class=obj.class_name)
    for key in ('_parameters', '_buffers'):
        for name, t in (obj.state.get(key) or {}).items():
            if isinstance(t, torch.Tensor):
                tensors[prefix + name] = t
    for name, child in obj.modules().items():
        if child is not None:
            _flatten(child, f'{prefix}{name}.', tensors, attrs)


def generator_state(checkpoint: Any) -> Tuple[Dict[str, torch.Tensor], Dict[str, Dict[str, Any]]]:
    """(flat G_ema state dict, attributes by module path) from a loaded .pkl or .pt object."""
    if isinstance(checkpoint, dict) and 'G_ema' in checkpoint:
        checkpoint = checkpoint['G_ema']
    if isinstance(checkpoint, PersistentObject):
        tensors: Dict[str, torch.Tensor] = {}
        attrs: Dict[str, Dict[str, Any]] = {}
        _flatten(checkpoint, '', tensors, attrs)
        return tensors, attrs
    if isinstance(checkpoint, dict) and all(isinstance(v, torch.Tensor) for v in checkpoint.values()):
        sd = dict(checkpoint)
        for p in ('module.', 'G_ema.'):
            if sd and all(k.startswith(p) for k in sd):
                sd = {k[len(p):]: v for k, v in sd.items()}
        return sd, {}
    raise BundleError(f'The checkpoint has no G_ema generator (found {type(checkpoint).__name__}), {_NOT_NVIDIA}.')


def looks_like_nvidia(checkpoint: Any) -> bool:
    if isinstance(checkpoint, dict) and 'G_ema' in checkpoint:
        return True
    return isinstance(checkpoint, dict) and 'mapping.fc0.weight' in checkpoint and 'synthesis.b4.const' in checkpoint


class _Reader:
    def __init__(self, sd: Dict[str, torch.Tensor], attrs: Dict[str, Dict[str, Any]], conv_clamp: Optional[float]):
        self.sd, self.attrs, self.default_clamp = sd, attrs, conv_clamp

    def t(self, key: str, ndim: Optional[int] = None) -> torch.Tensor:
        t = self.sd.get(key)
        if not isinstance(t, torch.Tensor):
            raise BundleError(f'The checkpoint has no tensor "{key}", {_NOT_NVIDIA}.')
        if ndim is not None and t.dim() != ndim:
            raise BundleError(f'The checkpoint tensor "{key}" has shape {list(t.shape)} (expected {ndim} dims), {_NOT_NVIDIA}.')
        return t.detach().float()

    def attr(self, module: str, name: str, default: Any) -> Any:
        value = self.attrs.get(module, {}).get(name, default)
        return default if value is None and default is not None else value

    def clamp(self, module: str) -> Optional[float]:
        if module in self.attrs:  # pickles record conv_clamp per layer (None = no clamping)
            v = self.attrs[module].get('conv_clamp')
            return None if v is None else float(v)
        return self.default_clamp

    def fc(self, module: str, lr_multiplier: float) -> Tuple[torch.Tensor, torch.Tensor]:
        w = self.t(f'{module}.weight', 2)
        wg = float(self.attr(module, 'weight_gain', lr_multiplier / math.sqrt(w.shape[1])))
        bg = float(self.attr(module, 'bias_gain', lr_multiplier))
        return w * wg, self.t(f'{module}.bias', 1) * bg


def _synthesis_layer(r: _Reader, module: str, w_index: int, up: bool) -> StyledConvSpec:
    activation = r.attr(module, 'activation', 'lrelu')
    if activation != 'lrelu':
        raise BundleError(f'"{module}" uses the activation "{activation}"; only lrelu generators are supported.')
    weight = r.t(f'{module}.weight', 4)
    aw, ab = r.fc(f'{module}.affine', 1.0)
    noise = None
    if f'{module}.noise_const' in r.sd and bool(r.attr(module, 'use_noise', True)):
        noise = r.t(f'{module}.noise_const', 2) * r.t(f'{module}.noise_strength').reshape(-1)[0]
    return StyledConvSpec(affine_weight=aw, affine_bias=ab, weight=weight, bias=r.t(f'{module}.bias', 1),
                          w_index=w_index, up=up, act_gain=float(r.attr(module, 'act_gain', math.sqrt(2))),
                          noise=noise, clamp=r.clamp(module), name=module)


def _torgb(r: _Reader, module: str, w_index: int) -> StyledConvSpec:
    weight = r.t(f'{module}.weight', 4)
    aw, ab = r.fc(f'{module}.affine', 1.0)
    gain = float(r.attr(module, 'weight_gain', 1 / math.sqrt(weight.shape[1] * weight.shape[2] * weight.shape[3])))
    # styles = affine(w) * weight_gain: folded into the affine's weight and bias.
    return StyledConvSpec(affine_weight=aw * gain, affine_bias=ab * gain, weight=weight, bias=r.t(f'{module}.bias', 1),
                          w_index=w_index, demodulate=False, activate=False, clamp=r.clamp(module), name=module)


def nvidia_modules(sd: Dict[str, torch.Tensor], attrs: Dict[str, Dict[str, Any]], *, mapping_lr: float = 0.01,
                   conv_clamp: Optional[float] = None) -> Tuple[ExportMapping, SynthesisSpec, List[str], Optional[torch.Tensor]]:
    """Export modules from a flat G_ema state dict: (mapping, synthesis spec, feature layer names, w_avg or None).

    conv_clamp is used only for plain state dicts (pickles record it per layer)."""
    r = _Reader(sd, attrs, conv_clamp)
    if any(k.startswith('synthesis.input.') or k.startswith('synthesis.L0_') for k in sd):
        raise BundleError('This is a StyleGAN3 generator, which has no non-fused export path; convert a StyleGAN2(-ADA) checkpoint instead.')
    if 'mapping.embed.weight' in sd or int(r.attr('mapping', 'c_dim', 0) or 0) > 0:
        raise BundleError('This generator is conditional (c_dim > 0); only unconditional generators can be converted.')
    n_fc = 0
    while f'mapping.fc{n_fc}.weight' in sd:
        n_fc += 1
    if n_fc == 0:
        raise BundleError(f'The checkpoint has no "mapping.fc0.weight", {_NOT_NVIDIA}.')
    layers = []
    for i in range(n_fc):
        module = f'mapping.fc{i}'
        if r.attr(module, 'activation', 'lrelu') != 'lrelu':
            raise BundleError(f'"{module}" uses the activation "{r.attr(module, "activation", "")}"; only lrelu mapping layers are supported.')
        layers.append(r.fc(module, mapping_lr))
    mapping = ExportMapping(layers, normalize_z=True)

    res_list = []
    r_ = 4
    while f'synthesis.b{r_}.conv1.weight' in sd:
        res_list.append(r_)
        r_ *= 2
    if not res_list:
        raise BundleError(f'The checkpoint has no "synthesis.b4.conv1.weight", {_NOT_NVIDIA}.')
    for res in res_list:
        arch = r.attr(f'synthesis.b{res}', 'architecture', 'skip')
        if arch != 'skip' or f'synthesis.b{res}.skip.weight' in sd or f'synthesis.b{res}.torgb.weight' not in sd:
            raise BundleError(f'Block b{res} uses the "{arch if arch != "skip" else "orig/resnet"}" architecture; only the default "skip" generator is supported.')
    const = r.t('synthesis.b4.const', 3)
    convs = [_synthesis_layer(r, 'synthesis.b4.conv1', 0, False)]
    torgbs = [_torgb(r, 'synthesis.b4.torgb', 1)]
    names = ['synthesis.b4.const', 'synthesis.b4.conv1']
    w_idx = 1
    for res in res_list[1:]:
        convs.append(_synthesis_layer(r, f'synthesis.b{res}.conv0', w_idx, True))
        convs.append(_synthesis_layer(r, f'synthesis.b{res}.conv1', w_idx + 1, False))
        torgbs.append(_torgb(r, f'synthesis.b{res}.torgb', w_idx + 2))
        names += [f'synthesis.b{res}.conv0', f'synthesis.b{res}.conv1']
        w_idx += 2
    up_filter = sd.get(f'synthesis.b{res_list[-1]}.conv0.resample_filter') if len(res_list) > 1 else None
    skip_filter = sd.get(f'synthesis.b{res_list[-1]}.resample_filter')
    fir = fir_2d([1, 3, 3, 1], gain=1.0)
    # upfirdn2d with up=2 multiplies the (sum-1) filter by up**2 = 4.
    spec = SynthesisSpec(const=const, convs=convs, torgbs=torgbs,
                         blur_kernel=(fir if up_filter is None else up_filter.detach().float()) * 4,
                         skip_kernel=(fir if skip_filter is None else skip_filter.detach().float()) * 4)
    if spec.blur_kernel.dim() != 2:
        raise BundleError('The generator uses a separable 1-D resample filter; only 2-D [1,3,3,1]-style filters are supported.')
    w_avg = sd.get('mapping.w_avg')
    return mapping, spec, names, (None if w_avg is None else w_avg.detach().float())


def load_nvidia_checkpoint(path: str) -> Any:
    """A network .pkl (restricted unpickler) or a torch.save'd state dict, by content."""
    with open(path, 'rb') as fh:
        head = fh.read(4)
    if head.startswith(b'PK'):
        return load_torch_file(path)
    obj = load_pickle_file(path)
    if obj == 0x1950a86a20f9469cfc6c:  # legacy torch.save magic number: re-read as a torch file
        return load_torch_file(path)
    return obj


def convert_nvidia(ckpt_path: Optional[str], out_dir: str, *, checkpoint: Any = None, name: Optional[str] = None,
                   mapping_lr: float = 0.01, conv_clamp: Optional[float] = None, w_avg_samples: int = 10000,
                   w_avg_seed: int = 0, default_psi: float = 0.7, truncation_cutoff: Optional[int] = None) -> Dict[str, Any]:
    """Convert an NVIDIA stylegan2-ada-pytorch .pkl/.pt (or an already loaded `checkpoint`) into a bundle; returns the manifest."""
    if checkpoint is None:
        if ckpt_path is None:
            raise BundleError('No checkpoint was given; pass the path of a stylegan2-ada-pytorch network .pkl.')
        checkpoint = load_nvidia_checkpoint(ckpt_path)
    sd, attrs = generator_state(checkpoint)
    mapping, spec, layer_names, w_avg_t = nvidia_modules(sd, attrs, mapping_lr=mapping_lr, conv_clamp=conv_clamp)
    w_dim = mapping.weights[-1].shape[0]
    stored = w_avg_t if w_avg_t is not None and w_avg_t.numel() == w_dim else None
    w_avg, note = stylegan2_w_avg(mapping, stored, 'mapping.w_avg', w_avg_samples, w_avg_seed)
    clamps = sorted({c.clamp for c in spec.convs + spec.torgbs if c.clamp is not None})
    notes = [note, f'conv_clamp {clamps[0]:g}' if clamps else 'no conv_clamp']
    return write_stylegan2_bundle(out_dir, mapping, spec, layer_names, w_avg, notes, ckpt_path=ckpt_path, name=name,
                                  label='StyleGAN2-ADA', architecture='stylegan2-ada',
                                  library='NVIDIA stylegan2-ada-pytorch (G_ema)', converter='tools/stylegan/nvidia.py',
                                  default_psi=default_psi, truncation_cutoff=truncation_cutoff)

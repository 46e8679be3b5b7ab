"""Plain-torch StyleGAN2 generator built for ONNX export (docs/model-bundle.md).

Converters (rosinality.py, nvidia.py) and the random/tiny bundle makers translate their checkpoints
into *effective* tensors — equalized-lr gains, lr multipliers and noise strengths already multiplied
in — and build these modules from them. Everything here is a native torch op with a dynamic batch:

- modulated convs are non-fused (modulate the activations, plain conv with shared weights, demodulate
  the output), because a grouped conv with groups=batch freezes the batch size into the graph;
- upsampling is a stride-2 transposed conv followed by the FIR blur (upfirdn2d semantics, as both
  rosinality and NVIDIA implement it); the ToRGB skip is upsampled by the same FIR;
- per-pixel noise is a constant tensor (noise_const * strength), so a w always gives the same image.

Synthesis returns (image, *features): the const input and every styled-conv output after noise, bias
and activation, which is what DatasetGAN/EditGAN read from a StyleGAN2 generator.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import nn

import os

from bundle_writer import compute_w_avg, feature_name, write_bundle

SQRT2 = math.sqrt(2.0)


def _frozen(t: torch.Tensor) -> nn.Parameter:
    return nn.Parameter(t.detach().clone().float().contiguous(), requires_grad=False)


class ExportMapping(nn.Module):
    """z -> w: normalize the 2nd moment of z, then Linear + leaky ReLU(0.2) * sqrt(2) for every layer."""

    def __init__(self, layers: Sequence[Tuple[torch.Tensor, torch.Tensor]], normalize_z: bool = True):
        super().__init__()
        self.normalize_z = normalize_z
        self.weights = nn.ParameterList([_frozen(w) for w, _ in layers])
        self.biases = nn.ParameterList([_frozen(b) for _, b in layers])

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = z
        if self.normalize_z:
            x = x * torch.rsqrt(x.square().mean(dim=1, keepdim=True) + 1e-8)
        for w, b in zip(self.weights, self.biases):
            x = F.leaky_relu(F.linear(x, w, b), 0.2) * SQRT2
        return x


@dataclass
class StyledConvSpec:
    """One styled conv with effective tensors: out = act(demod(conv(x * style)) + noise + bias)."""
    affine_weight: torch.Tensor   # [in, wDim], gain included
    affine_bias: torch.Tensor     # [in], gain included (StyleGAN inits it to 1)
    weight: torch.Tensor          # [out, in, k, k], any constant scale included
    bias: torch.Tensor            # [out]
    w_index: int                  # which of the ws drives this layer
    up: bool = False              # 2x upsampling (transposed conv + FIR blur)
    demodulate: bool = True
    activate: bool = True         # leaky ReLU(0.2) * act_gain after the bias
    act_gain: float = SQRT2
    noise: Optional[torch.Tensor] = None   # [R, R] constant noise * strength, added after demodulation
    clamp: Optional[float] = None          # NVIDIA conv_clamp (applied after the activation gain)
    name: str = ''                # the layer's name in the original network (manifest `layer`)


class StyledConv(nn.Module):
    def __init__(self, spec: StyledConvSpec, blur_kernel: Optional[torch.Tensor]):
        super().__init__()
        self.w_index = spec.w_index
        self.up = spec.up
        self.demodulate = spec.demodulate
        self.activate = spec.activate
        self.act_gain = float(spec.act_gain)
        self.clamp = None if spec.clamp is None else float(spec.clamp)
        self.padding = spec.weight.shape[-1] // 2
        self.affine_weight = _frozen(spec.affine_weight)
        self.affine_bias = _frozen(spec.affine_bias)
        # Stored the way the graph uses it, so no Transpose node lands in the graph.
        self.weight = _frozen(spec.weight.transpose(0, 1) if spec.up else spec.weight)
        # Demodulation needs sum_k w[o,i,k]^2 per (o, i); precomputed so the graph does one matmul.
        self.weight_sq = _frozen(spec.weight.double().square().sum(dim=(2, 3)).float())
        self.bias = _frozen(spec.bias.reshape(1, -1, 1, 1))
        self.has_noise = spec.noise is not None
        if self.has_noise:
            self.noise = _frozen(spec.noise.reshape(1, 1, *spec.noise.shape[-2:]))
        if self.up:
            assert blur_kernel is not None
            out_ch = spec.weight.shape[0]
            # True convolution with the FIR (upfirdn2d flips the kernel before correlating).
            k = torch.flip(blur_kernel.float(), [0, 1])
            self.blur = _frozen(k[None, None].repeat(out_ch, 1, 1, 1))
            # A stride-2 transposed conv with a kxk kernel gives 2R + k - 2 pixels; padding the FIR
            # (taps) by taps - k + 1 in total brings it back to 2R, split like upfirdn2d's (pad0, pad1).
            taps = blur_kernel.shape[-1]
            ksz = spec.weight.shape[-1]
            total_pad = taps - ksz + 1
            self.blur_pads = ((total_pad + 1) // 2, total_pad // 2)

    def forward(self, x: torch.Tensor, ws: torch.Tensor) -> torch.Tensor:
        styles = F.linear(ws[:, self.w_index], self.affine_weight, self.affine_bias)  # [B, in]
        x = x * styles.unsqueeze(-1).unsqueeze(-1)
        if self.up:
            x = F.conv_transpose2d(x, self.weight, stride=2)
            p0, p1 = self.blur_pads
            if p0 == p1:
                x = F.conv2d(x, self.blur, padding=p0, groups=self.blur.shape[0])
            else:
                x = F.conv2d(F.pad(x, [p0, p1, p0, p1]), self.blur, groups=self.blur.shape[0])
        else:
            x = F.conv2d(x, self.weight, padding=self.padding)
        if self.demodulate:
            dcoefs = torch.rsqrt(F.linear(styles.square(), self.weight_sq) + 1e-8)  # [B, out]
            x = x * dcoefs.unsqueeze(-1).unsqueeze(-1)
        if self.has_noise:
            x = x + self.noise
        x = x + self.bias
        if self.activate:
            x = F.leaky_relu(x, 0.2) * self.act_gain
        if self.clamp is not None:
            x = torch.clamp(x, -self.clamp, self.clamp)
        return x


class SkipUpsample(nn.Module):
    """upfirdn2d(up=2, pad=(taps//2, taps//2 - 1)) with the FIR times 4, as a grouped transposed conv."""

    def __init__(self, kernel: torch.Tensor, channels: int = 3):
        super().__init__()
        taps = kernel.shape[-1]
        self.kernel = _frozen(kernel.float()[None, None].repeat(channels, 1, 1, 1))
        # Full transposed-conv output is 2R + taps - 2; upfirdn2d keeps [taps//2 - 1, ...) of it.
        self.pad = taps // 2 - 1
        self.channels = channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv_transpose2d(x, self.kernel, stride=2, padding=self.pad, groups=self.channels)


@dataclass
class SynthesisSpec:
    const: torch.Tensor                    # [C, 4, 4] (the learned constant input)
    convs: List[StyledConvSpec]            # in network order: 4.conv1, 8.conv0, 8.conv1, 16.conv0, ...
    torgbs: List[StyledConvSpec]           # one per resolution, 1x1, no demodulation, no activation
    blur_kernel: torch.Tensor              # FIR for conv upsampling, sum = 4 (gain of up=2 included)
    skip_kernel: torch.Tensor              # FIR for the ToRGB skip upsampling, sum = 4
    const_name: str = 'input'
    feature_whats: Optional[List[str]] = None  # short tap names; default const, conv1, conv0, conv1, ...


class ExportSynthesis(nn.Module):
    """ws [B, numWs, wDim] -> (image [B,3,R,R], const, conv outputs...) with a StyleGAN2 skip generator."""

    def __init__(self, spec: SynthesisSpec):
        super().__init__()
        self.const = _frozen(spec.const.unsqueeze(0))
        self.convs = nn.ModuleList([StyledConv(c, spec.blur_kernel) for c in spec.convs])
        self.torgbs = nn.ModuleList([StyledConv(t, None) for t in spec.torgbs])
        self.skip_up = SkipUpsample(spec.skip_kernel, spec.torgbs[0].weight.shape[0])
        assert len(spec.convs) == 2 * len(spec.torgbs) - 1

    def forward(self, ws: torch.Tensor):
        x = self.const.expand(ws.shape[0], -1, -1, -1)
        feats = [x]
        x = self.convs[0](x, ws)
        feats.append(x)
        img = self.torgbs[0](x, ws)
        for i in range(1, len(self.torgbs)):
            x = self.convs[2 * i - 1](x, ws)
            feats.append(x)
            x = self.convs[2 * i](x, ws)
            feats.append(x)
            img = self.skip_up(img) + self.torgbs[i](x, ws)
        return (img, *feats)


def synthesis_features(spec: SynthesisSpec, layer_names: Sequence[str]) -> List[Dict]:
    """Manifest `features` for ExportSynthesis outputs: f{index}_{res}_{what} with what in const/conv0/conv1."""
    entries = []
    channels = [spec.const.shape[0]] + [c.weight.shape[0] for c in spec.convs]
    whats = spec.feature_whats or (['const', 'conv1'] + ['conv0', 'conv1'] * (len(spec.torgbs) - 1))
    base = int(spec.const.shape[-1])
    res = [base, base] + [base * 2 ** (1 + i // 2) for i in range(2 * (len(spec.torgbs) - 1))]
    assert len(layer_names) == len(channels)
    for i, (ch, r, what, layer) in enumerate(zip(channels, res, whats, layer_names)):
        entries.append({'name': feature_name(i, r, what), 'channels': int(ch), 'resolution': int(r), 'layer': layer})
    return entries


def fir_2d(taps: Sequence[float], gain: float = 4.0) -> torch.Tensor:
    """Separable FIR as a 2-D kernel normalised to sum `gain` (StyleGAN's make_kernel/setup_filter)."""
    k = torch.tensor(taps, dtype=torch.float64)
    k = torch.outer(k, k)
    return (k / k.sum() * gain).float()


def num_ws_for(resolution: int) -> int:
    return 2 * int(round(math.log2(resolution))) - 2


def stylegan2_w_avg(mapping: nn.Module, stored: Optional[torch.Tensor], stored_name: str,
                    w_avg_samples: int, w_avg_seed: int) -> Tuple[List[float], str]:
    """wAvg from the checkpoint's stored average w (`stored`, a [wDim] tensor, or None), else computed
    from `w_avg_samples` seeded z; returns it with the manifest note saying which."""
    if stored is not None:
        return [float(v) for v in stored.detach().float().reshape(-1)], f'wAvg from {stored_name}'
    z_dim = mapping.weights[0].shape[1]
    w_avg = compute_w_avg(mapping, z_dim, n=w_avg_samples, seed=w_avg_seed)
    return w_avg, f'wAvg = mean of mapping(z) over {w_avg_samples} z (seed {w_avg_seed}); the checkpoint has no {stored_name}'


def write_stylegan2_bundle(out_dir: str, mapping: nn.Module, spec: SynthesisSpec, layer_names: Sequence[str],
                           w_avg: List[float], notes: List[str], *, ckpt_path: Optional[str], name: Optional[str],
                           label: str, architecture: str, library: str, converter: str, default_psi: float,
                           truncation_cutoff: Optional[int]) -> Dict:
    """The manifest and bundle of a converted StyleGAN2 (rosinality or NVIDIA layout); returns the manifest."""
    synthesis = ExportSynthesis(spec)
    z_dim = mapping.weights[0].shape[1]
    w_dim = mapping.weights[-1].shape[0]
    num_ws = 2 * len(spec.torgbs)
    resolution = int(spec.const.shape[-1]) * 2 ** (len(spec.torgbs) - 1)
    base = os.path.basename(ckpt_path) if ckpt_path else 'checkpoint'
    manifest = {
        'name': name or f'{label} {resolution}px ({base})',
        'architecture': architecture,
        'description': f'{library} generator, {resolution}x{resolution}, converted by tools/stylegan/convert.py.',
        'source': {'checkpoint': base, 'converter': converter, 'notes': '; '.join(notes)},
        'resolution': resolution, 'zDim': int(z_dim), 'wDim': int(w_dim), 'numWs': num_ws, 'wAvg': w_avg,
        'truncationCutoff': truncation_cutoff or num_ws, 'defaultPsi': default_psi, 'imageRange': [-1, 1],
        'features': synthesis_features(spec, layer_names),
    }
    gen = torch.Generator().manual_seed(0)
    return write_bundle(out_dir, mapping, synthesis, manifest, torch.randn(2, z_dim, generator=gen),
                        torch.randn(2, num_ws, w_dim, generator=gen))

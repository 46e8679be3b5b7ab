"""The demo generator: a small style-based generator (StyleGAN2 family) sized for CPUs.

Mapping: pixel norm, then MAP_LAYERS equalized-lr fully connected layers with leaky ReLU (z -> w).
Synthesis: a learned 4x4 constant; per resolution two modulated/demodulated 3x3 convs (the first
upsamples 2x bilinearly), each followed by a constant noise image (a fixed buffer times a learned
strength), bias and leaky ReLU; a modulated 1x1 ToRGB per resolution, summed as StyleGAN2's skip
output. Modulation is *non-fused* (scale activations, shared conv weights, scale outputs), so the
ONNX graph has a dynamic batch axis. The ws layout is NVIDIA's: block r uses ws[i], ws[i+1] for its
convs and ws[i+2] for ToRGB, shared with the next block's first conv; num_ws = 2*log2(R) - 2.

`Synthesis.forward(ws)` returns (image, *features) with the features in FEATURES order: the const and
every styled-conv output (after noise and activation), named f{index:02d}_{res}_{what}, the taps the
bundle format prescribes for StyleGAN2 (docs/model-bundle.md). The mask head used while fitting
(train.py) is not part of these modules.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

Z_DIM = 64
W_DIM = 128
MAP_LAYERS = 4
RESOLUTION = 64
CHANNELS = {4: 96, 8: 128, 16: 96, 32: 48, 64: 24}
NOISE_SEED = 1234


def num_ws(resolution: int = RESOLUTION) -> int:
    return 2 * int(math.log2(resolution)) - 2


def feature_taps(channels: dict[int, int] = CHANNELS) -> list[dict]:
    """Manifest `features` entries in output order: [{name, channels, resolution, layer}]."""
    taps = [("const", 4, "synthesis.b4.const"), ("conv1", 4, "synthesis.b4.conv1")]
    for res in sorted(channels)[1:]:
        taps += [("conv0", res, f"synthesis.b{res}.conv0"), ("conv1", res, f"synthesis.b{res}.conv1")]
    return [{"name": f"f{i:02d}_{res}_{what}", "channels": channels[res], "resolution": res, "layer": layer}
            for i, (what, res, layer) in enumerate(taps)]


class EqLinear(nn.Module):
    """Fully connected layer with equalized learning rate (weights scaled at run time by 1/sqrt(fan_in))."""

    def __init__(self, fan_in: int, fan_out: int, bias_init: float = 0.0, lr_mul: float = 1.0):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(fan_out, fan_in) / lr_mul)
        self.bias = nn.Parameter(torch.full((fan_out,), float(bias_init)))
        self.w_gain = lr_mul / math.sqrt(fan_in)
        self.lr_mul = lr_mul

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.weight * self.w_gain, self.bias * self.lr_mul)


class Mapping(nn.Module):
    def __init__(self, z_dim: int = Z_DIM, w_dim: int = W_DIM, layers: int = MAP_LAYERS, lr_mul: float = 1.0):
        super().__init__()
        dims = [z_dim] + [w_dim] * layers
        self.fcs = nn.ModuleList(EqLinear(a, b, lr_mul=lr_mul) for a, b in zip(dims[:-1], dims[1:]))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = z * torch.rsqrt(torch.mean(z * z, dim=1, keepdim=True) + 1e-8)
        for fc in self.fcs:
            x = F.leaky_relu(fc(x), 0.2) * math.sqrt(2.0)
        return x


class StyledConv(nn.Module):
    """Modulated 3x3 conv (optionally after 2x upsampling) + const noise + bias + leaky ReLU."""

    def __init__(self, in_ch: int, out_ch: int, w_dim: int, res: int, up: bool, noise_gen: torch.Generator):
        super().__init__()
        self.up = up
        self.affine = EqLinear(w_dim, in_ch, bias_init=1.0)
        self.weight = nn.Parameter(torch.randn(out_ch, in_ch, 3, 3))
        self.bias = nn.Parameter(torch.zeros(out_ch))
        self.noise_strength = nn.Parameter(torch.zeros(()))
        self.register_buffer("noise_const", torch.randn(res, res, generator=noise_gen))
        self.w_gain = 1.0 / math.sqrt(in_ch * 9)

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        styles = self.affine(w)  # [B, in]
        if self.up:
            x = F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=False)
        weight = self.weight * self.w_gain
        x = F.conv2d(x * styles[:, :, None, None], weight, padding=1)
        # Demodulation: 1 / ||W * s|| per sample and output channel, without a per-sample weight tensor.
        dcoefs = torch.rsqrt(torch.matmul(styles * styles, weight.square().sum(dim=[2, 3]).t()) + 1e-8)
        x = x * dcoefs[:, :, None, None]
        x = x + self.noise_const * self.noise_strength
        return F.leaky_relu(x + self.bias[None, :, None, None], 0.2) * math.sqrt(2.0)


class ToRGB(nn.Module):
    """Modulated 1x1 conv to RGB, no demodulation (as in StyleGAN2)."""

    def __init__(self, in_ch: int, w_dim: int):
        super().__init__()
        self.affine = EqLinear(w_dim, in_ch, bias_init=1.0)
        self.weight = nn.Parameter(torch.randn(3, in_ch, 1, 1))
        self.bias = nn.Parameter(torch.zeros(3))
        self.w_gain = 1.0 / math.sqrt(in_ch)

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        styles = self.affine(w) * self.w_gain
        return F.conv2d(x * styles[:, :, None, None], self.weight) + self.bias[None, :, None, None]


class Synthesis(nn.Module):
    def __init__(self, w_dim: int = W_DIM, channels: dict[int, int] = CHANNELS):
        super().__init__()
        gen = torch.Generator().manual_seed(NOISE_SEED)
        self.resolutions = sorted(channels)
        self.resolution = self.resolutions[-1]
        self.num_ws = num_ws(self.resolution)
        self.const = nn.Parameter(torch.randn(channels[4], 4, 4))
        self.b4_conv1 = StyledConv(channels[4], channels[4], w_dim, 4, False, gen)
        self.b4_torgb = ToRGB(channels[4], w_dim)
        self.convs0 = nn.ModuleList()
        self.convs1 = nn.ModuleList()
        self.torgbs = nn.ModuleList()
        for lo, hi in zip(self.resolutions[:-1], self.resolutions[1:]):
            self.convs0.append(StyledConv(channels[lo], channels[hi], w_dim, hi, True, gen))
            self.convs1.append(StyledConv(channels[hi], channels[hi], w_dim, hi, False, gen))
            self.torgbs.append(ToRGB(channels[hi], w_dim))

    def forward(self, ws: torch.Tensor):
        """ws [B, num_ws, w_dim] -> (image [B, 3, R, R], *feature maps in feature_taps() order)."""
        x = self.const[None].expand(ws.shape[0], -1, -1, -1)
        feats = [x]
        x = self.b4_conv1(x, ws[:, 0])
        feats.append(x)
        img = self.b4_torgb(x, ws[:, 1])
        i = 1
        for conv0, conv1, torgb in zip(self.convs0, self.convs1, self.torgbs):
            x = conv0(x, ws[:, i])
            feats.append(x)
            x = conv1(x, ws[:, i + 1])
            feats.append(x)
            img = F.interpolate(img, scale_factor=2.0, mode="bilinear", align_corners=False) + torgb(x, ws[:, i + 2])
            i += 2
        return (img, *feats)


class Generator(nn.Module):
    """Mapping + synthesis, with w broadcast to every ws (no mixing; the demo is fitted, not trained as a GAN)."""

    def __init__(self):
        super().__init__()
        self.mapping = Mapping()
        self.synthesis = Synthesis()

    def forward(self, z: torch.Tensor):
        w = self.mapping(z)
        return self.synthesis(w[:, None].expand(-1, self.synthesis.num_ws, -1))

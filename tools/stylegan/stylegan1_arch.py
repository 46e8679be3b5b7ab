"""The StyleGAN1 generator as DatasetGAN runs it, rebuilt for export to ONNX.

Semantics follow the lernapparat port used by nv-tlabs/datasetGAN_release (`models/stylegan1.py`):
- equalized learning rate: every weight is used as `weight * gain / sqrt(fan_in) * lrmul` and every
  bias as `bias * lrmul` (mapping: gain sqrt 2, lrmul 0.01; convs: gain sqrt 2; style affine and
  toRGB: gain 1). We fold those factors into the stored tensors once, at build time.
- mapping: pixel norm (eps 1e-8), then dense + leaky ReLU 0.2 per layer; one w per sample (the
  port broadcasts to 18 ws, the bundle runtime does that instead).
- layer epilogue: + noise (one map per layer, per-channel strength) → leaky ReLU 0.2 →
  instance norm (eps 1e-5, no affine) → style (x · (1 + s) + b, s and b from an affine of w).
- input block: const + bias → epilogue 1 → 3x3 conv → epilogue 2.
- other blocks: upscale 2x + 3x3 conv → blur [1,2,1] → + bias → epilogue 1 → 3x3 conv → epilogue 2.
  Below 128² the upscale is nearest-neighbour then conv; from 128² up it is fused: the 3x3 kernel
  is padded to 4x4 by summing its four shifted copies and applied with conv_transpose2d, stride 2.
- toRGB: 1x1 conv of the last block's output; images lie in [-1, 1].
- feature taps (G_synthesis.forward's result_list): per block, the output after epilogue 2, then
  the raw output of the block's second conv (bias included) before that epilogue.
Noise is constant: fixed per-layer maps baked into the graph, so a w always gives the same image.
"""
from __future__ import annotations

import math
from typing import List, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from stylegan1_checkpoint import BlockWeights, EpilogueWeights, Stylegan1Weights

LRELU_SLOPE = 0.2
CONV_GAIN = math.sqrt(2.0)
MAPPING_GAIN = math.sqrt(2.0)
MAPPING_LRMUL = 0.01
PIXEL_NORM_EPS = 1e-8
INSTANCE_NORM_EPS = 1e-5
# The port fuses upscale and conv when the *output* side is at least this (`min(x.shape[2:]) * 2 >= 128`).
FUSED_UPSCALE_MIN_RES = 128


def runtime_weight(weight: torch.Tensor, gain: float, lrmul: float = 1.0) -> torch.Tensor:
    """The weight the equalized-lr layer actually multiplies with: weight · gain/sqrt(fan_in) · lrmul."""
    fan_in = weight[0].numel()
    return weight * (gain * fan_in ** (-0.5) * lrmul)


def fused_upscale_kernel(conv_weight: torch.Tensor) -> torch.Tensor:
    """3x3 conv weight [out, in, 3, 3] → 4x4 conv_transpose2d weight [in, out, 4, 4].

    Upscaling by 2 and then convolving equals a stride-2 transposed conv whose kernel is the sum of
    the 3x3 kernel placed at the four offsets of a 2x2 box."""
    w = F.pad(conv_weight.permute(1, 0, 2, 3), (1, 1, 1, 1))
    return w[:, :, 1:, 1:] + w[:, :, :-1, 1:] + w[:, :, 1:, :-1] + w[:, :, :-1, :-1]


class StyleMapping(nn.Module):
    """z [B, zDim] → w [B, wDim]."""

    def __init__(self, weights: Sequence[torch.Tensor], biases: Sequence[torch.Tensor]):
        super().__init__()
        for i, (w, b) in enumerate(zip(weights, biases)):
            self.register_buffer(f"weight{i}", runtime_weight(w, MAPPING_GAIN, MAPPING_LRMUL))
            self.register_buffer(f"bias{i}", b * MAPPING_LRMUL)
        self.num_layers = len(weights)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = z * torch.rsqrt(torch.mean(z * z, dim=1, keepdim=True) + PIXEL_NORM_EPS)
        for i in range(self.num_layers):
            x = F.leaky_relu(F.linear(x, getattr(self, f"weight{i}"), getattr(self, f"bias{i}")), LRELU_SLOPE)
        return x


class Epilogue(nn.Module):
    """noise → lrelu → instance norm → style modulation, for one layer."""

    def __init__(self, epi: EpilogueWeights, noise: torch.Tensor):
        super().__init__()
        channels = epi.noise_strength.shape[0]
        self.channels = channels
        self.register_buffer("noise", noise.reshape(1, 1, noise.shape[-2], noise.shape[-1]).clone())
        self.register_buffer("noise_strength", epi.noise_strength.reshape(1, channels, 1, 1).clone())
        self.register_buffer("style_weight", runtime_weight(epi.style_weight, 1.0))
        self.register_buffer("style_bias", epi.style_bias.clone())
        # Identity affine for instance norm: the ONNX exporter needs the channel count in the graph.
        self.register_buffer("norm_scale", torch.ones(channels))
        self.register_buffer("norm_shift", torch.zeros(channels))

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        # Expanding the constant noise to the batch first keeps the exporter from folding
        # strength * noise into a [1, C, R, R] constant (67 MB per layer at 1024²).
        x = x + self.noise_strength * self.noise.expand(x.shape[0], -1, -1, -1)
        x = F.leaky_relu(x, LRELU_SLOPE)
        x = F.instance_norm(x, weight=self.norm_scale, bias=self.norm_shift, eps=INSTANCE_NORM_EPS)
        style = F.linear(w, self.style_weight, self.style_bias)  # [B, 2C]: scales then biases
        scale = style[:, : self.channels].reshape(-1, self.channels, 1, 1)
        shift = style[:, self.channels:].reshape(-1, self.channels, 1, 1)
        return x * (scale + 1.0) + shift


class UpscaleConv(nn.Module):
    """The first conv of a block: 2x upscale + 3x3 conv, then blur, then bias."""

    def __init__(self, block: BlockWeights):
        super().__init__()
        w = runtime_weight(block.conv0_weight, CONV_GAIN)
        self.fused = block.resolution >= FUSED_UPSCALE_MIN_RES
        self.register_buffer("weight", fused_upscale_kernel(w) if self.fused else w)
        self.register_buffer("bias", block.conv0_bias.reshape(1, -1, 1, 1).clone())
        k = block.blur_kernel
        self.register_buffer("blur", k.reshape(1, 1, *k.shape).expand(block.channels, 1, *k.shape).contiguous())
        self.blur_pad = (k.shape[-1] - 1) // 2
        self.channels = block.channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.fused:
            x = F.conv_transpose2d(x, self.weight, stride=2, padding=1)
        else:
            x = F.interpolate(x, scale_factor=2.0, mode="nearest")
            x = F.conv2d(x, self.weight, padding=1)
        x = F.conv2d(x, self.blur, padding=self.blur_pad, groups=self.channels)
        return x + self.bias


class SynthesisBlock(nn.Module):
    """One resolution: returns (output after epilogue 2, raw second-conv output)."""

    def __init__(self, block: BlockWeights, noise1: torch.Tensor, noise2: torch.Tensor):
        super().__init__()
        self.is_input = block.const is not None
        if self.is_input:
            self.register_buffer("const", (block.const + block.const_bias.reshape(1, -1, 1, 1)).clone())
        else:
            self.conv0 = UpscaleConv(block)
        self.epi1 = Epilogue(block.epi1, noise1)
        self.register_buffer("conv1_weight", runtime_weight(block.conv1_weight, CONV_GAIN))
        self.register_buffer("conv1_bias", block.conv1_bias.clone())
        self.epi2 = Epilogue(block.epi2, noise2)

    def forward(self, x: torch.Tensor, w1: torch.Tensor, w2: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        if self.is_input:
            # x is only used for its batch size: the constant is the same for every sample.
            x = self.const.expand(x.shape[0], -1, -1, -1)
        else:
            x = self.conv0(x)
        x = self.epi1(x, w1)
        raw = F.conv2d(x, self.conv1_weight, self.conv1_bias, padding=1)
        return self.epi2(raw, w2), raw


class StyleSynthesis(nn.Module):
    """ws [B, numWs, wDim] → (image [B, 3, R, R], f00, f01, …) in DatasetGAN's tap order."""

    def __init__(self, weights: Stylegan1Weights, noise: Sequence[torch.Tensor]):
        super().__init__()
        if len(noise) != weights.num_ws:
            raise ValueError(f"need {weights.num_ws} noise maps, got {len(noise)}")
        self.blocks = nn.ModuleList(
            SynthesisBlock(b, noise[2 * i], noise[2 * i + 1]) for i, b in enumerate(weights.blocks))
        self.register_buffer("torgb_weight", runtime_weight(weights.torgb_weight, 1.0))
        self.register_buffer("torgb_bias", weights.torgb_bias.clone())

    def forward(self, ws: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        features: List[torch.Tensor] = []
        x = ws
        for i, block in enumerate(self.blocks):
            x, raw = block(x, ws[:, 2 * i], ws[:, 2 * i + 1])
            features.append(x)
            features.append(raw)
        image = F.conv2d(x, self.torgb_weight, self.torgb_bias)
        return (image, *features)


def make_const_noise(resolutions: Sequence[int], seed: int) -> List[torch.Tensor]:
    """The frozen noise: two [1, 1, r, r] standard-normal maps per block, drawn in layer order from one
    torch.Generator seeded with `seed` (the port draws the same shapes with torch.randn per call)."""
    gen = torch.Generator().manual_seed(int(seed))
    maps = []
    for r in resolutions:
        for _ in range(2):
            maps.append(torch.randn(1, 1, r, r, generator=gen, dtype=torch.float32))
    return maps


def build_stylegan1(weights: Stylegan1Weights, noise_seed: int = 0) -> Tuple[StyleMapping, StyleSynthesis]:
    """Mapping and synthesis modules (eval mode) from parsed checkpoint weights. Noise maps the
    checkpoint presets are used as they are; the others are drawn from `noise_seed`."""
    drawn = make_const_noise([b.resolution for b in weights.blocks], noise_seed)
    noise = []
    for i, b in enumerate(weights.blocks):
        for j, epi in enumerate((b.epi1, b.epi2)):
            noise.append(epi.noise if epi.noise is not None else drawn[2 * i + j])
    mapping = StyleMapping(weights.mapping_weights, weights.mapping_biases).eval()
    synthesis = StyleSynthesis(weights, noise).eval()
    return mapping, synthesis

"""Seeded random-weight StyleGAN2 generators (for the tiny test bundle and the large benchmark bundle).

Weights are drawn the way a freshly initialised StyleGAN2 has them, with the equalized-lr gains folded
in (weights ~ N(0, 1/fan_in), affine biases 1), plus non-zero noise strengths and biases so every part
of the graph is exercised. The same seed gives bit-identical tensors on every machine (torch CPU RNG).
"""
from __future__ import annotations

import math
from typing import Dict, List, Tuple

import torch

from sg2_export import ExportMapping, StyledConvSpec, SynthesisSpec, fir_2d, num_ws_for


def random_stylegan2(resolution: int, channels: Dict[int, int], z_dim: int, w_dim: int, n_mlp: int,
                     seed: int, noise_strength: float = 0.1) -> Tuple[ExportMapping, SynthesisSpec, List[str]]:
    """Return (mapping, synthesis spec, feature layer names) for a random skip-architecture StyleGAN2."""
    g = torch.Generator().manual_seed(seed)

    def randn(*shape: int) -> torch.Tensor:
        return torch.randn(*shape, generator=g)

    dims = [z_dim] + [w_dim] * n_mlp
    mapping = ExportMapping([(randn(o, i) / math.sqrt(i), 0.1 * randn(o)) for i, o in zip(dims[:-1], dims[1:])])

    def conv(cin: int, cout: int, k: int, res: int, w_index: int, up: bool, name: str) -> StyledConvSpec:
        return StyledConvSpec(affine_weight=randn(cin, w_dim) / math.sqrt(w_dim), affine_bias=torch.ones(cin),
                              weight=randn(cout, cin, k, k) / math.sqrt(cin * k * k), bias=0.1 * randn(cout),
                              w_index=w_index, up=up, noise=noise_strength * randn(res, res), name=name)

    def torgb(cin: int, w_index: int, name: str) -> StyledConvSpec:
        return StyledConvSpec(affine_weight=randn(cin, w_dim) / math.sqrt(w_dim), affine_bias=torch.ones(cin),
                              weight=randn(3, cin, 1, 1) / math.sqrt(cin), bias=0.1 * randn(3), w_index=w_index,
                              demodulate=False, activate=False, name=name)

    const = randn(channels[4], 4, 4)
    convs = [conv(channels[4], channels[4], 3, 4, 0, False, 'b4.conv1')]
    torgbs = [torgb(channels[4], 1, 'b4.torgb')]
    layers = ['b4.const', 'b4.conv1']
    log_res = int(round(math.log2(resolution)))
    w_index = 1
    for i in range(3, log_res + 1):
        r = 2 ** i
        convs.append(conv(channels[r // 2], channels[r], 3, r, w_index, True, f'b{r}.conv0'))
        convs.append(conv(channels[r], channels[r], 3, r, w_index + 1, False, f'b{r}.conv1'))
        torgbs.append(torgb(channels[r], w_index + 2, f'b{r}.torgb'))
        layers += [f'b{r}.conv0', f'b{r}.conv1']
        w_index += 2
    assert w_index + 1 == num_ws_for(resolution)
    fir = fir_2d([1, 3, 3, 1])
    return mapping, SynthesisSpec(const=const, convs=convs, torgbs=torgbs, blur_kernel=fir, skip_kernel=fir), layers

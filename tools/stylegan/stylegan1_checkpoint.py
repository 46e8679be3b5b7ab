"""Reading DatasetGAN's StyleGAN1 checkpoints (`*.for_g_all.pt`) by key name.

DatasetGAN (nv-tlabs/datasetGAN_release, `models/stylegan1.py`, the lernapparat PyTorch port) loads
these files with `load_state_dict(strict=True)` into `Sequential(g_mapping, truncation, g_synthesis)`,
so the key layout is fixed by that module tree:

  g_mapping.dense{i}.weight|bias                      i = 0..7, equalized-lr linear layers
  g_synthesis.blocks.4x4.const                        [1, C, 4, 4] learned constant
  g_synthesis.blocks.4x4.bias                         [C] added to the constant
  g_synthesis.blocks.4x4.conv.weight|bias             3x3 conv of the input block
  g_synthesis.blocks.RxR.conv0_up.weight|bias         3x3 conv with 2x upscale (R = 8 .. resolution)
  g_synthesis.blocks.RxR.conv0_up.intermediate.kernel the [1,2,1] blur buffer
  g_synthesis.blocks.RxR.conv1.weight|bias            second 3x3 conv
  g_synthesis.blocks.*.epi{1,2}.top_epi.noise.weight  per-channel noise strength
  g_synthesis.blocks.*.epi{1,2}.style_mod.lin.weight|bias  w -> (scale, bias) per channel
  g_synthesis.torgb.weight|bias                       1x1 conv to RGB

DatasetGAN keeps the truncation centre outside the file (avg_latent_stylegan1.npy); a checkpoint
that registered it as a buffer has `truncation.avg_latent`, which we use when present. Likewise the
port draws fresh noise unless a layer's `.noise` is preset; `...top_epi.noise.noise` keys are taken
as that preset noise when a checkpoint holds them.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional

import torch

from bundle_writer import BundleError
from safe_load import UnsafeCheckpointError, load_torch_file


@dataclass
class EpilogueWeights:
    noise_strength: torch.Tensor  # [C]
    style_weight: torch.Tensor  # [2C, wDim]
    style_bias: torch.Tensor  # [2C]
    noise: Optional[torch.Tensor] = None  # [1, 1, R, R] when the checkpoint presets it


@dataclass
class BlockWeights:
    resolution: int
    in_channels: int  # channels entering the block (for the 4x4 block: its own width)
    channels: int
    conv0_weight: Optional[torch.Tensor]  # None for the 4x4 input block
    conv0_bias: Optional[torch.Tensor]
    blur_kernel: Optional[torch.Tensor]  # [k, k]
    conv1_weight: torch.Tensor  # the block's second conv ("conv" in the 4x4 block)
    conv1_bias: torch.Tensor
    epi1: EpilogueWeights
    epi2: EpilogueWeights
    const: Optional[torch.Tensor] = None  # [1, C, 4, 4], 4x4 block only
    const_bias: Optional[torch.Tensor] = None  # [C], 4x4 block only

    @property
    def key_prefix(self) -> str:
        return f"g_synthesis.blocks.{self.resolution}x{self.resolution}"


@dataclass
class Stylegan1Weights:
    mapping_weights: List[torch.Tensor]
    mapping_biases: List[torch.Tensor]
    blocks: List[BlockWeights]
    torgb_weight: torch.Tensor  # [3, C, 1, 1]
    torgb_bias: torch.Tensor  # [3]
    avg_latent: Optional[torch.Tensor] = None

    @property
    def z_dim(self) -> int:
        return int(self.mapping_weights[0].shape[1])

    @property
    def w_dim(self) -> int:
        return int(self.mapping_weights[-1].shape[0])

    @property
    def resolution(self) -> int:
        return self.blocks[-1].resolution

    @property
    def num_ws(self) -> int:
        return 2 * len(self.blocks)


_DENSE_RE = re.compile(r"^g_mapping\.dense(\d+)\.(weight|bias)$")
_BLOCK_RE = re.compile(r"^g_synthesis\.blocks\.(\d+)x(\d+)\.")


def _list_keys(keys, limit=5) -> str:
    keys = sorted(keys)
    shown = ", ".join(keys[:limit])
    return shown + (f" and {len(keys) - limit} more" if len(keys) > limit else "")


def load_state_dict_file(path: str) -> Dict[str, torch.Tensor]:
    """Read a `*.for_g_all.pt` file (without running code from it) and return its flat {key: tensor} state dict."""
    if not os.path.isfile(path):
        raise BundleError(f"The checkpoint {path} does not exist; pass the path of a StyleGAN1 *.for_g_all.pt file.")
    try:
        # Not torch.load: a downloaded pickle could run code; the restricted reader only rebuilds data.
        obj = load_torch_file(path)
    except UnsafeCheckpointError as e:
        raise BundleError(f"The file {path} was refused because loading it would run code ({e}); use a plain state dict file.") from e
    except Exception as e:  # pickle, zip and struct errors come in many types
        raise BundleError(f"The file {path} could not be read as a PyTorch checkpoint ({e}); pass a *.for_g_all.pt state dict.") from e
    if not isinstance(obj, Mapping) or not all(isinstance(v, torch.Tensor) for v in obj.values()):
        raise BundleError(
            f"The file {path} is not a flat state dict of tensors; save the generator with "
            "torch.save(g_all.state_dict(), path) as DatasetGAN's *.for_g_all.pt files are.")
    return dict(obj)


def _strip_wrapper_prefix(sd: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    # nn.DataParallel (which DatasetGAN wraps g_all in) prefixes every key with "module.".
    if sd and all(k.startswith("module.") for k in sd):
        return {k[len("module."):]: v for k, v in sd.items()}
    return sd


def _expect_shape(sd, key, shape):
    t = sd[key]
    if tuple(t.shape) != tuple(shape):
        raise BundleError(
            f"The checkpoint key {key} has shape {list(t.shape)} but {list(shape)} is expected, "
            "so the file is not a StyleGAN1 generator of the DatasetGAN layout.")
    return t.detach().to(torch.float32).clone()


def parse_stylegan1_state_dict(state_dict: Mapping[str, torch.Tensor]) -> Stylegan1Weights:
    """Validate a DatasetGAN StyleGAN1 state dict by key name and shape and return its weights.

    Unknown or missing keys are refused with one sentence naming them."""
    sd = _strip_wrapper_prefix(dict(state_dict))
    dense = sorted({int(m.group(1)) for k in sd for m in [_DENSE_RE.match(k)] if m})
    if not dense:
        raise BundleError("The checkpoint has no g_mapping.dense0.weight, so it is not a StyleGAN1 "
                        "generator saved from Sequential(g_mapping, truncation, g_synthesis).")
    if dense != list(range(len(dense))):
        raise BundleError(f"The checkpoint's mapping layers are numbered {dense}, not 0..{len(dense) - 1}; the file is damaged or of another layout.")
    res_set = set()
    for k in sd:
        m = _BLOCK_RE.match(k)
        if m:
            if m.group(1) != m.group(2):
                raise BundleError(f"The checkpoint key {k} names a non-square block; only square StyleGAN1 generators are supported.")
            res_set.add(int(m.group(1)))
    resolutions = sorted(res_set)
    if not resolutions or resolutions != [4 * 2 ** i for i in range(len(resolutions))]:
        raise BundleError(f"The checkpoint's synthesis blocks are {resolutions}, but StyleGAN1 needs blocks 4x4, 8x8, … up to its resolution.")

    expected: Dict[str, tuple] = {}
    optional = set()

    # Mapping: shapes chain from z to w.
    if "g_mapping.dense0.weight" not in sd:
        raise BundleError("The checkpoint lacks g_mapping.dense0.weight; it is not a complete StyleGAN1 generator.")
    prev = int(sd["g_mapping.dense0.weight"].shape[1])
    for i in dense:
        wk = f"g_mapping.dense{i}.weight"
        out = int(sd[wk].shape[0]) if wk in sd and sd[wk].dim() == 2 else prev
        expected[wk] = (out, prev)
        expected[f"g_mapping.dense{i}.bias"] = (out,)
        prev = out
    w_dim = prev

    def epi_keys(prefix, c, r):
        for j in (1, 2):
            expected[f"{prefix}.epi{j}.top_epi.noise.weight"] = (c,)
            expected[f"{prefix}.epi{j}.style_mod.lin.weight"] = (2 * c, w_dim)
            expected[f"{prefix}.epi{j}.style_mod.lin.bias"] = (2 * c,)
            optional.add(f"{prefix}.epi{j}.top_epi.noise.noise")

    channels = []
    for r in resolutions:
        p = f"g_synthesis.blocks.{r}x{r}"
        if r == 4:
            ck = f"{p}.const"
            if ck not in sd or sd[ck].dim() != 4:
                raise BundleError(f"The checkpoint lacks {ck} (the learned 4x4 constant); it is not a StyleGAN1 generator with a constant input.")
            c = int(sd[ck].shape[1])
            expected[ck] = (1, c, 4, 4)
            expected[f"{p}.bias"] = (c,)
            expected[f"{p}.conv.weight"] = (c, c, 3, 3)
            expected[f"{p}.conv.bias"] = (c,)
        else:
            wk = f"{p}.conv0_up.weight"
            c = int(sd[wk].shape[0]) if wk in sd and sd[wk].dim() == 4 else channels[-1]
            expected[wk] = (c, channels[-1], 3, 3)
            expected[f"{p}.conv0_up.bias"] = (c,)
            expected[f"{p}.conv1.weight"] = (c, c, 3, 3)
            expected[f"{p}.conv1.bias"] = (c,)
            optional.add(f"{p}.conv0_up.intermediate.kernel")
        epi_keys(p, c, r)
        channels.append(c)
    expected["g_synthesis.torgb.weight"] = (3, channels[-1], 1, 1)
    expected["g_synthesis.torgb.bias"] = (3,)
    optional.add("truncation.avg_latent")

    missing = set(expected) - set(sd)
    if missing:
        raise BundleError(f"The checkpoint is missing {len(missing)} StyleGAN1 key(s) ({_list_keys(missing)}); "
                        "pass a complete DatasetGAN *.for_g_all.pt generator.")
    unknown = set(sd) - set(expected) - optional
    if unknown:
        raise BundleError(f"The checkpoint has {len(unknown)} key(s) a DatasetGAN StyleGAN1 generator does not have "
                        f"({_list_keys(unknown)}); pass the generator-only *.for_g_all.pt file.")

    def epi(prefix, j, r):
        noise = None
        nk = f"{prefix}.epi{j}.top_epi.noise.noise"
        if nk in sd:
            t = sd[nk]
            if t.numel() != r * r or (t.dim() == 4 and t.shape[:2] != (1, 1)):
                raise BundleError(f"The preset noise {nk} has shape {list(t.shape)} but one {r}x{r} map is expected.")
            noise = t.detach().to(torch.float32).reshape(1, 1, r, r).clone()
        return EpilogueWeights(
            noise_strength=_expect_shape(sd, f"{prefix}.epi{j}.top_epi.noise.weight", expected[f"{prefix}.epi{j}.top_epi.noise.weight"]),
            style_weight=_expect_shape(sd, f"{prefix}.epi{j}.style_mod.lin.weight", expected[f"{prefix}.epi{j}.style_mod.lin.weight"]),
            style_bias=_expect_shape(sd, f"{prefix}.epi{j}.style_mod.lin.bias", expected[f"{prefix}.epi{j}.style_mod.lin.bias"]),
            noise=noise)

    blocks = []
    for idx, (r, c) in enumerate(zip(resolutions, channels)):
        p = f"g_synthesis.blocks.{r}x{r}"
        g = lambda k: _expect_shape(sd, f"{p}.{k}", expected[f"{p}.{k}"])  # noqa: E731
        if r == 4:
            blocks.append(BlockWeights(
                resolution=r, in_channels=c, channels=c, conv0_weight=None, conv0_bias=None, blur_kernel=None,
                conv1_weight=g("conv.weight"), conv1_bias=g("conv.bias"), epi1=epi(p, 1, r), epi2=epi(p, 2, r),
                const=g("const"), const_bias=g("bias")))
        else:
            kk = f"{p}.conv0_up.intermediate.kernel"
            if kk in sd:
                t = sd[kk]
                if t.dim() != 4 or t.shape[0] != 1 or t.shape[1] != 1 or t.shape[2] != t.shape[3] or t.shape[2] % 2 != 1:
                    raise BundleError(f"The blur kernel {kk} has shape {list(t.shape)} but [1, 1, k, k] with odd k is expected.")
                blur = t.detach().to(torch.float32)[0, 0].clone()
            else:
                blur = default_blur_kernel()
            blocks.append(BlockWeights(
                resolution=r, in_channels=channels[idx - 1], channels=c, conv0_weight=g("conv0_up.weight"),
                conv0_bias=g("conv0_up.bias"), blur_kernel=blur, conv1_weight=g("conv1.weight"),
                conv1_bias=g("conv1.bias"), epi1=epi(p, 1, r), epi2=epi(p, 2, r)))

    avg = sd.get("truncation.avg_latent")
    weights = Stylegan1Weights(
        mapping_weights=[_expect_shape(sd, f"g_mapping.dense{i}.weight", expected[f"g_mapping.dense{i}.weight"]) for i in dense],
        mapping_biases=[_expect_shape(sd, f"g_mapping.dense{i}.bias", expected[f"g_mapping.dense{i}.bias"]) for i in dense],
        blocks=blocks,
        torgb_weight=_expect_shape(sd, "g_synthesis.torgb.weight", expected["g_synthesis.torgb.weight"]),
        torgb_bias=_expect_shape(sd, "g_synthesis.torgb.bias", expected["g_synthesis.torgb.bias"]),
        avg_latent=None if avg is None else avg.detach().to(torch.float32).clone())
    return weights


def default_blur_kernel() -> torch.Tensor:
    """The port's BlurLayer default: outer product of [1, 2, 1], normalised to sum 1."""
    k = torch.tensor([1.0, 2.0, 1.0])
    k = k[:, None] * k[None, :]
    return k / k.sum()


def single_w_avg(avg_latent: torch.Tensor, w_dim: int, source: str) -> torch.Tensor:
    """Reduce an avg_latent of shape [wDim], [1, wDim], [N, wDim] or [1, N, wDim] to one w.

    DatasetGAN stores the mean w broadcast to all 18 layers (identical rows); a bundle holds one
    centre, so rows that differ cannot be represented and are refused."""
    a = avg_latent.detach().to(torch.float32)
    if a.shape[-1] != w_dim or a.dim() > 3 or (a.dim() == 3 and a.shape[0] != 1):
        raise BundleError(f"The average latent from {source} has shape {list(a.shape)} but [{w_dim}] or [N, {w_dim}] is expected.")
    rows = a.reshape(-1, w_dim)
    spread = (rows - rows[:1]).abs().max().item()
    if spread > 1e-5 * max(1.0, rows.abs().max().item()):
        raise BundleError(f"The average latent from {source} has different rows (max difference {spread:.3g}); "
                        "a model bundle holds one mean w, so pass a single-row average.")
    return rows[0].clone()

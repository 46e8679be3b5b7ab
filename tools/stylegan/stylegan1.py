"""Convert DatasetGAN's StyleGAN1 checkpoints (`*.for_g_all.pt`) into a DatasetGAN Studio model bundle.

The generator is rebuilt from the checkpoint's keys (stylegan1_checkpoint.py) as plain PyTorch
modules with the semantics of DatasetGAN's `models/stylegan1.py` (stylegan1_arch.py), with noise
frozen to constants, and exported by bundle_writer.write_bundle. The synthesis graph returns the
image and DatasetGAN's feature taps: per block, the output after its second epilogue
(`f{2i}_{res}_epi2`) and the raw output of its second conv (`f{2i+1}_{res}_conv1`, `_conv` for
the 4x4 block), in the order DatasetGAN concatenates them.

Usage:
    /usr/bin/python3 tools/stylegan/stylegan1.py CHECKPOINT.for_g_all.pt OUT.dgsmodel \\
        [--avg-latent avg_latent_stylegan1.npy] [--truncation-cutoff 8] [--name NAME]
"""
from __future__ import annotations

import argparse
import math
import os
import sys
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch

from bundle_writer import BundleError, compute_w_avg, feature_name, write_bundle
from safe_load import load_torch_file
from stylegan1_arch import build_stylegan1
from stylegan1_checkpoint import load_state_dict_file, parse_stylegan1_state_dict, single_w_avg

ARCHITECTURE = "stylegan1"
IMAGE_RANGE = [-1.0, 1.0]  # DatasetGAN's process_image maps [-1, 1] to [0, 255]
DEFAULT_PSI = 0.7


def datasetgan_block_channels(resolution: int, fmap_base: int = 8192, fmap_max: int = 512,
                              fmap_decay: float = 1.0) -> List[Tuple[int, int]]:
    """(resolution, channels) of every synthesis block of the port's G_synthesis: block 2**k has
    min(fmap_base / 2**(k-1), fmap_max) channels (512 up to 32², then 256, 128, 64, 32, 16)."""
    log2 = int(round(math.log2(resolution)))
    if 2 ** log2 != resolution or resolution < 4:
        raise BundleError(f"The resolution {resolution} is not a power of two of at least 4.")
    return [(2 ** k, min(int(fmap_base / (2.0 ** ((k - 1) * fmap_decay))), fmap_max)) for k in range(2, log2 + 1)]


def stylegan1_features(block_channels: Sequence[Tuple[int, int]]) -> List[Dict[str, Any]]:
    """The manifest `features` for blocks [(res, channels), …], in DatasetGAN's concatenation order."""
    feats = []
    for i, (res, ch) in enumerate(block_channels):
        block = f"g_synthesis.blocks.{res}x{res}"
        conv = "conv" if i == 0 else "conv1"
        feats.append({"name": feature_name(2 * i, res, "epi2"), "channels": ch, "resolution": res,
                      "layer": f"{block}.epi2"})
        feats.append({"name": feature_name(2 * i + 1, res, conv), "channels": ch, "resolution": res,
                      "layer": f"{block}.{conv}"})
    return feats


def datasetgan_truncation_cutoff(resolution: int, num_ws: int) -> int:
    """DatasetGAN's `max_layer`: 7 for its 256² models (cat, bedroom), 8 for car-512 and face-1024."""
    return min(7 if resolution <= 256 else 8, num_ws)


def _read_avg_latent(avg_latent: Union[str, np.ndarray, torch.Tensor], w_dim: int) -> torch.Tensor:
    if isinstance(avg_latent, str):
        if not os.path.isfile(avg_latent):
            raise BundleError(f"The average latent file {avg_latent} does not exist; pass DatasetGAN's avg_latent_stylegan1.npy or leave it out to compute wAvg.")
        try:
            arr = load_torch_file(avg_latent) if avg_latent.endswith((".pt", ".pth")) else np.load(avg_latent)
        except Exception as e:
            raise BundleError(f"The average latent file {avg_latent} could not be read ({e}); pass a .npy array of shape [18, {w_dim}] or [{w_dim}].")
        return single_w_avg(torch.as_tensor(np.asarray(arr) if not isinstance(arr, torch.Tensor) else arr), w_dim, avg_latent)
    return single_w_avg(torch.as_tensor(avg_latent), w_dim, "the avg_latent argument")


def convert_stylegan1(ckpt_path: Optional[str], out_dir: str, *, state_dict: Optional[Dict[str, torch.Tensor]] = None,
                      name: Optional[str] = None, description: Optional[str] = None,
                      avg_latent: Union[None, str, np.ndarray, torch.Tensor] = None,
                      truncation_cutoff: Optional[int] = None, default_psi: float = DEFAULT_PSI,
                      noise_seed: int = 0, w_avg_samples: int = 10000, w_avg_seed: int = 0) -> Dict[str, Any]:
    """Convert a DatasetGAN StyleGAN1 checkpoint into a model bundle folder; returns the manifest.

    ckpt_path: a `*.for_g_all.pt` state dict (or pass `state_dict` directly and ckpt_path=None).
    avg_latent: the truncation centre (DatasetGAN's avg_latent_stylegan1.npy, [18, 512] of equal rows);
      else the checkpoint's `truncation.avg_latent`; else the mean of mapping(z) over w_avg_samples z.
    truncation_cutoff: ψ applies to ws[0:cutoff); default DatasetGAN's (7 at ≤256², else 8).
    noise_seed: seeds the constant noise maps the checkpoint does not preset."""
    if state_dict is None:
        if ckpt_path is None:
            raise BundleError("No checkpoint was given; pass the path of a StyleGAN1 *.for_g_all.pt file.")
        state_dict = load_state_dict_file(ckpt_path)
    weights = parse_stylegan1_state_dict(state_dict)
    mapping, synthesis = build_stylegan1(weights, noise_seed=noise_seed)
    res, num_ws, z_dim, w_dim = weights.resolution, weights.num_ws, weights.z_dim, weights.w_dim

    cutoff = datasetgan_truncation_cutoff(res, num_ws) if truncation_cutoff is None else int(truncation_cutoff)
    if not 1 <= cutoff <= num_ws:
        raise BundleError(f"The truncation cutoff {cutoff} is outside 1..{num_ws}, the number of ws of this {res}² generator.")

    if avg_latent is not None:
        w_avg = _read_avg_latent(avg_latent, w_dim).tolist()
        w_avg_note = "wAvg from the given average latent"
    elif weights.avg_latent is not None:
        w_avg = single_w_avg(weights.avg_latent, w_dim, "the checkpoint's truncation.avg_latent").tolist()
        w_avg_note = "wAvg from the checkpoint's truncation.avg_latent"
    else:
        w_avg = compute_w_avg(mapping, z_dim, n=w_avg_samples, seed=w_avg_seed)
        w_avg_note = f"wAvg = mean of mapping(z) over {w_avg_samples} z (torch seed {w_avg_seed})"
    preset = sum(e.noise is not None for b in weights.blocks for e in (b.epi1, b.epi2))
    noise_note = (f"noise: {preset} of {num_ws} maps from the checkpoint, the rest drawn with torch seed {noise_seed}"
                  if preset else f"noise: {num_ws} constant maps drawn with torch seed {noise_seed}")

    block_channels = [(b.resolution, b.channels) for b in weights.blocks]
    manifest = {
        "name": name or (os.path.basename(ckpt_path).split(".")[0] if ckpt_path else f"stylegan1-{res}"),
        "architecture": ARCHITECTURE,
        "description": description or f"StyleGAN1 {res}x{res} generator (DatasetGAN layout) with {2 * len(block_channels)} feature taps",
        "source": {"checkpoint": os.path.basename(ckpt_path) if ckpt_path else "(state dict)",
                   "converter": "tools/stylegan/stylegan1.py", "notes": f"{w_avg_note}; {noise_note}"},
        "resolution": res, "imageChannels": 3, "zDim": z_dim, "wDim": w_dim, "numWs": num_ws,
        "wAvg": w_avg, "truncationCutoff": cutoff, "defaultPsi": float(default_psi),
        "imageRange": list(IMAGE_RANGE), "noise": "const",
        "features": stylegan1_features(block_channels),
    }
    gen = torch.Generator().manual_seed(1234)
    example_z = torch.randn(2, z_dim, generator=gen)
    with torch.no_grad():
        example_ws = mapping(example_z).unsqueeze(1).repeat(1, num_ws, 1)
    return write_bundle(out_dir, mapping, synthesis, manifest, example_z, example_ws)


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description="Convert a DatasetGAN StyleGAN1 *.for_g_all.pt checkpoint to a model bundle.")
    p.add_argument("checkpoint", help="the *.for_g_all.pt state dict (e.g. karras2019stylegan-cars-512x384.for_g_all.pt)")
    p.add_argument("out_dir", help="bundle folder to write, e.g. car-512.dgsmodel")
    p.add_argument("--avg-latent", help="DatasetGAN's avg_latent_stylegan1.npy (else the checkpoint's, else computed)")
    p.add_argument("--truncation-cutoff", type=int, help="ψ applies to ws[0:cutoff) (default 7 at ≤256², else 8)")
    p.add_argument("--psi", type=float, default=DEFAULT_PSI, help="defaultPsi of new projects (default 0.7)")
    p.add_argument("--name", help="bundle name (default: the checkpoint's file name)")
    p.add_argument("--noise-seed", type=int, default=0, help="seed of the frozen noise maps (default 0)")
    p.add_argument("--w-avg-samples", type=int, default=10000, help="z samples for a computed wAvg (default 10000)")
    a = p.parse_args(argv)
    try:
        m = convert_stylegan1(a.checkpoint, a.out_dir, avg_latent=a.avg_latent, truncation_cutoff=a.truncation_cutoff,
                              default_psi=a.psi, name=a.name, noise_seed=a.noise_seed, w_avg_samples=a.w_avg_samples)
    except BundleError as e:
        print(str(e), file=sys.stderr)
        return 1
    dims = sum(f["channels"] for f in m["features"])
    print(f"wrote {a.out_dir}: {m['resolution']}x{m['resolution']}, {len(m['features'])} feature maps, {dims} dims")
    return 0


if __name__ == "__main__":
    sys.exit(main())

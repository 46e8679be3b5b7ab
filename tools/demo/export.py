"""Export the fitted demo generator (EMA weights of a train.py checkpoint) as a model bundle.

    /usr/bin/python3 tools/demo/export.py --ckpt demo-train/ckpt.pt --out assets/demo-model.dgsmodel

Writes manifest.json, mapping.onnx and synthesis.onnx through tools/stylegan/bundle_writer.py
(opset 17, dynamic batch, noise baked in as constants), with wAvg = mean of mapping(z) over 10,000
seeded z, truncation over all ws, defaultPsi 0.7, imageRange [-1, 1].
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "stylegan"))
from bundle_writer import bundle_sha256, compute_w_avg, write_bundle  # noqa: E402
from model import CHANNELS, RESOLUTION, W_DIM, Z_DIM, Generator, feature_taps, num_ws  # noqa: E402


def load_generator(ckpt_path: str) -> Generator:
    """The EMA generator of a train.py checkpoint, in eval mode."""
    ck = torch.load(ckpt_path, map_location="cpu")
    g = Generator()
    g.load_state_dict(ck["g_ema"])
    return g.eval()


def build_manifest(w_avg: list[float], steps: int) -> dict:
    return {
        "name": "Demo cartoon faces 64px",
        "architecture": "demo",
        "description": ("A small style-based generator (StyleGAN2-like: mapping MLP, modulated convs, const noise, "
                        "ToRGB skips) fitted by regression to a procedural cartoon-face renderer with exact part "
                        "masks, for trying DatasetGAN Studio without a checkpoint. See docs/demo-model.md."),
        "source": {"checkpoint": f"tools/demo/train.py, {steps} steps (EMA weights)",
                   "converter": "tools/demo/export.py",
                   "notes": "Labels for its samples come from tools/demo/render.py (classes in assets/demo-project/classes.json)."},
        "resolution": RESOLUTION,
        "zDim": Z_DIM,
        "wDim": W_DIM,
        "numWs": num_ws(),
        "wAvg": w_avg,
        "truncationCutoff": num_ws(),
        "defaultPsi": 0.7,
        "imageRange": [-1.0, 1.0],
        "noise": "const",
        "features": feature_taps(CHANNELS),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", default="demo-train/ckpt.pt")
    ap.add_argument("--out", default="assets/demo-model.dgsmodel")
    args = ap.parse_args()
    torch.set_num_threads(1)
    steps = int(torch.load(args.ckpt, map_location="cpu")["step"])
    g = load_generator(args.ckpt)
    w_avg = compute_w_avg(g.mapping, Z_DIM, n=10000, seed=0)
    example_z = torch.randn(2, Z_DIM, generator=torch.Generator().manual_seed(1))
    example_ws = g.mapping(example_z)[:, None].expand(-1, num_ws(), -1).contiguous().detach()
    m = write_bundle(args.out, g.mapping, g.synthesis, build_manifest(w_avg, steps), example_z, example_ws)
    sizes = {f: os.path.getsize(os.path.join(args.out, f)) for f in ("manifest.json", "mapping.onnx", "synthesis.onnx")}
    print(json.dumps({"out": args.out, "steps": steps, "sha256": bundle_sha256(args.out), "bytes": sizes,
                      "featureChannels": sum(f["channels"] for f in m["features"])}))


if __name__ == "__main__":
    main()

"""Check the exported demo bundle in onnxruntime-node against PyTorch and the renderer; draw the sample grid.

    /usr/bin/python3 tools/demo/check_bundle.py --bundle assets/demo-model.dgsmodel \
        --ckpt demo-train/ckpt.pt --png docs/demo-samples.png

Runs tools/demo/run_bundle.ts (seeds 0..15, psi 1) through `npx tsx`, then:
  - the TypeScript latents equal tools/dgs_rng.py's bit for bit;
  - w, the image and every feature map match the PyTorch generator of the checkpoint (max abs diff);
  - how close the ONNX images are to the renderer's images for the same z (mean abs error, reported);
and writes a PNG grid: for each seed the ONNX-decoded sample above the renderer's target.
Prints one JSON line; exits 1 when ONNX and PyTorch disagree by more than --tol.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
from dgs_rng import latent_from_seed  # noqa: E402
from render import render_z  # noqa: E402


def run_onnx(bundle: str, first: int, count: int, psi: float) -> dict[str, np.ndarray]:
    """Outputs of the bundle in onnxruntime-node for seeds first..first+count-1, by name."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npx", "tsx", os.path.join(HERE, "run_bundle.ts"), bundle, tmp, str(first), str(count), str(psi)],
                       check=True, cwd=REPO, stdout=subprocess.DEVNULL)
        index = json.load(open(os.path.join(tmp, "index.json")))
        out = {name: np.fromfile(os.path.join(tmp, o["file"]), dtype="<f4").reshape(o["dims"])
               for name, o in index["outputs"].items()}
        out["_timing"] = index["timing"]
        return out


def to_uint8(img: np.ndarray, lo: float = -1.0, hi: float = 1.0) -> np.ndarray:
    """[B, 3, R, R] in imageRange -> [B, R, R, 3] uint8 (clamped, rounded half up, as docs/model-bundle.md says)."""
    v = np.floor((img - lo) / (hi - lo) * 255.0 + 0.5)
    return np.clip(v, 0, 255).astype(np.uint8).transpose(0, 2, 3, 1)


def sample_grid(samples: np.ndarray, targets: np.ndarray, per_row: int = 8, zoom: int = 2) -> np.ndarray:
    """Rows of `per_row` tiles: sample above target, with a 2-pixel white gutter; nearest-neighbour zoom."""
    n, r = len(samples), samples.shape[1]
    gut = 2
    rows = []
    for start in range(0, n, per_row):
        cols = []
        for i in range(start, min(start + per_row, n)):
            tile = np.concatenate([samples[i], targets[i]], axis=0)
            cols.append(np.pad(tile, ((0, 0), (0, gut), (0, 0)), constant_values=255))
        row = np.concatenate(cols, axis=1)
        rows.append(np.pad(row, ((0, gut * 2), (0, 0), (0, 0)), constant_values=255))
    grid = np.concatenate(rows, axis=0)
    return grid.repeat(zoom, axis=0).repeat(zoom, axis=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bundle", default=os.path.join(REPO, "assets", "demo-model.dgsmodel"))
    ap.add_argument("--ckpt", default="", help="train.py checkpoint to compare with (skipped if empty)")
    ap.add_argument("--png", default="", help="where to write the sample grid (skipped if empty)")
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--count", type=int, default=16)
    ap.add_argument("--tol", type=float, default=1e-4)
    args = ap.parse_args()

    manifest = json.load(open(os.path.join(args.bundle, "manifest.json")))
    onnx_out = run_onnx(os.path.abspath(args.bundle), args.first, args.count, 1.0)
    seeds = list(range(args.first, args.first + args.count))
    z = np.stack([latent_from_seed(s, manifest["zDim"]) for s in seeds])
    report: dict = {"seeds": [seeds[0], seeds[-1]], "latentsBitExact": bool(z.tobytes() == onnx_out["z"].tobytes()),
                    "onnxSynthesisMsBatch": onnx_out["_timing"]}
    image_name = manifest["graphs"]["synthesis"]["imageOutput"]
    target, _ = render_z(z)
    report["meanAbsErrorVsRenderer"] = float(np.abs(onnx_out[image_name] - target).mean())
    ok = report["latentsBitExact"]

    if args.ckpt:
        import torch

        from export import load_generator

        g = load_generator(args.ckpt)
        with torch.no_grad():
            zt = torch.from_numpy(z)
            w = g.mapping(zt)
            outs = g.synthesis(w[:, None].expand(-1, manifest["numWs"], -1))
        names = [image_name] + [f["name"] for f in manifest["features"]]
        diffs = {"w": float(np.abs(w.numpy() - onnx_out["w"]).max())}
        for name, t in zip(names, outs):
            diffs[name] = float(np.abs(t.detach().numpy() - onnx_out[name]).max())
        report["maxAbsDiffOnnxVsTorch"] = max(diffs.values())
        report["worstOutput"] = max(diffs, key=diffs.get)
        ok = ok and report["maxAbsDiffOnnxVsTorch"] <= args.tol

    if args.png:
        from PIL import Image

        grid = sample_grid(to_uint8(onnx_out[image_name]), to_uint8(target))
        Image.fromarray(grid).save(args.png, optimize=True)
        report["png"] = args.png
    report["ok"] = bool(ok)
    print(json.dumps(report))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

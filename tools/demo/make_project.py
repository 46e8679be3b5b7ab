"""Write the demo project's annotations: the renderer's exact masks for a few seeded samples.

    /usr/bin/python3 tools/demo/make_project.py --out assets/demo-project --seeds 0-15

Writes classes.json ([{name, color, hotkey}], index = class id, 0 = background), samples.json
([{seed, psi}]) and annotations/seed-<seed>.png (single-channel 8-bit, pixel value = class id,
RESOLUTION x RESOLUTION). The label of sample (seed, psi=1) is render(params_from_z(latent_from_seed(seed))):
honest, because the demo generator was fitted to that renderer (docs/demo-model.md).
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
from dgs_rng import latent_from_seed  # noqa: E402
from render import CLASSES, Z_DIM, render_z  # noqa: E402


def parse_seeds(text: str) -> list[int]:
    """'0-15' or '3,5,9' or a mix like '0-3,10' -> sorted unique seeds."""
    seeds: set[int] = set()
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-")
            seeds.update(range(int(a), int(b) + 1))
        elif part.strip():
            seeds.add(int(part))
    return sorted(seeds)


def write_project(out: str, seeds: list[int]) -> None:
    from PIL import Image

    os.makedirs(os.path.join(out, "annotations"), exist_ok=True)
    classes = [{"name": n, "color": c, "hotkey": k} for n, c, k in CLASSES]
    with open(os.path.join(out, "classes.json"), "w") as fh:
        fh.write(json.dumps(classes, indent=1) + "\n")
    with open(os.path.join(out, "samples.json"), "w") as fh:
        fh.write(json.dumps([{"seed": s, "psi": 1.0} for s in seeds], indent=1) + "\n")
    z = np.stack([latent_from_seed(s, Z_DIM) for s in seeds])
    _, masks = render_z(z)
    for s, m in zip(seeds, masks):
        Image.fromarray(m, mode="L").save(os.path.join(out, "annotations", f"seed-{s}.png"), optimize=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="assets/demo-project")
    ap.add_argument("--seeds", default="0-15")
    args = ap.parse_args()
    seeds = parse_seeds(args.seeds)
    write_project(args.out, seeds)
    print(json.dumps({"out": args.out, "seeds": len(seeds), "classes": len(CLASSES)}))


if __name__ == "__main__":
    main()

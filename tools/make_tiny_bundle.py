"""Write the tiny random StyleGAN2-like test bundle to e2e/fixtures/tiny-bundle (or --out DIR).

    /usr/bin/python3 tools/make_tiny_bundle.py [--out DIR]

32x32 images, zDim = wDim = 32, a 2-layer mapping, channels 32/32/16/16 at 4/8/16/32, eight feature
maps (const + every styled conv). Seeded: running it twice gives byte-identical files.
"""
from __future__ import annotations

import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'stylegan'))

from bundle_writer import bundle_sha256, compute_w_avg, write_bundle  # noqa: E402
from random_generator import random_stylegan2  # noqa: E402
from sg2_export import ExportSynthesis, num_ws_for, synthesis_features  # noqa: E402

RESOLUTION = 32
Z_DIM = W_DIM = 32
CHANNELS = {4: 32, 8: 32, 16: 16, 32: 16}
SEED = 20210601


def make_tiny_bundle(out_dir: str) -> str:
    torch.manual_seed(0)
    mapping, spec, layers = random_stylegan2(RESOLUTION, CHANNELS, Z_DIM, W_DIM, n_mlp=2, seed=SEED)
    synthesis = ExportSynthesis(spec)
    num_ws = num_ws_for(RESOLUTION)
    manifest = {
        'name': 'Tiny random StyleGAN2 (tests)',
        'architecture': 'tiny',
        'description': 'Random seeded weights in the shape of a 32x32 StyleGAN2; for tests, makes noise-like images.',
        'source': {'converter': 'tools/make_tiny_bundle.py', 'notes': f'seed {SEED}'},
        'resolution': RESOLUTION, 'zDim': Z_DIM, 'wDim': W_DIM, 'numWs': num_ws,
        'wAvg': compute_w_avg(mapping, Z_DIM, n=10000, seed=SEED),
        'truncationCutoff': num_ws, 'defaultPsi': 0.7, 'imageRange': [-1, 1],
        'features': synthesis_features(spec, layers),
    }
    gen = torch.Generator().manual_seed(1)
    example_z = torch.randn(2, Z_DIM, generator=gen)
    example_ws = torch.randn(2, num_ws, W_DIM, generator=gen)
    write_bundle(out_dir, mapping, synthesis, manifest, example_z, example_ws)
    return bundle_sha256(out_dir)


def main() -> None:
    default_out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'e2e', 'fixtures', 'tiny-bundle')
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', default=os.path.normpath(default_out))
    args = ap.parse_args()
    print(f'{args.out} sha256 {make_tiny_bundle(args.out)}')


if __name__ == '__main__':
    main()

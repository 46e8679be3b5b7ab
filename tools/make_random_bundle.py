"""Write a random-weight StyleGAN2-shaped generator as a model bundle, for benchmarks (not committed).

    /usr/bin/python3 tools/make_random_bundle.py --resolution 512 --out DIR [--seed S] [--channel-multiplier 2]
                                                 [--max-channels N]

Channels follow rosinality config-f (512 up to 64², then 256·cm/2 … i.e. 512/256/128/64 at 64–512² for
cm = 2), zDim = wDim = 512 and an 8-layer mapping, so the bundle has the real network's shapes and cost:
at 512² the features are 6016 dims over 16 maps and the files are ~120 MB. The images are noise.
--max-channels caps every layer's channels, for generators slimmer than config-f: at 256² with
--max-channels 112 the features are 1,568 dims over 14 maps, the shape of the 256² generator that issue 22
measured training on.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'stylegan'))

from bundle_writer import BundleError, bundle_sha256, compute_w_avg, write_bundle  # noqa: E402
from random_generator import random_stylegan2  # noqa: E402
from sg2_export import ExportSynthesis, num_ws_for, synthesis_features  # noqa: E402


def config_f_channels(resolution: int, channel_multiplier: int = 2, max_channels: int = 512) -> dict:
    """rosinality Generator.channels: 512 up to 32², then 256·cm at 64², 128·cm at 128², … capped at 512
    (or at max_channels)."""
    table = {4: 512, 8: 512, 16: 512, 32: 512, 64: 256 * channel_multiplier, 128: 128 * channel_multiplier,
             256: 64 * channel_multiplier, 512: 32 * channel_multiplier, 1024: 16 * channel_multiplier}
    return {r: min(table[r], 512, max_channels) for r in table if r <= resolution}


def make_random_bundle(out_dir: str, resolution: int, seed: int = 0, channel_multiplier: int = 2,
                       w_avg_samples: int = 10000, max_channels: int = 512) -> dict:
    if resolution < 8 or resolution > 1024 or resolution & (resolution - 1):
        raise BundleError(f'--resolution must be a power of two from 8 to 1024, not {resolution}.')
    if max_channels < 1:
        raise BundleError(f'--max-channels must be at least 1, not {max_channels}.')
    z_dim = w_dim = 512
    channels = config_f_channels(resolution, channel_multiplier, max_channels)
    mapping, spec, layers = random_stylegan2(resolution, channels, z_dim, w_dim, n_mlp=8, seed=seed)
    num_ws = num_ws_for(resolution)
    manifest = {
        'name': f'Random StyleGAN2 {resolution}px (benchmark)',
        'architecture': 'stylegan2',
        'description': f'Random weights in the shape of a rosinality config-f {resolution}x{resolution} generator; for benchmarks.',
        'source': {'converter': 'tools/make_random_bundle.py',
                   'notes': f'seed {seed}, channel multiplier {channel_multiplier}'
                            + (f', at most {max_channels} channels' if max_channels < 512 else '')},
        'resolution': resolution, 'zDim': z_dim, 'wDim': w_dim, 'numWs': num_ws,
        'wAvg': compute_w_avg(mapping, z_dim, n=w_avg_samples, seed=seed),
        'truncationCutoff': num_ws, 'defaultPsi': 0.7, 'imageRange': [-1, 1],
        'features': synthesis_features(spec, layers),
    }
    gen = torch.Generator().manual_seed(1)
    return write_bundle(out_dir, mapping, ExportSynthesis(spec), manifest, torch.randn(1, z_dim, generator=gen),
                        torch.randn(1, num_ws, w_dim, generator=gen))


def main() -> int:
    ap = argparse.ArgumentParser(description='Write a random StyleGAN2-shaped model bundle for benchmarks.')
    ap.add_argument('--resolution', type=int, default=512)
    ap.add_argument('--out', required=True)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--channel-multiplier', type=int, default=2)
    ap.add_argument('--max-channels', type=int, default=512)
    args = ap.parse_args()
    t0 = time.time()
    try:
        m = make_random_bundle(args.out, args.resolution, args.seed, args.channel_multiplier,
                               max_channels=args.max_channels)
    except BundleError as e:
        print(str(e), file=sys.stderr)
        return 1
    size = sum(os.path.getsize(os.path.join(args.out, f)) for f in os.listdir(args.out))
    print(f'Wrote {args.out}: {m["resolution"]}px, {len(m["features"])} feature maps '
          f'({sum(f["channels"] for f in m["features"])} dims), {size / 2**20:.1f} MiB, '
          f'sha256 {bundle_sha256(args.out)}, {time.time() - t0:.0f} s')
    return 0


if __name__ == '__main__':
    sys.exit(main())

"""Convert a StyleGAN checkpoint into a DatasetGAN Studio model bundle (docs/models.md).

    /usr/bin/python3 tools/stylegan/convert.py CHECKPOINT --out BUNDLE_DIR
        [--arch auto|rosinality|nvidia|stylegan1] [--w-avg-samples N] [--name NAME]

Formats: rosinality/stylegan2-pytorch .pt ({g_ema, latent_avg} or a train.py checkpoint), NVIDIA
stylegan2-ada-pytorch network .pkl (or a .pt state dict of G_ema), DatasetGAN's StyleGAN1
*.for_g_all.pt. Files are read without running code from them (safe_load.py). Errors a user can fix
print one sentence and exit 1.
"""
from __future__ import annotations

import argparse
import os
import pickle
import sys
import zipfile
from typing import Any, List, Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bundle_writer import BundleError, bundle_sha256  # noqa: E402
from safe_load import PersistentObject, UnsafeCheckpointError  # noqa: E402

ARCHES = ('auto', 'rosinality', 'nvidia', 'stylegan1')


def _keys(obj: Any) -> List[str]:
    if not isinstance(obj, dict):
        return []
    keys = [k for k in obj if isinstance(k, str)]
    return [k[len('module.'):] if k.startswith('module.') else k for k in keys]


def detect_arch(checkpoint: Any) -> str:
    """'rosinality', 'nvidia' or 'stylegan1' from a checkpoint loaded by safe_load; BundleError if unknown."""
    from nvidia import looks_like_nvidia
    from rosinality import looks_like_rosinality
    if isinstance(checkpoint, PersistentObject) or looks_like_nvidia(checkpoint):
        return 'nvidia'
    if isinstance(checkpoint, dict) and isinstance(checkpoint.get('g_ema'), dict):
        return 'rosinality'
    if isinstance(checkpoint, dict) and looks_like_rosinality(checkpoint):
        return 'rosinality'
    keys = _keys(checkpoint)
    if any(k.startswith('g_mapping.') or k.startswith('g_synthesis.') for k in keys):
        return 'stylegan1'
    if any(k.startswith('G_ema.') for k in keys):
        return 'nvidia'
    shown = ', '.join(sorted(keys)[:4]) if keys else type(checkpoint).__name__
    raise BundleError(f'The checkpoint is not a StyleGAN generator this tool knows (it holds {shown}); '
                      'pass a rosinality .pt, an NVIDIA stylegan2-ada .pkl or a DatasetGAN StyleGAN1 .pt, or name it with --arch.')


def load_checkpoint(path: str) -> Any:
    """Read a checkpoint of any supported kind without running code from it."""
    from nvidia import load_nvidia_checkpoint
    if not os.path.isfile(path):
        raise BundleError(f'The checkpoint {path} does not exist or is not a file.')
    try:
        return load_nvidia_checkpoint(path)  # zip .pt, legacy .pt or plain pickle, by content
    except (UnsafeCheckpointError, BundleError):
        raise
    except (pickle.UnpicklingError, EOFError, zipfile.BadZipFile, KeyError, ValueError, TypeError,
            AttributeError, IndexError, RuntimeError, UnicodeDecodeError, OverflowError, MemoryError) as e:
        raise BundleError(f'The file {path} is not a readable PyTorch checkpoint or network pickle '
                          '(it is damaged or of another kind).') from e


def convert(ckpt_path: str, out_dir: str, arch: str = 'auto', w_avg_samples: int = 10000, name: Optional[str] = None,
            truncation_cutoff: Optional[int] = None, avg_latent: Optional[str] = None,
            lr_mlp: Optional[float] = None, conv_clamp: Optional[float] = None) -> dict:
    """Detect the format (unless `arch` names it) and write the bundle; returns the manifest.

    Options a format has no use for are refused rather than ignored, so a user never believes a
    setting took effect when it did not."""
    if arch not in ARCHES:
        raise BundleError(f'Unknown --arch "{arch}"; use one of {", ".join(ARCHES)}.')
    checkpoint = load_checkpoint(ckpt_path)
    if arch == 'auto':
        arch = detect_arch(checkpoint)
    misplaced = [flag for flag, value, archs in (('--avg-latent', avg_latent, ('stylegan1',)),
                                                 ('--lr-mlp', lr_mlp, ('rosinality',)),
                                                 ('--conv-clamp', conv_clamp, ('nvidia',)))
                 if value is not None and arch not in archs]
    if misplaced:
        raise BundleError(f'{", ".join(misplaced)} does not apply to a {arch} checkpoint; leave it out.')
    if arch == 'rosinality':
        from rosinality import convert_rosinality
        return convert_rosinality(ckpt_path, out_dir, checkpoint=checkpoint, w_avg_samples=w_avg_samples, name=name,
                                  truncation_cutoff=truncation_cutoff, **({'lr_mlp': lr_mlp} if lr_mlp is not None else {}))
    if arch == 'nvidia':
        from nvidia import convert_nvidia
        return convert_nvidia(ckpt_path, out_dir, checkpoint=checkpoint, w_avg_samples=w_avg_samples, name=name,
                              truncation_cutoff=truncation_cutoff, conv_clamp=conv_clamp)
    try:
        from stylegan1 import convert_stylegan1  # written by the StyleGAN1 converter; imported only when needed
    except ImportError as e:
        raise BundleError('The StyleGAN1 converter (tools/stylegan/stylegan1.py) is not available in this checkout.') from e
    opts = {'w_avg_samples': w_avg_samples, 'truncation_cutoff': truncation_cutoff, 'avg_latent': avg_latent}
    if name:
        opts['name'] = name
    if isinstance(checkpoint, dict) and all(hasattr(v, 'shape') for v in checkpoint.values()):
        opts['state_dict'] = checkpoint  # already read safely; spares a second (unrestricted) load
    return convert_stylegan1(ckpt_path, out_dir, **opts)


def _is_user_error(e: BaseException) -> bool:
    return isinstance(e, (BundleError, UnsafeCheckpointError)) or type(e).__name__ == 'UserError'


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description='Convert a StyleGAN checkpoint into a DatasetGAN Studio model bundle.')
    ap.add_argument('checkpoint', help='rosinality .pt, NVIDIA stylegan2-ada .pkl/.pt, or DatasetGAN StyleGAN1 .pt')
    ap.add_argument('--out', required=True, help='bundle folder to write (e.g. my-model.dgsmodel)')
    ap.add_argument('--arch', default='auto', choices=ARCHES)
    ap.add_argument('--w-avg-samples', type=int, default=10000,
                    help='z samples for the average w when the checkpoint stores none (default 10000)')
    ap.add_argument('--name', help='display name stored in the manifest')
    ap.add_argument('--truncation-cutoff', type=int,
                    help='number of ws that truncation applies to (default: the architecture\'s own)')
    ap.add_argument('--avg-latent', help='StyleGAN1: DatasetGAN\'s avg_latent_stylegan1.npy to use as wAvg')
    ap.add_argument('--lr-mlp', type=float, help='rosinality: the mapping learning-rate multiplier it was trained with (default 0.01)')
    ap.add_argument('--conv-clamp', type=float,
                    help='NVIDIA .pt state dicts: the conv_clamp it was trained with (pickles record it themselves)')
    args = ap.parse_args(argv)
    if args.w_avg_samples < 1:
        print('--w-avg-samples must be at least 1.', file=sys.stderr)
        return 1
    try:
        manifest = convert(args.checkpoint, args.out, arch=args.arch, w_avg_samples=args.w_avg_samples, name=args.name,
                           truncation_cutoff=args.truncation_cutoff, avg_latent=args.avg_latent,
                           lr_mlp=args.lr_mlp, conv_clamp=args.conv_clamp)
    except Exception as e:  # noqa: BLE001 - user errors print one sentence; others keep their traceback
        if _is_user_error(e):
            print(str(e), file=sys.stderr)
            return 1
        if isinstance(e, OSError) and e.filename is not None:
            print(f'Could not read or write {e.filename} ({e.strerror}); check the path and its permissions.', file=sys.stderr)
            return 1
        raise
    dims = sum(f['channels'] for f in manifest['features'])
    print(f'Wrote {args.out}: {manifest["architecture"]} {manifest["resolution"]}px, {len(manifest["features"])} feature maps '
          f'({dims} dims), sha256 {bundle_sha256(args.out)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())

"""Fit the demo generator to the procedural renderer by regression (no discriminator).

On random z (a seeded stream, freshly rendered as training goes), minimise  L1 + L2 of
G(z) - render(params_from_z(z))  (pixels of small parts weighted up) plus a cross-entropy on an
auxiliary mask head that reads the synthesis features (used only here, never exported: it pushes the
features to carry the part layout). Adversarial training
on two shared CPU cores would not reach recognisable faces in the time available; a regression fit
does, and it keeps the renderer's masks honest labels for the generator's samples.

A separate process renders batches from a seeded z stream into a queue; the trainer keeps the most
recent ones in a replay buffer and draws each batch from it, so it never waits on the renderer; one
fresh batch enters every --fresh-every steps. On a shared 2-core machine use --threads 1: OpenMP
threads that get preempted stall each other (measured 2.5 s/step with 2 threads vs 0.5 s with 1).
The learning rate follows a cosine over the time budget (--minutes); checkpoints (with an EMA of
the generator, which is what gets exported) are written every --ckpt-minutes and at the end.

    /usr/bin/python3 tools/demo/train.py --out demo-train --minutes 86 --threads 1 [--resume]
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import queue
import signal
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import CHANNELS, Generator, Z_DIM  # noqa: E402
from render import BROW, CLASSES, EAR, EYE, IRIS, MOUTH, NOSE, render_z  # noqa: E402

SMALL_PARTS = (EYE, IRIS, BROW, NOSE, MOUTH, EAR)


def render_worker(seed: int, start_batch: int, batch: int, out: mp.Queue) -> None:
    """Render batch after batch from z drawn by a per-batch seeded numpy generator; runs in its own process."""
    torch.set_num_threads(1)
    k = start_batch
    while True:
        z = np.random.default_rng([seed, k]).standard_normal((batch, Z_DIM)).astype(np.float32)
        rgb, mask = render_z(z)
        out.put((z, rgb.astype(np.float16), mask))
        k += 1


class MaskHead(nn.Module):
    """Training-only: 1x1 convs on the 16/32/64 conv1 features, upsampled and summed to class logits."""

    def __init__(self, n_classes: int):
        super().__init__()
        self.heads = nn.ModuleList(nn.Conv2d(CHANNELS[r], n_classes, 1) for r in (16, 32, 64))

    def forward(self, feats: list[torch.Tensor]) -> torch.Tensor:
        # feature order: const, b4.conv1, then (conv0, conv1) per resolution 8, 16, 32, 64.
        taps = [feats[5], feats[7], feats[9]]
        out = 0
        for head, f in zip(self.heads, taps):
            out = out + F.interpolate(head(f), size=64, mode="bilinear", align_corners=False)
        return out


def save_grid(path: str, g: Generator, z: torch.Tensor, target: np.ndarray) -> None:
    from PIL import Image

    with torch.no_grad():
        img = g(z)[0].clamp(-1, 1).numpy()
    to8 = lambda a: ((a.transpose(0, 2, 3, 1) + 1) * 127.5).round().astype(np.uint8)  # noqa: E731
    top, bot = np.concatenate(list(to8(img)), 1), np.concatenate(list(to8(target)), 1)
    Image.fromarray(np.concatenate([top, bot], 0)).save(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="demo-train")
    ap.add_argument("--minutes", type=float, default=80.0, help="training time budget (lr schedule and stop)")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--mask-weight", type=float, default=0.3)
    ap.add_argument("--small-part-weight", type=float, default=4.0)
    ap.add_argument("--ema-beta", type=float, default=0.998)
    ap.add_argument("--buffer", type=int, default=4096, help="replay buffer size in samples")
    ap.add_argument("--ckpt-minutes", type=float, default=3.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--fresh-every", type=int, default=2, help="steps per freshly rendered batch")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (0: time budget only)")
    ap.add_argument("--resume", action="store_true")
    args = ap.parse_args()

    os.makedirs(args.out, exist_ok=True)
    ckpt_path = os.path.join(args.out, "ckpt.pt")
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    n_classes = len(CLASSES)
    g = Generator()
    g_ema = Generator()
    head = MaskHead(n_classes)
    g_ema.load_state_dict(g.state_dict())
    params = list(g.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=args.lr, betas=(0.9, 0.99))
    step, spent = 0, 0.0
    if args.resume and os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path)
        g.load_state_dict(ck["g"]), g_ema.load_state_dict(ck["g_ema"]), head.load_state_dict(ck["head"])
        opt.load_state_dict(ck["opt"])
        step, spent = ck["step"], ck["train_seconds"]
        print(f"resumed at step {step}, {spent:.0f} s spent", flush=True)
    budget = args.minutes * 60.0

    q: mp.Queue = mp.get_context("fork").Queue(maxsize=4)
    worker = mp.get_context("fork").Process(target=render_worker, args=(args.seed, step, args.batch, q), daemon=True)
    worker.start()
    # SIGTERM ends the loop cleanly: a last checkpoint is written and the renderer process is stopped.
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    buf_z = np.zeros((args.buffer, Z_DIM), np.float32)
    buf_rgb = np.zeros((args.buffer, 3, 64, 64), np.float16)
    buf_mask = np.zeros((args.buffer, 64, 64), np.uint8)
    filled, head_i = 0, 0
    pick = np.random.default_rng([args.seed, 999, step])

    def take(block: bool) -> bool:
        nonlocal filled, head_i
        try:
            z, rgb, mask = q.get(block=block, timeout=60 if block else None)
        except queue.Empty:
            return False
        n = len(z)
        idx = (head_i + np.arange(n)) % args.buffer
        buf_z[idx], buf_rgb[idx], buf_mask[idx] = z, rgb, mask
        head_i = (head_i + n) % args.buffer
        filled = min(args.buffer, filled + n)
        return True

    while filled < 16 * args.batch:
        take(True)
    vis_z = torch.from_numpy(buf_z[:8].copy())
    vis_t = buf_rgb[:8].astype(np.float32)

    log = open(os.path.join(args.out, "train.jsonl"), "a")
    last_ckpt = time.time()
    t_log, acc = time.time(), {"l1": 0.0, "l2": 0.0, "ce": 0.0, "n": 0}

    def checkpoint() -> None:
        tmp = ckpt_path + ".tmp"
        torch.save({"g": g.state_dict(), "g_ema": g_ema.state_dict(), "head": head.state_dict(),
                    "opt": opt.state_dict(), "step": step, "train_seconds": spent, "args": vars(args)}, tmp)
        os.replace(tmp, ckpt_path)
        save_grid(os.path.join(args.out, "progress.png"), g_ema, vis_z, vis_t)

    while spent < budget and (args.max_steps == 0 or step < args.max_steps) and not stop:
        t0 = time.time()
        if step % args.fresh_every == 0:
            take(False)  # at most one fresh batch per fresh_every steps: the renderer only uses the CPU it must
        idx = pick.integers(0, filled, args.batch)
        z = torch.from_numpy(buf_z[idx])
        target = torch.from_numpy(buf_rgb[idx].astype(np.float32))
        mask = torch.from_numpy(buf_mask[idx].astype(np.int64))
        progress = spent / budget
        lr = args.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))
        lr *= min(1.0, (step + 1) / 200)  # short warm-up
        for group in opt.param_groups:
            group["lr"] = lr

        out = g(z)
        img, feats = out[0], list(out[1:])
        weight = 1.0 + args.small_part_weight * sum((mask == c) for c in SMALL_PARTS).float()
        diff = img - target
        l1 = (diff.abs().mean(dim=1) * weight).mean() / weight.mean()
        l2 = (diff.square().mean(dim=1) * weight).mean() / weight.mean()
        ce = F.cross_entropy(head(feats), mask)
        loss = l1 + l2 + args.mask_weight * ce
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            beta = args.ema_beta if step > 500 else 0.9
            for pe, p in zip(g_ema.parameters(), g.parameters()):
                pe.lerp_(p, 1 - beta)
            for be, b in zip(g_ema.buffers(), g.buffers()):
                be.copy_(b)
        step += 1
        spent += time.time() - t0
        acc["l1"] += l1.item(); acc["l2"] += l2.item(); acc["ce"] += ce.item(); acc["n"] += 1
        if time.time() - t_log > 30:
            n = acc["n"]
            rec = {"step": step, "train_s": round(spent, 1), "s_per_step": round((time.time() - t_log) / n, 3),
                   "lr": lr, "l1": acc["l1"] / n, "l2": acc["l2"] / n, "ce": acc["ce"] / n, "buffer": filled}
            print(json.dumps(rec), flush=True)
            log.write(json.dumps(rec) + "\n"), log.flush()
            t_log, acc = time.time(), {"l1": 0.0, "l2": 0.0, "ce": 0.0, "n": 0}
        if time.time() - last_ckpt > args.ckpt_minutes * 60:
            checkpoint()
            last_ckpt = time.time()
    checkpoint()
    print(json.dumps({"done": True, "step": step, "train_s": round(spent, 1)}), flush=True)
    worker.terminate()


if __name__ == "__main__":
    main()

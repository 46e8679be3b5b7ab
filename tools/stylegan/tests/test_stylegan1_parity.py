"""The StyleGAN1 converter against a reference written from DatasetGAN's documented semantics.

The reference mirrors the module tree of DatasetGAN's `models/stylegan1.py` (lernapparat port) so
that its `state_dict()` has exactly the `*.for_g_all.pt` key layout, keeps raw equalized-lr weights
and applies gain/lrmul at run time (the converter folds them in at build time), and computes every
step in its own way. A randomly initialised 128² model (channels 32..4) covers both the nearest
upscale (8²..64²) and the fused transposed-conv upscale (128²). Bundle graphs run in
onnxruntime-node through stylegan1_ort_runner.ts.
"""
import json
import math
import os
import shutil
import subprocess
from collections import OrderedDict

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from stylegan1 import convert_stylegan1, datasetgan_block_channels
from stylegan1_arch import make_const_noise

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
RUNNER = os.path.join(HERE, "stylegan1_ort_runner.ts")
SQRT2 = math.sqrt(2.0)


# ---------------------------------------------------------------- reference (DatasetGAN semantics)

class RefLinear(nn.Module):
    def __init__(self, fan_in, fan_out, gain, lrmul=1.0):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(fan_out, fan_in) / lrmul)
        self.bias = nn.Parameter(torch.randn(fan_out) * 0.1 / lrmul)
        self.w_mul = gain / math.sqrt(fan_in) * lrmul
        self.b_mul = lrmul

    def forward(self, x):
        return x @ (self.weight * self.w_mul).t() + self.bias * self.b_mul


class RefBlur(nn.Module):
    def __init__(self):
        super().__init__()
        k = torch.tensor([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]) / 16.0
        self.register_buffer("kernel", k[None, None])

    def forward(self, x):
        c = x.shape[1]
        return F.conv2d(x, self.kernel.repeat(c, 1, 1, 1), padding=1, groups=c)


class RefConv(nn.Module):
    """3x3 (or 1x1) equalized conv; with `upscale`, 2x upscale first and the blur before the bias."""

    def __init__(self, cin, cout, k, gain, upscale=False):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(cout, cin, k, k))
        self.bias = nn.Parameter(torch.randn(cout) * 0.1)
        self.w_mul = gain / math.sqrt(cin * k * k)
        self.upscale = upscale
        if upscale:
            self.intermediate = RefBlur()

    def forward(self, x):
        w = self.weight * self.w_mul
        if not self.upscale:
            return F.conv2d(x, w, padding=w.shape[-1] // 2) + self.bias[None, :, None, None]
        if x.shape[-1] * 2 >= 128:
            # TF StyleGAN's fused upscale: the 3x3 kernel summed over the four offsets of a 2x2 box,
            # used as a stride-2 transposed conv.
            wt = w.transpose(0, 1)
            k4 = sum(F.pad(wt, (dx, 1 - dx, dy, 1 - dy)) for dy in (0, 1) for dx in (0, 1))
            x = F.conv_transpose2d(x, k4, stride=2, padding=1)
        else:
            x = x.repeat_interleave(2, dim=2).repeat_interleave(2, dim=3)
            x = F.conv2d(x, w, padding=1)
        return self.intermediate(x) + self.bias[None, :, None, None]


class RefNoise(nn.Module):
    def __init__(self, c, as_buffer):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(c) * 0.5)
        self.as_buffer = as_buffer
        self.noise = None

    def set_noise(self, noise):
        if self.as_buffer:  # a checkpoint that saves preset noise in its state dict
            del self.noise
            self.register_buffer("noise", noise.clone())
        else:
            self.noise = noise.clone()

    def forward(self, x):
        return x + self.weight[None, :, None, None] * self.noise


class RefStyleMod(nn.Module):
    def __init__(self, w_dim, c):
        super().__init__()
        self.lin = RefLinear(w_dim, 2 * c, gain=1.0)

    def forward(self, x, w):
        s = self.lin(w).view(w.shape[0], 2, x.shape[1], 1, 1)
        return x * (s[:, 0] + 1.0) + s[:, 1]


class RefEpilogue(nn.Module):
    def __init__(self, c, w_dim, noise_buffer):
        super().__init__()
        self.top_epi = nn.Sequential(OrderedDict([
            ("noise", RefNoise(c, noise_buffer)), ("activation", nn.LeakyReLU(0.2)),
            ("instance_norm", nn.InstanceNorm2d(c))]))
        self.style_mod = RefStyleMod(w_dim, c)

    def forward(self, x, w):
        return self.style_mod(self.top_epi(x), w)


class RefInputBlock(nn.Module):
    def __init__(self, c, w_dim, nb):
        super().__init__()
        self.const = nn.Parameter(torch.randn(1, c, 4, 4))
        self.bias = nn.Parameter(torch.randn(c) * 0.1)
        self.epi1 = RefEpilogue(c, w_dim, nb)
        self.conv = RefConv(c, c, 3, SQRT2)
        self.epi2 = RefEpilogue(c, w_dim, nb)

    def forward(self, ws):
        x = self.const.repeat(ws.shape[0], 1, 1, 1) + self.bias[None, :, None, None]
        raw = self.conv(self.epi1(x, ws[:, 0]))
        return self.epi2(raw, ws[:, 1]), raw


class RefBlock(nn.Module):
    def __init__(self, cin, c, w_dim, nb):
        super().__init__()
        self.conv0_up = RefConv(cin, c, 3, SQRT2, upscale=True)
        self.epi1 = RefEpilogue(c, w_dim, nb)
        self.conv1 = RefConv(c, c, 3, SQRT2)
        self.epi2 = RefEpilogue(c, w_dim, nb)

    def forward(self, x, ws):
        raw = self.conv1(self.epi1(self.conv0_up(x), ws[:, 0]))
        return self.epi2(raw, ws[:, 1]), raw


class RefMapping(nn.Sequential):
    def __init__(self, z_dim, w_dim, layers=8):
        mods = [("pixel_norm", RefPixelNorm())]
        for i in range(layers):
            mods += [(f"dense{i}", RefLinear(z_dim if i == 0 else w_dim, w_dim, SQRT2, lrmul=0.01)),
                     (f"dense{i}_act", nn.LeakyReLU(0.2))]
        super().__init__(OrderedDict(mods))
        self.num_ws = None

    def forward(self, z):
        return super().forward(z).unsqueeze(1).expand(-1, self.num_ws, -1)


class RefPixelNorm(nn.Module):
    def forward(self, x):
        return x / torch.sqrt((x ** 2).mean(dim=1, keepdim=True) + 1e-8)


class RefTruncation(nn.Module):
    def __init__(self, avg_latent, max_layer, psi=0.7):
        super().__init__()
        self.register_buffer("avg_latent", avg_latent)
        self.max_layer, self.psi = max_layer, psi

    def forward(self, ws):
        trunc = self.avg_latent + self.psi * (ws - self.avg_latent)
        keep = (torch.arange(ws.shape[1]) < self.max_layer)[None, :, None]
        return torch.where(keep, trunc, ws)


class RefSynthesis(nn.Module):
    def __init__(self, blocks, w_dim, nb):
        super().__init__()
        mods, prev = [], None
        for res, c in blocks:
            mods.append((f"{res}x{res}", RefInputBlock(c, w_dim, nb) if prev is None else RefBlock(prev, c, w_dim, nb)))
            prev = c
        self.blocks = nn.ModuleDict(OrderedDict(mods))
        self.torgb = RefConv(prev, 3, 1, 1.0)

    def forward(self, ws):
        taps, x = [], None
        for i, block in enumerate(self.blocks.values()):
            pair = ws[:, 2 * i:2 * i + 2]
            x, raw = block(pair) if i == 0 else block(x, pair)
            taps += [x, raw]
        return self.torgb(x), taps


def make_reference(resolution=128, fmap_base=256, fmap_max=32, z_dim=32, w_dim=32, max_layer=7,
                   noise_seed=0, noise_in_checkpoint=False, seed=0):
    """Sequential(g_mapping, truncation, g_synthesis) with random weights and const noise set."""
    torch.manual_seed(seed)
    blocks = datasetgan_block_channels(resolution, fmap_base, fmap_max)
    mapping = RefMapping(z_dim, w_dim)
    mapping.num_ws = 2 * len(blocks)
    synthesis = RefSynthesis(blocks, w_dim, noise_in_checkpoint)
    avg = mapping(torch.randn(256, z_dim))[:, 0].mean(0).detach() + 0.05 * torch.randn(w_dim)
    g_all = nn.Sequential(OrderedDict([("g_mapping", mapping), ("truncation", RefTruncation(avg, max_layer)),
                                       ("g_synthesis", synthesis)]))
    noise = make_const_noise([r for r, _ in blocks], noise_seed)
    if noise_in_checkpoint:  # a checkpoint's own noise: anything but the converter's seeded draw
        noise = [torch.randn_like(n) for n in noise]
    epis = [e for b in synthesis.blocks.values() for e in (b.epi1, b.epi2)]
    for e, n in zip(epis, noise):
        e.top_epi.noise.set_noise(n)
    return g_all.eval()


# ---------------------------------------------------------------- onnxruntime-node

def run_ort(tmp_path, jobs):
    """jobs: [(model_path, {input_name: np.ndarray})] → [{output_name: np.ndarray}] from onnxruntime-node."""
    if shutil.which("npx") is None or not os.path.isdir(os.path.join(REPO, "node_modules", "onnxruntime-node")):
        pytest.skip("node/npx or node_modules/onnxruntime-node is missing: cannot run the bundle in onnxruntime-node")
    spec = []
    for j, (model, inputs) in enumerate(jobs):
        ins = {}
        for name, arr in inputs.items():
            f = tmp_path / f"job{j}_{name}.f32"
            np.ascontiguousarray(arr, dtype="<f4").tofile(f)
            ins[name] = {"shape": list(arr.shape), "file": str(f)}
        spec.append({"model": str(model), "inputs": ins, "outDir": str(tmp_path / f"out{j}")})
    (tmp_path / "jobs.json").write_text(json.dumps(spec))
    proc = subprocess.run(["npx", "tsx", RUNNER, str(tmp_path / "jobs.json")], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    results = []
    for s in spec:
        listing = json.loads(open(os.path.join(s["outDir"], "outputs.json")).read())
        results.append({n: np.fromfile(t["file"], dtype="<f4").reshape(t["shape"]) for n, t in listing.items()})
    return results


def truncate(w, manifest, psi):
    """The runtime's truncation (docs/model-bundle.md) from the manifest's wAvg and cutoff."""
    w_avg = np.asarray(manifest["wAvg"], dtype=np.float32)
    ws = np.repeat(w[:, None, :], manifest["numWs"], axis=1)
    c = manifest["truncationCutoff"]
    ws[:, :c] = w_avg + np.float32(psi) * (ws[:, :c] - w_avg)
    return ws


@pytest.mark.parametrize("noise_in_checkpoint", [False, True])
def test_bundle_matches_datasetgan_forward_at_batch_1_and_3(tmp_path, noise_in_checkpoint):
    g_all = make_reference(noise_seed=5, noise_in_checkpoint=noise_in_checkpoint)
    ckpt = tmp_path / "tiny-128.for_g_all.pt"
    torch.save(g_all.state_dict(), ckpt)
    manifest = convert_stylegan1(str(ckpt), str(tmp_path / "bundle"), noise_seed=5)

    assert manifest["truncationCutoff"] == 7 and manifest["numWs"] == 12 and manifest["resolution"] == 128
    np.testing.assert_array_equal(np.asarray(manifest["wAvg"], np.float32), g_all.truncation.avg_latent.numpy())
    assert [(f["resolution"], f["channels"]) for f in manifest["features"]] == \
        [(r, c) for r, c in datasetgan_block_channels(128, 256, 32) for _ in range(2)]

    # The graph holds the weights and one noise map per layer, nothing folded to [C, R, R] constants.
    weight_bytes = 4 * sum(v.numel() for k, v in g_all.state_dict().items() if k.startswith("g_synthesis."))
    noise_bytes = 4 * sum(2 * r * r for r, _ in datasetgan_block_channels(128))
    assert os.path.getsize(tmp_path / "bundle" / "synthesis.onnx") < 1.1 * (weight_bytes + noise_bytes) + 100_000

    zs = {b: torch.randn(b, 32, generator=torch.Generator().manual_seed(b)) for b in (1, 3)}
    maps = run_ort(tmp_path, [(tmp_path / "bundle" / "mapping.onnx", {"z": zs[b].numpy()}) for b in (1, 3)])
    ws = {b: truncate(m["w"], manifest, 0.7) for b, m in zip((1, 3), maps)}
    synths = run_ort(tmp_path, [(tmp_path / "bundle" / "synthesis.onnx", {"ws": ws[b]}) for b in (1, 3)])

    for b, m, s in zip((1, 3), maps, synths):
        with torch.no_grad():
            ref_w = g_all.g_mapping(zs[b])
            ref_image, ref_taps = g_all.g_synthesis(g_all.truncation(ref_w))
        assert np.abs(m["w"] - ref_w[:, 0].numpy()).max() < 1e-4
        assert s["image"].shape == (b, 3, 128, 128)
        assert np.abs(s["image"] - ref_image.numpy()).max() < 1e-4
        assert len(ref_taps) == len(manifest["features"]) == 12
        for f, ref in zip(manifest["features"], ref_taps):
            got = s[f["name"]]
            assert got.shape == (b, f["channels"], f["resolution"], f["resolution"])
            # float32 sums in another order (thread count, kernels): the error scales with the map's size.
            err = np.abs(got - ref.numpy()).max()
            assert err <= 1e-4 * max(1.0, np.abs(ref.numpy()).max()), f"{f['name']} differs by {err} at batch {b}"
        # The taps carry signal (a wiring mistake that zeroes a map would otherwise pass on small values).
        assert all(np.abs(s[f["name"]]).max() > 0.1 for f in manifest["features"])


@pytest.mark.skipif(not os.environ.get("DGS_SLOW_TESTS"), reason="full-size check (~2.5 min on 2 cores): set DGS_SLOW_TESTS=1")
@pytest.mark.parametrize("resolution", [256, 1024])
def test_full_size_datasetgan_shapes_match_in_onnxruntime(tmp_path, resolution):
    """DatasetGAN's real shapes (z = w = 512, 8 mapping layers, fmap_base 8192) with random weights."""
    cutoff = 7 if resolution <= 256 else 8
    g_all = make_reference(resolution, fmap_base=8192, fmap_max=512, z_dim=512, w_dim=512, max_layer=cutoff)
    torch.save(g_all.state_dict(), tmp_path / "g.for_g_all.pt")
    manifest = convert_stylegan1(str(tmp_path / "g.for_g_all.pt"), str(tmp_path / "b"))
    assert sum(f["channels"] for f in manifest["features"]) == {256: 4992, 1024: 5088}[resolution]
    z = torch.randn(1, 512, generator=torch.Generator().manual_seed(7))
    (m,) = run_ort(tmp_path, [(tmp_path / "b" / "mapping.onnx", {"z": z.numpy()})])
    (s,) = run_ort(tmp_path, [(tmp_path / "b" / "synthesis.onnx", {"ws": truncate(m["w"], manifest, 0.7)})])
    with torch.no_grad():
        image, taps = g_all.g_synthesis(g_all.truncation(g_all.g_mapping(z)))
    # Sums over 512·9 inputs in a different order: compare relative to each map's magnitude.
    for name, ref in [("image", image)] + [(f["name"], t) for f, t in zip(manifest["features"], taps)]:
        ref = ref.numpy()
        assert np.abs(s[name] - ref).max() <= 1e-4 * max(1.0, np.abs(ref).max()), name

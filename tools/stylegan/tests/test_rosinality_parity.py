"""rosinality converter: a random generator in rosinality's own key layout, saved as its .pt checkpoints,
converted, run in onnxruntime-node and compared with a reference forward written here from
rosinality/stylegan2-pytorch model.py semantics (fused grouped modconv, upfirdn2d by zero insertion)."""
import argparse
import json
import math
import os

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from ort_runner import run_in_ort
from rosinality import convert_rosinality
from safe_load import load_torch_file

STYLE_DIM, N_MLP, SIZE = 32, 3, 32
CHANNELS = {4: 32, 8: 32, 16: 16, 32: 16}


def make_kernel(k):
    k = torch.tensor(k, dtype=torch.float32)
    k = k[None, :] * k[:, None]
    return k / k.sum()


def upfirdn2d_ref(x, kernel, up=1, pad=(0, 0)):
    b, c, h, w = x.shape
    if up > 1:
        x = F.pad(x.reshape(b, c, h, 1, w, 1), [0, up - 1, 0, 0, 0, up - 1]).reshape(b, c, h * up, w * up)
    x = F.pad(x, [pad[0], pad[1], pad[0], pad[1]])
    return F.conv2d(x, torch.flip(kernel, [0, 1])[None, None].repeat(c, 1, 1, 1), groups=c)


class EqualLinear(nn.Module):
    def __init__(self, i, o, bias_init=0.0, lr_mul=1.0, activation=False):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(o, i) / lr_mul)
        self.bias = nn.Parameter(torch.full([o], float(bias_init)))
        self.scale, self.lr_mul, self.activation = lr_mul / math.sqrt(i), lr_mul, activation

    def forward(self, x):
        out = F.linear(x, self.weight * self.scale)
        out = out + self.bias * self.lr_mul
        return F.leaky_relu(out, 0.2) * math.sqrt(2) if self.activation else out


class Blur(nn.Module):
    def __init__(self, pad, factor):
        super().__init__()
        self.register_buffer('kernel', make_kernel([1, 3, 3, 1]) * factor ** 2)
        self.pad = pad

    def forward(self, x):
        return upfirdn2d_ref(x, self.kernel, pad=self.pad)


class ModulatedConv2d(nn.Module):
    def __init__(self, i, o, k, upsample=False, demodulate=True):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(1, o, i, k, k))
        self.modulation = EqualLinear(STYLE_DIM, i, bias_init=1)
        self.scale, self.upsample, self.demodulate, self.padding = 1 / math.sqrt(i * k * k), upsample, demodulate, k // 2
        if upsample:
            p = (4 - 2) - (k - 1)
            self.blur = Blur(((p + 1) // 2 + 1, p // 2 + 1), 2)

    def forward(self, x, style):  # the fused path: one grouped conv over the batch
        b, i, h, w = x.shape
        weight = self.scale * self.weight * self.modulation(style).view(b, 1, i, 1, 1)
        if self.demodulate:
            weight = weight * torch.rsqrt(weight.pow(2).sum([2, 3, 4]) + 1e-8).view(b, -1, 1, 1, 1)
        o, k = weight.shape[1], weight.shape[-1]
        if self.upsample:
            weight = weight.transpose(1, 2).reshape(b * i, o, k, k)
            out = F.conv_transpose2d(x.reshape(1, b * i, h, w), weight, stride=2, groups=b)
            return self.blur(out.reshape(b, o, out.shape[-2], out.shape[-1]))
        out = F.conv2d(x.reshape(1, b * i, h, w), weight.reshape(b * o, i, k, k), padding=self.padding, groups=b)
        return out.reshape(b, o, h, w)


class NoiseInjection(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1))

    def forward(self, x, noise):
        return x + self.weight * noise


class FusedLeakyReLU(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(c))

    def forward(self, x):
        return F.leaky_relu(x + self.bias.view(1, -1, 1, 1), 0.2) * math.sqrt(2)


class StyledConv(nn.Module):
    def __init__(self, i, o, upsample=False):
        super().__init__()
        self.conv = ModulatedConv2d(i, o, 3, upsample=upsample)
        self.noise = NoiseInjection()
        self.activate = FusedLeakyReLU(o)

    def forward(self, x, style, noise):
        return self.activate(self.noise(self.conv(x, style), noise))


class Upsample(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer('kernel', make_kernel([1, 3, 3, 1]) * 4)

    def forward(self, x):
        return upfirdn2d_ref(x, self.kernel, up=2, pad=(2, 1))


class ToRGB(nn.Module):
    def __init__(self, i, upsample=True):
        super().__init__()
        if upsample:
            self.upsample = Upsample()
        self.conv = ModulatedConv2d(i, 3, 1, demodulate=False)
        self.bias = nn.Parameter(torch.zeros(1, 3, 1, 1))

    def forward(self, x, style, skip=None):
        out = self.conv(x, style) + self.bias
        return out if skip is None else out + self.upsample(skip)


class ConstantInput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.input = nn.Parameter(torch.randn(1, c, 4, 4))


class PixelNorm(nn.Module):
    def forward(self, x):
        return x * torch.rsqrt(torch.mean(x ** 2, dim=1, keepdim=True) + 1e-8)


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.style = nn.Sequential(PixelNorm(), *[EqualLinear(STYLE_DIM, STYLE_DIM, lr_mul=0.01, activation=True) for _ in range(N_MLP)])
        self.input = ConstantInput(CHANNELS[4])
        self.conv1 = StyledConv(CHANNELS[4], CHANNELS[4])
        self.to_rgb1 = ToRGB(CHANNELS[4], upsample=False)
        self.log_size = int(math.log2(SIZE))
        self.num_layers = (self.log_size - 2) * 2 + 1
        self.convs, self.to_rgbs, self.noises = nn.ModuleList(), nn.ModuleList(), nn.Module()
        for idx in range(self.num_layers):
            r = 2 ** ((idx + 5) // 2)
            self.noises.register_buffer(f'noise_{idx}', torch.randn(1, 1, r, r))
        in_ch = CHANNELS[4]
        for i in range(3, self.log_size + 1):
            out_ch = CHANNELS[2 ** i]
            self.convs.append(StyledConv(in_ch, out_ch, upsample=True))
            self.convs.append(StyledConv(out_ch, out_ch))
            self.to_rgbs.append(ToRGB(out_ch))
            in_ch = out_ch

    def forward(self, latent):
        """latent [B, n_latent, D] -> (image, [const, every StyledConv output]) with randomize_noise=False."""
        noise = [getattr(self.noises, f'noise_{i}') for i in range(self.num_layers)]
        out = self.input.input.repeat(latent.shape[0], 1, 1, 1)
        feats = [out]
        out = self.conv1(out, latent[:, 0], noise[0])
        feats.append(out)
        skip = self.to_rgb1(out, latent[:, 1])
        i = 1
        for c1, c2, n1, n2, rgb in zip(self.convs[::2], self.convs[1::2], noise[1::2], noise[2::2], self.to_rgbs):
            out = c1(out, latent[:, i], n1)
            feats.append(out)
            out = c2(out, latent[:, i + 1], n2)
            feats.append(out)
            skip = rgb(out, latent[:, i + 2], skip)
            i += 2
        return skip, feats


def random_generator(seed):
    torch.manual_seed(seed)
    g = Generator().eval()
    with torch.no_grad():  # trained networks have non-zero biases and noise strengths
        for name, p in g.named_parameters():
            if name.endswith('noise.weight') or name.endswith('activate.bias') or name.endswith('to_rgb1.bias') or '.bias' in name and 'to_rgbs' in name:
                p.copy_(0.2 * torch.randn_like(p))
            elif name.endswith('modulation.bias'):
                p.add_(0.1 * torch.randn_like(p))
            elif name.startswith('style.') and name.endswith('bias'):
                p.copy_(torch.randn_like(p))  # lr_mul 0.01 stores biases 100x
    return g


def compare(bundle, g, tmp_path):
    with open(os.path.join(bundle, 'manifest.json')) as fh:
        manifest = json.load(fh)
    gen = torch.Generator().manual_seed(3)
    cases = [(torch.randn(b, STYLE_DIM, generator=gen), torch.randn(b, manifest['numWs'], STYLE_DIM, generator=gen)) for b in (1, 3)]
    results = run_in_ort(bundle, [(z.numpy(), ws.numpy()) for z, ws in cases], str(tmp_path))
    for (z, ws), got in zip(cases, results):
        with torch.no_grad():
            w = g.style(z)
            image, feats = g(ws)
        assert np.abs(got['mapping.w'] - w.numpy()).max() < 1e-4
        assert np.abs(got['synthesis.image'] - image.numpy()).max() < 1e-4
        assert len(feats) == len(manifest['features'])
        for f, ref in zip(manifest['features'], feats):
            out = got[f'synthesis.{f["name"]}']
            assert out.shape == tuple(ref.shape) == (z.shape[0], f['channels'], f['resolution'], f['resolution'])
            assert np.abs(out - ref.numpy()).max() < 1e-4, f['name']
    return manifest


def test_convert_weight_checkpoint_matches_reference(tmp_path):
    g = random_generator(1)
    latent_avg = torch.randn(STYLE_DIM)
    ckpt = tmp_path / 'converted.pt'
    torch.save({'g_ema': g.state_dict(), 'latent_avg': latent_avg}, ckpt)
    bundle = str(tmp_path / 'bundle')
    convert_rosinality(str(ckpt), bundle)
    manifest = compare(bundle, g, tmp_path)
    assert manifest['architecture'] == 'stylegan2' and manifest['resolution'] == SIZE and manifest['numWs'] == 8
    assert manifest['truncationCutoff'] == 8
    np.testing.assert_allclose(manifest['wAvg'], latent_avg.numpy(), atol=1e-7)
    assert [(f['name'], f['channels']) for f in manifest['features'][:4]] == [
        ('f00_4_const', 32), ('f01_4_conv1', 32), ('f02_8_conv0', 32), ('f03_8_conv1', 32)]
    assert [f['layer'] for f in manifest['features'][:3]] == ['input', 'conv1', 'convs.0']


def test_train_checkpoint_without_latent_avg_gets_computed_w_avg(tmp_path):
    g = random_generator(2)
    ckpt = tmp_path / '010000.pt'
    torch.save({'g': g.state_dict(), 'g_ema': g.state_dict(), 'args': argparse.Namespace(size=SIZE), 'ada_aug_p': 0.1}, ckpt)
    assert isinstance(load_torch_file(str(ckpt))['args'].size, int)
    bundle = str(tmp_path / 'bundle')
    manifest = convert_rosinality(str(ckpt), bundle, w_avg_samples=4000, w_avg_seed=5)
    with torch.no_grad():
        expected = g.style(torch.randn(4000, STYLE_DIM, generator=torch.Generator().manual_seed(5))).mean(0)
    np.testing.assert_allclose(manifest['wAvg'], expected.numpy(), atol=1e-5)
    assert 'latent_avg' in manifest['source']['notes']


def test_not_a_rosinality_checkpoint_is_refused(tmp_path):
    from bundle_writer import BundleError
    ckpt = tmp_path / 'other.pt'
    torch.save({'g_ema': {'foo.weight': torch.zeros(2)}}, ckpt)
    with pytest.raises(BundleError, match='not a rosinality'):
        convert_rosinality(str(ckpt), str(tmp_path / 'b'))


def test_missing_noise_buffers_get_seeded_standard_normal_maps():
    from rosinality import rosinality_modules
    sd = {k: v for k, v in random_generator(3).state_dict().items() if not k.startswith('noises.')}
    _, spec, _, notes = rosinality_modules(sd, noise_seed=4)
    assert any('noise buffers [0, 1, 2, 3, 4, 5, 6] missing' in n for n in notes)
    gen = torch.Generator().manual_seed(4)
    for i, conv in enumerate(spec.convs):
        res = 4 * 2 ** ((i + 1) // 2)
        strength = sd[f'{conv.name}.noise.weight'][0]
        assert torch.allclose(conv.noise, torch.randn(1, 1, res, res, generator=gen)[0, 0] * strength)

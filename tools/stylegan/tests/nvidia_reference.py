"""A small reference of NVIDIA stylegan2-ada-pytorch's generator (training/networks.py semantics) for tests.

Written from the documented semantics, in NVIDIA's module names and attributes, with the paths NVIDIA
runs by default in eval/fp32: the *fused* modulated conv (one grouped conv over the batch) and the
generic conv2d_resample path (zero-insertion upsampling + FIR, then a flipped-weight conv). The
converter exports a different decomposition (non-fused, transposed conv then FIR), so agreement is a
real check. `persistence_pickle` writes these modules the way torch_utils.persistence does: every
module pickles as `torch_utils.persistence._reconstruct_persistent_obj(meta)` with its class source and
its __dict__ as state, inside a dict with G / D / G_ema like network-snapshot-*.pkl files.
"""
import math
import pickle
import sys
import types

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

_FAKE_SOURCE = '# stand-in for training/networks.py: a converter must never execute this\nraise SystemExit("executed")\n'


def setup_filter(taps=(1, 3, 3, 1)):
    f = torch.tensor(taps, dtype=torch.float32)
    f = f.outer(f)
    return f / f.sum()


def upfirdn2d(x, f, up=1, padding=(0, 0, 0, 0), gain=1.0):
    b, c, h, w = x.shape
    if up > 1:
        x = F.pad(x.reshape(b, c, h, 1, w, 1), [0, up - 1, 0, 0, 0, up - 1]).reshape(b, c, h * up, w * up)
    px0, px1, py0, py1 = padding
    x = F.pad(x, [px0, px1, py0, py1])
    f = (f * gain ** (f.ndim / 2)).flip([0, 1])  # flip_filter=False: true convolution
    return F.conv2d(x, f[None, None].repeat(c, 1, 1, 1), groups=c)


def bias_act(x, b, act_gain=1.0, lrelu=False, clamp=None):
    x = x + b.reshape([1, -1] + [1] * (x.dim() - 2))
    if lrelu:
        x = F.leaky_relu(x, 0.2)
    x = x * act_gain
    return x if clamp is None else x.clamp(-clamp, clamp)


class Persistent(nn.Module):
    """Pickles like a torch_utils.persistence.persistent_class instance."""

    def __reduce__(self):
        meta = dict(type='class', version=4, module_src=_FAKE_SOURCE, class_name=type(self).__name__, state=dict(self.__dict__))
        return (sys.modules['torch_utils.persistence']._reconstruct_persistent_obj, (meta,))


class FullyConnectedLayer(Persistent):
    def __init__(self, i, o, activation='linear', lr_multiplier=1.0, bias_init=0.0):
        super().__init__()
        self.activation = activation
        self.weight = nn.Parameter(torch.randn([o, i]) / lr_multiplier)
        self.bias = nn.Parameter(torch.full([o], np.float32(bias_init)))
        self.weight_gain = lr_multiplier / np.sqrt(i)
        self.bias_gain = lr_multiplier

    def forward(self, x):
        w = self.weight * float(self.weight_gain)
        b = self.bias * self.bias_gain
        if self.activation == 'linear':
            return torch.addmm(b.unsqueeze(0), x, w.t())
        return bias_act(x.matmul(w.t()), b, act_gain=math.sqrt(2), lrelu=True)


class MappingNetwork(Persistent):
    def __init__(self, z_dim, w_dim, num_ws, num_layers):
        super().__init__()
        self.z_dim, self.c_dim, self.w_dim, self.num_ws, self.num_layers, self.w_avg_beta = z_dim, 0, w_dim, num_ws, num_layers, 0.995
        feats = [z_dim] + [w_dim] * num_layers
        for idx in range(num_layers):
            setattr(self, f'fc{idx}', FullyConnectedLayer(feats[idx], feats[idx + 1], activation='lrelu', lr_multiplier=0.01))
        self.register_buffer('w_avg', torch.zeros([w_dim]))

    def forward(self, z):
        x = z * (z.square().mean(dim=1, keepdim=True) + 1e-8).rsqrt()
        for idx in range(self.num_layers):
            x = getattr(self, f'fc{idx}')(x)
        return x


def modulated_conv2d_fused(x, weight, styles, demodulate, up, padding, f, flip_weight):
    b = x.shape[0]
    o, i, kh, kw = weight.shape
    w = weight.unsqueeze(0) * styles.reshape(b, 1, -1, 1, 1)
    if demodulate:
        w = w * (w.square().sum(dim=[2, 3, 4]) + 1e-8).rsqrt().reshape(b, -1, 1, 1, 1)
    x = x.reshape(1, -1, *x.shape[2:])
    w = w.reshape(-1, i, kh, kw)
    if up > 1:  # conv2d_resample's generic path: upfirdn2d(up) then a convolution (flipped weight)
        px0, px1 = padding + (f.shape[1] + up - 1) // 2, padding + (f.shape[1] - up) // 2
        x = upfirdn2d(x, f, up=up, padding=(px0, px1, px0, px1), gain=up ** 2)
        x = F.conv2d(x, w if flip_weight else w.flip([2, 3]), groups=b)
    else:
        x = F.conv2d(x, w, padding=padding, groups=b)
    return x.reshape(b, -1, *x.shape[2:])


class SynthesisLayer(Persistent):
    def __init__(self, i, o, w_dim, resolution, up=1, conv_clamp=None):
        super().__init__()
        self.resolution, self.up, self.use_noise, self.activation, self.conv_clamp = resolution, up, True, 'lrelu', conv_clamp
        self.register_buffer('resample_filter', setup_filter())
        self.padding = 1
        self.act_gain = np.sqrt(2)
        self.affine = FullyConnectedLayer(w_dim, i, bias_init=1)
        self.weight = nn.Parameter(torch.randn([o, i, 3, 3]))
        self.register_buffer('noise_const', torch.randn([resolution, resolution]))
        self.noise_strength = nn.Parameter(torch.zeros([]))
        self.bias = nn.Parameter(torch.zeros([o]))

    def forward(self, x, w):
        x = modulated_conv2d_fused(x, self.weight, self.affine(w), True, self.up, self.padding, self.resample_filter,
                                   flip_weight=(self.up == 1))
        x = x + self.noise_const * self.noise_strength  # noise_mode='const'
        return bias_act(x, self.bias, act_gain=float(self.act_gain), lrelu=True, clamp=self.conv_clamp)


class ToRGBLayer(Persistent):
    def __init__(self, i, w_dim, conv_clamp=None):
        super().__init__()
        self.conv_clamp = conv_clamp
        self.affine = FullyConnectedLayer(w_dim, i, bias_init=1)
        self.weight = nn.Parameter(torch.randn([3, i, 1, 1]))
        self.bias = nn.Parameter(torch.zeros([3]))
        self.weight_gain = 1 / np.sqrt(i)

    def forward(self, x, w):
        styles = self.affine(w) * float(self.weight_gain)
        x = modulated_conv2d_fused(x, self.weight, styles, False, 1, 0, None, True)
        return bias_act(x, self.bias, clamp=self.conv_clamp)


class SynthesisBlock(Persistent):
    def __init__(self, i, o, w_dim, resolution, is_last, conv_clamp):
        super().__init__()
        self.in_channels, self.w_dim, self.resolution, self.img_channels, self.is_last = i, w_dim, resolution, 3, is_last
        self.architecture, self.use_fp16, self.channels_last = 'skip', False, False
        self.register_buffer('resample_filter', setup_filter())
        self.num_conv, self.num_torgb = 0, 0
        if i == 0:
            self.const = nn.Parameter(torch.randn([o, resolution, resolution]))
        else:
            self.conv0 = SynthesisLayer(i, o, w_dim, resolution, up=2, conv_clamp=conv_clamp)
            self.num_conv += 1
        self.conv1 = SynthesisLayer(o, o, w_dim, resolution, conv_clamp=conv_clamp)
        self.num_conv += 1
        self.torgb = ToRGBLayer(o, w_dim, conv_clamp=conv_clamp)
        self.num_torgb += 1

    def forward(self, x, img, ws, feats):
        w_iter = iter(ws.unbind(dim=1))
        if self.in_channels == 0:
            x = self.const.unsqueeze(0).repeat([ws.shape[0], 1, 1, 1])
            feats.append(x)
        else:
            x = self.conv0(x, next(w_iter))
            feats.append(x)
        x = self.conv1(x, next(w_iter))
        feats.append(x)
        if img is not None:
            img = upfirdn2d(img, self.resample_filter, up=2, padding=(2, 1, 2, 1), gain=4)
        y = self.torgb(x, next(w_iter))
        return x, (y if img is None else img + y)


class SynthesisNetwork(Persistent):
    def __init__(self, w_dim, img_resolution, channel_base, channel_max, conv_clamp):
        super().__init__()
        self.w_dim, self.img_resolution = w_dim, img_resolution
        self.block_resolutions = [2 ** i for i in range(2, int(np.log2(img_resolution)) + 1)]
        ch = {r: min(channel_base // r, channel_max) for r in self.block_resolutions}
        self.num_ws = 0
        for r in self.block_resolutions:
            block = SynthesisBlock(ch[r // 2] if r > 4 else 0, ch[r], w_dim, r, r == img_resolution, conv_clamp)
            self.num_ws += block.num_conv + (block.num_torgb if r == img_resolution else 0)
            setattr(self, f'b{r}', block)

    def forward(self, ws):
        """-> (image, [b4.const, b4.conv1, b8.conv0, b8.conv1, ...])"""
        x = img = None
        feats = []
        w_idx = 0
        for r in self.block_resolutions:
            block = getattr(self, f'b{r}')
            x, img = block(x, img, ws.narrow(1, w_idx, block.num_conv + block.num_torgb), feats)
            w_idx += block.num_conv
        return img, feats


class Generator(Persistent):
    def __init__(self, z_dim=32, w_dim=32, img_resolution=32, channel_base=512, channel_max=32, map_layers=2, conv_clamp=None):
        super().__init__()
        self.z_dim, self.c_dim, self.w_dim, self.img_resolution, self.img_channels = z_dim, 0, w_dim, img_resolution, 3
        self.synthesis = SynthesisNetwork(w_dim, img_resolution, channel_base, channel_max, conv_clamp)
        self.num_ws = self.synthesis.num_ws
        self.mapping = MappingNetwork(z_dim, w_dim, self.num_ws, map_layers)
        self._init_args = ()
        self._init_kwargs = sys.modules['dnnlib'].EasyDict(z_dim=z_dim, c_dim=0, w_dim=w_dim, img_resolution=img_resolution,
                                                          img_channels=3, mapping_kwargs=sys.modules['dnnlib'].EasyDict(num_layers=map_layers))


def install_fake_nvidia_modules(monkeypatch):
    """Fake `torch_utils.persistence` and `dnnlib` modules so pickle writes NVIDIA's global names."""
    tu = types.ModuleType('torch_utils')
    persistence = types.ModuleType('torch_utils.persistence')

    def _reconstruct_persistent_obj(meta):  # what NVIDIA's loader would run; our converter must not
        raise AssertionError('the real reconstruction must never be called by the converter')

    _reconstruct_persistent_obj.__module__ = 'torch_utils.persistence'
    _reconstruct_persistent_obj.__qualname__ = '_reconstruct_persistent_obj'
    persistence._reconstruct_persistent_obj = _reconstruct_persistent_obj
    tu.persistence = persistence
    dnnlib = types.ModuleType('dnnlib')
    dnnlib_util = types.ModuleType('dnnlib.util')

    class EasyDict(dict):
        pass

    EasyDict.__module__ = 'dnnlib.util'
    EasyDict.__qualname__ = 'EasyDict'
    dnnlib_util.EasyDict = EasyDict
    dnnlib.EasyDict = EasyDict
    dnnlib.util = dnnlib_util
    for name, mod in [('torch_utils', tu), ('torch_utils.persistence', persistence), ('dnnlib', dnnlib), ('dnnlib.util', dnnlib_util)]:
        monkeypatch.setitem(sys.modules, name, mod)


def randomize(g, seed):
    """Trained-looking values for the parts a fresh init leaves at 0 or 1 (biases, noise strengths, w_avg)."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in g.named_parameters():
            if name.endswith('noise_strength') or (name.endswith('.bias') and 'affine' not in name and 'mapping' not in name):
                p.copy_(0.2 * torch.randn(p.shape, generator=gen))
            elif name.endswith('affine.bias'):
                p.add_(0.1 * torch.randn(p.shape, generator=gen))
            elif name.startswith('mapping.') and name.endswith('bias'):
                p.copy_(torch.randn(p.shape, generator=gen))
        g.mapping.w_avg.copy_(torch.randn(g.w_dim, generator=gen))
    return g.eval()


def write_network_pkl(path, g_ema, protocol=pickle.DEFAULT_PROTOCOL):
    """A network-snapshot-style pickle: dict(G, D, G_ema, augment_pipe, training_set_kwargs)."""
    data = dict(G=g_ema, D=None, G_ema=g_ema, augment_pipe=None,
                training_set_kwargs=sys.modules['dnnlib'].EasyDict(resolution=g_ema.img_resolution, use_labels=False))
    with open(path, 'wb') as fh:
        pickle.dump(data, fh, protocol=protocol)

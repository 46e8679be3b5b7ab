"""Write a DatasetGAN Studio model bundle (docs/model-bundle.md) from two PyTorch modules.

A bundle is a folder with manifest.json, mapping.onnx (z -> w) and synthesis.onnx (ws -> image and
every feature map). Converters build plain-torch mapping/synthesis modules and hand them to
`write_bundle`, which exports both graphs, checks them against the manifest and writes the folder.

Public API:
    write_bundle(out_dir, mapping, synthesis, manifest, example_z, example_ws) -> dict (final manifest)
    compute_w_avg(mapping, z_dim, n=10000, seed=0) -> list[float]
    validate_manifest(manifest) -> None (raises BundleError)
    bundle_sha256(bundle_dir) -> str (hex)
    feature_name(index, res, what) -> str, e.g. "f01_4_conv1"
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import struct
import warnings
from typing import Any, Dict, List, Sequence

import onnx
import torch
from torch import nn

BUNDLE_FORMAT = 'dgs-model-bundle'
BUNDLE_FORMAT_VERSION = 1
BUNDLE_FILES = ('manifest.json', 'mapping.onnx', 'synthesis.onnx')
OPSET = 17

DEFAULT_GRAPHS = {
    'mapping': {'file': 'mapping.onnx', 'input': 'z', 'output': 'w'},
    'synthesis': {'file': 'synthesis.onnx', 'input': 'ws', 'imageOutput': 'image'},
}

_FEATURE_NAME_RE = re.compile(r'^[A-Za-z0-9_.:-]+$')


class BundleError(Exception):
    """A problem with the bundle or the checkpoint the user can act on; the message is one sentence."""


def feature_name(index: int, res: int, what: str) -> str:
    """The feature-map output naming convention shared by all converters: f{index:02d}_{res}_{what}."""
    return f'f{index:02d}_{res}_{what}'


def _is_pos_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v > 0


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def validate_manifest(m: Dict[str, Any]) -> None:
    """Check a manifest against the rules of src/shared/bundle-manifest.ts; raise BundleError listing all problems."""
    problems: List[str] = []

    def need(cond: bool, msg: str) -> None:
        if not cond:
            problems.append(msg)

    need(m.get('format') == BUNDLE_FORMAT, f'format must be "{BUNDLE_FORMAT}"')
    need(m.get('formatVersion') == BUNDLE_FORMAT_VERSION, f'formatVersion must be {BUNDLE_FORMAT_VERSION}')
    for key in ('name', 'architecture'):
        need(isinstance(m.get(key), str) and len(m[key]) > 0, f'{key} must be a non-empty string')
    if 'description' in m:
        need(isinstance(m['description'], str), 'description must be a string')
    if 'source' in m:
        src = m['source']
        need(isinstance(src, dict) and all(isinstance(src.get(k, ''), str) for k in ('checkpoint', 'converter', 'notes')),
             'source must be an object of strings (checkpoint, converter, notes)')
    for key in ('resolution', 'zDim', 'wDim', 'numWs', 'truncationCutoff'):
        need(_is_pos_int(m.get(key)), f'{key} must be a positive integer')
    need(m.get('imageChannels') == 3, 'imageChannels must be 3')
    w_avg = m.get('wAvg')
    need(isinstance(w_avg, list) and all(_is_number(v) for v in w_avg), 'wAvg must be a list of numbers')
    if isinstance(w_avg, list) and _is_pos_int(m.get('wDim')):
        need(len(w_avg) == m['wDim'], f'wAvg has {len(w_avg)} values but wDim is {m["wDim"]}')
    if _is_pos_int(m.get('truncationCutoff')) and _is_pos_int(m.get('numWs')):
        need(m['truncationCutoff'] <= m['numWs'], f'truncationCutoff {m["truncationCutoff"]} exceeds numWs {m["numWs"]}')
    psi = m.get('defaultPsi', 0.7)
    need(_is_number(psi) and 0 <= psi <= 2, 'defaultPsi must be a number in [0, 2]')
    rng = m.get('imageRange')
    ok_range = isinstance(rng, list) and len(rng) == 2 and all(_is_number(v) for v in rng)
    need(ok_range, 'imageRange must be [low, high]')
    if ok_range:
        need(rng[1] > rng[0], 'imageRange must be [low, high] with high > low')
    need(m.get('noise') == 'const', 'noise must be "const"')
    graphs = m.get('graphs')
    if not isinstance(graphs, dict):
        problems.append('graphs must be an object')
    else:
        mp, sy = graphs.get('mapping'), graphs.get('synthesis')
        need(isinstance(mp, dict) and mp.get('file') == 'mapping.onnx'
             and isinstance(mp.get('input'), str) and isinstance(mp.get('output'), str),
             'graphs.mapping must be {file: "mapping.onnx", input, output}')
        need(isinstance(sy, dict) and sy.get('file') == 'synthesis.onnx'
             and isinstance(sy.get('input'), str) and isinstance(sy.get('imageOutput'), str),
             'graphs.synthesis must be {file: "synthesis.onnx", input, imageOutput}')
    feats = m.get('features')
    if not isinstance(feats, list) or len(feats) == 0:
        problems.append('features must be a non-empty list')
    else:
        seen = set()
        for i, f in enumerate(feats):
            if not isinstance(f, dict):
                problems.append(f'features[{i}] must be an object')
                continue
            name = f.get('name')
            need(isinstance(name, str) and bool(_FEATURE_NAME_RE.match(name)),
                 f'features[{i}].name must match [A-Za-z0-9_.:-]+')
            need(_is_pos_int(f.get('channels')), f'features[{i}].channels must be a positive integer')
            need(_is_pos_int(f.get('resolution')), f'features[{i}].resolution must be a positive integer')
            need(isinstance(f.get('layer'), str), f'features[{i}].layer must be a string')
            if name in seen:
                problems.append(f'feature name "{name}" appears twice')
            seen.add(name)
        if isinstance(graphs, dict) and isinstance(graphs.get('synthesis'), dict):
            img = graphs['synthesis'].get('imageOutput')
            need(img not in seen, f'feature name "{img}" is also the image output name')
    if problems:
        raise BundleError('The bundle manifest is invalid: ' + '; '.join(problems) + '.')


def _complete_manifest(manifest: Dict[str, Any]) -> Dict[str, Any]:
    """Fill the fields every bundle shares, in the field order of docs/model-bundle.md."""
    m = dict(manifest)
    m.setdefault('graphs', DEFAULT_GRAPHS)
    ordered_keys = ['format', 'formatVersion', 'name', 'architecture', 'description', 'source', 'resolution',
                    'imageChannels', 'zDim', 'wDim', 'numWs', 'wAvg', 'truncationCutoff', 'defaultPsi',
                    'imageRange', 'noise', 'graphs', 'features']
    defaults = {'format': BUNDLE_FORMAT, 'formatVersion': BUNDLE_FORMAT_VERSION, 'imageChannels': 3,
                'defaultPsi': 0.7, 'noise': 'const'}
    out: Dict[str, Any] = {}
    for k in ordered_keys:
        if k in m:
            out[k] = m[k]
        elif k in defaults:
            out[k] = defaults[k]
    for k in m:  # unknown extra keys go last (zod strips them; kept for people)
        if k not in out:
            out[k] = m[k]
    if 'wAvg' in out:
        out['wAvg'] = [float(v) for v in out['wAvg']]
    return out


def compute_w_avg(mapping: nn.Module, z_dim: int, n: int = 10000, seed: int = 0, chunk: int = 1000) -> List[float]:
    """Mean of mapping(z) over n standard-normal z (seeded): w_avg for checkpoints that do not store one."""
    gen = torch.Generator().manual_seed(seed)
    total = None
    done = 0
    with torch.no_grad():
        while done < n:
            b = min(chunk, n - done)
            z = torch.randn(b, z_dim, generator=gen)
            w = mapping(z).double().sum(dim=0)
            total = w if total is None else total + w
            done += b
    return [float(v) for v in (total / n).float()]


def bundle_sha256(bundle_dir: str) -> str:
    """The bundle id of docs/model-bundle.md: sha256 over (name, 0, u64le length, bytes) of the three files."""
    h = hashlib.sha256()
    for name in BUNDLE_FILES:
        with open(os.path.join(bundle_dir, name), 'rb') as fh:
            data = fh.read()
        h.update(name.encode('utf-8'))
        h.update(b'\x00')
        h.update(struct.pack('<Q', len(data)))
        h.update(data)
    return h.hexdigest()


def _export(module: nn.Module, example: torch.Tensor, input_name: str, output_names: Sequence[str]) -> bytes:
    buf = io.BytesIO()
    dynamic_axes = {input_name: {0: 'batch'}}
    for name in output_names:
        dynamic_axes[name] = {0: 'batch'}
    with torch.no_grad(), warnings.catch_warnings():
        # torch 1.13 warns about prim::Constant shape inference on every export; the shapes are checked below.
        warnings.filterwarnings('ignore', message='The shape inference of prim::Constant')
        torch.onnx.export(module, (example,), buf, opset_version=OPSET, do_constant_folding=True,
                          input_names=[input_name], output_names=list(output_names),
                          dynamic_axes=dynamic_axes, training=torch.onnx.TrainingMode.EVAL)
    return buf.getvalue()


def _declared_shapes(model: onnx.ModelProto) -> Dict[str, List[Any]]:
    """Output shapes as the graph declares them after shape inference: ints, or dim_param strings."""
    inferred = onnx.shape_inference.infer_shapes(model)
    shapes = {}
    for out in inferred.graph.output:
        dims = []
        for d in out.type.tensor_type.shape.dim:
            dims.append(d.dim_value if d.HasField('dim_value') else (d.dim_param or None))
        shapes[out.name] = dims
    return shapes


def _check_shape(what: str, declared: List[Any], actual: Sequence[int], expected: Sequence[int]) -> None:
    """expected excludes the batch axis; declared must have a symbolic batch axis and match where static."""
    if list(actual[1:]) != list(expected):
        raise BundleError(f'{what} has shape {list(actual[1:])} per sample in PyTorch but the manifest says {list(expected)}.')
    if len(declared) != len(expected) + 1:
        raise BundleError(f'{what} is declared with rank {len(declared)} in the ONNX graph, expected {len(expected) + 1}.')
    if isinstance(declared[0], int):
        raise BundleError(f'{what} has a fixed batch size {declared[0]} in the ONNX graph; the batch axis must be dynamic.')
    for got, want in zip(declared[1:], expected):
        if isinstance(got, int) and got != want:
            raise BundleError(f'{what} is declared as {declared} in the ONNX graph but the manifest says [batch, {", ".join(map(str, expected))}].')


def _check_batch_independence(what: str, module: nn.Module, example: torch.Tensor) -> None:
    """The module run on one sample, then on that sample and another at once: the batch must follow the
    input's, and the first sample's outputs must not change (generation runs samples in batches)."""
    one = example[:1]
    pair = torch.cat([one, torch.randn(one.shape, generator=torch.Generator().manual_seed(1))])
    try:
        with torch.no_grad():
            alone = module(one)
            together = module(pair)
    except RuntimeError as e:
        raise BundleError(f'The {what} module fails on one sample or on two at once ({str(e).splitlines()[0][:200]}); '
                          'its batch size must be free (no reshape to a fixed batch).') from e
    alone = alone if isinstance(alone, (tuple, list)) else (alone,)
    together = together if isinstance(together, (tuple, list)) else (together,)
    for a, t in zip(alone, together):
        if t.shape[0] != 2:
            raise BundleError(f'The {what} module returns a batch of {t.shape[0]} for 2 samples; its batch axis must follow the input\'s.')
        scale = max(1.0, float(a.abs().max()))
        if not torch.allclose(a[0], t[0], rtol=1e-4, atol=1e-5 * scale):
            raise BundleError(f'The {what} module gives another result for a sample when a second one runs beside it; each sample must be '
                              'computed on its own (no batch statistics, no grouped convolution over the batch).')


def write_bundle(out_dir: str, mapping: nn.Module, synthesis: nn.Module, manifest: Dict[str, Any],
                 example_z: torch.Tensor, example_ws: torch.Tensor) -> Dict[str, Any]:
    """Export mapping (z [B,zDim] -> w [B,wDim]) and synthesis (ws [B,numWs,wDim] -> (image, *features) in
    manifest feature order) to ONNX, check both against the manifest, and write the bundle folder.
    Checks, in order (each refusal is a BundleError sentence, and nothing is written): the manifest's
    fields; the example shapes against zDim, numWs and wDim; each module's outputs per sample against the
    manifest; batch independence (each module on one sample, then on two at once: same first result);
    the exported graphs are valid ONNX with a dynamic batch axis and the manifest's other dimensions.

    The manifest may omit format, formatVersion, imageChannels, defaultPsi, noise and graphs (defaults:
    inputs "z"/"ws", outputs "w"/"image"). Returns the manifest as written.
    """
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise BundleError(f'{out_dir} exists and is not a folder; choose another output path for the bundle.')
    m = _complete_manifest(manifest)
    validate_manifest(m)
    mapping = mapping.eval()
    synthesis = synthesis.eval()
    g_map, g_syn = m['graphs']['mapping'], m['graphs']['synthesis']
    feats = m['features']
    syn_outputs = [g_syn['imageOutput']] + [f['name'] for f in feats]

    example_z = example_z.float()
    example_ws = example_ws.float()
    if tuple(example_z.shape[1:]) != (m['zDim'],):
        raise BundleError(f'example_z has shape {list(example_z.shape)} but zDim is {m["zDim"]}.')
    if tuple(example_ws.shape[1:]) != (m['numWs'], m['wDim']):
        raise BundleError(f'example_ws has shape {list(example_ws.shape)} but numWs x wDim is {m["numWs"]} x {m["wDim"]}.')

    # Run torch first: it tells us the real output shapes (and catches modules that disagree with the manifest).
    with torch.no_grad():
        w = mapping(example_z)
        syn = synthesis(example_ws)
    if not isinstance(syn, (tuple, list)) or len(syn) != len(syn_outputs):
        raise BundleError(f'The synthesis module returned {len(syn) if isinstance(syn, (tuple, list)) else 1} outputs '
                          f'but the manifest needs {len(syn_outputs)} (image plus {len(feats)} feature maps).')

    _check_batch_independence('mapping', mapping, example_z)
    _check_batch_independence('synthesis', synthesis, example_ws)

    map_bytes = _export(mapping, example_z, g_map['input'], [g_map['output']])
    syn_bytes = _export(synthesis, example_ws, g_syn['input'], syn_outputs)

    for label, data in (('mapping', map_bytes), ('synthesis', syn_bytes)):
        try:
            onnx.checker.check_model(onnx.load_from_string(data))
        except onnx.checker.ValidationError as e:  # pragma: no cover - would be an exporter bug
            raise BundleError(f'The exported {label} graph is not valid ONNX ({str(e).splitlines()[0]}).') from e

    map_shapes = _declared_shapes(onnx.load_from_string(map_bytes))
    _check_shape('mapping output', map_shapes[g_map['output']], w.shape, [m['wDim']])
    syn_shapes = _declared_shapes(onnx.load_from_string(syn_bytes))
    R = m['resolution']
    _check_shape('image output', syn_shapes[g_syn['imageOutput']], syn[0].shape, [3, R, R])
    for f, t in zip(feats, syn[1:]):
        _check_shape(f'feature map {f["name"]}', syn_shapes[f['name']], t.shape,
                     [f['channels'], f['resolution'], f['resolution']])

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, 'mapping.onnx'), 'wb') as fh:
        fh.write(map_bytes)
    with open(os.path.join(out_dir, 'synthesis.onnx'), 'wb') as fh:
        fh.write(syn_bytes)
    with open(os.path.join(out_dir, 'manifest.json'), 'w', encoding='utf-8') as fh:
        fh.write(json.dumps(m, indent=2) + '\n')
    return m

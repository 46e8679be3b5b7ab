"""Load checkpoints without running code from them: a restricted unpickler for .pt files and NVIDIA .pkl.

Pickle can call any importable function while loading, so a checkpoint from the internet could run
`os.system`. Every global a pickle asks for goes through `RestrictedUnpickler.find_class`, which knows a
short list of data constructors (tensors, storages, OrderedDict, numpy scalars) and maps the two
"code-carrying" globals of StyleGAN checkpoints to inert data holders:

- `torch_utils.persistence._reconstruct_persistent_obj` (NVIDIA network pickles store each module's
  Python *source* and rebuild the class by exec'ing it) becomes a `PersistentObject` that keeps the
  class name and the module's state (`_modules`, `_parameters`, `_buffers`, attributes) and never looks
  at the source;
- `dnnlib.util.EasyDict` and `argparse.Namespace` become plain containers.

Anything else (os.system, builtins.eval, subprocess.*, …) is refused with an UnsafeCheckpointError.
torch.load is not used at all: the torch.save formats (zip and legacy) are read here, with tensors
rebuilt as views of flat tensors, so no torch pickle machinery runs either.

Public API:
    load_torch_file(path) -> object          # torch.save files (zip or legacy), restricted; tensors on CPU
    load_pickle_file(path) -> object         # plain pickles (NVIDIA network .pkl), restricted
    PersistentObject                         # .class_name, .state, .module(name), .param(name), .attr(name)
"""
from __future__ import annotations

import io
import pickle
import struct
import zipfile
from collections import OrderedDict
from typing import Any, BinaryIO, Dict, Optional

import torch


class UnsafeCheckpointError(Exception):
    """The file asks to run code the loader does not allow."""


class PersistentObject:
    """Inert stand-in for an NVIDIA `persistent_class` instance: class name + pickled state, no code."""

    def __init__(self, meta: Dict[str, Any]):
        if not isinstance(meta, dict) or meta.get('type') != 'class':
            raise UnsafeCheckpointError('The pickle holds a torch_utils.persistence object of an unknown kind.')
        self.class_name = str(meta.get('class_name'))
        self.version = meta.get('version')
        src = meta.get('module_src')
        self.module_src_length = len(src) if isinstance(src, str) else 0  # kept for messages only, never run
        self.is_stylegan3 = isinstance(src, str) and 'filtered_lrelu' in src
        state = meta.get('state')
        self.state: Dict[str, Any] = dict(state) if isinstance(state, dict) else {}

    def module(self, name: str) -> Optional[Any]:
        return (self.state.get('_modules') or {}).get(name)

    def modules(self) -> Dict[str, Any]:
        return dict(self.state.get('_modules') or {})

    def param(self, name: str) -> Optional[torch.Tensor]:
        for key in ('_parameters', '_buffers'):
            t = (self.state.get(key) or {}).get(name)
            if t is not None:
                return t
        return None

    def attr(self, name: str, default: Any = None) -> Any:
        return self.state.get(name, default)

    def __repr__(self) -> str:
        return f'PersistentObject({self.class_name})'


class DataHolder:
    """Attribute bag for argparse.Namespace-like objects found in training checkpoints."""

    def __setstate__(self, state: Any) -> None:
        if isinstance(state, dict):
            self.__dict__.update(state)


class EasyDictHolder(dict):
    """dnnlib.EasyDict without its code: a dict whose items are also attributes."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setstate__(self, state: Any) -> None:
        if isinstance(state, dict):
            self.update(state)


def _reconstruct_persistent(meta: Dict[str, Any]) -> PersistentObject:
    return PersistentObject(meta)


class _StorageType:
    """What a pickled `torch.FloatStorage` (etc.) global resolves to: only its dtype is used."""

    def __init__(self, dtype: torch.dtype):
        self.dtype = dtype


_STORAGE_DTYPES = {
    'FloatStorage': torch.float32, 'DoubleStorage': torch.float64, 'HalfStorage': torch.float16,
    'BFloat16Storage': torch.bfloat16, 'LongStorage': torch.int64, 'IntStorage': torch.int32,
    'ShortStorage': torch.int16, 'CharStorage': torch.int8, 'ByteStorage': torch.uint8,
    'BoolStorage': torch.bool, 'UntypedStorage': torch.uint8,
}


# Tensors are rebuilt here as views of a flat tensor standing in for the storage (no torch pickle code).
def _rebuild_tensor(storage: torch.Tensor, offset: int, size: Any, stride: Any, *_rest: Any) -> torch.Tensor:
    if not isinstance(storage, torch.Tensor):
        raise UnsafeCheckpointError('The checkpoint holds a tensor without a storage, so it is damaged.')
    return torch.as_strided(storage, tuple(size), tuple(stride), int(offset))


def _rebuild_tensor_v3(storage: torch.Tensor, offset: int, size: Any, stride: Any, requires_grad: Any,
                       hooks: Any, dtype: torch.dtype, *_rest: Any) -> torch.Tensor:
    """torch >= 2.1 form that carries the dtype separately from an untyped (byte) storage."""
    if isinstance(storage, torch.Tensor) and isinstance(dtype, torch.dtype) and storage.dtype != dtype:
        storage = storage.view(dtype)
    return _rebuild_tensor(storage, offset, size, stride)


def _rebuild_parameter(data: torch.Tensor, *_rest: Any) -> torch.Tensor:
    return data


def _load_storage_from_bytes(data: bytes) -> torch.Tensor:
    """torch.storage._load_from_bytes (how plain pickles hold storages): a legacy torch.save of one storage."""
    return _load_legacy(io.BytesIO(data))


def _latin1_bytes(text: str, encoding: str = 'latin1') -> bytes:
    """_codecs.encode as protocol-2 pickles use it for bytes objects; only the latin-1 form is accepted."""
    if encoding not in ('latin1', 'latin-1') or not isinstance(text, str):
        raise UnsafeCheckpointError(f'The checkpoint encodes bytes with "{encoding}", which a PyTorch checkpoint never does.')
    return text.encode('latin1')


def _allowed(module: str, name: str) -> Any:
    if module == '_codecs' and name == 'encode':
        return _latin1_bytes
    if module == 'collections' and name == 'OrderedDict':
        return OrderedDict
    if module == 'torch._utils' and name in ('_rebuild_tensor', '_rebuild_tensor_v2'):
        return _rebuild_tensor
    if module == 'torch._utils' and name == '_rebuild_tensor_v3':
        return _rebuild_tensor_v3
    if module == 'torch._utils' and name in ('_rebuild_parameter', '_rebuild_parameter_with_state'):
        return _rebuild_parameter
    if module == 'torch' and name in _STORAGE_DTYPES:
        return _StorageType(_STORAGE_DTYPES[name])
    if module == 'torch' and name in ('float32', 'float16', 'float64', 'bfloat16', 'int64', 'int32', 'uint8', 'bool'):
        return getattr(torch, name)
    if module == 'torch' and name == 'Size':
        return tuple
    if module == 'torch.storage' and name == '_load_from_bytes':
        return _load_storage_from_bytes
    if module == 'torch_utils.persistence' and name == '_reconstruct_persistent_obj':
        return _reconstruct_persistent
    if module in ('dnnlib.util', 'dnnlib') and name == 'EasyDict':
        return EasyDictHolder
    if module == 'argparse' and name == 'Namespace':
        return DataHolder
    if module == 'builtins' and name in ('set', 'frozenset', 'slice', 'complex'):
        return {'set': set, 'frozenset': frozenset, 'slice': slice, 'complex': complex}[name]
    if module in ('numpy.core.multiarray', 'numpy._core.multiarray') and name in ('scalar', '_reconstruct'):
        import numpy.core.multiarray as ma
        return getattr(ma, name)
    if module == 'numpy' and name in ('dtype', 'ndarray'):
        import numpy as np
        return getattr(np, name)
    return None


class RestrictedUnpickler(pickle.Unpickler):
    """pickle.Unpickler that resolves only the globals `_allowed` knows; everything else is refused."""

    def find_class(self, module: str, name: str) -> Any:
        if module == '__builtin__':  # protocol-2 pickles name builtins the Python 2 way
            module = 'builtins'
        found = _allowed(module, name)
        if found is None:
            if module.startswith('dnnlib.tflib'):
                raise UnsafeCheckpointError(
                    'This is a TensorFlow StyleGAN pickle; convert it to PyTorch first with legacy.py from '
                    'NVlabs/stylegan2-ada-pytorch, then convert the resulting .pkl.')
            raise UnsafeCheckpointError(
                f'The checkpoint asks to load "{module}.{name}", which is not part of a StyleGAN checkpoint, '
                'so it was refused without running it.')
        return found


def _bad_pid(pid: Any) -> UnsafeCheckpointError:
    return UnsafeCheckpointError(f'The checkpoint refers to a stored tensor in an unknown way ({str(pid)[:60]}), so it is damaged or not a PyTorch file.')


def _load_legacy(f: BinaryIO) -> Any:
    """torch.save's pre-1.6 format: magic, protocol, sys_info, the object, storage keys, then raw storages."""
    magic = RestrictedUnpickler(f).load()
    if magic != LEGACY_MAGIC:
        raise UnsafeCheckpointError('The file is a pickle but not a torch.save file.')
    RestrictedUnpickler(f).load()  # protocol version
    RestrictedUnpickler(f).load()  # sys_info
    storages: Dict[str, torch.Tensor] = {}

    def persistent_load(pid: Any) -> torch.Tensor:
        if not (isinstance(pid, tuple) and len(pid) >= 5 and pid[0] == 'storage' and isinstance(pid[1], _StorageType)):
            raise _bad_pid(pid)
        _, stype, key, _location, numel = pid[:5]
        if key not in storages:
            storages[key] = torch.empty(int(numel), dtype=stype.dtype)
        view = pid[5] if len(pid) > 5 else None
        if view is not None:  # (view_key, offset, size): a slice of the root storage
            _view_key, offset, size = view
            return storages[key][int(offset):int(offset) + int(size)]
        return storages[key]

    unpickler = RestrictedUnpickler(f)
    unpickler.persistent_load = persistent_load
    result = unpickler.load()
    keys = RestrictedUnpickler(f).load()
    for key in keys:
        flat = storages[key]
        numel = struct.unpack('<q', f.read(8))[0]
        nbytes = numel * flat.element_size()
        raw = f.read(nbytes)
        if numel != flat.numel() or len(raw) != nbytes:
            raise UnsafeCheckpointError('The checkpoint ends before all its tensors, so it is truncated or damaged.')
        flat.copy_(torch.frombuffer(bytearray(raw), dtype=flat.dtype))
    return result


def _load_zip(path: str) -> Any:
    """torch.save's zip format: <dir>/data.pkl plus one raw file per storage in <dir>/data/<key>."""
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        pkl = [n for n in names if n.endswith('/data.pkl') and n.count('/') == 1]
        if not pkl:
            if any(n.endswith('constants.pkl') for n in names):
                raise UnsafeCheckpointError('The file is a TorchScript archive, not a checkpoint; save the state dict with torch.save instead.')
            raise UnsafeCheckpointError('The file is a zip archive but not a PyTorch checkpoint.')
        prefix = pkl[0][:-len('data.pkl')]
        storages: Dict[str, torch.Tensor] = {}

        def persistent_load(pid: Any) -> torch.Tensor:
            if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == 'storage' and isinstance(pid[1], _StorageType)):
                raise _bad_pid(pid)
            _, stype, key, _location, numel = pid
            if key not in storages:
                raw = zf.read(f'{prefix}data/{key}')
                flat = torch.frombuffer(bytearray(raw), dtype=stype.dtype) if raw else torch.empty(0, dtype=stype.dtype)
                storages[key] = flat
            return storages[key]

        unpickler = RestrictedUnpickler(io.BytesIO(zf.read(pkl[0])))
        unpickler.persistent_load = persistent_load
        return unpickler.load()


LEGACY_MAGIC = 0x1950a86a20f9469cfc6c


def load_torch_file(path: str) -> Any:
    """Read a torch.save file (zip or legacy format) with the restricted unpickler; tensors on the CPU."""
    if zipfile.is_zipfile(path):
        return _load_zip(path)
    with open(path, 'rb') as fh:
        return _load_legacy(fh)


def load_pickle_file(path: str) -> Any:
    """A plain pickle (e.g. an NVIDIA network .pkl) through the restricted unpickler."""
    with open(path, 'rb') as fh:
        return RestrictedUnpickler(fh).load()

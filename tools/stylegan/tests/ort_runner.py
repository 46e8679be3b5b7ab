"""Run a bundle in onnxruntime-node (through check_bundle_ort.ts) and read its outputs back as numpy."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Dict, List, Tuple

import numpy as np
import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
SCRIPT = os.path.join(REPO, 'tools', 'stylegan', 'tests', 'check_bundle_ort.ts')


def require_node() -> None:
    """Skip the calling test with a clear reason when node/npx (and so onnxruntime-node) is missing."""
    if shutil.which('node') is None or shutil.which('npx') is None:
        pytest.skip('node/npx not found: cannot run the bundle in onnxruntime-node')
    if not os.path.isdir(os.path.join(REPO, 'node_modules', 'onnxruntime-node')):
        pytest.skip('node_modules/onnxruntime-node is not installed: run npm install first')


def run_in_ort(bundle_dir: str, cases: List[Tuple[np.ndarray, np.ndarray]], work_dir: str) -> List[Dict[str, np.ndarray]]:
    """For each (z, ws) case return {'mapping.<out>': array, 'synthesis.<out>': array, ...} from onnxruntime-node."""
    require_node()
    job = {'bundle': os.path.abspath(bundle_dir), 'cases': []}
    for i, (z, ws) in enumerate(cases):
        zf, wf = os.path.join(work_dir, f'z{i}.bin'), os.path.join(work_dir, f'ws{i}.bin')
        np.ascontiguousarray(z, dtype='<f4').tofile(zf)
        np.ascontiguousarray(ws, dtype='<f4').tofile(wf)
        job['cases'].append({'batch': int(z.shape[0]), 'z': zf, 'ws': wf, 'out': os.path.join(work_dir, f'out{i}')})
    job_file = os.path.join(work_dir, 'job.json')
    with open(job_file, 'w') as fh:
        json.dump(job, fh)
    proc = subprocess.run(['npx', 'tsx', SCRIPT, job_file], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f'onnxruntime-node failed: {proc.stderr.strip()}'
    results = []
    for c in job['cases']:
        with open(os.path.join(c['out'], 'shapes.json')) as fh:
            shapes = json.load(fh)
        results.append({f[:-4]: np.fromfile(os.path.join(c['out'], f), dtype='<f4').reshape(dims)
                        for f, dims in shapes.items()})
    return results

#!/usr/bin/env python3
"""Count the multiply-add FLOPs of an ONNX graph per batch item, from ONNX shape inference.

Used by bench/generator to set measured speed against the work a model does. Counts Conv,
ConvTranspose, MatMul and Gemm (2 FLOPs per multiply-add); elementwise ops are ignored, so this is a
lower bound dominated by the convolutions. Prints JSON: {"flops": N, "by_op": {...}}.

Usage: /usr/bin/python3 tools/onnx_flops.py model.onnx [--input NAME=d0,d1,...]
"""
import argparse
import json
import sys

import onnx
from onnx import shape_inference


def fix_batch(model, overrides):
    """Pin symbolic dims (the batch axis) to 1, or to the shapes given on the command line."""
    for inp in model.graph.input:
        dims = inp.type.tensor_type.shape.dim
        want = overrides.get(inp.name)
        for i, d in enumerate(dims):
            if want is not None:
                d.dim_value = want[i]
            elif not d.HasField("dim_value"):
                d.dim_value = 1


def shapes_of(model):
    out = {}
    for vi in list(model.graph.value_info) + list(model.graph.input) + list(model.graph.output):
        t = vi.type.tensor_type
        if t.HasField("shape"):
            # A dim left unknown is the batch axis (it flows through Shape/Expand); per item it is 1.
            out[vi.name] = [d.dim_value if d.HasField("dim_value") else 1 for d in t.shape.dim]
    for init in model.graph.initializer:
        out[init.name] = list(init.dims)
    return out


def prod(xs):
    p = 1
    for x in xs:
        p *= x
    return p


def count(model):
    shapes = shapes_of(model)
    by_op = {}
    for node in model.graph.node:
        f = 0
        if node.op_type in ("Conv", "ConvTranspose"):
            w = shapes.get(node.input[1])
            y = shapes.get(node.output[0])
            x = shapes.get(node.input[0])
            if not w or not y or not x:
                continue
            if node.op_type == "Conv":
                # each output element: (Cin/group)·k·k multiply-adds; w is [Cout, Cin/group, k, k]
                f = 2 * prod(y) * prod(w[1:])
            else:
                # each input element scatters into (Cout/group)·k·k outputs; w is [Cin, Cout/group, k, k]
                f = 2 * prod(x) * prod(w[1:])
        elif node.op_type in ("MatMul", "Gemm"):
            a = shapes.get(node.input[0])
            y = shapes.get(node.output[0])
            if not a or not y:
                continue
            k = a[-1] if node.op_type == "MatMul" or not any(x.name == "transA" and x.i for x in node.attribute) else a[-2]
            f = 2 * prod(y) * k
        if f:
            by_op[node.op_type] = by_op.get(node.op_type, 0) + f
    return sum(by_op.values()), by_op


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--input", action="append", default=[], help="NAME=d0,d1,... to pin an input shape")
    args = ap.parse_args()
    overrides = {}
    for spec in args.input:
        name, dims = spec.split("=", 1)
        overrides[name] = [int(d) for d in dims.split(",")]
    model = onnx.load(args.model)
    fix_batch(model, overrides)
    # Exported graphs carry value_info with the symbolic batch axis; infer afresh from pinned inputs.
    del model.graph.value_info[:]
    for out in model.graph.output:
        out.type.tensor_type.ClearField("shape")
    model = shape_inference.infer_shapes(model, data_prop=True)
    total, by_op = count(model)
    json.dump({"flops": total, "by_op": by_op}, sys.stdout)
    print()


if __name__ == "__main__":
    main()

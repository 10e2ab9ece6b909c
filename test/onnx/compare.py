#!/usr/bin/env python3
"""Compares attn-run's .npy outputs with an onnx test case's expected outputs.

Usage: compare.py MODEL.onnx DATASET_DIR OUTPUT_DIR

Output N of the model's graph is expected in OUTPUT_DIR/<name>.npy and is
compared with DATASET_DIR/output_N.pb the way onnx's backend tests compare:
same dtype and shape, numpy.testing.assert_allclose with rtol=1e-3 and
atol=1e-7 (NaNs match NaNs). Exits 1, saying which output and why, on any
difference.
"""

import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

RTOL = 1e-3
ATOL = 1e-7


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    model_path, dataset, output_dir = argv[1:]
    outputs = [o.name for o in onnx.load(model_path).graph.output]
    failures = 0
    for i, name in enumerate(outputs):
        expected_path = os.path.join(dataset, "output_%d.pb" % i)
        actual_path = os.path.join(output_dir, name + ".npy")
        tensor = onnx.TensorProto()
        with open(expected_path, "rb") as f:
            tensor.ParseFromString(f.read())
        expected = numpy_helper.to_array(tensor)
        if not os.path.exists(actual_path):
            print("output %d '%s': %s was not written" % (i, name, actual_path))
            failures += 1
            continue
        actual = np.load(actual_path)
        if actual.dtype != expected.dtype or actual.shape != expected.shape:
            print(
                "output %d '%s': got %s%s, expected %s%s"
                % (i, name, actual.dtype, list(actual.shape), expected.dtype,
                   list(expected.shape))
            )
            failures += 1
            continue
        try:
            np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL)
        except AssertionError as e:
            print("output %d '%s' differs:%s" % (i, name, e))
            failures += 1
            continue
        print("output %d '%s': %s%s matches" % (i, name, actual.dtype,
                                               list(actual.shape)))
    extra = os.path.join(dataset, "output_%d.pb" % len(outputs))
    if os.path.exists(extra):
        print("%s has no graph output to compare with" % extra)
        failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

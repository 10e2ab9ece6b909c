"""Writes a .npy file with the given dtype and shape in its header and no
data, as a file that claims more than it holds (attn-run-npy-limits.mlir)."""
import sys

path, descr, shape = sys.argv[1:4]
header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape)
header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
with open(path, "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little"))
    f.write(header.encode("latin1"))

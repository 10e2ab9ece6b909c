#!/usr/bin/env python3
"""Inspects and damages the entries of an attnc compile cache (DIR/jit).

Usage:
  cache_entries.py list DIR           one line per entry: its file name
  cache_entries.py truncate DIR N     cuts the only entry to N bytes
  cache_entries.py flip DIR OFFSET    inverts one byte of the only entry
                                      (a negative OFFSET counts from the end)
  cache_entries.py swap DIR           exchanges the contents of the two
                                      entries (sound files under the wrong
                                      keys)
  cache_entries.py stale DIR          adds a temporary file as a store that
                                      died two hours ago leaves it
  cache_entries.py weight FILE.safetensors TENSOR
                                      changes one byte of a weight: the
                                      first element of TENSOR (f32), times 4
  cache_entries.py race N OUT -- CMD...
                                      runs CMD N times at once, {i} in its
                                      arguments replaced by 0..N-1; fails
                                      unless every run succeeds and every
                                      OUT (with {i}) has the same bytes

The entry format is runtime/CompileCache.cpp's; these tools only need its
file names (64 hex digits and ".jit").
"""

import json
import os
import re
import struct
import subprocess
import sys
import time

ENTRY = re.compile(r"^[0-9a-f]{64}\.jit$")


def entries(cache):
    folder = os.path.join(cache, "jit")
    if not os.path.isdir(folder):
        return []
    return sorted(os.path.join(folder, name) for name in os.listdir(folder)
                  if ENTRY.match(name))


def only_entry(cache):
    found = entries(cache)
    if len(found) != 1:
        sys.exit("expected one entry in %s, found %d" % (cache, len(found)))
    return found[0]


def main():
    command, cache = sys.argv[1], sys.argv[2]
    if command == "list":
        folder = os.path.join(cache, "jit")
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            print(name)
    elif command == "truncate":
        path = only_entry(cache)
        with open(path, "r+b") as f:
            f.truncate(int(sys.argv[3]))
    elif command == "flip":
        path = only_entry(cache)
        with open(path, "r+b") as f:
            size = f.seek(0, os.SEEK_END)
            offset = int(sys.argv[3])
            f.seek(offset if offset >= 0 else size + offset)
            byte = f.read(1)
            f.seek(-1, os.SEEK_CUR)
            f.write(bytes([byte[0] ^ 0xFF]))
    elif command == "swap":
        found = entries(cache)
        if len(found) != 2:
            sys.exit("expected two entries in %s, found %d"
                     % (cache, len(found)))
        a, b = (open(p, "rb").read() for p in found)
        open(found[0], "wb").write(b)
        open(found[1], "wb").write(a)
    elif command == "stale":
        path = os.path.join(cache, "jit", "0" * 64 + ".jit.tmp-deadbeef")
        with open(path, "wb") as f:
            f.write(b"half an entry")
        old = time.time() - 2 * 3600
        os.utime(path, (old, old))
    elif command == "weight":
        path, name = sys.argv[2], sys.argv[3]
        with open(path, "r+b") as f:
            size = struct.unpack("<Q", f.read(8))[0]
            header = json.loads(f.read(size))
            at = 8 + size + header[name]["data_offsets"][0] + 3
            f.seek(at)
            byte = f.read(1)[0]
            f.seek(at)
            # The sign and the exponent's top seven bits: +1 there
            # multiplies the value by 4.
            f.write(bytes([byte + 1 if byte & 0x7F < 0x7F else byte - 1]))
    elif command == "race":
        count, out = int(sys.argv[2]), sys.argv[3]
        cmd = sys.argv[sys.argv.index("--") + 1:]
        runs = [subprocess.Popen([a.replace("{i}", str(i)) for a in cmd],
                                 stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT)
                for i in range(count)]
        failed = False
        for i, run in enumerate(runs):
            output = run.communicate()[0].decode()
            if run.returncode != 0:
                print("run %d failed (%d):\n%s" % (i, run.returncode, output))
                failed = True
        outputs = [open(out.replace("{i}", str(i)), "rb").read()
                   for i in range(count)]
        if failed or any(o != outputs[0] for o in outputs):
            sys.exit("the %d runs disagree" % count)
        print("%d runs, identical results" % count)
    else:
        sys.exit("unknown command " + command)


if __name__ == "__main__":
    main()

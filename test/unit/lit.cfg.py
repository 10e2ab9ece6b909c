# lit configuration for attnc's GoogleTest executables (*Tests).
import os

import sys

import lit.formats

sys.path.insert(0, os.path.join(config.attnc_src_root, "test"))
import lit_sanitizers

config.name = "attnc-unit"
config.test_format = lit.formats.GoogleTest(".", "Tests")
config.test_source_root = config.attnc_unit_bin_dir
config.test_exec_root = config.attnc_unit_bin_dir

# The JIT's compile cache goes in the build tree, not in the user's ~/.cache
# (test/lit.cfg.py does the same for the lit tests).
config.environment["ATTNC_CACHE_DIR"] = os.path.join(
    os.path.dirname(config.attnc_unit_bin_dir), "compile-cache")

lit_sanitizers.configure(config)

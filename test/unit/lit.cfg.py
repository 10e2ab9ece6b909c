# lit configuration for attnc's GoogleTest executables (*Tests).
import lit.formats

config.name = "attnc-unit"
config.test_format = lit.formats.GoogleTest(".", "Tests")
config.test_source_root = config.attnc_unit_bin_dir
config.test_exec_root = config.attnc_unit_bin_dir

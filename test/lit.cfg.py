# lit configuration for attnc's IR tests: every .mlir file under test/.
import os
import shutil

import lit.formats
from lit.llvm import llvm_config

config.name = "attnc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.attnc_obj_root, "test")
# test/unit is its own suite (GoogleTest), run from the build tree.
# test/fuzz holds libFuzzer targets and seeds, not lit tests.
config.excludes = ["unit", "fuzz", "CMakeLists.txt", "lit.cfg.py",
                   "lit.site.cfg.py", "lit_sanitizers.py"]

# Catch FileCheck variables that leak across CHECK-LABEL blocks.
config.environment["FILECHECK_OPTS"] = "-enable-var-scope"

import sys
sys.path.insert(0, os.path.dirname(__file__))
import lit_sanitizers
lit_sanitizers.configure(config)

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    ["attn-opt", "attn-run", "attnc"], [config.attnc_tools_dir, config.llvm_tools_dir])

# %attnc_build: the build tree, for scripts that take it (examples/*/run.sh)
# and the install tests; %attnc_src: the source tree.
config.substitutions.append(("%attnc_build", config.attnc_obj_root))
config.substitutions.append(("%attnc_src", config.attnc_src_root))

# The JIT's compile cache (compiler/README.md, "Compile cache") goes in the
# build tree, not in the user's ~/.cache; the tests of the cache itself name
# directories of their own.
config.environment["ATTNC_CACHE_DIR"] = os.path.join(
    config.attnc_obj_root, "test", "compile-cache")

# %onnx-encode (test/onnx-import): protoc turning a text-format ONNX
# ModelProto on stdin into a .onnx file on stdout, with Debian's onnx.proto
# (libonnx-dev; protoc is protobuf-compiler, both in scripts/install-deps.sh).
# %onnx-encode-tensor does the same for a TensorProto (an attn-run input).
onnx_proto_dir = next((d for d in ["/usr/include/onnx", "/usr/local/include/onnx"]
                       if os.path.isfile(os.path.join(d, "onnx.proto"))),
                      "/usr/include/onnx")
for name, message in [("%onnx-encode-tensor", "TensorProto"),
                      ("%onnx-encode", "ModelProto")]:
    config.substitutions.append((name, "protoc --encode=onnx.%s -I%s %s" % (
        message, onnx_proto_dir, os.path.join(onnx_proto_dir, "onnx.proto"))))

# %python (test/models, test/examples): a Python with numpy and safetensors:
# $ATTNC_PYTHON, else the python3 on PATH, with <build>/python-packages
# (where scripts/test.sh pip-installs scripts/requirements-test.txt when
# python3 lacks them) on PYTHONPATH.
python = (os.environ.get("ATTNC_PYTHON")
          or shutil.which("python3", path=config.environment.get("PATH"))
          or "python3")
config.substitutions = [(k, v) for k, v in config.substitutions
                        if k != "%python"]
config.substitutions.insert(0, ("%python", '"%s"' % python))
# A second build tree (scripts/test.sh's build-asan) has none of its own
# and uses the caller's PYTHONPATH (scripts/test.sh exports build/'s).
packages = os.path.join(config.attnc_obj_root, "python-packages")
config.environment["PYTHONPATH"] = os.pathsep.join(
    p for p in [packages if os.path.isdir(packages) else None,
                config.environment.get("PYTHONPATH"),
                os.environ.get("PYTHONPATH")] if p)

# The tests that take ONNX Runtime as the oracle (test/models/onnx-*.test,
# test/onnx-import/microsoft-attention.mlir) build their graphs with
# onnx.helper: both are pip-installed for the tests by scripts/test.sh
# (scripts/requirements-test.txt). Without them those tests are unsupported,
# and this says so.
import subprocess
try:
    subprocess.run([python, "-c", "import onnx, onnxruntime"],
                   env=config.environment, check=True, capture_output=True)
    config.available_features.add("onnxruntime")
except (OSError, subprocess.CalledProcessError):
    lit_config.note("the ONNX Runtime oracle tests (models/onnx-*.test, "
                    "onnx-import/microsoft-attention.mlir) are skipped: "
                    "python3 lacks onnx or onnxruntime (pip install -r "
                    "scripts/requirements-test.txt)")

# The GPU path's binary tests need ptxas (CUDA toolkit); no GPU is needed.
# libdevice is found through CUDA_HOME, ptxas through PATH.
cuda_home = os.environ.get("CUDA_HOME", "/usr/local/cuda")
if os.path.exists(os.path.join(cuda_home, "bin", "ptxas")):
    config.available_features.add("ptxas")
    config.environment["CUDA_HOME"] = cuda_home
    llvm_config.with_environment(
        "PATH", os.path.join(cuda_home, "bin"), append_path=True)

# Tests that run compiled CUDA code need a GPU; without one they check the
# runtime's "no device" error instead.
import shutil
import subprocess
if shutil.which("nvidia-smi"):
    try:
        listed = subprocess.run(["nvidia-smi", "-L"], capture_output=True,
                                text=True, timeout=30)
        if listed.returncode == 0 and "GPU" in listed.stdout:
            config.available_features.add("cuda-device")
    except (OSError, subprocess.SubprocessError):
        pass

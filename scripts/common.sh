# Shared by scripts/test.sh and scripts/demo.sh: where LLVM 22 lives and how
# attnc is configured and built. Source it; do not run it.

LLVM_BIN=/usr/lib/llvm-22/bin
MLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir

# configure_and_build DIR LABEL CC CXX [-DFLAG=VALUE...] [TARGET...]:
# configures DIR (once) with the compilers CC and CXX (a matching pair:
# LLVM's CMake adds compiler-specific warning flags to both), warnings as
# errors and the -D flags given, then builds TARGETs (default: all).
configure_and_build() {
  local dir=$1 label=$2 cc=$3 cxx=$4
  shift 4
  local flags=() targets=()
  for arg in "$@"; do
    if [[ $arg == -D* ]]; then flags+=("$arg"); else targets+=("$arg"); fi
  done
  if [[ ! -f "$dir/build.ninja" ]]; then
    echo "== configuring $dir ($label)"
    cmake -G Ninja -S . -B "$dir" \
      -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_C_COMPILER="$cc" \
      -DCMAKE_CXX_COMPILER="$cxx" \
      -DMLIR_DIR="$MLIR_DIR" \
      -DLLVM_EXTERNAL_LIT="$LLVM_BIN/lit" \
      -DATTNC_WERROR=ON "${flags[@]}" >/dev/null
  fi
  echo "== building $dir ($label)"
  cmake --build "$dir" -- "${targets[@]}"
}

# install_python_deps FILE MODULE...: pip-installs the requirements FILE
# unless python3 already imports every MODULE (pip; never on the product's
# path). Debian's system Python refuses installs into itself (PEP 668), so
# whatever python3 lacks goes into build/python-packages, which the lit
# suites put on PYTHONPATH; it is exported here for the caller too.
install_python_deps() {
  local file=$1
  shift
  local modules
  modules=$(IFS=,; echo "$*")
  if ! python3 -c "import $modules" 2>/dev/null &&
    ! PYTHONPATH=build/python-packages python3 -c "import $modules" 2>/dev/null; then
    python3 -m pip install -q --target build/python-packages -r "$file"
  fi
  export PYTHONPATH="$PWD/build/python-packages${PYTHONPATH:+:$PYTHONPATH}"
}

# install_python_test_deps: numpy and safetensors, which the model oracles
# (test/models) and the examples' data scripts need.
install_python_test_deps() {
  install_python_deps scripts/requirements-test.txt numpy safetensors
}

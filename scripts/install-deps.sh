#!/usr/bin/env bash
# Installs every system package that attnc's build and tests need (Debian, apt-get).
#
# Idempotent: when every package is already installed it only runs dpkg-query
# and returns in well under a second, so both README commands call it first.
set -euo pipefail

packages=(
  # Build.
  cmake ninja-build g++
  # LLVM/MLIR 22: headers, shared libMLIR/libLLVM, mlir-opt & friends, lit and FileCheck.
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools clang-22
  # LLVM's OpenMP runtime: compiled attention kernels run their parallel
  # loops on it (GCC's libgomp lacks the __kmpc_* entry points).
  libomp-22-dev
  # ONNX import: Debian's protobuf and its compiled onnx.proto.
  libonnx-dev libprotobuf-dev protobuf-compiler
  # Attention-map heatmaps (runtime/AttentionMaps.cpp).
  libpng-dev
  # C++ unit tests and benchmarks.
  libgtest-dev libbenchmark-dev
  # The sanitized clang build (ASan + UBSan) and the libFuzzer targets.
  libclang-rt-22-dev
  # lit is a Python program; pip fetches the ONNX conformance data and the
  # numpy/onnx oracle that compares against it (test-only).
  python3 python3-pip
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

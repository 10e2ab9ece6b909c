#!/usr/bin/env bash
# Builds attnc's libFuzzer targets and their seed corpora, then runs each
# target for a number of inputs or a time (test/fuzz/README.md).
#
# Usage: test/fuzz/run.sh [--build DIR] (--runs N | --time SECONDS)
#                         [--jobs J] [--seed S] [--no-build] [TARGET...]
#
#   --build DIR  the fuzz build tree (default build-fuzz; configured here
#                with clang-22, -DATTNC_FUZZ=ON and ASan+UBSan if it is not)
#   --runs N     inputs per target (libFuzzer's -runs)
#   --time S     seconds per target (libFuzzer's -max_total_time)
#   --jobs J     targets run at once (default 1)
#   --seed S     libFuzzer's -seed: the same inputs every run (CI uses 1, so
#                that a failure there reproduces); default: a new seed
#   --no-build   use the fuzzers already in DIR
#   TARGET       mlir onnx description safetensors npy tensor-proto
#                pass-options (default: all)
#
# Each target starts from the seeds (DIR/fuzz/seeds/TARGET, remade from the
# repository's tests and examples) and the inputs earlier runs kept
# (DIR/fuzz/corpus/TARGET). A crash, abort, sanitizer report, timeout or
# out-of-memory leaves its input in DIR/fuzz/artifacts/TARGET/ and the log
# in DIR/fuzz/logs/TARGET.log; the script exits 1 if any target failed.
set -euo pipefail
cd "$(dirname "$0")/../.."

build=build-fuzz
runs=
time_s=
jobs=1
seed=
do_build=1
targets=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --build) build=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --time) time_s=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --no-build) do_build=; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [[ -z $runs && -z $time_s ]]; then
  echo "run.sh: give --runs N or --time SECONDS" >&2
  exit 2
fi
all=(mlir onnx description safetensors npy tensor-proto pass-options)
[[ ${#targets[@]} -gt 0 ]] || targets=("${all[@]}")

# Per target: the largest input, in bytes. Seeds are all smaller. The
# parsers that recurse (MLIR, JSON) get inputs too short to nest deep enough
# for the known stack overflow besides the fuzzers' own depth check.
declare -A max_len=(
  [mlir]=8192 [onnx]=16384 [description]=16384 [safetensors]=8192
  [npy]=4096 [tensor-proto]=4096 [pass-options]=1024)

llvm=/usr/lib/llvm-22/bin
if [[ -n $do_build ]]; then
  if [[ ! -f $build/build.ninja ]]; then
    cmake -G Ninja -S . -B "$build" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_C_COMPILER=$llvm/clang -DCMAKE_CXX_COMPILER=$llvm/clang++ \
      -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
      -DLLVM_EXTERNAL_LIT=$llvm/lit -DATTNC_WERROR=ON \
      -DATTNC_FUZZ=ON -DATTNC_SANITIZE=address,undefined
  fi
  fuzzers=()
  for t in "${targets[@]}"; do fuzzers+=("attnc-fuzz-$t"); done
  cmake --build "$build" --target "${fuzzers[@]}"
fi
# The description seeds' weights need numpy and safetensors; without
# them the seeds are the descriptions alone.
if [[ -z ${PYTHONPATH:-} && -d build/python-packages ]]; then
  export PYTHONPATH=$PWD/build/python-packages
  fi
python3 test/fuzz/make_seeds.py "$build/fuzz/seeds" "${targets[@]}"

# ASan: leaks and every error are failures; UBSan stops at its first report
# (-fno-sanitize-recover=all). Deep recursion is the known open bug the
# fuzzers screen out; a stack overflow still reports. allow_user_poisoning=0:
# our instrumented code inlines LLVM's BumpPtrAllocator, which poisons whole
# slabs that Debian's uninstrumented libMLIR then allocates from without
# unpoisoning, a false "use-after-poison" in MLIR's uniquer.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allow_user_poisoning=0:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_one() {
  local t=$1
  local bin=$build/bin/attnc-fuzz-$t
  local corpus=$build/fuzz/corpus/$t artifacts=$build/fuzz/artifacts/$t/
  local log=$build/fuzz/logs/$t.log
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  local args=(-max_len="${max_len[$t]}" -timeout=10 -rss_limit_mb=4096
              -malloc_limit_mb=2048 -print_final_stats=1
              -artifact_prefix="$artifacts")
  [[ -n $runs ]] && args+=(-runs="$runs")
  [[ -n $time_s ]] && args+=(-max_total_time="$time_s")
  [[ -n $seed ]] && args+=(-seed="$seed")
  local start=$SECONDS status=0
  echo "run.sh: $bin ${args[*]} $corpus $build/fuzz/seeds/$t" > "$log"
  "$bin" "${args[@]}" "$corpus" "$build/fuzz/seeds/$t" >> "$log" 2>&1 ||
    status=$?
  local execs
  execs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' "$log" |
          grep -o '[0-9]*$' || echo "?")
  if [[ $status -eq 0 ]]; then
    echo "run.sh: $t: ok, $execs inputs in $((SECONDS - start)) s"
  else
    echo "run.sh: $t: FAILED (exit $status) after $execs inputs; see $log" \
         "and $artifacts"
    grep -m3 -E '^==[0-9]+==ERROR|SUMMARY|runtime error|deadly signal|ALARM' \
      "$log" | sed 's/^/run.sh:   /' || true
  fi
  echo "$status" > "$build/fuzz/logs/$t.status"
}

for t in "${targets[@]}"; do
  if [[ -z ${max_len[$t]:-} ]]; then
    echo "run.sh: unknown target $t (${all[*]})" >&2
    exit 2
  fi
done
mkdir -p "$build/fuzz/logs"
for t in "${targets[@]}"; do
  rm -f "$build/fuzz/logs/$t.status"
  while [[ $(jobs -rp | wc -l) -ge $jobs ]]; do wait -n || true; done
  run_one "$t" &
done
wait
failed=0
for t in "${targets[@]}"; do
  [[ $(cat "$build/fuzz/logs/$t.status" 2>/dev/null) == 0 ]] || failed=1
done
exit $failed

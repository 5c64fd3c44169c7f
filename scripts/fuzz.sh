#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang, in build-fuzz/) and runs each for SECONDS
# (default 600), two at a time on two cores. Inputs that reach new code are merged into the
# committed corpus fuzz/corpus/TARGET; a crash, hang, leak or sanitizer report is saved under
# fuzz/crashes/TARGET/ and fails the script. Logs with each run's executions: build-fuzz/logs/.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(cifar_records image_decode torch_file config_text)

scripts/install-deps.sh clang libclang-rt-14-dev
if [[ ! -f build-fuzz/CMakeCache.txt ]]; then
  cmake -S . -B build-fuzz -DBGM_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build build-fuzz -j2 >/dev/null

mkdir -p build-fuzz/logs
# Runs a command of target $1 under the sanitizers' options. torch_file gets full malloc stacks,
# so that fuzz/lsan.supp can name LibTorch's own leak.
fuzz_env() {
  local unwind=1
  [[ $1 == torch_file ]] && unwind=0
  ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=$unwind LSAN_OPTIONS=suppressions=fuzz/lsan.supp "${@:2}"
}
run_one() {
  local t=$1 work=build-fuzz/corpus/$1
  mkdir -p "$work" "fuzz/crashes/$t"
  # -rss_limit_mb/-malloc_limit_mb: an input that makes a parser allocate gigabytes is a finding;
  # -timeout: one input may take at most 10 s.
  fuzz_env "$t" "build-fuzz/fuzz/fuzz_$t" "$work" "fuzz/corpus/$t" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=4096 -malloc_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="fuzz/crashes/$t/" >"build-fuzz/logs/$t.log" 2>&1
}
status=0
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  pids=()
  for t in "${targets[@]:i:2}"; do
    run_one "$t" &
    pids+=("$!:$t")
  done
  for p in "${pids[@]}"; do
    if ! wait "${p%%:*}"; then
      echo "fuzz: ${p#*:} FOUND A PROBLEM: see build-fuzz/logs/${p#*:}.log and fuzz/crashes/${p#*:}/" >&2
      status=1
    fi
  done
done

for t in "${targets[@]}"; do
  # Only the inputs that add coverage join the committed corpus.
  if ! fuzz_env "$t" "build-fuzz/fuzz/fuzz_$t" -merge=1 -artifact_prefix="fuzz/crashes/$t/" "fuzz/corpus/$t" \
       "build-fuzz/corpus/$t" >"build-fuzz/logs/$t.merge.log" 2>&1; then
    echo "fuzz: merging $t's corpus failed: see build-fuzz/logs/$t.merge.log" >&2
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "build-fuzz/logs/$t.log" | grep -o '[0-9]*$' || echo '?')
  echo "fuzz: $t: ${seconds} s, ${runs} executions, corpus $(ls "fuzz/corpus/$t" | wc -l) inputs"
done
exit $status

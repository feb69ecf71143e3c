#!/usr/bin/env bash
# hpt's two set-up commands (see README.md):
#   ./dev.sh run       install what is missing, build, train and evaluate the Wind model
#   ./dev.sh test      install what is missing, build, run every suite (lit, PyTorch
#                      reference, GoogleTest, fuzz corpus, sanitized runtime subset)
# and a third for a full check:
#   ./dev.sh sanitize  the whole suite built with ASan + UBSan (slow)
# Environment: BUILD_DIR (default build), HPT_JOBS (default: all cores),
# HPT_STEPS, HPT_WINDOW (the main job's training steps, default 600, and
# switch window, default 20), HPT_LORA_POLICY (hpt, or cost: hpt-partition's
# policy for the LoRA program).
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${BUILD_DIR:-build}
ASAN_DIR=${ASAN_DIR:-build-asan}           # CI's sanitized subset
SANITIZED_DIR=${SANITIZED_DIR:-build-asan-full} # ./dev.sh sanitize
JOBS=${HPT_JOBS:-$(nproc)}
LLVM_ROOT=/usr/lib/llvm-22
# Debian packages only; python3-* are for /usr/bin/python3 (the python3 first on
# PATH may be another interpreter that cannot see them).
PACKAGES=(
  cmake ninja-build g++ git
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  libfmt-dev libopenblas-dev libgtest-dev libgmock-dev nlohmann-json3-dev
  python3-numpy python3-torch python3-matplotlib python3-scipy
)

phase_start=0
phase() { phase_start=$(date +%s); echo "==> $*"; }
phase_done() { echo "==> $1 took $(( $(date +%s) - phase_start )) s"; }

install_missing() {
  phase "install: checking ${#PACKAGES[@]} Debian packages"
  local missing=() pkg
  for pkg in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    echo "installing: ${missing[*]}"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
      "${missing[@]}"
  fi
  phase_done install
}

# configure_and_build DIR [CMAKE ARGS...]; $TARGETS, when set, limits the build.
configure_and_build() {
  local dir=$1
  shift
  cmake -G Ninja -S . -B "$dir" -DMLIR_DIR="$LLVM_ROOT/lib/cmake/mlir" "$@" > /dev/null
  # shellcheck disable=SC2086
  cmake --build "$dir" -j "$JOBS" ${TARGETS:+--target $TARGETS}
}

build() {
  phase "build: $BUILD_DIR ($JOBS jobs)"
  configure_and_build "$BUILD_DIR"
  phase_done build
}

# The sanitized builds: AddressSanitizer + UndefinedBehaviorSanitizer, the
# first report aborts (-fno-sanitize-recover=all); LeakSanitizer is on, so a
# leak at exit fails the test too (docs/reliability.md).
SANITIZERS="address;undefined"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# The main job: HpT's hybrid training of the Wind model, modelled end to
# end (docs/hpt-schedule.md, "End to end"). The Wind model is compiled with
# its full and LoRA programs; hpt-partition places the full program on the
# described GPU and the LoRA program on ReRAM crossbars and systolic arrays
# by HpT's mapping (configs/atleus-like.json); hpt-run trains it on the Wind
# data under HpT's switch rule, programs the crossbars once at the switch,
# and prints the run's modelled time and energy per phase beside
# full-parameter training on the GPU for the same steps (the two ratios),
# then the test RMSE beside the persistence and training-mean baselines on
# a quarter of the test split (410 samples spread evenly over it).
# The check window is 20 iterations instead of HpT's 480 so that a short
# run switches (HPT_STEPS changes the budget, HPT_WINDOW the window;
# HPT_LORA_POLICY=cost places the LoRA program by the cost search); the
# devices run under --sim timing (the host computes, the simulators charge;
# docs/runtime.md). HpT's own full-phase Wind setting, Adam at lr 1e-6,
# barely moves in a short run (of 3e-5, 1e-4 and 3e-4, 3e-5 did best here).
run_main() {
  phase "main job: compile the Wind model for HpT's machine"
  local bin="$BUILD_DIR/bin" out="$BUILD_DIR/main" hw=configs/atleus-like.json
  mkdir -p "$out"
  "$bin/hpt-opt" models/wind/wind.mlir --hpt-lora --hpt-print-model-stats -o /dev/null | head -n 2
  "$bin/hpt-opt" models/wind/wind.mlir --hpt-lora \
    --hpt-autodiff="optimizer=adamw lr=3e-5 weight-decay=1e-4" \
    --hpt-autodiff="function=forward_lora train-function=train_step_lora optimizer=adamw lr=1e-4 weight-decay=1e-4" \
    -o "$out/wind-train.mlir"
  "$bin/hpt-opt" "$out/wind-train.mlir" \
    --hpt-partition="function=train_step hw=$hw table=$out/partition-full.txt" \
    --hpt-partition="function=train_step_lora hw=$hw policy=${HPT_LORA_POLICY:-hpt} table=$out/partition-lora.txt" \
    --hpt-crossbar-tile="hw=$hw" --hpt-systolic-tile="hw=$hw" --convert-hpt-to-pim --convert-hpt-to-sa \
    --convert-hpt-to-gpu |
    "$bin/hpt-translate" --hpt-to-bundle -o "$out/wind.hptb"
  phase_done "compile"
  phase "main job: train, profile and evaluate with hpt-run"
  "$bin/hpt-run" "$out/wind.hptb" --data wind --wind-target change --steps "${HPT_STEPS:-600}" \
    --schedule hpt --switch-window "${HPT_WINDOW:-20}" --sim timing \
    --switch-log "$out/wind-switch.jsonl" --losses "$out/wind-losses.csv" --eval-samples 410 \
    --profile-json "$out/profile.json" \
    --profile-csv "$out/profile.csv" --trace "$out/trace.json" --trace-steps 1 |
    grep -v '^reram xbar'
  /usr/bin/python3 tools/plots/hpt_run.py "$out/profile.json" "$out/profile.csv" -o "$out/plots"
  echo "outputs in $out: profile.json and profile.csv (per phase, device and op), trace.json"
  echo "(chrome://tracing or ui.perfetto.dev), plots/*.png, wind-losses.csv, wind-switch.jsonl,"
  echo "partition-{full,lora}.txt (where each op went and why)"
  phase_done "train and evaluate"
}

# Every suite's counts, "name passed failed skipped", for the summary.
SUITES=()

# lit_suite NAME LIT-ARGS...: runs lit, counts its result lines. A test that
# is unsupported fails unless it needs a GPU ("REQUIRES: gpu"), which skips.
lit_suite() {
  local name=$1 log passed failed skipped=0 status=0 test
  shift
  log=$(mktemp)
  "$LLVM_ROOT/bin/lit" -v -j "$JOBS" "$@" 2>&1 | tee "$log" || status=1
  passed=$(grep -cE '^(PASS|XFAIL): ' "$log" || true)
  failed=$(grep -cE '^(FAIL|XPASS|UNRESOLVED|TIMEOUT): ' "$log" || true)
  while read -r test; do
    if grep -q 'REQUIRES:.*\bgpu\b' "test/$test"; then
      skipped=$((skipped + 1))
    else
      echo "unsupported, which only GPU tests may be: $test"
      failed=$((failed + 1))
    fi
  done < <(sed -nE 's/^UNSUPPORTED: [^:]+ :: ([^ ]+).*/\1/p' "$log")
  rm -f "$log"
  # A runner that failed without a count, or ran nothing, fails the suite.
  if [ "$failed" -eq 0 ] && { [ "$status" -ne 0 ] || [ "$passed" -eq 0 ]; }; then
    failed=1
  fi
  SUITES+=("$name $passed $failed $skipped")
}

# ctest_suite NAME BUILD-DIR CTEST-ARGS...
ctest_suite() {
  local name=$1 dir=$2 log total failed skipped status=0
  shift 2
  log=$(mktemp)
  ctest --test-dir "$dir" -j "$JOBS" --output-on-failure "$@" 2>&1 | tee "$log" || status=1
  total=$(grep -oE 'tests failed out of [0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  failed=$(grep -oE '[0-9]+ tests failed out of' "$log" | grep -oE '^[0-9]+' || echo 0)
  # GTEST_SKIP (e.g. the panel kernel's tests on a CPU without AVX-512) shows
  # as "(Skipped)" with its printed reason above.
  skipped=$(grep -cE '\(Skipped\)$' "$log" || true)
  if [ "$skipped" -gt 0 ]; then
    echo "skipped (the reason: ctest --test-dir $dir -V -R <name>):"
    grep -E '\(Skipped\)$' "$log"
  fi
  rm -f "$log"
  if [ "$failed" -eq 0 ] && { [ "$status" -ne 0 ] || [ "$total" -eq 0 ]; }; then
    failed=1
  fi
  SUITES+=("$name $((total - failed - skipped)) $failed $skipped")
}

# Prints each suite's counts on one line, then the total as
# "N passed, N failed" (CI reads that line); fails when anything failed.
summarise() {
  local entry name p f s passed=0 failed=0 skipped=0 line="suites:"
  for entry in "${SUITES[@]}"; do
    read -r name p f s <<< "$entry"
    line+=" $name $p passed $f failed"
    [ "$s" -gt 0 ] && line+=" $s skipped"
    line+=";"
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  done
  echo "${line%;}"
  if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
  else
    echo "$passed passed, $failed failed"
  fi
  [ "$failed" -eq 0 ]
}

run_tests() {
  phase "tests: lit (dialects, passes, models, runtime, simulators)"
  lit_suite lit "$BUILD_DIR/test" --filter-out '^HPT :: torch/'
  phase_done "lit"
  phase "tests: PyTorch reference (lit, test/torch)"
  lit_suite pytorch-reference "$BUILD_DIR/test/torch"
  phase_done "PyTorch reference"
  phase "tests: GoogleTest (ctest)"
  ctest_suite googletest "$BUILD_DIR" -LE fuzz
  phase_done "GoogleTest"
  phase "tests: fuzz regression corpus (ctest -L fuzz)"
  ctest_suite fuzz-corpus "$BUILD_DIR" -L fuzz
  phase_done "fuzz regression corpus"

  # The runtime, the simulators and every file reader (the MLIR one is the
  # hpt dialects' parsers and verifiers, behind the dialect unit tests and the
  # MLIR fuzz target); the passes, hpt-opt and hpt-translate come unsanitized
  # from $BUILD_DIR.
  phase "build: sanitized runtime, simulators and readers in $ASAN_DIR"
  TARGETS="hpt-hw hpt-run hpt-sim-pim hpt-sim-systolic hpt-emulated-cuda HptHardwareTests HptRuntimeTests HptUnitTests hpt-fuzz-targets" \
    configure_and_build "$ASAN_DIR" -DHPT_SANITIZE="$SANITIZERS" -DHPT_BUILD_COMPILER=ON \
    -DHPT_COMPILER_TOOLS_DIR="$PWD/$BUILD_DIR/bin"
  phase_done "sanitized build"
  phase "tests: sanitized unit tests and fuzz corpus"
  ctest_suite asan-ubsan-ctest "$ASAN_DIR"
  phase_done "sanitized unit tests"
  phase "tests: sanitized runtime and simulator lit tests"
  lit_suite asan-ubsan-lit "$ASAN_DIR/test/e2e" "$ASAN_DIR/test/systolic" "$ASAN_DIR/test/hardware"
  phase_done "sanitized lit tests"
  summarise
}

# The whole suite, compiler included, built with the sanitizers into
# $SANITIZED_DIR (slow: for a full check, not for CI).
run_sanitized_suite() {
  phase "build: everything sanitized in $SANITIZED_DIR"
  configure_and_build "$SANITIZED_DIR" -DHPT_SANITIZE="$SANITIZERS"
  phase_done "sanitized build"
  phase "tests: the whole suite, sanitized"
  lit_suite asan-ubsan-lit "$SANITIZED_DIR/test"
  ctest_suite asan-ubsan-ctest "$SANITIZED_DIR"
  phase_done "sanitized suite"
  summarise
}

case "${1:-}" in
  run) install_missing; build; run_main ;;
  test) install_missing; build; run_tests ;;
  sanitize) install_missing; run_sanitized_suite ;;
  *) echo "usage: $0 run|test|sanitize" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Runs hpt's fuzz targets under libFuzzer and reports, per target, the
# executions run and the findings made.
#
#   fuzz/run.sh [-t SECONDS] [-j PARALLEL] [-m] [TARGET...]
#
#   -t SECONDS   fuzzing time per target (default 600)
#   -j PARALLEL  targets fuzzed at once (default: number of cores)
#   -m           afterwards, merge into fuzz/corpus/<target>/ the inputs that
#                reach coverage the committed corpus does not (libFuzzer -merge=1)
#   TARGET       bundle archive hardware scalesim-cfg topology sa-text sa-binary
#                wind-data mnsim-ini layer-list pim-program mlir (default: all)
#
# Builds build-fuzz/ with clang++-22 (-fsanitize=fuzzer,address,undefined),
# installing clang-22, libclang-rt-22-dev and libomp-22-dev (clang's OpenMP)
# from Debian when missing. Each target works on a copy of its committed
# corpus (fuzz/corpus/<target>/) in build-fuzz/corpus/<target>/; findings
# (crash-, timeout-, oom-, leak-, slow- files) land in
# build-fuzz/findings/<target>/ and the libFuzzer log in
# build-fuzz/logs/<target>.log. Hangs (-timeout) and memory blow-ups
# (-rss_limit_mb, -malloc_limit_mb) count as findings. Once fixed, a finding
# goes into fuzz/corpus/<target>/ under a name that says what it found, where
# ctest replays it on every build.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET=600
PARALLEL=$(nproc)
MERGE=0
ALL_TARGETS=(bundle archive hardware scalesim-cfg topology sa-text sa-binary wind-data mnsim-ini layer-list pim-program mlir)
while getopts "t:j:m" flag; do
  case $flag in
    t) SECONDS_PER_TARGET=$OPTARG ;;
    j) PARALLEL=$OPTARG ;;
    m) MERGE=1 ;;
    *) sed -n '2,14p' "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
TARGETS=("${@:-${ALL_TARGETS[@]}}")
for target in "${TARGETS[@]}"; do
  [[ " ${ALL_TARGETS[*]} " == *" $target "* ]] || { echo "unknown target '$target'" >&2; exit 2; }
done

LLVM_ROOT=/usr/lib/llvm-22
BUILD=build-fuzz
missing=()
for pkg in clang-22 libclang-rt-22-dev libomp-22-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

build_targets=()
for target in "${TARGETS[@]}"; do build_targets+=("hpt-fuzz-$target"); done
compiler=ON
[[ " ${TARGETS[*]} " == *" mlir "* ]] || compiler=OFF
cmake -G Ninja -S . -B "$BUILD" -DMLIR_DIR="$LLVM_ROOT/lib/cmake/mlir" \
  -DCMAKE_C_COMPILER="$LLVM_ROOT/bin/clang" -DCMAKE_CXX_COMPILER="$LLVM_ROOT/bin/clang++" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS=-Wno-unused-parameter \
  -DHPT_FUZZ_ENGINE=libfuzzer \
  -DHPT_SANITIZE="address;undefined" -DHPT_BUILD_COMPILER=$compiler > /dev/null
cmake --build "$BUILD" --target "${build_targets[@]}"

fuzz_one() {
  local target=$1 corpus=$BUILD/corpus/$1 findings=$BUILD/findings/$1
  mkdir -p "$corpus" "$findings" "$BUILD/logs"
  cp -n fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
  local start=$SECONDS
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$BUILD/bin/hpt-fuzz-$target" "$corpus" \
    -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/" \
    > "$BUILD/logs/$target.log" 2>&1 || true
  echo $((SECONDS - start)) > "$BUILD/logs/$target.seconds"
}
export -f fuzz_one
export BUILD SECONDS_PER_TARGET
printf '%s\n' "${TARGETS[@]}" | xargs -P "$PARALLEL" -I{} bash -c 'fuzz_one {}'

printf '%-14s %8s %12s %8s %9s\n' target seconds executions corpus findings
status=0
for target in "${TARGETS[@]}"; do
  log=$BUILD/logs/$target.log
  execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' || echo "?")
  time=$(cat "$BUILD/logs/$target.seconds")
  corpus=$(find "$BUILD/corpus/$target" -type f | wc -l)
  found=$(find "$BUILD/findings/$target" -type f | wc -l)
  [ "$found" -eq 0 ] || status=1
  printf '%-14s %8s %12s %8s %9s\n' "$target" "${time:--}" "$execs" "$corpus" "$found"
  [ "$found" -eq 0 ] || ls "$BUILD/findings/$target" | sed 's/^/    /'
done
if [ "$MERGE" -eq 1 ]; then
  for target in "${TARGETS[@]}"; do
    before=$(find "fuzz/corpus/$target" -type f | wc -l)
    "$BUILD/bin/hpt-fuzz-$target" -merge=1 "fuzz/corpus/$target" "$BUILD/corpus/$target" \
      > "$BUILD/logs/$target.merge.log" 2>&1
    echo "merged $target: $before -> $(find "fuzz/corpus/$target" -type f | wc -l) inputs"
  done
fi
exit $status

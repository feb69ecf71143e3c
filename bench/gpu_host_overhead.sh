#!/usr/bin/env bash
# hpt-run's own host-side cost of driving a GPU through a Wind training step,
# measured without one: the emulated CUDA driver (test/emulated-cuda) in its
# skip mode returns from every launch and sgemm at once, so a step's time is
# what the executor and the CUDA device spend issuing its launches, products
# and copies (not the driver's own launch cost, nor the GPU's work).
#
#   bench/gpu_check.sh prepare && bench/gpu_host_overhead.sh [STEPS]
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-100}
bundle=.gpu-check/wind.hptb
[[ -f $bundle ]] || { echo "no $bundle: run 'bench/gpu_check.sh prepare' first" >&2; exit 1; }
timings=$(mktemp)
trap 'rm -f "$timings"' EXIT
HPT_CUDA_DRIVER=build/lib/libhpt-emulated-cuda.so HPT_CUBLAS=build/lib/libhpt-emulated-cuda.so \
  HPT_EMULATED_GPU_SKIP=1 OMP_NUM_THREADS=1 \
  build/bin/hpt-run "$bundle" --data wind --wind-target change --steps "$steps" --quiet --no-eval \
  --gpu cuda --timings "$timings" 2>/dev/null | grep '^gpu'
/usr/bin/python3 bench/gpu_bundle_stats.py "$bundle"
/usr/bin/python3 - "$timings" <<'PY'
import csv, statistics, sys
ms = [float(r["ms"]) for r in csv.DictReader(open(sys.argv[1]))][10:]
print("host side of a Wind step (measured, steps 11-%d): median %.3f ms, min %.3f ms"
      % (len(ms) + 10, statistics.median(ms), min(ms)))
PY

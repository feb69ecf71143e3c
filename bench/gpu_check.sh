#!/usr/bin/env bash
# The checks of hpt-run's CUDA device that need a GPU (issue 13, docs/gpu.md),
# in two halves:
#
#   bench/gpu_check.sh prepare [DIR]   here, after ./dev.sh build: the bundles
#       (tiny, 2-layer Wind, Wind; the training step and the evaluation placed
#       on the GPU and compiled for it), a prebuilt hpt-run and the libraries
#       it needs that a machine without Debian's packages lacks, into DIR
#       (default .gpu-check, git-ignored). Prints what travels.
#   bench/gpu_check.sh run [DIR]       on the GPU machine, in one device call,
#       e.g. run(command="bash bench/gpu_check.sh run", carry=[".gpu-check"]).
#
# `run` prints every figure and ends with PASS or FAIL lines:
#   1. 20 training steps of tiny and of the 2-layer Wind on the GPU against the
#      host (--gpu roofline): the loss within 1e-4 relative at every step;
#   2. one full Wind training step, hpt-run's CUDA device against PyTorch eager
#      on the same GPU (fp32, TF32 off; median of 20 after 10 warm-up steps);
#      products: cuBLAS in both (hpt generates no GEMM kernel);
#   3. the Wind step's time per op kind between CUDA events (--profile-csv);
#   4. compute-sanitizer (memcheck) on two steps of tiny.
# It needs python3 with torch (the machine's own), nvidia-smi, libcublas
# (found under the Python packages or the toolkit, or $HPT_CUBLAS) and takes
# about two minutes.
set -uo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
dir=${2:-.gpu-check}

prepare() {
  set -e
  local bin=${BUILD_DIR:-build}/bin hw=configs/atleus-like.json
  [[ -x $bin/hpt-run && -x $bin/hpt-opt ]] || { echo "build first: ./dev.sh build" >&2; exit 1; }
  rm -rf "$dir" && mkdir -p "$dir/lib"
  place() { # MODEL.mlir → BUNDLE: train_step and forward on the GPU, with kernels
    "$bin/hpt-opt" "$1" --hpt-decompose-attention --hpt-autodiff \
      --hpt-partition="function=train_step hw=$hw" --hpt-partition="function=forward hw=$hw" \
      --convert-hpt-to-gpu | "$bin/hpt-translate" --hpt-to-bundle -o "$2"
  }
  /usr/bin/python3 models/generate.py --app tiny > "$dir/tiny.mlir"
  /usr/bin/python3 models/generate.py --app wind --layers 2 > "$dir/wind2.mlir"
  place "$dir/tiny.mlir" "$dir/tiny.hptb"
  place "$dir/wind2.mlir" "$dir/wind2.hptb"
  place models/wind/wind.mlir "$dir/wind.hptb"
  rm "$dir"/*.mlir
  cp "$bin/hpt-run" "$dir/"
  # What hpt-run links beyond glibc and the C++ runtime, which the GPU
  # machine has in newer versions.
  ldd "$bin/hpt-run" | awk '/=> \// {print $3}' |
    grep -Ev '/(libc|libm|libstdc\+\+|libgcc_s|ld-linux[^/]*)\.so' |
    while read -r lib; do cp -L "$lib" "$dir/lib/"; done
  du -sh "$dir" "$dir"/* "$dir"/lib/*
  local tree
  tree=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
  echo "travels: $(( ($(du -sb "$dir" | cut -f1) + tree) >> 20 )) MiB with the working tree (limit 64)"
}

failures=0
verdict() { # NAME OK? DETAIL
  if [[ $2 == 0 ]]; then echo "PASS $1: $3"; else echo "FAIL $1: $3"; failures=$((failures + 1)); fi
}

find_cublas() {
  [[ -n ${HPT_CUBLAS:-} ]] && { echo "$HPT_CUBLAS"; return; }
  local found
  found=$(python3 -c 'import nvidia.cublas, os; print(os.path.join(list(nvidia.cublas.__path__)[0], "lib", "libcublas.so.13"))' 2>/dev/null)
  [[ -n $found && -e $found ]] && { echo "$found"; return; }
  find /usr/local/cuda*/lib64 /usr/lib /opt -name 'libcublas.so.1[23]' 2>/dev/null | head -1
}

median_ms() { # CSV(step,ms) FIRST-STEP
  python3 - "$1" "$2" <<'EOF'
import csv, statistics, sys
rows = [float(r["ms"]) for r in csv.DictReader(open(sys.argv[1])) if int(r["step"]) >= int(sys.argv[2])]
print("%.3f" % statistics.median(rows))
EOF
}

run() {
  [[ -x $dir/hpt-run ]] || { echo "no $dir/hpt-run: run 'bench/gpu_check.sh prepare' first" >&2; exit 1; }
  local out=${OUT:-/tmp/gpu-check}
  mkdir -p "$out"
  # hpt-run's libraries for hpt-run alone: PyTorch brings its own.
  local libs="$PWD/$dir/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export HPT_CUBLAS
  HPT_CUBLAS=$(find_cublas)
  export OMP_NUM_THREADS=${OMP_NUM_THREADS:-8} OPENBLAS_NUM_THREADS=1
  hptrun() { LD_LIBRARY_PATH="$libs" "$PWD/$dir/hpt-run" "$@"; }
  nvidia-smi -L
  echo "cuBLAS: ${HPT_CUBLAS:-none found}"
  local data=(--data wind --data-file data/wind/MS_winds.dat --wind-target change)

  echo "== 1. 20 steps on the GPU against the host (loss within 1e-4 relative at every step)"
  for model in tiny wind2; do
    local args=(--data synthetic)
    [[ $model == wind2 ]] && args=("${data[@]}")
    hptrun "$dir/$model.hptb" "${args[@]}" --steps 20 --quiet --gpu roofline \
      --losses "$out/$model-host.csv" > "$out/$model-host.txt" 2>&1
    hptrun "$dir/$model.hptb" "${args[@]}" --steps 20 --quiet --gpu cuda \
      --losses "$out/$model-gpu.csv" > "$out/$model-gpu.txt" 2>&1
    local status=$?
    cat "$out/$model-gpu.txt"
    grep '^test:' "$out/$model-host.txt" | sed 's/^/host /'
    [[ $status == 0 ]] || { verdict "$model on the GPU" 1 "hpt-run failed ($status)"; continue; }
    local same
    same=$(python3 test/e2e/Inputs/same_losses.py "$out/$model-host.csv" "$out/$model-gpu.csv" 1e-4 2>&1)
    verdict "$model 20 steps" $? "$same"
  done

  echo "== 2. one Wind training step: hpt-run's CUDA device against PyTorch eager (fp32, TF32 off)"
  hptrun "$dir/wind.hptb" "${data[@]}" --steps 30 --quiet --no-eval --gpu cuda \
    --timings "$out/wind-steps.csv" > "$out/wind-gpu.txt" 2>&1
  cat "$out/wind-gpu.txt"
  local hpt torch ratio
  hpt=$(median_ms "$out/wind-steps.csv" 11)
  torch=$(python3 bench/torch_wind_step.py --device cuda --steps 20 --warmup 10 |
          python3 -c 'import json, sys; print("%.3f" % json.load(sys.stdin)["median_ms"])')
  ratio=$(python3 -c "print('%.2f' % ($hpt / $torch))")
  echo "Wind step (median of steps 11-30): hpt-run ${hpt} ms, PyTorch eager ${torch} ms: ${ratio}x PyTorch's time"
  python3 -c "import sys; sys.exit(0 if $hpt <= $torch else 1)"
  verdict "Wind step <= 1.0x PyTorch eager" $? "${ratio}x"
  python3 bench/gpu_bundle_stats.py "$dir/wind.hptb"

  echo "== 3. the Wind step per op kind, between CUDA events (measured)"
  hptrun "$dir/wind.hptb" "${data[@]}" --steps 3 --quiet --no-eval --gpu cuda \
    --profile-csv "$out/wind-profile.csv" --trace-steps 0 > /dev/null 2>&1
  python3 - "$out/wind-profile.csv" <<'EOF'
import collections, csv, sys
ns, calls = collections.Counter(), collections.Counter()
for r in csv.DictReader(open(sys.argv[1])):
    if r["kind"] == "op" and r["step"] == "3":
        ns[r["op"]] += int(r["gpu_event_ns"]); calls[r["op"]] += 1
total = sum(ns.values())
print("step 3: %.3f ms in %d GPU ops between events" % (total / 1e6, sum(calls[o] for o in ns if ns[o])))
for op, t in ns.most_common(12):
    print("  %-22s %5d calls %9.3f ms %5.1f %%" % (op, calls[op], t / 1e6, 100 * t / max(total, 1)))
EOF

  echo "== 4. compute-sanitizer (memcheck) on two steps of tiny"
  if command -v compute-sanitizer > /dev/null; then
    LD_LIBRARY_PATH="$libs" compute-sanitizer --tool memcheck --error-exitcode 3 \
      "$PWD/$dir/hpt-run" "$dir/tiny.hptb" --data synthetic --steps 2 --quiet --gpu cuda \
      > "$out/sanitizer.txt" 2>&1
    local status=$?
    tail -n 6 "$out/sanitizer.txt"
    if grep -q "Device not supported" "$out/sanitizer.txt"; then
      echo "SKIP compute-sanitizer memcheck: it does not support this machine's device"
    else
      verdict "compute-sanitizer memcheck" $status "exit $status"
    fi
  else
    echo "compute-sanitizer is not on PATH"
  fi
  echo "== $failures failed"
  [[ $failures == 0 ]]
}

case $mode in
  prepare) prepare ;;
  run) run ;;
  *) sed -n '2,25p' "$0" >&2; exit 2 ;;
esac

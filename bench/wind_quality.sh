#!/usr/bin/env bash
# HpT's schedule against full-parameter training on the Wind data, same budget
# and settings (docs/hpt-schedule.md, "Quality on the Wind data"):
#   bench/wind_quality.sh [OUT_DIR]        (default build/wind-quality; ~2 h on 2 cores)
# Runs, one after the other, on the full Wind model with --wind-target change:
#   full      --schedule full                  (AdamW lr 3e-5, weight decay 1e-4)
#   hpt       --schedule hpt, LoRA rank 8      (full phase as above; LoRA phase AdamW 1e-4)
#   hpt-auto  --schedule hpt --rank auto       (LoRA programs of rank 2..32 in the bundle)
# and prints one table row per run from the runs' outputs. Environment:
# HPT_EPOCHS (default 2), HPT_FULL_LR (the full phase's AdamW lr, default 3e-5),
# HPT_RUNS (which runs, default "full hpt hpt-auto"), HPT_BIN (default build/bin),
# OPENBLAS_NUM_THREADS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-build/wind-quality}
BIN=${HPT_BIN:-build/bin}
EPOCHS=${HPT_EPOCHS:-2}
RUNS=${HPT_RUNS:-full hpt hpt-auto}
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-2}
mkdir -p "$OUT"

FULL_OPT="optimizer=adamw lr=${HPT_FULL_LR:-3e-5} weight-decay=1e-4"
LORA_OPT="optimizer=adamw lr=1e-4 weight-decay=1e-4"

compile() { # compile OUT.hptb LORA-OPTIONS RANKS...
  local bundle=$1 lora=$2
  shift 2
  local passes=("--hpt-lora=$lora" "--hpt-autodiff=$FULL_OPT")
  if [ $# -eq 0 ]; then
    passes+=("--hpt-autodiff=function=forward_lora train-function=train_step_lora $LORA_OPT")
  fi
  for r in "$@"; do
    passes+=("--hpt-autodiff=function=forward_lora_r$r train-function=train_step_lora_r$r $LORA_OPT")
  done
  "$BIN/hpt-opt" models/wind/wind.mlir "${passes[@]}" | "$BIN/hpt-translate" --hpt-to-bundle -o "$bundle"
}

compile "$OUT/wind.hptb" "rank=8"
case " $RUNS " in *" hpt-auto "*) compile "$OUT/wind-auto.hptb" "rank=auto" 2 4 8 16 32 ;; esac

train() { # train NAME BUNDLE ARGS...
  local name=$1 bundle=$2
  shift 2
  echo "==> $name"
  "$BIN/hpt-run" "$bundle" --data wind --wind-target change --epochs "$EPOCHS" --quiet \
    --losses "$OUT/$name-losses.csv" --checkpoint "$OUT/$name.ckpt" --checkpoint-every 2000 \
    "$@" 2> >(tee "$OUT/$name.err" >&2) | tee "$OUT/$name.out"
}

for name in $RUNS; do
  case $name in
    full) train full "$OUT/wind.hptb" --schedule full ;;
    hpt) train hpt "$OUT/wind.hptb" --schedule hpt --switch-log "$OUT/hpt-switch.jsonl" ;;
    hpt-auto) train hpt-auto "$OUT/wind-auto.hptb" --schedule hpt --rank auto \
      --switch-log "$OUT/hpt-auto-switch.jsonl" ;;
    *) echo "wind_quality.sh: HPT_RUNS names an unknown run '$name' (full, hpt, hpt-auto)" >&2; exit 2 ;;
  esac
done

echo
printf '%-9s %-60s %s\n' run schedule "test RMSE (m/s)"
for name in $RUNS; do
  printf '%-9s %-60s %s\n' "$name" \
    "$(grep -m1 '^schedule' "$OUT/$name.out" | cut -c1-60 || echo 'schedule full')" \
    "$(grep -m1 '^test:' "$OUT/$name.out" | sed 's/.*RMSE //')"
done
for name in $RUNS; do grep -h 'baseline' "$OUT/$name.out"; done

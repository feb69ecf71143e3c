#!/bin/bash
# Noise-aware placement of the full Wind model, beside HpT's mapping and the
# cost search (docs/partition.md, "Noise-aware placement"; about 4 minutes):
#
#   bench/noise_aware_wind.sh [WORK_DIR]
#
# Trains the model fully for 300 steps, measures every frozen weight's noise
# sensitivity on 8 held-out samples through ReRAM cells programmed with 5 %
# noise, places the LoRA step by each policy, and checks the noise-aware
# placement on 16 other samples with another seed. Figures are modelled
# except the losses.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$ROOT/build/bin
WORK=${1:-/tmp/hpt-noise-aware}
mkdir -p "$WORK" && cd "$WORK"
/usr/bin/python3 "$ROOT/test/e2e/Inputs/noisier_cells.py" "$ROOT/configs/atleus-like.json" 0.05 hw.json
/usr/bin/python3 "$ROOT/models/generate.py" --app wind | "$B/hpt-opt" --hpt-lora="rank=8" \
  --hpt-autodiff="optimizer=adam lr=1e-4" \
  --hpt-autodiff="function=forward_lora train-function=train_step_lora optimizer=adam lr=1e-4" -o wind.mlir
"$B/hpt-translate" --hpt-to-bundle wind.mlir -o host.hptb
env OMP_NUM_THREADS=2 "$B/hpt-run" host.hptb --data wind --steps 300 --quiet --no-eval --checkpoint full.ckpt
"$B/hpt-opt" wind.mlir --hpt-place="gemm=reram unsupported=host hw=hw.json" --hpt-crossbar-tile="hw=hw.json" |
  "$B/hpt-translate" --hpt-to-bundle -o candidates.hptb
env OMP_NUM_THREADS=2 "$B/hpt-run" candidates.hptb --schedule lora --init-from full.ckpt --data wind \
  --reram-noise programming --sensitivity sensitivity.json --sensitivity-samples 8 > sensitivity.txt
for policy in hpt "cost objective=latency" "cost objective=energy" \
              "noise-aware sensitivity=sensitivity.json loss-budget=0.01"; do
  tag=$(echo "$policy" | cut -d' ' -f1 | tr -d -)$(echo "$policy" | grep -o 'objective=[a-z]*' | sed 's/objective=/-/' || true)
  "$B/hpt-opt" wind.mlir -o "$tag.mlir" \
    --hpt-partition="function=train_step_lora hw=hw.json policy=$policy report=$tag.json table=$tag.txt"
  /usr/bin/python3 -c "import json, sys; s = json.load(open('$tag.json'))['step']; print('%-14s LoRA step %8.3f ms %8.4f J (modelled)' % ('$tag', s['seconds'] * 1e3, s['energy_pj'] * 1e-12))"
done
"$B/hpt-opt" noiseaware.mlir --hpt-crossbar-tile="hw=hw.json" --hpt-systolic-tile="hw=hw.json" \
  --convert-hpt-to-pim --convert-hpt-to-sa | "$B/hpt-translate" --hpt-to-bundle -o chosen.hptb
env OMP_NUM_THREADS=2 "$B/hpt-run" chosen.hptb --schedule lora --init-from full.ckpt --data wind \
  --reram-noise programming --reram-seed 7 --sensitivity check.json --sensitivity-samples 16 > check.txt
/usr/bin/python3 - noiseaware.json check.json <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))["noise_aware"]
check = json.load(open(sys.argv[2]))
kept = [w for w in report["weights"] if w["reram"]]
change = abs(check["all"]["loss"] - check["baseline_loss"]) / check["baseline_loss"]
print(f"noise-aware kept {len(kept)} of {len(report['weights'])} weights on ReRAM, sensitivities "
      f"summing to {report['kept'] / report['baseline_loss']:.2%} of the loss (budget "
      f"{report['loss_budget']:.0%}); checked on {len(check['samples'])} other samples, seed "
      f"{check['seeds'][0]}: the loss moved {change:.2%}")
PY

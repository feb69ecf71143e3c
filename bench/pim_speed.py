#!/usr/bin/python3
"""How fast hpt simulates ReRAM crossbars (docs/pim.md, "Speed").

  /usr/bin/python3 bench/pim_speed.py [--seconds S]

Compiles the LoRA programs of the four HpT models with their frozen products
on the Atleus-like chip's ReRAM (hpt-lora, hpt-place gemm=reram,
hpt-crossbar-tile, convert-hpt-to-pim, hpt-translate --pim-to-program), then
runs build/bin/hpt-bench-pim: functional products against the host's sgemm
(exact, clipping and noisy paths) and timing-only simulation of each model's
ReRAM steps. Single-threaded.
"""
import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin")
HW = os.path.join(ROOT, "configs", "atleus-like.json")


def compile_program(app, work):
    out = os.path.join(work, app + ".txt")
    model = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "models", "generate.py"),
                            "--app", app], check=True, stdout=subprocess.PIPE).stdout
    opt = subprocess.run(
        [os.path.join(BIN, "hpt-opt"), "--hpt-lora=rank=8",
         "--hpt-autodiff=function=forward_lora train-function=train_step_lora",
         "--hpt-place=gemm=reram unsupported=host hw=" + HW,
         "--hpt-crossbar-tile=hw=" + HW, "--convert-hpt-to-pim"],
        input=model, check=True, stdout=subprocess.PIPE).stdout
    subprocess.run([os.path.join(BIN, "hpt-translate"), "--pim-to-program", "-o", out],
                   input=opt, check=True)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", default="0.5")
    args = parser.parse_args()
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    with tempfile.TemporaryDirectory() as work:
        programs = [compile_program(app, work) for app in ("wind", "swe", "covid", "weather")]
        sys.stdout.flush()
        subprocess.run([os.path.join(BIN, "hpt-bench-pim"), HW, *programs,
                        "--seconds", args.seconds], check=True, env=env)


if __name__ == "__main__":
    main()

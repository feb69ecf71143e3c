"""Checks the ReRAM rows of an hpt-run --profile-csv: every product on reram
reads through the crossbars (conversions, ADC energy), its energy is the sum of
its components (ADC, DAC, cells, digital, buffers, writes), the first read of
each weight writes it and no later one does: check_reram_profile.py PROFILE.csv."""
import csv
import sys

rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["device"] == "reram"]
if not rows:
    sys.exit("no op ran on reram")
written = [r for r in rows if int(r["cells_written"]) > 0]
steps = sorted({int(r["step"]) for r in written})
for r in rows:
    if int(r["conversions"]) <= 0 or float(r["adc_pj"]) <= 0:
        sys.exit("op %s of step %s reads nothing through an ADC" % (r["op_index"], r["step"]))
    parts = sum(float(r[c]) for c in ("adc_pj", "dac_pj", "cell_pj", "digital_pj", "buffer_pj",
                                      "write_pj"))
    if float(r["buffer_pj"]) <= 0 or abs(parts - float(r["energy_pj_modelled"])) > 1e-6 * parts:
        sys.exit("op %s: energy %s pJ is not the sum of its components, %s pJ" %
                 (r["op_index"], r["energy_pj_modelled"], parts))
    if int(r["cells_written"]) > 0 and (int(r["write_pulses"]) <= 0 or float(r["write_pj"]) <= 0):
        sys.exit("op %s writes cells without pulses or energy" % r["op_index"])
print("%d reram ops, %d of them write (steps %s), %d conversions" %
      (len(rows), len(written), steps, sum(int(r["conversions"]) for r in rows)))

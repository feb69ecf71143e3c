"""Rewrites a bundle's hardware description so that its ReRAM chip has N x N
tiles (tile_rows = tile_cols = N), the rest unchanged and every section
frame recomputed: shrink_reram.py IN OUT N. The loader must then refuse the
bundle whose weights need more tiles."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "torch"))
import hpt_formats  # noqa: E402

source, target, tiles = sys.argv[1], sys.argv[2], int(sys.argv[3])
raw = open(source, "rb").read()
names = [line.split()[1].decode() for line in raw.split(b"\n") if line.startswith(b"SECTION ")]
sections = hpt_formats.read_bundle_sections(source)
hardware = json.loads(sections["hardware"])
hardware["reram"]["tile_rows"]["value"] = tiles
hardware["reram"]["tile_cols"]["value"] = tiles
sections["hardware"] = json.dumps(hardware, indent=2).encode()
out = [b"HPTBUNDLE 3 %d\n" % len(names)]
for name in names:
    body = sections[name]
    out.append(b"SECTION %s %d %016x\n" % (name.encode(), len(body), hpt_formats.fnv1a64(body)) +
               body + b"\n")
open(target, "wb").write(b"".join(out))

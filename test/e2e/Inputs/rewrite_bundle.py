"""Rewrites a bundle section (the first occurrence of OLD becomes NEW) and
recomputes its frame, so that the loader's checks behind the checksums can be
tested: rewrite_bundle.py IN OUT OLD NEW [SECTION] (default: program)."""
import sys

FNV_OFFSET, FNV_PRIME, MASK = 0xcbf29ce484222325, 0x100000001b3, (1 << 64) - 1


def fnv1a64(data):
    h = FNV_OFFSET
    for byte in data:
        h = ((h ^ byte) * FNV_PRIME) & MASK
    return h


source, target, old, new = sys.argv[1:5]
wanted = sys.argv[5] if len(sys.argv) > 5 else "program"
raw = open(source, "rb").read()
newline = raw.index(b"\n")
out, at, found = [raw[:newline + 1]], newline + 1, False
while at < len(raw):
    end = raw.index(b"\n", at)
    _, name, size, _ = raw[at:end].split()
    body = raw[end + 1:end + 1 + int(size)]
    if name.decode() == wanted and old.encode() in body:
        body, found = body.replace(old.encode(), new.encode(), 1), True
    out.append(b"SECTION %s %d %016x\n" % (name, len(body), fnv1a64(body)) + body + b"\n")
    at = end + 2 + int(size)
if not found:
    sys.exit("%s: section %s does not contain %r" % (source, wanted, old))
with open(target, "wb") as f:
    f.write(b"".join(out))

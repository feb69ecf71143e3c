"""Rewrites a bundle's payload (the first occurrence of OLD becomes NEW) and
recomputes the header, so that the loader's checks behind the checksum can
be tested: rewrite_bundle.py IN OUT OLD NEW."""
import sys

FNV_OFFSET, FNV_PRIME, MASK = 0xcbf29ce484222325, 0x100000001b3, (1 << 64) - 1


def fnv1a64(data):
    h = FNV_OFFSET
    for byte in data:
        h = ((h ^ byte) * FNV_PRIME) & MASK
    return h


source, target, old, new = sys.argv[1:5]
raw = open(source, "rb").read()
version = raw[:raw.index(b"\n")].split()[1]
payload = raw[raw.index(b"\n") + 1:].decode()
if old not in payload:
    sys.exit("%s does not contain %r" % (source, old))
payload = payload.replace(old, new, 1).encode()
with open(target, "wb") as f:
    f.write(b"HPTBUNDLE %s %d %016x\n" % (version, len(payload), fnv1a64(payload)))
    f.write(payload)

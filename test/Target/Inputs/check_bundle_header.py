"""Checks a bundle's header line against its payload (independently of hpt)."""
import json
import sys

FNV_OFFSET, FNV_PRIME = 0xCBF29CE484222325, 0x100000001B3


def fnv1a64(data: bytes) -> int:
    h = FNV_OFFSET
    for byte in data:
        h = ((h ^ byte) * FNV_PRIME) & 0xFFFFFFFFFFFFFFFF
    return h


raw = open(sys.argv[1], "rb").read()
header, _, payload = raw.partition(b"\n")
magic, version, size, checksum = header.decode().split(" ")
assert magic == "HPTBUNDLE", magic
assert int(size) == len(payload), (size, len(payload))
assert int(checksum, 16) == fnv1a64(payload), "checksum mismatch"
assert json.loads(payload)["version"] == int(version)
print(f"header ok: version {version}, {size} payload bytes")

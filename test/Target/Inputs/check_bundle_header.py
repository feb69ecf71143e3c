"""Checks a bundle's frame against its sections (independently of hpt):
the header, each section's size and checksum, and the program's version."""
import json
import sys

FNV_OFFSET, FNV_PRIME = 0xCBF29CE484222325, 0x100000001B3


def fnv1a64(data: bytes) -> int:
    h = FNV_OFFSET
    for byte in data:
        h = ((h ^ byte) * FNV_PRIME) & 0xFFFFFFFFFFFFFFFF
    return h


raw = open(sys.argv[1], "rb").read()
header, _, rest = raw.partition(b"\n")
magic, version, count = header.decode().split(" ")
assert magic == "HPTBUNDLE", magic
names, at = [], 0
for _ in range(int(count)):
    line, _, _ = rest[at:].partition(b"\n")
    tag, name, size, checksum = line.decode().split(" ")
    assert tag == "SECTION", tag
    body = rest[at + len(line) + 1:at + len(line) + 1 + int(size)]
    assert len(body) == int(size), (name, size, len(body))
    assert int(checksum, 16) == fnv1a64(body), "checksum mismatch in " + name
    if name == "program":
        assert json.loads(body)["version"] == int(version)
    names.append(name)
    at += len(line) + 1 + int(size) + 1
assert at == len(rest), "bytes after the last section"
print(f"frame ok: version {version}, sections {' '.join(names)}")

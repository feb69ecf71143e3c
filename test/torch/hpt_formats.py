"""Readers for hpt's files: bundles (.hptb), archives (.hpta) and loss CSVs.

Formats: include/hpt/Target/Bundle.h, lib/Target/Bundle.cpp (bundle) and
runtime/core/Archive.h (archive). Both carry an FNV-1a 64 checksum that is
verified here, so a truncated or stale file fails loudly.
"""

import json

import numpy as np


def fnv1a64(data, h=0xcbf29ce484222325):
    """FNV-1a 64 (hardware/Checksum.h); a byte loop, so only for small
    inputs (about 1 s per 10 MB)."""
    prime = 0x100000001b3
    mask = 0xFFFFFFFFFFFFFFFF
    for byte in data:
        h = ((h ^ byte) * prime) & mask
    return h


class FormatError(Exception):
    pass


def read_bundle_sections(path):
    """{name: bytes} of a bundle's sections (docs/bundle.md), each checked
    against its size and checksum."""
    with open(path, "rb") as f:
        raw = f.read()
    newline = raw.index(b"\n")
    fields = raw[:newline].split()
    if len(fields) != 3 or fields[0] != b"HPTBUNDLE" or fields[1] != b"3":
        raise FormatError("%s: not a version-3 hpt bundle" % path)
    sections, at = {}, newline + 1
    for _ in range(int(fields[2])):
        end = raw.index(b"\n", at)
        tag, name, size, checksum = raw[at:end].split()
        if tag != b"SECTION":
            raise FormatError("%s: expected a SECTION line" % path)
        body = raw[end + 1:end + 1 + int(size)]
        if len(body) != int(size) or raw[end + 1 + int(size):end + 2 + int(size)] != b"\n":
            raise FormatError("%s: section %s is truncated" % (path, name.decode()))
        if fnv1a64(body) != int(checksum, 16):
            raise FormatError("%s: section %s: checksum mismatch" % (path, name.decode()))
        sections[name.decode()] = body
        at = end + 2 + int(size)
    if at != len(raw):
        raise FormatError("%s: bytes after the last section" % path)
    return sections


def read_bundle(path):
    """The bundle's program section (dict with "params", "functions", "programs")."""
    return json.loads(read_bundle_sections(path)["program"])


VERIFY_LIMIT = 4 << 20


def read_archive(path, verify=None):
    """(meta, {name: float32 ndarray}) of an hpt archive. The checksum is
    verified when `verify` is true (default: for files up to 4 MiB, as the
    hash runs in pure Python); the sizes and offsets always are."""
    with open(path, "rb") as f:
        raw = f.read()
    newline = raw.index(b"\n")
    fields = raw[:newline].split()
    if len(fields) != 5 or fields[0] != b"HPTARCHIVE" or fields[1] != b"1":
        raise FormatError("%s: not a version-1 hpt archive" % path)
    index_bytes, data_bytes = int(fields[2]), int(fields[3])
    rest = raw[newline + 1:]
    if len(rest) != index_bytes + data_bytes:
        raise FormatError("%s: truncated" % path)
    index, data = rest[:index_bytes], rest[index_bytes:]
    if verify is None:
        verify = len(rest) <= VERIFY_LIMIT
    if verify and fnv1a64(data, fnv1a64(index)) != int(fields[4], 16):
        raise FormatError("%s: checksum mismatch" % path)
    root = json.loads(index)
    floats = np.frombuffer(data, dtype="<f4")
    tensors = {}
    for entry in root["tensors"]:
        shape = tuple(entry["shape"])
        count = int(np.prod(shape)) if shape else 1
        off = entry["offset"]
        if off + count > floats.size:
            raise FormatError("%s: tensor %s lies outside the data" % (path, entry["name"]))
        tensors[entry["name"]] = floats[off:off + count].reshape(shape).astype(np.float32)
    return root["meta"], tensors


def read_losses(path):
    """Per-step losses of hpt-run --losses (a float64 array, step 1 first)."""
    with open(path) as f:
        lines = f.read().split()
    if not lines or lines[0] != "step,loss":
        raise FormatError("%s: not a loss CSV" % path)
    steps, losses = [], []
    for line in lines[1:]:
        s, l = line.split(",")
        steps.append(int(s))
        losses.append(float(l))
    if steps != list(range(steps[0], steps[0] + len(steps))):
        raise FormatError("%s: steps are not consecutive" % path)
    return np.array(losses, dtype=np.float64)

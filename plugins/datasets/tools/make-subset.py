#!/usr/bin/env python3
"""Regenerates the Fashion-MNIST subset bundled with assay-datasets.

Reads the four idx files of the full dataset (gzip or plain) and writes the first
TRAIN_COUNT training and TEST_COUNT test records, in the same idx format, gzip-compressed
(mtime 0, so the output is byte-for-byte reproducible), then prints each file's SHA-256
for the resource README.

Usage (python3 standard library only):
    python3 plugins/datasets/tools/make-subset.py \
        [--source /usr/share/datasets/fashion-mnist] \
        [--out plugins/datasets/src/main/resources/dev/assay/datasets/fashion-mnist-subset]

The source defaults to the Debian package dataset-fashion-mnist's directory.
"""
import argparse
import gzip
import hashlib
import os
import struct

TRAIN_COUNT = 6000
TEST_COUNT = 1000
FILES = [
    ("train-images-idx3-ubyte", TRAIN_COUNT),
    ("train-labels-idx1-ubyte", TRAIN_COUNT),
    ("t10k-images-idx3-ubyte", TEST_COUNT),
    ("t10k-labels-idx1-ubyte", TEST_COUNT),
]
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(
    HERE, "..", "src", "main", "resources", "dev", "assay", "datasets", "fashion-mnist-subset")


def read_raw(directory, stem):
    """Returns the uncompressed bytes of <stem>.gz or <stem> in directory."""
    gz = os.path.join(directory, stem + ".gz")
    if os.path.exists(gz):
        with gzip.open(gz, "rb") as f:
            return f.read()
    with open(os.path.join(directory, stem), "rb") as f:
        return f.read()


def truncate(raw, count, stem):
    """Returns the idx bytes holding only the first count records."""
    magic = struct.unpack(">I", raw[:4])[0]
    if magic >> 8 != 0x08:
        raise ValueError(f"{stem}: magic 0x{magic:08x} is not an unsigned-byte idx file")
    ndims = magic & 0xFF
    dims = list(struct.unpack(">" + "I" * ndims, raw[4:4 + 4 * ndims]))
    if dims[0] < count:
        raise ValueError(f"{stem}: has {dims[0]} records, fewer than {count}")
    record = 1
    for d in dims[1:]:
        record *= d
    header = struct.pack(">I", magic) + struct.pack(">" + "I" * ndims, count, *dims[1:])
    body_start = 4 + 4 * ndims
    return header + raw[body_start:body_start + count * record]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for stem, count in FILES:
        data = truncate(read_raw(args.source, stem), count, stem)
        path = os.path.join(args.out, stem + ".gz")
        with open(path, "wb") as raw_out:
            with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw_out,
                               mtime=0) as f:
                f.write(data)
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        print(f"{stem}.gz  records={count}  bytes={os.path.getsize(path)}  sha256={digest}")


if __name__ == "__main__":
    main()

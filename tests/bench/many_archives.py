#!/usr/bin/env python3
"""many_archives.py: lay out a "many archives" corpus for bench_unpack.sh.

    many_archives.py SHARED_DATA OUTDIR COPIES GROUPS

Takes every MIDI file under SHARED_DATA/unlabelled and SHARED_DATA/labelled (sorted paths), makes
COPIES distinct versions of each and deals them round-robin into GROUPS folders OUTDIR/g000 ...
(bench_unpack.sh packs each folder into one archive with bsdtar, cycling through the formats).

Copy 0 is the file itself. Copy c > 0 is the same file with its MThd division raised by c ticks per
quarter: still a valid SMF that every reader parses with the same work, but with other bytes and so
another MD5, so the copies are not stored as duplicates (a corpus of identical copies would make
the write phase, and the store, artificially small). Files whose division cannot be raised (RIFF
RMID, SMPTE time, or not starting with MThd) get copy 0 only.
"""
import os
import sys


def main():
    shared, out, copies, groups = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    files = []
    for sub in ("unlabelled", "labelled"):
        for root, _, names in os.walk(os.path.join(shared, sub)):
            files += [os.path.join(root, n) for n in names if n.lower().endswith((".mid", ".midi"))]
    files.sort()
    for g in range(groups):
        os.makedirs(os.path.join(out, "g%03d" % g), exist_ok=True)
    k = 0
    for c in range(copies):
        for path in files:
            data = open(path, "rb").read()
            if c > 0:
                if len(data) < 14 or data[:4] != b"MThd" or data[12] & 0x80 or (data[12] << 8 | data[13]) + c > 0x7FFF:
                    continue
                div = (data[12] << 8 | data[13]) + c
                data = data[:12] + bytes([div >> 8, div & 0xFF]) + data[14:]
            name = "%d_%s" % (c, os.path.relpath(path, shared).replace("/", "_"))
            with open(os.path.join(out, "g%03d" % (k % groups), name), "wb") as f:
                f.write(data)
            k += 1
    print(k)


if __name__ == "__main__":
    main()

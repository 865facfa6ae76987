#!/bin/bash
# Makes firmware packages for AVSystem Anjay's demo client from a demo binary the user
# already has (make interop's firmware shape, docs/interop.md). Nothing of Anjay is in this
# script: it writes the package header the demo documents by its behaviour (read from its
# public demo/firmware_update.c) and changes one string of a COPY of the user's binary.
#
# What the demo does with a package (Firmware Update object, /5/0): after the download it
# reads a header, checks it, and at Execute Update (/5/0/2) it writes its firmware marker
# file (--fw-updated-marker-path: "update succeeded") and execv()s the image with its own
# argv. The new image starts, finds the marker, reports Update Result 1 and deletes it.
# The header, all integers big-endian:
#   8 bytes  magic "ANJAY_FW"
#   u16      header version, 2
#   u16      "force error" case: 0 none; 2 the update fails at Execute (int-779)
#   u32      checksum of the image (the CRC variant below)
#   u8       length of the package version, then its bytes: the demo takes only "1.0"
#   ...      the image
# The demo reports /3/0/3 as its library's version string (anjay_get_version(), compiled
# in: no option changes it), so the image is a copy of the demo in which that string is
# replaced by the new version (no longer than the old; NUL-padded): after the swap the
# device reports the new version, which is what int-770 H / int-771 I judge.
#
# Usage: anjay-fwpkg.sh DEMO OUTDIR [NEW_VERSION]
#   writes OUTDIR/good.pkg          header + image reporting NEW_VERSION (default: the old
#                                   one with its last digit + 1, e.g. 3.14.0 -> 3.14.1)
#          OUTDIR/unsupported.pkg   another magic: the demo answers Update Result 6 (int-777)
#          OUTDIR/install-fail.pkg  force-error 2: Update Result 8 at Execute (int-779)
#          OUTDIR/version           the new version (for --firmware-version)
#          OUTDIR/old-version       the demo's own version
# The tool makes the corrupted copy (int-776) itself from good.pkg.
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 DEMO OUTDIR [NEW_VERSION]" >&2
    exit 2
fi
demo=$1 out=$2 new=${3:-}
if [ ! -r "$demo" ]; then
    echo "$0: cannot read the demo binary $demo" >&2
    exit 1
fi
mkdir -p "$out"
exec python3 - "$demo" "$out" "$new" <<'EOF'
import re, struct, sys

demo, out, new = sys.argv[1], sys.argv[2], sys.argv[3]
image = bytearray(open(demo, "rb").read())

# The demo logs "Initializing Anjay X.Y.Z" and its get_version string is that X.Y.Z
# (the same bytes: compilers merge a string into the tail of a longer equal one).
m = re.findall(rb"Anjay (\d+\.\d+\.\d+)\0", image)
if len(m) != 1:
    sys.exit("%s: cannot find the demo's version string ('Anjay X.Y.Z') in %s" % (sys.argv[0], demo))
old = m[0]
if not new:
    parts = old.split(b".")
    last = int(parts[-1]) + 1
    if len(str(last)) > len(parts[-1]):
        last = 0 if parts[-1] != b"0" else 1
    new = b".".join(parts[:-1] + [str(last).encode()])
    if new == old:
        sys.exit("%s: give the new version (3rd argument)" % sys.argv[0])
else:
    new = new.encode()
if len(new) > len(old) or new == old or b"\0" in new:
    sys.exit("%s: the new version must differ from %s and be at most %d characters"
             % (sys.argv[0], old.decode(), len(old)))
hits, i = [], image.find(old + b"\0")
while i >= 0:
    hits.append(i)
    i = image.find(old + b"\0", i + 1)
if len(hits) != 1:
    sys.exit("%s: the version string %s occurs %d times in %s, expected once"
             % (sys.argv[0], old.decode(), len(hits), demo))
at = hits[0]
image[at:at + len(old)] = new + b"\0" * (len(old) - len(new))

# The demo's checksum: a reflected CRC-32 over polynomial 0xEDB88320, initial value 0, no
# final complement, whose table entry for a byte shifts in the polynomial when the low
# bit is CLEAR (not set, as in the common CRC-32) and complements the top byte.
def entry(b):
    r = b
    for _ in range(8):
        r = (r >> 1) if (r & 1) else ((r >> 1) ^ 0xEDB88320)
    return r ^ 0xFF000000
table = [entry(b) for b in range(256)]
def checksum(data):
    crc = 0
    t = table
    for b in data:
        crc = t[(b ^ crc) & 0xFF] ^ (crc >> 8)
    return crc

crc = checksum(image)
def package(magic=b"ANJAY_FW", force=0):
    return magic + struct.pack(">HHIB", 2, force, crc, 3) + b"1.0" + image
for name, data in (("good.pkg", package()),
                   ("unsupported.pkg", package(magic=b"NOT_ANJY")),
                   ("install-fail.pkg", package(force=2))):
    with open("%s/%s" % (out, name), "wb") as f:
        f.write(data)
open(out + "/version", "w").write(new.decode() + "\n")
open(out + "/old-version", "w").write(old.decode() + "\n")
print("%s: %s -> %s, image %d bytes, checksum %08x" % (out, old.decode(), new.decode(), len(image), crc))
EOF

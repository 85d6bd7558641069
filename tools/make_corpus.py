#!/usr/bin/env python3
"""Re-extract data/pride_and_prejudice.txt from Debian's r-cran-janeaustenr package.

The corpus for the character-level language models of chapter 8 is Jane Austen's
"Pride and Prejudice" (1813), public domain. Debian ships it (from Project Gutenberg
eBook #1342, licence boilerplate already removed by the upstream R package) as the R
data object `prideprejudice`, a character vector with one element per line, inside the
R lazy-load database usr/lib/R/site-library/janeaustenr/data/Rdata.{rdx,rdb}.

    python tools/make_corpus.py            # download the .deb, write data/pride_and_prejudice.txt
    python tools/make_corpus.py --check    # exit 1 unless the shipped file equals a fresh extraction
    python tools/make_corpus.py --deb FILE # use a .deb you already have (no download)

The download uses `apt-get download` (Debian's repositories only) into a temporary
directory; nothing is installed. The .deb is read with the standard library (ar + tar),
and the R serialization format is decoded by the small reader below, so neither R nor
dpkg is needed. Every step is deterministic: the same .deb gives the same bytes.
"""
import argparse
import bz2
import gzip
import hashlib
import io
import lzma
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import zlib
from pathlib import Path

PACKAGE = "r-cran-janeaustenr"
VERSION = "1.0.0-1"                       # Debian 12 "bookworm"
DEB_SHA256 = "df6bddf211906d1ff404f8ff662c21b34e6660e7f54a311084e749050c019c95"
DATA_DIR_IN_DEB = "usr/lib/R/site-library/janeaustenr/data/"
R_OBJECT = "prideprejudice"
OUTPUT = Path(__file__).resolve().parent.parent / "data" / "pride_and_prejudice.txt"

# Non-ASCII characters a Gutenberg text may use, mapped to ASCII. The janeaustenr copy of
# Pride and Prejudice is pure ASCII already, so none is used for it; any other
# non-ASCII character stops the script rather than slip into the corpus.
TO_ASCII = {
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u2013": "-", "\u2014": "--", "\u2026": "...", "\u00a0": " ",
}
ALLOWED = set("\n") | {chr(c) for c in range(32, 127)}


# --------------------------------------------------------------------------- .deb reading

def download_deb(workdir):
    """`apt-get download PACKAGE=VERSION` into workdir; fall back to the candidate version."""
    if shutil.which("apt-get") is None:
        sys.exit("apt-get not found: fetch the .deb of r-cran-janeaustenr on a Debian machine "
                 "and pass it with --deb FILE")
    workdir.chmod(0o755)                  # lets apt's sandbox user write there
    for spec in (f"{PACKAGE}={VERSION}", PACKAGE):
        print(f"running: apt-get download {spec}  (in {workdir})")
        result = subprocess.run(["apt-get", "download", spec], cwd=workdir,
                                capture_output=True, text=True)
        debs = sorted(workdir.glob(f"{PACKAGE}_*.deb"))
        if result.returncode == 0 and debs:
            if spec == PACKAGE:
                print(f"note: version {VERSION} was not available; got {debs[0].name}. "
                      "The output is still checked against the shipped SHA-256 by --check.")
            return debs[0]
        print(f"  failed: {result.stderr.strip() or result.stdout.strip()}")
    sys.exit("could not download the package (run `apt-get update` first?)")


def deb_members(deb_bytes):
    """The files of an ar archive (a .deb is one): {name: bytes}."""
    if deb_bytes[:8] != b"!<arch>\n":
        raise ValueError("not a .deb (ar) archive")
    members, pos = {}, 8
    while pos + 60 <= len(deb_bytes):
        header = deb_bytes[pos:pos + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        members[name] = deb_bytes[pos + 60:pos + 60 + size]
        pos += 60 + size + (size % 2)
    return members


def read_files_from_deb(deb_path, wanted):
    """Read the files `wanted` (paths inside the package) from the .deb's data.tar.*."""
    members = deb_members(Path(deb_path).read_bytes())
    name = next(n for n in members if n.startswith("data.tar"))
    blob = members[name]
    if name.endswith(".zst"):             # not in the standard library: let dpkg-deb unpack it
        blob = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb_path)],
                              check=True, capture_output=True).stdout
    out = {}
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:*") as tar:
        for member in tar.getmembers():
            path = member.name.removeprefix("./")
            if path in wanted:
                out[path] = tar.extractfile(member).read()
    missing = set(wanted) - set(out)
    if missing:
        raise FileNotFoundError(f"not in {deb_path}: {sorted(missing)}")
    return out


# ------------------------------------------------------------- R serialization (XDR, v2/v3)

class RReader:
    """Just enough of R's unserialize() for character vectors, lists and their names."""

    def __init__(self, data):
        self.data, self.pos, self.refs, self.native = data, 0, [], "utf-8"

    def int(self):
        value = struct.unpack_from(">i", self.data, self.pos)[0]
        self.pos += 4
        return value

    def read(self):
        if self.data[:2] != b"X\n":
            raise ValueError("not an XDR R serialization")
        self.pos = 2
        version = self.int()
        self.int(), self.int()            # writer's and minimal reader's R version
        if version == 3:
            n = self.int()
            self.native = self.data[self.pos:self.pos + n].decode("ascii").lower()
            self.pos += n
        return self.item()

    def item(self):
        flags = self.int()
        kind, levels = flags & 0xFF, flags >> 12
        has_attr, has_tag = flags & (1 << 9), flags & (1 << 10)
        if kind == 254:                   # NILVALUE_SXP
            return None
        if kind == 255:                   # REFSXP
            index = (flags >> 8) or self.int()
            return self.refs[index - 1]
        if kind in (241, 242, 250, 251, 252, 253):   # environments and special values
            return ("special", kind)
        if kind == 1:                     # SYMSXP
            symbol = ("symbol", self.item())
            self.refs.append(symbol)
            return symbol
        if kind == 9:                     # CHARSXP
            n = self.int()
            if n == -1:
                return None               # NA_character_
            raw = self.data[self.pos:self.pos + n]
            self.pos += n
            encoding = ("utf-8" if levels & 8 else "latin-1" if levels & 4
                        else "ascii" if levels & 64 else self.native)
            return raw.decode(encoding)
        if kind == 2:                     # LISTSXP (pairlist): attributes are one of these
            attr = self.item() if has_attr else None
            tag = self.item() if has_tag else None
            head, tail = self.item(), self.item()
            pairs = [(tag[1] if tag else None, head)] + (tail["pairs"] if tail else [])
            return {"pairs": pairs, "attr": attr}
        if kind in (10, 13):              # LGLSXP, INTSXP
            n = self.int()
            value = list(struct.unpack_from(f">{n}i", self.data, self.pos))
            self.pos += 4 * n
        elif kind == 14:                  # REALSXP
            n = self.int()
            value = list(struct.unpack_from(f">{n}d", self.data, self.pos))
            self.pos += 8 * n
        elif kind in (16, 19, 20):        # STRSXP, VECSXP, EXPRSXP
            value = [self.item() for _ in range(self.int())]
        else:
            raise ValueError(f"R object type {kind} is not supported by this reader")
        attributes = self.item() if has_attr else None
        names = None
        if attributes:
            names = dict(attributes["pairs"]).get("names")
        return {"type": kind, "value": value, "names": names["value"] if names else None}


def lazyload_object(rdx_bytes, rdb_bytes, name):
    """Fetch one object from an R lazy-load database (Rdata.rdx index + Rdata.rdb blobs)."""
    index = RReader(gzip.decompress(rdx_bytes)).read()
    parts = dict(zip(index["names"], index["value"]))
    variables = parts["variables"]
    where = dict(zip(variables["names"], variables["value"]))
    compressed = parts["compressed"]["value"][0]
    offset, length = where[name]["value"]
    blob = rdb_bytes[offset:offset + length]
    size = struct.unpack(">I", blob[:4])[0]
    if compressed == 1:
        raw = zlib.decompress(blob[4:])
    else:                                 # R's compress = 2 or 3: a type byte comes first
        method, payload = blob[4:5], blob[5:]
        raw = {b"Z": zlib.decompress, b"2": bz2.decompress, b"X": lzma.decompress,
               b"0": bytes}[method](payload)
    if len(raw) != size:
        raise ValueError(f"{name}: expected {size} bytes, got {len(raw)}")
    return RReader(raw).read()


# ------------------------------------------------------------------------------- cleaning

def clean(lines):
    """The cleaning steps listed in data/README.md, in order."""
    if any(line is None for line in lines):
        raise ValueError("the text has NA lines")
    text = "\n".join(lines)
    text = text.replace("\r\n", "\n").replace("\r", "\n")               # 1. \n line endings
    mapped = sum(text.count(c) for c in TO_ASCII)
    for char, ascii_ in TO_ASCII.items():                                # 2. ASCII quotes/dashes
        text = text.replace(char, ascii_)
    text = "\n".join(line.rstrip() for line in text.split("\n"))        # 3. no trailing blanks
    text = text.strip("\n") + "\n"                                       # 4. one final newline
    bad = sorted(set(text) - ALLOWED)
    if bad:
        raise ValueError(f"unexpected characters: {bad!r}")
    return text, mapped


def check_it_is_the_book(text):
    assert text.startswith("PRIDE AND PREJUDICE\n\nBy Jane Austen\n"), text[:80]
    assert "It is a truth universally acknowledged, that a single man in possession" in text
    chapters = [int(n) for n in re.findall(r"^Chapter (\d+)$", text, flags=re.M)]
    assert chapters == list(range(1, 62)), chapters
    assert text.endswith("had been the means of uniting them.\n")
    assert "gutenberg" not in text.lower()           # no licence boilerplate left


def extract(deb_path):
    digest = hashlib.sha256(Path(deb_path).read_bytes()).hexdigest()
    note = "matches" if digest == DEB_SHA256 else f"differs from {VERSION}'s {DEB_SHA256}"
    print(f"package: {Path(deb_path).name}, sha256 {digest} ({note})")
    rdx, rdb = DATA_DIR_IN_DEB + "Rdata.rdx", DATA_DIR_IN_DEB + "Rdata.rdb"
    files = read_files_from_deb(deb_path, [rdx, rdb])
    print(f"read /{rdx} and /{rdb} ({len(files[rdb]):,} bytes)")
    obj = lazyload_object(files[rdx], files[rdb], R_OBJECT)
    if obj["type"] != 16:
        raise ValueError(f"{R_OBJECT} is not a character vector")
    lines = obj["value"]
    print(f"R object `{R_OBJECT}`: character vector of {len(lines):,} lines")
    text, mapped = clean(lines)
    check_it_is_the_book(text)
    print(f"cleaned: {mapped} characters mapped to ASCII; 61 chapters, title and last "
          "sentence found, no Project Gutenberg boilerplate")
    return text.encode("utf-8")


def describe(data):
    text = data.decode("utf-8")
    return (f"{len(data):,} bytes, {len(text):,} characters, {len(set(text))} distinct "
            f"characters, sha256 {hashlib.sha256(data).hexdigest()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="compare the shipped file with a fresh extraction; exit 1 if they differ")
    parser.add_argument("--deb", type=Path, help="use this .deb instead of downloading it")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="default: %(default)s")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        deb = args.deb or download_deb(Path(tmp))
        data = extract(deb)
    print(f"fresh extraction: {describe(data)}")
    if args.check:
        if not args.output.exists():
            print(f"FAIL: {args.output} does not exist")
            return 1
        shipped = args.output.read_bytes()
        print(f"shipped {args.output.name}: {describe(shipped)}")
        if shipped != data:
            print("FAIL: the shipped file differs from a fresh extraction")
            return 1
        print("OK: the shipped file equals a fresh extraction")
        return 0
    args.output.write_bytes(data)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

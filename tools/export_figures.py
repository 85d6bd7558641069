#!/usr/bin/env python3
"""Save every PNG figure stored in a notebook's outputs, to look at them one by one.

Usage: python tools/export_figures.py notebooks/07_gradient_problems.ipynb [OUT_DIR]
Writes OUT_DIR/<notebook>_cell<NN>_<k>.png (default OUT_DIR: /tmp/figures).
"""
import base64
import sys
from pathlib import Path

import nbformat


def main(argv):
    path = Path(argv[0])
    out = Path(argv[1]) if len(argv) > 1 else Path("/tmp/figures")
    out.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(path, as_version=4)
    n = 0
    for i, cell in enumerate(nb.cells):
        for k, o in enumerate(cell.get("outputs", [])):
            png = o.get("data", {}).get("image/png")
            if png:
                target = out / f"{path.stem}_cell{i:02d}_{k}.png"
                target.write_bytes(base64.b64decode(png))
                print(target)
                n += 1
    print(f"{n} figures")


if __name__ == "__main__":
    main(sys.argv[1:])

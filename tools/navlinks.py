#!/usr/bin/env python3
"""Write the prev / index / next navigation cells of every chapter notebook.

Usage: python tools/navlinks.py          rewrite the navigation cells in place
       python tools/navlinks.py --check  exit 1 if any notebook is out of date

The chapters are the files notebooks/NN_slug.ipynb in name order; each one's title is
the first line of its first cell ("# N. Title"). A navigation cell is a markdown cell
with metadata {"nav": true}: one right after the title cell and one at the end.
Only those cells are touched, so running this never changes stored outputs.
"""
import sys
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def chapters():
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def title(path):
    nb = nbformat.read(path, as_version=4)
    first = "".join(nb.cells[0].source).splitlines()[0]
    return first.lstrip("#").strip()


def nav_text(paths, i):
    parts = []
    if i > 0:
        parts.append(f"[← {title(paths[i - 1])}]({paths[i - 1].name})")
    if i > 0:
        parts.append(f"[Contents]({paths[0].name})")
    if i + 1 < len(paths):
        parts.append(f"[{title(paths[i + 1])} →]({paths[i + 1].name})")
    return " | ".join(parts)


def with_nav(nb, text):
    """A copy of nb's cells with exactly two nav cells: after the title and at the end."""
    body = [c for c in nb.cells if not c.metadata.get("nav")]
    make = lambda: nbformat.v4.new_markdown_cell(text, metadata={"nav": True})
    cells = body[:1] + [make()] + body[1:] + [make()]
    for old, new in zip([c for c in nb.cells if c.metadata.get("nav")], [cells[1], cells[-1]]):
        new.id = old.id                    # keep ids stable so the file does not churn
    return cells


def main(argv):
    check = "--check" in argv
    paths = chapters()
    stale = []
    for i, path in enumerate(paths):
        nb = nbformat.read(path, as_version=4)
        cells = with_nav(nb, nav_text(paths, i))
        same = [(c.cell_type, c.source, c.metadata.get("nav")) for c in cells] == \
               [(c.cell_type, c.source, c.metadata.get("nav")) for c in nb.cells]
        if same:
            continue
        stale.append(path.name)
        if not check:
            nb.cells = cells
            nbformat.write(nb, path)
    strays = [f"{p.name} cell {i}" for p in paths for i, c in enumerate(nbformat.read(p, as_version=4).cells)
              if c.cell_type == "markdown" and not c.metadata.get("nav") and "| [Contents](" in c.source]
    if strays:                             # a copy of a navigation line that lost its metadata
        print("navigation lines outside the navigation cells: " + ", ".join(strays))
        return 1
    if check and stale:
        print("navigation out of date in: " + ", ".join(stale) + "  (run: python tools/navlinks.py)")
        return 1
    print(("checked" if check else "updated") + f" {len(paths)} notebooks" + (f", changed {stale}" if stale and not check else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

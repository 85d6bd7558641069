"""A two-page book that uses everything the web edition must handle (tests/test_site.py).

It is written at test time (nbval would run stored fixture notebooks as tests): a contents page
with Notation and Glossary sections, and a chapter with math, cross-links, a figure, a collapsed
solution of each kind, two ``book.widgets.live`` widgets and one old ``interact`` cell.
"""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NAV = "[← Fixture book](00_index.ipynb) | [Contents](00_index.ipynb)"

INDEX = [
    "# Fixture book\n\nA book with one chapter: [1. Demo](01_demo.ipynb).",
    "## Notation\n\n| symbol | meaning |\n|---|---|\n| $s_t$ | the state at step $t$ |",
    "## Glossary\n\n**state**: what the network remembers, $s_t \\in \\mathbb{R}^H$.",
]

CHAPTER = [
    ("md", "# 1. Demo\n\nThe recurrence $s_t = \\phi(U x_t + W s_{t-1} + b)$; every symbol is in the "
           "[notation](00_index.ipynb#Notation) table, every word in the [glossary](00_index.ipynb#Glossary)."),
    ("nav", NAV),
    ("code", "import numpy as np\nimport matplotlib.pyplot as plt\nfrom ipywidgets import "
             "Dropdown, FloatSlider, IntSlider, SelectionSlider, interact\nfrom rnn_core import book"),
    ("md", "## Math\n\n$$\n\\begin{aligned}\n\\delta_t &= \\frac{\\partial L}{\\partial s^*_t} \\\\\n"
           "&= W^\\top \\delta_{t+1} \\odot \\phi'(s^*_t)\n\\end{aligned}\n$$"),
    ("code", "fig, ax = plt.subplots(figsize=(4, 2))\n_ = ax.plot([0, 1, 2], [0, 1, 4])\n"
             "_ = ax.set_xlabel('t')\n_ = ax.set_ylabel('norm')\nplt.show()"),
    ("md", "## Widgets"),
    ("code", "def draw(a=1.0, kind='sin', n=2):\n    fig, ax = book.widgets.figure()\n"
             "    x = np.linspace(0, 2 * np.pi, 200)\n    y = a * (np.sin(n * x) if kind == 'sin' else np.cos(n * x))\n"
             "    ax.plot(x, y)\n    ax.set_ylim(-2.5, 2.5)\n    ax.set_xlabel('x')\n    ax.set_ylabel('y')\n"
             "    return f'a = {a:.2f}, kind = {kind}, n = {n}: y(1) = {y[1]:.4f}', fig"),
    ("code", "book.widgets.live(draw, a=FloatSlider(value=1.0, min=0.0, max=2.0, step=0.1, description='a'),\n"
             "                  kind=Dropdown(options=['sin', 'cos'], value='sin', description='kind'),\n"
             "                  n=IntSlider(value=2, min=1, max=3, description='n'))"),
    ("code", "def draw_level(level=0.1, a=1.0):\n    fig, ax = book.widgets.figure()\n"
             "    ax.bar(['level', 'a'], [level, a])\n    ax.set_ylim(0, 3)\n    ax.set_ylabel('value')\n"
             "    return f'level = {level}, a = {a:.1f}', fig\n\n"
             "book.widgets.live(draw_level, level=SelectionSlider(options=[0.01, 0.1, 1.0, 2.0], value=0.1,\n"
             "                  description='level'), a=FloatSlider(value=1.0, min=0.5, max=1.5, step=0.5, description='a'))"),
    ("code", "_ = interact(lambda k: print(k), k=IntSlider(value=1, min=0, max=2))"),
    ("code", "total = sum(book.widgets.progress(range(3), 3, 'steps'))"),
    ("md", "## Exercises\n\n**Exercise 1.1.** Compute $2^{10}$.\n\n<details><summary>Solution</summary>\n\n"
           "```python\nanswer = 2 ** 10\n```\n\nThe answer is $1024$.\n</details>"),
    ("hidden", "answer = 2 ** 10\nprint('exercise 1.1 solution:', answer)"),
    ("nav", NAV),
]


def write_book(folder):
    """Write 00_index.ipynb and 01_demo.ipynb (no outputs) into folder; returns the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    index = new_notebook(cells=[new_markdown_cell(s) for s in INDEX])
    index.cells.insert(1, new_markdown_cell("[1. Demo →](01_demo.ipynb)", metadata={"nav": True}))
    cells = []
    for kind, source in CHAPTER:
        if kind == "md":
            cells.append(new_markdown_cell(source))
        elif kind == "nav":
            cells.append(new_markdown_cell(source, metadata={"nav": True}))
        else:
            meta = {"jupyter": {"source_hidden": True}} if kind == "hidden" else {}
            cells.append(new_code_cell(source, metadata=meta))
    for name, nb in (("00_index.ipynb", index), ("01_demo.ipynb", new_notebook(cells=cells))):
        nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
        nbformat.write(nb, folder / name)
    return folder


if __name__ == "__main__":
    import sys
    print(write_book(sys.argv[1]))

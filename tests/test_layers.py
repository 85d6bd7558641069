"""The shape of rnn_core (ARCHITECTURE): a NumPy core that never imports its teaching aids or
matplotlib, one rule for what ``rc.NAME`` gives, no private name crossing a module, and a
docstring with shapes on every public function of the core."""
import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import rnn_core as rc

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "rnn_core"
CORE = sorted(p for p in PKG.glob("*.py") if p.name != "__init__.py")
BOOK = sorted((PKG / "book").rglob("*.py"))


def imports(path):
    """(module, names) for every import statement of a file, relative imports resolved to rnn_core.*"""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            yield module, [a.name for a in node.names]


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.name)
def test_the_core_imports_neither_the_book_nor_matplotlib(path):
    for module, names in imports(path):
        assert not module.startswith("matplotlib"), f"{path.name} imports {module}"
        assert not module.startswith("rnn_core.book") and "book" not in names, f"{path.name} imports the book"


def test_importing_the_core_loads_no_matplotlib_and_no_book():
    code = "import sys, rnn_core; bad = [m for m in sys.modules if m.startswith(('matplotlib', 'rnn_core.book'))]; " \
           "assert not bad, bad"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_every_module_is_an_attribute_of_its_package():
    from rnn_core import book
    for path in CORE:
        if not path.name.startswith("_"):
            assert hasattr(rc, path.stem), f"rc.{path.stem} is missing"
    for path in (PKG / "book").glob("*.py"):
        if path.name != "__init__.py":
            assert hasattr(book, path.stem), f"book.{path.stem} is missing"
    assert hasattr(book, "exercises")


@pytest.mark.parametrize("path", CORE + BOOK, ids=lambda p: str(p.relative_to(PKG)))
def test_no_private_name_crosses_a_module(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()
    for module, names in imports(path):
        private = [n for n in names if n.startswith("_")]
        assert not private, f"{path.name} imports the private names {private} from {module}"
        modules.update(n for n in names if not n[0].isupper())
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
            assert not node.attr.startswith("_"), f"{path.name} uses {node.value.id}.{node.attr}"


@pytest.mark.parametrize("path", CORE + BOOK, ids=lambda p: str(p.relative_to(PKG)))
def test_no_library_function_is_named_like_a_test(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    assert not [n for n in names if n.lower().startswith("test")]


SHAPE = re.compile(r"\((?:[A-Za-z0-9+?·]+|\.\.\.)(?:, ?[A-Za-z0-9+?·.]+)*,?\)|shape|a float|scalar")
ARRAY_ARGS = {"X", "Y", "y", "x", "s", "h", "z", "s0", "h0", "c0", "dS", "dH", "dC", "params", "grads", "logits",
              "states", "ids", "streams", "W", "norms", "k_values", "steps", "outputs", "a", "b"}


def public_functions():
    for path in CORE:
        module = getattr(rc, path.stem, None) or __import__(f"rnn_core.{path.stem}", fromlist=["x"])
        for name, fn in vars(module).items():
            if inspect.isfunction(fn) and not name.startswith("_") and fn.__module__ == module.__name__:
                yield f"{path.stem}.{name}", fn


@pytest.mark.parametrize("name, fn", list(public_functions()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_public_function_says_what_it_computes_and_its_shapes(name, fn):
    doc = inspect.getdoc(fn)
    assert doc and len(doc.split()) >= 5, f"{name} has no docstring"
    args = set(inspect.signature(fn).parameters)
    if args & ARRAY_ARGS:
        assert SHAPE.search(doc), f"{name} takes arrays but its docstring states no shape"

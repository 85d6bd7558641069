"""Kernel side of the web edition: draw every live widget of a chapter over its grid.

tools/build_site.py appends this file, and a call of ``render_all``, as one extra cell at the
end of a chapter and runs it in the chapter's own kernel, so every frame is drawn by the same
``draw`` function, through ``Widget.render``, as the live widget.
"""
import itertools
import json
from pathlib import Path

import numpy as np

MAX_FRAMES = 250      # per widget; past that, controls are fixed at their default from the last one
MAX_VALUES = 9        # a slider without a configured grid is subsampled to this many values


def choices(control):
    """Every setting the live control can take, as [(label, value)], and its kind."""
    if hasattr(control, "options"):                    # Dropdown, SelectionSlider, RadioButtons
        pairs = [o if isinstance(o, tuple) else (str(o), o) for o in control.options]
        kind = "slider" if "Slider" in type(control).__name__ else "select"
        return [(str(label), value) for label, value in pairs], kind
    if isinstance(control.value, bool):
        return [("False", False), ("True", True)], "select"
    n = int(round((control.max - control.min) / control.step)) + 1
    values = [control.min + k * control.step for k in range(n)]
    if isinstance(control.value, float):
        values = [round(v, 12) for v in values]
    base = getattr(control, "base", None)               # FloatLogSlider: the value is base ** exponent
    if base is not None:
        values = [base ** v for v in values]
    fmt = getattr(control, "readout_format", "")
    return [(format(v, fmt), v) for v in values], "slider"


def close_index(pairs, value):
    """The index of ``value`` among the settings, or of the nearest number."""
    exact = [k for k, (_, v) in enumerate(pairs) if v == value]
    return exact[0] if exact else min(range(len(pairs)), key=lambda k: abs(pairs[k][1] - value))


def subsample(pairs, default):
    """At most MAX_VALUES settings: both ends, the default, and evenly spaced ones between."""
    if len(pairs) <= MAX_VALUES:
        return list(range(len(pairs)))
    picks = {int(round(k)) for k in np.linspace(0, len(pairs) - 1, MAX_VALUES)}
    if default not in picks:
        picks.discard(min(picks - {0, len(pairs) - 1}, key=lambda k: abs(k - default)))
    return sorted(picks | {default})


def grid(widget, spec):
    """The controls to vary, [(name, kind, [(label, value)], default index)], and the fixed ones."""
    vary = spec.get("vary", {name: None for name in widget.controls})
    controls, warnings = [], []
    for name, wanted in vary.items():
        if name not in widget.controls:
            warnings.append(f"grid names {name!r}, which this widget has no control for")
            continue
        pairs, kind = choices(widget.controls[name])
        default = close_index(pairs, widget.defaults[name])
        if wanted is None:
            keep = subsample(pairs, default)
        elif wanted == "all":
            keep = list(range(len(pairs)))
        else:
            keep = sorted({close_index(pairs, v) for v in wanted} | {default})
        controls.append((name, kind, [pairs[k] for k in keep], keep.index(default)))
    while controls and np.prod([len(c[2]) for c in controls]) > MAX_FRAMES:
        name = controls.pop()[0]
        warnings.append(f"{name} fixed at its default: the grid had more than {MAX_FRAMES} frames")
    return controls, warnings


def plain(value):
    return value if isinstance(value, (str, int, float, bool)) or value is None else repr(value)


def render_all(outdir, config):
    """Draw each REGISTRY widget over its grid into outdir (PNG files and manifest.json)."""
    from rnn_core.book.widgets import REGISTRY
    outdir = Path(outdir)
    manifest = []
    for i, widget in enumerate(REGISTRY):
        spec = config.get(widget.name, config.get(str(i), {}))
        controls, warnings = grid(widget, spec)
        names = [c[0] for c in controls]
        frames = {}
        for key in itertools.product(*(range(len(c[2])) for c in controls)):
            settings = {name: c[2][k][1] for name, c, k in zip(names, controls, key)}
            path = outdir / f"{i}_{len(frames)}.png"
            try:
                text, png, _ = widget.render(**settings)
                path.write_bytes(png)
            except ValueError as err:        # as the live widget says, e.g. when a state overflows
                text, path = f"this setting cannot be drawn: {err}", None
            frames[",".join(map(str, key))] = {"file": path and path.name, "text": text}
        manifest.append({
            "index": i, "name": widget.name, "note": spec.get("note", ""), "warnings": warnings,
            "controls": [{"name": name, "description": getattr(widget.controls[name], "description", "") or name,
                          "kind": kind, "labels": [p[0] for p in pairs], "values": [plain(p[1]) for p in pairs],
                          "default": default} for name, kind, pairs, default in controls],
            "fixed": {name: plain(value) for name, value in widget.defaults.items() if name not in names},
            "fixed_descriptions": {name: getattr(c, "description", "") or name
                                   for name, c in widget.controls.items() if name not in names},
            "frames": frames})
    (outdir / "manifest.json").write_text(json.dumps(manifest, indent=1))
    print(f"{len(manifest)} widgets, {sum(len(m['frames']) for m in manifest)} frames")

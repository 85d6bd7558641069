#!/usr/bin/env python3
"""Input-to-image latency of every live widget, measured in JupyterLab in headless Chromium.

Usage: python benchmarks/browser_latency.py [--moves N] [NN_name.ipynb ...]

What a reader does, timed in the page: JupyterLab serves a copy of the book with its outputs
stripped, each chapter is opened and run (Run All), and the first slider of every live widget
(``book.widgets.live``) is moved with the keyboard ``--moves`` times, one step at a time.
For each move the page records, on the browser's clock:

  input     the keydown event on the slider (performance.now())
  sent      the widget's comm message leaving for the kernel (a hooked WebSocket.send)
  kernel    the kernel starting on it and sending the new image (the kernel's message dates)
  received  the image's update_display_data arriving in the page
  inserted  the new <img> in the widget's figure (a MutationObserver)
  shown     that image decoded, and the next animation frame after it

Printed: per widget the median and maximum from input to shown, the first move separately, the
median of each part, the size of the image message, the CPU time per move of the kernel, the
server and the browser, and the load average (the machine is shared: say how busy it was).
Then a burst: six key presses as fast as the page takes them, and how many figures that drew
(ipywidgets holds newer values back while the kernel draws, so a burst draws fewer figures
than presses). The browser test (tests/test_browser.py) runs the same measurement with this
module's functions and prints the same report (without the burst).

Needs Chromium (CHROMIUM_PATH, default /usr/bin/chromium) and the playwright package.
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
TOKEN = "rnn-book-browser-test"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
#: What the tests change in JupyterLab's settings: no news popup (it covers the page).
OVERRIDES = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}


def default_windowing_mode():
    """The installed JupyterLab's default notebook windowing mode ('full' in 4.2, 'contentVisibility' in 4.6)."""
    schema = Path(sys.prefix) / "share/jupyter/lab/schemas/@jupyterlab/notebook-extension/tracker.json"
    try:
        return json.loads(schema.read_text())["properties"]["windowingMode"].get("default")
    except (OSError, ValueError, KeyError):
        return None


# The tests read every cell of a notebook from the page. In 'full' windowing mode (JupyterLab 4.2's
# default) only the cells in view are in the page, so there, and only there, the tests ask for
# 'defer': every cell is attached, the same cells render the same way.
if default_windowing_mode() == "full":
    OVERRIDES["@jupyterlab/notebook-extension:tracker"] = {"windowingMode": "defer"}


def strip_outputs(src, dst):
    """Copy a notebook without outputs, execution counts or widget state."""
    nb = nbformat.read(src, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, dst)


def book_copy(dest, notebooks=None):
    """A copy of the repository as a reader sees it (README, data/, notebooks/ without outputs)."""
    dest = Path(dest)
    (dest / "notebooks").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "README.md", dest / "README.md")
    shutil.copytree(ROOT / "data", dest / "data", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        if notebooks is None or path.name in notebooks:
            strip_outputs(path, dest / "notebooks" / path.name)
    return dest


def lab_state(state):
    """Folders of the test server's own, so nothing is written to the repository or ~/.jupyter."""
    state = Path(state)
    dirs = {k: state / k for k in ("config", "data", "runtime", "ipython", "workspaces", "user-settings", "app-settings")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    (dirs["app-settings"] / "overrides.json").write_text(json.dumps(OVERRIDES))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(dirs["config"]), JUPYTER_DATA_DIR=str(dirs["data"]),
               JUPYTER_RUNTIME_DIR=str(dirs["runtime"]), IPYTHONDIR=str(dirs["ipython"]),
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    args = [f"--LabApp.workspaces_dir={dirs['workspaces']}", f"--LabApp.user_settings_dir={dirs['user-settings']}",
            f"--LabServerApp.app_settings_dir={dirs['app-settings']}"]
    return env, args


#: Process ids for the CPU accounting: the JupyterLab server and the browser's profile folder.
PROCESSES = {}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def jupyter_lab(root, state, lab_args=("lab",), open_url_file=None):
    """Start ``jupyter <lab_args>`` in ``root`` on localhost with a token; yield its base URL.

    lab_args: the arguments after ``jupyter`` (the README's read command passes its own).
    open_url_file: if given, the URL that JupyterLab would open in the reader's browser is
    written there (instead of opening a browser).
    """
    env, state_args = lab_state(state)
    port = free_port()
    cmd = [sys.executable, "-m", "jupyter", *lab_args, f"--port={port}", f"--IdentityProvider.token={TOKEN}",
           "--ServerApp.port_retries=0", *state_args]
    if open_url_file:
        recorder = Path(state) / "record_url.py"
        # JupyterLab hands the browser a local redirect page; keep the address it points to.
        recorder.write_text("import html, pathlib, re, sys, urllib.parse, urllib.request\n"
                            "page = pathlib.Path(urllib.request.url2pathname(urllib.parse.urlparse(sys.argv[1]).path))\n"
                            "url = re.search(r'url=([^\"]+)\"', page.read_text()).group(1)\n"
                            "pathlib.Path(sys.argv[2]).write_text(html.unescape(url))\n")
        cmd += [f"--ServerApp.browser={sys.executable} {recorder} %s {open_url_file}"]
    else:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log_path = Path(state) / "lab.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=root, env=env)
        url = f"http://127.0.0.1:{port}"
        PROCESSES["server"] = proc.pid
        try:
            for _ in range(240):
                try:
                    urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=1)
                    break
                except OSError:
                    if proc.poll() is not None:
                        break
                    time.sleep(0.25)
            else:
                proc.poll()
            if proc.returncode is not None:
                raise RuntimeError("JupyterLab did not start: " + log_path.read_text()[-3000:])
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


#: Installed in the page before JupyterLab loads: timestamps for every step of a slider update.
INSTRUMENT = r"""
(() => {
  const R = window.__rb = {inputs: [], sent: [], received: [], watch: null};
  const now = () => performance.now();
  for (const type of ['keydown', 'change', 'pointerdown']) {
    document.addEventListener(type, e => R.inputs.push({type, t: now()}), true);
  }
  const dec = new TextDecoder('utf8');
  // A Jupyter message from a WebSocket frame: JSON text, or the v1 binary protocol
  // (uint64 count and offsets, then channel, header, parent header, metadata, content).
  const summary = (header, parent, content, size) => ({
    type: header.msg_type, id: header.msg_id, date: header.date, parent: parent.msg_id, size,
    state: content.execution_state, image: !!(content.data && content.data['image/png'])});
  function parse(data) {
    try {
      if (typeof data === 'string') {
        const m = JSON.parse(data);
        return summary(m.header, m.parent_header || {}, m.content || {}, data.length);
      }
      const buf = data instanceof ArrayBuffer ? data : data.buffer;
      const view = new DataView(buf);
      const n = Number(view.getBigUint64(0, true));
      const off = [];
      for (let i = 0; i < n; i++) off.push(Number(view.getBigUint64(8 * (i + 1), true)));
      const part = i => JSON.parse(dec.decode(buf.slice(off[i], off[i + 1])) || '{}');
      return summary(part(1), part(2), part(4), buf.byteLength);
    } catch (e) {
      return null;
    }
  }
  const Orig = window.WebSocket;
  class Hooked extends Orig {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => {
        const t = now();
        const m = parse(e.data);
        if (m) { m.t = t; R.received.push(m); if (R.received.length > 4000) R.received.splice(0, 2000); }
      });
    }
    send(data) {
      const m = parse(data);
      if (m) { m.t = now(); R.sent.push(m); if (R.sent.length > 4000) R.sent.splice(0, 2000); }
      return super.send(data);
    }
  }
  window.WebSocket = Hooked;
  // Watch one figure: the time a new <img> appears in it, is decoded, and the frame after.
  R.watchFigure = (host) => {
    if (R.observer) R.observer.disconnect();
    R.watch = {host, images: []};
    R.observer = new MutationObserver(muts => {
      const t = now();
      for (const m of muts) {
        const nodes = m.type === 'attributes' ? [m.target] : Array.from(m.addedNodes);
        for (const node of nodes) {
          const imgs = node.tagName === 'IMG' ? [node] : (node.querySelectorAll ? Array.from(node.querySelectorAll('img')) : []);
          for (const img of imgs) {
            const rec = {inserted: t, src: img.src.length, width: img.getAttribute('width'), height: img.getAttribute('height')};
            R.watch.images.push(rec);
            img.decode().catch(() => null).then(() => {
              rec.decoded = now();
              requestAnimationFrame(() => {
                const frame = now();
                let hash = 2166136261;                    // FNV-1a of the image's address, after timing
                for (let i = 0; i < img.src.length; i++) hash = Math.imul(hash ^ img.src.charCodeAt(i), 16777619);
                rec.hash = hash >>> 0;
                rec.frame = frame;
              });
            });
          }
        }
      }
    });
    R.observer.observe(host, {childList: true, subtree: true, attributes: true, attributeFilter: ['src']});
  };
})();
"""

#: Every live widget in the open notebook: the controls' output, then the text and the figure.
FIND_WIDGETS = r"""
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const found = [];
  const cells = Array.from(panel.querySelectorAll('.jp-Notebook .jp-Cell'));
  cells.forEach((cell, cellIndex) => {
    const outputs = Array.from(cell.querySelectorAll(':scope .jp-OutputArea-child'));
    outputs.forEach((child, i) => {
      const out = child.querySelector('.jp-OutputArea-output');
      if (!out || !out.querySelector(':scope > .jupyter-widgets')) return;   // a widget view
      const controls = out.querySelectorAll('.widget-slider, .widget-dropdown, .widget-toggle-buttons, .widget-checkbox');
      if (!controls.length) return;                       // a progress bar, not a control
      const after = outputs.slice(i + 1).map(c => {
        const o = c.querySelector('.jp-OutputArea-output');
        return o ? (o.dataset.mimeType || (o.querySelector(':scope > .jupyter-widgets') ? 'widget' : null)) : null;
      });
      found.push({cell: cellIndex, output: i, after, inner: out.querySelectorAll('.widget-output img').length,
                  images: cell.querySelectorAll('.jp-OutputArea img').length,
                  sliders: out.querySelectorAll('.widget-slider').length,
                  dropdowns: out.querySelectorAll('.widget-dropdown select').length,
                  labels: Array.from(out.querySelectorAll('.widget-label')).map(l => l.textContent.trim())});
    });
  });
  return found;
}
"""


def launch(playwright, profile, viewport=(1280, 1000)):
    """Headless Chromium with a fresh profile and the timing hooks installed; returns a context."""
    ctx = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS,
        viewport={"width": viewport[0], "height": viewport[1]})
    ctx.add_init_script(INSTRUMENT)
    PROCESSES["profile"] = str(profile)
    return ctx


def _processes():
    """{pid: (parent pid, command line)} of every process (Linux /proc; empty elsewhere)."""
    out = {}
    for d in Path("/proc").glob("[0-9]*"):
        try:
            stat = (d / "stat").read_text()
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        out[int(d.name)] = (int(stat.rsplit(")", 1)[1].split()[1]), cmd)
    return out


def _cpu_seconds(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_by_role():
    """CPU seconds used so far by the kernels, the JupyterLab server and the browser (all its
    processes), from /proc (Linux). Per slider move, the kernel's share is on the path from the
    input to the image; most of the browser's is not (it renders frames around the update),
    but on a 2-core machine it competes with the kernel for a core."""
    procs = _processes()
    children = {}
    for pid, (ppid, _) in procs.items():
        children.setdefault(ppid, []).append(pid)

    def tree(root):
        todo, seen = [root], []
        while todo:
            pid = todo.pop()
            seen.append(pid)
            todo += children.get(pid, [])
        return seen

    server = PROCESSES.get("server")
    kernels = [pid for pid in (tree(server) if server else []) if "ipykernel" in procs[pid][1]]
    flag = f"--user-data-dir={PROCESSES['profile']}" if "profile" in PROCESSES else None
    marked = {pid for pid, (_, cmd) in procs.items() if flag and flag in cmd}
    browser = {q for r in marked if procs[r][0] not in marked for q in tree(r)}   # the browser and its children
    return {"kernel": sum(_cpu_seconds(k) for k in kernels),
            "server": sum(_cpu_seconds(q) for q in (tree(server) if server else []) if q not in kernels),
            "browser": sum(_cpu_seconds(q) for q in browser)}


def wait_for_kernel(page, timeout=120):
    page.get_by_text("Python 3 (ipykernel) | Idle").first.wait_for(timeout=timeout * 1000)


def open_notebook(page, url, path, timeout=120):
    """Open a notebook in a fresh JupyterLab page and wait until its kernel is idle."""
    page.goto(f"{url}/lab/tree/{path}?token={TOKEN}&reset")
    wait_for_kernel(page, timeout)


RUN_STATE = r"""
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const prompts = Array.from(panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')).map(p => p.textContent.trim());
  // an error output, or any stderr (the book prints none; JupyterLab 4.2 shows tracebacks as stderr)
  const errors = Array.from(panel.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"], ' +
                                                   '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
                      .map(e => e.textContent.slice(0, 1500));
  return {prompts, errors, cells: panel.querySelectorAll('.jp-Notebook .jp-Cell').length};
}
"""


def run_all(page, cells=None, timeout=300):
    """Run All from the Run menu; wait until every code cell ran (or one failed); return the time.

    cells: the notebook's number of cells. JupyterLab adds a long notebook's cells to the page
    in steps, so the wait also lasts until all of them are there (else a cell not yet in the
    page could still be running).
    """
    start = time.perf_counter()
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator('li[data-command="runmenu:run-all"]').click()
    deadline = time.time() + timeout
    state = None
    while time.time() < deadline:
        state = page.evaluate(RUN_STATE)
        if state["errors"]:
            break
        if (state["prompts"] and all(p not in ("[*]:", "[ ]:", "") for p in state["prompts"])
                and (cells is None or state["cells"] >= cells)):
            break
        time.sleep(0.25)
    else:
        raise TimeoutError(f"Run All did not finish in {timeout} s: prompts {state and state['prompts']}")
    wait_for_kernel(page)
    return time.perf_counter() - start, state


def find_widgets(page):
    return page.evaluate(FIND_WIDGETS)


def widget_locators(page, widget):
    """Locators of a widget found by ``find_widgets``: its cell, its controls' output, the cell's outputs."""
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    cell = panel.locator(".jp-Notebook .jp-Cell").nth(widget["cell"])
    children = cell.locator(".jp-OutputArea-child")
    controls = children.nth(widget["output"])
    return cell, controls, children


def figure_host(page, widget):
    """The output that holds the widget's figure: the first image output after the controls."""
    _, controls, children = widget_locators(page, widget)
    if widget["inner"]:                                   # an old-style interact: the figure is inside
        return controls.locator(".widget-output").first
    k = widget["after"].index("image/png")
    return children.nth(widget["output"] + 1 + k).locator(".jp-OutputArea-output")


def slider_handle(page, widget, index=0):
    _, controls, _ = widget_locators(page, widget)
    return controls.locator(".widget-slider .noUi-handle").nth(index)


def move_slider(handle, direction):
    """Press an arrow key on a slider handle: one step in ``direction`` (+1 or -1), turning back
    at the ends of the range. Returns the direction of this step."""
    now, lo, hi = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax"))
    if (direction > 0 and now >= hi) or (direction < 0 and now <= lo):
        direction = -direction
    handle.press("ArrowRight" if direction > 0 else "ArrowLeft")
    return direction


def _parts(page, start, timeout):
    """Wait for the figure's next image after ``start``; return the timings of this update."""
    # Polled in the page every 50 ms (not at every frame): the harness should not compete with
    # the page for the CPU; the times themselves are recorded by the page's own listeners.
    try:
        handle = page.wait_for_function("""(start) => {
            const R = window.__rb;
            const key = R.inputs.filter(e => e.t >= start)[0];
            const img = R.watch.images.filter(i => i.inserted >= start && i.frame !== undefined)[0];
            if (!key || !img) return null;
            const sent = R.sent.filter(m => m.t >= key.t && m.type === 'comm_msg')[0];
            let busy = null, update = null, idle = null;
            if (sent) {
              const replies = R.received.filter(m => m.parent === sent.id);
              busy = replies.find(m => m.type === 'status' && m.state === 'busy');
              update = replies.filter(m => m.type === 'update_display_data' && m.image).pop();
              idle = replies.find(m => m.type === 'status' && m.state === 'idle');
            }
            if (!update && idle) update = idle;   // an interact: the figure comes inside a widget's state
            const clock = d => d ? Date.parse(d) - performance.timeOrigin : null;
            return {input: key.t, sent: sent ? sent.t : null,
                    kernel_start: busy ? clock(busy.date) : null, kernel_sent: update ? clock(update.date) : null,
                    received: update ? update.t : null, idle: idle ? idle.t : null, size: update && update.image ? update.size : null,
                    inserted: img.inserted, decoded: img.decoded, frame: img.frame, src: img.src, hash: img.hash,
                    img_width: img.width, img_height: img.height};
        }""", arg=start, polling=50, timeout=timeout * 1000)
    except Exception as err:
        raise AssertionError(f"the widget's figure did not change after the control moved ({err})") from None
    return handle.json_value()


def measure_widget(page, widget, moves=20, timeout=30, screenshot=None):
    """Move the widget's first slider ``moves`` times; return a list of per-move timings (ms).

    Each move waits for its image (and the kernel to be idle) before the next. If
    ``screenshot`` is a function, it is called with the move number before the first move and
    after the last one.
    """
    host = figure_host(page, widget)
    host.scroll_into_view_if_needed()
    page.evaluate("host => window.__rb.watchFigure(host)", host.element_handle())
    handle = slider_handle(page, widget)
    handle.scroll_into_view_if_needed()
    handle.focus()
    if screenshot:
        screenshot(0)
    now, lo, hi = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax"))
    direction = 1 if hi - now >= now - lo else -1        # sweep towards the farther end first
    samples = []
    cpu0 = cpu_by_role()
    for i in range(moves):
        start = page.evaluate("performance.now()")
        direction = move_slider(handle, direction)
        samples.append(_parts(page, start, timeout))
        page.wait_for_function("() => { const R = window.__rb; const s = R.sent.filter(m => m.type === 'comm_msg').pop();"
                               " return !s || R.received.some(m => m.parent === s.id && m.type === 'status' && m.state === 'idle'); }",
                               polling=50, timeout=timeout * 1000)
    cpu1 = cpu_by_role()
    for role in cpu0:                                   # CPU ms per move, the same in every sample
        for s in samples:
            s[f"cpu_{role}"] = (cpu1[role] - cpu0[role]) * 1e3 / moves
    if screenshot:
        screenshot(moves)
    return samples


def measure_burst(page, widget, presses=6, timeout=30):
    """Press an arrow key ``presses`` times as fast as the page takes them (a reader holding the
    key, or a quick drag); return how many messages went to the kernel, how many figures were
    drawn, and the time from the last key press to the last figure on screen (ms).

    While the kernel draws one value, ipywidgets holds the newer values back and sends only
    the latest when the kernel is idle again, so a burst draws fewer figures than key presses.
    """
    host = figure_host(page, widget)
    page.evaluate("host => window.__rb.watchFigure(host)", host.element_handle())
    handle = slider_handle(page, widget)
    handle.scroll_into_view_if_needed()
    handle.focus()
    now, lo, hi = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax"))
    key = "ArrowRight" if hi - now >= now - lo else "ArrowLeft"
    start = page.evaluate("performance.now()")
    for _ in range(presses):
        page.keyboard.press(key)
    # Done when the kernel is idle after the last message and no figure arrived for 1 s.
    deadline, quiet_since, last_count = time.time() + timeout, time.time(), -1
    while time.time() < deadline:
        state = page.evaluate("""(start) => { const R = window.__rb;
            const sent = R.sent.filter(m => m.t >= start && m.type === 'comm_msg');
            const last = sent[sent.length - 1];
            const idle = !last || R.received.some(m => m.parent === last.id && m.type === 'status' && m.state === 'idle');
            const imgs = R.watch.images.filter(i => i.inserted >= start);
            return {sent: sent.length, idle, images: imgs.length, done: imgs.every(i => i.frame !== undefined),
                    keys: R.inputs.filter(e => e.t >= start && e.type === 'keydown').map(e => e.t),
                    last_frame: imgs.length ? imgs[imgs.length - 1].frame : null}; }""", start)
        if state["images"] != last_count:
            last_count, quiet_since = state["images"], time.time()
        if state["idle"] and state["done"] and state["images"] and time.time() - quiet_since > 1.0:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the figure did not settle after a burst of key presses")
    return {"presses": presses, "messages": state["sent"], "figures": state["images"],
            "after_last_key": state["last_frame"] - max(state["keys"])}


def _ms(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


def summarize(samples):
    """The medians of one widget's moves: total, first move, and each part."""
    total = [s["frame"] - s["input"] for s in samples]
    parts = {
        "input→sent": [s["sent"] - s["input"] for s in samples if s["sent"] is not None],
        "sent→kernel": [s["kernel_start"] - s["sent"] for s in samples if s["kernel_start"] is not None and s["sent"]],
        "kernel": [s["kernel_sent"] - s["kernel_start"] for s in samples if s["kernel_sent"] is not None and s["kernel_start"]],
        "kernel→page": [s["received"] - s["kernel_sent"] for s in samples if s["received"] is not None and s["kernel_sent"]],
        "page→img": [s["inserted"] - s["received"] for s in samples if s["received"] is not None],
        "img→frame": [s["frame"] - s["inserted"] for s in samples],
    }
    cpu = {role: samples[0].get(f"cpu_{role}", float("nan")) for role in ("kernel", "server", "browser")}
    return {"n": len(total), "median": _ms(total), "max": max(total), "first": total[0], "cpu": cpu,
            "median_rest": _ms(total[1:]) if len(total) > 1 else total[0],
            "parts": {k: _ms(v) for k, v in parts.items()},
            "kb": _ms([s["size"] for s in samples]) / 1024 if any(s["size"] for s in samples) else float("nan")}


def report_line(name, summary):
    p = summary["parts"]
    parts = ", ".join(f"{k} {v:.0f}" for k, v in p.items())
    cpu = summary["cpu"]
    return (f"{name}: median {summary['median']:.0f} ms (max {summary['max']:.0f}, first move {summary['first']:.0f}) "
            f"over {summary['n']} moves; parts (median ms): {parts}; image message {summary['kb']:.0f} KB; "
            f"CPU per move {sum(cpu.values()):.0f} ms (kernel {cpu['kernel']:.0f}, server {cpu['server']:.0f}, "
            f"browser {cpu['browser']:.0f})")


def burst_line(burst):
    return (f"a burst of {burst['presses']} key presses: {burst['messages']} messages to the kernel, "
            f"{burst['figures']} figures drawn, the last on screen {burst['after_last_key']:.0f} ms after the last key")


def load_average():
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", help="chapters to measure (default: every chapter with a live widget)")
    ap.add_argument("--moves", type=int, default=20)
    ap.add_argument("--json", help="also write every move's timings to this file")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    names = args.notebooks or [p.name for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
                               if "widgets.live(" in p.read_text(encoding="utf-8")]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = book_copy(Path(tmp) / "book", names)
        print(load_average(), "(before)")
        with jupyter_lab(root, Path(tmp) / "state") as url, sync_playwright() as p:
            ctx = launch(p, Path(tmp) / "profile")
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            page.set_default_timeout(120_000)
            for name in names:
                open_notebook(page, url, f"notebooks/{name}")
                nb = nbformat.read(root / "notebooks" / name, as_version=4)
                seconds, state = run_all(page, cells=len(nb.cells))
                if state["errors"]:
                    print(f"{name}: Run All failed after {seconds:.0f} s: {state['errors'][0][:300]}")
                    continue
                widgets = find_widgets(page)
                print(f"{name}: Run All {seconds:.1f} s, {len(widgets)} live widgets")
                for w in widgets:
                    if not w["sliders"] or not (w["inner"] or "image/png" in w["after"]):
                        continue
                    samples = measure_widget(page, w, moves=args.moves)
                    label = f"{name} cell {w['cell']} ({w['labels'][0] if w['labels'] else 'slider'})"
                    results[label] = samples
                    print("  " + report_line(label, summarize(samples)))
                    print("    " + burst_line(measure_burst(page, w)), flush=True)
            ctx.close()
    allm = [s["frame"] - s["input"] for v in results.values() for s in v]
    if allm:
        print(f"all widgets: median {statistics.median(allm):.0f} ms over {len(allm)} moves; {load_average()}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

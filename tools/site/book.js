// The web edition's two behaviours: static widgets (controls switch between precomputed
// frames) and the search box (over window.BOOK_SEARCH, loaded on first use).
"use strict";

function setupWidget(widget) {
  const spec = JSON.parse(widget.querySelector('script[type="application/json"]').textContent);
  const controls = [...widget.querySelectorAll("[data-control]")];
  const img = widget.querySelector(".widget-image");
  const text = widget.querySelector(".widget-text");
  const show = () => {
    const key = controls.map(c => (c.tagName === "SELECT" ? c.selectedIndex : Number(c.value))).join(",");
    controls.forEach((c, j) => { if (c.nextElementSibling) c.nextElementSibling.textContent = spec.labels[j][key.split(",")[j]]; });
    const [png, words] = spec.frames[key];
    img.hidden = !png;                           // a setting that cannot be drawn has only its text
    if (png) img.src = spec.base + png;
    text.textContent = words;
    widget.dataset.key = key;
  };
  controls.forEach(c => c.addEventListener("input", show));
  // Fetch every frame once the reader reaches for a control, so that moving it is instant.
  widget.addEventListener("pointerdown", () => preload(spec), {once: true});
  widget.addEventListener("focusin", () => preload(spec), {once: true});
}

function preload(spec) {
  if (spec.loaded) return;
  spec.loaded = true;
  new Set(Object.values(spec.frames).map(f => f[0]).filter(Boolean)).forEach(png => { new Image().src = spec.base + png; });
}

function setupSearch() {
  const box = document.getElementById("search");
  const list = document.getElementById("search-results");
  if (!box) return;
  box.addEventListener("focus", () => {
    if (window.BOOK_SEARCH || document.getElementById("search-index")) return;
    const script = document.createElement("script");
    script.id = "search-index";
    script.src = "_static/search-index.js";
    script.onload = () => box.dispatchEvent(new Event("input"));
    document.head.appendChild(script);
  });
  box.addEventListener("input", () => {
    const words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    if (window.MathJax && MathJax.typesetClear) MathJax.typesetClear([list]);
    list.replaceChildren();
    if (!words.length || !window.BOOK_SEARCH) return;
    const has = text => words.every(w => text.toLowerCase().includes(w));
    const hits = window.BOOK_SEARCH.filter(e => has(e.title + " " + e.text));
    hits.sort((a, b) => has(b.title) - has(a.title));   // headings that match come first
    hits.slice(0, 12).forEach(e => {
      const a = document.createElement("a");
      a.href = e.href;
      a.textContent = e.title + " (" + e.page + ")";
      const li = document.createElement("li");
      li.appendChild(a);
      list.appendChild(li);
    });
    if (window.MathJax && MathJax.typesetPromise) MathJax.typesetPromise([list]);
    if (!hits.length) list.innerHTML = "<li>no match</li>";
  });
}

document.querySelectorAll(".static-widget").forEach(setupWidget);
setupSearch();

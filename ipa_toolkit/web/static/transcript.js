// The transcript view: stripes in the margin, select-to-code, the coding panel, notes.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const doc = $("doc"), linesEl = $("lines"), stripesEl = $("stripes");
  const name = doc.dataset.transcript;
  let state = JSON.parse($("state").textContent);
  ipa.setVersion(state.version);
  const spans = [...linesEl.querySelectorAll(".tx")].map((tx) => ({
    n: +tx.parentElement.dataset.n, s: +tx.dataset.s, e: +tx.dataset.e}));
  let pending = null;        // a selection waiting for its theme: {start, end, text}
  let linesTyped = false;    // the picker's line range was typed: code by lines
  let active = null;         // id of the coding shown in the panel
  let mode = "code";         // the picker codes a passage or re-themes the active coding
  let choices = [], chosen = 0, lastFocus = null;
  const LANE = 28;

  // -- stripes --------------------------------------------------------------------------
  function drawStripes() {
    const cods = state.codings.slice().sort((a, b) =>
      a.start_line - b.start_line || b.end_line - a.end_line || a.id - b.id);
    const ends = [];
    const base = linesEl.offsetTop;
    const frag = document.createDocumentFragment();
    for (const c of cods) {
      const a = $("L" + c.start_line), b = $("L" + c.end_line);
      if (!a || !b) continue;
      let lane = ends.findIndex((e) => e < c.start_line);
      if (lane < 0) { lane = ends.length; ends.push(0); }
      ends[lane] = c.end_line;
      const top = a.offsetTop - base, bottom = b.offsetTop - base + b.offsetHeight;
      const s = document.createElement("button");
      s.type = "button";
      s.className = "stripe" + (c.exemplar ? " exemplar" : "") + (c.id === active ? " active" : "");
      s.style.top = top + "px";
      s.style.height = Math.max(bottom - top - 2, 8) + "px";
      s.style.left = lane * LANE + "px";
      s.style.setProperty("--c", c.colour);
      s.dataset.id = c.id;
      s.dataset.theme = c.theme;
      s.title = c.theme + " " + c.label + " · " + c.citation + " · " + c.coder;
      s.setAttribute("aria-label", "Coding " + c.theme + " " + c.label + ", " + c.citation);
      const num = document.createElement("span");
      num.className = "sn";
      num.textContent = c.theme + (c.exemplar ? "★" : "");
      s.appendChild(num);
      s.addEventListener("click", () => showCoding(c.id));
      frag.appendChild(s);
    }
    stripesEl.textContent = "";
    stripesEl.style.width = Math.max(1, ends.length) * LANE + "px";
    stripesEl.appendChild(frag);
  }

  // -- notes and statements --------------------------------------------------------------
  function lineRange(a, b) { return a === b ? String(a) : a + "-" + b; }
  function drawList(el, items, label) {
    el.textContent = "";
    if (!items.length) {
      const li = document.createElement("li");
      li.className = "empty";
      li.textContent = "None in this transcript.";
      el.appendChild(li);
      return;
    }
    for (const x of items) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = "#L" + x.start_line;
      a.textContent = "Lines " + lineRange(x.start_line, x.end_line);
      a.addEventListener("click", (ev) => { ev.preventDefault(); jump(x.start_line, x.end_line); });
      const k = document.createElement("b");
      k.className = "kind";
      k.textContent = label(x);
      const t = document.createElement("span");
      t.textContent = " " + x.text;
      li.append(a, " ", k, t);
      el.appendChild(li);
    }
  }
  function drawSide() {
    drawList($("notes"), state.notes, (n) => "[" + n.kind[0].toUpperCase() + "]");
    drawList($("statements"), state.statements, () => "");
  }

  // -- jumping and highlighting ------------------------------------------------------------
  function highlight(a, b) {
    linesEl.querySelectorAll(".hl").forEach((el) => el.classList.remove("hl"));
    for (let n = a; n <= b; n++) { const el = $("L" + n); if (el) el.classList.add("hl"); }
  }
  function jump(a, b) {
    const el = $("L" + a);
    if (!el) { ipa.say("There is no line " + a + ".", true); return; }
    el.scrollIntoView({block: "center"});
    highlight(a, b || a);
    history.replaceState(null, "", "#L" + a);
  }

  // -- the coding panel ---------------------------------------------------------------------
  function coding(id) { return state.codings.find((c) => c.id === id); }
  function showCoding(id) {
    const c = coding(id);
    const panel = $("coding-panel");
    if (!c) { panel.hidden = true; active = null; drawStripes(); return; }
    active = id;
    $("cp-swatch").style.background = c.colour;
    $("cp-number").textContent = c.theme;
    $("cp-label").textContent = c.label;
    $("cp-quote").textContent = c.quote;
    $("cp-cite").textContent = c.citation;
    $("cp-meta").textContent = "Coded by " + c.coder + (c.note ? " · " + c.note : "") +
      (c.status === "fuzzy" ? " · re-anchored approximately" : "");
    $("cp-exemplar").checked = c.exemplar;
    panel.hidden = false;
    highlight(c.start_line, c.end_line);
    drawStripes();
  }
  $("cp-close").addEventListener("click", () => { $("coding-panel").hidden = true; active = null; highlight(0, -1); drawStripes(); });
  $("cp-copy").addEventListener("click", async () => {
    const text = $("cp-cite").textContent;
    try { await navigator.clipboard.writeText(text); ipa.say("Copied " + text); }
    catch (e) {
      const r = document.createRange(); r.selectNodeContents($("cp-cite"));
      const s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
      ipa.say("Selected " + text + ": press Ctrl+C to copy");
    }
  });
  $("cp-exemplar").addEventListener("change", async (ev) => {
    await ipa.post("/api/exemplar", {id: active, exemplar: ev.target.checked});
    ipa.say(ev.target.checked ? "Marked as an exemplar quote" : "No longer an exemplar");
    await refresh();
  });
  $("cp-remove").addEventListener("click", async () => {
    const c = coding(active);
    if (!c) return;
    await ipa.post("/api/uncode", {id: c.id});
    $("coding-panel").hidden = true;
    active = null;
    ipa.say("Removed the coding of " + c.citation + " to " + c.theme);
    await refresh();
  });
  $("cp-retheme").addEventListener("click", () => { pending = null; openPicker("retheme"); });

  // -- from a selection to character offsets ---------------------------------------------
  function pointOffset(node, off) {
    const el = node.nodeType === 3 ? node.parentElement : node;
    if (!el || !(el === linesEl || linesEl.contains(el))) return null;
    if (node.nodeType === 3 && el.classList.contains("tx")) {
      return +el.dataset.s + [...node.data.slice(0, off)].length;  // code points, as stored
    }
    if (el === linesEl) {
      const kids = linesEl.children;
      if (off >= kids.length) return +kids[kids.length - 1].querySelector(".tx").dataset.e;
      return +kids[off].querySelector(".tx").dataset.s;
    }
    const ln = el.closest(".ln");
    if (!ln) return null;
    const tx = ln.querySelector(".tx");
    if (el === tx) return off === 0 ? +tx.dataset.s : +tx.dataset.e;
    if (el === ln) return off <= [...ln.childNodes].indexOf(tx) ? +tx.dataset.s : +tx.dataset.e;
    return +tx.dataset.s;
  }
  function linesOf(a, b) {
    const first = spans.find((x) => x.e > a) || spans[spans.length - 1];
    let last = first;
    for (const x of spans) if (x.s < b) last = x;
    return lineRange(first.n, Math.max(first.n, last.n));
  }
  const WORD = /[\p{L}\p{N}'’_-]/u;
  function snap(r) {  // show the whole words that will be coded (the server snaps the same way)
    if (r.startContainer.nodeType === 3) {
      const t = r.startContainer.data;
      let i = r.startOffset;
      while (i > 0 && i < t.length && WORD.test(t[i - 1]) && WORD.test(t[i])) i--;
      r.setStart(r.startContainer, i);
    }
    if (r.endContainer.nodeType === 3) {
      const t = r.endContainer.data;
      let j = r.endOffset;
      while (j > 0 && j < t.length && WORD.test(t[j - 1]) && WORD.test(t[j])) j++;
      r.setEnd(r.endContainer, j);
    }
  }
  function textOf(a, b) {  // the stored text of [a, b), line by line, without line numbers
    const out = [];
    for (const x of spans) {
      if (x.e <= a || x.s >= b) continue;
      const chars = Array.from($("L" + x.n).querySelector(".tx").textContent);
      out.push(chars.slice(Math.max(a, x.s) - x.s, Math.min(b, x.e) - x.s).join(""));
    }
    return out.join(" ");
  }
  function takeSelection() {
    const sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed) return null;
    const r = sel.getRangeAt(0);
    if (linesEl.contains(r.commonAncestorContainer)) snap(r);
    const a = pointOffset(r.startContainer, r.startOffset);
    const b = pointOffset(r.endContainer, r.endOffset);
    if (a === null || b === null || b <= a) return null;
    return {start: a, end: b, text: textOf(a, b), rect: r.getBoundingClientRect(),
            range: r.cloneRange()};
  }
  linesEl.addEventListener("mouseup", () => setTimeout(() => {
    if (!$("picker").hidden) return;
    const s = takeSelection();
    if (s && s.text.trim()) { pending = s; openPicker("code"); }
  }, 0));

  // -- the theme picker ------------------------------------------------------------------
  const picker = $("picker"), q = $("pk-q"), list = $("pk-list"), linesIn = $("pk-lines");
  function clip(t) { t = t.replace(/\s+/g, " ").trim(); return t.length > 140 ? t.slice(0, 137) + "…" : t; }
  function openPicker(m) {
    mode = m;
    lastFocus = document.activeElement;
    linesTyped = false;
    const forLines = m === "code";
    linesIn.hidden = !forLines;
    linesIn.previousElementSibling.hidden = !forLines;
    if (m === "retheme") {
      const c = coding(active);
      $("pk-title").textContent = "Re-theme coding";
      $("pk-what").textContent = c ? c.citation + " now " + c.theme + " " + c.label : "";
    } else {
      $("pk-title").textContent = "Code to theme";
      $("pk-what").textContent = pending ? "“" + clip(pending.text) + "” (whole words)" :
        "Give a line range, then a theme.";
      linesIn.value = pending ? linesOf(pending.start, pending.end) : "";
    }
    q.value = "";
    filter();
    if (pending && pending.range && window.CSS && CSS.highlights) {
      CSS.highlights.set("pending", new Highlight(pending.range));  // stays while typing
    }
    picker.hidden = false;
    const rect = pending && pending.rect;
    if (rect && rect.width) {  // below the selection, or above it: never over it
      const h = picker.offsetHeight, w = picker.offsetWidth;
      const below = rect.bottom + 8, above = rect.top - h - 8;
      const top = below + h < window.innerHeight ? below : Math.max(above, 8);
      picker.style.top = top + "px";
      picker.style.left = Math.min(Math.max(rect.left, 8), window.innerWidth - w - 8) + "px";
    } else {
      picker.style.top = "20%";
      picker.style.left = "calc(50% - 190px)";
    }
    (m === "code" && !pending ? linesIn : q).focus();
  }
  function closePicker() {
    picker.hidden = true;
    if (window.CSS && CSS.highlights) CSS.highlights.delete("pending");
    if (lastFocus && lastFocus.focus) lastFocus.focus();
  }
  function filter() {
    const t = q.value.trim().toLowerCase();
    choices = state.themes.filter((th) => !th.retired && (!t ||
      th.number.toLowerCase().startsWith(t) ||
      (th.number + " " + th.label).toLowerCase().includes(t)));
    chosen = 0;
    list.textContent = "";
    choices.forEach((th, i) => {
      const li = document.createElement("li");
      li.id = "pk-o-" + i;
      li.setAttribute("role", "option");
      li.style.paddingLeft = (0.4 + th.depth * 0.9) + "em";
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = th.colour;
      const b = document.createElement("b");
      b.textContent = th.number;
      li.append(sw, b, " " + th.label);
      li.addEventListener("mousedown", (ev) => { ev.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    mark();
  }
  function mark() {
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === chosen)));
    const cur = list.children[chosen];
    if (cur) { q.setAttribute("aria-activedescendant", cur.id); cur.scrollIntoView({block: "nearest"}); }
    else q.removeAttribute("aria-activedescendant");
  }
  async function choose(i) {
    const th = choices[i];
    if (!th) { ipa.say("No theme matches: type part of a number or label.", true); return; }
    try {
      if (mode === "retheme") {
        await ipa.post("/api/retheme", {id: active, theme: th.number});
        ipa.say("Re-themed to " + th.number + " " + th.label);
      } else {
        const body = {transcript: name, theme: th.number};
        if (pending && !linesTyped) { body.start = pending.start; body.end = pending.end; }
        else body.lines = linesIn.value.trim();
        const t0 = performance.now();
        const r = await ipa.post("/api/code", body);
        window.ipaLastRoundTrip = performance.now() - t0;
        ipa.say(r.duplicate ? "Already coded to " + th.number :
          "Coded " + r.citation + " to " + th.number + " " + th.label);
        window.getSelection().removeAllRanges();
        pending = null;
      }
    } catch (e) { return; }
    closePicker();
    await refresh();
  }
  q.addEventListener("input", filter);
  linesIn.addEventListener("input", () => { linesTyped = true; });
  picker.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") { ev.preventDefault(); closePicker(); return; }
    if (ev.target === linesIn && ev.key === "Enter") { ev.preventDefault(); q.focus(); return; }
    if (ev.target !== q) return;
    if (ev.key === "ArrowDown") { ev.preventDefault(); chosen = Math.min(chosen + 1, choices.length - 1); mark(); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); chosen = Math.max(chosen - 1, 0); mark(); }
    else if (ev.key === "Enter") { ev.preventDefault(); choose(chosen); }
  });
  document.addEventListener("mousedown", (ev) => {
    if (!picker.hidden && !picker.contains(ev.target)) closePicker();
  });
  function startCoding() { pending = takeSelection(); openPicker("code"); }
  $("code-lines").addEventListener("click", startCoding);
  document.addEventListener("keydown", (ev) => {
    const a = document.activeElement;
    if (ev.key !== "c" || ev.ctrlKey || ev.metaKey || ev.altKey || !picker.hidden) return;
    if (a && a.matches("input, textarea, select")) return;
    ev.preventDefault();
    startCoding();
  });
  $("goto").addEventListener("submit", (ev) => { ev.preventDefault(); jump(+$("goto-n").value); });

  // -- live refresh ------------------------------------------------------------------------
  async function refresh() {
    try { state = await ipa.getJSON("/api/t/" + encodeURIComponent(name)); }
    catch (e) { ipa.say("Could not reload the codings: " + e.message, true); return; }
    ipa.setVersion(state.version);
    if (active && !coding(active)) { active = null; $("coding-panel").hidden = true; }
    else if (active) { showCoding(active); }
    drawStripes();
    drawSide();
  }
  ipa.onChange(refresh);
  let queued = false;  // line heights change with the window and fonts: redraw then
  new ResizeObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; drawStripes(); });
  }).observe(linesEl);
  drawStripes();
  drawSide();
  const m = /^#L(\d+)$/.exec(location.hash);
  if (m) jump(+m[1]);
  document.body.dataset.ready = "1";
})();

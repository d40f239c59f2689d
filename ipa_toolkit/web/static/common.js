// ipa serve: what every page shares. CSRF-guarded posts, a status line, live refresh.
"use strict";
window.ipa = (function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  // the data version the page was drawn from: a change made elsewhere before the first
  // poll still reloads the page (null on a page drawn without one: the first poll sets it)
  const drawn = document.querySelector('meta[name="ipa-version"]');
  let version = drawn ? drawn.content : null;
  let onChange = null;

  function say(text, isError) {
    const el = document.getElementById("status");
    el.textContent = text;
    el.className = "status" + (isError ? " error" : " ok");
    el.setAttribute("role", isError ? "alert" : "status");
  }

  async function post(path, body) {
    const r = await fetch(path, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
      body: JSON.stringify(body || {}),
    });
    let data = {};
    try { data = await r.json(); } catch (e) { data = {error: "the server answered " + r.status}; }
    if (!r.ok || data.error) { say(data.error || ("error " + r.status), true); throw new Error(data.error); }
    return data;
  }

  async function getJSON(path) {
    const r = await fetch(path, {credentials: "same-origin"});
    if (!r.ok) throw new Error("error " + r.status);
    return r.json();
  }

  function editing() {
    const a = document.activeElement;
    return a && (a.matches("input, textarea, select") || a.isContentEditable) ||
      document.querySelector("[role=dialog]:not([hidden])") ||
      document.querySelector("details[open]");
  }

  async function poll() {
    try {
      const v = (await getJSON("/api/version")).version;
      document.getElementById("live").classList.remove("off");
      if (version !== null && v !== version) {
        if (onChange) await onChange(v); else if (!editing()) location.reload();
      }
      if (onChange || !editing()) version = v;
    } catch (e) {
      document.getElementById("live").classList.add("off");
    }
    setTimeout(poll, 1500);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const out = document.getElementById("logout");
    if (out) out.addEventListener("click", async () => {
      await post("/logout", {}).catch(() => null);
      location.href = "/login";
    });
    if (!document.querySelector("form.login")) setTimeout(poll, 300);
  });
  return {
    post, getJSON, say,
    setVersion(v) { version = v; },
    onChange(fn) { onChange = fn; },
  };
})();

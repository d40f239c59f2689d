// The codebook page: edit, add, move and merge themes (by form or by drag and drop).
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  // colours come as data (the page's policy forbids inline styles)
  document.querySelectorAll("[data-colour]").forEach((el) => el.style.setProperty("--c", el.dataset.colour));
  async function act(path, body, done) {
    try { await ipa.post(path, body); } catch (e) { return; }
    ipa.say(done);
    setTimeout(() => location.reload(), 150);
  }
  document.querySelectorAll("form.edit").forEach((f) => f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const theme = f.dataset.theme, d = new FormData(f);
    try {
      const label = d.get("label").trim();
      if (label !== f.querySelector("[name=label]").defaultValue) {
        await ipa.post("/api/theme/rename", {theme, label});
      }
      const fields = {theme, description: d.get("description"), inclusion: d.get("inclusion"),
        exclusion: d.get("exclusion")};
      const colour = f.querySelector("[name=colour]");
      if (colour.value !== colour.defaultValue) fields.colour = colour.value;  // else inherited
      await ipa.post("/api/theme/update", fields);
    } catch (e) { return; }
    ipa.say("Saved theme " + theme);
    setTimeout(() => location.reload(), 150);
  }));
  document.querySelectorAll("form.move").forEach((f) => f.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const op = ev.submitter ? ev.submitter.value : "move";
    const target = f.querySelector("[name=parent]").value;
    if (op === "delete") {
      act("/api/theme/delete", {theme: f.dataset.theme, move_to: target || null},
        "Deleted " + f.dataset.theme);
    } else if (op === "merge") {
      if (!target) { ipa.say("Choose the theme to merge into.", true); return; }
      act("/api/theme/merge", {theme: f.dataset.theme, into: target},
        "Merged " + f.dataset.theme + " into " + target);
    } else {
      act("/api/theme/move", {theme: f.dataset.theme, parent: target},
        "Moved " + f.dataset.theme);
    }
  }));
  $("add-theme").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const d = new FormData(ev.target);
    act("/api/theme/add", {label: d.get("label"), parent: d.get("parent")}, "Added a theme");
  });

  // drag a theme onto another: move under it, or merge into it
  let dragged = null, target = null;
  const dialog = $("drop-dialog");
  document.querySelectorAll("li.theme").forEach((li) => {
    li.addEventListener("dragstart", (ev) => {
      ev.stopPropagation();
      dragged = li.dataset.number;
      ev.dataTransfer.setData("text/plain", dragged);
      ev.dataTransfer.effectAllowed = "move";
    });
    const summary = li.querySelector(":scope > details > summary");
    summary.addEventListener("dragover", (ev) => {
      if (dragged && dragged !== li.dataset.number) { ev.preventDefault(); summary.classList.add("drop"); }
    });
    summary.addEventListener("dragleave", () => summary.classList.remove("drop"));
    summary.addEventListener("drop", (ev) => {
      ev.preventDefault();
      summary.classList.remove("drop");
      target = li.dataset.number;
      if (!dragged || dragged === target) return;
      $("dd-what").textContent = "Theme " + dragged + " onto theme " + target + ".";
      dialog.hidden = false;
      $("dd-move").focus();
    });
  });
  $("dd-move").addEventListener("click", () => { dialog.hidden = true;
    act("/api/theme/move", {theme: dragged, parent: target}, "Moved " + dragged + " under " + target); });
  $("dd-merge").addEventListener("click", () => { dialog.hidden = true;
    act("/api/theme/merge", {theme: dragged, into: target}, "Merged " + dragged + " into " + target); });
  $("dd-cancel").addEventListener("click", () => { dialog.hidden = true; });
  dialog.addEventListener("keydown", (ev) => { if (ev.key === "Escape") dialog.hidden = true; });
})();

// What every page builds with: the view, its title, flash messages, refresh timers,
// navigation and buttons that run an action.

import { h, replace } from "./dom.js";

export const view = document.getElementById("view");
const flashBox = document.getElementById("flash");
export const REFRESH_MS = 5000;
export const PAGE_SIZE = 50;

let flashTimer = null;
let carryFlash = false;

/** Show a message; `carry` keeps it through the navigation that the action goes on to. */
export function flash(message, kind = "ok", carry = false) {
  clearTimeout(flashTimer);
  carryFlash = carry;
  flashBox.className = `flash flash-${kind}`;
  replace(flashBox, message);
  flashTimer = setTimeout(() => {
    flashBox.className = "flash";
    replace(flashBox);
  }, 6000);
}

/** On a new page: the last message goes unless the action that led here carried it. */
export function dropFlash() {
  if (!carryFlash) replace(flashBox);
  carryFlash = false;
}

/** Run `fn` every `ms` while this page is shown and the tab is visible. */
export function every(ctx, ms, fn) {
  ctx.timers.push(
    setInterval(() => {
      if (ctx.alive && !document.hidden) fn().catch((err) => ctx.alive && flash(err.message, "error"));
    }, ms),
  );
}

/** Go to `hash`; going to the page already shown draws it again. */
export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = hash;
}

export function title(text) {
  document.title = `${text} · upmon`;
  return h("h1", { tabindex: "-1" }, text);
}

export function problemBox(err) {
  return h(
    "div",
    { class: "problem", role: "alert" },
    h("strong", {}, err.problem?.title || "Error"),
    " ",
    err.problem?.detail || err.message,
  );
}

/** A button that is disabled while its action runs, and reports failures. */
export function action(label, run, attrs = {}) {
  const button = h("button", { type: "button", ...attrs }, label);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await run();
    } catch (err) {
      flash(err.message, "error");
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** A list table: a class, its column heads and its rows. */
export function table(cls, head, rows, caption = null) {
  return h(
    "table",
    { class: `list ${cls}` },
    caption ? h("caption", { class: "sr-only" }, caption) : null,
    h("thead", {}, h("tr", {}, head.filter(Boolean).map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows),
  );
}

export const section = (id, heading, ...body) =>
  h("section", { class: "card", "aria-labelledby": id }, h("h2", { id }, heading), body);

export const tile = (label, value) =>
  h("div", { class: "tile" }, h("div", { class: "tile-label" }, label), h("div", { class: "tile-value" }, value));

/** A delete button that asks first, then reports and reloads. */
export function deleteAction(question, remove, done, reload) {
  return action(
    "Delete",
    async () => {
      if (!window.confirm(question)) return;
      await remove();
      flash(done);
      await reload();
    },
    { class: "danger" },
  );
}

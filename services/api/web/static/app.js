// The upmon dashboard: a few pages over the JSON API, routed by the URL's hash
// (#/monitors, #/monitors/<id>, ...). No framework, no build step. This module is the
// router and the page chrome; each view is its own module.

import { ApiError, post, query, session, whenUnauthorized } from "./api.js";
import { viewAdmin } from "./admin.js";
import { viewChannels } from "./channels.js";
import { viewDeadLetters } from "./dead_letters.js";
import { h, replace } from "./dom.js";
import { viewIncidents } from "./incidents.js";
import { viewLogin } from "./login.js";
import { viewMonitor } from "./monitor_detail.js";
import { viewMonitorForm } from "./monitor_form.js";
import { viewMonitors } from "./monitors.js";
import { viewOperations } from "./ops.js";
import { dropFlash, go, problemBox, title, view } from "./page.js";
import { viewStatusPages } from "./status_pages.js";

const UUID = "([0-9a-fA-F-]{36})";

const ROUTES = [
  [/^\/login$/, (ctx, p) => viewLogin(ctx, p), { public: true }],
  [/^\/ops$/, (ctx) => viewOperations(ctx)],
  [/^\/dead-letters$/, (ctx) => viewDeadLetters(ctx)],
  [/^\/admin$/, (ctx) => viewAdmin(ctx)],
  [/^\/monitors$/, (ctx, p) => viewMonitors(ctx, p)],
  [/^\/monitors\/new$/, (ctx) => viewMonitorForm(ctx, null)],
  [new RegExp(`^/monitors/${UUID}$`), (ctx, _p, id) => viewMonitor(ctx, id)],
  [new RegExp(`^/monitors/${UUID}/edit$`), (ctx, _p, id) => viewMonitorForm(ctx, id)],
  [/^\/incidents$/, (ctx, p) => viewIncidents(ctx, p)],
  [/^\/channels$/, (ctx) => viewChannels(ctx)],
  [/^\/status-pages$/, (ctx) => viewStatusPages(ctx)],
];

let current = { alive: false, timers: [] };

function leave() {
  current.alive = false;
  current.timers.forEach(clearInterval);
}

function renderChrome(path, signedIn) {
  document.getElementById("nav").hidden = !signedIn;
  document.getElementById("session").hidden = !signedIn;
  replace(document.getElementById("who"), session.email());
  for (const link of document.querySelectorAll("#nav a")) {
    const here = path.startsWith(link.getAttribute("href").slice(1));
    if (here) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

async function show(render, params, args) {
  const ctx = { alive: true, timers: [] };
  current = ctx;
  replace(view, h("p", { class: "muted" }, "Loading…"));
  try {
    await render(ctx, params, ...args);
    if (ctx.alive) view.querySelector("h1")?.focus({ preventScroll: true });
  } catch (err) {
    if (!ctx.alive) return;
    if (!(err instanceof ApiError)) throw err;
    replace(view, title(err.status === 404 ? "Not found" : "Something went wrong"), problemBox(err), h("p", {}, h("a", { href: "#/monitors" }, "Back to the monitors")));
  }
}

async function route() {
  leave();
  dropFlash();
  const raw = location.hash.replace(/^#/, "") || "/monitors";
  const [path, q] = raw.split("?");
  const signedIn = Boolean(session.token());
  renderChrome(path, signedIn);
  const found = ROUTES.find(([re]) => re.test(path));
  if (!found) {
    replace(view, title("Not found"), h("p", {}, "There is no such page. ", h("a", { href: "#/monitors" }, "Go to the monitors.")));
    return;
  }
  const [re, render, opts] = found;
  if (!signedIn && !opts?.public) {
    go(`#/login${query({ next: path === "/login" ? "" : raw })}`);
    return;
  }
  await show(render, new URLSearchParams(q || ""), path.match(re).slice(1));
}

whenUnauthorized(() => {
  const raw = location.hash.replace(/^#/, "");
  if (!raw.startsWith("/login")) go(`#/login${query({ next: raw })}`);
});

document.getElementById("logout").addEventListener("click", async () => {
  try {
    await post("/api/v1/auth/logout");
  } catch {
    // An expired token is as good as revoked.
  }
  session.clear();
  go("#/login");
});

window.addEventListener("hashchange", route);
route();

// The upmon dashboard: a few pages over the JSON API, routed by the URL's hash
// (#/monitors, #/monitors/<id>, ...). No framework, no build step.

import { ApiError, LOGIN, api, del, get, post, query, session, whenUnauthorized } from "./api.js";
import { fmtRunTime, latencyChart, phaseBreakdown, runTimeline, uptimeBar } from "./charts.js";
import { badge, fmtDuration, fmtMs, fmtPct, fmtTime, h, replace, when } from "./dom.js";
import { viewMonitorForm } from "./monitor_form.js";
import { viewAdmin, viewDeadLetters, viewOperations } from "./ops.js";

const view = document.getElementById("view");
const flashBox = document.getElementById("flash");
const REFRESH_MS = 5000;
const PAGE_SIZE = 50;
const STATUSES = ["up", "down", "degraded", "pending", "paused", "maintenance", "unknown"];
const UUID = "([0-9a-fA-F-]{36})";

// -- pages, timers, messages -----------------------------------------------------------------

let current = { alive: false, timers: [] };

function leave() {
  current.alive = false;
  current.timers.forEach(clearInterval);
}

/** Run `fn` every `ms` while this page is shown and the tab is visible. */
function every(ctx, ms, fn) {
  ctx.timers.push(
    setInterval(() => {
      if (ctx.alive && !document.hidden) fn().catch((err) => ctx.alive && flash(err.message, "error"));
    }, ms),
  );
}

let flashTimer = null;
let carryFlash = false;
/** Show a message; `carry` keeps it through the navigation that the action goes on to. */
function flash(message, kind = "ok", carry = false) {
  clearTimeout(flashTimer);
  carryFlash = carry;
  flashBox.className = `flash flash-${kind}`;
  replace(flashBox, message);
  flashTimer = setTimeout(() => {
    flashBox.className = "flash";
    replace(flashBox);
  }, 6000);
}

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function title(text) {
  document.title = `${text} · upmon`;
  return h("h1", { tabindex: "-1" }, text);
}

function problemBox(err) {
  return h(
    "div",
    { class: "problem", role: "alert" },
    h("strong", {}, err.problem?.title || "Error"),
    " ",
    err.problem?.detail || err.message,
  );
}

/** A button that is disabled while its action runs, and reports failures. */
function action(label, run, attrs = {}) {
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

// -- forms -----------------------------------------------------------------------------------

/**
 * One labelled control. `name` is the API's field path (e.g. "http.method"): a 422
 * error about that field, or about something inside it, is shown under the control.
 */
function field(form, spec) {
  const { name, label, type = "text", value, hint, required, options, attrs = {} } = spec;
  const id = `${form}-${name.replace(/[^a-zA-Z0-9]+/g, "-")}`;
  const common = { id, name, "aria-describedby": `${id}-error${hint ? ` ${id}-hint` : ""}`, ...attrs };
  let control;
  if (type === "select") {
    control = h(
      "select",
      common,
      options.map(([v, text]) => h("option", { value: v, selected: String(value) === String(v) }, text)),
    );
  } else if (type === "textarea") {
    control = h("textarea", { ...common, rows: 4 }, value ?? "");
  } else if (type === "checkbox") {
    control = h("input", { ...common, type, checked: Boolean(value) });
  } else {
    control = h("input", { ...common, type, value: value ?? "", required: Boolean(required) });
  }
  const labelEl = h("label", { for: id }, label);
  const parts =
    type === "checkbox" ? [h("div", { class: "check" }, control, labelEl)] : [labelEl, control];
  return h(
    "div",
    { class: "field", "data-field": name },
    parts,
    hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null,
    h("p", { class: "field-error", id: `${id}-error` }),
  );
}

function clearErrors(form) {
  for (const el of form.querySelectorAll(".field.invalid")) el.classList.remove("invalid");
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const el of form.querySelectorAll(".field-error")) replace(el);
  replace(form.querySelector(".form-error"));
}

function fieldFor(form, path) {
  let name = path.replace(/\[\d+\]/g, "");
  for (;;) {
    const found = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (found && !found.closest("[hidden]")) return found;
    const cut = name.lastIndexOf(".");
    if (cut < 0) return null;
    name = name.slice(0, cut);
  }
}

/** Show an API error on a form: each field message next to its field, the rest on top. */
function showErrors(form, err) {
  clearErrors(form);
  const loose = [];
  let first = null;
  for (const e of err.errors || []) {
    const holder = fieldFor(form, e.field);
    if (!holder) {
      loose.push(e);
      continue;
    }
    holder.classList.add("invalid");
    const control = holder.querySelector("input, select, textarea");
    control.setAttribute("aria-invalid", "true");
    const box = holder.querySelector(".field-error");
    const inside = e.field.replace(/\[\d+\]/g, "") === holder.dataset.field ? "" : `${e.field}: `;
    box.append(h("span", {}, inside + e.message));
    first = first || control;
  }
  if (loose.length || !err.errors?.length) {
    replace(
      form.querySelector(".form-error"),
      problemBox(err),
      loose.length ? h("ul", {}, loose.map((e) => h("li", {}, `${e.field}: ${e.message}`))) : null,
    );
  }
  (first || form.querySelector(".form-error")).focus?.();
}

function formShell(id, onSubmit, ...children) {
  const form = h("form", { id, novalidate: true, class: "form" }, h("div", { class: "form-error", tabindex: "-1" }), children);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector("[type=submit]");
    submit.disabled = true;
    try {
      await onSubmit(form);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      showErrors(form, err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

class LocalErrors extends ApiError {
  constructor(errors) {
    super(422, { title: "Validation failed", detail: "check the marked fields", errors });
  }
}

/** Read form values the way the API wants them. */
function reader(form) {
  const el = (name) => form.elements.namedItem(name);
  const local = [];
  const read = {
    text: (name) => el(name).value.trim(),
    optText: (name) => el(name).value.trim() || null,
    list: (name) =>
      el(name)
        .value.split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    checked: (name) => el(name).checked,
    num: (name) => {
      const input = el(name);
      if (input.validity.badInput) local.push({ field: name, message: "must be a number" });
      return input.value.trim() === "" ? null : Number(input.value);
    },
    done() {
      if (local.length) throw new LocalErrors(local);
    },
  };
  return read;
}

// -- login -----------------------------------------------------------------------------------

async function viewLogin(_ctx, params) {
  const next = params.get("next") || "/monitors";
  const form = formShell(
    "login",
    async (f) => {
      const r = reader(f);
      const email = r.text("email");
      const reply = await api("POST", LOGIN, { email, password: f.elements.password.value });
      session.save(reply.token, reply.expires_at, email);
      go(`#${next.startsWith("/") ? next : "/monitors"}`);
    },
    field("login", { name: "email", label: "Email", type: "email", required: true, attrs: { autocomplete: "username" } }),
    field("login", { name: "password", label: "Password", type: "password", required: true, attrs: { autocomplete: "current-password" } }),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, "Sign in")),
  );
  replace(view, h("section", { class: "login card" }, title("Sign in to upmon"), form));
  form.elements.email.focus();
}

// -- monitors list ---------------------------------------------------------------------------

function monitorRow(m, since) {
  return h(
    "tr",
    { "data-monitor-id": m.id },
    h("td", { class: "status" }, badge(m.status)),
    h(
      "td",
      {},
      h("a", { href: `#/monitors/${m.id}`, class: "name" }, m.name),
      m.tags.length ? h("div", { class: "tags" }, m.tags.map((t) => h("span", { class: "tag" }, t))) : null,
    ),
    h("td", {}, m.kind),
    h("td", { class: "target" }, m.target || h("span", { class: "muted" }, "–")),
    h("td", { class: "last-check" }, when(m.last_checked_at)),
    h(
      "td",
      { class: "uptime" },
      uptimeBar(m.hourly_uptime_pct, m.hourly_checks, since, m.uptime_pct),
      h("span", { class: "pct" }, fmtPct(m.uptime_pct)),
    ),
    h("td", { class: "num" }, fmtMs(m.latency_avg_ms)),
  );
}

async function viewMonitors(ctx, params) {
  const status = params.get("status") || "";
  const tag = params.get("tag") || "";
  const cursors = [null]; // cursor of each page visited, to go back
  const body = h("tbody");
  const info = h("p", { class: "muted", "aria-live": "polite" });
  const prev = h("button", { type: "button" }, "Previous page");
  const next = h("button", { type: "button" }, "Next page");
  let nextCursor = null;

  async function load() {
    const page = await get(
      `/api/v1/monitors:summary${query({ limit: PAGE_SIZE, cursor: cursors.at(-1), status, tag })}`,
    );
    if (!ctx.alive) return;
    nextCursor = page.next_cursor;
    replace(body, page.items.map((m) => monitorRow(m, page.since)));
    if (!page.items.length) {
      body.append(
        h("tr", {}, h("td", { colspan: 7, class: "empty" }, status || tag ? "No monitor matches." : "No monitors yet. ", status || tag ? null : h("a", { href: "#/monitors/new" }, "Create the first one."))),
      );
    }
    prev.disabled = cursors.length === 1;
    next.disabled = !nextCursor;
    replace(info, `Page ${cursors.length}: ${page.items.length} monitor${page.items.length === 1 ? "" : "s"}. Updated ${fmtTime(new Date().toISOString()).slice(11)}.`);
  }
  prev.addEventListener("click", () => {
    cursors.pop();
    load();
  });
  next.addEventListener("click", () => {
    cursors.push(nextCursor);
    load();
  });

  const filters = h(
    "form",
    { class: "filters", role: "search" },
    field("filter", {
      name: "status",
      label: "Status",
      type: "select",
      value: status,
      options: [["", "any"], ...STATUSES.map((x) => [x, x])],
    }),
    field("filter", { name: "tag", label: "Tag", value: tag }),
    h("button", { type: "submit" }, "Filter"),
  );
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    go(`#/monitors${query({ status: filters.elements.status.value, tag: filters.elements.tag.value.trim() })}`);
  });

  replace(
    view,
    h("div", { class: "page-head" }, title("Monitors"), h("a", { href: "#/monitors/new", class: "button primary" }, "New monitor")),
    filters,
    h(
      "table",
      { class: "list monitors" },
      h("caption", { class: "sr-only" }, "Monitors with their status and last 24 hours of uptime"),
      h(
        "thead",
        {},
        h("tr", {}, ["Status", "Name", "Kind", "Target", "Last check", "Uptime, 24 h", "Avg latency"].map((c) => h("th", { scope: "col" }, c))),
      ),
      body,
    ),
    h("div", { class: "pager" }, prev, next, info),
  );
  await load();
  every(ctx, REFRESH_MS, load);
}

// -- monitor form ----------------------------------------------------------------------------

// -- monitor detail --------------------------------------------------------------------------

const WINDOWS = ["1h", "24h", "7d", "30d", "90d"];

function facts(pairs) {
  return h(
    "dl",
    { class: "facts" },
    pairs.filter(([, v]) => v !== null && v !== undefined && v !== "").map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
  );
}

async function viewMonitor(ctx, id) {
  let monitor = await get(`/api/v1/monitors/${id}`);
  let windowName = "24h";
  const head = h("div", { class: "page-head" });
  const about = h("div");
  const statsBox = h("div", { class: "stats", "aria-live": "polite" });
  const chartBox = h("div", { class: "chart" });
  const phasesBox = h("div");
  const resultsBox = h("div");
  const incidentsBox = h("div");
  const isJob = monitor.kind === "heartbeat";
  const runsBox = h("div");
  // An open anomaly leaves the status up: the marker says it is degraded all the same.
  const anomalyMark = h("p", { class: "anomaly-mark", hidden: true, role: "status" });

  function renderHead() {
    const paused = monitor.paused;
    document.title = `${monitor.name} · upmon`;
    replace(
      head,
      h("div", {}, h("h1", { tabindex: "-1" }, monitor.name, " ", badge(monitor.status)), h("p", { class: "muted" }, `${monitor.kind} · ${monitor.target || "push"}`)),
      h(
        "div",
        { class: "buttons" },
        h("a", { href: `#/monitors/${id}/edit`, class: "button" }, "Edit"),
        action(paused ? "Resume" : "Pause", async () => {
          monitor = await post(`/api/v1/monitors/${id}/${paused ? "resume" : "pause"}`);
          renderHead();
          renderAbout();
          flash(`Monitor ${monitor.paused ? "paused" : "resumed"}.`);
        }),
        action(
          "Delete",
          async () => {
            if (!window.confirm(`Delete the monitor “${monitor.name}”? Its checks stop.`)) return;
            await del(`/api/v1/monitors/${id}`);
            flash(`Monitor “${monitor.name}” deleted.`, "ok", true);
            go("#/monitors");
          },
          { class: "danger" },
        ),
      ),
    );
  }

  function renderAbout() {
    replace(
      about,
      facts([
        ["Last check", when(monitor.last_checked_at)],
        ["Checks every", `${monitor.interval_s} s (timeout ${monitor.timeout_s} s)`],
        ["Down after", `${monitor.failure_threshold} failure(s); up again after ${monitor.success_threshold} success(es)`],
        ["Regions", monitor.regions.join(", ")],
        ["Tags", monitor.tags.join(", ")],
        ["Push URL", monitor.push_url ? h("code", {}, monitor.push_url) : null],
        ["Ping by slug", monitor.heartbeat?.slug ? h("code", {}, `${location.origin}/api/v1/push/<ping key>/${monitor.heartbeat.slug}`) : null],
        ["Badges", h("span", {}, h("a", { href: `/badge/${id}/status.svg` }, "status"), " · ", h("a", { href: `/badge/${id}/uptime.svg?window=30d` }, "uptime, 30 days"), h("span", { class: "muted" }, " (SVG images for READMEs and wikis; anyone with the link can see them)"))],
      ]),
    );
  }

  const windowButtons = h(
    "div",
    { class: "segmented", role: "group", "aria-label": "Statistics window" },
    WINDOWS.map((w) =>
      h(
        "button",
        {
          type: "button",
          "aria-pressed": String(w === windowName),
          onclick: async (event) => {
            windowName = w;
            for (const b of windowButtons.children) b.setAttribute("aria-pressed", String(b === event.currentTarget));
            await loadStats();
          },
        },
        w,
      ),
    ),
  );

  async function loadStats() {
    const stats = await get(`/api/v1/monitors/${id}/stats?window=${windowName}`);
    if (!ctx.alive) return;
    const lat = stats.latency_ms;
    const tile = (label, value) => h("div", { class: "tile" }, h("div", { class: "tile-label" }, label), h("div", { class: "tile-value" }, value));
    replace(
      statsBox,
      tile("Uptime", fmtPct(stats.uptime_pct)),
      tile("Checks", String(stats.checks)),
      tile("Failures", String(stats.failures)),
      tile("Avg latency", fmtMs(lat.avg)),
      tile("p50", fmtMs(lat.p50)),
      tile("p95", fmtMs(lat.p95)),
      tile("p99", fmtMs(lat.p99)),
    );
    replace(phasesBox, phaseBreakdown(stats.phases_ms));
    if (isJob) {
      runStats = stats.runs ?? null;
      renderRuns();
    }
  }

  async function loadResults() {
    const results = await get(`/api/v1/monitors/${id}/results?limit=100`);
    if (!ctx.alive) return;
    replace(chartBox, latencyChart(results.items));
    const rows = results.items.slice(0, 20).map((r) =>
      h(
        "tr",
        {},
        h("td", {}, h("time", { datetime: r.scheduled_at }, fmtTime(r.scheduled_at))),
        h("td", {}, r.region),
        h("td", {}, badge(r.status)),
        h("td", { class: "num" }, fmtMs(r.latency_ms)),
        h("td", { class: "num" }, r.http_status ?? "–"),
        h("td", { class: "error-text" }, r.error ? `${r.error_kind ? `${r.error_kind}: ` : ""}${r.error}` : ""),
      ),
    );
    replace(
      resultsBox,
      rows.length
        ? h(
            "table",
            { class: "list results" },
            h("caption", { class: "sr-only" }, "The 20 most recent checks"),
            h("thead", {}, h("tr", {}, ["Scheduled", "Region", "Status", "Latency", "HTTP", "Error"].map((c) => h("th", { scope: "col" }, c)))),
            h("tbody", {}, rows),
          )
        : h("p", { class: "muted" }, "No checks yet."),
    );
  }

  async function loadIncidents() {
    const found = await get(`/api/v1/incidents${query({ monitor_id: id, limit: 10 })}`);
    if (!ctx.alive) return;
    replace(incidentsBox, incidentTable(found.items, { [id]: monitor.name }, loadIncidents, false));
    const open = found.items.filter((i) => i.kind === "anomaly" && i.status !== "resolved");
    anomalyMark.hidden = !open.length;
    anomalyMark.textContent = open.length ? `Degraded: ${open.map((i) => i.cause).join("; ")}` : "";
  }

  // The runs come from /runs, their counts and durations with the other statistics.
  let runItems = null;
  let runStats = null;
  const renderRuns = () => runItems && replace(runsBox, runsSection(runItems, runStats, windowName));

  async function loadRuns() {
    if (!isJob) return;
    const found = await get(`/api/v1/monitors/${id}/runs?limit=100`);
    if (!ctx.alive) return;
    runItems = found.items;
    renderRuns();
  }

  const loadAll = () => Promise.all([loadStats(), loadResults(), loadIncidents(), loadRuns()]);

  async function refresh() {
    const fresh = await get(`/api/v1/monitors/${id}`);
    if (!ctx.alive) return;
    const changed = fresh.status !== monitor.status || fresh.paused !== monitor.paused;
    monitor = fresh;
    if (changed) renderHead();
    renderAbout();
    await loadAll();
  }

  renderHead();
  renderAbout();
  replace(
    view,
    h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: "#/monitors" }, "Monitors"), " / ", monitor.name),
    head,
    anomalyMark,
    about,
    h("section", { "aria-labelledby": "stats-h" }, h("div", { class: "section-head" }, h("h2", { id: "stats-h" }, "Statistics"), windowButtons), statsBox),
    isJob ? h("section", { "aria-labelledby": "runs-h" }, h("h2", { id: "runs-h" }, "Runs"), runsBox) : null,
    h("section", { "aria-labelledby": "latency-h" }, h("h2", { id: "latency-h" }, "Latency, last 100 checks"), chartBox),
    h("section", { "aria-labelledby": "phases-h" }, h("h2", { id: "phases-h" }, "Where the time goes"), phasesBox),
    h("section", { "aria-labelledby": "incidents-h" }, h("h2", { id: "incidents-h" }, "Incidents"), incidentsBox),
    h("section", { "aria-labelledby": "results-h" }, h("h2", { id: "results-h" }, "Recent checks"), resultsBox),
  );
  await loadAll();
  every(ctx, REFRESH_MS, refresh);
}

/** A job's runs: counts and durations over the window, the timeline, the latest runs. */
function runsSection(items, stats, windowName) {
  const tile = (label, value) => h("div", { class: "tile" }, h("div", { class: "tile-label" }, label), h("div", { class: "tile-value" }, value));
  const tiles = stats
    ? h(
        "div",
        { class: "stats run-stats" },
        tile(`Runs (${windowName})`, String(stats.runs)),
        tile("Success rate", fmtPct(stats.success_rate_pct)),
        tile("Missed", String(stats.missed)),
        tile("Duration p50", fmtRunTime(stats.duration_s.p50)),
        tile("p95", fmtRunTime(stats.duration_s.p95)),
        tile("Longest", fmtRunTime(stats.duration_s.max)),
      )
    : null;
  const legend = h(
    "ul",
    { class: "run-legend", "aria-hidden": "true" },
    [["success", "success"], ["failure", "failure"], ["missed", "missed (no run)"], ["late", "late (outlined)"]].map(([cls, label]) => h("li", {}, h("span", { class: `swatch r-${cls}` }), label)),
  );
  const rows = items.slice(0, 20).map((r) =>
    h(
      "tr",
      {},
      h("td", {}, r.started_at ? h("time", { datetime: r.started_at }, fmtTime(r.started_at)) : h("span", { class: "muted" }, "–")),
      h("td", {}, h("time", { datetime: r.ended_at }, fmtTime(r.ended_at))),
      h("td", { class: "num" }, fmtRunTime(r.duration_s)),
      h("td", {}, badge(r.outcome), r.late ? h("span", { class: "muted" }, " late") : null),
      h("td", { class: "num" }, r.exit_code ?? "–"),
      h("td", {}, r.rid ?? ""),
      h("td", { class: r.outcome === "success" || r.outcome === "log" ? "" : "error-text" }, r.reason ?? ""),
    ),
  );
  return h(
    "div",
    {},
    tiles,
    h("div", { class: "chart" }, runTimeline(items), legend),
    rows.length
      ? h(
          "table",
          { class: "list runs" },
          h("caption", { class: "sr-only" }, "The 20 most recent runs"),
          h("thead", {}, h("tr", {}, ["Started", "Ended", "Duration", "Outcome", "Exit", "Run id", "Reason"].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, rows),
        )
      : null,
  );
}

// -- incidents -------------------------------------------------------------------------------

function incidentTable(items, names, reload, withMonitor = true) {
  if (!items.length) return h("p", { class: "muted" }, "No incidents.");
  const rows = items.map((i) => {
    const name = names[i.monitor_id] || "(deleted monitor)";
    const buttons = [];
    if (i.status === "open") {
      buttons.push(
        action("Acknowledge", async () => {
          await post(`/api/v1/incidents/${i.id}/ack`);
          flash(`Incident on “${name}” acknowledged.`);
          await reload();
        }),
      );
    }
    if (i.status !== "resolved") {
      buttons.push(
        action("Resolve", async () => {
          await post(`/api/v1/incidents/${i.id}/resolve`);
          flash(`Incident on “${name}” resolved.`);
          await reload();
        }),
      );
    }
    const who = [
      i.acknowledged_by ? `acknowledged by ${i.acknowledged_by}` : null,
      i.resolved_by ? `resolved by ${i.resolved_by}` : null,
    ].filter(Boolean);
    return h(
      "tr",
      { "data-incident-id": i.id },
      h("td", {}, badge(i.status), i.kind === "anomaly" ? h("span", { class: "anomaly-tag" }, "anomaly") : null),
      withMonitor ? h("td", {}, h("a", { href: `#/monitors/${i.monitor_id}` }, name)) : null,
      h("td", {}, i.cause, i.regions.length ? h("div", { class: "muted" }, `regions: ${i.regions.join(", ")}`) : null),
      h("td", {}, when(i.opened_at)),
      h("td", {}, fmtDuration(i.duration_s)),
      h("td", { class: "muted" }, who.join("; ")),
      h("td", { class: "buttons" }, buttons),
    );
  });
  const cols = ["Status", withMonitor ? "Monitor" : null, "Cause", "Opened", "Duration", "By", "Actions"].filter(Boolean);
  return h(
    "table",
    { class: "list incidents" },
    h("thead", {}, h("tr", {}, cols.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows),
  );
}

const monitorNames = {};
async function namesOf(ids) {
  const missing = [...new Set(ids)].filter((id) => !(id in monitorNames));
  await Promise.all(
    missing.map(async (id) => {
      try {
        monitorNames[id] = (await get(`/api/v1/monitors/${id}`)).name;
      } catch (err) {
        if (err.status !== 404) throw err;
        monitorNames[id] = "(deleted monitor)";
      }
    }),
  );
  return monitorNames;
}

async function viewIncidents(ctx, params) {
  const status = params.get("status") || "";
  const box = h("div", { "aria-live": "polite" });
  const more = h("button", { type: "button", hidden: true }, "Show more");
  let limit = PAGE_SIZE;
  more.addEventListener("click", () => {
    limit += PAGE_SIZE;
    load();
  });

  async function load() {
    const found = await get(`/api/v1/incidents${query({ status, limit })}`);
    const names = await namesOf(found.items.map((i) => i.monitor_id));
    if (!ctx.alive) return;
    replace(box, incidentTable(found.items, names, load));
    more.hidden = !found.next_cursor;
  }

  const tabs = h(
    "nav",
    { class: "segmented", "aria-label": "Incident status" },
    [["", "All"], ["open", "Open"], ["acknowledged", "Acknowledged"], ["resolved", "Resolved"]].map(([value, label]) =>
      h("a", { href: `#/incidents${query({ status: value })}`, class: "button", "aria-current": value === status ? "page" : null }, label),
    ),
  );
  replace(view, title("Incidents"), tabs, box, more);
  await load();
  every(ctx, REFRESH_MS, load);
}

// -- channels --------------------------------------------------------------------------------

// The settings of each channel kind, as the API's `config` names them: the api serves
// them from its registry of kinds, so a new kind needs nothing here.
let channelFields = null;
async function loadChannelFields() {
  if (!channelFields) {
    const found = await get("/api/v1/channel-kinds");
    channelFields = Object.fromEntries(found.items.map((k) => [k.kind, k.fields.map((f) => [f.name, f.label, f.input, f.required])]));
  }
  return channelFields;
}

function channelTarget(c) {
  const cfg = c.config || {};
  return cfg.url || cfg.webhook_url || cfg.topic || (cfg.to_addrs || []).join(", ") || cfg.chat_id || "";
}

async function viewChannels(ctx) {
  const CHANNEL_FIELDS = await loadChannelFields();
  const box = h("div");
  async function load() {
    const found = await get("/api/v1/channels?limit=500");
    if (!ctx.alive) return;
    replace(
      box,
      found.items.length
        ? h(
            "table",
            { class: "list channels" },
            h("thead", {}, h("tr", {}, ["Name", "Kind", "Sends to", "Created", "Actions"].map((c) => h("th", { scope: "col" }, c)))),
            h(
              "tbody",
              {},
              found.items.map((c) =>
                h(
                  "tr",
                  { "data-channel-id": c.id },
                  h("td", {}, c.name),
                  h("td", {}, c.kind),
                  h("td", { class: "target" }, String(channelTarget(c))),
                  h("td", {}, when(c.created_at)),
                  h(
                    "td",
                    { class: "buttons" },
                    action("Send test", async () => {
                      const r = await post(`/api/v1/channels/${c.id}/test`);
                      flash(r.ok ? `Test sent to “${c.name}”${r.status_code ? ` (HTTP ${r.status_code})` : ""}.` : `Test to “${c.name}” failed: ${r.error || `HTTP ${r.status_code}`}`, r.ok ? "ok" : "error");
                    }),
                    action(
                      "Delete",
                      async () => {
                        if (!window.confirm(`Delete the channel “${c.name}”?`)) return;
                        await del(`/api/v1/channels/${c.id}`);
                        flash(`Channel “${c.name}” deleted.`);
                        await load();
                      },
                      { class: "danger" },
                    ),
                  ),
                ),
              ),
            ),
          )
        : h("p", { class: "muted" }, "No channels yet."),
    );
  }

  const F = "channel";
  const configBox = h("div", { class: "grid" });
  function showKind(kind) {
    replace(
      configBox,
      CHANNEL_FIELDS[kind].map(([key, label, type, required]) =>
        field(F, { name: `config.${key}`, label, type: type === "list" ? "text" : type, required }),
      ),
    );
  }
  const kindField = field(F, { name: "kind", label: "Kind", type: "select", value: "webhook", options: Object.keys(CHANNEL_FIELDS).map((k) => [k, k]) });
  const form = formShell(
    "channel-form",
    async (f) => {
      const r = reader(f);
      const kind = f.elements.kind.value;
      const config = {};
      for (const [key, , type] of CHANNEL_FIELDS[kind]) {
        const name = `config.${key}`;
        if (type === "list") config[key] = r.list(name);
        else if (type === "number") config[key] = r.num(name);
        else config[key] = r.optText(name);
        if (config[key] === null || (Array.isArray(config[key]) && !config[key].length && !f.elements.namedItem(name).required)) delete config[key];
      }
      if (kind === "telegram" && /^-?\d+$/.test(config.chat_id || "")) config.chat_id = Number(config.chat_id);
      r.done();
      const created = await post("/api/v1/channels", { name: r.text("name"), kind, config });
      flash(`Channel “${created.name}” created.`);
      f.reset();
      showKind(f.elements.kind.value);
      clearErrors(f);
      await load();
    },
    h("div", { class: "grid" }, field(F, { name: "name", label: "Name", required: true }), kindField),
    configBox,
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, "Add channel")),
  );
  form.elements.kind.addEventListener("change", () => showKind(form.elements.kind.value));
  showKind("webhook");
  replace(
    view,
    title("Channels"),
    box,
    h("section", { class: "card", "aria-labelledby": "new-channel-h" }, h("h2", { id: "new-channel-h" }, "Add a channel"), form),
  );
  await load();
}

// -- status pages ----------------------------------------------------------------------------

async function viewStatusPages(ctx) {
  const box = h("div");
  const [monitors] = await Promise.all([get("/api/v1/monitors?limit=500")]);
  async function load() {
    const found = await get("/api/v1/status-pages");
    if (!ctx.alive) return;
    replace(
      box,
      found.items.length
        ? h(
            "table",
            { class: "list status-pages" },
            h("thead", {}, h("tr", {}, ["Title", "Public page", "Monitors", "Visibility", "Actions"].map((c) => h("th", { scope: "col" }, c)))),
            h(
              "tbody",
              {},
              found.items.map((p) =>
                h(
                  "tr",
                  { "data-slug": p.slug },
                  h("td", {}, p.title),
                  h("td", {}, h("a", { href: `/status/${encodeURIComponent(p.slug)}` }, `/status/${p.slug}`)),
                  h("td", { class: "num" }, String(p.monitor_ids.length)),
                  h("td", {}, p.public ? "public" : "signed-in users only"),
                  h(
                    "td",
                    { class: "buttons" },
                    action(
                      "Delete",
                      async () => {
                        if (!window.confirm(`Delete the status page “${p.title}”?`)) return;
                        await del(`/api/v1/status-pages/${encodeURIComponent(p.slug)}`);
                        flash(`Status page “${p.title}” deleted.`);
                        await load();
                      },
                      { class: "danger" },
                    ),
                  ),
                ),
              ),
            ),
          )
        : h("p", { class: "muted" }, "No status pages yet."),
    );
  }
  const F = "page";
  const form = formShell(
    "status-page-form",
    async (f) => {
      const r = reader(f);
      const body = {
        slug: r.text("slug"),
        title: r.text("title"),
        public: r.checked("public"),
        monitor_ids: [...f.querySelectorAll("input[name=monitor_ids]:checked")].map((c) => c.value),
      };
      const created = await post("/api/v1/status-pages", body);
      flash(`Status page “${created.title}” created.`);
      f.reset();
      clearErrors(f);
      await load();
    },
    h(
      "div",
      { class: "grid" },
      field(F, { name: "title", label: "Title", required: true }),
      field(F, { name: "slug", label: "Slug", required: true, hint: "Lower-case letters, digits and dashes: the page is /status/<slug>" }),
    ),
    h(
      "fieldset",
      { class: "field", "data-field": "monitor_ids" },
      h("legend", {}, "Monitors shown"),
      monitors.items.length
        ? monitors.items.map((m) =>
            h("div", { class: "check" }, h("input", { type: "checkbox", id: `pm-${m.id}`, name: "monitor_ids", value: m.id }), h("label", { for: `pm-${m.id}` }, m.name)),
          )
        : h("p", { class: "muted" }, "No monitors yet."),
      h("p", { class: "field-error", id: "page-monitor_ids-error" }),
    ),
    field(F, { name: "public", label: "Public: anyone with the link can read it", type: "checkbox", value: true }),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, "Create status page")),
  );
  replace(
    view,
    title("Status pages"),
    box,
    h("section", { class: "card", "aria-labelledby": "new-page-h" }, h("h2", { id: "new-page-h" }, "Create a status page"), form),
  );
  await load();
}

// -- routing ---------------------------------------------------------------------------------

// What the views in other modules (ops.js, monitor_form.js) build with.
const ui = { view, title, flash, action, every, field, formShell, reader, showErrors, clearErrors, go };

const ROUTES = [
  [/^\/login$/, (ctx, p) => viewLogin(ctx, p), { public: true }],
  [/^\/ops$/, (ctx) => viewOperations(ctx, ui)],
  [/^\/dead-letters$/, (ctx) => viewDeadLetters(ctx, ui)],
  [/^\/admin$/, (ctx) => viewAdmin(ctx, ui)],
  [/^\/monitors$/, (ctx, p) => viewMonitors(ctx, p)],
  [/^\/monitors\/new$/, (ctx) => viewMonitorForm(ctx, null, ui)],
  [new RegExp(`^/monitors/${UUID}$`), (ctx, _p, id) => viewMonitor(ctx, id)],
  [new RegExp(`^/monitors/${UUID}/edit$`), (ctx, _p, id) => viewMonitorForm(ctx, id, ui)],
  [/^\/incidents$/, (ctx, p) => viewIncidents(ctx, p)],
  [/^\/channels$/, (ctx) => viewChannels(ctx)],
  [/^\/status-pages$/, (ctx) => viewStatusPages(ctx)],
];

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

async function route() {
  leave();
  if (!carryFlash) replace(flashBox);
  carryFlash = false;
  const raw = location.hash.replace(/^#/, "") || "/monitors";
  const [path, q] = raw.split("?");
  const params = new URLSearchParams(q || "");
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
  const ctx = { alive: true, timers: [] };
  current = ctx;
  replace(view, h("p", { class: "muted" }, "Loading…"));
  try {
    await render(ctx, params, ...path.match(re).slice(1));
    if (ctx.alive) view.querySelector("h1")?.focus({ preventScroll: true });
  } catch (err) {
    if (!ctx.alive) return;
    if (!(err instanceof ApiError)) throw err;
    replace(view, title(err.status === 404 ? "Not found" : "Something went wrong"), problemBox(err), h("p", {}, h("a", { href: "#/monitors" }, "Back to the monitors")));
  }
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

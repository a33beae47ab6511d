// One monitor: its facts, statistics over a chosen window, latency, where the time
// goes, incidents, recent checks and, for a job, its runs.

import { del, get, post, query } from "./api.js";
import { latencyChart, phaseBreakdown } from "./charts.js";
import { badge, fmtMs, fmtPct, fmtTime, h, replace, when } from "./dom.js";
import { incidentTable } from "./incidents.js";
import { monitorKinds } from "./monitor_form.js";
import { REFRESH_MS, action, every, flash, go, table, tile, view } from "./page.js";
import { runsSection } from "./runs.js";
import { byDuration, paramEnum } from "./schema.js";

const STATS = "/api/v1/monitors/{id}/stats";

function facts(pairs) {
  return h(
    "dl",
    { class: "facts" },
    pairs.filter(([, v]) => v !== null && v !== undefined && v !== "").map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
  );
}

function headButtons(p) {
  const { id, monitor } = p;
  const paused = monitor.paused;
  return h(
    "div",
    { class: "buttons" },
    h("a", { href: `#/monitors/${id}/edit`, class: "button" }, "Edit"),
    action(paused ? "Resume" : "Pause", async () => {
      p.monitor = await post(`/api/v1/monitors/${id}/${paused ? "resume" : "pause"}`);
      renderHead(p);
      renderAbout(p);
      flash(`Monitor ${p.monitor.paused ? "paused" : "resumed"}.`);
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
  );
}

function renderHead(p) {
  const m = p.monitor;
  document.title = `${m.name} · upmon`;
  replace(
    p.boxes.head,
    h("div", {}, h("h1", { tabindex: "-1" }, m.name, " ", badge(m.status)), h("p", { class: "muted" }, `${m.kind} · ${m.target || "push"}`)),
    headButtons(p),
  );
}

function badges(id) {
  return h(
    "span",
    {},
    h("a", { href: `/badge/${id}/status.svg` }, "status"),
    " · ",
    h("a", { href: `/badge/${id}/uptime.svg?window=30d` }, "uptime, 30 days"),
    h("span", { class: "muted" }, " (SVG images for READMEs and wikis; anyone with the link can see them)"),
  );
}

function renderAbout(p) {
  const m = p.monitor;
  const slug = m[m.kind]?.slug;
  replace(
    p.boxes.about,
    facts([
      ["Last check", when(m.last_checked_at)],
      ["Checks every", `${m.interval_s} s (timeout ${m.timeout_s} s)`],
      ["Down after", `${m.failure_threshold} failure(s); up again after ${m.success_threshold} success(es)`],
      ["Regions", m.regions.join(", ")],
      ["Tags", m.tags.join(", ")],
      ["Push URL", m.push_url ? h("code", {}, m.push_url) : null],
      ["Ping by slug", slug ? h("code", {}, `${location.origin}/api/v1/push/<ping key>/${slug}`) : null],
      ["Badges", badges(p.id)],
    ]),
  );
}

function windowButtons(p, windows) {
  const group = h("div", { class: "segmented", role: "group", "aria-label": "Statistics window" });
  const choose = async (event, w) => {
    p.windowName = w;
    for (const b of group.children) b.setAttribute("aria-pressed", String(b === event.currentTarget));
    await loadStats(p);
  };
  for (const w of windows) {
    group.append(h("button", { type: "button", "aria-pressed": String(w === p.windowName), onclick: (e) => choose(e, w) }, w));
  }
  return group;
}

async function loadStats(p) {
  const stats = await get(`/api/v1/monitors/${p.id}/stats?window=${p.windowName}`);
  if (!p.ctx.alive) return;
  const lat = stats.latency_ms;
  replace(
    p.boxes.stats,
    tile("Uptime", fmtPct(stats.uptime_pct)),
    tile("Checks", String(stats.checks)),
    tile("Failures", String(stats.failures)),
    tile("Avg latency", fmtMs(lat.avg)),
    tile("p50", fmtMs(lat.p50)),
    tile("p95", fmtMs(lat.p95)),
    tile("p99", fmtMs(lat.p99)),
  );
  replace(p.boxes.phases, phaseBreakdown(stats.phases_ms));
  if (p.isJob) {
    p.runStats = stats.runs ?? null;
    renderRuns(p);
  }
}

function resultRow(r) {
  return h(
    "tr",
    {},
    h("td", {}, h("time", { datetime: r.scheduled_at }, fmtTime(r.scheduled_at))),
    h("td", {}, r.region),
    h("td", {}, badge(r.status)),
    h("td", { class: "num" }, fmtMs(r.latency_ms)),
    h("td", { class: "num" }, r.http_status ?? "–"),
    h("td", { class: "error-text" }, r.error ? `${r.error_kind ? `${r.error_kind}: ` : ""}${r.error}` : ""),
  );
}

async function loadResults(p) {
  const results = await get(`/api/v1/monitors/${p.id}/results?limit=100`);
  if (!p.ctx.alive) return;
  replace(p.boxes.chart, latencyChart(results.items));
  const rows = results.items.slice(0, 20).map(resultRow);
  const heads = ["Scheduled", "Region", "Status", "Latency", "HTTP", "Error"];
  replace(p.boxes.results, rows.length ? table("results", heads, rows, "The 20 most recent checks") : h("p", { class: "muted" }, "No checks yet."));
}

async function loadIncidents(p) {
  const found = await get(`/api/v1/incidents${query({ monitor_id: p.id, limit: 10 })}`);
  if (!p.ctx.alive) return;
  replace(p.boxes.incidents, incidentTable(found.items, { [p.id]: p.monitor.name }, () => loadIncidents(p), false));
  // An open anomaly leaves the status up: the marker says it is degraded all the same.
  const open = found.items.filter((i) => i.kind === "anomaly" && i.status !== "resolved");
  p.boxes.anomaly.hidden = !open.length;
  p.boxes.anomaly.textContent = open.length ? `Degraded: ${open.map((i) => i.cause).join("; ")}` : "";
}

// The runs come from /runs, their counts and durations with the other statistics.
function renderRuns(p) {
  if (p.runItems) replace(p.boxes.runs, runsSection(p.runItems, p.runStats, p.windowName));
}

async function loadRuns(p) {
  if (!p.isJob) return;
  const found = await get(`/api/v1/monitors/${p.id}/runs?limit=100`);
  if (!p.ctx.alive) return;
  p.runItems = found.items;
  renderRuns(p);
}

const loadAll = (p) => Promise.all([loadStats(p), loadResults(p), loadIncidents(p), loadRuns(p)]);

async function refresh(p) {
  const fresh = await get(`/api/v1/monitors/${p.id}`);
  if (!p.ctx.alive) return;
  const changed = fresh.status !== p.monitor.status || fresh.paused !== p.monitor.paused;
  p.monitor = fresh;
  if (changed) renderHead(p);
  renderAbout(p);
  await loadAll(p);
}

const part = (id, heading, ...body) => h("section", { "aria-labelledby": id }, h("h2", { id }, heading), body);

function layout(p, windows) {
  const b = p.boxes;
  const statsHead = h("div", { class: "section-head" }, h("h2", { id: "stats-h" }, "Statistics"), windowButtons(p, windows));
  replace(
    view,
    h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: "#/monitors" }, "Monitors"), " / ", p.monitor.name),
    b.head,
    b.anomaly,
    b.about,
    h("section", { "aria-labelledby": "stats-h" }, statsHead, b.stats),
    p.isJob ? part("runs-h", "Runs", b.runs) : null,
    part("latency-h", "Latency, last 100 checks", b.chart),
    part("phases-h", "Where the time goes", b.phases),
    part("incidents-h", "Incidents", b.incidents),
    part("results-h", "Recent checks", b.results),
  );
}

export async function viewMonitor(ctx, id) {
  const [monitor, kinds, windows] = await Promise.all([get(`/api/v1/monitors/${id}`), monitorKinds(), paramEnum(STATS, "window")]);
  if (!ctx.alive) return;
  const boxes = {
    head: h("div", { class: "page-head" }),
    about: h("div"),
    stats: h("div", { class: "stats", "aria-live": "polite" }),
    chart: h("div", { class: "chart" }),
    phases: h("div"),
    results: h("div"),
    incidents: h("div"),
    runs: h("div"),
    anomaly: h("p", { class: "anomaly-mark", hidden: true, role: "status" }),
  };
  // A kind the executor does not check is a job that reports its runs.
  const isJob = kinds.find((k) => k.kind === monitor.kind)?.probed === false;
  const p = { ctx, id, monitor, boxes, isJob, windowName: "24h", runItems: null, runStats: null };
  renderHead(p);
  renderAbout(p);
  layout(p, byDuration(windows));
  await loadAll(p);
  every(ctx, REFRESH_MS, () => refresh(p));
}

// A job's runs on its monitor page: counts and durations over the window, the
// timeline, the latest runs.

import { fmtRunTime, runTimeline } from "./charts.js";
import { badge, fmtPct, fmtTime, h } from "./dom.js";
import { table, tile } from "./page.js";

const LEGEND = [
  ["success", "success"],
  ["failure", "failure"],
  ["missed", "missed (no run)"],
  ["late", "late (outlined)"],
];

function runTiles(stats, windowName) {
  return h(
    "div",
    { class: "stats run-stats" },
    tile(`Runs (${windowName})`, String(stats.runs)),
    tile("Success rate", fmtPct(stats.success_rate_pct)),
    tile("Missed", String(stats.missed)),
    tile("Duration p50", fmtRunTime(stats.duration_s.p50)),
    tile("p95", fmtRunTime(stats.duration_s.p95)),
    tile("Longest", fmtRunTime(stats.duration_s.max)),
  );
}

function runRow(r) {
  return h(
    "tr",
    {},
    h("td", {}, r.started_at ? h("time", { datetime: r.started_at }, fmtTime(r.started_at)) : h("span", { class: "muted" }, "–")),
    h("td", {}, h("time", { datetime: r.ended_at }, fmtTime(r.ended_at))),
    h("td", { class: "num" }, fmtRunTime(r.duration_s)),
    h("td", {}, badge(r.outcome), r.late ? h("span", { class: "muted" }, " late") : null),
    h("td", { class: "num" }, r.exit_code ?? "–"),
    h("td", {}, r.rid ?? ""),
    h("td", { class: r.outcome === "success" || r.outcome === "log" ? "" : "error-text" }, r.reason ?? ""),
  );
}

export function runsSection(items, stats, windowName) {
  const legend = h(
    "ul",
    { class: "run-legend", "aria-hidden": "true" },
    LEGEND.map(([cls, label]) => h("li", {}, h("span", { class: `swatch r-${cls}` }), label)),
  );
  const rows = items.slice(0, 20).map(runRow);
  const heads = ["Started", "Ended", "Duration", "Outcome", "Exit", "Run id", "Reason"];
  return h(
    "div",
    {},
    stats ? runTiles(stats, windowName) : null,
    h("div", { class: "chart" }, runTimeline(items), legend),
    rows.length ? table("runs", heads, rows, "The 20 most recent runs") : null,
  );
}

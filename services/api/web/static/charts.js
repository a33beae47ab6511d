// Charts drawn as inline SVG: the 24-hour uptime bar, the latency chart and the
// phase breakdown. Colours come from app.css classes; every chart carries a text
// description for screen readers and tooltips (<title>) for the details.

import { fmtDuration, fmtMs, fmtPct, fmtTime, h, s } from "./dom.js";

export function uptimeLevel(pct) {
  if (pct === null || pct === undefined) return "none";
  if (pct >= 99.9) return "full";
  if (pct >= 99) return "minor";
  return pct >= 95 ? "partial" : "major";
}

const hourLabel = (d) => `${String(d.getHours()).padStart(2, "0")}:00`;

/** 24 hourly segments, oldest first, from `since`. */
export function uptimeBar(hourlyPct, hourlyChecks, since, overallPct) {
  const step = 7;
  const start = new Date(since).getTime();
  const bars = hourlyPct.map((pct, i) => {
    const from = new Date(start + i * 3600_000);
    const to = new Date(start + (i + 1) * 3600_000);
    const label =
      `${hourLabel(from)}–${hourLabel(to)}: ` +
      (hourlyChecks[i] ? `${fmtPct(pct)} of ${hourlyChecks[i]} checks` : "no checks");
    return s(
      "rect",
      { x: i * step, y: 0, width: step - 1, height: 18, rx: 1, class: `u-${uptimeLevel(pct)}` },
      s("title", {}, label),
    );
  });
  return s(
    "svg",
    {
      class: "uptime-bar",
      viewBox: `0 0 ${hourlyPct.length * step - 1} 18`,
      width: hourlyPct.length * step - 1,
      height: 18,
      role: "img",
      "aria-label": `uptime over the last 24 hours: ${fmtPct(overallPct)}`,
    },
    bars,
  );
}

function niceCeil(value) {
  if (!(value > 0)) return 1;
  const exp = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * exp >= value) return m * exp;
  return 10 * exp;
}

/**
 * An axis label in ms with as many decimals as the step between grid lines needs, so
 * that sub-millisecond scales read 0, 0.25 ms, 0.5 ms instead of "0 ms, 1 ms, 1 ms".
 */
export function axisMs(value, step) {
  if (value >= 1000) return fmtMs(value);
  let decimals = 0;
  while (decimals < 3 && Math.abs(Number(step.toFixed(decimals)) - step) > 1e-9) decimals += 1;
  return `${Number(value.toFixed(decimals))} ms`;
}

const clock = (t) => fmtTime(new Date(t).toISOString()).slice(11);

/** Latency of recent results (newest first, as the API lists them), failures marked. */
export function latencyChart(results) {
  const W = 760;
  const H = 220;
  const m = { l: 56, r: 12, t: 12, b: 28 };
  const points = results
    .slice()
    .reverse()
    .map((r) => ({ ...r, t: new Date(r.scheduled_at).getTime() }));
  const answered = points.filter((p) => p.latency_ms !== null && p.latency_ms !== undefined);
  if (points.length < 2) {
    return h("p", { class: "muted chart-empty" }, "Not enough checks yet to draw a chart.");
  }
  const t0 = points[0].t;
  const t1 = points[points.length - 1].t;
  // Sub-millisecond checks keep their own scale (never below 0.01 ms); with no answer
  // at all (a monitor that is down) the scale is 0-1 ms.
  const highest = answered.length ? Math.max(...answered.map((p) => p.latency_ms)) : 1;
  const yMax = niceCeil(Math.max(0.01, highest));
  const x = (t) => m.l + ((t - t0) / Math.max(1, t1 - t0)) * (W - m.l - m.r);
  const y = (v) => H - m.b - (v / yMax) * (H - m.t - m.b);

  const grid = [0, yMax / 2, yMax].map((v) => [
    s("line", { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v), class: "grid" }),
    s("text", { x: m.l - 6, y: y(v) + 4, class: "axis", "text-anchor": "end" }, axisMs(v, yMax / 2)),
  ]);
  const line = answered.map((p, i) => `${i ? "L" : "M"}${x(p.t).toFixed(1)},${y(p.latency_ms).toFixed(1)}`);
  const marks = points
    .filter((p) => p.status !== "up")
    .map((p) => {
      const failed = p.latency_ms === null || p.latency_ms === undefined;
      const cy = failed ? H - m.b : y(p.latency_ms);
      const what = `${clock(p.t)} ${p.status}${p.error ? `: ${p.error}` : ""}`;
      return s("circle", { cx: x(p.t), cy, r: 4, class: `mark m-${p.status}` }, s("title", {}, what));
    });
  const avg = answered.reduce((sum, p) => sum + p.latency_ms, 0) / Math.max(1, answered.length);
  const failures = points.length - answered.length;
  return s(
    "svg",
    {
      class: "latency-chart",
      viewBox: `0 0 ${W} ${H}`,
      role: "img",
      "aria-label":
        `Latency of the last ${points.length} checks: average ${fmtMs(avg)},` +
        ` ${failures} without an answer`,
    },
    grid,
    s("path", { d: line.join(" "), class: "latency-line" }),
    marks,
    s("text", { x: m.l, y: H - 8, class: "axis" }, clock(t0)),
    s("text", { x: W - m.r, y: H - 8, class: "axis", "text-anchor": "end" }, clock(t1)),
  );
}

export const PHASES = [
  ["dns_ms", "DNS"],
  ["connect_ms", "Connect"],
  ["tls_ms", "TLS"],
  ["ttfb_ms", "Time to first byte"],
  ["transfer_ms", "Transfer"],
];

/** Average time spent in each phase, as one stacked bar and a legend with the values. */
export function phaseBreakdown(phases) {
  const known = PHASES.filter(([key]) => phases && phases[key] !== null && phases[key] !== undefined);
  if (!known.length) return h("p", { class: "muted" }, "No phase timings in this window.");
  const total = known.reduce((sum, [key]) => sum + phases[key], 0) || 1;
  let offset = 0;
  const W = 760;
  const segments = known.map(([key, label]) => {
    const width = (phases[key] / total) * W;
    const rect = s(
      "rect",
      { x: offset, y: 0, width: Math.max(0, width), height: 22, class: `ph-${key}` },
      s("title", {}, `${label}: ${fmtMs(phases[key])}`),
    );
    offset += width;
    return rect;
  });
  return h(
    "div",
    { class: "phases" },
    s(
      "svg",
      { class: "phase-bar", viewBox: `0 0 ${W} 22`, preserveAspectRatio: "none", "aria-hidden": "true" },
      segments,
    ),
    h(
      "ul",
      { class: "legend", "aria-label": "average time per phase" },
      known.map(([key, label]) =>
        h("li", {}, h("span", { class: `swatch ph-${key}`, "aria-hidden": "true" }), `${label}: `, h("strong", {}, fmtMs(phases[key]))),
      ),
    ),
  );
}

/**
 * A small line of [unix seconds, value] points across a fixed time span ending now,
 * for tables: gaps in sampling stay gaps. `label` describes it for screen readers.
 */
export function sparkline(points, spanS, label) {
  const W = 120;
  const H = 24;
  if (!points?.length) return h("span", { class: "muted spark-empty" }, "–");
  const end = Date.now() / 1000;
  const start = end - spanS;
  const top = Math.max(...points.map(([, v]) => v)) || 1;
  const x = (t) => ((t - start) / spanS) * W;
  const y = (v) => H - 2 - (v / top) * (H - 4);
  const d = points.map(([t, v], i) => `${i ? "L" : "M"}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const last = points[points.length - 1][1];
  return s(
    "svg",
    { class: "sparkline", viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img", "aria-label": `${label}: now ${last}, peak ${top}` },
    s("title", {}, `${label}: now ${last}, peak ${top}`),
    s("path", { d, class: "spark-line" }),
    // The newest sample as a dot: a single sample is visible too.
    s("circle", { cx: x(points[points.length - 1][0]).toFixed(1), cy: y(last).toFixed(1), r: 2, class: "spark-dot" }),
  );
}

/** A run's duration: tenths of a second for short runs, seconds up to two minutes. */
export function fmtRunTime(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  return seconds < 120 ? `${Math.round(seconds)} s` : fmtDuration(seconds);
}

/** A short label for the duration axis, in the unit its scale suits. */
function axisRunTime(seconds, top) {
  const [unit, size] = top >= 7200 ? ["h", 3600] : top >= 120 ? ["min", 60] : ["s", 1];
  return `${Number((seconds / size).toFixed(top / size < 10 ? 1 : 0))} ${unit}`;
}

const RUN_OUTCOMES = ["success", "failure", "missed"];

function runLabel(r) {
  const took = r.outcome === "missed" ? "never ran" : `took ${fmtRunTime(r.duration_s)}`;
  const code = r.exit_code !== null && r.exit_code !== undefined ? `, exit ${r.exit_code}` : "";
  const why = r.reason ? `: ${r.reason}` : "";
  return `${fmtTime(r.started_at || r.ended_at)} ${r.outcome}, ${took}${code}${r.late ? ", late" : ""}${why}`;
}

/**
 * Runs of a job (newest first, as the API lists them) on a time axis: each run a bar
 * at the time it ended, as tall as it took, coloured by outcome; a missed run is a
 * marker on the axis. Log lines are not runs and are left out.
 */
export function runTimeline(items) {
  const W = 760;
  const H = 180;
  const m = { l: 56, r: 12, t: 12, b: 28 };
  const runs = items
    .filter((r) => RUN_OUTCOMES.includes(r.outcome))
    .reverse()
    .map((r) => ({ ...r, t: new Date(r.ended_at).getTime() }));
  if (!runs.length) return h("p", { class: "muted chart-empty" }, "No runs yet.");
  const t0 = runs[0].t;
  const t1 = Math.max(runs[runs.length - 1].t, t0 + 1000);
  const timed = runs.filter((r) => r.duration_s !== null && r.duration_s !== undefined);
  const longest = timed.length ? Math.max(...timed.map((r) => r.duration_s)) : 1;
  const yMax = niceCeil(Math.max(0.1, longest));
  const inner = W - m.l - m.r;
  const x = (t) => m.l + ((t - t0) / (t1 - t0)) * inner;
  const y = (v) => H - m.b - (v / yMax) * (H - m.t - m.b);
  const barW = Math.max(3, Math.min(24, inner / runs.length - 2));
  const grid = [0, yMax / 2, yMax].map((v) => [
    s("line", { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v), class: "grid" }),
    s("text", { x: m.l - 6, y: y(v) + 4, class: "axis", "text-anchor": "end" }, axisRunTime(v, yMax)),
  ]);
  const marks = runs.map((r) => {
    const cx = Math.min(W - m.r - barW / 2, Math.max(m.l + barW / 2, x(r.t)));
    const attrs = { class: `run r-${r.outcome}${r.late ? " r-late" : ""}`, "data-outcome": r.outcome };
    if (r.outcome === "missed" || r.duration_s === null || r.duration_s === undefined) {
      // No duration to show (missed, or an end without a start): a mark on the axis.
      return s("circle", { ...attrs, cx, cy: H - m.b, r: 4 }, s("title", {}, runLabel(r)));
    }
    const top = Math.min(y(r.duration_s), H - m.b - 2);
    return s(
      "rect",
      { ...attrs, x: cx - barW / 2, y: top, width: barW, height: H - m.b - top, rx: 1 },
      s("title", {}, runLabel(r)),
    );
  });
  const failed = runs.filter((r) => r.outcome !== "success").length;
  const p50 = timed.length ? timed.map((r) => r.duration_s).sort((a, b) => a - b)[Math.floor((timed.length - 1) / 2)] : null;
  return s(
    "svg",
    {
      class: "run-timeline",
      viewBox: `0 0 ${W} ${H}`,
      role: "img",
      "aria-label":
        `The last ${runs.length} runs: ${failed} failed or missed,` +
        ` median duration ${fmtRunTime(p50)}, longest ${fmtRunTime(timed.length ? longest : null)}`,
    },
    grid,
    marks,
    s("text", { x: m.l, y: H - 8, class: "axis" }, fmtTime(new Date(t0).toISOString())),
    s("text", { x: W - m.r, y: H - 8, class: "axis", "text-anchor": "end" }, fmtTime(new Date(t1).toISOString())),
  );
}

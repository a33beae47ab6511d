// Operations: queue health, throughput, streams and consumers, live replicas and the
// scheduler's partitions.

import { ApiError, get, post, query } from "./api.js";
import { sparkline } from "./charts.js";
import { fmtDuration, fmtMs, h, replace, when } from "./dom.js";
import { action, every, flash, section, table, title, view } from "./page.js";

const num = (v, digits = 1) => (v === null || v === undefined ? "–" : `${Number(v.toFixed(digits))}`);

async function history(metric, window) {
  const found = await get(`/api/v1/ops/history${query({ metric, window })}`);
  const by = {};
  for (const s of found.series) by[`${s.stream}/${s.consumer}`] = s.points;
  return by;
}

function opsTile(label, value, hint) {
  return h("div", { class: "tile" }, h("span", { class: "tile-label" }, label), h("strong", { class: "tile-value" }, value), hint ? h("span", { class: "muted" }, hint) : null);
}

function healthBox(health) {
  const ok = health.status === "ok";
  return h(
    "div",
    { class: `health health-${ok ? "ok" : "bad"}`, "data-verdict": health.status },
    h("strong", {}, ok ? "Queues healthy" : "Queues unhealthy"),
    h("span", { class: "muted" }, ` pending ${health.pending ?? "–"}, ack pending ${health.ack_pending ?? "–"}, redelivered ${health.redelivered ?? "–"}, dead letters ${health.dead_letters ?? "–"}, scheduler beat ${fmtDuration(health.scheduler_heartbeat_age_s)} ago`),
    health.failing.length
      ? h("ul", { class: "failing" }, health.failing.map((f) => h("li", {}, h("code", {}, f.check), `: ${f.message}`, f.limit !== null ? ` (limit ${f.limit})` : "")))
      : null,
  );
}

async function healthNow() {
  // 503 is a verdict, not a failure: its body is the same report.
  try {
    return await get("/health/queue");
  } catch (err) {
    if (err instanceof ApiError && err.status === 503 && err.problem?.status) return err.problem;
    throw err;
  }
}

function queueRows(queues, h1, h24, rateIn, rateIn24, rateOut) {
  const rows = [];
  for (const st of queues.streams) {
    if (st.name.startsWith("KV_")) continue;
    const inNow = rateIn[`${st.name}/`]?.at(-1)?.[1];
    rows.push(
      h(
        "tr",
        { class: "stream-row", "data-stream": st.name },
        h("th", { scope: "row" }, st.name),
        h("td", { class: "muted" }, `${st.messages} messages`),
        h("td"),
        h("td"),
        h("td"),
        h("td", {}, inNow === undefined ? "–" : `${num(inNow)}/s`),
        h("td"),
        h("td", {}, sparkline(rateIn[`${st.name}/`], 3600, `${st.name} messages in per second, 1 h`)),
        h("td", {}, sparkline(rateIn24[`${st.name}/`], 86400, `${st.name} messages in per second, 24 h`)),
        placementCell(st.placement),
      ),
    );
    for (const c of st.consumers) {
      const key = `${st.name}/${c.name}`;
      const outNow = rateOut[key]?.at(-1)?.[1];
      rows.push(
        h(
          "tr",
          { "data-consumer": c.name },
          h("td"),
          h("td", {}, consumerName(c)),
          h("td", { class: "n" }, String(c.pending)),
          h("td", { class: "n" }, String(c.ack_pending)),
          h("td", { class: "n" }, String(c.redelivered)),
          h("td"),
          h("td", {}, outNow === undefined ? "–" : `${num(outNow)}/s`),
          h("td", {}, sparkline(h1[key], 3600, `${c.name} pending, 1 h`)),
          h("td", {}, sparkline(h24[key], 86400, `${c.name} pending, 24 h`)),
          placementCell(c.placement),
        ),
      );
    }
  }
  return rows;
}

// On a cluster: the leader, and each other copy with what is wrong with it, if anything.
// The api judges each copy (its `state`); this only words the verdict.
const lost = (r) => r.state === "offline" || r.state === "unreachable";
const copyWords = {
  caught_up: () => "",
  unreachable: (r) => `unreachable ${Math.round(r.last_seen_s)}s`,
  behind: (r) => `behind ${r.lag}`,
};

function placementCell(p) {
  if (!p) return h("td", { class: "muted" }, "–");
  const state = (r) => (copyWords[r.state] ?? ((c) => c.state.replace("_", " ")))(r);
  const copies = p.replicas.map((r) => h("span", { class: state(r) ? "copy lagging" : "copy" }, state(r) ? `${r.name} ${state(r)}` : r.name));
  return h("td", { class: "placement" }, h("strong", {}, p.leader || "no leader"), copies.length ? " · " : "", ...copies.flatMap((c, i) => (i ? [", ", c] : [c])));
}

// On a cluster: what each node leads, and the traffic through it. A leader does more of
// its group's work than the other copies, though every node holds a copy of each.
function nodeRows(queues, rateIn, rateOut, move) {
  const nodes = new Map();
  const node = (name) => nodes.get(name) ?? nodes.set(name, { leads: 0, rate: 0, behind: 0, offline: false }).get(name);
  const count = (p, rate) => {
    if (!p) return;
    if (p.leader) {
      node(p.leader).leads += 1;
      node(p.leader).rate += rate ?? 0;
    }
    for (const r of p.replicas) {
      const n = node(r.name);
      if (lost(r)) n.offline = true;
      else if (r.state !== "caught_up") n.behind += 1;
    }
  };
  for (const st of queues.streams) {
    count(st.placement, rateIn[`${st.name}/`]?.at(-1)?.[1]);
    for (const c of st.consumers) count(c.placement, rateOut[`${st.name}/${c.name}`]?.at(-1)?.[1]);
  }
  const state = (n) => (n.offline ? "offline or unreachable" : n.behind ? `${n.behind} copies not caught up` : "caught up");
  return [...nodes.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => {
      const drain = action("Drain", () => move({ action: "drain", nodes: [name] }, `Hand every leader on ${name} to the other nodes?`), { class: "drain", disabled: n.leads === 0 });
      return h("tr", { "data-node": name }, h("td", { class: "mono" }, name), h("td", { class: "n" }, String(n.leads)), h("td", {}, `${num(n.rate)}/s`), h("td", { class: n.offline || n.behind ? "lagging" : "" }, state(n)), h("td", {}, drain));
    });
}

// What a balance or drain did, in one line: the moves made, and any it could not make.
function movedLine(report) {
  const made = report.moves.length - report.failed.length;
  const parts = [made ? `Moved ${made} leader${made === 1 ? "" : "s"}.` : "No leader needed to move."];
  if (report.stuck.length) parts.push(`Cannot move ${report.stuck.join(", ")}: no other copy is online and caught up.`);
  if (report.failed.length) parts.push(`Did not move ${report.failed.join("; ")}.`);
  return parts.join(" ");
}

// A watcher's or replay's own consumer has a server-made name: say what it reads.
function consumerName(c) {
  if (c.durable) return c.name;
  const reads = c.filter_subjects?.length ? c.filter_subjects.join(", ") : "every subject";
  return h("span", { title: c.name }, "ephemeral ", h("span", { class: "mono muted" }, reads));
}

function replicaRows(replicas) {
  return replicas.map((r) =>
    h(
      "tr",
      { "data-replica": r.id },
      h("td", {}, r.service),
      h("td", { class: "mono" }, r.id),
      h("td", {}, r.host),
      h("td", {}, r.info?.region || "–"),
      h("td", {}, fmtDuration((Date.now() - new Date(r.started_at).getTime()) / 1000)),
      h("td", {}, r.info?.version || "–"),
      h("td", {}, when(r.last_seen)),
      h("td", { class: "mono" }, r.nats_server || "–"),
    ),
  );
}

export async function viewOperations(ctx) {
  const boxes = { health: h("div"), tiles: h("div", { class: "tiles" }), kinds: h("div"), nodes: h("div"), queues: h("div"), replicas: h("div"), partitions: h("div") };
  // Admin only (the API says so otherwise): one step-down at a time, so it takes seconds.
  async function move(order, question) {
    if (question && !window.confirm(question)) return;
    const report = await post("/api/v1/ops/leaders", order);
    flash(movedLine(report), report.failed.length || report.stuck.length ? "error" : "ok");
    await load();
  }
  async function load() {
    const [health, queues, services, thr, h1, h24, rateIn, rateIn24, rateOut] = await Promise.all([
      healthNow(),
      get("/api/v1/ops/queues"),
      get("/api/v1/ops/services"),
      get("/api/v1/ops/throughput?window=1h"),
      history("pending", "1h"),
      history("pending", "24h"),
      history("rate_in", "1h"),
      history("rate_in", "24h"),
      history("rate_out", "1h"),
    ]);
    if (!ctx.alive) return;
    replace(boxes.health, healthBox(health));
    const rate = (v) => (v === null || v === undefined ? "–" : `${num(v)}/s`);
    replace(
      boxes.tiles,
      opsTile("Checks", rate(thr.checks_per_s), "due per second"),
      opsTile("Results", rate(thr.results_per_s), "per second"),
      opsTile("Deliveries", rate(thr.deliveries_per_s), "notifications per second"),
      opsTile("Schedule lag p99", fmtMs(thr.schedule_lag_p99_ms), `${thr.checks} checks, last hour`),
      opsTile("Check → row p99", fmtMs(thr.check_to_row_p99_ms), "result to ClickHouse"),
    );
    replace(
      boxes.kinds,
      thr.error_kinds.length
        ? table("error-kinds", ["Error kind", "Failed checks, last hour", "Over time"], thr.error_kinds.map((k) =>
            h("tr", {}, h("td", {}, k.error_kind), h("td", { class: "n" }, String(k.points.reduce((a, [, n]) => a + n, 0))), h("td", {}, sparkline(k.points, 3600, `${k.error_kind} per minute`))),
          ))
        : h("p", { class: "muted" }, "No failed checks in the last hour."),
    );
    const nodes = nodeRows(queues, rateIn, rateOut, move);
    replace(
      boxes.nodes,
      ...(nodes.length
        ? [
            table("nats-nodes", ["NATS node", "Leads", "Messages through them", "Its copies", "Maintenance"], nodes),
            h(
              "p",
              { class: "muted" },
              "Each stream and consumer is led by one node, which does more of its work than the other copies. ",
              action("Balance leaders", () => move({ action: "balance" }, null), { class: "balance" }),
              " hands leaders over until each node leads a fair share of the traffic (as ",
              h("code", {}, "upmon leaders --balance"),
              " does); Drain empties a node before its maintenance.",
            ),
          ]
        : []),
    );
    replace(boxes.queues, table("queues", ["Stream", "Consumer", "Pending", "Ack pending", "Redelivered", "Rate in", "Rate out", "1 h (in/s, pending)", "24 h", "Leader · copies"], queueRows(queues, h1, h24, rateIn, rateIn24, rateOut)));
    replace(
      boxes.replicas,
      services.items.length
        ? table("replicas", ["Service", "Replica", "Host", "Region", "Uptime", "Version", "Last heartbeat", "NATS server"], replicaRows(services.items))
        : h("p", { class: "muted" }, "No live replicas."),
    );
    const schedulers = services.items.filter((r) => r.service === "scheduler");
    replace(
      boxes.partitions,
      schedulers.length
        ? table("partitions", ["Scheduler", "Partitions held"], schedulers.map((r) => h("tr", {}, h("td", { class: "mono" }, r.id), h("td", { class: "n" }, r.info?.partitions ?? "–"))))
        : h("p", { class: "muted" }, "No scheduler is running: nothing is being scheduled."),
    );
  }
  replace(
    view,
    title("Operations"),
    boxes.health,
    section("thr-h", "Throughput and health", boxes.tiles, h("h3", {}, "Error kinds"), boxes.kinds),
    section("queues-h", "Streams and consumers", boxes.nodes, boxes.queues),
    section("replicas-h", "Live replicas", boxes.replicas),
    section("partitions-h", "Scheduler partitions and lease owners", boxes.partitions),
  );
  await load();
  every(ctx, 5000, load);
}


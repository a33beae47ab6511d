// Operator pages: Operations (queues, replicas, throughput, queue health), Dead letters
// and Admin (users, API keys, maintenance windows, settings). Each view gets the
// page helpers of app.js as `ui`, so the two modules share one way of doing things.

import { ApiError, del, get, patch, post, query } from "./api.js";
import { sparkline } from "./charts.js";
import { fmtDuration, fmtMs, fmtTime, h, replace, when } from "./dom.js";

const table = (cls, head, rows) =>
  h("table", { class: `list ${cls}` }, h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, c)))), h("tbody", {}, rows));

const section = (id, heading, ...body) =>
  h("section", { class: "card", "aria-labelledby": id }, h("h2", { id }, heading), body);

const num = (v, digits = 1) => (v === null || v === undefined ? "–" : `${Number(v.toFixed(digits))}`);

// -- operations ------------------------------------------------------------------------------

async function history(metric, window) {
  const found = await get(`/api/v1/ops/history${query({ metric, window })}`);
  const by = {};
  for (const s of found.series) by[`${s.stream}/${s.consumer}`] = s.points;
  return by;
}

function tile(label, value, hint) {
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
          h("td", {}, c.name),
          h("td", { class: "n" }, String(c.pending)),
          h("td", { class: "n" }, String(c.ack_pending)),
          h("td", { class: "n" }, String(c.redelivered)),
          h("td"),
          h("td", {}, outNow === undefined ? "–" : `${num(outNow)}/s`),
          h("td", {}, sparkline(h1[key], 3600, `${c.name} pending, 1 h`)),
          h("td", {}, sparkline(h24[key], 86400, `${c.name} pending, 24 h`)),
        ),
      );
    }
  }
  return rows;
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

export async function viewOperations(ctx, ui) {
  const boxes = { health: h("div"), tiles: h("div", { class: "tiles" }), kinds: h("div"), queues: h("div"), replicas: h("div"), partitions: h("div") };
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
      tile("Checks", rate(thr.checks_per_s), "due per second"),
      tile("Results", rate(thr.results_per_s), "per second"),
      tile("Deliveries", rate(thr.deliveries_per_s), "notifications per second"),
      tile("Schedule lag p99", fmtMs(thr.schedule_lag_p99_ms), `${thr.checks} checks, last hour`),
      tile("Check → row p99", fmtMs(thr.check_to_row_p99_ms), "result to ClickHouse"),
    );
    replace(
      boxes.kinds,
      thr.error_kinds.length
        ? table("error-kinds", ["Error kind", "Failed checks, last hour", "Over time"], thr.error_kinds.map((k) =>
            h("tr", {}, h("td", {}, k.error_kind), h("td", { class: "n" }, String(k.points.reduce((a, [, n]) => a + n, 0))), h("td", {}, sparkline(k.points, 3600, `${k.error_kind} per minute`))),
          ))
        : h("p", { class: "muted" }, "No failed checks in the last hour."),
    );
    replace(boxes.queues, table("queues", ["Stream", "Consumer", "Pending", "Ack pending", "Redelivered", "Rate in", "Rate out", "1 h (in/s, pending)", "24 h"], queueRows(queues, h1, h24, rateIn, rateIn24, rateOut)));
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
    ui.view,
    ui.title("Operations"),
    boxes.health,
    section("thr-h", "Throughput and health", boxes.tiles, h("h3", {}, "Error kinds"), boxes.kinds),
    section("queues-h", "Streams and consumers", boxes.queues),
    section("replicas-h", "Live replicas", boxes.replicas),
    section("partitions-h", "Scheduler partitions and lease owners", boxes.partitions),
  );
  await load();
  ui.every(ctx, 5000, load);
}

// -- dead letters ----------------------------------------------------------------------------

const SINCE = [["", "Any time"], ["1", "Last hour"], ["24", "Last 24 hours"], ["168", "Last 7 days"]];

function dlqFilter(form) {
  const el = (n) => form.elements.namedItem(n).value.trim();
  const f = {};
  for (const n of ["subject", "consumer", "error"]) if (el(n)) f[n] = el(n);
  if (el("since")) f.since = new Date(Date.now() - Number(el("since")) * 3600_000).toISOString();
  return f;
}

function reasonTable(w) {
  return h(
    "div",
    { class: "report-window" },
    h("h3", {}, `Last ${w.window}: ${w.total} dead letter(s)`),
    w.reasons.length
      ? table(`reasons reasons-${w.window}`, ["Count", "Consumer", "Error class", "Last"], w.reasons.map((r) =>
          h("tr", {}, h("td", { class: "n" }, String(r.count)), h("td", {}, r.consumer), h("td", { title: r.example }, r.error_class), h("td", {}, when(r.last_at))),
        ))
      : h("p", { class: "muted" }, "None."),
  );
}

export async function viewDeadLetters(ctx, ui) {
  const listBox = h("div");
  const reportBox = h("div", { class: "report" });
  const F = "dlq";
  const form = ui.formShell(
    "dlq-filter",
    async () => load(),
    h(
      "div",
      { class: "grid" },
      ui.field(F, { name: "subject", label: "Subject", hint: "wildcards * and > work" }),
      ui.field(F, { name: "consumer", label: "Consumer" }),
      ui.field(F, { name: "error", label: "Error contains" }),
      ui.field(F, { name: "since", label: "Failed", type: "select", value: "", options: SINCE }),
    ),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, "Filter")),
  );

  async function bulk(verb, body) {
    const dry = await post(`/api/v1/ops/dlq:${verb}`, { ...body, dry_run: true });
    if (!dry.matched) {
      ui.flash("No dead letter matches.", "error");
      return;
    }
    if (!window.confirm(`${verb === "retry" ? "Retry" : "Discard"} ${dry.matched} dead letter(s)?`)) return;
    const done = await post(`/api/v1/ops/dlq:${verb}`, body);
    const failed = Object.keys(done.failed).length;
    ui.flash(`${verb === "retry" ? "Retried" : "Discarded"} ${done.affected} of ${done.matched} dead letter(s)${failed ? `; ${failed} could not be republished` : ""}.`, failed ? "error" : "ok");
    await load();
  }

  const selected = () => [...listBox.querySelectorAll("input[name=pick]:checked")].map((c) => Number(c.value));

  async function load() {
    const f = dlqFilter(form);
    const [found, report] = await Promise.all([get(`/api/v1/ops/dlq${query({ ...f, limit: 100 })}`), get("/api/v1/ops/dlq/report")]);
    if (!ctx.alive) return;
    replace(reportBox, report.windows.map(reasonTable));
    if (!found.items.length) {
      replace(listBox, h("p", { class: "muted" }, "No dead letters match."));
      return;
    }
    const rows = found.items.map((d) =>
      h(
        "tr",
        { "data-dlq-id": d.id },
        h("td", {}, h("input", { type: "checkbox", name: "pick", value: d.id, "aria-label": `select dead letter ${d.id}` })),
        h("td", { class: "n" }, d.id),
        h("td", {}, fmtTime(d.failed_at)),
        h("td", {}, d.consumer || "–"),
        h("td", { class: "n" }, String(d.attempts ?? "–")),
        h("td", { class: "mono" }, d.subject),
        h(
          "td",
          { class: "dlq-error" },
          d.error || "–",
          h("details", {}, h("summary", {}, "Event"), h("pre", { class: "event" }, JSON.stringify(d.event ?? d.text ?? d.payload_b64, null, 2))),
        ),
        h(
          "td",
          { class: "buttons" },
          ui.action("Retry", async () => {
            const r = await post(`/api/v1/ops/dlq/${d.id}/retry`);
            ui.flash(`Dead letter ${d.id} republished to ${r.subject}.`);
            await load();
          }),
          ui.action("Discard", async () => {
            await del(`/api/v1/ops/dlq/${d.id}`);
            ui.flash(`Dead letter ${d.id} discarded.`);
            await load();
          }, { class: "danger" }),
        ),
      ),
    );
    replace(
      listBox,
      h(
        "div",
        { class: "buttons bulk" },
        ui.action("Retry selected", async () => (selected().length ? bulk("retry", { ids: selected() }) : ui.flash("Select dead letters first.", "error"))),
        ui.action("Discard selected", async () => (selected().length ? bulk("discard", { ids: selected() }) : ui.flash("Select dead letters first.", "error")), { class: "danger" }),
        ui.action("Retry all matching", async () => bulk("retry", Object.keys(f).length ? f : { all: true })),
        ui.action("Discard all matching", async () => bulk("discard", Object.keys(f).length ? f : { all: true }), { class: "danger" }),
      ),
      table("dead-letters", ["", "Id", "Failed at", "Consumer", "Attempts", "Subject", "Error", "Actions"], rows),
      found.next_cursor ? h("p", { class: "muted" }, "Showing the oldest 100; narrow the filter or act on all matching.") : null,
    );
  }
  replace(ui.view, ui.title("Dead letters"), section("dlq-filter-h", "Filter", form), listBox, section("report-h", "Top failure reasons", reportBox));
  await load();
}

// -- admin -----------------------------------------------------------------------------------

async function usersSection(ctx, ui) {
  const box = h("div");
  const F = "user";
  let missing = false;
  async function load() {
    let found;
    try {
      found = await get("/api/v1/users");
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 405)) {
        missing = true;
        replace(box, h("p", { class: "muted" }, "This api has no user administration routes yet; create users with `upmon user create-admin`."));
        return;
      }
      throw err;
    }
    if (!ctx.alive) return;
    replace(
      box,
      table("users", ["Email", "Name", "Role", "Status", "Actions"], found.items.map((u) => {
        const role = h("select", { "aria-label": `role of ${u.email}` }, ["read", "write", "admin"].map((r) => h("option", { value: r, selected: u.role === r }, r)));
        return h(
          "tr",
          { "data-user": u.email },
          h("td", {}, u.email),
          h("td", {}, u.name || "–"),
          h("td", {}, role),
          h("td", {}, u.disabled ? "disabled" : "active"),
          h(
            "td",
            { class: "buttons" },
            ui.action("Save role", async () => {
              await patch(`/api/v1/users/${u.id}`, { role: role.value });
              ui.flash(`${u.email} is now ${role.value}.`);
              await load();
            }),
            ui.action(u.disabled ? "Enable" : "Disable", async () => {
              await patch(`/api/v1/users/${u.id}`, { disabled: !u.disabled });
              await load();
            }),
            ui.action("Delete", async () => {
              if (!window.confirm(`Delete the user ${u.email}?`)) return;
              await del(`/api/v1/users/${u.id}`);
              ui.flash(`User ${u.email} deleted.`);
              await load();
            }, { class: "danger" }),
          ),
        );
      })),
    );
  }
  const form = ui.formShell(
    "user-form",
    async (f) => {
      const r = ui.reader(f);
      const body = { email: r.text("email"), name: r.text("name"), password: f.elements.password.value, role: f.elements.role.value };
      const made = await post("/api/v1/users", body);
      ui.flash(`User ${made.email} created.`);
      f.reset();
      await load();
    },
    h(
      "div",
      { class: "grid" },
      ui.field(F, { name: "email", label: "Email", type: "email", required: true }),
      ui.field(F, { name: "name", label: "Name" }),
      ui.field(F, { name: "password", label: "Password", type: "password", required: true, hint: "at least 8 characters", attrs: { autocomplete: "new-password" } }),
      ui.field(F, { name: "role", label: "Role", type: "select", value: "read", options: [["read", "read"], ["write", "write"], ["admin", "admin"]] }),
    ),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, "Add user")),
  );
  await load();
  return section("users-h", "Users and roles", box, missing ? null : form);
}

async function keysSection(ctx, ui) {
  const box = h("div");
  const shown = h("div", { class: "key-once", "aria-live": "polite" });
  async function load() {
    const found = await get("/api/v1/api-keys");
    if (!ctx.alive) return;
    const live = found.items.filter((k) => !k.revoked_at);
    replace(
      box,
      live.length
        ? table("api-keys", ["Name", "Scope", "Prefix", "Created", "Last used", "Actions"], live.map((k) =>
            h(
              "tr",
              { "data-key": k.name },
              h("td", {}, k.name),
              h("td", {}, k.scope),
              h("td", { class: "mono" }, k.prefix),
              h("td", {}, when(k.created_at)),
              h("td", {}, when(k.last_used_at)),
              h("td", { class: "buttons" }, ui.action("Revoke", async () => {
                if (!window.confirm(`Revoke the key “${k.name}”? Anything using it stops working.`)) return;
                await del(`/api/v1/api-keys/${k.id}`);
                ui.flash(`Key “${k.name}” revoked.`);
                await load();
              }, { class: "danger" })),
            ),
          ))
        : h("p", { class: "muted" }, "No API keys."),
    );
  }
  const form = ui.formShell(
    "key-form",
    async (f) => {
      const made = await post("/api/v1/api-keys", { name: ui.reader(f).text("name"), scope: f.elements.scope.value });
      replace(shown, h("p", {}, `Key “${made.name}” (${made.scope}), shown this once: `), h("code", { class: "secret-key" }, made.key));
      f.reset();
      await load();
    },
    h(
      "div",
      { class: "grid" },
      ui.field("key", { name: "name", label: "Key name", required: true }),
      ui.field("key", { name: "scope", label: "Scope", type: "select", value: "read", options: [["read", "read"], ["write", "write"], ["admin", "admin"]] }),
    ),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, "Create key")),
  );
  await load();
  return section("keys-h", "API keys", box, form, shown);
}

function isoFromLocal(value) {
  return value ? new Date(value).toISOString() : null;
}

async function maintenanceSection(ctx, ui) {
  const box = h("div");
  const previewBox = h("div", { class: "preview", "aria-live": "polite" });
  const F = "mw";
  async function load() {
    const found = await get("/api/v1/maintenance");
    if (!ctx.alive) return;
    replace(
      box,
      found.items.length
        ? table("maintenance", ["Name", "Covers", "When", "Active now", "Actions"], found.items.map((w) =>
            h(
              "tr",
              { "data-window": w.name },
              h("td", {}, w.name),
              h("td", {}, [...w.monitor_ids.map((m) => m.slice(0, 8)), ...w.tags.map((t) => `#${t}`)].join(", ")),
              h("td", {}, w.cron ? `${w.cron} (${w.timezone}) for ${fmtDuration(w.duration_s)}` : `${fmtTime(w.starts_at)} – ${fmtTime(w.ends_at)}`),
              h("td", {}, w.active_now ? "yes" : "no"),
              h("td", { class: "buttons" }, ui.action("Delete", async () => {
                await del(`/api/v1/maintenance/${w.id}`);
                ui.flash(`Window “${w.name}” deleted.`);
                await load();
              }, { class: "danger" })),
            ),
          ))
        : h("p", { class: "muted" }, "No maintenance windows."),
    );
  }
  const recurring = () => form.elements.kind.value === "cron";
  function body(f) {
    const r = ui.reader(f);
    const out = { name: r.text("name"), tags: r.list("tags"), monitor_ids: r.list("monitor_ids") };
    if (recurring()) Object.assign(out, { cron: r.text("cron"), duration_s: r.num("duration_s"), timezone: r.text("timezone") || "UTC" });
    else Object.assign(out, { starts_at: isoFromLocal(f.elements.starts_at.value), ends_at: isoFromLocal(f.elements.ends_at.value) });
    r.done();
    return out;
  }
  const oneOff = h("div", { class: "grid" }, ui.field(F, { name: "starts_at", label: "Starts", type: "datetime-local" }), ui.field(F, { name: "ends_at", label: "Ends", type: "datetime-local" }));
  const cron = h(
    "div",
    { class: "grid", hidden: true },
    ui.field(F, { name: "cron", label: "Cron", hint: "minute hour day month weekday, e.g. 0 2 * * 0" }),
    ui.field(F, { name: "duration_s", label: "Duration (s)", type: "number" }),
    ui.field(F, { name: "timezone", label: "Time zone", value: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC" }),
  );
  const form = ui.formShell(
    "mw-form",
    async (f) => {
      const made = await post("/api/v1/maintenance", body(f));
      ui.flash(`Window “${made.name}” created.`);
      f.reset();
      showKind();
      replace(previewBox);
      await load();
    },
    h(
      "div",
      { class: "grid" },
      ui.field(F, { name: "name", label: "Window name", required: true }),
      ui.field(F, { name: "tags", label: "Tags", hint: "comma-separated; monitors with any of them" }),
      ui.field(F, { name: "monitor_ids", label: "Monitor ids", hint: "comma-separated" }),
      ui.field(F, { name: "kind", label: "Repeats", type: "select", value: "once", options: [["once", "One-off"], ["cron", "Recurring (cron)"]] }),
    ),
    oneOff,
    cron,
    h(
      "div",
      { class: "buttons" },
      h("button", { type: "submit", class: "primary" }, "Create window"),
      ui.action("Preview next occurrences", async () => {
        const b = body(form);
        try {
          const p = await post("/api/v1/maintenance:preview", { cron: b.cron, duration_s: b.duration_s, timezone: b.timezone, count: 5 });
          ui.clearErrors(form);
          replace(previewBox, h("h3", {}, `Next occurrences (${p.timezone})`), h("ol", { class: "occurrences" }, p.occurrences.map((o) => h("li", {}, `${fmtTime(o.starts_at)} – ${fmtTime(o.ends_at)}`))));
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          ui.showErrors(form, err);
        }
      }, { class: "preview-button", hidden: true }),
    ),
  );
  function showKind() {
    oneOff.hidden = recurring();
    cron.hidden = !recurring();
    form.querySelector(".preview-button").hidden = !recurring();
  }
  form.elements.kind.addEventListener("change", showKind);
  await load();
  return section("mw-h", "Maintenance windows", box, form, previewBox);
}

async function settingsSection() {
  const found = await get("/api/v1/ops/settings");
  return section(
    "settings-h",
    "Settings",
    h("p", { class: "muted" }, "The api's configuration; secrets show only whether they are set."),
    table("settings", ["Variable", "Value"], found.items.map((x) => h("tr", {}, h("td", { class: "mono" }, x.name), h("td", { class: "mono" }, x.secret ? (x.value ? "set" : "not set") : x.value)))),
  );
}

export async function viewAdmin(ctx, ui) {
  const parts = [await usersSection(ctx, ui), await keysSection(ctx, ui), await maintenanceSection(ctx, ui), await settingsSection()];
  if (!ctx.alive) return;
  replace(ui.view, ui.title("Admin"), parts);
}

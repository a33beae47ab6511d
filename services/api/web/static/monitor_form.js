// The monitor form. Kinds, their targets and their options come from the kind registry
// (GET /api/v1/monitor-kinds), so a kind added on the server gets its form here unchanged.

import { get, patch, post } from "./api.js";
import { h, replace } from "./dom.js";

const F = "monitor";
let kindsLoaded = null;

/** The registry, fetched once per page load. */
export function monitorKinds() {
  kindsLoaded ??= get("/api/v1/monitor-kinds").then((found) => found.items);
  return kindsLoaded;
}

function targetHint(kind) {
  const { form, example, default_port: port } = kind.target;
  if (form === "url") return `A URL, e.g. ${example}`;
  if (form === "host_port") return `${port ? "host or host:port" : "host:port"}, e.g. ${example}`;
  if (form === "address") return "A host name or an IP address";
  if (form === "name") return `A host name, e.g. ${example}`;
  return "Not used: your job calls the push URL shown after saving";
}

function shown(f, value) {
  const v = value === undefined ? f.default : value;
  if (f.input === "list") return (v || []).join(", ");
  return v;
}

function optionsBlock(ui, kind, spec) {
  const control = (f) =>
    ui.field(F, {
      name: `${kind.kind}.${f.name}`,
      label: f.label,
      type: f.input === "list" ? "text" : f.input,
      value: shown(f, spec[f.name]),
      hint: f.help || null,
      options: f.choices.map((c) => [c, c]),
      attrs: f.placeholder ? { placeholder: f.placeholder } : {},
    });
  const boxes = kind.fields.filter((f) => f.input === "checkbox");
  const others = kind.fields.filter((f) => f.input !== "checkbox");
  return h(
    "fieldset",
    { "data-kind": kind.kind, hidden: !kind.fields.length },
    h("legend", {}, kind.title),
    h("div", { class: "grid" }, others.map(control)),
    boxes.map(control),
  );
}

/** The options block as the API wants it; settings the form does not show are kept. */
function readOptions(r, kind, spec) {
  const read = {
    list: (n) => r.list(n),
    number: (n) => r.num(n),
    checkbox: (n) => r.checked(n),
    select: (n) => r.text(n),
  };
  const out = { ...spec };
  for (const f of kind.fields) out[f.name] = (read[f.input] || ((n) => r.optText(n)))(`${kind.kind}.${f.name}`);
  return out;
}

function channelBox(channels, chosen) {
  return h(
    "fieldset",
    { class: "field", "data-field": "channel_ids" },
    h("legend", {}, "Notify these channels"),
    channels.items.length
      ? channels.items.map((c) =>
          h("div", { class: "check" }, h("input", { type: "checkbox", id: `ch-${c.id}`, name: "channel_ids", value: c.id, checked: chosen.has(c.id) }), h("label", { for: `ch-${c.id}` }, `${c.name} (${c.kind})`)),
        )
      : h("p", { class: "muted" }, "No channels yet. ", h("a", { href: "#/channels" }, "Add one"), " to be notified."),
    h("p", { class: "field-error", id: "monitor-channel_ids-error" }),
  );
}

function commonFields(ui, m) {
  return [
    h(
      "div",
      { class: "grid" },
      ui.field(F, { name: "interval_s", label: "Check every (s)", type: "number", value: m.interval_s ?? 60, attrs: { min: 1 } }),
      ui.field(F, { name: "timeout_s", label: "Timeout (s)", type: "number", value: m.timeout_s, hint: "Less than the interval; empty: the default", attrs: { step: "any", min: 0 } }),
      ui.field(F, { name: "failure_threshold", label: "Failures before down", type: "number", value: m.failure_threshold ?? 3, attrs: { min: 1 } }),
      ui.field(F, { name: "success_threshold", label: "Successes before up", type: "number", value: m.success_threshold ?? 1, attrs: { min: 1 } }),
      ui.field(F, { name: "retry_interval_s", label: "Retry every (s) while failing", type: "number", value: m.retry_interval_s, hint: "Optional" }),
      ui.field(F, { name: "regions", label: "Regions", value: (m.regions || ["default"]).join(", "), hint: "Comma-separated" }),
    ),
    ui.field(F, { name: "tags", label: "Tags", value: (m.tags || []).join(", "), hint: "Comma-separated" }),
  ];
}

function readCommon(r, f) {
  return {
    name: r.text("name"),
    target: r.text("target"),
    interval_s: r.num("interval_s"),
    timeout_s: r.num("timeout_s"),
    retry_interval_s: r.num("retry_interval_s"),
    failure_threshold: r.num("failure_threshold"),
    success_threshold: r.num("success_threshold"),
    regions: r.list("regions"),
    tags: r.list("tags"),
    channel_ids: [...f.querySelectorAll("input[name=channel_ids]:checked")].map((c) => c.value),
  };
}

async function save(id, body, kind, paused) {
  if (id) return patch(`/api/v1/monitors/${id}`, body);
  // Empty optional numbers take the API's defaults.
  for (const key of ["interval_s", "timeout_s", "retry_interval_s", "failure_threshold", "success_threshold"]) {
    if (body[key] === null) delete body[key];
  }
  return post("/api/v1/monitors", { ...body, kind, paused });
}

export async function viewMonitorForm(ctx, id, ui) {
  const editing = Boolean(id);
  const [monitor, channels, kinds] = await Promise.all([editing ? get(`/api/v1/monitors/${id}`) : null, get("/api/v1/channels?limit=500"), monitorKinds()]);
  if (!ctx.alive) return;
  const m = monitor || {};
  const byName = Object.fromEntries(kinds.map((k) => [k.kind, k]));
  const kindField = ui.field(F, {
    name: "kind",
    label: "Kind",
    type: "select",
    value: m.kind || "http",
    options: kinds.map((k) => [k.kind, k.title]),
    hint: editing ? "The kind of a monitor cannot change." : null,
    attrs: { disabled: editing },
  });
  const targetField = ui.field(F, { name: "target", label: "Target", value: m.target, hint: targetHint(byName[m.kind || "http"]) });
  const blocks = Object.fromEntries(kinds.map((k) => [k.kind, optionsBlock(ui, k, m[k.kind] || {})]));

  const form = ui.formShell(
    "monitor-form",
    async (f) => {
      const r = ui.reader(f);
      const kind = f.elements.kind.value;
      const body = readCommon(r, f);
      body[kind] = readOptions(r, byName[kind], m[kind] || {});
      r.done();
      const saved = await save(id, body, kind, editing ? undefined : r.checked("paused"));
      ui.flash(`Monitor “${saved.name}” saved.`, "ok", true);
      ui.go(`#/monitors/${saved.id}`);
    },
    h("div", { class: "grid" }, ui.field(F, { name: "name", label: "Name", value: m.name, required: true }), kindField),
    targetField,
    commonFields(ui, m),
    Object.values(blocks),
    channelBox(channels, new Set(m.channel_ids || [])),
    editing ? null : ui.field(F, { name: "paused", label: "Create paused", type: "checkbox", value: false }),
    h(
      "div",
      { class: "buttons" },
      h("button", { type: "submit", class: "primary" }, editing ? "Save changes" : "Create monitor"),
      h("a", { href: editing ? `#/monitors/${id}` : "#/monitors", class: "button" }, "Cancel"),
    ),
  );

  function showKind() {
    const kind = form.elements.kind.value;
    for (const [k, block] of Object.entries(blocks)) block.hidden = k !== kind || !byName[k].fields.length;
    replace(targetField.querySelector(".hint") || targetField, targetHint(byName[kind]));
  }
  form.elements.kind.addEventListener("change", showKind);
  showKind();

  replace(
    ui.view,
    h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: "#/monitors" }, "Monitors"), editing ? [" / ", h("a", { href: `#/monitors/${id}` }, m.name)] : null),
    ui.title(editing ? `Edit ${m.name}` : "New monitor"),
    form,
  );
  form.elements.name.focus();
}

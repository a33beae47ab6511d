// The monitor form. Kinds, their targets and their options come from the kind registry
// (GET /api/v1/monitor-kinds), so a kind added on the server gets its form here unchanged.

import { get, patch, post } from "./api.js";
import { h, replace } from "./dom.js";
import { checkboxes, field, formShell, reader } from "./forms.js";
import { flash, go, title, view } from "./page.js";

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

function optionsBlock(kind, spec) {
  const control = (f) =>
    field(F, {
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
  return checkboxes(
    F,
    "channel_ids",
    "Notify these channels",
    channels.items.map((c) => [c.id, `${c.name} (${c.kind})`, chosen.has(c.id)]),
    h("p", { class: "muted" }, "No channels yet. ", h("a", { href: "#/channels" }, "Add one"), " to be notified."),
  );
}

function commonFields(m) {
  return [
    h(
      "div",
      { class: "grid" },
      field(F, { name: "interval_s", label: "Check every (s)", type: "number", value: m.interval_s ?? 60, attrs: { min: 1 } }),
      field(F, { name: "timeout_s", label: "Timeout (s)", type: "number", value: m.timeout_s, hint: "Less than the interval; empty: the default", attrs: { step: "any", min: 0 } }),
      field(F, { name: "failure_threshold", label: "Failures before down", type: "number", value: m.failure_threshold ?? 3, attrs: { min: 1 } }),
      field(F, { name: "success_threshold", label: "Successes before up", type: "number", value: m.success_threshold ?? 1, attrs: { min: 1 } }),
      field(F, { name: "retry_interval_s", label: "Retry every (s) while failing", type: "number", value: m.retry_interval_s, hint: "Optional" }),
      field(F, { name: "regions", label: "Regions", value: (m.regions || ["default"]).join(", "), hint: "Comma-separated" }),
    ),
    field(F, { name: "tags", label: "Tags", value: (m.tags || []).join(", "), hint: "Comma-separated" }),
  ];
}

function readCommon(r) {
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
    channel_ids: r.picked("channel_ids"),
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

function kindSelect(kinds, kind, editing) {
  return field(F, {
    name: "kind",
    label: "Kind",
    type: "select",
    value: kind,
    options: kinds.map((k) => [k.kind, k.title]),
    hint: editing ? "The kind of a monitor cannot change." : null,
    attrs: { disabled: editing },
  });
}

function formButtons(id) {
  return h(
    "div",
    { class: "buttons" },
    h("button", { type: "submit", class: "primary" }, id ? "Save changes" : "Create monitor"),
    h("a", { href: id ? `#/monitors/${id}` : "#/monitors", class: "button" }, "Cancel"),
  );
}

/** Show the options of the chosen kind only, and how its target reads. */
function followKind(form, blocks, byName, targetField) {
  const showKind = () => {
    const kind = form.elements.kind.value;
    for (const [k, block] of Object.entries(blocks)) block.hidden = k !== kind || !byName[k].fields.length;
    replace(targetField.querySelector(".hint") || targetField, targetHint(byName[kind]));
  };
  form.elements.kind.addEventListener("change", showKind);
  showKind();
}

function monitorForm(id, m, kinds, channels) {
  const editing = Boolean(id);
  const byName = Object.fromEntries(kinds.map((k) => [k.kind, k]));
  const kind = m.kind || (kinds.find((k) => k.preselected) || kinds[0]).kind;
  const targetField = field(F, { name: "target", label: "Target", value: m.target, hint: targetHint(byName[kind]) });
  const blocks = Object.fromEntries(kinds.map((k) => [k.kind, optionsBlock(k, m[k.kind] || {})]));
  const form = formShell(
    "monitor-form",
    async (f) => {
      const r = reader(f);
      const chosen = f.elements.kind.value;
      const body = readCommon(r);
      body[chosen] = readOptions(r, byName[chosen], m[chosen] || {});
      r.done();
      const saved = await save(id, body, chosen, editing ? undefined : r.checked("paused"));
      flash(`Monitor “${saved.name}” saved.`, "ok", true);
      go(`#/monitors/${saved.id}`);
    },
    h("div", { class: "grid" }, field(F, { name: "name", label: "Name", value: m.name, required: true }), kindSelect(kinds, kind, editing)),
    targetField,
    commonFields(m),
    Object.values(blocks),
    channelBox(channels, new Set(m.channel_ids || [])),
    editing ? null : field(F, { name: "paused", label: "Create paused", type: "checkbox", value: false }),
    formButtons(id),
  );
  followKind(form, blocks, byName, targetField);
  return form;
}

export async function viewMonitorForm(ctx, id) {
  const editing = Boolean(id);
  const [monitor, channels, kinds] = await Promise.all([editing ? get(`/api/v1/monitors/${id}`) : null, get("/api/v1/channels?limit=500"), monitorKinds()]);
  if (!ctx.alive) return;
  const m = monitor || {};
  const form = monitorForm(id, m, kinds, channels);
  replace(
    view,
    h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: "#/monitors" }, "Monitors"), editing ? [" / ", h("a", { href: `#/monitors/${id}` }, m.name)] : null),
    title(editing ? `Edit ${m.name}` : "New monitor"),
    form,
  );
  form.elements.name.focus();
}

// Notification channels: the list, a test send, and the form, drawn from the channel
// kind registry (GET /api/v1/channel-kinds), so a new kind needs nothing here.

import { del, get, post } from "./api.js";
import { h, replace, when } from "./dom.js";
import { clearErrors, field, formShell, reader, submitButton } from "./forms.js";
import { action, deleteAction, flash, table, title, view } from "./page.js";

const F = "channel";
let kindsLoaded = null;

/** The registry, fetched once per page load. */
function channelKinds() {
  kindsLoaded ??= get("/api/v1/channel-kinds").then((found) => found.items);
  return kindsLoaded;
}

/** Where a channel sends: the first of its kind's settings that is set, secrets last. */
function channelTarget(c, kind) {
  const cfg = c.config || {};
  const secret = new Set(kind?.secrets || []);
  const names = (kind?.fields || []).map((f) => f.name).sort((a, b) => secret.has(a) - secret.has(b));
  const value = names.map((n) => cfg[n]).find((v) => v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && !v.length));
  return Array.isArray(value) ? value.join(", ") : String(value ?? "");
}

function testAction(c) {
  return action("Send test", async () => {
    const r = await post(`/api/v1/channels/${c.id}/test`);
    const code = r.status_code ? ` (HTTP ${r.status_code})` : "";
    if (r.ok) flash(`Test sent to “${c.name}”${code}.`);
    else flash(`Test to “${c.name}” failed: ${r.error || `HTTP ${r.status_code}`}`, "error");
  });
}

function channelRow(c, kind, reload) {
  return h(
    "tr",
    { "data-channel-id": c.id },
    h("td", {}, c.name),
    h("td", {}, c.kind),
    h("td", { class: "target" }, channelTarget(c, kind)),
    h("td", {}, when(c.created_at)),
    h(
      "td",
      { class: "buttons" },
      testAction(c),
      deleteAction(`Delete the channel “${c.name}”?`, () => del(`/api/v1/channels/${c.id}`), `Channel “${c.name}” deleted.`, reload),
    ),
  );
}

/** The settings of one kind, as its `config` names them. */
function configFields(kind) {
  return kind.fields.map((f) => field(F, { name: `config.${f.name}`, label: f.label, type: f.input === "list" ? "text" : f.input, required: f.required }));
}

/** `config` as the API wants it: empty optional settings left out. */
function readConfig(f, r, kind) {
  const config = {};
  for (const { name: key, input } of kind.fields) {
    const name = `config.${key}`;
    if (input === "list") config[key] = r.list(name);
    else if (input === "number") config[key] = r.num(name);
    else config[key] = r.optText(name);
    const emptyList = Array.isArray(config[key]) && !config[key].length && !f.elements.namedItem(name).required;
    if (config[key] === null || emptyList) delete config[key];
  }
  return config;
}

function channelForm(kinds, reload) {
  const byName = Object.fromEntries(kinds.map((k) => [k.kind, k]));
  const first = (kinds.find((k) => k.preselected) || kinds[0]).kind;
  const configBox = h("div", { class: "grid" });
  const showKind = (kind) => replace(configBox, configFields(byName[kind]));
  const kindField = field(F, { name: "kind", label: "Kind", type: "select", value: first, options: kinds.map((k) => [k.kind, k.kind]) });
  const form = formShell(
    "channel-form",
    async (f) => {
      const r = reader(f);
      const kind = f.elements.kind.value;
      const config = readConfig(f, r, byName[kind]);
      r.done();
      const created = await post("/api/v1/channels", { name: r.text("name"), kind, config });
      flash(`Channel “${created.name}” created.`);
      f.reset();
      showKind(f.elements.kind.value);
      clearErrors(f);
      await reload();
    },
    h("div", { class: "grid" }, field(F, { name: "name", label: "Name", required: true }), kindField),
    configBox,
    submitButton("Add channel"),
  );
  form.elements.kind.addEventListener("change", () => showKind(form.elements.kind.value));
  showKind(first);
  return form;
}

export async function viewChannels(ctx) {
  const kinds = await channelKinds();
  if (!ctx.alive) return;
  const byName = Object.fromEntries(kinds.map((k) => [k.kind, k]));
  const box = h("div");
  async function load() {
    const found = await get("/api/v1/channels?limit=500");
    if (!ctx.alive) return;
    const heads = ["Name", "Kind", "Sends to", "Created", "Actions"];
    const rows = found.items.map((c) => channelRow(c, byName[c.kind], load));
    replace(box, rows.length ? table("channels", heads, rows) : h("p", { class: "muted" }, "No channels yet."));
  }
  replace(
    view,
    title("Channels"),
    box,
    h("section", { class: "card", "aria-labelledby": "new-channel-h" }, h("h2", { id: "new-channel-h" }, "Add a channel"), channelForm(kinds, load)),
  );
  await load();
}

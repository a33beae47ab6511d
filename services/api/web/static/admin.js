// Admin: users and roles, API keys, maintenance windows, and the api's settings.

import { ApiError, del, get, patch, post } from "./api.js";
import { fmtDuration, fmtTime, h, replace, when } from "./dom.js";
import { clearErrors, field, formShell, reader, showErrors } from "./forms.js";
import { action, flash, section, table, title, view } from "./page.js";
import { defaultOf, enumOf } from "./schema.js";

function userRow(u, roles, reload) {
  const role = h("select", { "aria-label": `role of ${u.email}` }, roles.map((r) => h("option", { value: r, selected: u.role === r }, r)));
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
      action("Save role", async () => {
        await patch(`/api/v1/users/${u.id}`, { role: role.value });
        flash(`${u.email} is now ${role.value}.`);
        await reload();
      }),
      action(u.disabled ? "Enable" : "Disable", async () => {
        await patch(`/api/v1/users/${u.id}`, { disabled: !u.disabled });
        await reload();
      }),
      action("Delete", async () => {
        if (!window.confirm(`Delete the user ${u.email}?`)) return;
        await del(`/api/v1/users/${u.id}`);
        flash(`User ${u.email} deleted.`);
        await reload();
      }, { class: "danger" }),
    ),
  );
}

function userForm(roles, defaultRole, reload) {
  const F = "user";
  return formShell(
    "user-form",
    async (f) => {
      const r = reader(f);
      const body = { email: r.text("email"), name: r.text("name"), password: f.elements.password.value, role: f.elements.role.value };
      const made = await post("/api/v1/users", body);
      flash(`User ${made.email} created.`);
      f.reset();
      await reload();
    },
    h(
      "div",
      { class: "grid" },
      field(F, { name: "email", label: "Email", type: "email", required: true }),
      field(F, { name: "name", label: "Name" }),
      field(F, { name: "password", label: "Password", type: "password", required: true, hint: "at least 8 characters", attrs: { autocomplete: "new-password" } }),
      field(F, { name: "role", label: "Role", type: "select", value: defaultRole, options: roles.map((r) => [r, r]) }),
    ),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, "Add user")),
  );
}

async function usersSection(ctx) {
  const [roles, defaultRole] = await Promise.all([enumOf("UserCreate", "role"), defaultOf("UserCreate", "role")]);
  const box = h("div");
  async function load() {
    const found = await get("/api/v1/users");
    if (!ctx.alive) return;
    replace(box, table("users", ["Email", "Name", "Role", "Status", "Actions"], found.items.map((u) => userRow(u, roles, load))));
  }
  await load();
  return section("users-h", "Users and roles", box, userForm(roles, defaultRole, load));
}

async function keysSection(ctx) {
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
              h("td", { class: "buttons" }, action("Revoke", async () => {
                if (!window.confirm(`Revoke the key “${k.name}”? Anything using it stops working.`)) return;
                await del(`/api/v1/api-keys/${k.id}`);
                flash(`Key “${k.name}” revoked.`);
                await load();
              }, { class: "danger" })),
            ),
          ))
        : h("p", { class: "muted" }, "No API keys."),
    );
  }
  const form = formShell(
    "key-form",
    async (f) => {
      const made = await post("/api/v1/api-keys", { name: reader(f).text("name"), scope: f.elements.scope.value });
      replace(shown, h("p", {}, `Key “${made.name}” (${made.scope}), shown this once: `), h("code", { class: "secret-key" }, made.key));
      f.reset();
      await load();
    },
    h(
      "div",
      { class: "grid" },
      field("key", { name: "name", label: "Key name", required: true }),
      field("key", { name: "scope", label: "Scope", type: "select", value: await defaultOf("UserCreate", "role"), options: (await enumOf("ApiKeyCreate", "scope")).map((r) => [r, r]) }),
    ),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, "Create key")),
  );
  await load();
  return section("keys-h", "API keys", box, form, shown);
}

function isoFromLocal(value) {
  return value ? new Date(value).toISOString() : null;
}

function windowRow(w, reload) {
  const covers = [...w.monitor_ids.map((m) => m.slice(0, 8)), ...w.tags.map((t) => `#${t}`)].join(", ");
  const span = w.cron ? `${w.cron} (${w.timezone}) for ${fmtDuration(w.duration_s)}` : `${fmtTime(w.starts_at)} – ${fmtTime(w.ends_at)}`;
  return h(
    "tr",
    { "data-window": w.name },
    h("td", {}, w.name),
    h("td", {}, covers),
    h("td", {}, span),
    h("td", {}, w.active_now ? "yes" : "no"),
    h("td", { class: "buttons" }, action("Delete", async () => {
      await del(`/api/v1/maintenance/${w.id}`);
      flash(`Window “${w.name}” deleted.`);
      await reload();
    }, { class: "danger" })),
  );
}

const recurring = (form) => form.elements.kind.value === "cron";

function windowBody(f) {
  const r = reader(f);
  const out = { name: r.text("name"), tags: r.list("tags"), monitor_ids: r.list("monitor_ids") };
  if (recurring(f)) Object.assign(out, { cron: r.text("cron"), duration_s: r.num("duration_s"), timezone: r.text("timezone") || "UTC" });
  else Object.assign(out, { starts_at: isoFromLocal(f.elements.starts_at.value), ends_at: isoFromLocal(f.elements.ends_at.value) });
  r.done();
  return out;
}

// The server expands the cron, so the preview and the scheduler cannot disagree.
async function preview(form, box) {
  const b = windowBody(form);
  try {
    const p = await post("/api/v1/maintenance:preview", { cron: b.cron, duration_s: b.duration_s, timezone: b.timezone, count: 5 });
    clearErrors(form);
    replace(box, h("h3", {}, `Next occurrences (${p.timezone})`), h("ol", { class: "occurrences" }, p.occurrences.map((o) => h("li", {}, `${fmtTime(o.starts_at)} – ${fmtTime(o.ends_at)}`))));
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    showErrors(form, err);
  }
}

function windowForm(previewBox, reload) {
  const F = "mw";
  const oneOff = h("div", { class: "grid" }, field(F, { name: "starts_at", label: "Starts", type: "datetime-local" }), field(F, { name: "ends_at", label: "Ends", type: "datetime-local" }));
  const cron = h(
    "div",
    { class: "grid", hidden: true },
    field(F, { name: "cron", label: "Cron", hint: "minute hour day month weekday, e.g. 0 2 * * 0" }),
    field(F, { name: "duration_s", label: "Duration (s)", type: "number" }),
    field(F, { name: "timezone", label: "Time zone", value: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC" }),
  );
  const previewButton = action("Preview next occurrences", async () => preview(form, previewBox), { class: "preview-button", hidden: true });
  const showKind = () => {
    oneOff.hidden = recurring(form);
    cron.hidden = !recurring(form);
    previewButton.hidden = !recurring(form);
  };
  const form = formShell(
    "mw-form",
    async (f) => {
      const made = await post("/api/v1/maintenance", windowBody(f));
      flash(`Window “${made.name}” created.`);
      f.reset();
      showKind();
      replace(previewBox);
      await reload();
    },
    h(
      "div",
      { class: "grid" },
      field(F, { name: "name", label: "Window name", required: true }),
      field(F, { name: "tags", label: "Tags", hint: "comma-separated; monitors with any of them" }),
      field(F, { name: "monitor_ids", label: "Monitor ids", hint: "comma-separated" }),
      field(F, { name: "kind", label: "Repeats", type: "select", value: "once", options: [["once", "One-off"], ["cron", "Recurring (cron)"]] }),
    ),
    oneOff,
    cron,
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, "Create window"), previewButton),
  );
  form.elements.kind.addEventListener("change", showKind);
  return form;
}

async function maintenanceSection(ctx) {
  const box = h("div");
  const previewBox = h("div", { class: "preview", "aria-live": "polite" });
  async function load() {
    const found = await get("/api/v1/maintenance");
    if (!ctx.alive) return;
    replace(
      box,
      found.items.length
        ? table("maintenance", ["Name", "Covers", "When", "Active now", "Actions"], found.items.map((w) => windowRow(w, load)))
        : h("p", { class: "muted" }, "No maintenance windows."),
    );
  }
  const form = windowForm(previewBox, load);
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

export async function viewAdmin(ctx) {
  const parts = [await usersSection(ctx), await keysSection(ctx), await maintenanceSection(ctx), await settingsSection()];
  if (!ctx.alive) return;
  replace(view, title("Admin"), parts);
}

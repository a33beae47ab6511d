// Incidents: the list with its status tabs, and the table the monitor page shows too.

import { get, post, query } from "./api.js";
import { badge, fmtDuration, h, replace, when } from "./dom.js";
import { PAGE_SIZE, REFRESH_MS, action, every, flash, table, title, view } from "./page.js";
import { capital, paramEnum } from "./schema.js";

function incidentButtons(i, name, reload) {
  const step = (label, verb, done) =>
    action(label, async () => {
      await post(`/api/v1/incidents/${i.id}/${verb}`);
      flash(`Incident on “${name}” ${done}.`);
      await reload();
    });
  return [
    i.status === "open" ? step("Acknowledge", "ack", "acknowledged") : null,
    i.status !== "resolved" ? step("Resolve", "resolve", "resolved") : null,
  ];
}

function incidentRow(i, name, reload, withMonitor) {
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
    h("td", { class: "buttons" }, incidentButtons(i, name, reload)),
  );
}

/** Incidents as a table; `names` maps monitor ids to names. */
export function incidentTable(items, names, reload, withMonitor = true) {
  if (!items.length) return h("p", { class: "muted" }, "No incidents.");
  const rows = items.map((i) => incidentRow(i, names[i.monitor_id] || "(deleted monitor)", reload, withMonitor));
  return table("incidents", ["Status", withMonitor ? "Monitor" : null, "Cause", "Opened", "Duration", "By", "Actions"], rows);
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

async function statusTabs(status) {
  const statuses = await paramEnum("/api/v1/incidents", "status");
  return h(
    "nav",
    { class: "segmented", "aria-label": "Incident status" },
    [["", "All"], ...statuses.map((s) => [s, capital(s)])].map(([value, label]) =>
      h("a", { href: `#/incidents${query({ status: value })}`, class: "button", "aria-current": value === status ? "page" : null }, label),
    ),
  );
}

export async function viewIncidents(ctx, params) {
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

  const tabs = await statusTabs(status);
  if (!ctx.alive) return;
  replace(view, title("Incidents"), tabs, box, more);
  await load();
  every(ctx, REFRESH_MS, load);
}

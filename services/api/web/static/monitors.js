// The monitors list: status, 24 hours of uptime and latency, filtered and paged.

import { get, query } from "./api.js";
import { uptimeBar } from "./charts.js";
import { badge, fmtMs, fmtPct, fmtTime, h, replace, when } from "./dom.js";
import { field } from "./forms.js";
import { PAGE_SIZE, REFRESH_MS, every, go, table, title, view } from "./page.js";
import { paramEnum } from "./schema.js";

const SUMMARY = "/api/v1/monitors:summary";

function monitorRow(m, since) {
  return h(
    "tr",
    { "data-monitor-id": m.id },
    h("td", { class: "status" }, badge(m.status)),
    h(
      "td",
      {},
      h("a", { href: `#/monitors/${m.id}`, class: "name" }, m.name),
      m.tags.length ? h("div", { class: "tags" }, m.tags.map((t) => h("span", { class: "tag" }, t))) : null,
    ),
    h("td", {}, m.kind),
    h("td", { class: "target" }, m.target || h("span", { class: "muted" }, "–")),
    h("td", { class: "last-check" }, when(m.last_checked_at)),
    h(
      "td",
      { class: "uptime" },
      uptimeBar(m.hourly_uptime_pct, m.hourly_checks, since, m.uptime_pct),
      h("span", { class: "pct" }, fmtPct(m.uptime_pct)),
    ),
    h("td", { class: "num" }, fmtMs(m.latency_avg_ms)),
  );
}

function emptyRow(filtered) {
  return h(
    "tr",
    {},
    h(
      "td",
      { colspan: 7, class: "empty" },
      filtered ? "No monitor matches." : "No monitors yet. ",
      filtered ? null : h("a", { href: "#/monitors/new" }, "Create the first one."),
    ),
  );
}

async function filterForm(status, tag) {
  const statuses = await paramEnum(SUMMARY, "status");
  const filters = h(
    "form",
    { class: "filters", role: "search" },
    field("filter", { name: "status", label: "Status", type: "select", value: status, options: [["", "any"], ...statuses.map((x) => [x, x])] }),
    field("filter", { name: "tag", label: "Tag", value: tag }),
    h("button", { type: "submit" }, "Filter"),
  );
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    go(`#/monitors${query({ status: filters.elements.status.value, tag: filters.elements.tag.value.trim() })}`);
  });
  return filters;
}

/** Pages through the summary: `cursors` holds the cursor of each page visited, to go back. */
function pager(ctx, status, tag, body) {
  const cursors = [null];
  const info = h("p", { class: "muted", "aria-live": "polite" });
  const prev = h("button", { type: "button" }, "Previous page");
  const next = h("button", { type: "button" }, "Next page");
  let nextCursor = null;
  async function load() {
    const page = await get(`${SUMMARY}${query({ limit: PAGE_SIZE, cursor: cursors.at(-1), status, tag })}`);
    if (!ctx.alive) return;
    nextCursor = page.next_cursor;
    replace(body, page.items.map((m) => monitorRow(m, page.since)));
    if (!page.items.length) body.append(emptyRow(Boolean(status || tag)));
    prev.disabled = cursors.length === 1;
    next.disabled = !nextCursor;
    const n = page.items.length;
    replace(info, `Page ${cursors.length}: ${n} monitor${n === 1 ? "" : "s"}. Updated ${fmtTime(new Date().toISOString()).slice(11)}.`);
  }
  prev.addEventListener("click", () => {
    cursors.pop();
    load();
  });
  next.addEventListener("click", () => {
    cursors.push(nextCursor);
    load();
  });
  return { load, box: h("div", { class: "pager" }, prev, next, info) };
}

export async function viewMonitors(ctx, params) {
  const status = params.get("status") || "";
  const tag = params.get("tag") || "";
  const body = h("tbody");
  const pages = pager(ctx, status, tag, body);
  const heads = ["Status", "Name", "Kind", "Target", "Last check", "Uptime, 24 h", "Avg latency"];
  const list = table("monitors", heads, [], "Monitors with their status and last 24 hours of uptime");
  list.querySelector("tbody").replaceWith(body);
  const filters = await filterForm(status, tag);
  if (!ctx.alive) return;
  replace(
    view,
    h("div", { class: "page-head" }, title("Monitors"), h("a", { href: "#/monitors/new", class: "button primary" }, "New monitor")),
    filters,
    list,
    pages.box,
  );
  await pages.load();
  every(ctx, REFRESH_MS, pages.load);
}

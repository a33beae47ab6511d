// Dead letters: filter, inspect, retry or discard, one by one or all that match, and
// the top failure reasons.

import { del, get, post, query } from "./api.js";
import { fmtTime, h, replace, when } from "./dom.js";
import { field, formShell } from "./forms.js";
import { action, flash, section, table, title, view } from "./page.js";

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

function filterForm(load) {
  const F = "dlq";
  return formShell(
    "dlq-filter",
    async () => load(),
    h(
      "div",
      { class: "grid" },
      field(F, { name: "subject", label: "Subject", hint: "wildcards * and > work" }),
      field(F, { name: "consumer", label: "Consumer" }),
      field(F, { name: "error", label: "Error contains" }),
      field(F, { name: "since", label: "Failed", type: "select", value: "", options: SINCE }),
    ),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, "Filter")),
  );
}

// A dry run first, so the operator confirms how many it will touch.
async function bulk(verb, body, reload) {
  const dry = await post(`/api/v1/ops/dlq:${verb}`, { ...body, dry_run: true });
  if (!dry.matched) {
    flash("No dead letter matches.", "error");
    return;
  }
  if (!window.confirm(`${verb === "retry" ? "Retry" : "Discard"} ${dry.matched} dead letter(s)?`)) return;
  const done = await post(`/api/v1/ops/dlq:${verb}`, body);
  const failed = Object.keys(done.failed).length;
  flash(`${verb === "retry" ? "Retried" : "Discarded"} ${done.affected} of ${done.matched} dead letter(s)${failed ? `; ${failed} could not be republished` : ""}.`, failed ? "error" : "ok");
  await reload();
}

function dlqRow(d, reload) {
  const event = JSON.stringify(d.event ?? d.text ?? d.payload_b64, null, 2);
  return h(
    "tr",
    { "data-dlq-id": d.id },
    h("td", {}, h("input", { type: "checkbox", name: "pick", value: d.id, "aria-label": `select dead letter ${d.id}` })),
    h("td", { class: "n" }, d.id),
    h("td", {}, fmtTime(d.failed_at)),
    h("td", {}, d.consumer || "–"),
    h("td", { class: "n" }, String(d.attempts ?? "–")),
    h("td", { class: "mono" }, d.subject),
    h("td", { class: "dlq-error" }, d.error || "–", h("details", {}, h("summary", {}, "Event"), h("pre", { class: "event" }, event))),
    h(
      "td",
      { class: "buttons" },
      action("Retry", async () => {
        const r = await post(`/api/v1/ops/dlq/${d.id}/retry`);
        flash(`Dead letter ${d.id} republished to ${r.subject}.`);
        await reload();
      }),
      action("Discard", async () => {
        await del(`/api/v1/ops/dlq/${d.id}`);
        flash(`Dead letter ${d.id} discarded.`);
        await reload();
      }, { class: "danger" }),
    ),
  );
}

// The selected rows, or every dead letter the filter matches (all of them unfiltered).
function bulkButtons(listBox, filter, reload) {
  const selected = () => [...listBox.querySelectorAll("input[name=pick]:checked")].map((c) => Number(c.value));
  const picked = (verb) => async () => (selected().length ? bulk(verb, { ids: selected() }, reload) : flash("Select dead letters first.", "error"));
  const matching = Object.keys(filter).length ? filter : { all: true };
  return h(
    "div",
    { class: "buttons bulk" },
    action("Retry selected", picked("retry")),
    action("Discard selected", picked("discard"), { class: "danger" }),
    action("Retry all matching", async () => bulk("retry", matching, reload)),
    action("Discard all matching", async () => bulk("discard", matching, reload), { class: "danger" }),
  );
}

export async function viewDeadLetters(ctx) {
  const listBox = h("div");
  const reportBox = h("div", { class: "report" });
  const form = filterForm(() => load());

  async function load() {
    const f = dlqFilter(form);
    const [found, report] = await Promise.all([get(`/api/v1/ops/dlq${query({ ...f, limit: 100 })}`), get("/api/v1/ops/dlq/report")]);
    if (!ctx.alive) return;
    replace(reportBox, report.windows.map(reasonTable));
    if (!found.items.length) {
      replace(listBox, h("p", { class: "muted" }, "No dead letters match."));
      return;
    }
    replace(
      listBox,
      bulkButtons(listBox, f, load),
      table("dead-letters", ["", "Id", "Failed at", "Consumer", "Attempts", "Subject", "Error", "Actions"], found.items.map((d) => dlqRow(d, load))),
      found.next_cursor ? h("p", { class: "muted" }, "Showing the oldest 100; narrow the filter or act on all matching.") : null,
    );
  }
  replace(view, title("Dead letters"), section("dlq-filter-h", "Filter", form), listBox, section("report-h", "Top failure reasons", reportBox));
  await load();
}

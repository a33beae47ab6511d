// Status pages: the list, and a form that picks the monitors a page shows.

import { del, get, post } from "./api.js";
import { h, replace } from "./dom.js";
import { checkboxes, clearErrors, field, formShell, reader, submitButton } from "./forms.js";
import { deleteAction, flash, table, title, view } from "./page.js";

const F = "page";

function pageRow(p, reload) {
  const slug = encodeURIComponent(p.slug);
  return h(
    "tr",
    { "data-slug": p.slug },
    h("td", {}, p.title),
    h("td", {}, h("a", { href: `/status/${slug}` }, `/status/${p.slug}`)),
    h("td", { class: "num" }, String(p.monitor_ids.length)),
    h("td", {}, p.public ? "public" : "signed-in users only"),
    h(
      "td",
      { class: "buttons" },
      deleteAction(`Delete the status page “${p.title}”?`, () => del(`/api/v1/status-pages/${slug}`), `Status page “${p.title}” deleted.`, reload),
    ),
  );
}

function pageForm(monitors, reload) {
  return formShell(
    "status-page-form",
    async (f) => {
      const r = reader(f);
      const body = { slug: r.text("slug"), title: r.text("title"), public: r.checked("public"), monitor_ids: r.picked("monitor_ids") };
      const created = await post("/api/v1/status-pages", body);
      flash(`Status page “${created.title}” created.`);
      f.reset();
      clearErrors(f);
      await reload();
    },
    h(
      "div",
      { class: "grid" },
      field(F, { name: "title", label: "Title", required: true }),
      field(F, { name: "slug", label: "Slug", required: true, hint: "Lower-case letters, digits and dashes: the page is /status/<slug>" }),
    ),
    checkboxes(
      F,
      "monitor_ids",
      "Monitors shown",
      monitors.map((m) => [m.id, m.name, false]),
      h("p", { class: "muted" }, "No monitors yet."),
    ),
    field(F, { name: "public", label: "Public: anyone with the link can read it", type: "checkbox", value: true }),
    submitButton("Create status page"),
  );
}

export async function viewStatusPages(ctx) {
  const box = h("div");
  const monitors = await get("/api/v1/monitors?limit=500");
  if (!ctx.alive) return;
  async function load() {
    const found = await get("/api/v1/status-pages");
    if (!ctx.alive) return;
    const rows = found.items.map((p) => pageRow(p, load));
    const heads = ["Title", "Public page", "Monitors", "Visibility", "Actions"];
    replace(box, rows.length ? table("status-pages", heads, rows) : h("p", { class: "muted" }, "No status pages yet."));
  }
  replace(
    view,
    title("Status pages"),
    box,
    h("section", { class: "card", "aria-labelledby": "new-page-h" }, h("h2", { id: "new-page-h" }, "Create a status page"), pageForm(monitors.items, load)),
  );
  await load();
}

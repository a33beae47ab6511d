// The form builder every form uses: labelled controls named by the API's field paths,
// the API's 422 errors shown next to their fields, and values read as the API wants them.

import { ApiError } from "./api.js";
import { h, replace } from "./dom.js";
import { problemBox } from "./page.js";

function control(type, common, value, options) {
  if (type === "select") {
    return h(
      "select",
      common,
      options.map(([v, text]) => h("option", { value: v, selected: String(value) === String(v) }, text)),
    );
  }
  if (type === "textarea") return h("textarea", { ...common, rows: 4 }, value ?? "");
  if (type === "checkbox") return h("input", { ...common, type, checked: Boolean(value) });
  return h("input", { ...common, type, value: value ?? "" });
}

/**
 * One labelled control. `name` is the API's field path (e.g. "http.method"): a 422
 * error about that field, or about something inside it, is shown under the control.
 */
export function field(form, spec) {
  const { name, label, type = "text", value, hint, required, options, attrs = {} } = spec;
  const id = `${form}-${name.replace(/[^a-zA-Z0-9]+/g, "-")}`;
  const common = { id, name, "aria-describedby": `${id}-error${hint ? ` ${id}-hint` : ""}`, ...attrs };
  if (type !== "select" && type !== "textarea" && type !== "checkbox") common.required = Boolean(required);
  const input = control(type, common, value, options);
  const labelEl = h("label", { for: id }, label);
  const parts = type === "checkbox" ? [h("div", { class: "check" }, input, labelEl)] : [labelEl, input];
  return h(
    "div",
    { class: "field", "data-field": name },
    parts,
    hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null,
    h("p", { class: "field-error", id: `${id}-error` }),
  );
}

/** A group of checkboxes for a list field; `items` are [value, label, checked]. */
export function checkboxes(form, name, legend, items, empty) {
  return h(
    "fieldset",
    { class: "field", "data-field": name },
    h("legend", {}, legend),
    items.length
      ? items.map(([value, label, checked], n) =>
          h(
            "div",
            { class: "check" },
            h("input", { type: "checkbox", id: `${form}-${name}-${n}`, name, value, checked: Boolean(checked) }),
            h("label", { for: `${form}-${name}-${n}` }, label),
          ),
        )
      : empty,
    h("p", { class: "field-error", id: `${form}-${name}-error` }),
  );
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll(".field.invalid")) el.classList.remove("invalid");
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const el of form.querySelectorAll(".field-error")) replace(el);
  replace(form.querySelector(".form-error"));
}

/** The field that shows errors about `path`: the control itself or the nearest parent. */
export function fieldFor(form, path) {
  let name = path.replace(/\[\d+\]/g, "");
  for (;;) {
    const found = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (found && !found.closest("[hidden]")) return found;
    const cut = name.lastIndexOf(".");
    if (cut < 0) return null;
    name = name.slice(0, cut);
  }
}

function markField(holder, e) {
  holder.classList.add("invalid");
  const input = holder.querySelector("input, select, textarea");
  input.setAttribute("aria-invalid", "true");
  const inside = e.field.replace(/\[\d+\]/g, "") === holder.dataset.field ? "" : `${e.field}: `;
  holder.querySelector(".field-error").append(h("span", {}, inside + e.message));
  return input;
}

/** Show an API error on a form: each field message next to its field, the rest on top. */
export function showErrors(form, err) {
  clearErrors(form);
  const loose = [];
  let first = null;
  for (const e of err.errors || []) {
    const holder = fieldFor(form, e.field);
    if (holder) first = first || markField(holder, e);
    else loose.push(e);
  }
  if (loose.length || !err.errors?.length) {
    replace(
      form.querySelector(".form-error"),
      problemBox(err),
      loose.length ? h("ul", {}, loose.map((e) => h("li", {}, `${e.field}: ${e.message}`))) : null,
    );
  }
  (first || form.querySelector(".form-error")).focus?.();
}

/** A form whose submit runs `onSubmit(form)`, showing the API's errors if it fails. */
export function formShell(id, onSubmit, ...children) {
  const form = h("form", { id, novalidate: true, class: "form" }, h("div", { class: "form-error", tabindex: "-1" }), children);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector("[type=submit]");
    submit.disabled = true;
    try {
      await onSubmit(form);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      showErrors(form, err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export const submitButton = (label) => h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, label));

class LocalErrors extends ApiError {
  constructor(errors) {
    super(422, { title: "Validation failed", detail: "check the marked fields", errors });
  }
}

/** Read form values the way the API wants them. */
export function reader(form) {
  const el = (name) => form.elements.namedItem(name);
  const local = [];
  return {
    text: (name) => el(name).value.trim(),
    optText: (name) => el(name).value.trim() || null,
    list: (name) =>
      el(name)
        .value.split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    checked: (name) => el(name).checked,
    picked: (name) => [...form.querySelectorAll(`input[name="${CSS.escape(name)}"]:checked`)].map((c) => c.value),
    num: (name) => {
      const input = el(name);
      if (input.validity.badInput) local.push({ field: name, message: "must be a number" });
      return input.value.trim() === "" ? null : Number(input.value);
    },
    done() {
      if (local.length) throw new LocalErrors(local);
    },
  };
}

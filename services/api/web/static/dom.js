// Building DOM without a framework. Text always goes in as text nodes, never as
// HTML, so names and errors coming from users cannot inject markup.

const SVG_NS = "http://www.w3.org/2000/svg";

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function setAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      el.setAttribute("class", Array.isArray(value) ? value.filter(Boolean).join(" ") : value);
    } else if (key === "value" && "value" in el) {
      el.value = value;
    } else if (key === "checked" || key === "selected" || key === "disabled") {
      el[key] = Boolean(value);
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
}

/** h("a", {href: "#/x"}, "text", child, [more]) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// -- formatting --------------------------------------------------------------------------

const pad = (n) => String(n).padStart(2, "0");

export function fmtTime(iso) {
  if (!iso) return "never";
  const d = new Date(iso);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

export function fmtDuration(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  const sec = Math.max(0, Math.round(seconds));
  if (sec < 60) return `${sec} s`;
  if (sec < 3600) return `${Math.floor(sec / 60)} min ${sec % 60} s`;
  if (sec < 86400) return `${Math.floor(sec / 3600)} h ${Math.floor((sec % 3600) / 60)} min`;
  return `${Math.floor(sec / 86400)} d ${Math.floor((sec % 86400) / 3600)} h`;
}

export function ago(iso) {
  if (!iso) return "never";
  const sec = (Date.now() - new Date(iso).getTime()) / 1000;
  if (sec < 5) return "just now";
  return `${fmtDuration(sec).split(" ").slice(0, 2).join(" ")} ago`;
}

/** A <time> element showing "12 s ago", with the exact time as its tooltip. */
export function when(iso) {
  if (!iso) return h("span", { class: "muted" }, "never");
  return h("time", { datetime: iso, title: fmtTime(iso) }, ago(iso));
}

export function fmtMs(value) {
  if (value === null || value === undefined) return "–";
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

export function fmtPct(value) {
  if (value === null || value === undefined) return "no data";
  return `${value.toFixed(value === 100 ? 0 : 2)}%`;
}

export function badge(status) {
  const known = ["up", "down", "degraded", "pending", "paused", "maintenance", "unknown", "missed",
    "success", "failure", "log",
    "open", "acknowledged", "resolved", "error", "timeout"];
  const cls = known.includes(status) ? status : "unknown";
  return h("span", { class: `badge s-${cls}` }, status);
}

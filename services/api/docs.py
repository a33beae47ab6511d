"""A self-contained HTML reference rendered from the OpenAPI document (no
scripts or assets from elsewhere: it must work on a closed network)."""

from __future__ import annotations

import json
from html import escape
from typing import Any

_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;
text-align:left;vertical-align:top}code{font-size:.9em}.m{font-weight:bold;font-family:monospace}
pre{background:#f6f6f6;overflow:auto;padding:.5rem}
"""


def _ref_name(content: dict[str, Any] | None) -> str:
    for media in (content or {}).values():
        ref = media.get("schema", {}).get("$ref", "")
        if ref:
            name = ref.rsplit("/", 1)[1]
            return f'<a href="#{escape(name)}">{escape(name)}</a>'
    return ""


def _row(path: str, method: str, op: dict[str, Any]) -> str:
    ok = next(v for k, v in op["responses"].items() if k != "default")
    body = _ref_name(op.get("requestBody", {}).get("content"))
    query = ", ".join(p["name"] for p in op["parameters"] if p["in"] == "query")
    return (
        f"<tr><td class=m>{escape(method.upper())}</td><td><code>{escape(path)}</code></td>"
        f"<td>{escape(op['summary'])}</td><td>{escape(op.get('x-required-scope', 'none'))}</td>"
        f"<td>{escape(query)}</td><td>{body}</td><td>{_ref_name(ok.get('content'))}</td></tr>"
    )


def render(spec: dict[str, Any]) -> str:
    rows = "".join(
        _row(path, method, op) for path, ops in spec["paths"].items() for method, op in ops.items()
    )
    schemas = "".join(
        f'<h3 id="{escape(name)}">{escape(name)}</h3><pre>{escape(json.dumps(s, indent=2))}</pre>'
        for name, s in sorted(spec["components"]["schemas"].items())
    )
    title = escape(f"{spec['info']['title']} {spec['info']['version']}")
    return (
        f"<!doctype html><html><head><meta charset=utf-8><title>{title}</title>"
        f"<style>{_STYLE}</style></head><body><h1>{title}</h1>"
        "<p>Send <code>Authorization: Bearer &lt;key&gt;</code> to every route with a scope. "
        'Machine-readable: <a href="/openapi.json">/openapi.json</a>.</p>'
        "<table><tr><th>Method</th><th>Path</th><th>What</th><th>Scope</th><th>Query</th>"
        f"<th>Body</th><th>Returns</th></tr>{rows}</table><h2>Schemas</h2>{schemas}"
        "</body></html>"
    )

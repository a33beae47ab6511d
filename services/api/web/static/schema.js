// The enums the OpenAPI document publishes (statuses, windows, roles...), read from
// /openapi.json once per page load, so the dashboard never keeps its own copy.

import { get } from "./api.js";

let loaded = null;
const doc = () => {
  loaded ??= get("/openapi.json");
  return loaded;
};

function valuesIn(schema) {
  if (!schema) return null;
  if (schema.enum) return schema.enum;
  if (schema.items) return valuesIn(schema.items);
  for (const choice of schema.anyOf || schema.oneOf || []) {
    const found = valuesIn(choice);
    if (found) return found;
  }
  return null;
}

/** The values of a component schema's property, e.g. enumOf("MonitorView", "status"). */
export async function enumOf(schemaName, property) {
  const found = valuesIn((await doc()).components.schemas[schemaName]?.properties?.[property]);
  if (!found) throw new Error(`the API publishes no values for ${schemaName}.${property}`);
  return found;
}

/** The values a query parameter takes, e.g. paramEnum("/api/v1/incidents", "status"). */
export async function paramEnum(path, name) {
  const params = (await doc()).paths[path]?.get?.parameters || [];
  const found = valuesIn(params.find((p) => p.name === name)?.schema);
  if (!found) throw new Error(`the API publishes no values for ${name} of ${path}`);
  return found;
}

/** The default of a component schema's property, if the API declares one. */
export async function defaultOf(schemaName, property) {
  return (await doc()).components.schemas[schemaName]?.properties?.[property]?.default;
}

const UNIT_S = { m: 60, h: 3600, d: 86400, w: 604800 };

/** Window names ("1h", "7d") shortest first. */
export function byDuration(names) {
  const seconds = (w) => Number.parseInt(w, 10) * (UNIT_S[w.slice(-1)] || 1);
  return [...names].sort((a, b) => seconds(a) - seconds(b));
}

/** "acknowledged" -> "Acknowledged" */
export const capital = (word) => word.charAt(0).toUpperCase() + word.slice(1);

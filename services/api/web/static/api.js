// The JSON API, with the login token kept in sessionStorage (gone when the tab closes).

const TOKEN = "upmon.token";
const EXPIRES = "upmon.expires_at";
const EMAIL = "upmon.email";
export const LOGIN = "/api/v1/auth/login";

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.errors = (problem?.errors) || [];
  }
}

export const session = {
  token() {
    const expires = sessionStorage.getItem(EXPIRES);
    if (expires && new Date(expires).getTime() <= Date.now()) this.clear();
    return sessionStorage.getItem(TOKEN);
  },
  email: () => sessionStorage.getItem(EMAIL) || "",
  save(token, expiresAt, email) {
    sessionStorage.setItem(TOKEN, token);
    sessionStorage.setItem(EXPIRES, expiresAt);
    sessionStorage.setItem(EMAIL, email);
  },
  clear() {
    for (const key of [TOKEN, EXPIRES, EMAIL]) sessionStorage.removeItem(key);
  },
};

// Called when a request comes back 401: the token expired or was revoked.
let onUnauthorized = () => {};
export function whenUnauthorized(callback) {
  onUnauthorized = callback;
}

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, { title: "Network error", detail: `cannot reach the API (${err.message})` });
  }
  if (resp.status === 204) return null;
  const text = await resp.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { title: resp.statusText, detail: text.slice(0, 200) };
  }
  if (!resp.ok) {
    if (resp.status === 401 && path !== LOGIN) {
      session.clear();
      onUnauthorized();
    }
    throw new ApiError(resp.status, data);
  }
  return data;
}

export const get = (path) => api("GET", path);
export const post = (path, body) => api("POST", path, body === undefined ? {} : body);
export const patch = (path, body) => api("PATCH", path, body);
export const del = (path) => api("DELETE", path);

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") q.set(k, v);
  const text = q.toString();
  return text ? `?${text}` : "";
}

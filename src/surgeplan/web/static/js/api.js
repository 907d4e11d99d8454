// The REST API as promises. Browser sessions send their CSRF token on unsafe methods.

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.detail) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|; )surgeplan_csrf=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : "";
}

export async function request(method, path, { json, form, headers = {}, raw = false } = {}) {
  const init = { method, headers: { ...headers }, credentials: "same-origin" };
  if (!["GET", "HEAD"].includes(method)) init.headers["X-CSRF-Token"] = csrfToken();
  if (json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  } else if (form !== undefined) {
    init.body = form;
  }
  const response = await fetch(path, init);
  if (raw && response.ok) return response;
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, typeof body === "string" ? { detail: body } : body);
  return { body, etag: response.headers.get("etag"), response };
}

export const get = (path) => request("GET", path).then((r) => r.body);
export const post = (path, json) => request("POST", path, { json }).then((r) => r.body);

export function upload(path, file, filename, version) {
  const form = new FormData();
  form.append("file", file, filename);
  return request("POST", path, { form, headers: { "If-Match": `"${version}"` } });
}

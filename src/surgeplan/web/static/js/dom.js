// Small DOM helpers: elements are built, never parsed from strings (no injection).

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

export function say(message, kind = "info") {
  const status = document.getElementById("status");
  status.className = `status ${kind}`;
  status.textContent = message;
}

let pending = null;

// A message to show after the page re-renders (e.g. "saved as a new version").
export function flash(message, kind = "ok") {
  pending = [message, kind];
}

export function showFlash() {
  const [message, kind] = pending || ["", "info"];
  pending = null;
  say(message, kind);
}

export function reload() {
  window.dispatchEvent(new HashChangeEvent("hashchange"));
}

// A gap to the bound with one decimal, but never "0.0" for a plan not proven optimal:
// a gap under half a tenth reads "<0.1 %" ($24 above the bound on $955,011 did).
export function gap(value) {
  if (value === null || value === undefined) return "—";
  return value > 0 && value < 0.05 ? "<0.1 %" : `${value.toFixed(1)} %`;
}

export function money(text) {
  const value = Number(text);
  return Number.isFinite(value)
    ? value.toLocaleString("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 })
    : String(text);
}

export function table(caption, columns, rows, { className = "data" } = {}) {
  return h(
    "table",
    { class: className },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((cell) => h("td", {}, cell))))),
  );
}

export function download(url, label) {
  return h("a", { href: url, class: "button secondary", download: "" }, label);
}

// A scrolling region keyboard users can reach and screen readers can name.
export function scroller(label, ...children) {
  return h("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": label }, ...children);
}

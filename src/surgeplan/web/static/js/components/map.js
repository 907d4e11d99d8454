// Map of a deployment plan: home bases (squares), deployment sites (circles, area
// proportional to officers received) and the routes between them (curves whose width is
// proportional to the officers on the route), over the US state outline.
//
//   import { renderMap } from "./components/map.js";
//   renderMap(container, view, { highlightSite: "CHI" });
//
// `view` is the plan view JSON (sites, bases, flows, period; anything else is ignored).
// The SVG is an image to assistive technology (role="img" + a summary in aria-label);
// every route is also in a table after it, visually hidden until the "Show as table"
// button reveals it. Built with DOM APIs only (no innerHTML, no inline handlers or
// styles), so it runs under a strict Content-Security-Policy. Styles: css/map.css.

import { BORDERS, EXTENT, INSETS, LAND } from "../../vendor/us-atlas/us-outline.js";
import { project } from "./map-projection.js";

const SVG = "http://www.w3.org/2000/svg";
const PAD = 10; // user units around the land
const BASE_SIZE = 7.5; // side of a base square, user units
const SITE_R_MAX = 15; // radius of the site receiving the most officers, user units
const SITE_R_MIN = 3.5;
// Route widths are in screen pixels (vector-effect: non-scaling-stroke), so the legend's
// reference lines, drawn in pixels too, match the map exactly; the widest route is
// FLOW_MAX_PX on a map drawn at FLOW_FULL_SCALE pixels per unit (a ~1200 px wide map)
// and thins with the map down to 55% of that (a tablet).
const FLOW_MAX_PX = 9;
const FLOW_FULL_SCALE = 1.2;
const FLOW_MIN_PX = 1.25;
const LABEL_PX = 13; // on-screen size of site labels

let counter = 0;
const observers = new WeakMap();

/**
 * Replace `container`'s content with the map of `view`.
 * @param {Element} container
 * @param {object} view plan view: {sites, bases, flows, period, ...}
 * @param {{highlightSite?: string}} [options]
 * @returns {{svg: SVGSVGElement, table: HTMLTableElement, summary: string}}
 */
export function renderMap(container, view, options = {}) {
  observers.get(container)?.disconnect();
  observers.delete(container);

  const data = normalise(view);
  const id = `sp-map-${++counter}`;
  const highlight = data.siteById.get(String(options?.highlightSite ?? "")) ?? null;

  const root = el("div", { class: "sp-map" });
  const svg = svgEl("svg", {
    class: "sp-map__svg",
    role: "img",
    "aria-label": summarise(data, highlight),
    preserveAspectRatio: "xMidYMid meet",
  });
  const tableId = `${id}-table`;
  root.append(legend(data, highlight, tableId), svg, table(data, tableId));
  if (highlight) root.classList.add("sp-map--highlight");
  container.replaceChildren(root);

  const layout = place(data);
  const [x0, y0, x1, y1] = layout.extent;
  svg.setAttribute("viewBox", `${r1(x0)} ${r1(y0)} ${r1(x1 - x0)} ${r1(y1 - y0)}`);
  svg.append(land(), flows(data, layout, highlight), marks(data, layout, highlight));
  const labels = svgEl("g", { class: "sp-map__labels", "aria-hidden": "true" });
  svg.append(labels);

  // Labels and route widths are sized for the screen: set them for the SVG's rendered
  // size now, and again when it changes noticeably (a resized window, a rotated tablet).
  let laidOutAt = null;
  const relabel = () => {
    const scale = screenScale(svg, layout.extent);
    if (laidOutAt !== null && Math.abs(scale / laidOutAt - 1) < 0.05) return;
    laidOutAt = scale;
    const maxPx = FLOW_MAX_PX * clamp(scale / FLOW_FULL_SCALE, 0.55, 1);
    for (const line of root.querySelectorAll("[data-width-officers]")) {
      const n = Number(line.getAttribute("data-width-officers"));
      const px = flowWidth(n, data.maxOfficers, maxPx);
      line.setAttribute("stroke-width", r2(px));
      line.classList.toggle("sp-map__flow--thin", px < 2.5); // more opaque, to stay visible
    }
    labels.replaceChildren(...siteLabels(data, layout, highlight, scale, svg));
  };
  relabel();
  if (typeof ResizeObserver === "function") {
    const observer = new ResizeObserver(() => relabel());
    observer.observe(svg);
    observers.set(container, observer);
  }

  const toggle = root.querySelector(".sp-map__table-toggle");
  const wrap = root.querySelector(".sp-map__table-wrap");
  toggle.addEventListener("click", () => {
    const show = toggle.getAttribute("aria-pressed") !== "true";
    toggle.setAttribute("aria-pressed", String(show));
    wrap.classList.toggle("sp-map__table-wrap--shown", show);
    // On screen the table scrolls within its box: make that box reachable by keyboard.
    if (show) wrap.setAttribute("tabindex", "0");
    else wrap.removeAttribute("tabindex");
  });

  return { svg, table: wrap.querySelector("table"), summary: svg.getAttribute("aria-label") };
}

// ---------------------------------------------------------------------------- data

function normalise(view) {
  const v = view && typeof view === "object" ? view : {};
  const list = (x) => (Array.isArray(x) ? x.filter((e) => e && typeof e === "object") : []);
  const count = (x) => (Number.isFinite(Number(x)) && Number(x) > 0 ? Number(x) : 0);
  const label = (name, fallback) =>
    typeof name === "string" && name.trim() ? name.trim() : fallback;

  const bases = list(v.bases).map((b, i) => {
    const id = String(b.base_id ?? `base-${i + 1}`);
    return { id, name: label(b.name, id), lon: Number(b.lon), lat: Number(b.lat), out: 0, to: 0 };
  });
  const sites = list(v.sites).map((s, i) => {
    const id = String(s.site_id ?? `site-${i + 1}`);
    return {
      id,
      name: label(s.name, id),
      priority: s.priority ?? null,
      lon: Number(s.lon),
      lat: Number(s.lat),
      received: 0,
      periods: 0,
      from: 0,
    };
  });
  const baseById = new Map(bases.map((b) => [b.id, b]));
  const siteById = new Map(sites.map((s) => [s.id, s]));
  const flows = list(v.flows).map((f) => {
    const baseId = String(f.base_id ?? "");
    const siteId = String(f.site_id ?? "");
    return {
      baseId,
      siteId,
      base: baseById.get(baseId) ?? null,
      site: siteById.get(siteId) ?? null,
      officers: count(f.officers),
      periods: count(f.officer_periods),
    };
  });
  for (const f of flows) {
    if (f.officers === 0) continue;
    if (f.base) [f.base.out, f.base.to] = [f.base.out + f.officers, f.base.to + 1];
    if (f.site) {
      f.site.received += f.officers;
      f.site.periods += f.periods;
      f.site.from += 1;
    }
  }
  const period = typeof v.period === "string" && /^[a-z]+$/.test(v.period) ? v.period : "period";
  return {
    bases,
    sites,
    flows,
    baseById,
    siteById,
    routes: flows.filter((f) => f.officers > 0),
    officers: flows.reduce((s, f) => s + f.officers, 0),
    periods: flows.reduce((s, f) => s + f.periods, 0),
    maxOfficers: Math.max(0, ...flows.map((f) => f.officers)),
    maxReceived: Math.max(0, ...sites.map((s) => s.received)),
    unit: `officer-${period}s`,
  };
}

const plural = (n, one, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

function summarise(d, highlight) {
  const bases = plural(d.bases.length, "home base");
  const sites = plural(d.sites.length, "deployment site");
  const parts = [
    d.routes.length === 0
      ? `Map: ${bases} and ${sites}; no officers deployed.`
      : `Map: ${bases} send officers to ${sites} along ${plural(d.routes.length, "route")}: ` +
        `${plural(d.officers, "officer")} in all (an officer posted to two sites counts at each), ` +
        `${plural(d.periods, d.unit.slice(0, -1), d.unit)}.`,
  ];
  if (highlight) {
    parts.push(
      `Highlighted: ${highlight.name}, ${plural(highlight.received, "officer")} from ${plural(highlight.from, "base")}.`,
    );
  }
  const off = [...d.bases, ...d.sites].filter((p) => project(p.lon, p.lat) === null).length;
  if (off) parts.push(`${plural(off, "place")} not drawn: no position on this map.`);
  return parts.join(" ");
}

// -------------------------------------------------------------------------- layout

function place(d) {
  const pos = new Map();
  let [x0, y0, x1, y1] = EXTENT;
  const grow = (x, y, r) => {
    [x0, y0, x1, y1] = [Math.min(x0, x - r), Math.min(y0, y - r), Math.max(x1, x + r), Math.max(y1, y + r)];
  };

  // Bases: co-located ones (three headquarters in El Paso) side by side in a small grid.
  const basePts = d.bases
    .map((b) => ({ item: b, p: project(b.lon, b.lat) }))
    .filter((e) => e.p !== null);
  for (const group of clusters(basePts, BASE_SIZE * 1.3)) {
    group.sort((a, b) => (a.item.id < b.item.id ? -1 : 1));
    const cols = Math.ceil(Math.sqrt(group.length));
    const rows = Math.ceil(group.length / cols);
    const step = BASE_SIZE + 1.5;
    const cx = group.reduce((s, e) => s + e.p[0], 0) / group.length;
    const cy = group.reduce((s, e) => s + e.p[1], 0) / group.length;
    group.forEach((e, i) => {
      const inRow = Math.min(cols, group.length - Math.floor(i / cols) * cols);
      const x = cx + ((i % cols) - (inRow - 1) / 2) * step;
      const y = cy + (Math.floor(i / cols) - (rows - 1) / 2) * step;
      pos.set(e.item, { x, y, r: BASE_SIZE / 2 });
      grow(x, y, BASE_SIZE);
    });
  }

  // Sites: nudge overlapping circles apart (New York and Newark are 15 km apart).
  const sitePts = d.sites
    .map((s) => ({ item: s, p: project(s.lon, s.lat), r: siteRadius(s, d) }))
    .filter((e) => e.p !== null)
    .map((e, i) => ({ ...e, x: e.p[0] + 1e-3 * Math.cos(i), y: e.p[1] + 1e-3 * Math.sin(i) }));
  for (let pass = 0; pass < 60; pass++) {
    let moved = false;
    for (let i = 0; i < sitePts.length; i++) {
      for (let j = i + 1; j < sitePts.length; j++) {
        const a = sitePts[i];
        const b = sitePts[j];
        const dx = b.x - a.x;
        const dy = b.y - a.y;
        const dist = Math.hypot(dx, dy);
        const need = a.r + b.r + 1.5;
        if (dist >= need) continue;
        const push = (need - dist) / 2 / dist;
        const wa = b.r / (a.r + b.r); // the smaller circle moves more
        const wb = a.r / (a.r + b.r);
        a.x -= dx * push * 2 * wa;
        a.y -= dy * push * 2 * wa;
        b.x += dx * push * 2 * wb;
        b.y += dy * push * 2 * wb;
        moved = true;
      }
    }
    if (!moved) break;
  }
  for (const e of sitePts) {
    pos.set(e.item, { x: e.x, y: e.y, r: e.r });
    grow(e.x, e.y, e.r);
  }
  return { pos, extent: [x0 - PAD, y0 - PAD, x1 + PAD, y1 + PAD] };
}

function clusters(points, within) {
  const groups = [];
  const seen = new Set();
  for (const start of points) {
    if (seen.has(start)) continue;
    seen.add(start);
    const group = [start];
    for (let k = 0; k < group.length; k++) {
      for (const other of points) {
        if (seen.has(other)) continue;
        if (Math.hypot(other.p[0] - group[k].p[0], other.p[1] - group[k].p[1]) < within) {
          seen.add(other);
          group.push(other);
        }
      }
    }
    groups.push(group);
  }
  return groups;
}

function siteRadius(site, d) {
  if (site.received === 0 || d.maxReceived === 0) return SITE_R_MIN;
  return Math.max(SITE_R_MIN, SITE_R_MAX * Math.sqrt(site.received / d.maxReceived));
}

/** Stroke width in pixels: proportional to officers, the largest route `maxPx` wide. */
function flowWidth(officers, max, maxPx) {
  return max > 0 ? Math.max(FLOW_MIN_PX, (maxPx * officers) / max) : FLOW_MIN_PX;
}

/** Rendered pixels per user unit (1 when the SVG is not laid out, e.g. hidden). */
function screenScale(svg, [x0, y0, x1, y1]) {
  const box = svg.getBoundingClientRect();
  if (!box.width || !box.height) return 1;
  return Math.min(box.width / (x1 - x0), box.height / (y1 - y0));
}

// --------------------------------------------------------------------------- drawing

function land() {
  const g = svgEl("g", { class: "sp-map__land", "aria-hidden": "true" });
  for (const [key, [x0, y0, x1, y1]] of Object.entries(INSETS)) {
    g.append(
      svgEl("rect", {
        class: "sp-map__inset",
        "data-inset": key,
        x: r1(x0 - 6),
        y: r1(y0 - 6),
        width: r1(x1 - x0 + 12),
        height: r1(y1 - y0 + 12),
        rx: 4,
        "vector-effect": "non-scaling-stroke",
      }),
    );
  }
  g.append(
    svgEl("path", { class: "sp-map__nation", d: LAND, "vector-effect": "non-scaling-stroke" }),
    svgEl("path", { class: "sp-map__borders", d: BORDERS, "vector-effect": "non-scaling-stroke" }),
  );
  return g;
}

function flows(d, layout, highlight) {
  const g = svgEl("g", { class: "sp-map__flows" });
  // Widest first, so thin routes stay visible on top; the highlighted site's routes last.
  const order = d.routes
    .filter((f) => layout.pos.has(f.base) && layout.pos.has(f.site))
    .sort((a, b) => {
      const ha = a.site === highlight ? 1 : 0;
      const hb = b.site === highlight ? 1 : 0;
      return ha - hb || b.officers - a.officers;
    });
  for (const f of order) {
    const a = layout.pos.get(f.base);
    const b = layout.pos.get(f.site);
    const path = svgEl("path", {
      class: `sp-map__flow${f.site === highlight ? " sp-map__flow--highlight" : ""}`,
      d: curve(a, b),
      "data-width-officers": f.officers,
      "vector-effect": "non-scaling-stroke",
      "data-base-id": f.base.id,
      "data-site-id": f.site.id,
      "data-officers": f.officers,
      "data-officer-periods": f.periods,
    });
    path.append(title(`${f.base.name} → ${f.site.name}: ${plural(f.officers, "officer")}, ${plural(f.periods, d.unit.slice(0, -1), d.unit)}`));
    g.append(path);
  }
  return g;
}

/** A quadratic curve from a to b bowing northwards (up), like a flight path. */
function curve(a, b) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const dist = Math.hypot(dx, dy);
  if (dist < 1) {
    // Base and site in the same place: a small loop, so the route still shows.
    return `M${r1(a.x)} ${r1(a.y)}c-9-16 9-16 0 0`;
  }
  const bend = dx >= 0 ? 0.2 : -0.2;
  const cx = (a.x + b.x) / 2 + dy * bend;
  const cy = (a.y + b.y) / 2 - dx * bend;
  return `M${r1(a.x)} ${r1(a.y)}Q${r1(cx)} ${r1(cy)} ${r1(b.x)} ${r1(b.y)}`;
}

function marks(d, layout, highlight) {
  const g = svgEl("g", { class: "sp-map__marks" });
  const bases = svgEl("g", { class: "sp-map__bases" });
  for (const b of d.bases) {
    const p = layout.pos.get(b);
    if (!p) continue;
    const rect = svgEl("rect", {
      class: `sp-map__base${b.out === 0 ? " sp-map__base--idle" : ""}`,
      x: r1(p.x - BASE_SIZE / 2),
      y: r1(p.y - BASE_SIZE / 2),
      width: BASE_SIZE,
      height: BASE_SIZE,
      "vector-effect": "non-scaling-stroke",
      "data-base-id": b.id,
    });
    const sends = b.out
      ? `sends ${plural(b.out, "officer")} to ${plural(b.to, "site")}`
      : "sends no officers in this plan";
    rect.append(title(`${b.name}: home base, ${sends}`));
    bases.append(rect);
  }
  const sites = svgEl("g", { class: "sp-map__sites" });
  // Largest first, so a small circle next to a big one stays on top.
  for (const s of [...d.sites].sort((a, b) => b.received - a.received)) {
    const p = layout.pos.get(s);
    if (!p) continue;
    const cls = ["sp-map__site"];
    if (s.received === 0) cls.push("sp-map__site--empty");
    if (s === highlight) cls.push("sp-map__site--highlight");
    const circle = svgEl("circle", {
      class: cls.join(" "),
      cx: r1(p.x),
      cy: r1(p.y),
      r: r1(p.r),
      "vector-effect": "non-scaling-stroke",
      "data-site-id": s.id,
      "data-officers": s.received,
    });
    const priority = s.priority === null ? "" : `, priority ${s.priority}`;
    const gets = s.received
      ? `receives ${plural(s.received, "officer")} from ${plural(s.from, "base")}, ${plural(s.periods, d.unit.slice(0, -1), d.unit)}`
      : "receives no officers in this plan";
    circle.append(title(`${s.name} (${s.id}): deployment site${priority}; ${gets}`));
    sites.append(circle);
  }
  g.append(sites, bases); // a base in a site's city stays visible on its circle
  return g;
}

// ---------------------------------------------------------------------------- labels

function siteLabels(d, layout, highlight, scale, svg) {
  const fs = clamp(LABEL_PX / scale, 8, 24);
  const gap = 3 / scale + 1;
  const measure = textMeasurer(svg, fs);
  const [vx0, vy0, vx1, vy1] = layout.extent;

  // Everything a label should not cover: circles and squares, then placed labels.
  const obstacles = [];
  for (const b of d.bases) {
    const p = layout.pos.get(b);
    if (p) obstacles.push({ box: [p.x - p.r, p.y - p.r, p.x + p.r, p.y + p.r], weight: 2 });
  }
  for (const s of d.sites) {
    const p = layout.pos.get(s);
    if (p) obstacles.push({ box: [p.x - p.r, p.y - p.r, p.x + p.r, p.y + p.r], weight: 3 });
  }

  const out = [];
  const order = d.sites
    .filter((s) => layout.pos.has(s))
    .sort((a, b) => (b === highlight) - (a === highlight) || b.received - a.received);
  for (const s of order) {
    const { x, y, r } = layout.pos.get(s);
    const w = measure(s.name);
    const h = fs;
    let best = null;
    candidates(x, y, r, gap, fs).forEach((c, rank) => {
      const left = c.anchor === "start" ? c.x : c.anchor === "end" ? c.x - w : c.x - w / 2;
      const box = [left - 1, c.y - h * 0.8, left + w + 1, c.y + h * 0.25];
      let cost = rank * 0.05 + (c.leader ? 4 : 0);
      for (const o of obstacles) cost += o.weight * overlap(box, o.box);
      const outside =
        Math.max(0, vx0 - box[0]) + Math.max(0, box[2] - vx1) + Math.max(0, vy0 - box[1]) + Math.max(0, box[3] - vy1);
      cost += outside * h * 20;
      if (!best || cost < best.cost) best = { ...c, box, cost };
    });
    obstacles.push({ box: best.box, weight: 10 });
    const text = svgEl("text", {
      class: `sp-map__label${s === highlight ? " sp-map__label--highlight" : ""}`,
      x: r1(best.x),
      y: r1(best.y),
      "text-anchor": best.anchor,
      "font-size": r2(fs),
      "data-site-id": s.id,
    });
    text.textContent = s.name;
    if (best.leader) {
      const ex = clamp(x, best.box[0], best.box[2]);
      const ey = clamp(y, best.box[1], best.box[3]);
      const len = Math.hypot(ex - x, ey - y) || 1;
      out.push(
        svgEl("line", {
          class: "sp-map__leader",
          x1: r1(x + ((ex - x) / len) * r),
          y1: r1(y + ((ey - y) / len) * r),
          x2: r1(ex),
          y2: r1(ey),
          "vector-effect": "non-scaling-stroke",
        }),
      );
    }
    out.push(text);
  }
  return out;
}

function candidates(x, y, r, gap, fs) {
  const mid = y + fs * 0.32;
  const d = r * 0.72 + gap;
  const near = [
    { x: x + r + gap, y: mid, anchor: "start" },
    { x: x - r - gap, y: mid, anchor: "end" },
    { x: x + d, y: y - d, anchor: "start" },
    { x: x + d, y: y + d + fs * 0.7, anchor: "start" },
    { x: x - d, y: y - d, anchor: "end" },
    { x: x - d, y: y + d + fs * 0.7, anchor: "end" },
    { x, y: y - r - gap - fs * 0.2, anchor: "middle" },
    { x, y: y + r + gap + fs * 0.8, anchor: "middle" },
  ];
  const far = [];
  for (const k of [1.6, 2.8]) {
    const o = fs * k;
    far.push(
      { x: x + r + o, y: y - o + fs * 0.3, anchor: "start", leader: true },
      { x: x + r + o, y: y + o + fs * 0.3, anchor: "start", leader: true },
      { x: x - r - o, y: y - o + fs * 0.3, anchor: "end", leader: true },
      { x: x - r - o, y: y + o + fs * 0.3, anchor: "end", leader: true },
      { x: x + r + o, y: mid, anchor: "start", leader: true },
      { x: x - r - o, y: mid, anchor: "end", leader: true },
    );
  }
  return [...near, ...far];
}

function overlap(a, b) {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Width of a label in user units, measured with the font the CSS gives labels. */
function textMeasurer(svg, fs) {
  let ctx = null;
  try {
    ctx = document.createElement("canvas").getContext("2d");
  } catch {
    ctx = null;
  }
  const probe = svgEl("text", { class: "sp-map__label", x: -9999, y: -9999 });
  svg.append(probe);
  const style = getComputedStyle(probe);
  const family = style.fontFamily || "sans-serif";
  const weight = style.fontWeight || "600";
  probe.remove();
  if (ctx) ctx.font = `${weight} ${fs}px ${family}`;
  return (s) => (ctx ? ctx.measureText(s).width : s.length * fs * 0.58);
}

// ---------------------------------------------------------------- legend and table

function legend(d, highlight, tableId) {
  const bar = el("div", { class: "sp-map__bar" });
  const list = el("ul", { class: "sp-map__legend", "aria-label": "Map legend" });
  const key = (swatch, text) => {
    const li = el("li", { class: "sp-map__key" });
    li.append(swatch, el("span", {}, text));
    return li;
  };
  const swatch = (w, h, ...children) => {
    const s = svgEl("svg", {
      class: "sp-map__swatch",
      width: w,
      height: h,
      viewBox: `0 0 ${w} ${h}`,
      "aria-hidden": "true",
      focusable: "false",
    });
    s.append(...children);
    return s;
  };
  list.append(
    key(swatch(14, 14, svgEl("rect", { class: "sp-map__base", x: 2.5, y: 2.5, width: 9, height: 9 })), "Home base"),
    key(
      swatch(30, 18, svgEl("circle", { class: "sp-map__site", cx: 8, cy: 10, r: 4 }), svgEl("circle", { class: "sp-map__site", cx: 21, cy: 9, r: 7.5 })),
      "Deployment site, area by officers received",
    ),
  );
  if (d.maxOfficers > 0) {
    const li = el("li", { class: "sp-map__key sp-map__key--widths" });
    li.append(el("span", {}, "Officers per route:"));
    for (const n of referenceWidths(d)) {
      const line = svgEl("line", { class: "sp-map__flow", x1: 1, y1: 8, x2: 27, y2: 8, "data-width-officers": n });
      const item = el("span", { class: "sp-map__width" });
      item.append(swatch(28, 16, line), el("span", {}, String(n)));
      li.append(item);
    }
    list.append(li);
  }
  if (highlight) {
    const line = svgEl("line", { class: "sp-map__flow sp-map__flow--highlight", x1: 1, y1: 8, x2: 27, y2: 8, "stroke-width": 3 });
    list.append(key(swatch(28, 16, line), `Routes to ${highlight.name}`));
  }
  const toggle = el(
    "button",
    { type: "button", class: "sp-map__table-toggle", "aria-pressed": "false", "aria-controls": tableId },
    "Show as table",
  );
  bar.append(list, toggle);
  return bar;
}

/** Two or three officer counts to show as reference widths: 1, a middle value, the max. */
function referenceWidths(d) {
  const max = d.maxOfficers;
  const min = Math.max(1, Math.min(...d.routes.map((f) => f.officers)));
  const nice = (x) => {
    const p = 10 ** Math.floor(Math.log10(x));
    return [1, 2, 5, 10].map((m) => m * p).reduce((a, b) => (Math.abs(b - x) < Math.abs(a - x) ? b : a));
  };
  const middle = max <= 10 ? Math.round((min + max) / 2) : nice((min + max) / 2);
  return [...new Set([min, middle, max])].filter((n) => n >= min && n <= max).sort((a, b) => a - b);
}

function table(d, id) {
  const wrap = el("div", { class: "sp-map__table-wrap", id, role: "region", "aria-label": "Routes table" });
  const t = el("table", { class: "sp-map__table" });
  const unit = d.unit[0].toUpperCase() + d.unit.slice(1);
  t.append(
    el(
      "caption",
      {},
      `Routes from home bases to deployment sites (${plural(d.flows.length, "route")}). Officers: distinct officers from that base who served at that site.`,
    ),
  );
  const head = el("thead");
  const hr = el("tr");
  for (const [text, numeric] of [["Home base"], ["Deployment site"], ["Officers", true], [unit, true]]) {
    hr.append(el("th", { scope: "col", class: numeric ? "sp-map__num" : "" }, text));
  }
  head.append(hr);
  const body = el("tbody");
  const rows = [...d.flows].sort(
    (a, b) =>
      b.officers - a.officers ||
      (a.base?.name ?? a.baseId).localeCompare(b.base?.name ?? b.baseId) ||
      (a.site?.name ?? a.siteId).localeCompare(b.site?.name ?? b.siteId),
  );
  for (const f of rows) {
    const tr = el("tr", { "data-base-id": f.baseId, "data-site-id": f.siteId });
    tr.append(
      el("th", { scope: "row" }, f.base?.name ?? f.baseId),
      el("td", {}, f.site ? `${f.site.name} (${f.site.id})` : f.siteId),
      el("td", { class: "sp-map__num" }, f.officers.toLocaleString("en-US")),
      el("td", { class: "sp-map__num" }, f.periods.toLocaleString("en-US")),
    );
    body.append(tr);
  }
  const foot = el("tfoot");
  const fr = el("tr");
  fr.append(
    el("th", { scope: "row", colspan: "2" }, "Total"),
    el("td", { class: "sp-map__num" }, d.officers.toLocaleString("en-US")),
    el("td", { class: "sp-map__num" }, d.periods.toLocaleString("en-US")),
  );
  foot.append(fr);
  t.append(head, body, foot);
  wrap.append(t);
  return wrap;
}

// ---------------------------------------------------------------------------- helpers

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== "") node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function svgEl(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function title(text) {
  const t = svgEl("title");
  t.textContent = text;
  return t;
}

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
const r1 = (v) => Math.round(v * 10) / 10;
const r2 = (v) => Math.round(v * 100) / 100;

// Gantt of rotations by officer: one row per officer, one column per period.
//
// The chart is an ARIA grid (role="grid") with a roving tabindex over the period cells.
// Only the rows in view (plus a few above and below, plus the row holding the keyboard
// focus) exist in the DOM: a plan of 1,000 officers renders about 30 rows, so the first
// render and every filter change cost the same whatever the roster size.
//
// Bars are coloured by site with the Okabe–Ito palette; the site code is written in every
// bar and sites beyond the seventh also get a pattern, so colour is never the only cue.
// No inline styles in markup (the page runs under a strict CSP): classes carry the look,
// and the few geometric values are set through the CSSOM (element.style), which CSP allows.

import { el, parseISO } from "./util.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const PALETTE_SIZE = 7; // Okabe–Ito without black; see gantt.css .sp-gantt__site--c0…c6
const PATTERNS = 3; // plain, stripes, dots
const PAGE_ROWS = 10;
const LEGEND_NAMES_MAX = 12; // beyond this many sites the legend shows codes only
const HOME = "HOME";

/**
 * Render the Gantt into `container` (its previous content is replaced).
 *
 * @param {HTMLElement} container
 * @param {object} view   the plan view JSON (periods, sites, bases, officers, rotations, pins…)
 * @param {object} [options]
 * @param {(cell: {person_id: string, period_start: string, site_id: string|null, pinned: boolean}) => void} [options.onCell]
 *        called when a cell or bar is clicked, or a cell activated with Enter / Space
 * @param {{base?: string, qualification?: string, site?: string, search?: string}} [options.filter]
 * @param {number} [options.rowHeight=36]  row height in pixels
 * @param {number} [options.overscan=8]    rows rendered beyond each edge of the view
 * @param {string} [options.label]         accessible name of the grid
 * @returns {{setFilter(filter: object): void, destroy(): void}}
 */
export function renderGantt(container, view, options = {}) {
  const root = el("div", "sp-gantt");
  container.replaceChildren(root);

  if (view.names_hidden) {
    const notice = el("p", "sp-gantt__notice", "Officer names are hidden for your role");
    notice.setAttribute("role", "status");
    root.classList.add("sp-gantt--hidden");
    root.append(notice);
    return { setFilter() {}, destroy: () => container.replaceChildren() };
  }

  const model = buildModel(view);
  const rowH = options.rowHeight || 36;
  const overscan = options.overscan ?? 8;
  const P = model.periods.length;
  root.style.setProperty("--sp-gantt-cols", String(Math.max(P, 1)));
  root.style.setProperty("--sp-gantt-row-h", `${rowH}px`);

  // Toolbar: live status + site legend.
  const status = el("p", "sp-gantt__status");
  status.setAttribute("aria-live", "polite");
  const legend = buildLegend(model);
  const toolbar = el("div", "sp-gantt__toolbar");
  toolbar.append(status, legend);

  // The grid: a scrolling element with a sticky header and a virtual body.
  const scroller = el("div", "sp-gantt__scroller");
  scroller.setAttribute("role", "grid");
  scroller.setAttribute("aria-label", options.label || "Rotations by officer and week");
  scroller.setAttribute("aria-colcount", String(P + 1));
  scroller.setAttribute("aria-readonly", "true");
  const head = buildHeader(model);
  const body = el("div", "sp-gantt__body");
  body.setAttribute("role", "rowgroup");
  scroller.append(head, body);
  const empty = el("p", "sp-gantt__empty", "No officers match these filters.");
  empty.hidden = true;
  root.append(toolbar, scroller, empty);

  let rows = model.officers; // the filtered officers, in roster order
  let rendered = new Map(); // row index → row element
  let active = { row: 0, col: 0 }; // the roving tab stop
  let selected = null; // {person_id, col} of the last activated cell
  let siteFilter = "";
  let frame = 0;

  function applyFilter(filter) {
    const f = normaliseFilter(filter);
    rows = model.officers.filter((o) => matches(o, f));
    siteFilter = f.site;
    body.style.height = `${rows.length * rowH}px`;
    scroller.setAttribute("aria-rowcount", String(rows.length + 1));
    root.dataset.rowCount = String(rows.length);
    const rotations = rows.reduce((n, o) => n + o.bars.length, 0);
    status.textContent =
      rows.length === model.officers.length
        ? `${plural(rows.length, "officer")} · ${plural(rotations, "rotation")}`
        : `Showing ${rows.length} of ${plural(model.officers.length, "officer")} · ${plural(rotations, "rotation")}`;
    empty.hidden = rows.length > 0;
    scroller.hidden = rows.length === 0;
    for (const element of rendered.values()) element.remove();
    rendered = new Map();
    active = { row: 0, col: Math.min(active.col, P - 1) };
    scroller.scrollTop = 0;
    renderRows();
  }

  function renderRows() {
    frame = 0;
    if (!rows.length || !P) return;
    const top = scroller.scrollTop;
    const height = scroller.clientHeight || 600;
    const headH = head.offsetHeight;
    const first = Math.max(0, Math.floor(top / rowH) - overscan);
    const last = Math.min(rows.length, Math.ceil((top + height - headH) / rowH) + overscan);
    const wanted = new Set();
    for (let i = first; i < last; i += 1) wanted.add(i);
    if (active.row < rows.length) wanted.add(active.row);
    for (const [index, element] of rendered) {
      if (!wanted.has(index)) {
        element.remove();
        rendered.delete(index);
      }
    }
    // Insert new rows in index order without moving kept ones (moving the row that holds
    // the focus would drop the focus), so the DOM order stays the reading order.
    const kept = [...rendered.keys()].sort((a, b) => a - b);
    const added = [...wanted].filter((i) => !rendered.has(i)).sort((a, b) => a - b);
    let k = 0;
    for (const index of added) {
      while (k < kept.length && kept[k] < index) k += 1;
      const element = buildRow(index);
      body.insertBefore(element, k < kept.length ? rendered.get(kept[k]) : null);
      rendered.set(index, element);
    }
  }

  function buildRow(index) {
    const officer = rows[index];
    const row = el("div", "sp-gantt__row");
    row.setAttribute("role", "row");
    row.setAttribute("aria-rowindex", String(index + 2));
    row.dataset.index = String(index);
    row.dataset.person = officer.id;
    row.dataset.base = officer.base;
    row.style.top = `${index * rowH}px`;
    if (index % 2) row.classList.add("sp-gantt__row--alt");

    const label = el("div", "sp-gantt__label");
    label.setAttribute("role", "rowheader");
    label.setAttribute("aria-colindex", "1");
    const name = el("span", "sp-gantt__name", officer.name);
    const meta = el("span", "sp-gantt__meta", `${officer.id} · ${officer.baseName}`);
    label.title = `${officer.name} (${officer.id}), ${officer.baseName}`;
    label.append(name, meta);
    row.append(label);

    for (let c = 0; c < P; c += 1) {
      const cell = el("div", "sp-gantt__cell");
      cell.setAttribute("role", "gridcell");
      cell.setAttribute("aria-colindex", String(c + 2));
      cell.dataset.col = String(c);
      if (model.monthStarts.has(c)) cell.classList.add("sp-gantt__cell--month");
      const site = officer.siteAt[c];
      const pin = officer.pins.get(c);
      let text = `${model.periodLabels[c]}: ${site ? model.siteLabel(site) : "at home"}`;
      if (pin !== undefined) {
        text += pin === HOME ? ", pinned at home" : `, pinned to ${model.siteLabel(pin)}`;
        cell.classList.add("sp-gantt__cell--pinned");
        if (pin === HOME) cell.classList.add("sp-gantt__cell--home");
      }
      cell.setAttribute("aria-label", text);
      cell.tabIndex = index === active.row && c === active.col ? 0 : -1;
      if (selected && selected.person_id === officer.id && selected.col === c) {
        cell.classList.add("is-selected");
        cell.setAttribute("aria-selected", "true");
      }
      cell.style.gridColumn = String(c + 2);
      row.append(cell);
    }

    for (const bar of officer.bars) {
      const element = el("div", `sp-gantt__bar ${model.siteClass(bar.site)}`);
      if (siteFilter && bar.site !== siteFilter) element.classList.add("sp-gantt__bar--dim");
      element.setAttribute("aria-hidden", "true");
      element.dataset.site = bar.site;
      element.dataset.start = model.periods[bar.col];
      element.dataset.col = String(bar.col);
      element.dataset.span = String(bar.span);
      element.style.gridColumn = `${bar.col + 2} / span ${bar.span}`;
      element.title = `${model.siteLabel(bar.site)}: ${bar.start} to ${bar.end}, ${plural(bar.span, model.unit)}`;
      element.append(el("span", "sp-gantt__code", bar.site));
      row.append(element);
    }

    for (const [c, pin] of officer.pins) {
      const lock = lockGlyph();
      lock.classList.add("sp-gantt__lock");
      if (pin === HOME) lock.classList.add("sp-gantt__lock--home");
      lock.style.gridColumn = String(c + 2);
      row.append(lock);
    }
    return row;
  }

  function cellElement(r, c) {
    const row = rendered.get(r);
    return row ? row.querySelector(`.sp-gantt__cell[data-col="${c}"]`) : null;
  }

  function moveTo(r, c, focus = true) {
    if (!rows.length || !P) return;
    const row = clamp(r, 0, rows.length - 1);
    const col = clamp(c, 0, P - 1);
    const previous = cellElement(active.row, active.col);
    if (previous) previous.tabIndex = -1;
    active = { row, col };
    revealRow(row);
    renderRows();
    const cell = cellElement(row, col);
    if (!cell) return;
    cell.tabIndex = 0;
    revealColumn(cell);
    if (focus) cell.focus({ preventScroll: true });
  }

  function revealRow(r) {
    const view = scroller.clientHeight - head.offsetHeight;
    const top = r * rowH;
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + rowH > scroller.scrollTop + view) scroller.scrollTop = top + rowH - view;
  }

  function revealColumn(cell) {
    const labelW = head.querySelector(".sp-gantt__corner").offsetWidth;
    const left = cell.offsetLeft;
    const right = left + cell.offsetWidth;
    if (left - labelW < scroller.scrollLeft) scroller.scrollLeft = left - labelW;
    else if (right > scroller.scrollLeft + scroller.clientWidth) scroller.scrollLeft = right - scroller.clientWidth;
  }

  function activate(r, c) {
    const officer = rows[r];
    if (!officer) return;
    const previous = body.querySelector(".sp-gantt__cell.is-selected");
    if (previous) {
      previous.classList.remove("is-selected");
      previous.removeAttribute("aria-selected");
    }
    selected = { person_id: officer.id, col: c };
    const cell = cellElement(r, c);
    if (cell) {
      cell.classList.add("is-selected");
      cell.setAttribute("aria-selected", "true");
    }
    if (typeof options.onCell === "function") {
      options.onCell({
        person_id: officer.id,
        period_start: model.periods[c],
        site_id: officer.siteAt[c],
        pinned: officer.pins.has(c),
      });
    }
  }

  function onClick(event) {
    const row = event.target.closest(".sp-gantt__row");
    if (!row || !body.contains(row)) return;
    const r = Number(row.dataset.index);
    let c;
    const bar = event.target.closest(".sp-gantt__bar");
    if (bar) {
      const box = bar.getBoundingClientRect();
      const span = Number(bar.dataset.span);
      const offset = Math.floor(((event.clientX - box.left) / box.width) * span);
      c = Number(bar.dataset.col) + clamp(offset, 0, span - 1);
    } else {
      const cell = event.target.closest(".sp-gantt__cell");
      if (!cell) return;
      c = Number(cell.dataset.col);
    }
    moveTo(r, c);
    activate(r, c);
  }

  function onKeyDown(event) {
    const cell = event.target.closest(".sp-gantt__cell");
    if (!cell) return;
    const { row, col } = active;
    const ctrl = event.ctrlKey || event.metaKey;
    switch (event.key) {
      case "ArrowRight": moveTo(row, col + 1); break;
      case "ArrowLeft": moveTo(row, col - 1); break;
      case "ArrowDown": moveTo(row + 1, col); break;
      case "ArrowUp": moveTo(row - 1, col); break;
      case "PageDown": moveTo(row + PAGE_ROWS, col); break;
      case "PageUp": moveTo(row - PAGE_ROWS, col); break;
      case "Home": moveTo(ctrl ? 0 : row, 0); break;
      case "End": moveTo(ctrl ? rows.length - 1 : row, P - 1); break;
      case "Enter":
      case " ":
        activate(row, col);
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  function onFocusIn(event) {
    // A click or programmatic focus on a cell makes it the tab stop.
    const cell = event.target.closest(".sp-gantt__cell");
    const row = cell && cell.closest(".sp-gantt__row");
    if (!row) return;
    const r = Number(row.dataset.index);
    const c = Number(cell.dataset.col);
    if (r === active.row && c === active.col) return;
    const previous = cellElement(active.row, active.col);
    if (previous) previous.tabIndex = -1;
    active = { row: r, col: c };
    cell.tabIndex = 0;
  }

  function onScroll() {
    if (!frame) frame = requestAnimationFrame(renderRows);
  }

  scroller.addEventListener("click", onClick);
  scroller.addEventListener("keydown", onKeyDown);
  scroller.addEventListener("focusin", onFocusIn);
  scroller.addEventListener("scroll", onScroll, { passive: true });
  const resize = typeof ResizeObserver === "function" ? new ResizeObserver(onScroll) : null;
  if (resize) resize.observe(scroller);

  applyFilter(options.filter);

  return {
    setFilter(filter) {
      applyFilter(filter);
    },
    destroy() {
      if (frame) cancelAnimationFrame(frame);
      if (resize) resize.disconnect();
      scroller.removeEventListener("click", onClick);
      scroller.removeEventListener("keydown", onKeyDown);
      scroller.removeEventListener("focusin", onFocusIn);
      scroller.removeEventListener("scroll", onScroll);
      container.replaceChildren();
    },
  };
}

// ---------------------------------------------------------------------------- model

function buildModel(view) {
  const periods = view.periods || [];
  const unit = view.period === "day" ? "day" : "week";
  const colOf = new Map(periods.map((p, i) => [p, i]));
  const sites = new Map((view.sites || []).map((s, i) => [s.site_id, { ...s, index: i }]));
  const bases = new Map((view.bases || []).map((b) => [b.base_id, b]));

  // The period holding an ISO date: the last period starting on or before it.
  const periodOf = (iso) => {
    if (colOf.has(iso)) return colOf.get(iso);
    let lo = 0;
    let hi = periods.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (periods[mid] <= iso) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };

  const barsOf = new Map();
  for (const r of view.rotations || []) {
    let col = periodOf(r.start);
    let endCol = r.end ? periodOf(r.end) : col + (r.periods || 1) - 1;
    if (endCol < 0 || col >= periods.length) continue;
    col = Math.max(col, 0);
    endCol = Math.min(endCol, periods.length - 1);
    if (endCol < col) continue;
    const list = barsOf.get(r.person_id) || [];
    list.push({ site: r.site_id, col, span: endCol - col + 1, start: r.start, end: r.end });
    barsOf.set(r.person_id, list);
  }
  const pinsOf = new Map();
  for (const p of view.pins || []) {
    const col = colOf.get(p.period_start);
    if (col === undefined) continue;
    const pins = pinsOf.get(p.person_id) || new Map();
    pins.set(col, p.site_id);
    pinsOf.set(p.person_id, pins);
  }

  const officers = (view.officers || []).map((o) => {
    const bars = (barsOf.get(o.person_id) || []).sort((a, b) => a.col - b.col);
    const siteAt = new Array(periods.length).fill(null);
    for (const bar of bars) for (let c = bar.col; c < bar.col + bar.span; c += 1) siteAt[c] = bar.site;
    const base = bases.get(o.base_id);
    return {
      id: o.person_id,
      name: o.name,
      base: o.base_id,
      baseName: base ? base.name : o.base_id,
      quals: new Set((o.qualifications || []).map((q) => String(q).split("@")[0])),
      sites: new Set(bars.map((b) => b.site)),
      search: `${o.name} ${o.person_id}`.toLowerCase(),
      bars,
      siteAt,
      pins: pinsOf.get(o.person_id) || new Map(),
    };
  });

  const periodLabels = periods.map((p) => {
    const { y, m, d } = parseISO(p);
    return unit === "week" ? `Week of ${d} ${MONTHS[m - 1]} ${y}` : `${d} ${MONTHS[m - 1]} ${y}`;
  });

  const monthStarts = new Set();
  periods.forEach((p, c) => {
    if (c > 0 && p.slice(0, 7) !== periods[c - 1].slice(0, 7)) monthStarts.add(c);
  });

  return {
    periods,
    unit,
    monthStarts,
    periodLabels,
    sites,
    officers,
    siteLabel(id) {
      const site = sites.get(id);
      return site ? `${site.name} (${id})` : id;
    },
    siteClass(id) {
      const site = sites.get(id);
      if (!site) return "sp-gantt__site--unknown";
      const colour = site.index % PALETTE_SIZE;
      const pattern = Math.floor(site.index / PALETTE_SIZE) % PATTERNS;
      return `sp-gantt__site--c${colour}${pattern ? ` sp-gantt__site--p${pattern}` : ""}`;
    },
  };
}

function normaliseFilter(filter) {
  const f = filter || {};
  return {
    base: f.base || "",
    qualification: f.qualification || "",
    site: f.site || "",
    search: String(f.search || "").trim().toLowerCase(),
  };
}

function matches(officer, f) {
  if (f.base && officer.base !== f.base) return false;
  if (f.qualification && !officer.quals.has(f.qualification)) return false;
  if (f.site && !officer.sites.has(f.site)) return false;
  if (f.search && !officer.search.includes(f.search)) return false;
  return true;
}

// ---------------------------------------------------------------------------- header, legend

function buildHeader(model) {
  const head = el("div", "sp-gantt__head");
  head.setAttribute("role", "rowgroup");

  // Month labels: presentational, the column headers carry the full dates.
  const months = el("div", "sp-gantt__months");
  months.setAttribute("aria-hidden", "true");
  months.append(el("div", "sp-gantt__months-corner"));
  let start = 0;
  for (let c = 1; c <= model.periods.length; c += 1) {
    const key = (p) => p.slice(0, 7);
    if (c === model.periods.length || key(model.periods[c]) !== key(model.periods[start])) {
      const { y, m } = parseISO(model.periods[start]);
      const month = el("div", "sp-gantt__month", c - start >= 2 ? `${MONTHS[m - 1]} ${y}` : MONTHS[m - 1]);
      month.style.gridColumn = `${start + 2} / span ${c - start}`;
      months.append(month);
      start = c;
    }
  }

  const row = el("div", "sp-gantt__row sp-gantt__row--head");
  row.setAttribute("role", "row");
  row.setAttribute("aria-rowindex", "1");
  const corner = el("div", "sp-gantt__corner", "Officer");
  corner.setAttribute("role", "columnheader");
  corner.setAttribute("aria-colindex", "1");
  row.append(corner);
  model.periods.forEach((p, c) => {
    const tick = el("div", "sp-gantt__tick");
    tick.setAttribute("role", "columnheader");
    tick.setAttribute("aria-colindex", String(c + 2));
    tick.dataset.period = p;
    if (model.monthStarts.has(c)) tick.classList.add("sp-gantt__tick--month");
    const day = el("span", "", String(parseISO(p).d));
    day.setAttribute("aria-hidden", "true");
    tick.append(day, el("span", "sp-gantt__sr", model.periodLabels[c]));
    tick.title = model.periodLabels[c];
    row.append(tick);
  });
  head.append(months, row);
  return head;
}

function buildLegend(model) {
  const list = el("ul", "sp-gantt__legend");
  list.setAttribute("aria-label", "Sites");
  if (model.sites.size > LEGEND_NAMES_MAX) list.classList.add("sp-gantt__legend--compact");
  for (const [id, site] of model.sites) {
    const item = el("li", "sp-gantt__legend-item");
    item.title = site.name;
    const swatch = el("span", `sp-gantt__swatch ${model.siteClass(id)}`);
    swatch.append(el("span", "sp-gantt__code", id));
    item.append(swatch, el("span", "sp-gantt__legend-name", site.name));
    list.append(item);
  }
  const pinned = el("li", "sp-gantt__legend-item sp-gantt__legend-item--pin");
  const lock = lockGlyph();
  lock.classList.add("sp-gantt__legend-lock");
  pinned.append(lock, el("span", "sp-gantt__legend-name", "pinned"));
  list.append(pinned);
  return list;
}

// ---------------------------------------------------------------------------- helpers

const SVG = "http://www.w3.org/2000/svg";

function lockGlyph() {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 12 14");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const shackle = document.createElementNS(SVG, "path");
  shackle.setAttribute("d", "M3.5 6V4.2a2.5 2.5 0 0 1 5 0V6");
  shackle.setAttribute("class", "sp-gantt__lock-shackle");
  const body = document.createElementNS(SVG, "rect");
  body.setAttribute("x", "1.5");
  body.setAttribute("y", "6");
  body.setAttribute("width", "9");
  body.setAttribute("height", "7");
  body.setAttribute("rx", "1.5");
  body.setAttribute("class", "sp-gantt__lock-body");
  svg.append(shackle, body);
  return svg;
}


const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);
const plural = (n, word) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

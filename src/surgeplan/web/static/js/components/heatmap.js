// Coverage heat map: sites × periods, each cell "deployed/required".
//
// An HTML table with role="grid" (caption, column headers = periods, row headers = sites)
// so screen readers announce site and week with every cell. Arrow keys move between cells
// (roving tabindex); a cell with explanations (`shortfalls`) holds a real <button>, so click,
// Enter and Space all select it. Colour follows a cividis-like sequential scale (light =
// demand met, dark = far short); a shortfall is also written ("−2") and hatched, so colour
// is never the only cue. The view is aggregate: it works when officer names are hidden.

import { el, parseISO } from "./util.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MINUS = "\u2212";

// Coverage ratio bins, lightest (met) first; the legend is generated from this list.
const BINS = [
  { min: 1, label: "100% or more" },
  { min: 0.75, label: "75–99%" },
  { min: 0.5, label: "50–74%" },
  { min: 0.25, label: "25–49%" },
  { min: -Infinity, label: "under 25%" },
];

/**
 * Render the heat map into `container` (its previous content is replaced).
 *
 * @param {HTMLElement} container
 * @param {object} view  the plan view JSON (periods, sites, coverage)
 * @param {object} [options]
 * @param {(cell: {site_id: string, period_start: string, coverage: object}) => void} [options.onSelect]
 *        called when a cell with explanations is clicked or activated from the keyboard
 * @param {string} [options.caption]  table caption
 * @returns {{select(site_id: string, period_start: string): boolean, destroy(): void}}
 */
export function renderHeatmap(container, view, options = {}) {
  const periods = view.periods || [];
  const sites = view.sites || [];
  const unit = view.period === "day" ? "day" : "week";
  const byKey = new Map();
  for (const c of view.coverage || []) byKey.set(key(c.site_id, c.period_start), c);

  const root = el("div", "sp-heatmap");
  const scroller = el("div", "sp-heatmap__scroller");
  const table = el("table", "sp-heatmap__table");
  table.setAttribute("role", "grid");
  table.setAttribute("aria-readonly", "true");
  root.style.setProperty("--sp-heatmap-cols", String(Math.max(periods.length, 1)));
  const caption = el("caption", "sp-heatmap__caption");
  caption.append(
    el("span", "sp-heatmap__title", options.caption || `Coverage by site and ${unit}`),
    el(
      "span",
      "sp-heatmap__hint",
      "Each cell: officers deployed / required. Marked cells are short; select one to see why.",
    ),
  );
  table.append(caption);

  // Header: periods, with the month written on its first column.
  const thead = el("thead");
  const headRow = el("tr");
  const corner = th("col", "sp-heatmap__corner", "Site");
  headRow.append(corner);
  periods.forEach((p, c) => {
    const { y, m, d } = parseISO(p);
    const cell = th("col", "sp-heatmap__period");
    const firstOfMonth = c === 0 || periods[c - 1].slice(0, 7) !== p.slice(0, 7);
    if (firstOfMonth) cell.classList.add("sp-heatmap__period--month");
    const month = el("span", "sp-heatmap__month", firstOfMonth ? MONTHS[m - 1] : "");
    month.setAttribute("aria-hidden", "true");
    const day = el("span", "sp-heatmap__day", String(d));
    day.setAttribute("aria-hidden", "true");
    cell.append(month, day, sr(`${unit === "week" ? "Week of " : ""}${d} ${MONTHS[m - 1]} ${y}`));
    cell.dataset.period = p;
    headRow.append(cell);
  });
  headRow.append(th("col", "sp-heatmap__total-head", "Total short"));
  thead.append(headRow);

  // Body: one row per site.
  const tbody = el("tbody");
  const grid = []; // grid[r][c] = td
  const periodShort = new Array(periods.length).fill(0);
  sites.forEach((site, r) => {
    const tr = el("tr");
    tr.dataset.site = site.site_id;
    const header = th("row", "sp-heatmap__site");
    header.append(el("span", "sp-heatmap__site-name", site.name), el("span", "sp-heatmap__site-code", site.site_id));
    tr.append(header);
    let total = 0;
    const cells = [];
    periods.forEach((p, c) => {
      const coverage = byKey.get(key(site.site_id, p));
      const td = buildCell(site, p, coverage);
      td.dataset.row = String(r);
      td.dataset.col = String(c);
      if (coverage) {
        total += coverage.short || 0;
        periodShort[c] += coverage.short || 0;
      }
      cells.push(td);
      tr.append(td);
    });
    const totalCell = el("td", "sp-heatmap__total", total ? `${MINUS}${total}` : "0");
    if (total) totalCell.classList.add("is-short");
    totalCell.dataset.total = String(total);
    tr.append(totalCell);
    grid.push(cells);
    tbody.append(tr);
  });

  // Footer: shortfall per period across sites.
  const tfoot = el("tfoot");
  const footRow = el("tr");
  footRow.append(th("row", "sp-heatmap__site sp-heatmap__site--total", "All sites short"));
  let grand = 0;
  for (const s of periodShort) {
    grand += s;
    footRow.append(el("td", "sp-heatmap__foot", s ? `${MINUS}${s}` : "0"));
  }
  const grandCell = el("td", "sp-heatmap__total sp-heatmap__grand", grand ? `${MINUS}${grand}` : "0");
  grandCell.dataset.total = String(grand);
  footRow.append(grandCell);
  tfoot.append(footRow);

  table.append(thead, tbody, tfoot);
  scroller.append(table);
  root.append(scroller, buildLegend());
  container.replaceChildren(root);

  // ------------------------------------------------------------------ behaviour
  let active = grid.length && grid[0].length ? grid[0][0] : null;
  // The first cell with an explanation is the natural first tab stop.
  const firstExplained = tbody.querySelector("td.has-explanation");
  if (firstExplained) active = firstExplained;
  if (active) focusTarget(active).tabIndex = 0;
  let selected = null;

  function focusTarget(td) {
    return td.querySelector("button") || td;
  }

  function moveTo(r, c) {
    if (!grid.length) return;
    const row = clamp(r, 0, grid.length - 1);
    const col = clamp(c, 0, grid[row].length - 1);
    const td = grid[row][col];
    if (!td) return;
    if (active) focusTarget(active).tabIndex = -1;
    active = td;
    const target = focusTarget(td);
    target.tabIndex = 0;
    target.focus();
  }

  function markSelected(td) {
    if (selected) {
      selected.classList.remove("is-selected");
      selected.removeAttribute("aria-selected");
    }
    selected = td;
    if (td) {
      td.classList.add("is-selected");
      td.setAttribute("aria-selected", "true");
    }
  }

  function onClick(event) {
    const button = event.target.closest("button.sp-heatmap__button");
    if (!button || !tbody.contains(button)) return;
    const td = button.closest("td");
    if (active !== td) {
      if (active) focusTarget(active).tabIndex = -1;
      active = td;
      button.tabIndex = 0;
    }
    markSelected(td);
    if (typeof options.onSelect === "function") {
      const coverage = byKey.get(key(td.dataset.site, td.dataset.period));
      options.onSelect({ site_id: td.dataset.site, period_start: td.dataset.period, coverage });
    }
  }

  function onKeyDown(event) {
    const td = event.target.closest("td[data-col]");
    if (!td || !tbody.contains(td)) return;
    const r = Number(td.dataset.row);
    const c = Number(td.dataset.col);
    const ctrl = event.ctrlKey || event.metaKey;
    switch (event.key) {
      case "ArrowRight": moveTo(r, c + 1); break;
      case "ArrowLeft": moveTo(r, c - 1); break;
      case "ArrowDown": moveTo(r + 1, c); break;
      case "ArrowUp": moveTo(r - 1, c); break;
      case "Home": moveTo(ctrl ? 0 : r, 0); break;
      case "End": moveTo(ctrl ? grid.length - 1 : r, periods.length - 1); break;
      default:
        return; // Enter and Space reach the button natively
    }
    event.preventDefault();
  }

  function onFocusIn(event) {
    const td = event.target.closest("td[data-col]");
    if (!td || td === active || !tbody.contains(td)) return;
    if (active) focusTarget(active).tabIndex = -1;
    active = td;
    focusTarget(td).tabIndex = 0;
  }

  table.addEventListener("click", onClick);
  table.addEventListener("keydown", onKeyDown);
  table.addEventListener("focusin", onFocusIn);

  return {
    select(siteId, periodStart) {
      const td = tbody.querySelector(
        `td[data-site="${cssEscape(siteId)}"][data-period="${cssEscape(periodStart)}"]`,
      );
      markSelected(td || null);
      if (!td) return false;
      if (active) focusTarget(active).tabIndex = -1;
      active = td;
      focusTarget(td).tabIndex = 0;
      const box = td.getBoundingClientRect();
      const view = scroller.getBoundingClientRect();
      if (box.left < view.left || box.right > view.right) {
        scroller.scrollLeft += box.left - view.left - view.width / 2 + box.width / 2;
      }
      return true;
    },
    destroy() {
      table.removeEventListener("click", onClick);
      table.removeEventListener("keydown", onKeyDown);
      table.removeEventListener("focusin", onFocusIn);
      container.replaceChildren();
    },
  };
}

function buildCell(site, period, coverage) {
  const td = el("td", "sp-heatmap__cell");
  td.dataset.site = site.site_id;
  td.dataset.period = period;
  td.tabIndex = -1;
  if (!coverage) {
    td.classList.add("sp-heatmap__cell--none");
    td.append(el("span", "sp-heatmap__value", "—"), sr("no data"));
    return td;
  }
  const { deployed, required } = coverage;
  const short = coverage.short || 0;
  if (!required) td.classList.add("sp-heatmap__cell--none");
  else td.classList.add(`sp-heatmap__cell--b${binOf(deployed / required)}`);

  const parts = [el("span", "sp-heatmap__value", `${deployed}/${required}`)];
  let spoken = `${deployed} deployed of ${required} required`;
  if (short > 0) {
    td.classList.add("is-short");
    td.dataset.short = String(short);
    parts.push(el("span", "sp-heatmap__short", `${MINUS}${short}`));
    spoken += `, ${short} short`;
  }
  const explained = Array.isArray(coverage.shortfalls) && coverage.shortfalls.length > 0;
  if (explained) spoken += "; show explanation";
  parts.push(sr(spoken));
  for (const part of parts.slice(0, -1)) part.setAttribute("aria-hidden", "true");

  if (explained) {
    td.classList.add("has-explanation");
    td.removeAttribute("tabindex");
    const button = el("button", "sp-heatmap__button");
    button.type = "button";
    button.tabIndex = -1;
    button.append(...parts);
    td.append(button);
  } else {
    const wrap = el("span", "sp-heatmap__inner");
    wrap.append(...parts);
    td.append(wrap);
  }
  return td;
}

function buildLegend() {
  const legend = el("div", "sp-heatmap__legend");
  legend.setAttribute("role", "group");
  legend.setAttribute("aria-label", "Legend");
  legend.append(el("span", "sp-heatmap__legend-title", "Deployed ÷ required"));
  const scale = el("ul", "sp-heatmap__legend-scale");
  BINS.forEach((bin, i) => {
    const item = el("li", "sp-heatmap__legend-item");
    const swatch = el("span", `sp-heatmap__swatch sp-heatmap__cell--b${i}`);
    swatch.setAttribute("aria-hidden", "true");
    item.append(swatch, el("span", "", bin.label));
    scale.append(item);
  });
  const none = el("li", "sp-heatmap__legend-item");
  const noneSwatch = el("span", "sp-heatmap__swatch sp-heatmap__cell--none");
  noneSwatch.setAttribute("aria-hidden", "true");
  none.append(noneSwatch, el("span", "", "nothing required"));
  scale.append(none);

  const marks = el("ul", "sp-heatmap__legend-marks");
  const short = el("li", "sp-heatmap__legend-item");
  const shortSample = el("span", "sp-heatmap__swatch sp-heatmap__swatch--short is-short", `${MINUS}2`);
  shortSample.setAttribute("aria-hidden", "true");
  short.append(shortSample, el("span", "", "officers short (headcount or qualification), hatched"));
  const explained = el("li", "sp-heatmap__legend-item");
  const explainedSample = el("span", "sp-heatmap__swatch sp-heatmap__swatch--explained has-explanation");
  explainedSample.setAttribute("aria-hidden", "true");
  explained.append(explainedSample, el("span", "", "corner mark: explanation available"));
  marks.append(short, explained);
  legend.append(scale, marks);
  return legend;
}

function binOf(ratio) {
  return BINS.findIndex((bin) => ratio >= bin.min);
}

function th(scope, className, text) {
  const cell = el("th", className, text);
  cell.scope = scope;
  return cell;
}

function sr(text) {
  return el("span", "sp-heatmap__sr", text);
}


const key = (site, period) => `${site}\u0000${period}`;
const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);
const cssEscape = (s) => (window.CSS && CSS.escape ? CSS.escape(String(s)) : String(s).replace(/["\\]/g, "\\$&"));

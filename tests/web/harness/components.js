// Test harness for the Gantt and heat-map components: mounts both on a plan view, wires a
// filter form and a selection panel the way the workspace does, and exposes
// `window.spHarness` so browser tests can drive and inspect them.
//
// Query parameters: view=URL of a plan view (default: the built-in sample beside this page),
// show=gantt|heatmap|both (default both), mount=0 to load nothing (timing runs).

import { renderGantt } from "/static/js/components/gantt.js";
import { renderHeatmap } from "/static/js/components/heatmap.js";

const params = new URLSearchParams(location.search);
const ganttHost = document.getElementById("gantt");
const heatmapHost = document.getElementById("heatmap");
const selection = document.getElementById("selection");
const controls = {
  base: document.getElementById("filter-base"),
  qualification: document.getElementById("filter-qualification"),
  site: document.getElementById("filter-site"),
  search: document.getElementById("filter-search"),
};

const harness = {
  events: [],
  view: null,
  gantt: null,
  heatmap: null,
  renderGantt,
  renderHeatmap,
  async load(url) {
    const reply = await fetch(url);
    if (!reply.ok) throw new Error(`${url}: ${reply.status}`);
    return reply.json();
  },
  mountGantt(view, options = {}) {
    if (harness.gantt) harness.gantt.destroy();
    fillFilters(view);
    harness.gantt = renderGantt(ganttHost, view, { onCell, ...options });
    return harness.gantt;
  },
  mountHeatmap(view, options = {}) {
    if (harness.heatmap) harness.heatmap.destroy();
    harness.heatmap = renderHeatmap(heatmapHost, view, { onSelect, ...options });
    return harness.heatmap;
  },
  filter() {
    return Object.fromEntries(Object.entries(controls).map(([k, input]) => [k, input.value]));
  },
};
window.spHarness = harness;

function onCell(cell) {
  harness.events.push({ type: "cell", ...cell });
  const officer = (harness.view?.officers || []).find((o) => o.person_id === cell.person_id);
  const where = cell.site_id ? `at ${siteName(cell.site_id)}` : "at home";
  show(
    officer ? `${officer.name} (${cell.person_id})` : cell.person_id,
    `Week of ${cell.period_start}: ${where}${cell.pinned ? " · pinned" : ""}`,
  );
}

function onSelect(cell) {
  harness.events.push({ type: "select", ...cell });
  const c = cell.coverage;
  show(
    `${siteName(cell.site_id)}, week of ${cell.period_start}`,
    `${c.deployed} deployed of ${c.required} required; ${c.short} short.`,
    c.shortfalls.map((s) => s.reason),
  );
}

function show(title, line, items = []) {
  const h = document.createElement("h3");
  h.textContent = title;
  const p = document.createElement("p");
  p.textContent = line;
  const list = document.createElement("ul");
  for (const item of items) {
    const li = document.createElement("li");
    li.textContent = item;
    list.append(li);
  }
  selection.replaceChildren(h, p, ...(items.length ? [list] : []));
}

function siteName(id) {
  const site = (harness.view?.sites || []).find((s) => s.site_id === id);
  return site ? site.name : id;
}

function fillFilters(view) {
  const options = (select, pairs) => {
    select.replaceChildren(select.options[0]);
    for (const [value, label] of pairs) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = label;
      select.append(option);
    }
  };
  options(controls.base, (view.bases || []).map((b) => [b.base_id, b.name]));
  const quals = [...new Set((view.officers || []).flatMap((o) => o.qualifications))].sort();
  options(controls.qualification, quals.map((q) => [q, q]));
  options(controls.site, (view.sites || []).map((s) => [s.site_id, `${s.name} (${s.site_id})`]));
  controls.search.value = "";
}

const applyFilter = () => harness.gantt && harness.gantt.setFilter(harness.filter());
for (const select of [controls.base, controls.qualification, controls.site]) {
  select.addEventListener("change", applyFilter);
}
controls.search.addEventListener("input", applyFilter);
document.getElementById("filters").addEventListener("submit", (event) => event.preventDefault());

async function main() {
  const showing = params.get("show") || "both";
  document.body.dataset.show = showing;
  if (params.get("mount") !== "0") {
    const view = await harness.load(params.get("view") || "/harness/view-builtin.json");
    harness.view = view;
    const summary = view.plan && view.plan.summary && view.plan.summary.scenario;
    if (summary) document.getElementById("plan-title").textContent = summary;
    if (showing !== "heatmap") harness.mountGantt(view);
    if (showing !== "gantt") harness.mountHeatmap(view);
  }
  document.documentElement.dataset.ready = "true";
}

main().catch((error) => {
  document.documentElement.dataset.ready = "error";
  throw error;
});

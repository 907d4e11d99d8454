// A plan: summary, Gantt, coverage heat map with explanations, map, costs, fairness,
// exports; pins, leave and re-planning from the Gantt; the impact of a re-plan.

import { get, post, request, upload } from "../api.js";
import { h, clear, say, flash, reload, money, table, download, scroller, gap } from "../dom.js";
import { parseCsv, toCsv } from "../csv.js";
import { renderGantt } from "../components/gantt.js";
import { renderHeatmap } from "../components/heatmap.js";
import { renderMap } from "../components/map.js";
import { canEdit } from "./roles.js";

const TABS = [
  ["gantt", "Gantt"],
  ["coverage", "Coverage"],
  ["map", "Map"],
  ["costs", "Costs"],
  ["fairness", "Fairness"],
  ["exports", "Exports"],
];

export async function planView(main, id, session) {
  const view = await get(`/api/plans/${id}/view`);
  const plan = view.plan;
  const s = plan.summary;
  const editable = canEdit(session);
  main.append(
    h("h1", {}, `Plan ${plan.id}`),
    h(
      "p",
      { class: "meta" },
      h("a", { href: `#/scenarios/${plan.scenario_id}` }, `Scenario ${plan.scenario_id}`),
      ` version ${plan.scenario_version} · ${plan.status.toLowerCase()} · solved in ${s.solve_seconds} s`,
      plan.accepted ? h("strong", { class: "badge", id: "accepted" }, "accepted") : null,
    ),
    h(
      "dl",
      { class: "facts", id: "plan-facts" },
      h("dt", {}, "Shortfall"),
      h("dd", { "data-fact": "shortfall" }, `${plan.shortfall} (weighted officer-weeks)`),
      h("dt", {}, "Cost"),
      h("dd", { "data-fact": "cost" }, money(plan.cost_usd)),
      h("dt", {}, "Officers deployed"),
      h("dd", {}, String(s.deployed_officers)),
      h("dt", {}, "Gap"),
      h("dd", {}, `shortfall ${gap(s.gap_pct.shortfall)}, cost ${gap(s.gap_pct.cost)}`),
    ),
  );
  if (plan.previous_plan_id && editable) main.append(await impactCard(plan));
  const side = h("aside", { class: "side", id: "side", "aria-live": "polite" });
  const panel = h("section", { id: "plan-panel", class: "panel", role: "tabpanel" });
  const bar = h(
    "div",
    { role: "tablist", class: "tabs", "aria-label": "Plan views" },
    TABS.map(([key, label], i) =>
      h("button", { role: "tab", type: "button", id: `tab-${key}`, "aria-selected": String(i === 0), onclick: () => show(key) }, label),
    ),
  );
  main.append(bar, h("div", { class: "workspace" }, panel, side));
  if (editable) main.append(replanForm(plan, view));
  const context = { id, view, plan, side, editable, session };
  function show(key) {
    for (const b of bar.querySelectorAll("button")) b.setAttribute("aria-selected", String(b.id === `tab-${key}`));
    clear(panel);
    clear(side);
    ({ gantt, coverage, map, costs, fairness, exports })[key](panel, context);
  }
  show("gantt");
}

function gantt(panel, ctx) {
  const { view } = ctx;
  if (view.names_hidden) {
    panel.append(h("p", { class: "note", id: "names-hidden" }, "Officer names are hidden for your role; the coverage, map and cost views show the plan in aggregate."));
    return;
  }
  const quals = [...new Set(view.officers.flatMap((o) => o.qualifications))].sort();
  const filter = { base: "", qualification: "", site: "", search: "" };
  const select = (key, label, values) =>
    h("label", {}, `${label} `, h("select", { id: `filter-${key}`, onchange: (e) => update(key, e.target.value) }, h("option", { value: "" }, "all"), values.map((v) => h("option", { value: v }, v))));
  const search = h("input", { id: "filter-search", type: "search", placeholder: "name or id" });
  search.addEventListener("input", () => update("search", search.value));
  panel.append(
    h(
      "div",
      { class: "toolbar filters" },
      select("base", "Base", view.bases.map((b) => b.base_id)),
      select("qualification", "Qualification", quals),
      select("site", "Site", view.sites.map((x) => x.site_id)),
      h("label", {}, "Search ", search),
    ),
  );
  const host = h("div", { id: "gantt" });
  panel.append(host);
  const chart = renderGantt(host, view, { onCell: (cell) => cellPanel(ctx, cell) });
  function update(key, value) {
    filter[key] = value;
    chart.setFilter({ ...filter });
  }
}

function cellPanel(ctx, cell) {
  const { side, view, editable } = ctx;
  const officer = view.officers.find((o) => o.person_id === cell.person_id);
  clear(side).append(
    h("h2", {}, `${officer ? officer.name : cell.person_id}`),
    h("p", {}, `${cell.person_id}, week of ${cell.period_start}: ${cell.site_id ? `at ${cell.site_id}` : "at home"}${cell.pinned ? " (pinned)" : ""}`),
  );
  if (!editable) return;
  const actions = h("div", { class: "stack" });
  if (cell.pinned) actions.append(button("unpin", "Unpin", () => editPins(ctx, cell, null)));
  else {
    if (cell.site_id) actions.append(button("pin-here", `Pin to ${cell.site_id}`, () => editPins(ctx, cell, cell.site_id)));
    actions.append(button("pin-home", "Pin at home", () => editPins(ctx, cell, "HOME")));
  }
  actions.append(button("mark-unavailable", "Unavailable from this week", () => markUnavailable(ctx, cell)));
  side.append(actions);
}

const button = (id, label, action) => h("button", { type: "button", id, onclick: action }, label);

async function scenarioVersion(ctx) {
  const { etag } = await request("GET", `/api/scenarios/${ctx.plan.scenario_id}`);
  return Number(etag.replaceAll('"', ""));
}

async function editPins(ctx, cell, site) {
  const text = await request("GET", `/api/scenarios/${ctx.plan.scenario_id}/pins`).then((r) => r.body);
  const [header, ...rows] = parseCsv(text);
  const kept = rows.filter((r) => r.length === 3 && !(r[0] === cell.person_id && r[1] === cell.period_start));
  if (site) kept.push([cell.person_id, cell.period_start, site]);
  try {
    await upload(`/api/scenarios/${ctx.plan.scenario_id}/pins`, new Blob([toCsv([header, ...kept])]), "pins.csv", await scenarioVersion(ctx));
    say(site ? `Pinned ${cell.person_id} to ${site} in the week of ${cell.period_start}; re-plan to apply.` : `Unpinned ${cell.person_id}; re-plan to apply.`, "ok");
    ctx.view.pins = site
      ? [...ctx.view.pins.filter((p) => !(p.person_id === cell.person_id && p.period_start === cell.period_start)), { person_id: cell.person_id, period_start: cell.period_start, site_id: site }]
      : ctx.view.pins.filter((p) => !(p.person_id === cell.person_id && p.period_start === cell.period_start));
    document.getElementById("tab-gantt").click();
  } catch (error) {
    say(error.message, "error");
  }
}

async function markUnavailable(ctx, cell) {
  const end = ctx.view.periods[ctx.view.periods.length - 1];
  const last = new Date(`${end}T00:00:00Z`);
  last.setUTCDate(last.getUTCDate() + 6);
  const text = await request("GET", `/api/scenarios/${ctx.plan.scenario_id}/tables/unavailable`).then((r) => r.body);
  const next = `${text.trimEnd()}\n${cell.person_id},${cell.period_start},${last.toISOString().slice(0, 10)}\n`;
  try {
    await upload(`/api/scenarios/${ctx.plan.scenario_id}/tables/unavailable`, new Blob([next]), "unavailable.csv", await scenarioVersion(ctx));
    say(`${cell.person_id} is unavailable from ${cell.period_start}; re-plan from that week to apply.`, "ok");
    const since = document.getElementById("replan-since");
    if (since) since.value = cell.period_start;
  } catch (error) {
    say(error.message, "error");
  }
}

function replanForm(plan, view) {
  const since = h("select", { id: "replan-since" }, view.periods.map((p) => h("option", { value: p }, p)));
  const cap = h("input", { id: "replan-cap", type: "number", min: "0", placeholder: "no cap" });
  const seconds = h("input", { id: "replan-seconds", type: "number", min: "1", value: "30" });
  const form = h(
    "form",
    { class: "card inline", id: "replan-form", "aria-labelledby": "replan-h" },
    h("h2", { id: "replan-h" }, "Re-plan with minimal change"),
    h("label", { for: "replan-since" }, "From week"),
    since,
    h("label", { for: "replan-cap" }, "At most changes"),
    cap,
    h("label", { for: "replan-seconds" }, "Time limit (s)"),
    seconds,
    h("button", { type: "submit", id: "replan" }, "Re-plan"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { since: since.value, time_limit: Number(seconds.value) };
    if (cap.value !== "") body.max_changes = Number(cap.value);
    try {
      const job = await post(`/api/plans/${plan.id}/replan`, body);
      location.hash = `#/jobs/${job.id}`;
    } catch (error) {
      say(error.message, "error");
    }
  });
  return form;
}

async function impactCard(plan) {
  const text = await request("GET", `/api/plans/${plan.id}/impact`).then((r) => r.body);
  const [header, ...rows] = parseCsv(text);
  const accept = h("button", { type: "button", id: "accept-plan", disabled: plan.accepted }, plan.accepted ? "Accepted" : "Accept this plan");
  accept.addEventListener("click", async () => {
    await post(`/api/plans/${plan.id}/accept`);
    flash(`Plan ${plan.id} accepted.`);
    reload();
  });
  return h(
    "section",
    { class: "card", id: "impact" },
    h("h2", {}, `Impact of this re-plan: ${rows.length} officer${rows.length === 1 ? "" : "s"} get new orders`),
    scroller("Per-officer impact", table("Per-officer impact (from the previous plan)", header || [], rows)),
    h("div", { class: "toolbar" }, accept, h("a", { class: "button secondary", href: `#/compare/${plan.previous_plan_id}/${plan.id}` }, "Compare side by side")),
  );
}

function coverage(panel, ctx) {
  const host = h("div", { id: "heatmap" });
  panel.append(host);
  renderHeatmap(host, ctx.view, { onSelect: (cell) => explanation(ctx.side, ctx.view, cell) });
}

function explanation(side, view, { site_id, period_start, coverage: cell }) {
  const site = view.sites.find((x) => x.site_id === site_id);
  clear(side).append(
    h("h2", { id: "explanation-h" }, `${site ? site.name : site_id}, week of ${period_start}`),
    h("p", {}, `${cell.deployed} deployed of ${cell.required} required; ${cell.short} short.`),
    cell.shortfalls.length
      ? h("ul", { class: "plain", id: "explanation" }, cell.shortfalls.map((x) => h("li", {}, x.reason)))
      : h("p", { id: "explanation" }, "No shortfall here."),
  );
  side.querySelector("h2").setAttribute("tabindex", "-1");
  side.querySelector("h2").focus();
}

function map(panel, ctx) {
  const host = h("div", { id: "map" });
  panel.append(host);
  renderMap(host, ctx.view);
}

function costs(panel, { view }) {
  const total = Number(view.costs.total_usd) || 1;
  const bySite = Object.entries(view.costs.by_site).sort((a, b) => Number(b[1]) - Number(a[1]));
  const names = Object.fromEntries(view.sites.map((x) => [x.site_id, x.name]));
  panel.append(
    h("h2", {}, `Cost: ${money(view.costs.total_usd)}`),
    h(
      "ul",
      { class: "bars", id: "cost-by-site", "aria-label": "Cost by site" },
      bySite.map(([site, amount]) =>
        h("li", {}, h("span", { class: "bar-label" }, names[site] || site), barMeter(Number(amount) / total), h("span", { class: "bar-value" }, money(amount))),
      ),
    ),
    table("Cost by category", ["Category", "Amount"], Object.entries(view.costs.by_category).map(([k, v]) => [{ mie: "meals & incidentals", travel: "travel", lodging: "lodging" }[k] || k, money(v)])),
  );
}

const barMeter = (share) => {
  const meter = h("meter", { min: "0", max: "1", value: share.toFixed(4) });
  return meter;
};

function fairness(panel, { view }) {
  const histogram = view.deployed_histogram;
  const most = Math.max(...histogram.map(([, n]) => n), 1);
  panel.append(
    h("h2", {}, `Deployed ${view.period}s per officer`),
    h(
      "ul",
      { class: "bars", id: "fairness-histogram", "aria-label": `Officers by deployed ${view.period}s` },
      histogram.map(([weeks, officers]) => h("li", {}, h("span", { class: "bar-label" }, `${weeks} ${view.period}s`), barMeter(officers / most), h("span", { class: "bar-value" }, `${officers} officers`))),
    ),
  );
  if (!view.names_hidden) {
    const top = [...view.fairness].sort((a, b) => b.deployed_periods - a.deployed_periods).slice(0, 20);
    const names = Object.fromEntries(view.officers.map((o) => [o.person_id, o.name]));
    panel.append(table("Most deployed officers", ["Officer", `Deployed ${view.period}s`], top.map((f) => [`${names[f.person_id] || ""} (${f.person_id})`, String(f.deployed_periods)])));
  }
}

function exports(panel, { plan, view }) {
  const links = [];
  if (!view.names_hidden) {
    links.push(
      download(`/api/plans/${plan.id}/assignments?format=csv`, "Assignments (CSV)"),
      download(`/api/plans/${plan.id}/assignments?format=xlsx`, "Assignments (XLSX)"),
      download(`/api/plans/${plan.id}/rotations?format=csv`, "Rotations (CSV)"),
      download(`/api/plans/${plan.id}/rotations?format=xlsx`, "Rotations (XLSX)"),
      download(`/api/plans/${plan.id}/report`, "Report (HTML)"),
    );
    const officers = h("select", { id: "ics-officer" }, view.officers.map((o) => h("option", { value: o.person_id }, `${o.name} (${o.person_id})`)));
    const sites = h("select", { id: "ics-site" }, view.sites.map((x) => h("option", { value: x.site_id }, x.name)));
    const officerLink = h("a", { class: "button secondary", id: "ics-officer-link", download: "" }, "Officer calendar (.ics)");
    const siteLink = h("a", { class: "button secondary", id: "ics-site-link", download: "" }, "Site calendar (.ics)");
    const sync = () => {
      officerLink.href = `/api/plans/${plan.id}/calendar/officer/${encodeURIComponent(officers.value)}`;
      siteLink.href = `/api/plans/${plan.id}/calendar/site/${encodeURIComponent(sites.value)}`;
    };
    officers.addEventListener("change", sync);
    sites.addEventListener("change", sync);
    sync();
    panel.append(
      h("h2", {}, "Exports"),
      h("div", { class: "toolbar", id: "exports" }, links),
      h("div", { class: "toolbar" }, h("label", {}, "Officer ", officers), officerLink),
      h("div", { class: "toolbar" }, h("label", {}, "Site ", sites), siteLink),
    );
  } else {
    panel.append(h("p", { class: "note" }, "Exports list officers; they are not available to your role."));
  }
}

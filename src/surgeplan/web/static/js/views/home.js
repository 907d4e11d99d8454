// Home: scenarios with their latest plan, recent solves and plans, and bundle import.

import { get, request } from "../api.js";
import { h, money, say } from "../dom.js";
import { canEdit } from "./roles.js";

const statusText = (s) => ({ done: "done", failed: "failed", cancelled: "cancelled", running: "running…", queued: "queued" })[s] || s;

export async function homeView(main, session) {
  const [scenarios, jobs, plans] = await Promise.all([get("/api/scenarios"), get("/api/jobs"), get("/api/plans")]);
  main.append(h("h1", {}, "Scenarios & plans"));
  main.append(
    h(
      "table",
      { class: "data", id: "scenarios" },
      h("caption", {}, "Scenarios"),
      h("thead", {}, h("tr", {}, ["Scenario", "Version", "Updated", "Plans", "Latest plan"].map((c) => h("th", { scope: "col" }, c)))),
      h(
        "tbody",
        {},
        scenarios.map((s) =>
          h(
            "tr",
            {},
            h("td", {}, h("a", { href: `#/scenarios/${s.id}` }, s.name)),
            h("td", {}, `v${s.version}`),
            h("td", {}, new Date(s.updated_at).toLocaleString()),
            h("td", {}, String(s.plans)),
            h(
              "td",
              {},
              s.latest_plan
                ? h("a", { href: `#/plans/${s.latest_plan.id}` }, `Plan ${s.latest_plan.id}: ${s.latest_plan.shortfall} short, ${money(s.latest_plan.cost_usd)}`)
                : "none yet",
            ),
          ),
        ),
      ),
    ),
  );
  if (canEdit(session)) main.append(importForm());
  main.append(
    h(
      "div",
      { class: "columns" },
      h(
        "section",
        { "aria-labelledby": "jobs-h" },
        h("h2", { id: "jobs-h" }, "Recent solves"),
        jobs.length
          ? h("ul", { class: "plain", id: "jobs" }, jobs.slice(0, 10).map((j) =>
              h("li", {}, h("a", { href: `#/jobs/${j.id}` }, `Job ${j.id} (${j.kind})`), ` — ${statusText(j.status)}`)))
          : h("p", {}, "No solves yet."),
      ),
      h(
        "section",
        { "aria-labelledby": "plans-h" },
        h("h2", { id: "plans-h" }, "Plans"),
        plans.length
          ? h("ul", { class: "plain", id: "plans" }, plans.slice(0, 10).map((p) =>
              h("li", {}, h("a", { href: `#/plans/${p.id}` }, `Plan ${p.id}`), ` — scenario ${p.scenario_id} v${p.scenario_version}, ${p.status.toLowerCase()}, ${p.shortfall} short, ${money(p.cost_usd)}`)))
          : h("p", {}, "No plans yet."),
      ),
    ),
  );
}

function importForm() {
  const input = h("input", { type: "file", id: "bundle-file", accept: ".zip,.yaml,.yml", required: true });
  const form = h(
    "form",
    { class: "card inline", id: "import-form" },
    h("label", { for: "bundle-file" }, "Import a scenario bundle (.zip of scenario.yaml and CSVs, or one .yaml)"),
    input,
    h("button", { type: "submit" }, "Import"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = new FormData();
    body.append("file", input.files[0]);
    try {
      const { body: created } = await request("POST", "/api/scenarios", { form: body });
      location.hash = `#/scenarios/${created.id}`;
    } catch (error) {
      const first = (error.body && Array.isArray(error.body.errors) && error.body.errors[0]) || null;
      say(first ? `${first.file}:${first.line ?? ""} ${first.message}` : error.message, "error");
    }
  });
  return form;
}

// A scenario: rules, its tables (download, upload, the demand grid editor) and Solve.

import { get, post, request, upload, ApiError } from "../api.js";
import { h, clear, say, flash, reload, download, scroller } from "../dom.js";
import { parseCsv, toCsv } from "../csv.js";
import { canEdit, seesNames } from "./roles.js";

const TABLES = ["demand", "people", "bases", "sites", "unavailable", "requests", "per_diem", "travel"];
const NAME_TABLES = ["people", "unavailable", "requests"];

export async function scenarioView(main, id, session) {
  const { body: scenario, etag } = await request("GET", `/api/scenarios/${id}`);
  const editable = canEdit(session);
  main.append(
    h("h1", {}, scenario.name),
    h(
      "p",
      { class: "meta", id: "scenario-meta" },
      `Version ${scenario.version} · ${scenario.start} to ${scenario.end} · ${scenario.periods} ${scenario.period}s · `,
      `${scenario.counts.people} officers, ${scenario.counts.sites} sites`,
    ),
  );
  if (scenario.warnings.length) main.append(warningsCard(scenario.warnings));
  if (editable) main.append(solveForm(id));
  main.append(rulesCard(scenario, etag, editable));
  const tabs = TABLES.filter((t) => seesNames(session) || !NAME_TABLES.includes(t));
  const panel = h("section", { id: "table-panel", "aria-live": "polite" });
  const bar = h(
    "div",
    { role: "tablist", class: "tabs", "aria-label": "Tables" },
    tabs.map((t, i) =>
      h("button", { role: "tab", type: "button", id: `tab-${t}`, "aria-selected": String(i === 0), onclick: () => show(t) }, t.replace("_", " ")),
    ),
  );
  main.append(bar, panel);
  async function show(table) {
    for (const b of bar.querySelectorAll("button")) b.setAttribute("aria-selected", String(b.id === `tab-${table}`));
    clear(panel);
    const response = await request("GET", `/api/scenarios/${id}/tables/${table}`);
    const rows = parseCsv(response.body);
    const version = Number(response.etag.replaceAll('"', ""));
    panel.append(
      h(
        "div",
        { class: "toolbar" },
        download(`/api/scenarios/${id}/tables/${table}?format=csv`, `Download ${table}.csv`),
        download(`/api/scenarios/${id}/tables/${table}?format=xlsx`, `Download ${table}.xlsx`),
        editable ? uploadForm(id, table, version) : null,
      ),
    );
    if (table === "demand") panel.append(demandGrid(id, scenario, rows, version, editable));
    else panel.append(plainTable(table, rows, id, version, editable));
  }
  await show(tabs[0]);
}

function solveForm(id) {
  const seconds = h("input", { id: "time-limit", type: "number", min: "1", max: "3600", value: "30" });
  const form = h(
    "form",
    { class: "card inline", id: "solve-form" },
    h("label", { for: "time-limit" }, "Time limit (s)"),
    seconds,
    h("button", { type: "submit", id: "solve" }, "Solve"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const job = await post(`/api/scenarios/${id}/solve`, { time_limit: Number(seconds.value) });
    location.hash = `#/jobs/${job.id}`;
  });
  return form;
}

// Rows the scenario allows but that are likely mistakes (e.g. demand for a qualification
// no one holds): named with their file and line, above the plan they would leave short.
function warningsCard(warnings) {
  return h(
    "section",
    { class: "card warnings", id: "scenario-warnings", "aria-labelledby": "warnings-h" },
    h("h2", { id: "warnings-h" }, "Check before solving"),
    h("ul", {}, warnings.map((w) => h("li", {}, w))),
  );
}

function rulesCard(scenario, etag, editable) {
  const rules = scenario.rules;
  const fields = ["rotation_min", "rotation_max", "rest_min", "deployed_max", "budget_usd"];
  const inputs = Object.fromEntries(
    fields.map((f) => [f, h("input", { id: `rule-${f}`, value: rules[f] ?? "", inputmode: "decimal", disabled: !editable, placeholder: "off" })]),
  );
  const form = h(
    "form",
    { class: "card rules", id: "rules-form", "aria-labelledby": "rules-h" },
    h("h2", { id: "rules-h" }, "Rules"),
    h("div", { class: "grid-form" }, fields.map((f) => [h("label", { for: `rule-${f}` }, f.replace("_", " ")), inputs[f]])),
    editable ? h("button", { type: "submit" }, "Save rules") : null,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const next = { ...rules };
    for (const f of fields) {
      const text = inputs[f].value.trim();
      const bad = text !== "" && !(f === "budget_usd" ? /^\d+(\.\d{1,2})?$/ : /^\d+$/).test(text);
      inputs[f].setAttribute("aria-invalid", bad ? "true" : "false");
      if (bad) {
        say(`${f.replace("_", " ")}: '${text}' is not ${f === "budget_usd" ? "an amount like 2500000.00" : "a whole number"}; leave it empty to turn the rule off`, "error");
        inputs[f].focus();
        return;
      }
      next[f] = text === "" ? null : f === "budget_usd" ? text : Number(text);
    }
    try {
      await request("PUT", `/api/scenarios/${scenario.id}/rules`, { json: next, headers: { "If-Match": etag } });
      flash("Rules saved as a new version.");
      reload();
    } catch (error) {
      say(error.message, "error");
    }
  });
  return form;
}

function uploadForm(id, table, version) {
  const input = h("input", { type: "file", id: `upload-${table}`, accept: ".csv,.xlsx", required: true });
  const form = h("form", { class: "inline" }, h("label", { for: `upload-${table}` }, `Replace ${table} (CSV or XLSX)`), input, h("button", { type: "submit" }, "Upload"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await upload(`/api/scenarios/${id}/tables/${table}`, input.files[0], input.files[0].name, version);
      flash(`${table} replaced; a new version was saved.`);
      reload();
    } catch (error) {
      reportErrors(error);
    }
  });
  return form;
}

function reportErrors(error) {
  const errors = (error instanceof ApiError && Array.isArray(error.body.errors)) ? error.body.errors : [];
  say(errors.length ? errors.map((e) => `${e.file}${e.line ? `:${e.line}` : ""}${e.field ? ` ${e.field}` : ""}: ${e.message}`).join(" · ") : error.message, "error");
  return errors;
}

const SHOWN = 200;

function plainTable(table, rows, id, version, editable) {
  // Every row stays in `body`; the page shows SHOWN of them (search to reach the others),
  // edits go into `body`, and Save uploads the whole table as one new version.
  const [header, ...body] = rows;
  const holder = h("div");
  const search = h("input", { type: "search", id: `search-${table}`, placeholder: "find rows containing…" });
  const save = h("button", { type: "button", id: `save-${table}` }, `Save ${table.replace("_", " ")}`);
  const add = h("button", { type: "button", class: "secondary", id: `add-${table}` }, "Add a row");
  let errors = [];
  const draw = () => {
    const needle = search.value.trim().toLowerCase();
    const wrong = new Set(errors.map((e) => e.line - 2));
    const hits = body
      .map((r, i) => [r, i])
      .filter(([r]) => !needle || r.some((c) => c.toLowerCase().includes(needle)))
      .sort(([, a], [, b]) => Number(wrong.has(b)) - Number(wrong.has(a)));
    const shown = hits.slice(0, SHOWN);
    const cell = (row, i, c) => {
      if (!editable) return h("td", {}, row[c]);
      const problem = errors.find((e) => e.line === i + 2 && (e.field === header[c] || (!e.field && c === 0)));
      const input = h("input", {
        value: row[c],
        "aria-label": `${header[c]} of row ${i + 1}`,
        "aria-invalid": problem ? "true" : null,
        title: problem ? problem.message : null,
      });
      input.addEventListener("change", () => {
        row[c] = input.value;
      });
      return h("td", {}, input, problem ? h("span", { class: "cell-error", role: "note" }, problem.message) : null);
    };
    clear(holder).append(
      scroller(
        `${table} table`,
        h(
          "table",
          { class: `data${editable ? " editable" : ""}`, id: `table-${table}` },
          h("caption", {}, `${table}: ${body.length} rows${hits.length > shown.length ? ` (${shown.length} of ${hits.length} matching shown; search to find others)` : ""}`),
          h("thead", {}, h("tr", {}, header.map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, shown.map(([row, i]) => h("tr", {}, header.map((_, c) => cell(row, i, c))))),
        ),
      ),
    );
    const first = holder.querySelector("[aria-invalid=true]");
    if (first) first.focus();
  };
  search.addEventListener("input", draw);
  add.addEventListener("click", () => {
    body.unshift(header.map(() => ""));
    search.value = "";
    draw();
    holder.querySelector("input")?.focus();
  });
  save.addEventListener("click", async () => {
    const kept = body.filter((r) => r.some((c) => c.trim() !== ""));
    try {
      await upload(`/api/scenarios/${id}/tables/${table}`, new Blob([toCsv([header, ...kept])], { type: "text/csv" }), `${table}.csv`, version);
      flash(`${table} saved as a new version.`);
      reload();
    } catch (error) {
      body.splice(0, body.length, ...kept);
      errors = reportErrors(error);
      draw();
    }
  });
  draw();
  return h("div", {}, h("div", { class: "toolbar" }, h("label", {}, "Find ", search), editable ? [add, save] : null), holder);
}

function demandGrid(id, scenario, rows, version, editable) {
  // Site × week headcount (`*`) as editable cells; skill-mix rows below each site.
  const [header, ...body] = rows;
  const col = Object.fromEntries(header.map((c, i) => [c, i]));
  const periods = [...new Set(body.map((r) => r[col.period_start]))].sort();
  const keyed = new Map(body.map((r, i) => [`${r[col.site_id]}|${r[col.period_start]}|${r[col.qualification]}`, { row: r, line: i + 2 }]));
  const lines = [...new Set(body.map((r) => `${r[col.site_id]}|${r[col.qualification]}`))].sort((a, b) => {
    const [sa, qa] = a.split("|");
    const [sb, qb] = b.split("|");
    return sa === sb ? (qa === "*" ? -1 : qb === "*" ? 1 : qa.localeCompare(qb)) : sa.localeCompare(sb);
  });
  const inputs = [];
  const grid = h(
    "table",
    { class: "data demand", id: "demand-grid" },
    h("caption", {}, "Demand: officers (*) and qualification holders required per site and week"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Site"), h("th", { scope: "col" }, "Need"), periods.map((p) => h("th", { scope: "col" }, p.slice(5))))),
    h(
      "tbody",
      {},
      lines.map((line) => {
        const [site, qualification] = line.split("|");
        return h(
          "tr",
          { class: qualification === "*" ? "headcount" : "skill" },
          h("th", { scope: "row" }, qualification === "*" ? site : ""),
          h("td", {}, qualification === "*" ? "officers" : qualification),
          periods.map((p) => {
            const hit = keyed.get(`${site}|${p}|${qualification}`);
            const input = h("input", {
              value: hit ? hit.row[col.required] : "",
              inputmode: "numeric",
              size: "2",
              disabled: !editable,
              "aria-label": `${site} ${qualification === "*" ? "officers" : qualification} week of ${p}`,
              "data-key": `${site}|${p}|${qualification}`,
            });
            inputs.push(input);
            return h("td", {}, input);
          }),
        );
      }),
    ),
  );
  const save = h("button", { type: "button", id: "save-demand", disabled: !editable }, "Save demand");
  save.addEventListener("click", async () => {
    const out = [header];
    const order = [];
    for (const input of inputs) {
      if (input.value.trim() === "") continue;
      const [site, period, qualification] = input.dataset.key.split("|");
      const row = header.map((c) => ({ site_id: site, period_start: period, qualification, required: input.value.trim() })[c] ?? "");
      out.push(row);
      order.push(input);
    }
    for (const input of inputs) input.removeAttribute("aria-invalid");
    try {
      await upload(`/api/scenarios/${id}/tables/demand`, new Blob([toCsv(out)], { type: "text/csv" }), "demand.csv", version);
      flash("Demand saved as a new version.");
      reload();
    } catch (error) {
      for (const e of reportErrors(error)) {
        const input = e.line ? order[e.line - 2] : null;
        if (input) {
          input.setAttribute("aria-invalid", "true");
          input.title = e.message;
          input.focus();
        }
      }
    }
  });
  return scroller("Demand grid", grid, editable ? h("div", { class: "toolbar" }, save) : null);
}

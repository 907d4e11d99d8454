// A solve in progress: live incumbent, bound and gap (Server-Sent Events), a chart, cancel.

import { get, post } from "../api.js";
import { h, clear, say, money, gap } from "../dom.js";
import { progressChart } from "../components/progress.js";

const ENDED = ["done", "failed", "cancelled"];

// Each stage optimises one tier: weighted officer-weeks short, cost in cents, or changes.
function stageValue(stage, v) {
  if (stage === "cost") return money(v / 100);
  if (stage === "shortfall") return `${Number(v).toLocaleString("en-US")} short (weighted)`;
  if (stage === "changes") return `${Number(v).toLocaleString("en-US")} changes`;
  return Number(v).toLocaleString("en-US");
}

export async function jobView(main, id) {
  let job = await get(`/api/jobs/${id}`);
  const facts = h("dl", { class: "facts", id: "job-facts" });
  const chart = h("figure", { class: "chart", id: "job-chart" });
  const cancel = h("button", { type: "button", id: "cancel", class: "secondary" }, "Cancel (keep the best plan so far)");
  const next = h("p", { id: "job-next" });
  main.append(h("h1", {}, `Solve ${id}`), facts, chart, h("div", { class: "toolbar" }, cancel), next);
  cancel.addEventListener("click", async () => {
    cancel.disabled = true;
    try {
      await post(`/api/jobs/${id}/cancel`);
      say("Cancelling: the solver stops and keeps its best plan.", "info");
    } catch (error) {
      say(error.message, "error");
    }
  });
  const draw = () => {
    const p = job.progress || {};
    const value = (v) => (v === undefined || v === null ? "—" : stageValue(p.stage, v));
    clear(facts).append(
      ...[
        ["Status", job.status],
        ["Stage", p.stage || "—"],
        ["Incumbent", value(p.objective)],
        ["Bound", value(p.bound)],
        ["Gap", gap(p.gap_pct)],
        ["Elapsed", p.elapsed === undefined ? "—" : `${p.elapsed.toFixed(1)} s`],
      ].flatMap(([k, v]) => [h("dt", {}, k), h("dd", { "data-fact": k.toLowerCase() }, String(v))]),
    );
    progressChart(chart, p.history || []);
    cancel.hidden = ENDED.includes(job.status);
    clear(next);
    if (job.plan_id) next.append(h("a", { href: `#/plans/${job.plan_id}`, class: "button", id: "open-plan" }, `Open plan ${job.plan_id}`));
    if (job.base_plan_id && job.plan_id) next.append(" ", h("a", { href: `#/compare/${job.base_plan_id}/${job.plan_id}`, class: "button secondary" }, "Compare with the previous plan"));
    if (job.error) next.append(h("span", { class: "error" }, ` ${job.error}`));
  };
  draw();
  if (ENDED.includes(job.status)) return;
  const source = new EventSource(`/api/jobs/${id}/events`);
  source.addEventListener("job", (event) => {
    job = JSON.parse(event.data);
    if (!document.body.contains(facts)) {
      source.close();
      return;
    }
    draw();
    if (ENDED.includes(job.status)) {
      source.close();
      say(`Solve ${id} ${job.status}.`, job.status === "failed" ? "error" : "ok");
    }
  });
  source.onerror = () => source.close();
}

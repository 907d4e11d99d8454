// Two plans side by side: every objective tier, officer-weeks per site, officers whose orders differ.

import { get } from "../api.js";
import { h, table, scroller } from "../dom.js";

export async function compareView(main, a, b) {
  const diff = await get(`/api/plans/${a}/diff/${b}`);
  main.append(
    h("h1", {}, `Plan ${a} and plan ${b}`),
    table("Objective tiers (checker figures)", ["Tier", `Plan ${a}`, `Plan ${b}`], diff.tiers.map((t) => [t.tier, t.a, t.b]), { className: "data compare-tiers" }),
    table("Hard-rule violations", ["", `Plan ${a}`, `Plan ${b}`], [["violations", String(diff.violations.a), String(diff.violations.b)]]),
    diff.sites.length
      ? table("Officer-weeks per site that differ", ["Site", `Plan ${a}`, `Plan ${b}`], diff.sites.map((s) => [s.site_id, String(s.a), String(s.b)]))
      : h("p", {}, "Every site has the same officer-weeks in both plans."),
    scroller("Officers whose orders differ", table(`Officers whose orders differ (${diff.officers.length})`, ["Officer", "Name", "Weeks changed", "Before", "After", "Cost change"], diff.officers.map((o) => [o.person_id, o.name, o.periods_changed, o.before, o.after, o.cost_delta_usd]), { className: "data compare-officers" })),
  );
}

// The workspace shell: who is signed in, the navigation, and a hash router to the views.

import { get, request, ApiError } from "./api.js";
import { h, clear, showFlash } from "./dom.js";
// Views load on first use, so a page needs only its own modules.
const routes = [
  [/^#\/login$/, () => import("./views/login.js").then((m) => m.loginView)],
  [/^#\/?$/, () => import("./views/home.js").then((m) => m.homeView)],
  [/^#\/scenarios\/(\d+)$/, () => import("./views/scenario.js").then((m) => m.scenarioView)],
  [/^#\/jobs\/(\d+)$/, () => import("./views/job.js").then((m) => m.jobView)],
  [/^#\/plans\/(\d+)$/, () => import("./views/plan.js").then((m) => m.planView)],
  [/^#\/compare\/(\d+)\/(\d+)$/, () => import("./views/compare.js").then((m) => m.compareView)],
];

export const session = { user: null };

async function whoAmI() {
  try {
    session.user = await get("/api/auth/me");
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    session.user = null;
  }
}

function renderChrome() {
  const nav = clear(document.getElementById("nav"));
  const who = clear(document.getElementById("who"));
  if (!session.user) return;
  nav.append(h("a", { href: "#/" }, "Scenarios & plans"));
  const sites = session.user.sites.length ? ` · ${session.user.sites.join(", ")}` : "";
  who.append(
    h("span", { class: "role" }, `${session.user.username} (${session.user.role.replace("_", " ")}${sites})`),
    h("button", { type: "button", class: "link", id: "sign-out", onclick: () => signOut() }, "Sign out"),
  );
}

async function signOut() {
  await request("POST", "/api/auth/logout").catch(() => null);
  session.user = null;
  location.hash = "#/login";
}

export async function route() {
  const main = clear(document.getElementById("main"));
  showFlash();
  const hash = location.hash || "#/";
  if (!session.user && hash !== "#/login") await whoAmI();
  renderChrome();
  if (!session.user && hash !== "#/login") {
    location.hash = "#/login";
    return;
  }
  for (const [pattern, view] of routes) {
    const match = hash.match(pattern);
    if (match) {
      try {
        await (await view())(main, ...match.slice(1), session);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          session.user = null;
          location.hash = "#/login";
          return;
        }
        main.append(h("p", { class: "error", role: "alert" }, `Could not load this page: ${error.message}`));
      }
      document.title = `${main.querySelector("h1")?.textContent || "surgeplan"} · surgeplan`;
      return;
    }
  }
  main.append(h("h1", {}, "Not found"), h("p", {}, h("a", { href: "#/" }, "Back to the start")));
}

export function signedIn(user) {
  session.user = user;
  location.hash = "#/";
}

// The skip link must not change the hash (the router owns it): it moves focus instead.
document.querySelector(".skip").addEventListener("click", (event) => {
  event.preventDefault();
  document.getElementById("main").focus();
});

// After a navigation, focus moves to the new page (screen readers announce it).
window.addEventListener("hashchange", async () => {
  await route();
  document.getElementById("main").focus({ preventScroll: true });
});
route();

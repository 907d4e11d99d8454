// Sign-in: the browser session (HttpOnly cookie + CSRF token).

import { request, ApiError } from "../api.js";
import { h } from "../dom.js";
import { signedIn } from "../app.js";

export async function loginView(main) {
  const error = h("p", { class: "error", role: "alert", id: "login-error" });
  const form = h(
    "form",
    { class: "card narrow", id: "login-form" },
    h("h1", {}, "Sign in"),
    h("label", { for: "username" }, "User name"),
    h("input", { id: "username", name: "username", autocomplete: "username", required: true }),
    h("label", { for: "password" }, "Password"),
    h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true }),
    h("button", { type: "submit" }, "Sign in"),
    error,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    try {
      const { body } = await request("POST", "/api/auth/login", { form: new FormData(form) });
      signedIn({ username: body.username, role: body.role, sites: body.sites });
    } catch (failure) {
      error.textContent = failure instanceof ApiError ? failure.message : String(failure);
    }
  });
  main.append(form);
  form.querySelector("#username").focus();
}

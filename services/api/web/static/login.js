// Signing in: the token goes to sessionStorage, then on to the page that was asked for.

import { LOGIN, api, session } from "./api.js";
import { h, replace } from "./dom.js";
import { field, formShell, reader, submitButton } from "./forms.js";
import { go, title, view } from "./page.js";

export async function viewLogin(_ctx, params) {
  const next = params.get("next") || "/monitors";
  const form = formShell(
    "login",
    async (f) => {
      const email = reader(f).text("email");
      const reply = await api("POST", LOGIN, { email, password: f.elements.password.value });
      session.save(reply.token, reply.expires_at, email);
      go(`#${next.startsWith("/") ? next : "/monitors"}`);
    },
    field("login", { name: "email", label: "Email", type: "email", required: true, attrs: { autocomplete: "username" } }),
    field("login", { name: "password", label: "Password", type: "password", required: true, attrs: { autocomplete: "current-password" } }),
    submitButton("Sign in"),
  );
  replace(view, h("section", { class: "login card" }, title("Sign in to upmon"), form));
  form.elements.email.focus();
}

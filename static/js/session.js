// Signed-in pages: a warning shortly before the idle timeout with "Stay signed in", a clear message once
// the session has ended (with the way back), and drafts of the long forms kept in this browser so that
// a note typed before an expired session comes back after logging in again.
(function () {
  "use strict";
  const meta = document.querySelector("meta[name=session-idle-seconds]");
  const WARN_BEFORE = 120 * 1000;
  const DRAFTS = "ips-draft:";
  let deadline = meta ? Date.now() + Number(meta.content) * 1000 : null;

  function loginUrl() {
    return `/login/?next=${encodeURIComponent(location.pathname + location.search)}`;
  }

  function banner() {
    let box = document.getElementById("session-banner");
    if (!box) {
      box = document.createElement("div");
      box.id = "session-banner";
      box.className = "session-banner alert mb-0 rounded-0";
      box.setAttribute("role", "alert");
      document.body.prepend(box);
    }
    return box;
  }

  function hideBanner() {
    const box = document.getElementById("session-banner");
    if (box) box.remove();
  }

  function showWarning(seconds) {
    const box = banner();
    box.classList.remove("alert-danger");
    box.classList.add("alert-warning");
    const minutes = Math.max(1, Math.ceil(seconds / 60));
    let text = box.querySelector(".session-text");
    if (!text) {
      text = document.createElement("span");
      text.className = "session-text me-2";
      const stay = document.createElement("button");
      stay.type = "button";
      stay.className = "btn btn-sm btn-primary";
      stay.dataset.staySignedIn = "1";
      stay.textContent = "Stay signed in";
      box.replaceChildren(text, stay);
    }
    text.textContent = `You will be signed out in ${minutes} minute${minutes === 1 ? "" : "s"} without activity.`;
  }

  function showExpired() {
    deadline = null;
    document.dispatchEvent(new CustomEvent("session:ended")); // offline.js deletes the caseload list
    const box = banner();
    box.classList.remove("alert-warning");
    box.classList.add("alert-danger");
    const text = document.createElement("span");
    text.className = "me-2";
    text.textContent = "Your session has ended. What you entered is kept on this phone and saved after you log in.";
    const link = document.createElement("a");
    link.className = "btn btn-sm btn-primary";
    link.href = loginUrl();
    link.textContent = "Log in again";
    box.replaceChildren(text, link);
  }

  function staySignedIn() {
    const token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    return fetch("/session/keep-alive/", { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": token } })
      .then((response) => {
        if (response.status !== 200) return showExpired();
        return response.json().then((answer) => {
          deadline = Date.now() + answer.idle_seconds * 1000;
          hideBanner();
        });
      })
      .catch(() => undefined); // offline: the warning stays
  }

  if (meta) {
    setInterval(() => {
      if (deadline === null) return;
      const left = deadline - Date.now();
      if (left <= 0) showExpired();
      else if (left <= WARN_BEFORE) showWarning(left / 1000);
    }, 5000);
    // Any answer from the server renews the session (accounts.middleware): so does the countdown.
    document.addEventListener("htmx:afterRequest", (event) => {
      if (event.detail.successful && deadline !== null) deadline = Date.now() + Number(meta.content) * 1000;
    });
    document.addEventListener("click", (event) => {
      if (event.target.closest("[data-stay-signed-in]")) staySignedIn();
    });
  }
  document.addEventListener("session:expired", showExpired);

  // --- Drafts of long forms (form[data-draft]) -------------------------------------------------------
  // Kept per form address while typing; restored on the form's next empty render (after logging in
  // again the log-in page sends the user back to it); deleted once the form was sent and the browser
  // has moved on to another page (the save succeeded), or at log-out.

  function draftKey(form) {
    return DRAFTS + new URL(form.action, location.href).pathname;
  }

  function fieldsOf(form) {
    return Array.from(form.elements).filter((field) => field.name && !["hidden", "submit", "button", "file"].includes(field.type)
      && field.name !== "csrfmiddlewaretoken");
  }

  function save(form) {
    const values = {};
    fieldsOf(form).forEach((field) => {
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked) (values[field.name] = values[field.name] || []).push(field.value);
      } else if (field.multiple) {
        values[field.name] = Array.from(field.selectedOptions, (option) => option.value);
      } else {
        values[field.name] = field.value;
      }
    });
    localStorage.setItem(draftKey(form), JSON.stringify({ values: values, sent: false }));
  }

  function restore(form, values) {
    fieldsOf(form).forEach((field) => {
      if (!(field.name in values)) {
        if (field.type === "checkbox" || field.type === "radio") field.checked = false;
        return;
      }
      const value = values[field.name];
      if (field.type === "checkbox" || field.type === "radio") field.checked = value.includes(field.value);
      else if (field.multiple) Array.from(field.options).forEach((option) => { option.selected = value.includes(option.value); });
      else field.value = value;
    });
  }

  const here = location.pathname;
  Object.keys(localStorage).filter((key) => key.startsWith(DRAFTS)).forEach((key) => {
    const draft = JSON.parse(localStorage.getItem(key) || "{}");
    // Sent, and now elsewhere than the form or the log-in page: the save went through.
    if (draft.sent && key !== DRAFTS + here && here !== "/login/") localStorage.removeItem(key);
  });

  document.querySelectorAll("form[data-draft]").forEach((form) => {
    const stored = JSON.parse(localStorage.getItem(draftKey(form)) || "null");
    const refused = form.querySelector(".is-invalid, .alert-danger, .invalid-feedback");
    if (stored && !refused) {
      restore(form, stored.values);
      const note = document.createElement("p");
      note.className = "alert alert-info py-2 draft-restored";
      note.setAttribute("role", "status");
      note.textContent = "What you typed before is back. Check it and save.";
      form.prepend(note);
    }
    form.addEventListener("input", () => save(form));
    form.addEventListener("change", () => save(form));
    form.addEventListener("submit", () => {
      save(form);
      const draft = JSON.parse(localStorage.getItem(draftKey(form)));
      draft.sent = true;
      localStorage.setItem(draftKey(form), JSON.stringify(draft));
    });
  });
  // A form kept in the outbox is no draft any more; logging out leaves nothing behind.
  document.addEventListener("outbox:kept", (event) => localStorage.removeItem(DRAFTS + new URL(event.detail.url).pathname));
  document.addEventListener("outbox:cleared", () => {
    Object.keys(localStorage).filter((key) => key.startsWith(DRAFTS)).forEach((key) => localStorage.removeItem(key));
  });
})();

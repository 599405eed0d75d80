// The offline page's "Log a contact" (templates/offline.html): when the app opens without a connection,
// the service worker shows that page, and the specialist logs a client contact or an employer contact
// for a client of their caseload. The choices come from the caseload list kept on the phone
// (offline.js, caseload/offline.py: ids and display names only); an entry goes into the same outbox as
// any other, with a key made here, and is sent once when the app is open again with a connection.
(function () {
  "use strict";
  const section = document.getElementById("offline-log");
  const form = document.getElementById("offline-log-form");
  const outbox = window.ipsOutbox;
  if (!section || !form || !outbox) return;
  const error = document.getElementById("offline-log-error");
  const kept = form.querySelector(".outbox-note");
  let list = null;
  let typing = false;

  function option(value, label) {
    const item = document.createElement("option");
    item.value = value;
    if (label !== undefined) item.textContent = label;
    return item;
  }

  function kind() {
    return form.elements.kind.value;
  }

  function showKind() {
    form.querySelectorAll("[data-kind]").forEach((part) => { part.hidden = part.dataset.kind !== kind(); });
    form.elements.client.options[0].textContent = kind() === "client" ? "Choose a client…" : "No particular client";
  }

  function fill(data) {
    form.elements.client.replaceChildren(option(""), ...data.clients.map((c) => option(String(c.id), c.name)));
    form.querySelectorAll("select[data-choices]").forEach((select) => {
      const name = select.dataset.choices;
      select.replaceChildren(...(data.choices[name] || []).map(([value, label]) => option(value, label)));
      if (data.defaults[name]) select.value = data.defaults[name];
    });
    document.getElementById("offline-employers").replaceChildren(...data.employers.map((name) => option(name)));
    form.elements.contact_date.value = outbox.localDay();
    form.elements.contact_date.max = outbox.localDay();
    showKind();
  }

  function refuse(message) {
    error.textContent = message;
    error.hidden = false;
  }

  function fieldsOf(names) {
    return names.map((name) => [name, form.elements[name].value.trim()]);
  }

  function entryOf() {
    const clientId = form.elements.client.value;
    const client = list.clients.find((c) => String(c.id) === clientId);
    const day = form.elements.contact_date.value;
    if (!day || day > outbox.localDay()) return refuse("Give the date of the contact (today or earlier).");
    const key = outbox.newKey();
    let url;
    let fields;
    let label;
    if (kind() === "client") {
      if (!client) return refuse("Choose the client.");
      url = list.urls.contact.replace("{id}", client.id);
      fields = fieldsOf(["contact_date", "with_whom", "mode", "place", "minutes", "note"]);
      label = `Contact with ${client.name}`;
    } else {
      const employer = form.elements.employer_name.value.trim();
      if (!employer) return refuse("Give the employer's name.");
      url = list.urls.employer_contact;
      fields = fieldsOf(["contact_date", "employer_name", "purpose", "contact_person", "outcome"]);
      fields.push(["made_by", "specialist"]);
      if (form.elements.face_to_face.checked) fields.push(["face_to_face", "on"]);
      if (client) fields.push(["client_specific", "on"], ["clients", String(client.id)]);
      label = `Employer contact · ${employer}`;
    }
    fields.push(["submission_key", key]);
    return { key: key, url: url, fields: fields, label: label, created: Date.now(), attempts: 0, status: "waiting", error: "" };
  }

  form.addEventListener("change", (event) => {
    if (event.target.name === "kind") showKind();
  });
  form.addEventListener("input", () => { typing = true; });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    const entry = entryOf();
    if (!entry) return;
    await outbox.store(entry);
    form.querySelectorAll("textarea, input[type=text], input[type=number], input:not([type])").forEach((field) => { field.value = ""; });
    form.elements.client.value = "";
    typing = false;
    kept.hidden = false;
    kept.textContent = "Saved on this phone · waiting to send. It is sent when the connection returns.";
    if (navigator.onLine) backOnline();
  });

  // Back online: the app itself sends the outbox (it needs a signed-in page). Once the server answers
  // (the browser's "online" can come before the network does), leave for the app, unless the
  // specialist is typing an entry: then say so and let them finish.
  let probing = null;
  function backOnline(wait = 0) {
    clearTimeout(probing);
    probing = setTimeout(() => {
      fetch("/manifest.webmanifest", { cache: "no-store", credentials: "same-origin" }).then(() => {
        if (typing) {
          document.getElementById("offline-back").hidden = false;
          return;
        }
        location.assign(location.pathname === "/offline/" ? "/" : location.href);
      }).catch(() => { if (navigator.onLine) backOnline(Math.min(30000, Math.max(1000, wait * 2))); });
    }, wait);
  }
  window.addEventListener("online", () => backOnline());
  if (navigator.onLine) backOnline(1000); // shown while "online": no signal after all, or it is back

  // A list older than a working day is deleted unused: a phone lost with its session still open keeps the
  // names no longer than that (opening My caseload online keeps a new one).
  const MAX_AGE = 24 * 60 * 60 * 1000;
  outbox.caseload.get().then(async (data) => {
    if (data && !(Date.now() - data.saved < MAX_AGE)) {
      await outbox.caseload.clear().catch(() => undefined);
      data = undefined;
    }
    if (!data || !data.clients) {
      document.getElementById("offline-log-missing").hidden = false;
      return;
    }
    list = data;
    fill(data);
    section.hidden = false;
  }).catch(() => undefined);
})();

// The phone's outbox: a contact logged without a connection (or refused by an expired session) is kept
// in IndexedDB, counted in the navigation ("Waiting to send N") and sent when the connection returns
// (page load, the `online` event, retries with backoff). Each entry carries the submission key of its
// form (or one made here): the server saves it once however often it is sent (core/idempotency.py).
// Entries are deleted once saved; logging out deletes them after a warning.
// Beside them, for a cold start without a connection (the service worker's offline page, offline-log.js),
// the caseload list: the specialist's clients as id and display name, employer names and the forms'
// choices (caseload/offline.py). Refreshed when My caseload loads, deleted at log-out and when the
// session ends. Nothing else is stored.
(function () {
  "use strict";
  const DB = "ips-outbox";
  const STORE = "entries";
  const CASELOAD = "caseload";
  const CASELOAD_URL = "/clients/offline-caseload/";
  const CASELOAD_PAGE = "/clients/";
  const CASELOAD_STALE = 10 * 60 * 1000;
  const MAX_WAIT = 60000;
  const LOGOUT_WAIT = 3000;
  let flushing = false;
  let retryTimer = null;

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 2);
      request.onupgradeneeded = () => {
        const names = request.result.objectStoreNames;
        if (!names.contains(STORE)) request.result.createObjectStore(STORE, { keyPath: "key" });
        if (!names.contains(CASELOAD)) request.result.createObjectStore(CASELOAD, { keyPath: "key" });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error("the phone's storage is held by another tab"));
    });
  }

  function withStore(mode, work, name = STORE) {
    return openDb().then((db) => new Promise((resolve, reject) => {
      const transaction = db.transaction(name, mode);
      const request = work(transaction.objectStore(name));
      transaction.oncomplete = () => { db.close(); resolve(request ? request.result : undefined); };
      transaction.onerror = () => { db.close(); reject(transaction.error); };
      transaction.onabort = () => { db.close(); reject(transaction.error || new Error("aborted")); };
    }));
  }

  const outbox = {
    all: () => withStore("readonly", (store) => store.getAll())
      .then((entries) => entries.sort((a, b) => a.created - b.created)),
    put: (entry) => withStore("readwrite", (store) => store.put(entry)),
    remove: (key) => withStore("readwrite", (store) => store.delete(key)),
    clear: () => withStore("readwrite", (store) => store.clear()),
  };

  // The caseload list: one record, replaced whole at each refresh.
  const caseload = {
    get: () => withStore("readonly", (store) => store.get("list"), CASELOAD),
    put: (data) => withStore("readwrite", (store) => store.put({ ...data, key: "list", saved: Date.now() }), CASELOAD),
    clear: () => withStore("readwrite", (store) => store.clear(), CASELOAD),
  };

  function signedIn() {
    return Boolean(document.querySelector("meta[name=session-idle-seconds]"));
  }

  // Each deletion starts a new epoch: an answer asked for before it (in flight while the session ended)
  // is not stored.
  let caseloadEpoch = 0;
  function forgetCaseload() {
    caseloadEpoch += 1;
    return caseload.clear().catch(() => undefined);
  }

  async function refreshCaseload() {
    if (!signedIn() || !navigator.onLine) return;
    const epoch = caseloadEpoch;
    const stored = await caseload.get().catch(() => undefined);
    const fresh = stored && Date.now() - stored.saved < CASELOAD_STALE;
    if (fresh && location.pathname !== CASELOAD_PAGE) return;
    let response;
    try {
      response = await fetch(CASELOAD_URL, { credentials: "same-origin", headers: { "X-Outbox": "1" } });
    } catch (networkError) {
      return; // the list kept from before stays
    }
    if (response.status === 200) {
      const data = await response.json();
      if (epoch === caseloadEpoch) await caseload.put(data);
    } else if (response.status === 401 || response.status === 403) {
      await forgetCaseload(); // the session has ended
    }
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function localDay() {
    return new Date().toLocaleDateString("en-CA"); // YYYY-MM-DD in the phone's time zone
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  // --- Keeping an entry ------------------------------------------------------------------------------

  function keep(form, status) {
    const fields = [];
    new FormData(form).forEach((value, name) => {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") fields.push([name, value]);
    });
    // The quick log's "today" is the day it was logged, not the day it reaches the server.
    if (!fields.some(([name]) => name === "contact_date")) fields.push(["contact_date", localDay()]);
    const keyField = form.querySelector("input[name=submission_key]");
    const key = (keyField && keyField.value) || newKey();
    const entry = {
      key: key,
      url: form.action,
      fields: fields.map(([name, value]) => (name === "submission_key" ? [name, key] : [name, value])),
      label: form.dataset.outbox || "Contact",
      created: Date.now(),
      attempts: 0,
      status: status,
      error: "",
    };
    if (!fields.some(([name]) => name === "submission_key")) entry.fields.push(["submission_key", key]);
    return store(entry).then(() => {
      // The form is ready for the next entry, with a key of its own.
      if (keyField) keyField.value = newKey();
      form.querySelectorAll("textarea, input[type=text], input[type=number]").forEach((field) => { field.value = ""; });
      showKept(form, status);
    });
  }

  // An entry into the outbox (a form's, or one the offline page built), announced and counted.
  function store(entry) {
    return outbox.put(entry).then(() => {
      document.dispatchEvent(new CustomEvent("outbox:kept", { detail: entry }));
      return refresh();
    });
  }

  function showKept(form, status) {
    let note = form.parentElement.querySelector(".outbox-note");
    if (!note) {
      note = document.createElement("p");
      note.className = "outbox-note small fw-semibold text-warning-emphasis mt-2 mb-0";
      note.setAttribute("role", "status");
      form.insertAdjacentElement("afterend", note);
    }
    note.textContent = status === "login"
      ? "Kept on this phone: it is sent once you log in again."
      : "Saved on this phone · waiting to send. It is sent when the connection returns.";
  }

  // --- Sending ---------------------------------------------------------------------------------------

  function send(entry) {
    const body = new URLSearchParams();
    entry.fields.forEach(([name, value]) => body.append(name, value));
    return fetch(entry.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": csrfToken(), "X-Outbox": "1", "Idempotency-Key": entry.key },
    });
  }

  function describe(errors) {
    return Object.entries(errors || {}).map(([field, list]) => {
      const text = list.map((error) => error.message || error).join(" ");
      return field === "__all__" ? text : `${field.replace(/_/g, " ")}: ${text}`;
    }).join(" ");
  }

  function scheduleRetry(attempts) {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, Math.min(MAX_WAIT, 2000 * 2 ** Math.max(0, attempts - 1)));
  }

  async function flush() {
    // Only from a signed-in page (the log-in page would get a 401 for each entry).
    if (flushing || !navigator.onLine || !csrfToken() || !signedIn()) return refresh();
    flushing = true;
    try {
      for (const entry of await outbox.all()) {
        if (entry.status === "failed") continue; // waits for the user's Retry
        let response;
        try {
          response = await send(entry);
        } catch (networkError) {
          entry.attempts += 1;
          entry.status = "waiting";
          await outbox.put(entry);
          scheduleRetry(entry.attempts);
          break;
        }
        if (response.status === 201) {
          await outbox.remove(entry.key);
          const client = (entry.url.match(/\/clients\/(\d+)\//) || [])[1];
          if (window.htmx) htmx.trigger(document.body, "contactLogged", { client: Number(client) });
          document.dispatchEvent(new CustomEvent("outbox:sent", { detail: entry }));
        } else if (response.status === 401 || response.status === 403) {
          entry.status = "login";
          await outbox.put(entry);
          document.dispatchEvent(new CustomEvent("session:expired"));
          break;
        } else if (response.status === 400) {
          const answer = await response.json().catch(() => ({}));
          entry.status = "failed";
          entry.error = describe(answer.errors) || "The entry was refused.";
          await outbox.put(entry);
        } else {
          entry.attempts += 1;
          entry.error = `The server answered ${response.status}; trying again.`;
          await outbox.put(entry);
          scheduleRetry(entry.attempts);
          break;
        }
      }
    } finally {
      flushing = false;
    }
    return refresh();
  }

  // --- What the user sees ----------------------------------------------------------------------------

  async function refresh() {
    const entries = await outbox.all().catch(() => []);
    const badge = document.getElementById("outbox-badge");
    const panel = document.getElementById("outbox-panel");
    const failed = entries.filter((entry) => entry.status === "failed").length;
    document.documentElement.dataset.outbox = String(entries.length); // for tests and styles
    if (badge) {
      badge.hidden = entries.length === 0;
      badge.textContent = `Waiting to send ${entries.length}`;
      badge.classList.toggle("btn-danger", failed > 0);
      badge.classList.toggle("btn-warning", failed === 0);
    }
    if (!panel) return entries;
    panel.replaceChildren();
    panel.hidden = entries.length === 0 || (!failed && panel.dataset.open !== "1" && !panel.dataset.always);
    if (!entries.length) return entries;
    const box = document.createElement("div");
    box.className = "alert alert-warning py-2";
    const title = document.createElement("p");
    title.className = "fw-semibold mb-1";
    title.textContent = `Kept on this phone, waiting to send (${entries.length})`;
    box.appendChild(title);
    const list = document.createElement("ul");
    list.className = "list-unstyled mb-0";
    entries.forEach((entry) => {
      const item = document.createElement("li");
      item.className = "outbox-entry py-1";
      const when = new Date(entry.created).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
      const text = document.createElement("span");
      text.textContent = `${entry.label} · ${when}` + (entry.status === "login" ? " · log in to send" : "");
      item.appendChild(text);
      if (entry.error) {
        const error = document.createElement("div");
        error.className = "text-danger small outbox-error";
        error.textContent = entry.error;
        item.appendChild(error);
      }
      const retry = document.createElement("button");
      retry.type = "button";
      retry.className = "btn btn-sm btn-primary ms-2";
      retry.dataset.outboxRetry = entry.key;
      retry.textContent = "Retry";
      const drop = document.createElement("button");
      drop.type = "button";
      drop.className = "btn btn-sm btn-outline-danger ms-1";
      drop.dataset.outboxDrop = entry.key;
      drop.textContent = "Delete";
      item.append(retry, drop);
      list.appendChild(item);
    });
    box.appendChild(list);
    panel.appendChild(box);
    return entries;
  }

  document.addEventListener("click", async (event) => {
    const badge = event.target.closest("#outbox-badge");
    const panel = document.getElementById("outbox-panel");
    if (badge && panel) {
      panel.dataset.open = panel.dataset.open === "1" ? "" : "1";
      refresh();
      return;
    }
    const retry = event.target.closest("[data-outbox-retry]");
    if (retry) {
      const entry = (await outbox.all()).find((e) => e.key === retry.dataset.outboxRetry);
      if (entry) {
        Object.assign(entry, { status: "waiting", error: "", attempts: 0 });
        await outbox.put(entry);
      }
      flush();
      return;
    }
    const drop = event.target.closest("[data-outbox-drop]");
    if (drop && window.confirm("Delete this entry from the phone? It has not been saved.")) {
      await outbox.remove(drop.dataset.outboxDrop);
      refresh();
    }
  });

  // --- Catching what would be lost -------------------------------------------------------------------

  // Offline: the form is not sent at all (capture phase: htmx never sees the submit).
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("form[data-outbox]") || navigator.onLine) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    keep(form, "waiting");
  }, true);

  // The full contact forms (not htmx): sent with fetch, so that a signal lost while the browser still
  // thinks it is online keeps the entry here instead of showing the browser's error page. Any answer
  // other than "saved" goes the ordinary way (a native submit with the same key: nothing was saved, so
  // the server shows the form's errors, or the log-in page and the draft as before).
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (event.defaultPrevented || !form.matches("form[data-outbox]:not([hx-post])") || !navigator.onLine) return;
    if (form.dataset.nativeSubmit) return;
    event.preventDefault();
    const body = new URLSearchParams();
    new FormData(form).forEach((value, name) => { if (typeof value === "string") body.append(name, value); });
    const keyField = form.querySelector("input[name=submission_key]");
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-Outbox": "1", "Idempotency-Key": (keyField && keyField.value) || "" },
      });
    } catch (networkError) {
      await keep(form, "waiting");
      scheduleRetry(1);
      return;
    }
    const answer = response.status === 201 ? await response.json().catch(() => ({})) : {};
    if (answer.saved && answer.location) {
      location.assign(answer.location);
      return;
    }
    form.dataset.nativeSubmit = "1";
    form.submit();
  });

  // The signal dropped while htmx was sending: keep it (the key makes a second arrival harmless).
  document.addEventListener("htmx:sendError", (event) => {
    const form = event.detail.elt && event.detail.elt.closest("form[data-outbox]");
    if (form) keep(form, "waiting").then(() => scheduleRetry(1));
  });

  // An expired session: htmx got a 401 (accounts.middleware.ExpiredSessionMiddleware), not a page.
  document.addEventListener("htmx:responseError", (event) => {
    if (event.detail.xhr.status !== 401) return;
    const form = event.detail.elt && event.detail.elt.closest("form[data-outbox]");
    if (form) keep(form, "login");
    document.dispatchEvent(new CustomEvent("session:expired"));
  });

  // Logging out deletes the entries (a shared or lost phone): warn first if some are unsent.
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches("form[data-logout]")) return;
    event.preventDefault();
    const waited = () => new Promise((resolve) => setTimeout(resolve, LOGOUT_WAIT));
    const entries = (await Promise.race([outbox.all().catch(() => []), waited()])) || [];
    const warning = `${entries.length} contact${entries.length === 1 ? " is" : "s are"} not sent yet and will be ` +
      "deleted from this phone. Log out anyway?";
    if (entries.length && !window.confirm(warning)) return;
    // Log-out never waits on the phone's storage for long: if clearing hangs, the log-in page (signed out)
    // deletes the caseload list again.
    const cleared = Promise.all([outbox.clear().catch(() => undefined), forgetCaseload()]);
    await Promise.race([cleared, waited()]);
    document.dispatchEvent(new CustomEvent("outbox:cleared"));
    form.submit();
  });

  // The session ended (the server said so, or the idle time ran out): no client names stay behind.
  ["session:expired", "session:ended"].forEach((name) => document.addEventListener(name, forgetCaseload));
  // A page of the site shown signed out (the log-in page): the same.
  if (document.body.dataset.serviceWorker && !signedIn()) forgetCaseload();

  window.addEventListener("online", flush);
  window.addEventListener("offline", refresh);
  window.ipsOutbox = {
    all: outbox.all, flush: flush, refresh: refresh, store: store, newKey: newKey, localDay: localDay, caseload: caseload,
  };

  if ("serviceWorker" in navigator && document.body.dataset.serviceWorker) {
    navigator.serviceWorker.register(document.body.dataset.serviceWorker, { scope: "/" }).catch(() => undefined);
  }
  function start() {
    flush();
    refreshCaseload();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

// Site-wide behaviour without inline handlers (the Content-Security-Policy allows no inline script):
// data-confirm asks before a form is sent or a button submits; data-print prints the page.
document.addEventListener("click", (event) => {
  const printer = event.target.closest("[data-print]");
  if (printer) {
    window.print();
    return;
  }
  const button = event.target.closest("button[data-confirm], input[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// A failed htmx request (a server error, a refusal other than an expired session, no connection) swaps
// nothing, so the form keeps what was typed; say so next to it instead of leaving the user guessing (a
// specialist who sees nothing taps again). The expired session (401) has its own banner (session.js).
function showRequestError(element, text) {
  const form = element && (element.closest("form") || element);
  if (!form || !form.parentNode) return;
  let box = form.previousElementSibling;
  if (!box || !box.classList.contains("htmx-error")) {
    box = document.createElement("div");
    box.className = "alert alert-danger htmx-error small py-2";
    box.setAttribute("role", "alert");
    form.parentNode.insertBefore(box, form);
  }
  box.textContent = text;
}
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  if (status === 401) return;
  showRequestError(
    event.detail.elt,
    `Not saved: the server answered with an error (${status}). What you typed is still here: try again.`,
  );
});
document.addEventListener("htmx:sendError", (event) => {
  if (event.detail.elt && event.detail.elt.closest("form[data-outbox]")) return; // kept by the outbox
  showRequestError(event.detail.elt, "Not sent: there is no connection. What you typed is still here: try again.");
});
document.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.detail.elt && (event.detail.elt.closest("form") || event.detail.elt);
  const box = form && form.previousElementSibling;
  if (box && box.classList.contains("htmx-error")) box.remove();
});

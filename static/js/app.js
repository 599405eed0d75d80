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

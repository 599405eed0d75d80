// Caseload and client record. Everything works without this file; it only saves taps.
(function () {
  "use strict";
  // Filters apply as soon as a select changes (the Apply button stays for no-JS use).
  var filters = document.getElementById("caseload-filters");
  if (filters) {
    filters.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () { filters.requestSubmit ? filters.requestSubmit() : filters.submit(); });
    });
  }

  // A quick log swaps the whole row (or the record's quick-log box), and the focused Save button goes with
  // it: focus would fall to the top of the page. Put it back in the new row: on the first field in error,
  // else on the row's "Log contact", so a keyboard user goes on from the client just logged.
  var swappedId = null;
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    swappedId = target && target.id && target.contains(document.activeElement) ? target.id : null;
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    var swapped = swappedId && document.getElementById(swappedId);
    swappedId = null;
    if (!swapped) { return; }
    var next = swapped.querySelector(".is-invalid") || swapped.querySelector(".quick-log-toggle") ||
      swapped.querySelector("a[href], button, input:not([type=hidden])");
    if (next) { next.focus(); }
  });
})();

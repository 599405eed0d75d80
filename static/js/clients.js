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
})();

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

  // A live counter under every note with a maximum length (the model's limit, e.g. 5,000
  // characters): "1,234 of 5,000 characters", announced politely and flagged near the limit.
  function addCounters(root) {
    root.querySelectorAll("textarea[maxlength]:not([data-counted])").forEach(function (area) {
      var max = parseInt(area.getAttribute("maxlength"), 10);
      if (!max) return;
      area.setAttribute("data-counted", "1");
      var counter = document.createElement("div");
      counter.className = "form-text note-counter";
      counter.id = (area.id || area.name) + "-counter";
      counter.setAttribute("aria-live", "polite");
      area.insertAdjacentElement("afterend", counter);
      var described = area.getAttribute("aria-describedby");
      area.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
      function update() {
        var used = area.value.length;
        counter.textContent = used.toLocaleString() + " of " + max.toLocaleString() + " characters" +
          (used >= max ? ": the limit. Shorten the note to add more." : "");
        counter.classList.toggle("text-danger", used >= max * 0.9);
      }
      area.addEventListener("input", update);
      update();
    });
  }
  addCounters(document);
  document.addEventListener("htmx:afterSwap", function (event) { addCounters(event.target); });
})();

/* Fidelity pages: history chart (Chart.js 4, vendored), scoring progress, live consensus total.
   The server stays the authority: these only reflect what is on the page until it is saved. */
(function () {
  "use strict";

  function historyChart() {
    var dataElement = document.getElementById("fidelity-history-data");
    var canvas = document.getElementById("fidelity-history-chart");
    if (!dataElement || !canvas || typeof Chart === "undefined") { return; }
    var data = JSON.parse(dataElement.textContent);
    var cutoffs = (data.cutoffs || []).filter(function (c) { return c.min > 25; });
    var datasets = [{
      label: "Total (of 125)", data: data.totals, borderColor: "#0d6efd", backgroundColor: "#0d6efd",
      tension: 0.1, pointRadius: 5
    }];
    cutoffs.forEach(function (c) {
      datasets.push({
        label: c.name + " from " + c.min, data: data.labels.map(function () { return c.min; }),
        borderColor: "#adb5bd", borderDash: [4, 3], pointRadius: 0, borderWidth: 1
      });
    });
    new Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { y: { min: 25, max: 125, title: { display: true, text: "IPS-25 total" } } },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
      }
    });
  }

  function scoringProgress() {
    var form = document.getElementById("scoring-form");
    if (!form) { return; }
    form.addEventListener("change", function (event) {
      var match = /^score_(\d+)$/.exec(event.target.name || "");
      if (!match) { return; }
      var number = match[1];
      var badge = document.querySelector("[data-badge='" + number + "']");
      if (badge) {
        badge.textContent = "Mine: " + event.target.value + " (not saved)";
        badge.className = "badge text-bg-info";
      }
      var jump = document.querySelector("[data-jump='" + number + "']");
      if (jump) { jump.className = "btn btn-sm btn-info"; }
    });
  }

  function consensusTotal() {
    var form = document.getElementById("consensus-form");
    var total = document.getElementById("consensus-total");
    if (!form || !total) { return; }
    function update() {
      var selects = form.querySelectorAll("select[name^='score_']");
      var sum = 0, complete = selects.length > 0;
      selects.forEach(function (select) {
        if (select.value) { sum += parseInt(select.value, 10); } else { complete = false; }
      });
      total.textContent = complete ? String(sum) + " (not saved)" : "—";
    }
    form.addEventListener("change", update);
    if (total.textContent.trim() === "—") { update(); }
  }

  historyChart();
  scoringProgress();
  consensusTotal();
})();

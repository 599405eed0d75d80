/* Fidelity history chart (Chart.js 4, vendored). Data comes from a json_script element. */
(function () {
  "use strict";
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
})();

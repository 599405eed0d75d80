/* Dashboard charts: every <canvas data-chart="ID"> is drawn from the JSON in <script id="ID">
 * (written by Django's json_script). The same figures are in the accessible table under each chart;
 * clicking a bar or point opens the drill-down list behind it (the dataset's `urls`). */
(function () {
  "use strict";
  if (typeof Chart === "undefined") {
    return;
  }

  var COLORS = {
    primary: "#0d6efd",
    success: "#198754",
    info: "#0dcaf0",
    warning: "#e0a800",
    danger: "#dc3545",
    secondary: "#6c757d"
  };
  var PALETTE = ["primary", "success", "warning", "info", "secondary"];

  function color(name, index) {
    return COLORS[name] || COLORS[PALETTE[index % PALETTE.length]];
  }

  function dataset(spec, ds, index) {
    var c = color(ds.color, index);
    var target = ds.kind === "target";
    var type = ds.type || (target ? "line" : spec.type);
    var out = {
      label: ds.label,
      data: ds.data,
      type: type,
      borderColor: c,
      backgroundColor: type === "bar" ? c + "cc" : c,
      borderWidth: target ? 2 : type === "line" ? 3 : 1,
      urls: ds.urls || [],
      spanGaps: true
    };
    if (target) {
      out.borderDash = [6, 4];
      out.pointRadius = 0;
      out.pointHitRadius = 0;
      out.fill = false;
      out.order = 0;
    } else if (type === "line") {
      out.pointRadius = 5;
      out.pointHoverRadius = 7;
      out.order = 1;
    } else {
      out.order = 2;
    }
    return out;
  }

  // Scatter: each point carries its program's name, drawn beside it (the table lists them too).
  var pointLabels = {
    id: "pointLabels",
    afterDatasetsDraw: function (chart) {
      var ds = chart.data.datasets[0];
      if (!ds || !ds.names || chart.width < 500) {
        return; // too narrow for names: the tooltip and the table give them
      }
      var ctx = chart.ctx;
      var area = chart.chartArea;
      ctx.save();
      ctx.font = "12px system-ui, sans-serif";
      ctx.fillStyle = "#212529";
      ctx.textBaseline = "middle";
      chart.getDatasetMeta(0).data.forEach(function (point, i) {
        var right = point.x < area.left + area.width * 0.55;
        ctx.textAlign = right ? "left" : "right";
        ctx.fillText(ds.names[i], point.x + (right ? 10 : -10), point.y);
      });
      ctx.restore();
    }
  };

  function axisTitle(text) {
    return text ? { display: true, text: text } : { display: false };
  }

  function config(spec) {
    var scatter = spec.type === "scatter";
    var data;
    if (scatter) {
      data = {
        datasets: [{
          label: spec.title,
          data: spec.points.map(function (p) { return { x: p.x, y: p.y }; }),
          names: spec.points.map(function (p) { return p.label; }),
          urls: spec.points.map(function (p) { return p.url || ""; }),
          backgroundColor: COLORS.primary,
          borderColor: COLORS.primary,
          pointRadius: 7,
          pointHoverRadius: 9,
          order: 0
        }].concat(spec.datasets.map(function (ds, i) {
          var line = dataset(spec, ds, i);
          line.showLine = true;
          return line;
        }))
      };
    } else {
      data = { labels: spec.labels, datasets: spec.datasets.map(function (ds, i) { return dataset(spec, ds, i); }) };
    }
    var y = { beginAtZero: true, title: axisTitle(spec.yTitle), ticks: { precision: 0 } };
    if (spec.yMax !== null && spec.yMax !== undefined) {
      y.suggestedMax = spec.yMax; // the axis still grows to fit larger values
    }
    return {
      type: scatter ? "scatter" : spec.type,
      data: data,
      plugins: scatter ? [pointLabels] : [],
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: scatter ? "nearest" : "index", intersect: scatter },
        scales: {
          x: scatter
            ? { type: "linear", title: axisTitle(spec.xTitle), min: 25, max: 125 }
            : { title: axisTitle(spec.xTitle), ticks: { autoSkip: true, maxRotation: 60 } },
          y: y
        },
        plugins: {
          legend: {
            position: "bottom",
            labels: {
              boxWidth: 14,
              filter: function (item, data) { return !data.datasets[item.datasetIndex].names; }
            }
          },
          tooltip: {
            callbacks: scatter ? {
              label: function (ctx) {
                var name = ctx.dataset.names[ctx.dataIndex];
                return name + ": fidelity " + ctx.parsed.x + ", rate " + ctx.parsed.y + "%";
              }
            } : {}
          }
        },
        onHover: function (event, elements, chart) {
          var link = elements.some(function (el) {
            return (chart.data.datasets[el.datasetIndex].urls || [])[el.index];
          });
          event.native.target.style.cursor = link ? "pointer" : "default";
        },
        onClick: function (event, elements, chart) {
          var hits = chart.getElementsAtEventForMode(event.native, "nearest", { intersect: true }, true);
          for (var i = 0; i < hits.length; i++) {
            var url = (chart.data.datasets[hits[i].datasetIndex].urls || [])[hits[i].index];
            if (url) {
              window.location.href = url;
              return;
            }
          }
        }
      }
    };
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    new Chart(canvas, config(spec)); // eslint-disable-line no-new
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();

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

  // Scatter: each point carries its program's name, drawn beside it (the table lists them too). Programs
  // with close scores would print their names over each other: each label tries the places around its
  // point in turn and takes the first that overlaps no label already placed, no other point and stays in
  // the plot; a name with no free place is left to the tooltip and the table. The boxes drawn are kept on
  // the chart ($labelBoxes) so the browser tests can check them.
  var LABEL_GAP = 10;
  var LABEL_HEIGHT = 14;

  function intersects(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function labelBox(point, width, place) {
    var dx = place[0], dy = place[1];
    var left = dx > 0 ? point.x + LABEL_GAP : dx < 0 ? point.x - LABEL_GAP - width : point.x - width / 2;
    var top = dy > 0 ? point.y + LABEL_GAP : dy < 0 ? point.y - LABEL_GAP - LABEL_HEIGHT : point.y - LABEL_HEIGHT / 2;
    return { left: left, top: top, right: left + width, bottom: top + LABEL_HEIGHT };
  }

  var PLACES = [[1, 0], [-1, 0], [0, -1], [0, 1], [1, -1], [-1, -1], [1, 1], [-1, 1]];

  var pointLabels = {
    id: "pointLabels",
    afterDatasetsDraw: function (chart) {
      var ds = chart.data.datasets[0];
      chart.$labelBoxes = [];
      if (!ds || !ds.names || chart.width < 500) {
        return; // too narrow for names: the tooltip and the table give them
      }
      var ctx = chart.ctx;
      var area = chart.chartArea;
      var points = chart.getDatasetMeta(0).data;
      var radius = (ds.pointRadius || 7) + 1;
      var dots = points.map(function (p) {
        return { left: p.x - radius, top: p.y - radius, right: p.x + radius, bottom: p.y + radius };
      });
      ctx.save();
      ctx.font = "12px system-ui, sans-serif";
      ctx.fillStyle = "#212529";
      ctx.textBaseline = "middle";
      ctx.textAlign = "left";
      points.forEach(function (point, i) {
        var width = ctx.measureText(ds.names[i]).width;
        for (var k = 0; k < PLACES.length; k++) {
          var box = labelBox(point, width, PLACES[k]);
          var inside = box.left >= area.left && box.right <= area.right && box.top >= area.top && box.bottom <= area.bottom;
          var free = inside && !chart.$labelBoxes.some(function (b) { return intersects(b, box); }) &&
            !dots.some(function (d, j) { return j !== i && intersects(d, box); });
          if (free) {
            ctx.fillText(ds.names[i], box.left, box.top + LABEL_HEIGHT / 2);
            chart.$labelBoxes.push({ left: box.left, top: box.top, right: box.right, bottom: box.bottom, name: ds.names[i] });
            return;
          }
        }
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

  // The chart options, for the browser tests that draw a chart of their own on a page.
  window.IPSCharts = { config: config };
  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();

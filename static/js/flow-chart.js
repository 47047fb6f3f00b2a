// The monthly flow charts, drawn from the figures Django writes in #flow-data (json_script): no inline script.
// Each canvas names the series it draws (data-series="0 1 2"), so inflow and outflow are not squashed by the
// placement goal, which has its own small chart.
(function () {
  const colours = ["#1f6f8b", "#b5651d", "#444444", "#2e7d32", "#6a1b9a"];
  const dashes = [[6, 4], [2, 3]];

  function dataset(series, i) {
    // A series is drawn as a line when it says so (or, as before, the third one); lines differ by dash too.
    const line = series.line !== undefined ? series.line : i === 2;
    return {
      label: series.label,
      data: series.data,
      type: line ? "line" : "bar",
      backgroundColor: colours[i % colours.length],
      borderColor: colours[i % colours.length],
      borderDash: line ? dashes[i % dashes.length] : [],
      pointStyle: line ? (series.point || "rectRot") : "circle",
      order: line ? 0 : 1,
    };
  }

  function drawOne(canvas, data) {
    const wanted = (canvas.dataset.series || "")
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    const indexes = wanted.length ? wanted : data.series.map(function (_s, i) { return i; });
    const datasets = indexes
      .filter(function (i) { return data.series[i] !== undefined; })
      .map(function (i) { return dataset(data.series[i], i); });
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  function draw() {
    const source = document.getElementById("flow-data");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    const data = JSON.parse(source.textContent);
    ["flow-chart", "placements-chart"].forEach(function (id) {
      const canvas = document.getElementById(id);
      if (canvas) {
        drawOne(canvas, data);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

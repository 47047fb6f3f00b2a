// The monthly flow chart, drawn from the figures Django writes in #flow-data (json_script): no inline script.
(function () {
  function draw() {
    const source = document.getElementById("flow-data");
    const canvas = document.getElementById("flow-chart");
    if (!source || !canvas || typeof window.Chart === "undefined") {
      return;
    }
    const data = JSON.parse(source.textContent);
    const colours = ["#1f6f8b", "#b5651d", "#444444", "#2e7d32", "#6a1b9a"];
    const dashes = [[6, 4], [2, 3]];
    const datasets = data.series.map(function (series, i) {
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
    });
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
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

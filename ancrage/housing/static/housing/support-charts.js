// The budget and outcomes charts, drawn from the figures Django writes in #housing-chart-data (json_script):
// no inline script. Each page has one canvas; its table holds the same figures.
(function () {
  const colours = ["#1f6f8b", "#b5651d", "#2e7d32", "#6a1b9a"];

  function draw() {
    const source = document.getElementById("housing-chart-data");
    const canvas = document.getElementById("budget-chart") || document.getElementById("outcomes-chart");
    if (!source || !canvas || typeof window.Chart === "undefined") {
      return;
    }
    const data = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (series, i) {
          return { label: series.label, data: series.data, backgroundColor: colours[i % colours.length] };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true } },
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

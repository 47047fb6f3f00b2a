// The monthly flow chart, drawn from the figures Django writes in #flow-data (json_script): no inline script.
(function () {
  function draw() {
    const source = document.getElementById("flow-data");
    const canvas = document.getElementById("flow-chart");
    if (!source || !canvas || typeof window.Chart === "undefined") {
      return;
    }
    const data = JSON.parse(source.textContent);
    const colours = ["#1f6f8b", "#b5651d", "#444444"];
    const datasets = data.series.map(function (series, i) {
      const line = i === 2;
      return {
        label: series.label,
        data: series.data,
        type: line ? "line" : "bar",
        backgroundColor: colours[i],
        borderColor: colours[i],
        borderDash: line ? [6, 4] : [],
        pointStyle: line ? "rectRot" : "circle",
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

// Progress charts of a participant (casework:progress), drawn from the figures Django writes in #progress-data
// (json_script): no inline script. Each entry is keyed by its canvas id: a radar for domain scales, lines for
// totals. The table under each chart gives the same figures.
(function () {
  const colours = ["#1f6f8b", "#b5651d", "#2e7d32", "#6a1b9a", "#444444"];
  const dashes = [[], [6, 4], [2, 3]];
  const points = ["circle", "rectRot", "triangle", "rect", "star"];

  function draw() {
    const source = document.getElementById("progress-data");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    const charts = JSON.parse(source.textContent);
    Object.keys(charts).forEach(function (id) {
      const canvas = document.getElementById(id);
      if (!canvas) {
        return;
      }
      const chart = charts[id];
      const datasets = chart.datasets.map(function (d, i) {
        return {
          label: d.label,
          data: d.data,
          borderColor: colours[i % colours.length],
          backgroundColor: colours[i % colours.length] + "33",
          borderDash: dashes[i % dashes.length],
          pointStyle: points[i % points.length],
          pointRadius: 4,
          spanGaps: true,
          fill: chart.type === "radar",
        };
      });
      const scale = { beginAtZero: true };
      if (chart.max) {
        scale.suggestedMax = chart.max;
      }
      // Long domain names: on a phone the radar shows each one short (the table under it has them whole),
      // elsewhere on a few lines, so none is cut at the canvas's edge.
      let labels = chart.labels;
      if (chart.type === "radar") {
        const narrow = window.innerWidth < 576;
        labels = chart.labels.map(function (label) {
          return narrow ? shorten(label, 12) : wrap(label, 22);
        });
        scale.pointLabels = { font: { size: narrow ? 10 : 12 } };
      }
      new window.Chart(canvas, {
        type: chart.type,
        data: { labels: labels, datasets: datasets },
        options: {
          responsive: true,
          maintainAspectRatio: true,
          aspectRatio: chart.type === "radar" ? 1.2 : 2,
          animation: false,
          scales: chart.type === "radar" ? { r: scale } : { y: scale },
          plugins: { legend: { position: "bottom" } },
        },
      });
    });
  }

  function shorten(text, width) {
    text = String(text);
    return text.length > width ? text.slice(0, width - 1).trim() + "…" : text;
  }

  function wrap(text, width) {
    const lines = [];
    let line = "";
    String(text)
      .split(" ")
      .forEach(function (word) {
        if (line && (line + " " + word).length > width) {
          lines.push(line);
          line = word;
        } else {
          line = line ? line + " " + word : word;
        }
      });
    if (line) {
      lines.push(line);
    }
    return lines;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

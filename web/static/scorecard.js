// The scorecard's chart: each skill's score against its pass mark.
(() => {
  const skills = JSON.parse(document.getElementById("scores").textContent);
  const names = Object.keys(skills).filter((name) => skills[name].score !== null);
  new Chart(document.getElementById("chart"), {
    type: "bar",
    data: {
      labels: names.map((name) => name.replace(/_/g, " ")),
      datasets: [
        { label: "Score", data: names.map((name) => skills[name].score), backgroundColor: "#1d5fa8" },
        { label: "Pass mark", data: names.map((name) => skills[name].pass_mark), backgroundColor: "#b9c3cf" },
      ],
    },
    options: { indexAxis: "y", animation: false, scales: { x: { min: 0, max: 100 } } },
  });
})();

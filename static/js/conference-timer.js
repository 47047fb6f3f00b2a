// The meeting screen's timer (D3, D4): the time left for this person and, for the timekeeper, for the meeting.
// The time spent is written to the discussion form, so it is saved with the notes. Projector mode: large type.
(function () {
  "use strict";
  function mmss(seconds) {
    const sign = seconds < 0 ? "-" : "";
    const s = Math.abs(Math.round(seconds));
    return sign + String(Math.floor(s / 60)).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0");
  }
  function init() {
    const box = document.querySelector(".conference-timer");
    if (box) {
      const budget = Number(box.dataset.personSeconds || 0);
      const meetingLeft = Number(box.dataset.meetingLeft || 0);
      let spent = Number(box.dataset.spent || 0);
      let timer = null;
      const person = box.querySelector(".timer-person");
      const meeting = box.querySelector(".timer-meeting");
      const over = box.querySelector(".timer-over");
      const field = document.getElementById("id_seconds_spent");
      function draw() {
        person.textContent = mmss(budget - spent);
        if (meeting) meeting.textContent = mmss(meetingLeft - spent);
        over.hidden = spent < budget;
        if (field) field.value = String(spent);
      }
      box.querySelector(".timer-start").addEventListener("click", function () {
        if (timer === null) timer = window.setInterval(function () { spent += 1; draw(); }, 1000);
      });
      box.querySelector(".timer-pause").addEventListener("click", function () {
        if (timer !== null) { window.clearInterval(timer); timer = null; }
      });
      draw();
    }
    const toggle = document.getElementById("projector-toggle");
    const screen = document.getElementById("conference-screen");
    if (toggle && screen) {
      if (window.localStorage && localStorage.getItem("ancrage-projector") === "1") {
        screen.classList.add("projector");
        toggle.setAttribute("aria-pressed", "true");
      }
      toggle.addEventListener("click", function () {
        const on = screen.classList.toggle("projector");
        toggle.setAttribute("aria-pressed", on ? "true" : "false");
        if (window.localStorage) localStorage.setItem("ancrage-projector", on ? "1" : "0");
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// Exit form (casework:exit_create): the shelter's justification is asked only when the destination is an
// emergency shelter. Without JavaScript the field stays on the page; the service's rule is the same either way.
(function () {
  function setUp() {
    const destination = document.getElementById("id_destination");
    const group = document.querySelector("[data-shelter-only]");
    if (!destination || !group) {
      return;
    }
    const field = group.querySelector("textarea, input");
    function update() {
      const keep = destination.value === group.dataset.shelterOnly;
      // A justification already typed, or an error on it, stays in sight.
      const hasText = field && field.value.trim() !== "";
      const hasError = group.querySelector(".is-invalid, .invalid-feedback") !== null;
      group.hidden = !(keep || hasText || hasError);
    }
    destination.addEventListener("change", update);
    update();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();

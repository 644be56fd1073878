// Polls a PDF version's status and shows its progress; reloads the page when it is finished
// (to offer the download). Without JavaScript, a <meta http-equiv="refresh"> in <noscript>
// reloads the page instead.
(function () {
  "use strict";
  var box = document.getElementById("version-progress");
  if (!box || box.getAttribute("data-finished") === "true") return;
  var bar = box.querySelector("progress");
  var text = document.getElementById("version-step");
  var url = box.getAttribute("data-status-url");

  function show(state) {
    bar.max = state.steps_total;
    bar.value = state.step;
    if (state.finished) {
      window.location.reload();
      return;
    }
    text.textContent = state.status === "queued"
      ? "Waiting to start (step 0 of " + state.steps_total + ")."
      : "Step " + Math.min(state.step + 1, state.steps_total) + " of " + state.steps_total + ": " + state.step_label + ".";
    window.setTimeout(poll, 1500);
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
      .then(show)
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, 1000);
})();

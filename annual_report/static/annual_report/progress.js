// Polls a PDF version's status and shows its progress; reloads the page when it is finished
// (to offer the download, or the retry). The words are the server's (views.state_of), so the
// page never shows a state of its own making. Without JavaScript, a <meta http-equiv="refresh">
// in <noscript> reloads the page instead.
(function () {
  "use strict";
  var box = document.getElementById("version-progress");
  if (!box || box.getAttribute("data-finished") === "true") return;
  var bar = box.querySelector("progress");
  var text = document.getElementById("version-step");
  var url = box.getAttribute("data-status-url");
  var asAt = document.getElementById("version-figures-as-at");

  function show(state) {
    if (state.finished) {
      window.location.reload();
      return;
    }
    if (bar) {
      bar.max = state.steps_total;
      bar.value = state.step;
    }
    box.setAttribute("data-state", state.status);
    if (text.textContent !== state.state) text.textContent = state.state;
    if (asAt) asAt.textContent = state.figures_as_at;
    window.setTimeout(poll, 1000);
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
      .then(show)
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, 500);
})();

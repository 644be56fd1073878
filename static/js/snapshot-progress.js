// Poll this page and swap in the new progress, until it is done or failed. Without
// JavaScript, the meta refresh in <noscript> reloads the page instead.
(function () {
  var region = document.getElementById("snapshot-progress");
  if (!region || !window.fetch || !window.DOMParser) { return; }
  function poll() {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("snapshot-progress");
        if (!fresh) { return; }
        var status = region.querySelector("#snapshot-status");
        var freshStatus = fresh.querySelector("#snapshot-status");
        if (status.innerHTML !== freshStatus.innerHTML) { status.innerHTML = freshStatus.innerHTML; }
        region.dataset.active = fresh.dataset.active;
        if (fresh.dataset.active === "true") { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();

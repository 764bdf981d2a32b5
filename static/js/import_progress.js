// Polls the import's progress and reloads the page when the work is finished.
(function () {
  "use strict";
  var bar = document.getElementById("import-progress");
  var text = document.getElementById("import-progress-text");
  if (!bar) { return; }
  function poll() {
    fetch(bar.dataset.url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.finished) { window.location.reload(); return; }
        if (data.total) {
          bar.value = Math.min(100, Math.round((100 * data.done) / data.total));
        } else {
          bar.removeAttribute("value");
        }
        text.textContent = data.status_display + " " + data.done + (data.total ? " / " + data.total : "");
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();

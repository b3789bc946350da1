/* Duels: measure the time to answer each question. */
(function () {
  "use strict";
  var shown = Date.now();
  document.body.addEventListener("htmx:afterSwap", function () { shown = Date.now(); });
  document.body.addEventListener("htmx:configRequest", function (e) {
    if (e.detail.elt.classList && e.detail.elt.classList.contains("duelform")) {
      e.detail.parameters.duration_ms = String(Date.now() - shown);
    }
  });
})();

// The meeting page: the minutes autosave line tells the truth when the network fails. The
// typed text always stays in the editor; htmx never replaces it.
(function () {
  "use strict";

  function status(form, text) {
    var line = document.getElementById("notulen-status");
    if (!line || !text) return;
    line.textContent = text;
    line.classList.toggle("autosave-error", text !== form.dataset.saving);
    line.classList.toggle("autosave-ok", false);
  }

  function minutesForm(event) {
    var elt = event.detail && event.detail.elt;
    if (!elt || !elt.closest || !elt.closest("#notulen-form, #notulen-konflik")) return null;
    return document.getElementById("notulen-form");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = minutesForm(event);
    if (form) status(form, form.dataset.saving);
  });
  document.addEventListener("htmx:sendError", function (event) {
    var form = minutesForm(event);
    if (form) status(form, form.dataset.offline);
  });
  document.addEventListener("htmx:responseError", function (event) {
    var form = minutesForm(event);
    if (form) status(form, form.dataset.failed);
  });
})();

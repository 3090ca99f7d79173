// The OPD answer pages: a form is sent once (a double click cannot submit twice), and the
// autosave line tells the truth when the network fails. The typed text always stays in the
// form; htmx never replaces it.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("once")) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (button) {
      button.disabled = true;
    });
  });

  // Coming back with the browser's Back button shows the page as it was left: enable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.once").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button").forEach(function (button) { button.disabled = false; });
    });
  });

  function status(form, text, isError) {
    var line = document.getElementById("autosave-status");
    if (!line || !text) return;
    line.textContent = text;
    line.classList.toggle("autosave-error", !!isError);
    line.classList.toggle("autosave-ok", false);
  }

  function autosaveForm(event) {
    var elt = event.detail && event.detail.elt;
    if (!elt || !elt.closest || !elt.closest("#isian-form, #konflik")) return null;
    return document.getElementById("isian-form");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = autosaveForm(event);
    if (form) status(form, form.dataset.saving, false);
  });
  document.addEventListener("htmx:sendError", function (event) {
    var form = autosaveForm(event);
    if (form) status(form, form.dataset.offline, true);
  });
  document.addEventListener("htmx:responseError", function (event) {
    var form = autosaveForm(event);
    if (form) status(form, form.dataset.failed, true);
  });
})();

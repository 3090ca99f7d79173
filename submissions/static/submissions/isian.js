// The OPD answer pages: a form is sent once (a double click cannot submit twice), and the
// autosave line tells the truth when the network fails. The typed text always stays in the
// form; htmx never replaces it. On the indicator page: the chosen level's criteria open
// under the picker, keys 1-5 choose the level, Ctrl+Enter is "Simpan & lanjut", and a
// button inserts a reference to an attached data dukung into FAKTA or ANALISIS.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("once")) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    // A disabled submitter is left out of the sent fields: carry its name and value.
    var submitter = event.submitter;
    if (submitter && submitter.name) {
      var carried = document.createElement("input");
      carried.type = "hidden";
      carried.name = submitter.name;
      carried.value = submitter.value;
      carried.dataset.carried = "1";
      form.appendChild(carried);
    }
    // form.elements: the buttons outside the form (form="…") too.
    Array.prototype.forEach.call(form.elements, function (element) {
      if (element.tagName === "BUTTON" && element.type === "submit") element.disabled = true;
    });
  });

  // Coming back with the browser's Back button shows the page as it was left: enable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.once").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("input[data-carried]").forEach(function (input) { input.remove(); });
      Array.prototype.forEach.call(form.elements, function (element) {
        if (element.tagName === "BUTTON") element.disabled = false;
      });
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
    if (!form) return;
    // The form itself is being sent (Simpan & lanjut, Ajukan): a late autosave would only
    // race it and make it conflict.
    if (form.dataset.sent) { event.preventDefault(); return; }
    status(form, form.dataset.saving, false);
  });
  document.addEventListener("htmx:sendError", function (event) {
    var form = autosaveForm(event);
    if (form) status(form, form.dataset.offline, true);
  });
  document.addEventListener("htmx:responseError", function (event) {
    var form = autosaveForm(event);
    if (form) status(form, form.dataset.failed, true);
  });

  // --- The indicator page ---------------------------------------------------------------

  function answerForm() { return document.getElementById("isian-form"); }

  // The chosen level's criteria open under the picker; the others close (one tap away).
  function showCriteria(level) {
    document.querySelectorAll("#kriteria details.level-criteria").forEach(function (details) {
      details.open = details.dataset.level === String(level);
    });
    var hint = document.getElementById("petunjuk-tingkat");
    if (hint) hint.hidden = true;
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.name === "level" && target.closest && target.closest("#isian-form")) {
      showCriteria(target.value);
    }
  });

  function typing(target) {
    var tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable) return true;
    return tag === "INPUT" && target.type !== "radio" && target.type !== "checkbox";
  }

  function chooseLevel(level) {
    var form = answerForm();
    var input = form && form.querySelector('input[name="level"][value="' + level + '"]');
    if (!input || input.disabled) return false;
    if (!input.checked) {
      input.checked = true;
      // As a click would: the criteria open and the autosave runs.
      input.dispatchEvent(new Event("change", { bubbles: true }));
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
    // Chosen by key, the person types next: straight into an empty FAKTA (the criteria stay
    // in view beside it). Not on a tap: a phone's keyboard would cover the criteria to read.
    var fakta = form.querySelector('textarea[name="fakta"]');
    if (fakta && !fakta.value.trim() && !fakta.readOnly) {
      fakta.focus({ preventScroll: true });
    } else {
      input.focus();
    }
    return true;
  }

  document.addEventListener("keydown", function (event) {
    var form = answerForm();
    if (!form) return;
    var target = event.target;
    var inOtherForm = target.form && target.form !== form;
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      // Anywhere on the page (also right after choosing files in the data dukung panel),
      // but not while an upload is still being sent: leaving would cut it off.
      var next = document.getElementById("simpan-lanjut");
      if (next && !next.disabled && !document.querySelector("#data-dukung .htmx-request")) {
        event.preventDefault();
        next.click();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (typing(target) || inOtherForm) return;
    if (/^[1-9]$/.test(event.key) && chooseLevel(event.key)) event.preventDefault();
  });

  // --- Text boxes that grow with their text (CSS field-sizing where the browser has it) --

  function fit(textarea) {
    if (window.CSS && CSS.supports && CSS.supports("field-sizing", "content")) return;
    textarea.style.height = "auto";
    textarea.style.height = textarea.scrollHeight + 2 + "px";
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target.tagName === "TEXTAREA" && target.closest && target.closest("#isian-form")) {
      fit(target);
    }
  });

  // --- Last year's answer as a starting point --------------------------------------------

  // Fills only what is still empty (the level, FAKTA, ANALISIS), then lets the autosave run.
  function usePrevious(button) {
    var form = answerForm();
    if (!form) return;
    var used = false;
    var level = button.dataset.level;
    if (level && !form.querySelector('input[name="level"]:checked')) {
      var radio = form.querySelector('input[name="level"][value="' + level + '"]');
      if (radio && !radio.disabled) {
        radio.checked = true;
        radio.dispatchEvent(new Event("change", { bubbles: true }));
        used = true;
      }
    }
    ["fakta", "analisis"].forEach(function (name) {
      var field = form.querySelector('textarea[name="' + name + '"]');
      if (field && !field.value.trim() && button.dataset[name]) {
        field.value = button.dataset[name];
        used = true;
      }
    });
    var result = document.getElementById("pakai-tahun-lalu-hasil");
    if (result) result.textContent = used ? button.dataset.done : button.dataset.full;
    if (!used) return;
    form.querySelectorAll("textarea").forEach(fit);
    var fakta = form.querySelector('textarea[name="fakta"]');
    fakta.dispatchEvent(new Event("input", { bubbles: true }));
    fakta.focus({ preventScroll: true });
    fakta.setSelectionRange(fakta.value.length, fakta.value.length);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("#pakai-tahun-lalu");
    if (button) usePrevious(button);
  });

  // --- References to the attached data dukung ------------------------------------------

  function attached() {
    return Array.prototype.map.call(
      document.querySelectorAll("#data-dukung .evidence-item[data-reference]"),
      function (item) {
        return { reference: item.dataset.reference, title: item.dataset.title || "" };
      }
    );
  }

  function insertAt(textarea, text) {
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    if (typeof start !== "number") { start = end = textarea.value.length; }
    textarea.focus();
    textarea.setRangeText(text, start, end, "end");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function closePicker(button) {
    var picker = document.getElementById(button.getAttribute("aria-controls"));
    if (picker) { picker.hidden = true; picker.textContent = ""; }
    button.setAttribute("aria-expanded", "false");
  }

  function openPicker(button) {
    var picker = document.getElementById(button.getAttribute("aria-controls"));
    var textarea = document.getElementById(button.dataset.target);
    if (!picker || !textarea) return;
    picker.textContent = "";
    var items = attached();
    var lead = document.createElement("p");
    lead.className = "small";
    lead.textContent = items.length ? picker.dataset.choose : picker.dataset.empty;
    picker.appendChild(lead);
    if (items.length) {
      var list = document.createElement("ul");
      items.forEach(function (item) {
        var entry = document.createElement("li");
        var choice = document.createElement("button");
        choice.type = "button";
        choice.className = "btn ref-choice";
        choice.textContent = item.title ? item.reference + " — " + item.title : item.reference;
        choice.addEventListener("click", function () {
          closePicker(button);
          insertAt(textarea, item.reference);
        });
        entry.appendChild(choice);
        list.appendChild(entry);
      });
      picker.appendChild(list);
    }
    picker.hidden = false;
    button.setAttribute("aria-expanded", "true");
    var first = picker.querySelector("button");
    if (first) first.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".ref-button");
    if (!button) return;
    if (button.getAttribute("aria-expanded") === "true") closePicker(button);
    else openPicker(button);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var picker = event.target.closest && event.target.closest(".ref-picker");
    if (!picker) return;
    var button = document.querySelector('.ref-button[aria-controls="' + picker.id + '"]');
    if (button) { closePicker(button); button.focus(); }
  });

  // The data dukung panel rewrote the references after a detach (HX-Trigger header):
  // show the stored texts and carry their version, or the next save would conflict.
  document.addEventListener("dataDukungBerubah", function (event) {
    var detail = event.detail || {};
    var fields = { fakta: "id_fakta", analisis: "id_analisis" };
    Object.keys(fields).forEach(function (name) {
      var textarea = document.getElementById(fields[name]);
      if (textarea && typeof detail[name] === "string") textarea.value = detail[name];
    });
    var version = document.getElementById("id_version");
    if (version && detail.version !== undefined && detail.version !== null) {
      version.value = detail.version;
    }
  });

  function ready() {
    if (!answerForm()) return;
    document.querySelectorAll(".ref-button, #pintasan, .previous-use").forEach(function (element) {
      element.hidden = false;
    });
    document.querySelectorAll("#isian-form textarea").forEach(fit);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();

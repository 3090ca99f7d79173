/* The data dukung panel (evidence/_panel.html): many files at once.
 *
 * Each chosen or dropped file is posted on its own (two at a time) to the upload form's
 * action, with its own row in `.evidence-progress`: a <progress> fed by the upload's
 * progress, then "Selesai" or the server's reason. On a saved answer's panel (the form's
 * `data-rows`) the upload asks (X-Evidence-Rows) for the outcome and the stored file's row
 * only (evidence/_panel_rows.html), put in place in the panel shown; before the answer
 * exists the server answers the whole panel (the first file creates the answer, and every
 * form's URL changes), which replaces it.
 * The progress list itself is carried over into every new panel (also when HTMX swaps it
 * after another action), so running rows are never lost.
 * Without JavaScript the form posts all files in one request.
 */
(function () {
  "use strict";
  if (window.monevEvidencePanel) return; // the fragment (and this script) may be swapped in again
  window.monevEvidencePanel = true;

  var AT_ONCE = 2;
  var queue = [];
  var running = 0;
  var live = null; // the progress list in use, moved into each new panel

  function currentPanel() {
    return document.querySelector(".evidence-panel");
  }

  function text(panel, name) {
    return panel.getAttribute("data-text-" + name) || "";
  }

  function setUp(panel) {
    var list = panel.querySelector(".evidence-progress");
    if (live && live !== list && !live.isConnected) {
      list.replaceWith(live);
    } else {
      live = list;
    }
    if (panel.dataset.ready) return;
    panel.dataset.ready = "1";
    var form = panel.querySelector("form.evidence-upload");
    if (!form) return;
    var input = form.querySelector("input[type=file]");
    var drop = form.querySelector(".evidence-drop");
    form.classList.add("evidence-upload-js");
    input.tabIndex = -1; // the drop zone is the keyboard's way to the file dialog
    drop.hidden = false;
    drop.addEventListener("click", function () {
      input.click();
    });
    input.addEventListener("change", function () {
      add(input.files);
      input.value = "";
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      add(input.files);
      input.value = "";
    });
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) {
        event.preventDefault();
        drop.classList.add("evidence-drop-over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function () {
        drop.classList.remove("evidence-drop-over");
      });
    });
    drop.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer) add(event.dataTransfer.files);
    });
  }

  function add(files) {
    var panel = currentPanel();
    if (!running && !queue.length) {
      // A new batch: the stored files of the last one are in the list above by now; the
      // refused ones stay until the person has seen them go.
      live.querySelectorAll(".evidence-progress-done").forEach(function (row) {
        row.remove();
      });
    }
    Array.prototype.slice.call(files || []).forEach(function (file) {
      var row = document.createElement("li");
      row.className = "evidence-progress-row";
      var name = document.createElement("span");
      name.className = "evidence-progress-name";
      name.textContent = file.name;
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", file.name);
      var state = document.createElement("span");
      state.className = "evidence-progress-state";
      state.textContent = text(panel, "waiting");
      row.append(name, bar, state);
      live.appendChild(row);
      queue.push({ file: file, row: row, bar: bar, state: state });
    });
    pump();
  }

  function pump() {
    while (running < AT_ONCE && queue.length) {
      running += 1;
      send(queue.shift());
    }
  }

  function finish(job, ok, message) {
    job.row.classList.add(ok ? "evidence-progress-done" : "evidence-progress-refused");
    job.state.textContent = message;
    if (ok) job.bar.value = 100;
    running -= 1;
    pump();
  }

  function send(job) {
    var panel = currentPanel();
    var form = panel && panel.querySelector("form.evidence-upload");
    if (!form) {
      // The panel became read-only meanwhile (the deadline passed, the answer was submitted).
      var reason = panel && panel.querySelector(".message-warning, .message-error");
      finish(job, false, reason ? reason.textContent.trim() : text(panel, "failed"));
      return;
    }
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    data.append("next", form.elements.next.value);
    data.append("file", job.file, job.file.name);
    var request = new XMLHttpRequest();
    // The action is read now: once the first file created the answer, the refreshed
    // panel's form posts to the saved answer's URL.
    request.open("POST", form.action);
    request.setRequestHeader("HX-Request", "true");
    request.setRequestHeader("HX-Current-URL", window.location.href);
    if (form.hasAttribute("data-rows")) request.setRequestHeader("X-Evidence-Rows", "1");
    job.state.textContent = text(panel, "uploading");
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) job.bar.value = Math.round((100 * event.loaded) / event.total);
    });
    request.addEventListener("load", function () {
      var answer = new DOMParser().parseFromString(request.responseText, "text/html");
      var fresh = answer.querySelector(".evidence-panel, .evidence-panel-rows");
      if (request.status === 200 && fresh) {
        // A whole panel replaces the one shown only while the answer does not exist yet
        // (it brings the saved answer's forms). Two files sent before that both come back
        // whole, in either order: the later answer must not take away the other's row.
        if (fresh.classList.contains("evidence-panel") && !savedAnswerPanel()) replace(fresh);
        else merge(fresh);
        finish(job, true, text(currentPanel(), "done"));
      } else {
        var error = fresh && fresh.querySelector(".message-error");
        finish(job, false, error ? error.textContent.trim() : text(currentPanel(), "failed"));
      }
    });
    request.addEventListener("error", function () {
      finish(job, false, text(currentPanel(), "failed"));
    });
    request.send(data);
  }

  function savedAnswerPanel() {
    var form = currentPanel().querySelector("form.evidence-upload");
    return !!form && form.hasAttribute("data-rows");
  }

  function replace(fresh) {
    var panel = currentPanel();
    var focused = document.activeElement;
    var focusedId = focused && panel.contains(focused) ? focused.id : "";
    var focusedDrop = focused && focused.classList && focused.classList.contains("evidence-drop");
    var node = document.importNode(fresh, true);
    panel.replaceWith(node);
    if (window.htmx) window.htmx.process(node);
    setUp(node);
    var again = focusedId ? document.getElementById(focusedId) : null;
    if (!again && focusedDrop) again = node.querySelector(".evidence-drop");
    if (again) again.focus();
  }

  // An upload's outcome and new rows (evidence/_panel_rows.html, or a whole panel that
  // came back after the answer was created) put in the panel shown: the outcome in place
  // of the last one, each row in its place among the attached (a row already there, the
  // same file sent again, is replaced; none is taken away).
  function merge(rows) {
    var panel = currentPanel();
    var at = panel.querySelector("h2");
    panel.querySelectorAll(":scope > .message-success, :scope > .message-error").forEach(
      function (old) {
        old.remove();
      }
    );
    rows.querySelectorAll(":scope > .message").forEach(function (message) {
      var node = document.importNode(message, true);
      at.after(node);
      at = node;
    });
    var items = rows.querySelector(".evidence-items");
    if (!items) return;
    var list = panel.querySelector(".evidence-items");
    if (!list) {
      list = document.importNode(items, false);
      var empty = panel.querySelector(".evidence-empty");
      if (empty) empty.replaceWith(list);
      else live.before(list);
    }
    Array.prototype.forEach.call(items.children, function (item) {
      var node = document.importNode(item, true);
      var position = Number(node.dataset.position);
      var same = null;
      var next = null;
      Array.prototype.forEach.call(list.children, function (row) {
        if (row.id === node.id) same = row;
        else if (!next && Number(row.dataset.position) > position) next = row;
      });
      if (same) same.replaceWith(node);
      else list.insertBefore(node, next);
      if (window.htmx) window.htmx.process(node);
    });
  }

  function setUpAll(root) {
    if (root.matches && root.matches(".evidence-panel")) setUp(root);
    if (root.querySelectorAll) root.querySelectorAll(".evidence-panel").forEach(setUp);
  }

  // HTMX swaps the panel after the other actions (and the answer's first autosave).
  document.addEventListener("htmx:load", function (event) {
    setUpAll(event.target);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      setUpAll(document);
    });
  } else {
    setUpAll(document);
  }
})();

// Meeting mode (SOP step 6): keyboard shortcuts for the coordination meeting, and a question
// before leaving an indicator whose typed text is not saved. Without JavaScript every link
// and the form still work as plain HTML; htmx does the swapping.
(function () {
  "use strict";

  var dirty = false;

  function form() { return document.getElementById("decision-form"); }

  function typing(target) {
    var tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable) return true;
    return tag === "INPUT" && target.type !== "radio" && target.type !== "checkbox";
  }

  function follow(kind) {
    var link = document.querySelector('#meeting [data-meeting-nav="' + kind + '"]');
    if (!link) return false;
    // A link swapped in by the last save may not be wired by htmx yet (that happens when the
    // swap settles); wire it now, or the click would load the whole page.
    if (window.htmx) window.htmx.process(link);
    link.click();
    return true;
  }

  function chooseLevel(level) {
    var current = form();
    var input = current && current.querySelector('input[name="level"][value="' + level + '"]');
    if (!input || input.disabled) return false;
    input.checked = true;
    dirty = true;
    return true;
  }

  document.addEventListener("input", function (event) {
    if (event.target.closest && event.target.closest("#decision-form")) dirty = true;
  });

  document.addEventListener("keydown", function (event) {
    if (!document.getElementById("meeting")) return;
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      var current = form();
      if (current && !current.querySelector("fieldset[disabled]")) {
        event.preventDefault();
        current.requestSubmit();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    // On a level button the arrow keys keep their usual meaning (the next level).
    var onChoice = event.target.type === "radio" || event.target.type === "checkbox";
    var handled = false;
    if (event.key === "j" || (event.key === "ArrowRight" && !onChoice)) handled = follow("next");
    else if (event.key === "k" || (event.key === "ArrowLeft" && !onChoice)) handled = follow("previous");
    else if (event.key === "n") handled = follow("undecided");
    else if (/^[0-9]$/.test(event.key)) handled = chooseLevel(event.key);
    if (handled) event.preventDefault();
  });

  // Leaving an indicator with unsaved text asks first.
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    if (!dirty || !elt.closest || !elt.closest("[data-meeting-nav]")) return;
    event.preventDefault();
    if (window.confirm(document.getElementById("meeting").dataset.unsaved)) {
      dirty = false;
      event.detail.issueRequest(true);
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && document.getElementById("meeting")) event.preventDefault();
  });

  // On the swap itself, not when it settles (some 20 ms later): a key pressed in between
  // must already see the saved form as clean, or leaving would ask about unsaved text.
  document.addEventListener("htmx:afterSwap", function (event) {
    var current = form();
    if (event.detail.requestConfig && event.detail.requestConfig.verb === "get") {
      // A new indicator on screen: start reading at its title.
      dirty = false;
      var title = document.getElementById("indicator-title");
      if (title) title.focus({ preventScroll: true });
    } else if (current && current.dataset.saved) {
      dirty = false;
    }
  });
})();

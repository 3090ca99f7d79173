// Meeting mode (SOP step 6): keyboard shortcuts for the coordination meeting, a question
// before leaving an indicator whose typed text is not saved, and full screen for the projector
// (key f or the button; Esc leaves, as the browser does). Without JavaScript every link
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

  function toggleFullscreen() {
    if (!document.fullscreenEnabled) return false;
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen().catch(function () {});
    return true;
  }

  function toggleHelp() {
    var help = document.querySelector("#meeting .meeting-help");
    if (!help) return false;
    help.open = !help.open;
    return true;
  }

  function closeHelp() {
    var help = document.querySelector("#meeting .meeting-help[open]");
    if (help) help.open = false;
    return Boolean(help);
  }

  // The bar is rendered anew with each swap: show the full-screen button where the browser
  // allows it, say whether it is on, and scroll the strip to the indicator on screen.
  function syncBar() {
    var button = document.querySelector("#meeting [data-meeting-fullscreen]");
    if (button) {
      button.hidden = !document.fullscreenEnabled;
      button.setAttribute("aria-pressed", document.fullscreenElement ? "true" : "false");
    }
    var strip = document.querySelector("#meeting .meeting-strip");
    var current = strip && strip.querySelector('[aria-current="page"]');
    if (current) {
      // Not scrollIntoView: that could move the page as well as the strip.
      strip.scrollLeft = current.offsetLeft - strip.offsetLeft - (strip.clientWidth - current.offsetWidth) / 2;
    }
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-meeting-fullscreen]")) toggleFullscreen();
  });
  document.addEventListener("fullscreenchange", syncBar);
  document.addEventListener("DOMContentLoaded", syncBar);
  // A save swaps the bar out of band; it is in place once the swap settles.
  document.addEventListener("htmx:afterSettle", syncBar);

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
    else if (event.key === "f" || event.key === "F") handled = toggleFullscreen();
    else if (event.key === "?") handled = toggleHelp();
    else if (event.key === "Escape") handled = closeHelp();
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
    syncBar();
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

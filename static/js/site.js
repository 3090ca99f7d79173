// The site frame: on a phone the header's menu button shows and hides the menu. Without
// JavaScript there is no button and the menu stays open below the brand (monev.css keys
// both on the "js" class set here, before the first paint).
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function button() { return document.querySelector(".menu-toggle"); }

  function setOpen(toggle, open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.addEventListener("click", function (event) {
    var toggle = button();
    if (!toggle) return;
    if (toggle.contains(event.target)) {
      setOpen(toggle, toggle.getAttribute("aria-expanded") !== "true");
    } else if (!event.target.closest("#site-menu")) {
      setOpen(toggle, false); // a tap elsewhere on the page closes it
    }
  });

  // Escape closes the open menu and puts the focus back on its button.
  document.addEventListener("keydown", function (event) {
    var toggle = button();
    if (event.key !== "Escape" || !toggle || toggle.getAttribute("aria-expanded") !== "true") return;
    setOpen(toggle, false);
    toggle.focus();
  });
})();

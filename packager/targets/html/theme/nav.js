/* Site pages: on a small screen the course navigation folds under a button at the top of the
 * page (style.css says what is small, and keeps the button out of sight on larger screens).
 * Without scripts the navigation follows the page. */
(function () {
  "use strict";

  var button = document.querySelector("button.nav-toggle");
  var nav = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!nav) return;

  function show(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("open", open);
  }

  document.documentElement.classList.add("nav-js");
  button.hidden = false;
  show(false);
  button.addEventListener("click", function () {
    show(button.getAttribute("aria-expanded") !== "true");
  });
  // Escape folds the open navigation and returns to its button (only where it folds)
  nav.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape" || !nav.classList.contains("open")) return;
    if (window.getComputedStyle(button).display === "none") return;
    show(false);
    button.focus();
  });
})();

/* Assignment pages: the print button of the grading checklist. The button stays hidden
 * without scripts (the browser's own printing then prints the page, print.css keeps it clean);
 * with them it prints the assignment's title, grading and checklist only. */
(function () {
  "use strict";

  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var list = button.closest(".checklist");
      document.body.classList.add("printing-checklist");
      if (list) list.classList.add("printing");
      window.print();
      // print() returns once the dialog closes; afterprint also comes then
      document.body.classList.remove("printing-checklist");
      if (list) list.classList.remove("printing");
    });
  });
})();

/* Task Force e-Guide: accessibility and print helpers. No network requests.
 * Quick exit lives in quick-exit.js, loaded in <head>. */
(function () {
  "use strict";

  // Accessibility touches on Material's output, run after each page is ready:
  // sideways-scrolling tables can be reached by keyboard, and checklist boxes
  // (printable, not interactive) are named by their item's text.
  function enhance() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (el) {
      if (!el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
      }
    });
    document.querySelectorAll(".task-list-item input[type=checkbox]").forEach(function (box) {
      if (!box.hasAttribute("aria-label")) {
        var item = box.closest(".task-list-item");
        box.setAttribute("aria-label", (item ? item.textContent : "").trim().slice(0, 150) || "Checklist item");
      }
    });
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(enhance);
  } else {
    document.addEventListener("DOMContentLoaded", enhance);
  }

  // Print: open every collapsible block and write the page address on top.
  var closedDetails = [];
  window.addEventListener("beforeprint", function () {
    closedDetails = Array.prototype.filter.call(
      document.querySelectorAll("details:not([open])"),
      function (el) { el.setAttribute("open", ""); return true; }
    );
    var url = document.querySelector("[data-eguide-print-url]");
    if (url && /^https?:/.test(window.location.protocol)) {
      url.textContent = window.location.href.split("#")[0];
    }
  });
  window.addEventListener("afterprint", function () {
    closedDetails.forEach(function (el) { el.removeAttribute("open"); });
    closedDetails = [];
  });
})();

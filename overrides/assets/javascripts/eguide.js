/* Task Force e-Guide: accessibility and print helpers. No network requests.
 * Quick exit lives in quick-exit.js, loaded in <head>. */
(function () {
  "use strict";

  // Accessibility touches on Material's output, run after each page is ready:
  // sideways-scrolling tables can be reached by keyboard and show that they scroll,
  // and checklist boxes
  // (printable, not interactive) are named by their item's text.
  function enhance() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (el) {
      if (!el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
      }
      markScrolling(el);
    });
    document.querySelectorAll(".task-list-item input[type=checkbox]").forEach(function (box) {
      if (!box.hasAttribute("aria-label")) {
        var item = box.closest(".task-list-item");
        box.setAttribute("aria-label", (item ? item.textContent : "").trim().slice(0, 150) || "Checklist item");
      }
    });
  }
  // A table wider than the screen says so (hint, faded edge, region name); a narrow
  // first column (the key) stays in view.
  function markScrolling(wrap) {
    var table = wrap.querySelector("table");
    if (!table) {
      return;
    }
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    wrap.classList.toggle("eguide-scrolls", scrolls);
    var hint = wrap.previousElementSibling;
    var hasHint = hint && hint.classList.contains("eguide-scroll-hint");
    if (!scrolls) {
      if (hasHint) {
        hint.remove();
      }
      wrap.classList.remove("eguide-sticky-first");
      return;
    }
    if (!hasHint) {
      hint = document.createElement("p");
      hint.className = "eguide-scroll-hint";
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = "Scroll sideways to see every column";
      wrap.parentNode.insertBefore(hint, wrap);
    }
    var caption = table.querySelector("caption");
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", (caption ? caption.textContent.trim() + ": " : "") +
      "table, scrolls sideways");
    var first = table.querySelector("tr > :first-child");
    wrap.classList.toggle("eguide-sticky-first",
      !!first && first.getBoundingClientRect().width <= wrap.clientWidth * 0.4);
    var atEnd = function () {
      wrap.classList.toggle("eguide-scrolls--end",
        wrap.scrollLeft + wrap.clientWidth >= wrap.scrollWidth - 2);
    };
    atEnd();
    if (!wrap.eguideScrollWatched) {
      wrap.eguideScrollWatched = true;
      wrap.addEventListener("scroll", atEnd, { passive: true });
    }
  }
  window.addEventListener("resize", function () {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(markScrolling);
  });

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

/* Quick exit, loaded in <head>. Each guide history entry of the tab carries its step
 * (history.state); quick exit goes back to step 0 and replaces it with the neutral
 * page; a sessionStorage note makes guide pages reached later by Back/Forward leave
 * before they are drawn. Design and limits: docs/about/browsing-safely.md. */
(function () {
  "use strict";

  var meta = document.querySelector('meta[name="eguide:quick-exit"]');
  var exitUrl = meta ? meta.getAttribute("content") : "about:blank";
  var EXITED = "eguide:exited"; // set when this tab left by quick exit
  var NEXT = "eguide:next";     // the guide link just followed, and its step
  var KEY = "eguideStep";       // the key of our number in history.state

  function store(action, key, value) {
    try {
      var s = window.sessionStorage;
      if (action === "get") { return s.getItem(key); }
      if (action === "set") { s.setItem(key, value); } else { s.removeItem(key); }
    } catch (e) { /* storage blocked: quick exit still replaces this entry */ }
    return null;
  }

  function hide() {
    document.documentElement.style.visibility = "hidden";
  }

  function leave() {
    hide();
    document.title = "";
    window.location.replace(exitUrl);
  }

  function howLoaded() {
    var nav = window.performance && performance.getEntriesByType &&
      performance.getEntriesByType("navigation")[0];
    return nav ? nav.type : "navigate";
  }

  // 1. Brought back by Back, Forward or a reload after a quick exit: leave unseen.
  if (store("get", EXITED) && howLoaded() !== "navigate") {
    leave();
    return;
  }
  store("remove", EXITED);

  function stateStep(state) {
    return state && typeof state === "object" && typeof state[KEY] === "number"
      ? state[KEY] : null;
  }

  function withStep(state, step) {
    if (state === null || state === undefined) { state = {}; }
    if (typeof state !== "object") { return state; }
    var copy = {};
    Object.keys(state).forEach(function (k) { copy[k] = state[k]; });
    copy[KEY] = step;
    return copy;
  }

  var nativeReplace = history.replaceState.bind(history);
  var nativePush = history.pushState.bind(history);
  var current = stateStep(history.state);

  // 2. Number this entry: kept on reload and Back/Forward; one more than the guide
  //    page whose link brought us here; otherwise 0 (arrived from elsewhere).
  if (current === null) {
    current = 0;
    var next = null;
    try { next = JSON.parse(store("get", NEXT) || "null"); } catch (e) { next = null; }
    if (next && typeof next.step === "number" &&
        next.href === location.href.split("#")[0]) {
      current = Math.min(next.step + 1, Math.max(history.length - 1, 0));
    }
    nativeReplace(withStep(history.state, current), "");
  }
  store("remove", NEXT);

  // The theme rewrites history.state as the reader scrolls (section tracking): keep
  // our number in whatever it writes, and number the entries it adds.
  function sync() {
    var step = stateStep(history.state);
    if (step === null) {
      // A new in-page entry (a section link): one step after the one we were on.
      current += 1;
      nativeReplace(withStep(history.state, current), "");
    } else {
      current = step;
    }
  }
  history.replaceState = function (state, title, url) {
    sync();
    var args = Array.prototype.slice.call(arguments);
    args[0] = withStep(state, current);
    return nativeReplace.apply(null, args);
  };
  history.pushState = function (state, title, url) {
    sync();
    current += 1;
    var args = Array.prototype.slice.call(arguments);
    args[0] = withStep(state, current);
    return nativePush.apply(null, args);
  };

  var exiting = false;
  window.addEventListener("popstate", function () {
    if (exiting) { leave(); return; } // arrived at an earlier entry of this page
    sync();
  });
  window.addEventListener("hashchange", function () {
    if (!exiting) { sync(); }
  });

  // A page kept in the back/forward cache is hidden as it is put away, so that if a
  // quick exit brings it back it is never drawn; otherwise it is shown again.
  window.addEventListener("pagehide", function (event) {
    if (event.persisted) { hide(); }
  });
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    if (store("get", EXITED)) { leave(); return; }
    document.documentElement.style.visibility = "";
  });

  function quickExit(event) {
    if (event) { event.preventDefault(); }
    if (exiting) { return; }
    exiting = true;
    hide();
    document.title = "";
    store("set", EXITED, "1");
    sync();
    var back = Math.min(current, history.length - 1);
    if (back > 0) {
      // Step back to the first guide entry; it leaves at once (popstate above, or
      // check 1 / pageshow in the page that loads). If nothing happens, leave here.
      history.go(-back);
      window.setTimeout(leave, 1500);
    } else {
      leave();
    }
  }

  // Following a guide link in this tab: note which page and which step comes next.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link) { return; }
    if (link.hasAttribute("data-eguide-quick-exit")) {
      quickExit(event);
      return;
    }
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey || (link.target && link.target !== "_self") ||
        link.hasAttribute("download")) {
      return;
    }
    var href = link.href.split("#")[0];
    if (href === location.href.split("#")[0] && link.hash) { return; } // same page
    sync();
    store("set", NEXT, JSON.stringify({ href: href, step: current }));
  }, true);

  // Escape pressed twice within a second leaves the guide.
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < 1000) { quickExit(event); }
    lastEscape = now;
  }, true);
})();

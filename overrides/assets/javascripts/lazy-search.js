/* Load search only when a reader reaches for it.
 *
 * Material for MkDocs downloads search/search_index.json on every page view, which
 * is most of a first visit's bytes on a phone. This script, loaded before Material's
 * bundle, holds back that one request until the reader focuses or opens search (or
 * presses one of Material's search keys). At the same moment it loads
 * search-query.js, which rewrites typed questions before they reach the search
 * worker, so that script costs nothing on a page view either. The offline bundle
 * (file://) loads its index as a local script; only the query script is deferred there.
 */
(function () {
  "use strict";
  var me = document.currentScript;
  var queryScript = me && me.src ? me.src.replace(/lazy-search\.js(\?.*)?$/, "search-query.js") : null;
  var release;
  var wanted = new Promise(function (resolve) { release = resolve; });
  wanted.then(function () {
    if (!queryScript) { return; }
    var script = document.createElement("script");
    script.src = queryScript;
    document.head.appendChild(script);
  });

  function onIntent(event) {
    var target = event.target;
    var inSearch = target && target.closest &&
      target.closest(".md-search, label[for='__search'], #__search");
    var hotkey = event.type === "keydown" && /^[/sf]$/.test(event.key || "") &&
      !(target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (inSearch || hotkey) {
      release();
    }
  }
  ["focusin", "pointerdown", "click", "keydown", "touchstart"].forEach(function (type) {
    document.addEventListener(type, onIntent, { capture: true, passive: true });
  });

  if (location.protocol === "file:" || !window.XMLHttpRequest) {
    return;
  }
  var INDEX = /\/search\/search_index\.json(?:[?#]|$)/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.__eguideDefer = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var xhr = this;
    var args = arguments;
    if (!xhr.__eguideDefer) {
      return send.apply(xhr, args);
    }
    wanted.then(function () { send.apply(xhr, args); });
  };
})();

/* Load the search index only when a reader reaches for search.
 *
 * Material for MkDocs downloads search/search_index.json on every page view, which
 * is most of a first visit's bytes on a phone. This script, loaded before Material's
 * bundle, holds back that one request until the reader focuses or opens search (or
 * presses one of Material's search keys). Everything else is untouched. The offline
 * bundle (file://) loads its index as a local script and is left alone.
 */
(function () {
  "use strict";
  if (location.protocol === "file:" || !window.XMLHttpRequest) {
    return;
  }
  var INDEX = /\/search\/search_index\.json(?:[?#]|$)/;
  var release;
  var wanted = new Promise(function (resolve) { release = resolve; });

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

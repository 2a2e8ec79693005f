/* Rewrites the query sent to the search worker (the box shows what was typed): drops
 * stop words, which the worker would otherwise expand ("a" -> "a*"); keeps 1-2 letter
 * words and hyphenated codes (T-1, I-914, phone numbers) exact; trims plural and -ed
 * endings; needs every word when there are two or three. Loaded before the bundle. */
(function () {
  "use strict";
  var Worker = window.Worker;
  if (!Worker || !Worker.prototype || !Worker.prototype.postMessage) {
    return;
  }
  var QUERY = 2; // Material's SearchMessageType.QUERY

  // lunr.js's English stop word list (the search plugin's stopWordFilter).
  var STOP = {};
  ("a able about across after all almost also am among an and any are as at be because " +
   "been but by can cannot could dear did do does either else ever every for from get got " +
   "had has have he her hers him his how however i if in into is it its just least let " +
   "like likely may me might most must my neither no nor not of off often on only or " +
   "other our own rather said say says she should since so some than that the their " +
   "them then there these they this tis to too twas us wants was we were what when " +
   "where which while who whom why will with would yet you your " +
   // and the commonest Spanish ones, for the Spanish handouts ("línea de ayuda")
   "de del la las el los lo y o un una unos unas en con por para al que se su sus es").split(" ")
    .forEach(function (word) { STOP[word] = true; });

  // Characters lunr's query syntax gives a meaning to, and punctuation around words.
  var SYNTAX = /[+\-:^~*\\]/g;
  var EDGES = /^[^0-9a-z\u00c0-\uffff]+|[^0-9a-z\u00c0-\uffff]+$/g;

  // Words whose stem would be a word every page uses: "forced" must not become "forc",
  // which finds "task force(s)" in nearly every title.
  var KEEP = { forced: true };

  // Light stemming: the index keeps words as written and the worker matches the start
  // of words, so "survivors" should also find "survivor", "trafficked" "trafficking".
  // Not "-ing": "working" would widen to "work", "workers", "workplace"…
  function stem(word) {
    if (KEEP[word]) { return word; }
    // Spanish, typed without its accent on a phone: "informacion" -> "información".
    if (/[^\u00c0-\uffff]cion(es)?$/.test(word)) { return word.replace(/cion(es)?$/, "ción"); }
    // Spanish plurals in -es after l, r, n, d or z ("laborales", "trabajadores"): the
    // singular is the stem. Six letters or more left, so "roles" and "lines" are not cut.
    if (word.length >= 8 && /[lrndz]es$/.test(word)) { return word.slice(0, -2); }
    if (word.length >= 6 && /ies$/.test(word)) { return word.slice(0, -3); }
    if (word.length >= 6 && /ed$/.test(word)) { return word.slice(0, -2); }
    if (word.length >= 4 && /[^su]s$/.test(word)) { return word.slice(0, -1); }
    return word;
  }

  // A term: its text, whether it must match whole (no wildcard), whether it must be
  // present. Written in lunr's query syntax, which the worker understands.
  function write(term) {
    if (term.required) { return "+" + term.text + (term.whole ? "" : "*"); }
    return term.whole ? term.text + "^1" : term.text;  // the worker adds "*" itself
  }

  function termsOf(raw) {
    var word = raw.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/§/g, "")
      .replace(EDGES, "").replace(/'s$/, "").replace(/'$/, "");
    if (!word) { return []; }
    var parts = word.split(/[-\u2010-\u2014./()]+/).filter(Boolean);
    // A code or a number with several parts (T-1, I-914, 888-373-7888): all of
    // its parts must appear, whole; a letter that is a stop word ("I") is not indexed.
    if (parts.length > 1 && /\d/.test(word)) {
      return parts.filter(function (part) { return !STOP[part]; }).map(function (part) {
        return { text: part.replace(SYNTAX, ""), whole: true, required: true };
      });
    }
    return parts.map(function (part) {
      part = part.replace(SYNTAX, "");
      if (!part) { return null; }
      if (STOP[part]) { return { text: part, stop: true }; }
      return part.length <= 2 ? { text: part, whole: true } : { text: stem(part) };
    }).filter(Boolean);
  }

  function rewrite(query) {
    var terms = [];
    String(query).split(/\s+/).forEach(function (word) { terms = terms.concat(termsOf(word)); });
    terms = terms.filter(function (term) { return !term.stop && term.text; });
    // "task force" is what every page is about, so it tells pages apart only when the
    // reader typed nothing else ("task force", "rural task force" keep it).
    var topic = terms.filter(function (term, i) {
      var next = terms[i + 1], prev = terms[i - 1];
      return (term.text === "task" && next && /^forc/.test(next.text)) ||
        (/^forc/.test(term.text) && term.text !== "forced" && prev && prev.text === "task");
    });
    if (topic.length && terms.length - topic.length >= 2) {
      terms = terms.filter(function (term) { return topic.indexOf(term) < 0; });
    }
    if (!terms.length) {
      return String(query);  // only stop words ("who", "can"): search for them as typed
    }
    // Two or three words ("Supplement B", "safe harbor"): pages must have them all.
    if (terms.length <= 3) {
      terms.forEach(function (term) { term.required = true; });
    }
    return terms.map(write).join(" ");
  }

  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    if (message && message.type === QUERY && typeof message.data === "string") {
      var args = Array.prototype.slice.call(arguments);
      args[0] = { type: message.type, data: rewrite(message.data) };
      return post.apply(this, args);
    }
    return post.apply(this, arguments);
  };
})();

// The staff editing forms (Decap CMS). config.yml is made at build time by
// macros/admin_config.py; this file teaches Decap to edit the guide's data files, which
// are lists at the top level (Decap 3 reads only mappings: decap-cms issue #531).
//
// Each data file gets its own format, "eguide-yaml-list-<file>". Reading turns the list
// into { items: [...] }. Writing starts from the text that was read and changes only
// the entries that changed, so comments, section headings, quoting and untouched
// entries stay exactly as they were and the pull request shows a small diff.
import { Document, parseDocument, isMap, isSeq } from "./vendor/yaml/index.js";

const PREFIX = "eguide-yaml-list-";
const ITEMS = "items";
const lastRead = new Map(); // format name -> the file text as read

function isEmpty(value) {
  return value === null || value === undefined || value === "" ||
    (Array.isArray(value) && value.length === 0);
}

// Drop empty optional fields (the schema says "leave the field out"), and write a
// year of four digits as a number.
function clean(entry) {
  const out = {};
  for (const [key, value] of Object.entries(entry || {})) {
    if (isEmpty(value)) continue;
    if (key === "year" && typeof value === "string" && /^\d{4}$/.test(value)) {
      out[key] = Number(value);
    } else if (typeof value === "string") {
      out[key] = value.trim();
    } else {
      out[key] = value;
    }
  }
  return out;
}

function ordered(entry, order) {
  const out = {};
  for (const key of order) if (key in entry) out[key] = entry[key];
  for (const key of Object.keys(entry)) if (!(key in out)) out[key] = entry[key];
  return out;
}

// Equal as data: key order does not matter.
function same(a, b) {
  const canon = (v) => Array.isArray(v) ? v.map(canon)
    : v && typeof v === "object"
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])])) : v;
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

const STRINGIFY = { lineWidth: 0, flowCollectionPadding: false };

// "key: value" as YAML; lists of plain values on one line, like the files.
function renderPair(key, value, indent) {
  const doc = new Document({ [key]: value });
  const node = doc.contents.items[0].value;
  if (isSeq(node) && node.items.every((i) => !isMap(i))) node.flow = true;
  return doc.toString(STRINGIFY).trimEnd().replace(/\n/g, "\n" + " ".repeat(indent));
}

// The edits that turn one entry's text into the new entry, field by field, so the
// fields nobody touched keep their exact lines.
function fieldEdits(text, node, entry, order) {
  const edits = [];
  const indent = node.range[0] - (text.lastIndexOf("\n", node.range[0] - 1) + 1);
  const pad = " ".repeat(indent);
  let last = node.range[0];
  for (const pair of node.items) {
    const key = String(pair.key);
    const end = pair.value ? pair.value.range[1] : pair.key.range[1];
    last = Math.max(last, end);
    const old = pair.value && typeof pair.value.toJSON === "function" ? pair.value.toJSON() : null;
    if (!(key in entry)) {
      const lineStart = text.lastIndexOf("\n", pair.key.range[0] - 1) + 1;
      const stop = text.indexOf("\n", end - 1) + 1 || text.length;
      edits.push([lineStart, Math.max(stop, end), ""]);
    } else if (!same(old, entry[key])) {
      const tail = text.slice(pair.key.range[0], end).endsWith("\n") ? "\n" : "";
      edits.push([pair.key.range[0], end, renderPair(key, entry[key], indent) + tail]);
    }
  }
  const known = new Set(node.items.map((p) => String(p.key)));
  const added = order.filter((k) => k in entry && !known.has(k))
    .concat(Object.keys(entry).filter((k) => !known.has(k) && !order.includes(k)));
  if (added.length) {
    const lines = added.map((k) => pad + renderPair(k, entry[k], indent)).join("\n");
    edits.push(text[last - 1] === "\n" ? [last, last, lines + "\n"] : [last, last, "\n" + lines]);
  }
  return edits;
}

function listFormat(name, fieldOrder, defaults) {
  return {
    fromFile(text) {
      lastRead.set(name, text);
      const doc = parseDocument(text);
      if (doc.errors.length) throw new Error(`${name}: ${doc.errors[0].message}`);
      const list = doc.toJS() || [];
      if (!Array.isArray(list)) throw new Error(`${name}: the file is not a list`);
      return { [ITEMS]: list };
    },
    toFile(data) {
      // Never write one file's entries into another (a stale form, say): every field
      // must be one this file has.
      for (const entry of data[ITEMS] || []) {
        const strange = Object.keys(entry || {}).filter((k) => !fieldOrder.includes(k));
        if (strange.length) {
          throw new Error(`${name}: entry ${entry.id} has fields this file does not have ` +
            `(${strange.join(", ")}); reload the page and try again`);
        }
      }
      const text = lastRead.get(name) || "";
      const doc = parseDocument(text || "[]\n");
      const seq = isSeq(doc.contents) ? doc.contents : doc.createNode([]);
      const byId = new Map();
      for (const node of seq.items) if (isMap(node)) byId.set(node.get("id"), node);
      // A tick box the entry never had, left at its default, stays out of the file.
      const entries = (data[ITEMS] || []).map(clean).map((entry) => {
        const node = byId.get(entry.id);
        for (const [key, value] of Object.entries(defaults)) {
          if (entry[key] === value && !(node && node.has(key))) delete entry[key];
        }
        return entry;
      });
      const kept = entries.filter((e) => byId.has(e.id)).map((e) => e.id);
      const original = [...byId.keys()].filter((id) => kept.includes(id));
      // Each entry as YAML: the old node changed in place keeps its quoting and styles.
      const render = (entry) => {
        const node = byId.get(entry.id) || doc.createNode(ordered(entry, fieldOrder));
        for (const pair of [...(node.items || [])]) {
          if (!(String(pair.key) in entry)) node.delete(pair.key);
        }
        for (const [key, value] of Object.entries(entry)) {
          const old = node.get(key, true);
          const oldJs = old && typeof old.toJSON === "function" ? old.toJSON() : old;
          if (!same(oldJs, value)) node.set(key, doc.createNode(value));
        }
        for (const pair of node.items) {
          if (isSeq(pair.value) && pair.value.items.every((i) => !isMap(i))) pair.value.flow = true;
        }
        const single = new Document(node);
        return single.toString(STRINGIFY).trimEnd()
          .replace(/\n/g, "\n  ");
      };
      if (!text || !same(kept, original)) {
        // A new file or a new order: write the whole list again.
        return entries.map((entry) => "- " + render(entry)).join("\n\n") + "\n";
      }
      // Otherwise splice: untouched entries, comments and blank lines stay byte for byte.
      const edits = []; // [from, to, replacement]
      const present = new Set(entries.map((e) => e.id));
      for (const [id, node] of byId) {
        if (!present.has(id)) {
          const lineStart = text.lastIndexOf("\n", node.range[0]) + 1;
          edits.push([lineStart, node.range[2], ""]);
        }
      }
      for (const entry of entries) {
        const node = byId.get(entry.id);
        if (!node || same(node.toJSON(), entry)) continue;
        edits.push(...fieldEdits(text, node, entry, fieldOrder));
      }
      let out = text;
      for (const [from, to, replacement] of edits.sort((a, b) => b[0] - a[0])) {
        out = out.slice(0, from) + replacement + out.slice(to);
      }
      const added = entries.filter((e) => !byId.has(e.id));
      if (added.length) {
        out = out.replace(/\s*$/, "\n") + added.map((e) => "\n- " + render(e) + "\n").join("");
      }
      return out;
    },
  };
}

async function start() {
  const response = await fetch("config.yml");
  const config = parseDocument(await response.text()).toJS();
  for (const collection of config.collections || []) {
    if (!String(collection.format || "").startsWith(PREFIX)) continue;
    const fields = collection.files[0].fields;
    const list = fields.find((f) => f.name === ITEMS);
    const subfields = (list && list.fields) || [];
    const order = subfields.map((f) => f.name);
    const defaults = Object.fromEntries(subfields
      .filter((f) => f.widget === "boolean").map((f) => [f.name, f.default]));
    window.CMS.registerCustomFormat(collection.format, "yml",
      listFormat(collection.format, order, defaults));
  }
  window.CMS.init();
}

start();

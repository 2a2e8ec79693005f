// The staff editing forms (Decap CMS). config.yml is made at build time by
// macros/admin_config.py; this file teaches Decap to edit the guide's data files, which
// are lists at the top level (Decap 3 reads only mappings: decap-cms issue #531).
//
// Each data file gets its own format, "eguide-yaml-list-<file>". Reading turns the list
// into { items: [...] }. Writing starts from the text that was read and changes only
// the entries that changed, so comments, section headings, quoting and untouched
// entries stay exactly as they were and the pull request shows a small diff.
import { parseDocument, isMap, isSeq } from "./vendor/yaml/index.js";

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

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function listFormat(name, fieldOrder) {
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
      const entries = (data[ITEMS] || []).map(clean);
      const doc = parseDocument(lastRead.get(name) || "[]\n");
      if (!isSeq(doc.contents)) doc.contents = doc.createNode([]);
      const seq = doc.contents;
      const byId = new Map();
      for (const node of seq.items) if (isMap(node)) byId.set(node.get("id"), node);
      seq.items = entries.map((entry) => {
        const node = byId.get(entry.id);
        if (!node) {
          const ordered = {};
          for (const key of fieldOrder) if (key in entry) ordered[key] = entry[key];
          for (const key of Object.keys(entry)) if (!(key in ordered)) ordered[key] = entry[key];
          return doc.createNode(ordered);
        }
        byId.delete(entry.id);
        for (const pair of [...node.items]) {
          const key = String(pair.key);
          if (!(key in entry)) node.delete(key);
        }
        for (const [key, value] of Object.entries(entry)) {
          const old = node.get(key, true);
          const oldJs = old && typeof old.toJSON === "function" ? old.toJSON() : old;
          if (!same(oldJs, value)) node.set(key, doc.createNode(value));
        }
        return node;
      });
      seq.flow = false;
      return doc.toString({ lineWidth: 0 });
    },
  };
}

async function start() {
  const response = await fetch("config.yml");
  const config = parseDocument(await response.text()).toJS();
  for (const collection of config.collections || []) {
    for (const file of collection.files || []) {
      if (!String(file.format || "").startsWith(PREFIX)) continue;
      const list = (file.fields || []).find((f) => f.name === ITEMS);
      const order = ((list && list.fields) || []).map((f) => f.name);
      window.CMS.registerCustomFormat(file.format, "yml", listFormat(file.format, order));
    }
  }
  window.CMS.init();
}

start();

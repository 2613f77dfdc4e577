// Full-text search: a phrase from a plan's body, targets or duties (index: hooks/kehoach/fulltext.py).
// A query of two or more words fetches the shard file of each of its word pairs, intersects the
// passage ids, reads a few passage files and keeps the passages that hold the query as a phrase.
// Each result is a plan holding such a passage, linked to the section the passage is in.
import { words } from "./kh-text.js";

const FILES = 4; // passage files read per query, at most
const cache = new Map();

function getJSON(url) {
  const key = url.href;
  if (!cache.has(key)) cache.set(key, fetch(url).then((r) => (r.ok ? r.json() : null)).catch(() => null));
  return cache.get(key);
}

export function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

const pairs = (ws) => [...new Set(ws.slice(1).map((w, i) => `${ws[i]} ${w}`))];
const decode = (deltas) => { let id = 0; return deltas.map((d) => (id += d)); };

function intersect(lists) {
  lists.sort((a, b) => a.length - b.length);
  return lists.slice(1).reduce((acc, list) => { const set = new Set(list); return acc.filter((id) => set.has(id)); }, lists[0]);
}

// Passage ids holding every word pair; while the last word is being typed (its pair is in no
// passage), the pairs before it, and `prefix` says the last word may be the start of one.
async function postings(folder, meta, ws) {
  const lists = await Promise.all(pairs(ws).map(async (pair) => {
    const table = await getJSON(new URL(`b/${fnv1a(pair) % meta.shards}.json`, folder));
    return table && table[pair] ? decode(table[pair]) : [];
  }));
  const prefix = ws.length >= 3 && !lists[lists.length - 1].length;
  return { ids: intersect(prefix ? lists.slice(0, -1) : lists), prefix };
}

// Passages of one index that hold the phrase: those with the query's own marks first.
async function passages(folder, ws, query) {
  const meta = await getJSON(new URL("meta.json", folder));
  if (!meta) return [];
  const { ids, prefix } = await postings(folder, meta, ws);
  const files = [...new Set(ids.map((id) => Math.floor(id / meta.passages)))].slice(0, FILES);
  const texts = await Promise.all(files.map((f) => getJSON(new URL(`t/${f}.json`, folder))));
  const phrase = ` ${ws.join(" ")}${prefix ? "" : " "}`;
  const exact = query.toLowerCase();
  const found = [];
  for (const id of ids) {
    const file = files.indexOf(Math.floor(id / meta.passages));
    const entry = file >= 0 && texts[file] ? texts[file][id % meta.passages] : null;
    if (!entry || !` ${words(entry[0]).join(" ")} `.includes(phrase)) continue;
    const [text, count, holders] = entry;
    found.push({ folder, meta, text, count, holders, exact: text.toLowerCase().includes(exact) });
  }
  return found.sort((a, b) => b.exact - a.exact);
}

// Results, one per plan (at most `limit`), as Pagefind gives them: { kind, data() }, data() fetching
// the plan's facts only when the result is shown: { url (to the section), page, meta, section, text, count }.
export async function searchText(folders, query, base, limit = 50) {
  const ws = words(query);
  if (ws.length < 2) return [];
  const found = (await Promise.all(folders.map((f) => passages(f, ws, query)))).flat();
  const results = [];
  const seen = new Set();
  for (const hit of found) {
    for (const [plan, anchor, section] of hit.holders) {
      const key = `${hit.folder.href} ${plan}`;
      if (seen.has(key) || results.length >= limit) continue;
      seen.add(key);
      let loaded = null;
      const data = () => (loaded ||= facts(hit, plan, base).then((meta) => {
        const page = new URL(meta.url || "", base).pathname;
        return { url: `${page}#${anchor}`, page, meta, section, text: hit.text, count: hit.count };
      }));
      results.push({ kind: "text", data });
    }
  }
  return results;
}

async function facts(hit, plan, base) {
  const table = await getJSON(new URL(`p/${Math.floor(plan / hit.meta.plans)}.json`, hit.folder));
  return (table && table[plan % hit.meta.plans]) || {};
}


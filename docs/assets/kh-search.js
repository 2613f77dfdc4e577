// Site search on the "Tìm kiếm" page, backed by Pagefind (loaded on this page only).
// Vietnamese folding: Pagefind folds tone marks but not đ, so every query is also run
// ASCII-folded (search records carry the folded form of their đ-words), and a query that looks
// like a document number ("05-CTr/TU") is also run as its compact key ("05ctrtu"),
// which only the document itself carries. Order: number match, exact marks, folded.
// Phrases (three words or more, or two that find little) are also looked up in the plans' full
// texts (kh-fulltext.js); from four words on, those results come first. Excerpts are cut from
// real text (the "trich" meta field, or the passage found), never from the indexed keys.
import { fold, words, excerpt } from "./kh-text.js";
import { searchText } from "./kh-fulltext.js";
import { nearestUnits } from "./kh-suggest.js";

const form = document.querySelector("[data-kh-search]");
const input = document.getElementById("kh-search-input");
const header = document.getElementById("kh-q");
const statusBox = document.querySelector("[data-kh-status]");
const list = document.querySelector("[data-kh-results]");
const filterBox = document.querySelector("[data-kh-filters]");
const noneBox = document.querySelector("[data-kh-none]");
const PAGE = 10;
const PHRASE_FIRST = 4; // words from which full-text results come before the other pages (not before names)
const SENTENCE = 9; // words from which a query is a sentence: Pagefind is asked only if the full text finds little
const textFolders = (form.dataset.text || "").split(" ").filter(Boolean).map((f) => new URL(f, location.href));
const siteBase = new URL(form.dataset.base, location.href);

const numberKey = (s) => fold(s).replace(/[^a-z0-9]/g, "");
const looksLikeNumber = (s) => /\d/.test(s) && /[-/]/.test(s) && /[a-z]/i.test(s);

let pagefind = null;
let shown = [];
let runId = 0;

async function load() {
  if (pagefind) return pagefind;
  const bundle = new URL(form.dataset.bundle, location.href);
  const base = new URL(form.dataset.base, location.href);
  pagefind = await import(new URL("pagefind.js", bundle).href);
  // Exact words outrank prefix matches ("da" would otherwise match dân, dạy, đào…).
  // No Web Worker: the index is small enough to search on the page, and the worker script is 40 KB more.
  await pagefind.options({ baseUrl: base.pathname, excerptLength: 24, ranking: { termSimilarity: 5 }, noWorker: true });
  // A sharded site has one index per shard; merged here, they are one search.
  for (const extra of (form.dataset.moreBundles || "").split(" ").filter(Boolean)) {
    await pagefind.mergeIndex(new URL(extra, location.href).href, { noWorker: true });
  }
  await pagefind.init();
  return pagefind;
}

// The filter lists (every value, with its page count) are fetched only when the reader opens them.
let filtersFilled = null;
filterBox.hidden = false;
filterBox.addEventListener("toggle", () => {
  if (filterBox.open && !filtersFilled) filtersFilled = load().then(() => pagefind.filters()).then(fillFilters);
});

function fillFilters(filters) {
  for (const select of filterBox.querySelectorAll("select")) {
    const values = filters[select.dataset.filter] || {};
    for (const value of Object.keys(values).sort((a, b) => a.localeCompare(b, "vi"))) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = `${value} (${values[value]})`;
      select.append(option);
    }
    select.addEventListener("change", () => run());
  }
  filterBox.dataset.filled = "";
}

function chosenFilters() {
  const chosen = {};
  for (const select of filterBox.querySelectorAll("select")) {
    if (select.value) chosen[select.dataset.filter] = select.value;
  }
  return chosen;
}

async function search(query, filters) {
  const terms = [];
  if (looksLikeNumber(query)) terms.push(["number", numberKey(query)]);
  if (query !== fold(query)) terms.push(["exact", query]);
  terms.push(["folded", fold(query)]);
  const seen = new Map();
  for (const [kind, term] of terms) {
    const found = await pagefind.search(term || null, { filters });
    for (const result of found.results) {
      if (!seen.has(result.id)) seen.set(result.id, { kind, data: once(() => result.data()) });
    }
  }
  return [...seen.values()];
}

const once = (load) => { let loaded = null; return () => (loaded ||= load()); };

// Full text for phrases: at once from three words, after the names from two when they find little.
// A sentence (no name is that long) is looked up in the full text alone, unless it finds little:
// Pagefind would fetch an index chunk for each of its words.
async function withText(query, filters) {
  const count = words(query).length;
  const text = Object.keys(filters).length || count < 2 || looksLikeNumber(query) ? null : count >= 3;
  if (text && count >= SENTENCE) {
    const texts = await searchText(textFolders, query, siteBase);
    return [texts.length >= 3 ? [] : await search(query, filters), texts];
  }
  const [results, texts] = await Promise.all([search(query, filters), text ? searchText(textFolders, query, siteBase) : []]);
  if (text === false && results.length < 3) return [results, await searchText(textFolders, query, siteBase)];
  return [results, texts];
}

// Within the first page of results (whose data is loaded to be shown anyway): a number
// match first, then pages whose title holds the query as typed, then as folded,
// shorter (more specific) titles first; the rest keep Pagefind's order.
function tier(result, data, query) {
  if (result.kind === "number") return [0, 0];
  const title = (data.meta.title || "").toLowerCase();
  const phrase = (text, q) => q && new RegExp(`(^|[^\\p{L}\\p{N}])${q.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^\\p{L}\\p{N}])`, "u").test(text);
  if (phrase(title, query.toLowerCase())) return [1, title.length];
  if (phrase(fold(title), fold(query))) return [2, title.length];
  return [result.kind === "exact" ? 3 : 4, 0];
}

async function firstPage(results, query) {
  const head = results.slice(0, PAGE);
  const data = await Promise.all(head.map((r) => r.data()));
  const order = head.map((r, i) => ({ r, d: data[i], t: tier(r, data[i], query), i }));
  order.sort((a, b) => a.t[0] - b.t[0] || a.t[1] - b.t[1] || a.i - b.i);
  const named = order.filter((o) => o.t[0] <= 2).length; // a number match, or a title holding the query
  return { results: [...order.map((o) => o.r), ...results.slice(PAGE)], named };
}

async function run() {
  const query = input.value.trim();
  const filters = chosenFilters();
  const id = ++runId;
  const started = performance.now();
  if (!query && !Object.keys(filters).length) {
    list.replaceChildren();
    statusBox.textContent = "Gõ từ cần tìm; có dấu hay không dấu đều được.";
    return;
  }
  statusBox.textContent = "Đang tìm…";
  await load();
  const [results, texts] = await withText(query, filters);
  if (id !== runId) return;
  const { results: names, named } = await firstPage(results, query);
  shown = words(query).length >= PHRASE_FIRST
    ? [...names.slice(0, named), ...texts, ...names.slice(named)]
    : [...names, ...texts];
  list.replaceChildren();
  pages.clear();
  await render(0, query);
  if (id !== runId) return;
  const ms = Math.round(performance.now() - started);
  list.dataset.ms = String(ms);
  list.dataset.query = query;
  const twice = Math.min(PAGE, shown.length) - pages.size; // listed by name and by text: once
  statusBox.textContent = shown.length ? `${shown.length - twice} kết quả` : "Không tìm thấy kết quả nào.";
  await noResults(query, pages.size, texts.length);
  const url = new URL(location.href);
  url.searchParams.set("q", query);
  history.replaceState(null, "", url);
}

const pages = new Set(); // pages shown: a plan found by name and in its text is listed once

function metaLine(meta) {
  const line = document.createElement("p");
  line.className = "kh-result__meta";
  if (meta.loai) {
    line.append([meta.loai, meta.so === "chưa có số" ? "chưa có số" : `số ${meta.so}`, meta.don_vi, meta.ngay].join(" · "));
    if (meta.du_thao) line.append(" ", Object.assign(document.createElement("span"), { className: "kh-badge kh-badge--draft", textContent: "Dự thảo" }));
  } else if (meta.cap) {
    line.append([meta.cap, meta.thuoc && `thuộc ${meta.thuoc}`, `${meta.so_van_ban} văn bản`].filter(Boolean).join(" · "));
  }
  return line;
}

function resultItem(data, query) {
  const item = document.createElement("li");
  item.className = "kh-result";
  const link = Object.assign(document.createElement("a"), { href: data.url, textContent: data.meta.title || data.url });
  item.append(link, metaLine(data.meta));
  if (data.section) item.append(Object.assign(document.createElement("p"), { className: "kh-result__section", textContent: `Trong mục: ${data.section}` }));
  const text = data.text ?? data.meta.trich ?? "";
  if (text) item.append(excerpt(text, query));
  if (data.count > 1) item.append(Object.assign(document.createElement("p"), { className: "kh-result__count", textContent: `Câu này có trong ${data.count} văn bản.` }));
  return item;
}

async function render(from, query) {
  const slice = shown.slice(from, from + PAGE);
  const loaded = await Promise.all(slice.map((r) => r.data()));
  for (const data of loaded) {
    const page = data.page || new URL(data.url, location.href).pathname;
    if (pages.has(page)) continue;
    pages.add(page);
    list.append(resultItem(data, query));
  }
  list.querySelector("[data-kh-more]")?.remove();
  if (shown.length > from + PAGE) {
    const item = document.createElement("li");
    item.dataset.khMore = "";
    const more = Object.assign(document.createElement("button"), { type: "button", textContent: "Xem thêm" });
    more.addEventListener("click", () => { item.remove(); render(from + PAGE, query); });
    item.append(more);
    list.append(item);
  }
}

// No result (or very few for a short query that no full text holds, as a misspelt name: Pagefind
// forgives a typo only at a word's end): say so, and offer the query without marks, the nearest
// unit names and the directories.
const FEW = 3;
async function noResults(query, count, fromText) {
  const help = count === 0 || (count < FEW && !fromText && words(query).length <= 4);
  noneBox.hidden = !help;
  if (!help) return;
  noneBox.querySelector("[data-kh-none-zero]").hidden = count > 0;
  noneBox.querySelector("[data-kh-none-few]").hidden = count === 0;
  for (const q of noneBox.querySelectorAll("[data-kh-none-query]")) q.textContent = query;
  const folded = fold(query);
  const foldedLink = noneBox.querySelector("[data-kh-folded]");
  foldedLink.textContent = folded;
  foldedLink.href = `?q=${encodeURIComponent(folded)}`;
  foldedLink.closest("li").hidden = folded === query.toLowerCase();
  const near = await nearestUnits(new URL(form.dataset.units, location.href), query);
  const box = noneBox.querySelector("[data-kh-near]");
  box.replaceChildren(...near.map((u) => {
    const item = document.createElement("li");
    item.append(Object.assign(document.createElement("a"), { href: new URL(`don-vi/${u.id}/`, siteBase).pathname, textContent: u.name }));
    return item;
  }));
  box.closest("li").hidden = !near.length;
  noneBox.dataset.ready = query;
}

let timer = null;
input.addEventListener("input", () => {
  clearTimeout(timer);
  if (header) header.value = input.value;
  timer = setTimeout(run, 150);
});
const headerForm = document.querySelector("[data-kh-search-form]");
headerForm?.addEventListener("submit", (event) => {
  event.preventDefault();
  input.value = header.value;
  run();
});
header?.addEventListener("input", () => {
  input.value = header.value;
  clearTimeout(timer);
  timer = setTimeout(run, 150);
});

const initial = new URL(location.href).searchParams.get("q");
if (initial) {
  input.value = initial;
  if (header) header.value = initial;
}
load().then(() => (initial ? run() : null)).catch(() => {
  statusBox.textContent = "Không tải được bộ tìm kiếm. Hãy mở trang qua máy chủ web (không mở trực tiếp tệp).";
});

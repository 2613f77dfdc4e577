// Site search on the "Tìm kiếm" page, backed by Pagefind (loaded on this page only).
// Vietnamese folding: Pagefind folds tone marks but not đ, so every query is also run
// ASCII-folded (search records carry the folded form of their đ-words), and a query that looks
// like a document number ("05-CTr/TU") is also run as its compact key ("05ctrtu"),
// which only the document itself carries. Order: number match, exact marks, folded.

const form = document.querySelector("[data-kh-search]");
const input = document.getElementById("kh-search-input");
const header = document.getElementById("kh-q");
const statusBox = document.querySelector("[data-kh-status]");
const list = document.querySelector("[data-kh-results]");
const filterBox = document.querySelector("[data-kh-filters]");
const PAGE = 10;

const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
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
      if (!seen.has(result.id)) seen.set(result.id, Object.assign(result, { kind }));
    }
  }
  return [...seen.values()];
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
  return { results: [...order.map((o) => o.r), ...results.slice(PAGE)], data: order.map((o) => o.d) };
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
  const results = await search(query, filters);
  if (id !== runId) return;
  const first = await firstPage(results, query);
  shown = first.results;
  list.replaceChildren();
  await render(0, first.data);
  const ms = Math.round(performance.now() - started);
  list.dataset.ms = String(ms);
  list.dataset.query = query;
  statusBox.textContent = results.length ? `${results.length} kết quả` : "Không tìm thấy kết quả nào.";
  const url = new URL(location.href);
  url.searchParams.set("q", query);
  history.replaceState(null, "", url);
}

function excerptNode(html) {
  // Pagefind escapes page text and marks matches with <mark>; keep only those marks.
  const node = document.createElement("p");
  for (const part of html.split(/(<mark>.*?<\/mark>)/)) {
    const match = /^<mark>(.*)<\/mark>$/.exec(part);
    const text = new DOMParser().parseFromString(match ? match[1] : part, "text/html").body.textContent;
    node.append(match ? Object.assign(document.createElement("mark"), { textContent: text }) : text);
  }
  return node;
}

async function render(from, loaded) {
  const slice = loaded || (await Promise.all(shown.slice(from, from + PAGE).map((r) => r.data())));
  for (const data of slice) {
    const item = document.createElement("li");
    const link = Object.assign(document.createElement("a"), { href: data.url, textContent: data.meta.title || data.url });
    item.append(link, excerptNode(data.excerpt || ""));
    list.append(item);
  }
  list.querySelector("[data-kh-more]")?.remove();
  if (shown.length > from + PAGE) {
    const item = document.createElement("li");
    item.dataset.khMore = "";
    const more = Object.assign(document.createElement("button"), { type: "button", textContent: "Xem thêm" });
    more.addEventListener("click", () => { item.remove(); render(from + PAGE); });
    item.append(more);
    list.append(item);
  }
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

// Vietnamese text helpers for search: folding (tone marks dropped, đ → d) and excerpts cut from
// real text with the query's words marked, however they were typed.

export const fold = (s) => s.normalize("NFC").replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
  .replace(/[\u0300-\u036f]/g, "").toLowerCase();
export const words = (s) => fold(s).match(/[a-z0-9]+/g) || [];

const TOKEN = /[\p{L}\p{N}]+/gu;

// Whether a word of the text answers a word of the query: the same folded word, or, for the
// last word typed (perhaps not finished), a folded word it begins.
function matches(token, asked) {
  const folded = fold(token);
  return asked.some((q, i) => folded === q || (i === asked.length - 1 && q.length >= 3 && folded.startsWith(q)));
}

// Where the query's words stand in a row (a phrase): the first token of each run.
function phraseRuns(tokens, asked) {
  const folded = tokens.map((t) => fold(t[0]));
  const starts = [];
  if (asked.length < 2) return starts;
  for (let i = 0; i + asked.length <= folded.length; i++) {
    const last = asked.length - 1;
    if (asked.every((q, j) => folded[i + j] === q || (j === last && folded[i + j].startsWith(q)))) starts.push(i);
  }
  return starts;
}

// A <p> holding `text` (cut to about `size` words around the first match), the matched words in <mark>:
// the whole phrase where the query stands in a row in the text, else each word of the query.
export function excerpt(text, query, size = 32) {
  const asked = words(query);
  const tokens = [...text.matchAll(TOKEN)];
  const runs = phraseRuns(tokens, asked);
  const marked = runs.length
    ? (i) => runs.some((r) => i >= r && i < r + asked.length)
    : (i) => matches(tokens[i][0], asked);
  const hit = runs.length ? runs[0] : tokens.findIndex((t, i) => marked(i));
  const first = tokens.length <= size ? 0 : Math.max(0, Math.min(hit - 8, tokens.length - size));
  const last = Math.min(tokens.length, first + size);
  const node = document.createElement("p");
  node.className = "kh-result__excerpt";
  if (!tokens.length) return node;
  let at = first ? tokens[first].index : 0;
  if (first) node.append("… ");
  for (let i = first; i < last; i++) {
    const token = tokens[i];
    node.append(text.slice(at, token.index));
    node.append(marked(i) ? Object.assign(document.createElement("mark"), { textContent: token[0] }) : token[0]);
    at = token.index + token[0].length;
  }
  node.append(last < tokens.length ? " …" : text.slice(at));
  return node;
}

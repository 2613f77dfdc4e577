// No result, or very few: the nearest unit names to what was typed (a misspelt school, say). The list of names
// (toan-van/don-vi.json: [name, id]) is fetched only then. Names are compared folded, by character
// bigrams (Dice similarity: swapped letters still share most), whole and by their last words ("Trường Mầm non Hoa Sen" → "Hoa Sen").
import { fold } from "./kh-text.js";

const THRESHOLD = 0.45;
let names = null;

function grams(text) {
  const padded = ` ${fold(text).replace(/[^a-z0-9]+/g, " ").trim()} `;
  const found = new Set();
  for (let i = 0; i + 2 <= padded.length; i++) found.add(padded.slice(i, i + 2));
  return found;
}

function similarity(a, b) {
  let common = 0;
  for (const gram of a) if (b.has(gram)) common++;
  return (2 * common) / (a.size + b.size || 1);
}

function score(asked, name) {
  const parts = name.split(/\s+/);
  let best = 0;
  for (let i = 0; i < parts.length; i++) best = Math.max(best, similarity(asked, grams(parts.slice(i).join(" "))));
  return best;
}

// Up to `count` units whose name is near `query`: [{ name, id }], nearest first.
export async function nearestUnits(url, query, count = 5) {
  names ||= fetch(url).then((r) => (r.ok ? r.json() : [])).catch(() => []);
  const asked = grams(query);
  const scored = (await names).map(([name, id]) => ({ name, id, score: score(asked, name) }));
  return scored.filter((u) => u.score >= THRESHOLD).sort((a, b) => b.score - a.score).slice(0, count);
}

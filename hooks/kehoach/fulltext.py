"""Full-text search: every sentence of a plan's body, targets and duties, found by a phrase.

Pagefind indexes each word of a page with every position it holds; at 5,000 plans the
bodies made a first query fetch 0.9-1.6 MB. Plans share most of their sentences (schools copy
their ward's text), so this index keeps each distinct sentence ("passage") once, with the first
few plans that hold it and where (the heading id of the section, from the rendered page).

Files, under ``toan-van/`` (``toan-van-<shard>/`` for a shard), all small and fetched on demand
by ``docs/assets/kh-fulltext.js``:

- ``meta.json``: how many bigram shards there are, passages per file, plans per file.
- ``b/<n>.json``: folded word bigram ("ngan hang") → passage ids holding it, delta-encoded;
  shard ``n`` = FNV-1a hash of the bigram modulo the shard count.
- ``t/<k>.json``: passages ``k*PASSAGES_PER_FILE…``: [text, holders count, [[plan, anchor, section], …]].
- ``p/<k>.json``: plans ``k*PLANS_PER_FILE…``: what a result says of the plan (search.plan_meta).

A query of two or more words fetches the shards of its bigrams, intersects them, then reads the
candidate passages and keeps those that hold the folded query as a phrase: a few files of a few KB.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from .model import Plan
from .text import fold

PASSAGES_PER_FILE = 32
PLANS_PER_FILE = 64
HOLDERS = 5  # plans listed per passage; the count says how many hold it
POSTINGS_PER_SHARD = 400  # aimed at: a few KB per shard file

_HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1>", re.S)
_ID = re.compile(r'\bid="([^"]*)"')
_BLOCK = re.compile(r"</?(?:p|li|ul|ol|td|th|tr|table|thead|tbody|blockquote|div|pre|hr|br)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=[\"“(]?[A-ZĐÀ-Ỹ0-9])")
_WORD = re.compile(r"[a-z0-9]+")


def fulltext_folder(shard: str | None) -> str:
    """The site folder of a shard's full-text index: "toan-van" for the whole site or the hub."""
    return "toan-van" if shard in (None, "", "hub") else f"toan-van-{shard}"


def words(text: str) -> list[str]:
    """Folded ASCII words: "Ngân hàng Ý tưởng" → ["ngan", "hang", "y", "tuong"]."""
    return _WORD.findall(fold(text))


def _heading_line(match: re.Match[str]) -> str:
    ident = _ID.search(match.group(2))
    return f"\n\x00{ident.group(1) if ident else ''}\x00{match.group(3)}\n"


def body_passages(body_html: str, top: str = "toan-van") -> list[tuple[str, str, str]]:
    """(sentence, anchor id, section heading) of a rendered body; anchors are the page's own heading ids.

    One pass over the page's text: line breaks inside a paragraph are spaces, blocks are lines,
    headings are lines marked with their id.
    """
    flat = _HEADING.sub(_heading_line, body_html.replace("\n", " "))
    text = html.unescape(_TAG.sub("", _BLOCK.sub("\n", flat)))
    found: list[tuple[str, str, str]] = []
    anchor, section = top, ""
    for line in text.split("\n"):
        if line.startswith("\x00"):
            _, ident, heading = line.split("\x00", 2)
            heading = " ".join(heading.split())
            if heading:
                anchor, section = ident or anchor, heading
                found.append((heading, anchor, section))
            continue
        line = " ".join(line.split())
        if len(line) > 1:
            found += [(s, anchor, section) for s in _SENTENCE.split(line) if len(s) > 1]
    return found


def record_passages(plan: Plan) -> list[tuple[str, str, str]]:
    """Title, summary, targets and duties, where plan.html shows them."""
    found = [(plan.title, "kh-title", "")]
    if plan.summary:
        found.append((plan.summary, "kh-title", ""))
    for target in plan.targets:
        found.append((target.text, f"chi-tieu-{target.year}", f"Chỉ tiêu năm {target.year}"))
    for duty in plan.responsibilities:
        found.append((duty.what, "phan-cong", f"Phân công thực hiện: {duty.who}"))
    return found


class FullTextIndex:
    """Distinct passages with the plans holding them; written as the files described above."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._passages: list[list[Any]] = []  # [text, count, holders]
        self._plans: list[dict[str, str]] = []

    def add(self, meta: dict[str, str], passages: list[tuple[str, str, str]]) -> None:
        """One plan: its result facts (``meta``) and its passages in page order."""
        plan = len(self._plans)
        self._plans.append(meta)
        seen: set[int] = set()
        for text, anchor, section in passages:
            pid = self._ids.setdefault(text, len(self._ids))
            if pid == len(self._passages):
                self._passages.append([text, 0, []])
            if pid in seen:
                continue
            seen.add(pid)
            entry = self._passages[pid]
            entry[1] += 1
            if len(entry[2]) < HOLDERS:
                entry[2].append([plan, anchor, section])

    def write(self, folder: Path) -> None:
        postings = self._postings()
        shards = _shard_count(sum(len(ids) for ids in postings.values()))
        tables: list[dict[str, list[int]]] = [{} for _ in range(shards)]
        for bigram, ids in postings.items():
            tables[fnv1a(bigram) % shards][bigram] = [b - a for a, b in zip([0, *ids], ids, strict=False)]
        _dump(folder / "meta.json", {"shards": shards, "passages": PASSAGES_PER_FILE, "plans": PLANS_PER_FILE})
        for n, table in enumerate(tables):
            _dump(folder / "b" / f"{n}.json", table)
        for k in range(0, len(self._passages), PASSAGES_PER_FILE):
            _dump(folder / "t" / f"{k // PASSAGES_PER_FILE}.json", self._passages[k : k + PASSAGES_PER_FILE])
        for k in range(0, len(self._plans), PLANS_PER_FILE):
            _dump(folder / "p" / f"{k // PLANS_PER_FILE}.json", self._plans[k : k + PLANS_PER_FILE])

    def _postings(self) -> dict[str, list[int]]:
        postings: dict[str, list[int]] = {}
        for pid, (text, _, _) in enumerate(self._passages):
            found = words(text)
            for bigram in dict.fromkeys(f"{a} {b}" for a, b in zip(found, found[1:], strict=False)):
                postings.setdefault(bigram, []).append(pid)
        return postings


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of an ASCII string (kh-fulltext.js computes the same)."""
    value = 0x811C9DC5
    for char in text.encode("ascii", "ignore"):
        value = ((value ^ char) * 0x01000193) & 0xFFFFFFFF
    return value


def _shard_count(postings: int) -> int:
    count = 16
    while count < 4096 and count * POSTINGS_PER_SHARD < postings:
        count *= 2
    return count


def _dump(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

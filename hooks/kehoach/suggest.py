"""``python -m kehoach suggest [plans_dir] [--out FILE]`` (``make suggest``): likely ``serves`` links, never written.

For each target that has no ``serves`` and is the plan's own (not quoted with ``of``), the candidates are the
own targets of the documents above its plan (its lineage: parents, transitively) with the same measure unit
(``"%"``, ``"đảng viên"``, or none for both) and a year no later than its own is due. They are scored by the
overlap of their folded content words (kehoach/words.py): the Dice coefficient over single syllables and
pairs of syllables, so that "giáo viên" in both counts more than "giáo" and "viên" apart. The best few per
target are printed, best first, and written to a Markdown file with the line to paste. A proposal is a
question for an editor: a link belongs in plans/ only where the document's own words say that its target
implements the one above (issue 16), so nothing here writes to plans/.
"""

from __future__ import annotations

import math
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .graph import Graph
from .hygiene import printable
from .model import Plan, Target
from .site import check
from .words import content_words

MIN_SCORE = 0.1  # below it, two targets share at most a word or two in passing
PER_TARGET = 3
DEFAULT_OUT = Path("build/goi-y-serves.md")
USAGE = "Cách dùng: python -m kehoach suggest [thư-mục-plans] [--out tệp.md]"


@dataclass(frozen=True)
class Proposal:
    served: Target
    above: Plan
    score: float

    @property
    def ref(self) -> str:
        return f"{self.above.id}#{self.served.id}"


@dataclass(frozen=True)
class Suggestion:
    """One target without ``serves`` and its candidates above, best first."""

    plan: Plan
    target: Target
    proposals: tuple[Proposal, ...]


def features(text: str) -> frozenset[str]:
    """Folded content syllables and adjacent pairs of them."""
    words = content_words(text)
    return frozenset(words) | frozenset(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))


Weights = Mapping[str, float]


def weights(all_features: list[frozenset[str]]) -> dict[str, float]:
    """Inverse document frequency over every target: "giáo dục", in most targets, weighs little."""
    counts = Counter(word for words in all_features for word in words)
    total = len(all_features)
    return {word: math.log(1 + total / count) for word, count in counts.items()}


def similarity(a: frozenset[str], b: frozenset[str], weight: Weights | None = None) -> float:
    """Weighted Dice coefficient: 1 for the same words, 0 for none in common."""
    if not a or not b:
        return 0.0
    w = weight or {}
    mass = sum(w.get(x, 1.0) for x in a) + sum(w.get(x, 1.0) for x in b)
    return 2 * sum(w.get(x, 1.0) for x in a & b) / mass


def measure_key(target: Target) -> tuple[bool, str]:
    """Targets compare when both state a number in the same unit ("%", "đảng viên", an index), or neither does."""
    return target.value is not None, unicodedata.normalize("NFKC", target.measure_unit or "").strip().casefold()


def suggest(graph: Graph, per_target: int = PER_TARGET, minimum: float = MIN_SCORE) -> list[Suggestion]:
    """Every target without ``serves`` that has a candidate, the best proposal first overall."""
    feats = {(p.id, t.id): features(t.text) for p in graph.plans.values() for t in p.targets}
    weight = weights(list(feats.values()))
    found = []
    for plan in graph.plans.values():
        own = [t for t in plan.targets if not t.serves and not t.of]
        if not own:
            continue
        above = [(p, t) for p in graph.ancestors(plan.id) for t in p.targets if not t.of]
        for target in own:
            mine = feats[(plan.id, target.id)]
            scored = [
                Proposal(served, upper, similarity(mine, feats[(upper.id, served.id)], weight))
                for upper, served in above
                if measure_key(served) == measure_key(target) and target.year <= served.year
            ]
            best = sorted((p for p in scored if p.score >= minimum), key=lambda p: (-p.score, p.ref))
            if best:
                found.append(Suggestion(plan, target, tuple(best[:per_target])))
    found.sort(key=lambda s: (-s.proposals[0].score, s.plan.id, s.target.id))
    return found


def score_label(score: float) -> str:
    return f"{score:.2f}".replace(".", ",")


def _facts(target: Target) -> str:
    return "; ".join(part for part in (str(target.year), target.measure) if part)


def _quote(text: str, limit: int = 160) -> str:
    text = " ".join(printable(text).split())
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


def lines(found: list[Suggestion]) -> Iterator[str]:
    """What the terminal shows: each target, then its candidates with their scores."""
    if not found:
        yield "Không có gợi ý nào: không chỉ tiêu nào chưa có serves có chỉ tiêu cấp trên cùng đơn vị đo, năm không sớm hơn."
        return
    yield f"Gợi ý liên kết serves cho {len(found)} chỉ tiêu (điểm giống nhau về chữ, từ 0 đến 1; cao nhất trước)."
    yield "Chưa ghi gì vào plans/: chỉ thêm serves khi chính văn bản nói chỉ tiêu đó thực hiện chỉ tiêu cấp trên."
    for item in found:
        yield ""
        yield f"{printable(item.plan.path)}  #{item.target.id}  ({_facts(item.target)})  {_quote(item.target.text, 90)}"
        for p in item.proposals:
            yield f"  {score_label(p.score)}  {p.ref}  ({_facts(p.served)})  {_quote(p.served.text, 90)}"


def review_file(found: list[Suggestion]) -> str:
    """The Markdown file editors review: each proposal with its texts and the line to paste."""
    out = [
        "# Gợi ý liên kết serves (chưa ghi vào plans/)",
        "",
        "Mỗi mục là một chỉ tiêu chưa khai `serves` và các chỉ tiêu của văn bản cấp trên có cùng đơn vị đo, năm",
        "không sớm hơn, xếp theo điểm giống nhau về chữ (0 đến 1). Chỉ thêm dòng `serves` vào chỉ tiêu khi chính",
        "văn bản nói chỉ tiêu đó thực hiện chỉ tiêu cấp trên; ghi câu trích dẫn vào mô tả yêu cầu hợp nhất.",
    ]
    if not found:
        out += ["", "Không có gợi ý nào."]
    for item in found:
        out += ["", f"## {printable(item.plan.path)} — `{item.target.id}` ({_facts(item.target)})", ""]
        out += [f"> {_quote(item.target.text, 2000)}", ""]
        for n, p in enumerate(item.proposals, 1):
            out.append(f"{n}. **{score_label(p.score)}** `{p.ref}` ({_facts(p.served)}): {_quote(p.served.text, 2000)}")
        refs = ", ".join(p.ref for p in item.proposals[:1])
        out += ["", f"Dòng thêm vào chỉ tiêu `{item.target.id}` nếu văn bản nói vậy:", "", "```yaml"]
        out += [f"    serves: [{refs}]", "```"]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    args, out = list(argv), DEFAULT_OUT
    if "--out" in args:
        at = args.index("--out")
        if at + 1 >= len(args):
            print(USAGE, file=sys.stderr)
            return 2
        out = Path(args[at + 1])
        del args[at : at + 2]
    if len(args) > 1 or any(a.startswith("-") for a in args):
        print(USAGE, file=sys.stderr)
        return 2
    plans_dir = Path(args[0] if args else "plans")
    if not plans_dir.is_dir():
        print(f"{printable(str(plans_dir))}: không có thư mục này", file=sys.stderr)
        return 2
    graph, problems = check(plans_dir, Path.cwd())
    if graph is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"Có {len(problems)} lỗi; hãy sửa (make check) trước khi tìm gợi ý.", file=sys.stderr)
        return 1
    found = suggest(graph)
    for line in lines(found):
        print(line)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(review_file(found), encoding="utf-8")
    print(f"\nĐã ghi danh sách để biên tập viên xem xét: {printable(str(out))}")
    return 0

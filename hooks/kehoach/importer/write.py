"""Choose the draft's file name, refuse to overwrite without --force, write it and its stubs, validate them."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..load import load
from ..model import Problem
from ..validate import validate
from .cite import norm
from .draft import Context, Draft, build_draft
from .errors import ImportFailure
from .limits import DRAFT_TOO_BIG, PLAN_BYTES, safe_name, time_limit
from .naming import slug
from .source import read_blocks
from .stubfiles import Run, on_disk, write_stubs, write_text
from .yamlout import front_matter


@dataclass
class Result:
    path: Path
    draft: Draft
    problems: list[Problem] = field(default_factory=list)  # of the draft and of the stubs written
    stubs: list[Path] = field(default_factory=list)  # stub documents written (or named in) beside the draft
    kept: list[Path] = field(default_factory=list)  # stub files already there that did not load, left as they were


def context(plans_dir: Path, fresh: Collection[str] = ()) -> Context:
    """What plans/ holds; ``fresh`` are stubs this run wrote, left to ``Context.stubs`` (found by number, so
    each later citation adds what it says to the one stub)."""
    if not plans_dir.is_dir():
        raise ImportFailure(f"Không có thư mục kế hoạch “{plans_dir}”.")
    loaded = load(plans_dir)
    plans = [p for p in loaded.plans if p.id not in fresh]
    found = on_disk(plans_dir, {p.id for p in plans})
    return Context(loaded.units, plans, found.numbers, found.names)


def output_path(front: Mapping[str, object], plans_dir: Path, context: Context) -> Path:
    """The same document (same number and unit) keeps its existing file; otherwise a new slug."""
    number, unit = front.get("number"), front.get("unit")
    if isinstance(number, str) and number and unit:
        for plan in context.plans:
            if plan.number and norm(plan.number) == norm(number) and plan.unit == unit:
                return plans_dir / f"{plan.id}.md"
    return plans_dir / f"{slug(front)}.md"


def import_file(source: Path, plans_dir: Path, force: bool = False, run: Run | None = None) -> Result:
    """Import ``source``; the drafts of one ``run`` share the stubs it writes (one per cited document)."""
    run = Run() if run is None else run
    ctx = context(plans_dir, run.written.keys())
    with time_limit():  # reading and drafting; sizes and paragraphs are capped, this caps the time
        draft = build_draft(read_blocks(source), ctx)
    path = output_path(draft.front, plans_dir, ctx)
    if path.exists() and not force:
        raise ImportFailure(
            f"Đã có tệp “{path}”; không ghi đè. Kiểm tra lại, hoặc chạy lại với --force "
            f"(make import SRC=… FORCE=1) để ghi đè."
        )
    # the name only as one line of printable text: a newline in it would start a YAML key
    comment = f"Bản nháp nhập tự động từ “{safe_name(source.name)}”; kiểm tra với bản gốc trước khi xuất bản."
    text = front_matter(draft.front, comment) + "\n" + draft.body
    size = len(text.encode("utf-8"))
    if size > PLAN_BYTES:
        raise ImportFailure(DRAFT_TOO_BIG.format(size=size, limit=PLAN_BYTES))
    write_text(path, text)
    stubs = write_stubs(draft, path, ctx.units, run)
    result = Result(path, draft, stubs=stubs.written, kept=stubs.kept)
    result.problems = problems_of(plans_dir, [path, *result.stubs])
    return result


def problems_of(plans_dir: Path, paths: list[Path]) -> list[Problem]:
    """What the project's checker says about the new files (schema, references, body)."""
    loaded = load(plans_dir, plans_dir.parent)
    shown = {path.resolve().relative_to(plans_dir.parent.resolve()).as_posix() for path in paths}
    everything = loaded.problems + validate(loaded.plans, loaded.units, loaded.units_path)
    return [p for p in everything if p.path in shown]

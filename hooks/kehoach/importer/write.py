"""Choose the draft's file name, refuse to overwrite without --force, write, and validate it."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..load import load
from ..model import Problem
from ..text import slugify
from ..validate import validate
from .cite import norm
from .draft import Context, Draft, build_draft
from .errors import ImportFailure
from .limits import DRAFT_TOO_BIG, PLAN_BYTES, safe_name, time_limit
from .source import read_blocks
from .yamlout import front_matter

MAX_SLUG = 80
TITLE_WORDS = 6  # words of the title that name a draft with neither number nor date


@dataclass
class Result:
    path: Path
    draft: Draft
    problems: list[Problem] = field(default_factory=list)


def context(plans_dir: Path) -> Context:
    if not plans_dir.is_dir():
        raise ImportFailure(f"Không có thư mục kế hoạch “{plans_dir}”.")
    loaded = load(plans_dir)
    return Context(loaded.units, loaded.plans)


def slug(front: Mapping[str, object]) -> str:
    """ASCII file name from number (or type), unit and date; a draft with neither number nor date
    also takes the first words of its title, so two undated drafts of one unit do not collide."""
    parts = [str(front.get("number") or front.get("type") or "van-ban"), str(front.get("unit") or "")]
    date = front.get("date")
    if isinstance(date, dt.date):
        parts.append(date.isoformat())
    elif not front.get("number"):
        words = slugify(str(front.get("title", ""))).split("-")[2 : 2 + TITLE_WORDS]
        parts.append("-".join(words))
    return slugify(" ".join(p for p in parts if p))[:MAX_SLUG].strip("-") or "van-ban"


def output_path(front: Mapping[str, object], plans_dir: Path, context: Context) -> Path:
    """The same document (same number and unit) keeps its existing file; otherwise a new slug."""
    number, unit = front.get("number"), front.get("unit")
    if isinstance(number, str) and number and unit:
        for plan in context.plans:
            if plan.number and norm(plan.number) == norm(number) and plan.unit == unit:
                return plans_dir / f"{plan.id}.md"
    return plans_dir / f"{slug(front)}.md"


def import_file(source: Path, plans_dir: Path, force: bool = False) -> Result:
    ctx = context(plans_dir)
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
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    return Result(path, draft, _problems(plans_dir, path))


def _problems(plans_dir: Path, path: Path) -> list[Problem]:
    """What the project's checker says about the new file (schema, references, body)."""
    loaded = load(plans_dir, plans_dir.parent)
    shown = path.resolve().relative_to(plans_dir.parent.resolve()).as_posix()
    everything = loaded.problems + validate(loaded.plans, loaded.units, loaded.units_path)
    return [p for p in everything if p.path == shown]

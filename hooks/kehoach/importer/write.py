"""Choose the draft's file name, refuse to overwrite without --force, write, and validate it."""

from __future__ import annotations

import os
from collections.abc import Mapping
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
from .stubs import citing_name, source_label
from .yamlout import front_matter


@dataclass
class Result:
    path: Path
    draft: Draft
    problems: list[Problem] = field(default_factory=list)  # of the draft and of the stubs written
    stubs: list[Path] = field(default_factory=list)  # stub documents written beside the draft
    kept: list[Path] = field(default_factory=list)  # stub files that already existed, left as they were


def context(plans_dir: Path) -> Context:
    if not plans_dir.is_dir():
        raise ImportFailure(f"Không có thư mục kế hoạch “{plans_dir}”.")
    loaded = load(plans_dir)
    return Context(loaded.units, loaded.plans)


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
    _write(path, text)
    result = Result(path, draft)
    _write_stubs(result, plans_dir, ctx, force)
    result.problems = _problems(plans_dir, [path, *result.stubs])
    return result


def _write(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _write_stubs(result: Result, plans_dir: Path, ctx: Context, force: bool) -> None:
    """Each cited document plans/ lacks, beside the draft; an existing file is kept unless --force."""
    label = source_label(result.draft.front, result.path.stem, ctx.units)
    comment = f"Tệp sơ lược do trình nhập viết: văn bản chỉ biết qua trích dẫn trong {result.path.name}."
    for stub in result.draft.stubs:
        path = plans_dir / f"{stub.id}.md"
        if path.exists() and not force:
            result.kept.append(path)
            continue
        front = {**stub.front, "sources": [{"label": label}]}
        cited_in = f"[{citing_name(result.draft.front)}]({result.path.name})"
        body = f"Toàn văn chưa có trên trang này: văn bản chỉ biết qua trích dẫn trong {cited_in} (xem mục Nguồn).\n"
        _write(path, front_matter(front, comment) + "\n" + body)
        result.stubs.append(path)


def _problems(plans_dir: Path, paths: list[Path]) -> list[Problem]:
    """What the project's checker says about the new files (schema, references, body)."""
    loaded = load(plans_dir, plans_dir.parent)
    shown = {path.resolve().relative_to(plans_dir.parent.resolve()).as_posix() for path in paths}
    everything = loaded.problems + validate(loaded.plans, loaded.units, loaded.units_path)
    return [p for p in everything if p.path in shown]

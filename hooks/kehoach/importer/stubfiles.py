"""Stub files in plans/: those already there, found by the cited number, and those one run writes.

One stub per cited document: a draft citing a number that plans/ has a file for points to that file,
whether ``load`` gives it as a plan or not (a stub whose citation named no issuing unit does not load until
an editor adds its unit). A stub written earlier in the same run (``make import SRC="a.txt b.txt"``) also
names each later draft citing it in its sources, so nothing read is lost.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..frontmatter import parse_file
from ..load import TEMPLATE_PREFIX, read_text
from ..model import Unit
from .cite import norm
from .draft import Draft
from .stubs import Stub, citing_name, source_label, summary
from .yamlout import front_matter


@dataclass
class OnDisk:
    numbers: dict[str, str]  # files ``load`` did not give as plans, by normalised number: their ids
    names: set[str]  # every file name (without .md) of plans/: a new stub takes none of them


def on_disk(plans_dir: Path, loaded: set[str]) -> OnDisk:
    """The plan files of ``plans_dir`` not among ``loaded`` (ids), read for their number only."""
    found = OnDisk({}, set())
    for path in sorted(plans_dir.glob("*.md")):
        found.names.add(path.stem)
        if path.stem in loaded or path.name.startswith(TEMPLATE_PREFIX):
            continue
        text = read_text(path, path.name, [])  # unreadable: make check reports it, not the importer
        number = parse_file(text).data.get("number") if text else None
        if isinstance(number, str) and number.strip():
            found.numbers.setdefault(norm(number), path.stem)
    return found


MERGED = ("type", "unit", "date", "parents")  # what a later citation may add to a stub this run wrote
ORDER = ("title", "type", "number", "unit", "status", "date", "reported", "summary", "parents")  # as make_stub


@dataclass
class Written:
    """A stub this run wrote, with each draft citing it: (its name as cited, its file name)."""

    path: Path
    stub: Stub
    citing: list[tuple[str, str]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # its sources, one for each citing draft
    clauses: list[str] = field(default_factory=list)  # each citation's clause as written, once


@dataclass
class Run:
    """What one import run has written, shared by the drafts it imports (by stub id)."""

    written: dict[str, Written] = field(default_factory=dict)


@dataclass
class Stubs:
    written: list[Path] = field(default_factory=list)  # written or written again (naming one more draft)
    kept: list[Path] = field(default_factory=list)  # files of earlier runs that did not load, left as they were


def write_stubs(draft: Draft, path: Path, units: list[Unit], run: Run) -> Stubs:
    """The draft's new stubs beside it (``path``); the stubs of this run it cites (``write.context`` gives them
    as ``reused``) say what its citation adds and name it among their sources."""
    citing = (citing_name(draft.front), path.name)
    label = source_label(draft.front, path.stem, units)
    done = Stubs()
    for stub in draft.stubs:
        written = run.written[stub.id] = Written(path.parent / f"{stub.id}.md", stub, clauses=[stub.cited.clause])
        done.written.append(_cite(written, citing, label))
    for again in draft.reused:
        earlier = run.written.get(again.id)
        if earlier is None:
            done.kept.append(path.parent / f"{again.id}.md")
            draft.warnings.append(
                f"văn bản căn cứ số {again.number}: đã ghi vào parents tệp đã có plans/{again.id}.md, giữ nguyên; "
                "make check còn báo lỗi ở tệp đó, hãy sửa"
            )
        elif citing not in earlier.citing:
            _merge(earlier, again, draft)
            done.written.append(_cite(earlier, citing, label))
    return done


def _merge(earlier: Written, again: Stub, draft: Draft) -> None:
    """What this draft's citation says that the stub's first citation did not (its unit, its date …)."""
    stub = earlier.stub
    added = [key for key in MERGED if key not in stub.front and key in again.front]
    for key in added:
        stub.front[key] = again.front[key]
    if again.cited.subject and not stub.cited.subject:  # "Kế hoạch về …" rather than the bare clause
        stub.front["title"], stub.cited = again.front["title"], again.cited
    if again.cited.clause not in earlier.clauses:
        earlier.clauses.append(again.cited.clause)
        stub.front["summary"] = summary(earlier.clauses)
    stub.front = dict(sorted(stub.front.items(), key=lambda item: ORDER.index(item[0])))
    said = f"; đã bổ sung {', '.join(added)} theo trích dẫn trong bản nháp này" if added else ""
    draft.warnings.append(
        f"văn bản căn cứ số {again.number}: đã ghi vào parents tệp sơ lược plans/{stub.id}.md, viết cho một bản "
        f"nháp trước trong lần nhập này{said}"
    )
    if "unit" in added:
        draft.warnings.extend(again.warnings)
    elif "unit" not in stub.front:
        draft.entries.extend(again.entries)


def _cite(stub: Written, citing: tuple[str, str], label: str) -> Path:
    stub.citing.append(citing)
    stub.labels.append(label)
    files = ", ".join(name for _, name in stub.citing)
    comment = f"Tệp sơ lược do trình nhập viết: văn bản chỉ biết qua trích dẫn trong {files}."
    front = {**stub.stub.front, "sources": [{"label": label} for label in stub.labels]}
    links = [f"[{name}]({file})" for name, file in stub.citing]
    cited_in = links[0] if len(links) == 1 else f"{', '.join(links[:-1])} và {links[-1]}"
    body = f"Toàn văn chưa có trên trang này: văn bản chỉ biết qua trích dẫn trong {cited_in} (xem mục Nguồn).\n"
    write_text(stub.path, front_matter(front, comment) + "\n" + body)
    return stub.path


def write_text(path: Path, text: str) -> None:
    """Whole or not at all: a temporary file beside it, then renamed."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)

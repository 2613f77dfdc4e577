"""Rules for a plan's Markdown body: the HTML policy and its links.

Policy: a body is Markdown only. Raw HTML is refused, except ``<br>`` (a line
break inside a table cell), so no script or event handler can reach a page.
Links go to the web (http/https), to an anchor on the page (#...), or to
another plan by its file name (``09-kh-cb-mn-tran-quoc-toan.md``), which must exist.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from .model import Plan, Problem

ALLOWED_TAGS = {"br"}
_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"`[^`]*`")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^>\s]+>")
_TAG = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*|!--|!\[CDATA\[|\?)")
_INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)")
_REF_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$")
_PLAN_LINK = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)\.md(#[A-Za-z0-9_-]*)?$")


def _lines(body: str) -> Iterator[tuple[int, str]]:
    """Body lines outside fenced code, with inline code removed; numbered from 0."""
    fenced = False
    for number, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, _CODE_SPAN.sub("", line)


def check_body(plan: Plan, plan_ids: set[str]) -> list[Problem]:
    found = []
    for number, line in _lines(plan.body):
        where = plan.body_line + number
        for tag in _TAG.findall(_AUTOLINK.sub("", line)):
            name = tag.lstrip("/").lower()
            if name not in ALLOWED_TAGS:
                found.append(Problem(plan.path, where, "toàn văn", f"không được dùng mã HTML <{tag}>; chỉ viết Markdown (cho phép <br> trong bảng)"))
        targets = _INLINE_LINK.findall(line) + _REF_LINK.findall(line)
        for target in targets:
            message = _link_problem(target, plan_ids)
            if message:
                found.append(Problem(plan.path, where, "toàn văn", message))
    return found


def _link_problem(target: str, plan_ids: set[str]) -> str | None:
    if target.startswith(("https://", "http://", "#")) or target.startswith("mailto:"):
        return None
    match = _PLAN_LINK.match(target)
    if match is None:
        return f"liên kết '{target}' không hợp lệ; chỉ liên kết tới https://..., #mục hoặc tên tệp kế hoạch (vd. 71-nq-tw.md)"
    if match.group(1) not in plan_ids:
        return f"liên kết hỏng: không có kế hoạch '{match.group(1)}' trong plans/"
    return None

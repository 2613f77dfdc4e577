"""Rules for a plan's Markdown body: the HTML policy and its links.

Policy: a body is Markdown only. Raw HTML is refused, except ``<br>`` (a line
break inside a table cell), so no script or event handler can reach a page.
Links go to the web (http/https), to an anchor on the page (#...), or to
another plan by its file name (``09-kh-cb-mn-tran-quoc-toan.md``), which must exist.
"""
from __future__ import annotations

import re

from .model import Plan, Problem

ALLOWED_TAGS = {"br"}
_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"`[^`]*`")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^>\s]+>")
_TAG = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*|!--|!\[CDATA\[|\?)")
_INLINE_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")  # matched at each "](" found with str.find
_REF_LINK = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?(\S+?)>?(?:[ \t].*)?$", re.MULTILINE)
_PLAN_LINK = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)\.md(#[A-Za-z0-9_-]*)?$")


def _outside_code(body: str) -> str:
    """The body with fenced blocks and inline code blanked out, line numbers kept."""
    if "`" not in body and "~~~" not in body:
        return body
    lines = body.split("\n")
    fenced = False
    for number, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
            lines[number] = ""
        elif fenced:
            lines[number] = ""
    return _CODE_SPAN.sub("", "\n".join(lines))


def check_body(plan: Plan, plan_ids: set[str]) -> list[Problem]:
    """Scan the whole body once per rule; only hits pay for their line number."""
    text = _outside_code(plan.body)
    found = []

    def at(position: int) -> int:
        return plan.body_line + text.count("\n", 0, position)

    scrubbed = _AUTOLINK.sub(lambda m: " " * len(m.group(0)), text) if "<" in text else ""
    for match in _TAG.finditer(scrubbed):
        tag = match.group(1)
        if tag.lstrip("/").lower() not in ALLOWED_TAGS:
            found.append(Problem(plan.path, at(match.start()), "toàn văn", f"không được dùng mã HTML <{tag}>; chỉ viết Markdown (cho phép <br> trong bảng)"))
    for start, target in _link_targets(text):
        message = _link_problem(target, plan_ids)
        if message:
            found.append(Problem(plan.path, at(start), "toàn văn", message))
    return sorted(found, key=lambda p: p.line)


def _link_targets(text: str) -> list[tuple[int, str]]:
    """(position, target) of inline links ``[x](target)`` and reference definitions ``[x]: target``."""
    found = []
    position = text.find("](")
    while position >= 0:
        match = _INLINE_TARGET.match(text, position)
        if match:
            found.append((position, match.group(1)))
        position = text.find("](", position + 2)
    if "]:" in text:
        found += [(m.start(), m.group(1)) for m in _REF_LINK.finditer(text)]
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

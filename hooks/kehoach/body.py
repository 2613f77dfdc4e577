"""Rules for a plan's Markdown body: the editor's messages about HTML and links.

Policy: a body is Markdown only. Raw HTML is refused, except a bare ``<br>`` (a
line break inside a table cell). Links go to the web (http/https), to an anchor
on the page (#...), or to another plan by its file name
(``09-kh-cb-mn-tran-quoc-toan.md``), which must exist.

This check is what an editor reads (``plans/x.md:LINE: toàn văn: …``); it is not
the guarantee. What a page publishes goes through the allow-list of
``sanitize.py`` after Markdown, whatever this check lets through. So the check
does not try to model Markdown: it refuses anything that looks like a tag
anywhere in the body, inline code included, and any reference definition,
however it is indented, quoted or wrapped onto the next line.
"""

from __future__ import annotations

import re

from .model import Plan, Problem

# Autolinks as Python-Markdown reads them (no quote or space), and bare line breaks: not raw HTML.
_ALLOWED = re.compile(r"<(?:https?://[^<>\s\"'`]*|(?:mailto:)?[\w.+-]+@[\w.-]+|br\s*/?)>", re.IGNORECASE)
_TAG = re.compile(r"<(/?[A-Za-z][A-Za-z0-9:-]*|!--|!\[CDATA\[|![A-Za-z]*|\?)")
_INLINE_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")  # matched at each "](" found with str.find
# "[x]: target", also in a quote, a list or an admonition, and with the target on the next line.
_REF_LINK = re.compile(
    r"^[ \t>]*(?:(?:[*+-]|\d{1,9}[.)])[ \t]+[ \t>]*)*\[[^\]\n]*\]:[ \t]*\n?[ \t>]*<?([^\s>]+)", re.MULTILINE
)
_PLAN_LINK = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)\.md(#[A-Za-z0-9_-]*)?$")


def check_body(plan: Plan, plan_ids: set[str]) -> list[Problem]:
    """Scan the whole body once per rule; only hits pay for their line number."""
    text = plan.body
    found = []

    def at(position: int) -> int:
        return plan.body_line + text.count("\n", 0, position)

    for position, message in _html_problems(text) + _complexity_problems(text):
        found.append(Problem(plan.path, at(position), "toàn văn", message))
    for start, target in _link_targets(text):
        problem = _link_problem(target, plan_ids)
        if problem:
            found.append(Problem(plan.path, at(start), "toàn văn", problem))
    return sorted(found, key=lambda p: p.line)


def _html_problems(text: str) -> list[tuple[int, str]]:
    """(position, message) of every tag-like ``<…`` that is not an autolink or a bare ``<br>``."""
    if "<" not in text:
        return []
    scrubbed = _ALLOWED.sub(lambda m: " " * len(m.group(0)), text)
    found = []
    for match in _TAG.finditer(scrubbed):
        tag = match.group(1)
        if tag.lower() == "br":
            message = "thẻ <br> không được có thuộc tính; chỉ viết <br> để xuống dòng trong ô bảng"
        else:
            message = f"không được dùng mã HTML <{tag}>; chỉ viết Markdown (cho phép <br> trong bảng)"
        found.append((match.start(), message))
    return found


# What Python-Markdown renders in reasonable time and stack depth. Unclosed "[" cost quadratic time
# per paragraph (300,000 of them hung a build), nested emphasis, lists and quotes recurse (thousands
# overflow the stack), and the table of contents slows down with many headings. Real plans use a
# few of each; a body beyond these limits is refused, so the build can never hang on one.
MAX_BRACKETS_PER_PARAGRAPH = 100
MAX_BRACKETS = 5_000
MAX_EMPHASIS_PER_PARAGRAPH = 400  # "*" and "_" each
MAX_HEADINGS = 2_000
MAX_NESTING = 10  # list, quote markers at the start of a line
MAX_INDENT = 48  # columns
_NESTED = re.compile(r"^[ \t]*(?:>[ \t]*|(?:[*+-]|\d{1,9}[.)])[ \t]+){" + str(MAX_NESTING + 1) + r",}\S", re.MULTILINE)
_INDENTED = re.compile(r"^(?: |\t){" + str(MAX_INDENT + 1) + r",}\S", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6}[ \t]", re.MULTILINE)


def _complexity_problems(text: str) -> list[tuple[int, str]]:
    """(position, message) where the body is beyond what the site renders safely."""
    found = [
        (m.start(), f"lồng quá {MAX_NESTING} cấp danh sách hoặc trích dẫn trên một dòng")
        for m in _NESTED.finditer(text)
    ]
    if "\t" in text or " " * (MAX_INDENT + 1) in text:  # a substring search first: 20× cheaper than the regex
        found += [(m.start(), f"thụt lề quá {MAX_INDENT} cột") for m in _INDENTED.finditer(text)]
    if text.count("[") > MAX_BRACKETS:
        found.append((0, f"quá nhiều dấu '[' ({text.count('['):,}; tối đa {MAX_BRACKETS:,})"))
    headings = len(_HEADING.findall(text)) if text.count("#") > MAX_HEADINGS else 0
    if headings > MAX_HEADINGS:
        found.append((0, f"quá nhiều đề mục ({headings:,}; tối đa {MAX_HEADINGS:,})"))
    return found + _paragraph_problems(text)


def _paragraph_problems(text: str) -> list[tuple[int, str]]:
    every = (("[", MAX_BRACKETS_PER_PARAGRAPH), ("*", MAX_EMPHASIS_PER_PARAGRAPH), ("_", MAX_EMPHASIS_PER_PARAGRAPH))
    limits = [(mark, most) for mark, most in every if text.count(mark) > most]
    found: list[tuple[int, str]] = []
    position = 0
    for paragraph in re.split(r"\n[ \t]*\n", text) if limits else ():
        position = text.find(paragraph, position)
        start = position + len(paragraph) - len(paragraph.lstrip())  # the paragraph's first line
        for mark, most in limits:
            if paragraph.count(mark) > most:
                found.append((start, f"một đoạn có quá nhiều dấu '{mark}' ({paragraph.count(mark):,}; tối đa {most})"))
        position += len(paragraph)
    return found


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
    if target.startswith(("https://", "http://", "#", "mailto:")):
        return None
    match = _PLAN_LINK.match(target)
    if match is None:
        return (
            f"liên kết '{target}' không hợp lệ; "
            "chỉ liên kết tới https://..., #mục hoặc tên tệp kế hoạch (vd. 71-nq-tw.md)"
        )
    if match.group(1) not in plan_ids:
        return f"liên kết hỏng: không có kế hoạch '{match.group(1)}' trong plans/"
    return None

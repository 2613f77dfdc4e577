"""The pull request comment: the importer's checklist in Vietnamese, as GitHub Markdown.

Every value from a source document (titles, names, numbers in the messages) is text, not markup: ASCII
punctuation is backslash-escaped, so a ``*``, ``|``, ``<b>`` or ``[link](…)`` in a document shows as
written, and an ``@name`` gets a word joiner after the ``@`` so that it notifies nobody. Lists are cut
so that the comment stays far below GitHub's 65,536 characters.
"""

from __future__ import annotations

import re

from .nhap import Outcome

MARKER = "<!-- kehoach-nhap -->"  # finds the workflow's own comments
MAX_ITEMS = 40  # per list
MAX_CHARS = 400  # per item
MAX_COMMENT = 60_000

_PUNCTUATION = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")

NEXT_STEPS = (
    "**Việc tiếp theo**",
    "",
    "1. Mở tab **Files changed** (Tệp đã thay đổi), tìm tệp nháp trong `plans/`, bấm **⋯ → Edit file** (Sửa tệp).",
    "2. Đối chiếu từng dòng với văn bản gốc; bổ sung những mục còn trống ở trên. Chỗ văn bản để trống "
    "thì để trống, **không tự điền**.",
    "3. Bấm **Commit changes** (Lưu thay đổi). Máy kiểm tra chạy lại và ghi lỗi ngay trên dòng có lỗi.",
)


def text(value: str) -> str:
    """One line of plain text in Markdown: no markup, no mention, at most MAX_CHARS characters."""
    line = " ".join(value.split())
    if len(line) > MAX_CHARS:
        line = line[: MAX_CHARS - 1] + "…"
    return _PUNCTUATION.sub(lambda m: _escaped(line, m.start()), line)


def _escaped(line: str, at: int) -> str:
    """The punctuation at ``at`` backslash-escaped; an ``@`` that could start a mention also gets a word
    joiner (an ``@`` inside an e-mail address, after a letter or digit, is no mention and stays as it is)."""
    char = line[at]
    mention = char == "@" and (at == 0 or not (line[at - 1].isalnum() or line[at - 1] in "_@"))
    return f"\\{char}\u2060" if mention else f"\\{char}"


def code(value: str) -> str:
    """A file name as inline code: a fence longer than any run of backticks in it."""
    line = " ".join(value.split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", line)), default=0) + 1)
    return f"{fence} {line} {fence}" if line.startswith("`") or line.endswith("`") else f"{fence}{line}{fence}"


def _items(entries: list[str], checkbox: bool = True) -> list[str]:
    box = "- [ ] " if checkbox else "- "
    lines = [box + text(entry) for entry in entries[:MAX_ITEMS]]
    if len(entries) > MAX_ITEMS:
        lines.append(f"- … và {len(entries) - MAX_ITEMS} mục khác (xem nhật ký của lượt chạy).")
    return lines


def fenced(lines: tuple[str, ...]) -> list[str]:
    """Lines to copy as they are, in a code block whose fence no line can close."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "yaml", *(" ".join(line.split("\n")) for line in lines[: MAX_ITEMS * 5]), fence]


def _imported(outcome: Outcome) -> list[str]:
    draft = code(outcome.draft) if outcome.draft else "(không có tệp mới)"
    lines = [f"#### ✅ {code(outcome.source)} → {draft}", ""]
    if outcome.stubs:
        stubs = ", ".join(code(name) for name in outcome.stubs)
        lines += [f"Tệp sơ lược cho văn bản căn cứ chưa có trên trang: {stubs}.", ""]
    if outcome.missing:
        lines += ["**Chưa xác định được** (đã để trống, cần bổ sung):", "", *_items(list(outcome.missing)), ""]
    else:
        lines += ["Đã xác định được mọi khóa chính.", ""]
    if outcome.warnings:
        lines += ["**Cần kiểm tra** với văn bản gốc:", "", *_items(list(outcome.warnings)), ""]
    if outcome.units:
        lines += [
            "**Đơn vị chưa có** trong `plans/units.yml`: đề xuất (kiểm tra tên, loại, đơn vị cấp trên rồi dán "
            "vào cuối tệp):",
            "",
            *fenced(outcome.units),
            "",
        ]
    if outcome.problems:
        found = [f"{p.path} dòng {p.line}: {p.key}: {p.message}" for p in outcome.problems]
        lines += [f"**Máy kiểm tra còn báo {len(found)} lỗi** ở các tệp vừa ghi:", "", *_items(found), ""]
    return lines


def _refused(outcome: Outcome) -> list[str]:
    return [f"#### ❌ {code(outcome.source)}: chưa nhập được", "", text(outcome.error), ""]


def render(outcomes: list[Outcome], pushed: bool = True) -> str:
    """The whole comment; ``pushed`` is False for a fork, where the drafts are an artifact instead."""
    lines = [MARKER, "### Nhập văn bản từ thư mục `nhap/`", ""]
    done = [o for o in outcomes if o.ok]
    if done:
        where = (
            "Bản nháp đã được thêm vào pull request này; tệp gốc đã được gỡ khỏi `nhap/` (vẫn xem được trong "
            "lịch sử của pull request)."
            if pushed
            else "Pull request từ bản sao (fork): máy không ghi vào nhánh của bạn. Tải bản nháp ở mục "
            "**Artifacts → ban-nhap** của lượt chạy, rồi thêm vào `plans/`."
        )
        lines += [where, ""]
    for outcome in outcomes:
        lines += _imported(outcome) if outcome.ok else _refused(outcome)
    if done:
        lines += list(NEXT_STEPS)
    body = "\n".join(lines).rstrip() + "\n"
    if len(body) > MAX_COMMENT:
        body = body[:MAX_COMMENT].rsplit("\n", 1)[0] + "\n\n… (đã cắt bớt; xem nhật ký của lượt chạy)\n"
    return body

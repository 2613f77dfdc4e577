"""Limits on what the importer reads (issue 13): size, paragraphs, time; a safe form of file names.

A draft is a plan file, so a text source may be at most as large as ``make check`` accepts for a
plan (``load.MAX_BYTES``); larger input could only give a draft the checker refuses. A .docx is a
zip: its limits (in ``zipguard``) are checked before anything is inflated.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
import unicodedata
from collections.abc import Iterator
from types import FrameType
from typing import NoReturn

from ..load import MAX_BYTES
from .errors import ImportFailure

PLAN_BYTES = MAX_BYTES  # the largest plan file `make check` accepts
TEXT_BYTES = PLAN_BYTES  # a .txt source: at most what `make check` accepts for one plan file
MAX_PARAGRAPHS = 20_000  # paragraphs (or text lines), table cells' paragraphs included
READ_SECONDS = 20.0  # reading a .docx: the deadline checked in the paragraph loop
IMPORT_SECONDS = 60.0  # the whole import (read and draft), a hard stop for what no loop checks
NAME_CHARS = 120  # characters of a source file name shown or written into the draft

TEXT_TOO_BIG = (
    "Tệp “{name}” quá lớn ({size:,} byte). Một kế hoạch tối đa {limit:,} byte: đó là giới hạn của "
    "trình kiểm tra (make check) cho mỗi tệp kế hoạch, nên bản nháp lớn hơn sẽ bị từ chối. "
    "Hãy tách văn bản hoặc bỏ phần phụ lục rồi nhập lại."
)
TOO_MANY_PARAGRAPHS = (
    "Tệp “{name}” có quá nhiều đoạn văn (hơn {limit:,}); một kế hoạch không dài như vậy. "
    "Hãy kiểm tra lại tệp, hoặc tách văn bản."
)
TEXT_IN_DOCX_TOO_BIG = (
    "Chữ trong tệp “{name}” dài hơn {limit:,} byte. Đó là giới hạn của trình kiểm tra (make check) cho "
    "mỗi tệp kế hoạch, nên bản nháp lớn hơn sẽ bị từ chối. Hãy tách văn bản hoặc bỏ phần phụ lục rồi nhập lại."
)
TOO_SLOW = "Đọc tệp “{name}” quá {seconds:g} giây nên đã dừng; tệp quá lớn hoặc quá phức tạp để nhập."
TOO_SLOW_IMPORT = "Nhập tệp quá {seconds:g} giây nên đã dừng; tệp quá lớn hoặc quá phức tạp để nhập."
DRAFT_TOO_BIG = (
    "Bản nháp sẽ lớn {size:,} byte, quá giới hạn {limit:,} byte của trình kiểm tra (make check) "
    "cho một tệp kế hoạch; chưa ghi gì. Hãy tách văn bản hoặc bỏ phần phụ lục rồi nhập lại."
)


def safe_name(name: str, limit: int = NAME_CHARS) -> str:
    """A file name fit for one line of a message or a YAML comment: control, format (invisible,
    bidirectional), line and paragraph separator characters become "?", runs of spaces one space,
    and a long name is cut with "…"."""
    chars = []
    for char in name:
        category = unicodedata.category(char)
        if category[0] == "C" or category in ("Zl", "Zp"):
            chars.append("?")
        elif category == "Zs":
            chars.append(" ")
        else:
            chars.append(char)
    text = " ".join("".join(chars).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Budget:
    """Paragraphs and bytes of text read so far, and the reading deadline: ``tick`` and ``text``
    refuse past any of them."""

    def __init__(self, name: str) -> None:
        self.name, self.seconds, self.limit = safe_name(name), READ_SECONDS, MAX_PARAGRAPHS
        self.deadline = time.monotonic() + self.seconds
        self.count = self.size = 0

    def text(self, text: str) -> None:
        self.size += len(text.encode("utf-8", "surrogatepass"))
        if self.size > TEXT_BYTES:
            raise ImportFailure(TEXT_IN_DOCX_TOO_BIG.format(name=self.name, limit=TEXT_BYTES))

    def tick(self, count: int = 1) -> None:
        self.count += count
        if self.count > self.limit:
            raise ImportFailure(TOO_MANY_PARAGRAPHS.format(name=self.name, limit=self.limit))
        self.check_time()

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise ImportFailure(TOO_SLOW.format(name=self.name, seconds=self.seconds))


class _Expired(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` on the way swallows it."""


@contextlib.contextmanager
def time_limit(seconds: float | None = None) -> Iterator[None]:
    """Stop the block after ``seconds`` (IMPORT_SECONDS) with an ImportFailure (SIGALRM; a no-op
    where unavailable: Windows, or outside the main thread)."""
    seconds = IMPORT_SECONDS if seconds is None else seconds
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> NoReturn:
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Expired:
        raise ImportFailure(TOO_SLOW_IMPORT.format(seconds=seconds)) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

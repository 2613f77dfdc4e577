"""The ids a plan page gives its own parts, which no target id may take.

A target's anchor on its plan page is its id (``/van-ban/<plan>/#<id>``, overrides/partials/kh.html), so a
target called ``can-cu`` would take the "Căn cứ" heading's place, and a link to either would land on the
first one. Body headings start with ``tv-`` (kehoach/sanitize.py); the page's sections, years and coverage
groups are listed here. tests/test_targets_pages.py checks every id of a rendered plan page against this.
"""

from __future__ import annotations

import re

PAGE_IDS = frozenset(
    (
        "kh-title",
        "can-cu",
        "van-ban-trien-khai",
        "don-vi-trien-khai",
        "ket-qua",
        "chi-tieu",
        "chi-tieu-trich-dan",
        "phan-cong",
        "nguon",
        "toan-van",
    )
)
# Years of the targets and of quoted targets, coverage groups by unit, body headings, the site's own ids.
PAGE_ID_PATTERNS = re.compile(r"(?:chi-tieu|trich-dan|nam)-\d+|trien-khai-.*|tv-.*|kh-.*")


def page_anchor(value: str) -> bool:
    """Whether ``value`` is, or may be, the id of a part of a plan page."""
    return value in PAGE_IDS or PAGE_ID_PATTERNS.fullmatch(value) is not None

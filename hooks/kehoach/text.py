"""Text helpers: Unicode NFC, ASCII slugs with đ folded to d, Vietnamese labels."""

from __future__ import annotations

import re
import unicodedata

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


_MARKS = re.compile("[\u0300-\u036f]")  # combining diacritics: every Vietnamese tone and vowel mark


def fold(value: str) -> str:
    """Lower-case folding for Vietnamese: tone marks dropped, đ → d (as fold() in docs/assets/kh-text.js)."""
    value = nfc(value).replace("đ", "d").replace("Đ", "D")
    return _MARKS.sub("", unicodedata.normalize("NFD", value)).lower()


def slugify(value: str, separator: str = "-") -> str:
    """ASCII slug: "Đống Đa" → "dong-da" (never "ong-a")."""
    ascii_text = fold(value).encode("ascii", "ignore").decode("ascii")
    return _NON_SLUG.sub(separator, ascii_text).strip(separator)


def toc_slugify(value: str, separator: str) -> str:
    """Signature expected by Python-Markdown's toc extension."""
    return slugify(value, separator) or "muc"


DOC_TYPES = {
    "NQ": "Nghị quyết",
    "CTr": "Chương trình hành động",
    "KH": "Kế hoạch",
    "CV": "Công văn",
    "HD": "Hướng dẫn",
    "QĐ": "Quyết định",
    "BC": "Báo cáo",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
}

STATUSES = {
    "ban-hanh": "Đã ban hành",
    "du-thao": "Dự thảo (chưa có số)",
}

UNIT_KINDS = {
    "trung-uong": "Trung ương",
    "thanh-pho": "Thành phố",
    "phuong": "Phường",
    "co-quan": "Cơ quan ban hành",
    "truong": "Trường học",
    "chi-bo": "Chi bộ",
}

TARGET_OPS = {"=": "", ">=": "≥", ">": ">", "<=": "≤", "<": "<"}

UNKNOWN_NUMBER = "chưa có số"
UNKNOWN_DATE = "chưa ghi ngày"
REPORTED_BY_PRESS = "theo báo chí"  # a reported document: where its facts come from
REPORTED_BY_CITATION = "chỉ biết qua trích dẫn"

"""Plain YAML scalars typed in our dialect, with bounds; messages quote the value as written.

``true``/``false`` (lower case only), ``null``/``~``/empty, integers of at most ``MAX_INT_DIGITS``
digits (|x| < 10^12), decimals of at most ``MAX_SIGNIFICANT`` significant digits with an integer
part below 10^12 (always finite: no NaN, no infinity), ``YYYY-MM-DD`` dates; anything else is text.
Values YAML 1.1 would retype (``NO``, ``08``, ``1.10``, ``12:30``, ``.nan``) and ``True``/``FALSE``
are refused with a message.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

MAX_INT_DIGITS = 12
MAX_SIGNIFICANT = 15
SHOWN = 40  # characters of a refused value, tag or anchor name quoted in a message

# Plain scalars that YAML 1.1 (PyYAML, MkDocs) would silently retype: booleans,
# octal or zero-padded numbers, decimals like 1.10 and sexagesimal times like 12:30.
_RETYPED = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF"
    r"|[-+]?0[0-9_]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*0|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN))$"
)
_BOOL_WORDS = frozenset(
    (
        "y",
        "Y",
        "yes",
        "Yes",
        "YES",
        "n",
        "N",
        "no",
        "No",
        "NO",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
    )
)
_CAPITAL_BOOLS = frozenset(("True", "TRUE", "False", "FALSE"))
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
_NUMERIC_START = frozenset("-+0123456789")


def cut(value: str) -> str:
    return value if len(value) <= SHOWN else value[:SHOWN] + "…"


def plain_value(text: str) -> tuple[Any, str | None]:
    """(value, None) or (the text, why it is refused) for a plain scalar."""
    if text in _NULLS:
        return None, None
    if text == "true" or text == "false":
        return text == "true", None
    if text in _CAPITAL_BOOLS:
        return text, (
            f"giá trị {text}: đúng/sai chỉ viết true hoặc false (chữ thường); "
            f'nếu là chữ, hãy đặt trong dấu ngoặc kép: "{text}"'
        )
    if text[0] in _NUMERIC_START or text[0] in ".ynoYNO":
        return _typed(text)
    return text, None


def _typed(text: str) -> tuple[Any, str | None]:
    if _RETYPED.match(text):
        hint = "; nếu là đúng/sai, hãy viết true hoặc false" if text in _BOOL_WORDS else ""
        return text, (
            f"giá trị {cut(text)} có thể bị hiểu sai kiểu (số, giờ hay đúng/sai); "
            f'hãy đặt trong dấu ngoặc kép: "{cut(text)}"{hint}'
        )
    if _INT.fullmatch(text):
        if len(text.lstrip("+-")) > MAX_INT_DIGITS:
            return text, _too_long(text)
        return int(text), None
    if _DECIMAL.fullmatch(text):
        whole, _, fraction = text.lstrip("+-").partition(".")
        if len(whole) > MAX_INT_DIGITS or len((whole + fraction).lstrip("0")) > MAX_SIGNIFICANT:
            return text, _too_long(text)
        return float(text), None
    if _DATE.fullmatch(text):
        try:
            return dt.date(*(int(p) for p in text.split("-"))), None
        except ValueError:
            return None, f"ngày không có thật: {text}"
    return text, None


def _too_long(text: str) -> str:
    return (
        f"số {cut(text)} quá lớn hoặc quá nhiều chữ số: phần nguyên tối đa {MAX_INT_DIGITS} chữ số, "
        f"cả số tối đa {MAX_SIGNIFICANT} chữ số có nghĩa; nếu là chữ, hãy đặt trong dấu ngoặc kép"
    )


def tag_message(tag: str) -> str:
    shown = "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag
    shown = cut(shown)
    if "python/" in tag:
        return f"không dùng thẻ {shown}: thẻ !!python có thể tạo đối tượng hay chạy mã; hãy xóa thẻ"
    if shown.startswith("!!"):
        return f"không dùng thẻ kiểu {shown}; hãy xóa thẻ và ghi giá trị trực tiếp (chữ thì đặt trong dấu ngoặc kép)"
    return f"không dùng thẻ riêng {shown} (tag của YAML); hãy xóa thẻ và ghi giá trị trực tiếp"

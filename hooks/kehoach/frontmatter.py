"""Read a plan file and parse its YAML front matter with line numbers.

MkDocs would silently drop front matter that fails to parse, so the core
parses it itself. The YAML dialect is strict on purpose: duplicate keys are
errors, and only ``true``/``false`` are booleans, so ``NO`` stays text.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .text import nfc

Lines = dict[str, int]

_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)

# Plain scalars that YAML 1.1 (PyYAML, MkDocs) would silently retype: booleans,
# octal or zero-padded numbers, decimals like 1.10 and sexagesimal times like 12:30.
_RETYPED = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF"
    r"|[-+]?0[0-9_]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*0|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN))$"
)


# libyaml's C parser when PyYAML has it (about 10× faster), PyYAML's own otherwise.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """SafeLoader with YAML 1.2-like implicit types (no yes/no/on/off, no 12:30)."""


_StrictLoader.yaml_implicit_resolvers = {}
for _tag, _regex, _first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    ("tag:yaml.org,2002:float", r"^[-+]?(?:0|[1-9][0-9]*)\.[0-9]+$", "-+0123456789"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:timestamp", r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$", "0123456789"),
]:
    _StrictLoader.add_implicit_resolver(_tag, re.compile(_regex), list(_first))


@dataclass
class ParsedFile:
    data: dict[str, Any]
    lines: Lines
    body: str
    body_line: int
    errors: list[tuple[int, str, str]] = field(default_factory=list)


class _Walker:
    """Turns a composed YAML node tree into plain data, recording key lines."""

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.lines: Lines = {}
        self.errors: list[tuple[int, str, str]] = []

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.offset

    def walk(self, node: yaml.Node, path: str) -> Any:
        self.lines.setdefault(path, self.line(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, f"{path}[{i}]") for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = f"{path}.{key}" if path else key
            if key in result:
                self.errors.append((self.line(key_node), child, "khóa bị lặp lại; mỗi khóa chỉ được ghi một lần"))
                continue
            self.lines[child] = self.line(key_node)
            result[key] = self.walk(value_node, child)
        return result

    def _scalar(self, node: yaml.Node, path: str) -> Any:
        text = nfc(str(node.value))
        tag = node.tag
        if getattr(node, "style", None) in ("'", '"', "|", ">"):
            return text
        if _RETYPED.match(text):
            self.errors.append((self.line(node), path, f"giá trị {text} có thể bị hiểu sai kiểu (số, giờ hay đúng/sai); hãy đặt trong dấu ngoặc kép: \"{text}\""))
            return text
        if tag.endswith(":str"):
            return text
        if tag.endswith(":null"):
            return None
        if tag.endswith(":bool"):
            return text.lower() == "true"
        if tag.endswith(":int"):
            return int(text)
        if tag.endswith(":float"):
            return float(text)
        if tag.endswith(":timestamp"):
            try:
                return dt.date(*(int(p) for p in text.split("-")))
            except ValueError:
                self.errors.append((self.line(node), path, f"ngày không có thật: {text}"))
                return None
        return text


def split(text: str) -> tuple[str | None, str, int]:
    """Return (front matter text or None, body, line number of the first body line)."""
    if not text.startswith("---"):
        return None, text, 1
    first = _FENCE.match(text)
    if not first:
        return None, text, 1
    end = _FENCE.search(text, first.end())
    if not end:
        return None, text, 1
    head = text[first.end() + 1 : end.start()]
    body = text[end.end() + 1 :]
    return head, body, text.count("\n", 0, end.end()) + 2


def parse_yaml(text: str, offset: int = 0) -> tuple[Any, Lines, list[tuple[int, str, str]]]:
    """Parse one YAML document; errors are (line, key, message) in Vietnamese."""
    walker = _Walker(offset)
    try:
        node = yaml.compose(text, Loader=_StrictLoader)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 + offset
        return None, {}, [(line, "front matter", f"có ký tự điều khiển không hợp lệ (mã #x{exc.character:04x}); hãy xóa ký tự này")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end of stream" in str(exc.problem):  # point at the opening quote
            mark = exc.context_mark
        line = (mark.line + 1 + offset) if mark else offset + 1
        bad_line = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
        if "\t" in bad_line[: len(bad_line) - len(bad_line.lstrip())]:
            return None, {}, [(line, "front matter", "YAML không đọc được: có ký tự tab; hãy thụt lề bằng dấu cách")]
        return None, {}, [(line, "front matter", _yaml_message(exc))]
    except yaml.YAMLError as exc:  # pragma: no cover - defensive
        return None, {}, [(offset + 1, "front matter", f"YAML không đọc được: {exc}")]
    if node is None:
        return None, {}, []
    return walker.walk(node, ""), walker.lines, walker.errors


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    hints = {
        "mapping values are not allowed": "dấu hai chấm ':' trong giá trị; hãy đặt giá trị trong dấu ngoặc kép",
        "found character '\\t'": "có ký tự tab; hãy thụt lề bằng dấu cách",
        "found unexpected end of stream": "thiếu dấu ngoặc đóng",
        "found unknown escape character": "ký tự thoát không hợp lệ trong chuỗi",
    }
    for needle, hint in hints.items():
        if needle in problem or needle in str(exc):
            return f"YAML không đọc được: {hint}"
    return f"YAML không đọc được ({problem or 'lỗi cú pháp'})"


def parse_file(text: str) -> ParsedFile:
    head, body, body_line = split(text)
    if head is None:
        return ParsedFile({}, {}, body, body_line, [(1, "front matter", "thiếu phần khai báo đầu tệp (front matter giữa hai dòng ---)")])
    data, lines, errors = parse_yaml(head, offset=1)
    if data is None and not errors:
        errors = [(2, "front matter", "phần khai báo đầu tệp đang trống")]
    elif data is not None and not isinstance(data, dict):
        errors = [(2, "front matter", "phần khai báo đầu tệp phải là các cặp khóa: giá trị")]
        data = None
    lines.setdefault("", 1)
    return ParsedFile(data or {}, lines, body, body_line, errors)

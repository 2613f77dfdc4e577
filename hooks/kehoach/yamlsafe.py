"""A strict YAML dialect with limits, read from the parser's event stream.

Every plan file is treated as hostile. No Python object is built from YAML nodes by PyYAML:
this module reads libyaml's events one at a time (the parser streams; it looks ahead at most
one simple key, 1,024 characters) and builds plain data itself, iteratively, so nesting can
neither recurse nor blow up, and stops at the first limit it meets.

Refused outright, each with its own message: anchors (``&a``), aliases (``*a``, so no alias
bomb), merge keys (``<<``), explicit tags (``!!int``, ``!foo``, ``!!python/...``), ``%``
directives, a second document, keys that are not scalars (``? [a]``), more than ``MAX_DEPTH``
nested collections (our schema needs 3) and more than ``max_nodes`` nodes.

Plain scalars get YAML 1.2-like types: ``true``/``false`` (lower case only; ``True``, ``yes``…
are refused with a message), ``null``/``~``/empty, integers, decimals and ``YYYY-MM-DD`` dates;
values YAML 1.1 would retype (``NO``, ``08``, ``1.10``, ``12:30``, ``.nan``) are refused unless
quoted. Numbers are bounded: an integer has at most ``MAX_INT_DIGITS`` digits (|x| < 10^12), a
decimal at most ``MAX_SIGNIFICANT`` significant digits and an integer part below 10^12, so a
number is always finite and exact enough; no NaN, no infinity.
"""

from __future__ import annotations

from typing import Any

import yaml

from . import hygiene
from .text import nfc
from .yamlerrors import parser_message
from .yamlscalars import cut, plain_value, tag_message

MAX_DEPTH = 8
MAX_NODES = 10_000
MAX_ERRORS = 20

Lines = dict[str, int]
Errors = list[tuple[int, str, str]]

_SKIP = object()  # a mapping's next value is discarded (duplicate or merge key)
_KEY_SKIP = object()  # a skipped subtree that was a (complex) key
_VALUE_SKIP = object()  # a skipped subtree that was a discarded value

# libyaml's C parser when PyYAML has it (about 10× faster), PyYAML's own otherwise.
_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


class _Refused(Exception):
    """A limit was reached: parsing stops here."""


def parse_yaml(
    text: str, offset: int = 0, max_nodes: int = MAX_NODES, root: str = "front matter"
) -> tuple[Any, Lines, Errors]:
    """Parse one YAML document; errors are (line, key, message) in Vietnamese.

    Data is None when the text breaks the dialect (then only those errors are reported).
    """
    builder = _Builder(offset, max_nodes, root)
    try:
        builder.run(text)
    except _Refused:
        pass
    except yaml.YAMLError as exc:
        return None, {}, [parser_message(exc, text, offset, root)]
    if builder.refused:
        return None, {}, builder.errors
    return builder.root, builder.lines, builder.errors


class _Builder:
    """Plain data from parser events, with an explicit stack of open collections.

    A frame is [container, path, path of the pending value (None: a key comes next), key]; a
    skipped subtree (a complex key, a duplicate key's value) has container None.
    """

    def __init__(self, offset: int, max_nodes: int, root: str) -> None:
        self.offset, self.max_nodes, self.where = offset, max_nodes, root
        self.lines: Lines = {}
        self.errors: Errors = []
        self.refused = False
        self.stack: list[list[Any]] = []
        self.root: Any = None
        self.nodes = 0
        self.documents = 0
        self.aliases: set[str] = set()

    def run(self, text: str) -> None:
        loader = _LOADER(text)
        try:
            self.events(loader.get_event)
        finally:
            loader.dispose()

    def events(self, get_event: Any) -> None:
        handlers = {
            yaml.ScalarEvent: self.scalar,
            yaml.MappingStartEvent: self.mapping,
            yaml.SequenceStartEvent: self.sequence,
            yaml.MappingEndEvent: self.end,
            yaml.SequenceEndEvent: self.end,
            yaml.AliasEvent: self.alias,
            yaml.DocumentStartEvent: self.document,
        }
        end = yaml.StreamEndEvent
        while True:  # the parser's events one at a time: it never builds what follows a refusal
            event = get_event()
            kind = type(event)
            if kind is end:
                return
            handler = handlers.get(kind)
            if handler is not None:
                handler(event)

    # -- events ---------------------------------------------------------------
    def document(self, event: Any) -> None:
        self.documents += 1
        line = self.line(event)
        if event.version or event.tags:
            self.refuse(line, self.where, "không dùng chỉ thị YAML (dòng bắt đầu bằng %); hãy xóa dòng này", stop=True)
        if self.documents > 1:
            message = "chỉ được có một phần khai báo; hãy xóa dòng '...' hoặc '--- ' thừa"
            self.refuse(line, self.where, message, stop=True)

    def scalar(self, event: Any) -> None:
        stack = self.stack
        frame = stack[-1] if stack else None
        if frame is None or self.nodes >= self.max_nodes or event.tag or event.anchor is not None or frame[0] is None:
            self.slow_scalar(event)
            return
        self.nodes += 1  # the common case, inlined: a scalar in an open mapping or list
        line = event.start_mark.line + 1 + self.offset
        container = frame[0]
        if type(container) is list:
            path = f"{frame[1]}[{len(container)}]"
            self.lines.setdefault(path, line)
            container.append(self.value(event, path, line))
        elif frame[2] is None:
            self.key(frame, event, line)
        elif frame[2] is _SKIP:
            frame[2] = None
        else:
            path = frame[2]
            self.lines.setdefault(path, line)
            container[frame[3]] = self.value(event, path, line)
            frame[2] = None

    def slow_scalar(self, event: Any) -> None:
        line, path, frame = self.node(event)
        if frame is not None and frame[0] is None:
            return
        if path is None and frame is not None:  # a mapping key
            self.key(frame, event, line)
        elif path is _SKIP:
            self.deliver(None)
        else:
            self.lines.setdefault(path, line)
            self.deliver(self.value(event, path, line))

    def mapping(self, event: Any) -> None:
        self.collection(event, {})

    def sequence(self, event: Any) -> None:
        self.collection(event, [])

    def collection(self, event: Any, container: dict[str, Any] | list[Any]) -> None:
        line, path, frame = self.node(event)
        if len(self.stack) >= MAX_DEPTH:
            message = f"lồng quá sâu: quá {MAX_DEPTH} cấp danh sách hoặc nhóm khóa lồng nhau"
            self.refuse(line, self.at(path, frame), message, stop=True)
        if frame is not None and frame[0] is None:
            self.stack.append([None, None, None, None])
        elif path is None:
            self.refuse(line, self.at(path, frame), "khóa phải là một chữ đơn giản, không phải danh sách hay nhóm khóa")
            self.stack.append([None, _KEY_SKIP, None, None])
        elif path is _SKIP:
            self.stack.append([None, _VALUE_SKIP, None, None])
        else:
            self.lines.setdefault(path, line)
            self.stack.append([container, path, None, None])

    def end(self, event: Any) -> None:
        frame = self.stack.pop()
        if frame[0] is not None:
            self.deliver(frame[0])
        elif frame[1] is _KEY_SKIP:
            self.stack[-1][2] = _SKIP
        elif frame[1] is _VALUE_SKIP:
            self.stack[-1][2] = None

    def alias(self, event: Any) -> None:
        line, path, frame = self.node(event)
        name = event.anchor or ""
        if name in self.aliases:  # reported once per name: an alias bomb repeats them
            self.refused = True
        else:
            self.aliases.add(name)
            message = f"không dùng bí danh *{cut(name)} (alias của YAML); hãy chép lại giá trị"
            self.refuse(line, self.at(path, frame), message)
        if frame is not None and frame[0] is not None and path is None:
            frame[2] = _SKIP
        elif frame is None or frame[0] is not None:
            self.deliver(None)

    # -- helpers --------------------------------------------------------------
    def line(self, event: Any) -> int:
        line: int = event.start_mark.line
        return line + 1 + self.offset

    def node(self, event: Any) -> tuple[int, Any, list[Any] | None]:
        """Count a node, refuse its anchor and tag; (line, path or None for a key or _SKIP, frame)."""
        self.nodes += 1
        line = self.line(event)
        frame = self.stack[-1] if self.stack else None
        path = self.place(frame)
        if self.nodes > self.max_nodes:
            message = f"quá nhiều giá trị (trên {self.max_nodes:,}); tệp khai báo không thể dài như vậy"
            self.refuse(line, self.at(path, frame), message, stop=True)
        if getattr(event, "tag", None) and (frame is None or frame[0] is not None):
            self.refuse(line, self.at(path, frame), tag_message(event.tag))
        anchored = getattr(event, "anchor", None) is not None and type(event) is not yaml.AliasEvent
        if anchored and (frame is None or frame[0] is not None):
            message = f"không dùng neo &{cut(event.anchor)} (anchor của YAML); hãy chép lại giá trị thay vì dùng neo"
            self.refuse(line, self.at(path, frame), message)
        return line, path, frame

    @staticmethod
    def place(frame: list[Any] | None) -> Any:
        if frame is None:
            return ""
        container = frame[0]
        if type(container) is list:
            return f"{frame[1]}[{len(container)}]"
        return frame[2]  # None: the next node is a key

    def at(self, path: Any, frame: list[Any] | None) -> str:
        if isinstance(path, str) and path:
            return path
        return frame[1] if frame is not None and isinstance(frame[1], str) and frame[1] else self.where

    def refuse(self, line: int, key: str, message: str, stop: bool = False) -> None:
        self.refused = True
        self.errors.append((line, key, message))
        if stop or len(self.errors) >= MAX_ERRORS:
            raise _Refused

    def error(self, line: int, key: str, message: str) -> None:
        self.errors.append((line, key, message))
        if len(self.errors) >= MAX_ERRORS:
            self.refused = True
            raise _Refused

    def deliver(self, value: Any) -> None:
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        container = frame[0]
        if container is None:
            return
        if type(container) is list:
            container.append(value)
        elif frame[2] is not _SKIP:
            container[frame[3]] = value
            frame[2] = None
        else:
            frame[2] = None

    def key(self, frame: list[Any], event: Any, line: int) -> None:
        key = event.value if event.style != '"' else nfc(event.value)
        child = f"{frame[1]}.{key}" if frame[1] else key
        if key == "<<" and event.implicit[0]:
            self.refuse(line, self.at(None, frame), "không dùng khóa gộp << (merge key của YAML); hãy ghi từng khóa")
            frame[2] = _SKIP
            return
        if not key.isprintable():
            self.clean(key, line, child, event.style)
        if key in frame[0]:
            self.error(line, child, "khóa bị lặp lại; mỗi khóa chỉ được ghi một lần")
            frame[2] = _SKIP
            return
        self.lines[child] = line
        frame[2], frame[3] = child, key

    def clean(self, value: str, line: int, path: str, style: Any) -> None:
        found = hygiene.FORBIDDEN.search(value)
        if found:
            how = " viết bằng mã thoát trong chuỗi ngoặc kép" if style == '"' else ""
            self.error(line, path, f"{hygiene.describe(found.group())}{how}; hãy xóa ký tự này")

    def value(self, event: Any, path: str, line: int) -> Any:
        text = event.value
        if event.implicit[0]:
            return self.plain(text, path, line)
        if not text.isprintable():  # quoted or block scalar: text, checked for escaped characters
            self.clean(text, line, path, event.style)
        return nfc(text) if event.style == '"' else text  # the file is NFC: only an escape can break it

    def plain(self, text: str, path: str, line: int) -> Any:
        value, problem = plain_value(text)
        if problem:
            self.error(line, path, problem)
        return value

"""The YAML parser's errors in Vietnamese, with a hint; no English text reaches the editor."""

from __future__ import annotations

import yaml

# libyaml's (and PyYAML's) problem texts → what the editor should do. First match wins.
_HINTS = (
    (
        "could not find expected ':'",
        "một dòng khóa thiếu dấu ':' (viết khóa: giá trị), hoặc một giá trị xuống dòng cần đặt trong dấu ngoặc kép",
    ),
    (
        "mapping values are not allowed",
        "dấu hai chấm ':' trong giá trị hoặc thụt lề sai; hãy đặt giá trị trong dấu ngoặc kép và kiểm tra thụt lề",
    ),
    ("block sequence entries are not allowed", "dấu '-' của danh sách đặt sai chỗ; hãy kiểm tra thụt lề"),
    ("'\\t'", "có ký tự tab; hãy thụt lề bằng dấu cách"),
    ("tab character", "có ký tự tab; hãy thụt lề bằng dấu cách"),
    ("unexpected end of stream", "thiếu dấu ngoặc đóng"),
    (
        "unknown escape character",
        "mã thoát (dấu \\) không hợp lệ trong chuỗi ngoặc kép; hãy viết \\\\ hoặc dùng dấu ngoặc đơn '...'",
    ),
    ("hexdecimal number", "mã thoát \\x, \\u hoặc \\U không hợp lệ trong chuỗi ngoặc kép"),
    ("invalid Unicode character escape", "mã thoát \\u hoặc \\U không phải một ký tự hợp lệ"),
    (
        "unexpected document indicator",
        "dòng bắt đầu bằng --- hoặc ... nằm giữa một chuỗi; hãy đóng dấu ngoặc trước dòng đó",
    ),
    (
        "expected <document start>",
        "có nội dung thừa sau phần khai báo (dòng '...' hay một giá trị đứng riêng); hãy xóa hoặc viết khóa: giá trị",
    ),
    ("expected '-' indicator", "danh sách thụt lề không đều; mỗi mục bắt đầu bằng '- ' ở cùng một cột"),
    (
        "expected key",
        "thụt lề không đều hoặc có chữ thừa sau giá trị trong ngoặc kép; các khóa cùng cấp phải thẳng cột",
    ),
    (
        "expected node content",
        "thiếu giá trị ở chỗ này (dấu ',', ']' hay '}' thừa?); chữ bắt đầu bằng dấu đó phải đặt trong dấu ngoặc kép",
    ),
    ("expected ',' or ']'", "thiếu dấu ']' đóng danh sách hoặc thiếu dấu ',' giữa các mục"),
    ("expected ',' or '}'", "thiếu dấu '}' đóng nhóm khóa hoặc thiếu dấu ',' giữa các khóa"),
    (
        "cannot start any token",
        "có ký tự không thể đứng đầu giá trị (như @ hoặc `); hãy đặt giá trị trong dấu ngoặc kép",
    ),
    (
        "alphabetic or numeric character",
        "sau dấu &, * hoặc ! phải là một tên; nếu là chữ, hãy đặt giá trị trong dấu ngoặc kép",
    ),
    ("tag", "thẻ YAML (!...) không hợp lệ và không được dùng; hãy xóa thẻ"),
    ("directive", "không dùng chỉ thị YAML (dòng bắt đầu bằng %); hãy xóa dòng này"),
    ("indentation indicator", "chỉ báo thụt lề sau | hoặc > không hợp lệ; hãy chỉ viết | hoặc >"),
    ("comment or line break", "có chữ thừa sau giá trị; hãy đặt toàn bộ giá trị trong dấu ngoặc kép"),
    ("found incompatible YAML document", "không dùng chỉ thị YAML (dòng bắt đầu bằng %); hãy xóa dòng này"),
)
_FALLBACK = "lỗi cú pháp; hãy kiểm tra thụt lề, dấu hai chấm ':' sau mỗi khóa và dấu ngoặc kép quanh giá trị"


def parser_message(exc: yaml.YAMLError, text: str, offset: int, root: str) -> tuple[int, str, str]:
    """(line, key, message) for a parser error: the line it points at, the hint in Vietnamese."""
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, max(exc.position, 0)) + 1 + offset
        return line, root, f"có ký tự không hợp lệ (mã U+{exc.character:04X}) mà YAML không đọc được; hãy xóa ký tự này"
    if not isinstance(exc, yaml.MarkedYAMLError):
        return offset + 1, root, f"YAML không đọc được: {_FALLBACK}"
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and "end of stream" in str(exc.problem):  # point at the opening quote
        mark = exc.context_mark
    line = (mark.line + 1 + offset) if mark else offset + 1
    lines = text.split("\n")
    bad_line = lines[mark.line] if mark and mark.line < len(lines) else ""
    if "\t" in bad_line[: len(bad_line) - len(bad_line.lstrip())]:
        return line, root, "YAML không đọc được: có ký tự tab; hãy thụt lề bằng dấu cách"
    return line, root, f"YAML không đọc được: {_hint(exc)}"


def _hint(exc: yaml.MarkedYAMLError) -> str:
    problem = f"{exc.problem or ''} {exc.context or ''}"
    for needle, hint in _HINTS:
        if needle in problem:
            return hint
    return _FALLBACK

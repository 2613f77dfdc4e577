"""GitHub Actions workflow commands: ``check`` problems as annotations on the lines they name.

``::error file=plans/x.md,line=6,title=date::message`` puts the message on line 6 of the file in the
pull request's "Files changed" view. Escaping follows the runner's rules (actions/toolkit ``command.ts``):
in the message ``%``, CR and LF; in a property value also ``:`` and ``,``. Every other character is
passed through ``printable`` first, so no value can start a new workflow command or move the cursor.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, Protocol

from .hygiene import printable

Level = Literal["error", "warning", "notice"]
TITLE = "Kiểm tra kế hoạch"


class Located(Protocol):
    """A ``check`` problem (model.Problem) or warning (alignment.Caution)."""

    @property
    def path(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def key(self) -> str: ...
    @property
    def message(self) -> str: ...


def escape_data(text: str) -> str:
    """A message: ``%`` first, so that the escapes it adds are not escaped again."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: Level, message: str, **properties: str | int) -> str:
    """One workflow command line; properties in the order given, empty ones left out."""
    given = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value != "")
    return f"::{level}{' ' + given if given else ''}::{escape_data(message)}"


def annotation(problem: Located, level: Level = "error") -> str:
    """``problem`` on its file and line; a line below 1 (a whole-file problem) names only the file."""
    message = printable(" ".join(problem.message.split()))
    key = printable(problem.key)
    properties: dict[str, str | int] = {"file": printable(problem.path)}
    if problem.line >= 1:
        properties["line"] = problem.line
    properties["title"] = f"{TITLE}: {key}" if key else TITLE
    return command(level, f"{key}: {message}" if key else message, **properties)


def annotation_lines(problems: Iterable[Located], level: Level = "error") -> list[str]:
    return [annotation(p, level) for p in problems]

"""File names of drafts and of the stub documents written beside them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ..text import slugify

MAX_SLUG = 80
TITLE_WORDS = 6  # words of the title that name a draft with neither number nor date


def slug(front: Mapping[str, object]) -> str:
    """ASCII file name from number (or type), unit and date; a draft with neither number nor date
    also takes the first words of its title, so two undated drafts of one unit do not collide."""
    parts = [str(front.get("number") or front.get("type") or "van-ban"), str(front.get("unit") or "")]
    date = front.get("date")
    if isinstance(date, dt.date):
        parts.append(date.isoformat())
    elif not front.get("number"):
        words = slugify(str(front.get("title", ""))).split("-")[2 : 2 + TITLE_WORDS]
        parts.append("-".join(words))
    return slugify(" ".join(p for p in parts if p))[:MAX_SLUG].strip("-") or "van-ban"

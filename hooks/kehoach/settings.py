"""What a build takes from the generator's configuration, and what a generator process sets up once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from .cachedir import prune_caches


@dataclass(frozen=True)
class Settings:
    """What a build takes from the generator's configuration (MkDocs' ``config``)."""

    config_file: str
    site_dir: str
    site_url: str | None
    extra: dict[str, Any]
    extensions: list[Any]  # the site's Markdown extensions (with the allow-list: sanitize.site_markdown)
    configs: dict[str, Any]
    dirty: bool = False  # an incremental build: mkdocs serve --dirty, mkdocs build --dirty
    serve: bool = False
    theme_folders: tuple[str, ...] = ()  # the theme's template folders, the site's overrides first
    site_name: str = ""

    @property
    def fast(self) -> bool:
        """``extra.fast: false`` (``KEHOACH_FAST=false``) takes the plain path."""
        return self.extra.get("fast", True) is not False

    @property
    def shard(self) -> str | None:
        return self.extra.get("shard") or None

    @property
    def shard_units(self) -> tuple[str, ...]:
        return tuple(s for s in (self.extra.get("shards") or "").split(",") if s)


def _not_dirty_notice(record: logging.LogRecord) -> bool:
    message = record.getMessage()
    return "'dirty' build" not in message and "Generated empty output" not in message


def session_started(dirty: bool) -> None:
    """Once per process (a serve session's first build): old caches go, and dirty builds' notices are quiet."""
    prune_caches()  # other sites' and old serve sessions' cache folders, unused for two weeks
    if dirty:  # incremental rebuilds are this site's design (see kehoach/cache.py), not a strict-mode problem
        logging.getLogger("mkdocs.commands.build").addFilter(_not_dirty_notice)

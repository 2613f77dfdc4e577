"""Plan bodies as an earlier build rendered them, kept between builds, keyed by a digest of their Markdown.

Rendering the bodies is the largest cost of a build (about 7 ms per plan body, 7 s of CPU at
1,000 plans). A body's HTML depends only on its Markdown source and on the site's code and
settings, which are in the file's name (the cache salt, ``cache.site_cache``). So a build renders
only the bodies whose source it has not seen, and keeps every body it published for the next one. The file
is named by the salt of the code alone, not by the site's settings or output folder: ``make serve`` after
``make build``, a shard after another and a test build after the last reuse each other's bodies. Only a
build that renders every body uses it: a serve rebuild renders the few bodies that changed.

The file is sealed (kehoach/sealed.py): one that this user's builds did not write is ignored,
never unpickled. The plain path (``fast=False``) keeps nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from .cachedir import prune_versions
from .render import RenderedBody
from .sealed import read_sealed, write_sealed

Bodies = dict[bytes, RenderedBody]  # digest of the Markdown source → the body rendered from it


def body_key(source: str) -> bytes:
    return hashlib.blake2b(source.encode("utf-8"), digest_size=16).digest()


class BodyMemo:
    """The bodies kept in ``path``; ``keep`` what this build rendered, ``save`` when it is written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        found = read_sealed(path)
        self._known: Bodies = found if isinstance(found, dict) else {}
        if self._known:  # used: the file's time says so to prune_versions
            with contextlib.suppress(OSError):
                os.utime(path)
        self._kept: Bodies = {}
        self._new = False

    def known(self, sources: dict[str, str]) -> tuple[dict[str, RenderedBody], dict[str, str]]:
        """Split ``sources`` (page → Markdown) into the bodies already rendered and the sources left to render."""
        ready, left = {}, {}
        for uri, source in sources.items():
            body = self._known.get(key := body_key(source))
            if body is None:
                left[uri] = source
            else:
                ready[uri], self._kept[key] = body, body
        return ready, left

    def keep(self, source: str, body: RenderedBody) -> None:
        self._kept[body_key(source)], self._new = body, True

    def save(self) -> None:
        """Write the memo if this build rendered a body: this build's bodies, and the earlier ones up to as many
        again (the other shards' of a sharded site, or a serve session's), so that it cannot grow for ever."""
        if not self._new:
            return
        others = {key: body for key, body in self._known.items() if key not in self._kept}
        kept = {**dict(list(others.items())[: len(self._kept) + 100]), **self._kept}
        write_sealed(self.path, kept)
        self._new = False
        prune_versions(self.path.parent.glob("*.pickle"), lambda path: path.stem, self.path.stem)

"""Plan bodies as an earlier build rendered them, kept between builds, keyed by a digest of their Markdown.

Rendering the bodies is the largest cost of a build (about 7 ms per plan body, 7 s of CPU at
1,000 plans). A body's HTML depends only on its Markdown source and on the site's code and
settings, which are in the file's name (the cache salt, ``cache.site_cache``). So a build renders
only the bodies whose source it has not seen, and keeps every body it published for the next one.
Only a build that renders every body uses it: a serve rebuild renders the few bodies that changed.

The file is sealed (kehoach/sealed.py): one that this user's builds did not write is ignored,
never unpickled. The plain path (``fast=False``) keeps nothing.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

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
        """Write the memo if this build rendered a body: the bodies of this build's plans, no other."""
        if self._new:
            write_sealed(self.path, self._kept)
            self._new = False
            for old in self.path.parent.glob("bodies-*.pickle"):  # made by other code: never read again
                if old != self.path:
                    old.unlink(missing_ok=True)

"""Plan bodies rendered to HTML, and QR codes drawn, in worker processes while the build goes on.

Python-Markdown is the largest single cost of a build (about 6 ms per plan body)
and MkDocs runs it on one core. The bodies are known as soon as the plans are
loaded, so worker processes (forked, one per core) render them with the site's
own Markdown extensions while MkDocs is still collecting files; MkDocs then gets
an empty Markdown source for each plan page and the ready HTML and table of
contents in its place. Links to other plans ("x.md#muc"), which MkDocs would
rewrite, are rewritten here to the plan's page ("../x/#tv-muc"). Every body goes
through the allow-list of ``sanitize.py``, as MkDocs' own rendering does.

The print-only QR code of each plan page (about 1.5 ms each) is drawn by the same
workers, first, into its cache file, which the build then copies.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .fulltext import body_passages
from .qr import qr_svg
from .sanitize import SafeHtml

_PLAN_LINK = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)\.md(#[A-Za-z0-9_-]*)?$")
PARALLEL_FROM = 50  # fewer bodies than this render faster in the build process itself


Extensions = list[Any]  # extension names and instances, as MkDocs' config holds them
Configs = dict[str, dict[str, Any]]
TocTokens = list[dict[str, Any]]
Passage = tuple[str, str, str]  # sentence, anchor id, section heading


@dataclass(frozen=True)
class RenderedBody:
    html: str
    toc_tokens: TocTokens  # Python-Markdown's toc tokens, for MkDocs' get_toc()
    passages: tuple[
        Passage, ...
    ] = ()  # (sentence, anchor, heading) for the full-text index, found here on the workers' core


class _PlanLinks(Treeprocessor):
    """ "x.md#a" → "../x/#a": a plan page is van-ban/<id>/, so a sibling plan is one folder up."""

    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            match = _PLAN_LINK.match(link.get("href", ""))
            if match:
                link.set("href", f"../{match.group(1)}/{match.group(2) or ''}")


class _PlanLinksExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_PlanLinks(md), "kehoach_plan_links", 5)


_settings: tuple[Extensions, Configs] = (
    [],
    {},
)  # set in each worker process by _start_worker (not in the build process)


def _start_worker(extensions: Extensions, configs: Configs) -> None:
    global _settings
    _settings = (extensions, configs)
    os.nice(5)  # the build's own process comes first: it is the critical path


def render_body(source: str, extensions: Extensions | None = None, configs: Configs | None = None) -> RenderedBody:
    extensions, configs = (extensions, configs) if extensions is not None else _settings
    # SafeHtml last, whatever ``extensions`` holds: no body is published without the allow-list (sanitize.py).
    md = markdown.Markdown(extensions=[*extensions, _PlanLinksExtension(), SafeHtml()], extension_configs=configs or {})
    html = md.convert(source)
    return RenderedBody(html, getattr(md, "toc_tokens", []), tuple(body_passages(html)))


def draw_qr(path: Path, url: str) -> None:
    """Write the QR code of ``url`` to ``path`` (atomically: a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    partial.write_text(qr_svg(url), encoding="utf-8")
    partial.replace(path)


def _job(job: tuple[str, str, str]) -> tuple[str, RenderedBody | None]:
    kind, key, text = job
    if kind == "qr":
        draw_qr(Path(key), text)
        return key, None
    return key, render_body(text)


class BodyRenderer:
    """Renders ``sources`` (key → Markdown) in forked workers; ``take(key)`` waits for one body.

    ``qr_codes`` (file → URL) are drawn first; ``qr_ready()`` waits for them. ``ready`` holds bodies
    rendered before (kehoach/bodymemo.py); ``rendered(key, body)`` is told of each body rendered here.
    """

    def __init__(
        self,
        sources: dict[str, str],
        extensions: Extensions,
        configs: Configs,
        qr_codes: dict[Path, str] | None = None,
        ready: dict[str, RenderedBody] | None = None,
        rendered: Callable[[str, RenderedBody], None] | None = None,
    ) -> None:
        self._asked = set(sources) | set(ready or {})
        self._ready: dict[str, RenderedBody] = dict(ready or {})
        self._rendered = rendered or (lambda key, body: None)
        self._pool: Any = None  # a fork context's Pool
        self._results: Iterator[tuple[str, RenderedBody | None]] = iter(())
        self._qr_left = len(qr_codes or {})
        jobs = [("qr", str(path), url) for path, url in (qr_codes or {}).items()]
        jobs += [("body", key, text) for key, text in sources.items()]
        if len(jobs) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
            for path, url in (qr_codes or {}).items():
                draw_qr(path, url)
            for key, text in sources.items():
                self._ready[key] = render_body(text, extensions, configs)
                self._rendered(key, self._ready[key])
            self._qr_left = 0
            return
        context = multiprocessing.get_context("fork")
        self._pool = context.Pool(min(len(os.sched_getaffinity(0)), 4), _start_worker, (extensions, configs))
        # Small batches in page order: the build takes them in about that order.
        self._results = self._pool.imap(_job, jobs, chunksize=8)

    def qr_ready(self) -> None:
        """Wait until every QR code is drawn."""
        while self._qr_left:
            self._next()

    def wants(self, key: str) -> bool:
        return key in self._asked

    def take(self, key: str) -> RenderedBody | None:
        """The rendered body for ``key`` (waiting for the workers if needed), or None if it was never asked for."""
        if key not in self._asked:
            return None
        self._asked.discard(key)
        while key not in self._ready:
            if not self._next():
                return None
        return self._ready.pop(key)

    def _next(self) -> bool:
        """Collect one finished job; False when none is left."""
        try:
            done, body = next(self._results)
        except StopIteration:
            self.close()
            self._qr_left = 0
            return False
        if body is None:
            self._qr_left -= 1
        else:
            self._ready[done] = body
            self._rendered(done, body)
        return True

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None

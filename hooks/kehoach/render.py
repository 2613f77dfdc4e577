"""Plan bodies rendered to HTML in worker processes while the build goes on.

Python-Markdown is the largest single cost of a build (about 6 ms per plan body)
and MkDocs runs it on one core. The bodies are known as soon as the plans are
loaded, so worker processes (forked, one per core) render them with the site's
own Markdown extensions while MkDocs is still collecting files; MkDocs then gets
an empty Markdown source for each plan page and the ready HTML and table of
contents in its place. Links to other plans ("x.md#muc"), which MkDocs would
rewrite, are rewritten here to the plan's page ("../x/#muc").
"""
from __future__ import annotations

import multiprocessing
import os
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

_PLAN_LINK = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)\.md(#[A-Za-z0-9_-]*)?$")
PARALLEL_FROM = 50  # fewer bodies than this render faster in the build process itself


@dataclass(frozen=True)
class RenderedBody:
    html: str
    toc_tokens: list  # Python-Markdown's toc tokens, for MkDocs' get_toc()


class _PlanLinks(Treeprocessor):
    """"x.md#a" → "../x/#a": a plan page is van-ban/<id>/, so a sibling plan is one folder up."""

    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            match = _PLAN_LINK.match(link.get("href", ""))
            if match:
                link.set("href", f"../{match.group(1)}/{match.group(2) or ''}")


class _PlanLinksExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_PlanLinks(md), "kehoach_plan_links", 5)


_settings: tuple[list, dict] = ([], {})  # set in each worker process by _start_worker (not in the build process)


def _start_worker(extensions: list, configs: dict) -> None:
    global _settings
    _settings = (extensions, configs)


def render_body(source: str, extensions: list | None = None, configs: dict | None = None) -> RenderedBody:
    extensions, configs = (extensions, configs) if extensions is not None else _settings
    md = markdown.Markdown(extensions=[*extensions, _PlanLinksExtension()], extension_configs=configs or {})
    html = md.convert(source)
    return RenderedBody(html, getattr(md, "toc_tokens", []))


def _render_job(job: tuple[str, str]) -> tuple[str, RenderedBody]:
    key, source = job
    return key, render_body(source)


class BodyRenderer:
    """Renders ``sources`` (key → Markdown) in forked workers; ``take(key)`` waits for one body."""

    def __init__(self, sources: dict[str, str], extensions: list, configs: dict) -> None:
        self._asked = set(sources)
        self._ready: dict[str, RenderedBody] = {}
        self._pool = None
        self._results = iter(())
        if len(sources) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
            self._ready = {key: render_body(text, extensions, configs) for key, text in sources.items()}
            return
        context = multiprocessing.get_context("fork")
        self._pool = context.Pool(min(len(os.sched_getaffinity(0)), 4), _start_worker, (extensions, configs))
        # Small batches in page order: the build takes them in about that order.
        self._results = self._pool.imap(_render_job, sources.items(), chunksize=8)

    def wants(self, key: str) -> bool:
        return key in self._asked

    def take(self, key: str) -> RenderedBody | None:
        """The rendered body for ``key`` (waiting for the workers if needed), or None if it was never asked for."""
        if key not in self._asked:
            return None
        self._asked.discard(key)
        while key not in self._ready:
            try:
                done, body = next(self._results)
            except StopIteration:
                self.close()
                return None
            self._ready[done] = body
        return self._ready.pop(key)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None

"""One site build behind one object: the site's records, and the speed machinery around them.

The adapter (``hooks/site_hook.py``) makes one ``Build`` per MkDocs build and calls it from each
event. ``Build.start(settings, fast=True)`` turns on everything that makes a build fast:

- the plan bodies (Markdown) and QR codes rendered by forked workers (``render.BodyRenderer``),
  MkDocs getting an empty source for those pages and the ready HTML just before their template;
- template fragments shared by many pages rendered once per build (``fragments.Fragments``, ``kh_once``)
  and compiled templates kept between builds (``template_cache``);
- parsed plans taken from a memo, and in dirty builds (``mkdocs serve --dirty``) one source file per
  page, rewritten only when its fingerprint changes (``cache.PageSources``);
- no garbage collection while the long-lived records are made, none scanning them afterwards
  (``cache.kept_for_the_build``), until ``finish()``;
- Pagefind indexing in a thread beside the templates (``indexer.IndexingJob``).

``fast=False`` is the plain path, the reference for what the site is: no memo, no workers
(MkDocs renders every page's Markdown itself), no fragments (every page renders every part), no
cache folder and no garbage-collection window; QR codes are drawn in process and the search index
is made after the last page. Both paths publish the same bytes (``tests/test_build.py``).
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Protocol

from .bodymemo import BodyMemo
from .cache import PageSources, collect_when_idle, kept_for_the_build, page_markdown, qr_file, qr_url, site_cache
from .cachedir import body_folder, prune_versions, template_folder
from .embed import EmbedTheme
from .fragments import Fragments
from .fragments import template_globals as fragment_globals
from .fulltext import fulltext_folder
from .indexer import IndexingJob, search_job
from .pages import ChildrenPage, Page, PlanPage, qr_uri, template_globals
from .publish import Publishing, republished
from .publish import template_globals as open_data_globals
from .qr import qr_svg
from .render import BodyRenderer, RenderedBody
from .settings import Settings
from .site import Site, build_site


class DocsPage(Protocol):
    """A page the generator reads from docs/ itself (MkDocs' ``File``)."""

    src_uri: str

    def is_modified(self) -> bool: ...


Source = dict[str, str]  # how the generator reads a page or file: {"content": text} or {"abs_src_path": path}


def _every_time(key: str | None, caller: Callable[[], str]) -> str:
    """``kh_once`` of the plain path: the block is rendered for every page."""
    return caller()


class Build:
    """One build of the site: its records (``site``) and, when ``fast``, the machinery that speeds it up."""

    running: Build | None = None  # the last build started in this process (``failed`` has no config at hand)

    def __init__(
        self, settings: Settings, site: Site, fast: bool = True, cache: tuple[Path, str, str] | None = None
    ) -> None:
        self.settings, self.site, self.fast = settings, site, fast
        self.cache_folder: Path | None = cache[0] if cache else None
        self._salt = cache[1] if cache else ""
        self._code = cache[2] if cache else ""  # the salt of the code alone: rendered bodies
        self._renderer: BodyRenderer | None = None
        self._sources: PageSources | None = None
        self._bodies: BodyMemo | None = None  # bodies rendered by earlier builds, when this one renders them all
        if fast and settings.dirty and self.cache_folder is not None:
            self._sources = PageSources(self.cache_folder, site.graph.units if site.graph else None)
        elif self.cache_folder is not None:
            PageSources.forget(self.cache_folder)
        self._first = not (Path(settings.site_dir) / "index.html").exists()  # (serve's first, or into a new folder)
        # A serve rebuild (its site folder is its own) of the pages the last one wrote leaves the files of the
        # unchanged ones as they stand (``docs_pages`` may say otherwise); a page added or removed: not.
        same = self._sources is not None and self._sources.previous == set(site.pages)
        self._leaving = settings.serve and same and not self._first
        # Every page's context lists the search bundles: a page is rewritten when they change.
        self._page_salt = f"{self._salt}\0{sorted((b, s) for b, (s, _) in site.search_bundles.items())!r}"
        self._indexing: IndexingJob | None = None
        self._publishing: Publishing | None = None  # the open-data files (kehoach/publish.py)
        self._passages: dict[
            str, tuple[tuple[str, str, str], ...]
        ] = {}  # plan bodies' sentences found by the workers, until context()

    @classmethod
    def start(cls, settings: Settings, fast: bool = True) -> Build:
        """Load, check and decide the site; a fast full build starts its workers at once."""
        root = Path(settings.config_file).parent
        cache = site_cache(settings.config_file, settings.site_dir, settings.extra, settings.site_url) if fast else None
        with kept_for_the_build() if fast else nullcontext():
            site = build_site(
                root / settings.extra.get("plans_dir", "plans"),
                root,
                unit=settings.extra.get("unit") or None,
                shard=settings.shard,
                shard_units=settings.shard_units,
                memo=cache and cache[0] / f"plans-{cache[1]}.pickle",
            )
        if cache is not None:  # memos of other code (an edit to hooks/, an upgrade): only the newest are kept
            prune_versions(cache[0].glob("plans-*"), lambda path: path.name.split(".")[0], f"plans-{cache[1]}")
        build = cls.running = cls(settings, site, fast, cache)
        if build._sources is not None and site.ok:  # before any thread of this build: it forks
            build._sources.mark(list(site.pages.values()), build._page_salt)
        if site.ok and fast and not settings.dirty:  # beside on_files; dirty builds start them in files_added
            build._renderer = build._workers(site.pages)
        return build

    def kept(self) -> AbstractContextManager[None]:
        """Around code making objects that live for the whole build (see cache.kept_for_the_build)."""
        return kept_for_the_build() if self.fast else nullcontext()

    def pages(self) -> list[Page]:
        """The page records in the order the generator gets them: plan pages last (their bodies come last)."""
        pages = [r for r in self.site.pages.values() if r.by_generator]  # (embed pages: publish.py writes them)
        return sorted(pages, key=lambda r: isinstance(r, PlanPage))

    def docs_pages(self, pages: Iterable[DocsPage]) -> None:
        """The pages the generator reads from docs/ itself, before ``page_source``: a serve rebuild hands it every
        page again when one of them was edited, added or removed (links from docs/ pages resolve against every
        page, and the sitemap lists them)."""
        if self._sources is not None:
            pages = list(pages)
            same = self._sources.listed(page.src_uri for page in pages)
            self._leaving = self._leaving and same and not any(page.is_modified() for page in pages)

    def page_source(self, record: Page, hand_written: str | None = None) -> Source | None:
        """The page's source; ``hand_written`` is the docs/ file's text of a page that shows site data.

        None: the generator need not know the page (``leaves_files``), whose file stands as it is.
        """
        sources = self._sources
        if sources is not None:  # a file per page, rewritten only when the page changed (cache.py)
            leaving = self._leaving and record.generated and not record.in_nav
            path = sources.source(record, self._page_salt, hand_written, read=not leaving)
            return None if leaving and record.src_uri not in sources.written else {"abs_src_path": path}
        if self._renderer is not None and self._renderer.wants(record.src_uri):
            return {"content": ""}  # rendered by the workers: see body()
        return {"content": page_markdown(record, hand_written)}

    def qr_source(self, record: Page) -> tuple[str, Source] | None:
        """A plan page's print-only QR code (a file beside it) when the site has an address."""
        url = self.settings.site_url
        if not isinstance(record, PlanPage) or not url:
            return None
        plan_id = record.plan.id
        if self.cache_folder is None:
            return qr_uri(plan_id), {"content": qr_svg(qr_url(url, plan_id))}
        return qr_uri(plan_id), {"abs_src_path": str(qr_file(self.cache_folder, url, plan_id, self._salt)[0])}

    def files_added(self, search_record: Callable[..., str]) -> None:
        """Every page is the generator's: prepare search, save the page sources, start the dirty build's workers.

        ``search_record(**context)`` renders a page's search record (``overrides/search-record.html``).
        """
        site, settings = self.site, self.settings
        sources = self._sources
        if sources is not None:  # the pages the build writes itself: rewritten when they changed, as the others
            for record in site.pages.values():
                if not record.by_generator:
                    sources.source(record, self._page_salt, read=False)
        # A dirty rebuild renders the pages whose source changed (MkDocs renders any other stale page itself),
        # and publishes their files with the site-wide ones.
        changed = None if sources is None or self._first else {uri: site.pages[uri] for uri in sources.written}
        if site.graph is not None:  # forked first, before this process starts threads of its own (search)
            published = site.pages.values() if changed is None else republished(site.graph, site.pages, changed)
            theme = EmbedTheme(settings.theme_folders, settings.site_name) if settings.theme_folders else None
            where = Path(settings.site_dir)
            self._publishing = Publishing(
                site.graph, published, site.history, settings.site_url, where, self.fast, theme
            )
        with self.kept():
            self._indexing = search_job(self.settings, self.site, search_record)
        if sources is not None:  # workers forked outside the window: they collect their own garbage
            sources.save(finished=False)
            self._renderer = self._workers(site.pages if changed is None else changed)

    def template_globals(self) -> dict[str, object]:
        """Names for every template; in a fast build the QR codes are drawn by now (the generator copies them next)."""
        if self._renderer is not None:
            self._renderer.qr_ready()
        globals_ = dict(template_globals(), **open_data_globals(), **fragment_globals())
        return dict(globals_, kh_once=Fragments() if self.fast else _every_time)

    def output(self, html: str, source: str | None, dest: str) -> str:
        """What the generator writes for a rendered page: ``html``, or nothing (MkDocs then leaves the file
        as it is) when a dirty build rendered the page again and it came out as its file holds."""
        encoded = html.encode("utf-8", errors="xmlcharrefreplace")  # as the generator writes it
        return "" if self._sources is not None and self._sources.unchanged(source, dest, encoded) else html

    def template_cache(self) -> Path | None:
        """Where compiled templates are kept between builds (marshalled code: the checked folder), if anywhere."""
        return template_folder() if self.fast else None

    def markdown(self, src_uri: str, markdown: str) -> str:
        """What the generator renders as the page's Markdown: nothing when the workers render it."""
        return "" if self._renderer is not None and self._renderer.wants(src_uri) else markdown

    def body(self, src_uri: str) -> RenderedBody | None:
        """The page's body from the workers, if they render it; search indexing starts with the templates."""
        if self.fast and self._indexing is not None:
            self._indexing.start()
        body = self._renderer.take(src_uri) if self._renderer is not None else None
        if body is not None:
            self._passages[src_uri] = body.passages  # the full-text index takes them in context()
        return body

    def context(self, record: Page, content: str) -> dict[str, object]:
        """The template context of a site page, beside the generator's; ``content`` is its body as rendered."""
        if self._indexing is not None:  # plan pages' sentences, as rendered, for the full-text index
            self._indexing.add_text(record, content, self._passages.pop(record.src_uri, None))
        extra, site = self.settings.extra, self.site
        plan = record.plan if isinstance(record, (PlanPage, ChildrenPage)) else None
        context: dict[str, object] = dict(
            kh=record,
            kh_graph=site.graph,  # other names: template_globals()
            search_bundles=[b + "/" for b in site.search_bundles if b != "pagefind"],  # merged by the search page
            text_folders=sorted({fulltext_folder(shard) + "/" for shard, _ in site.search_bundles.values()}),
        )
        if plan is not None and self.settings.site_url:
            context["qr_url"] = qr_uri(plan.id)
        if plan is not None and extra.get("repo_url"):
            context["edit_url"] = f"{extra['repo_url'].rstrip('/')}/{extra.get('edit_path', '')}{plan.path}"
        return context

    def leaves_files(self) -> bool:
        """Whether the generator gets only the pages whose source changed, the other files (the sitemap among
        them) standing as they are: a serve rebuild of the same pages as the last one (see ``__init__``)."""
        return self._leaving

    def finish(self) -> list[str]:
        """The build is written: stop the workers, let go of the records, wait for search; its error messages."""
        if self._sources is not None:
            self._sources.save()
        self._stop()
        self.publish()  # beside Pagefind, which indexes the pages meanwhile
        return self._indexing.wait() if self._indexing is not None else []

    def publish(self) -> dict[str, int]:
        """The open-data files and feeds of this build's pages are written (kehoach/publish.py)."""
        return self._publishing.wait() if self._publishing is not None else {}

    def refusal(self) -> str | None:
        """When a plan is broken: every problem printed (``plans/x.md:LINE: key: message``) and the build's refusal."""
        if self.site.ok:
            return None
        for problem in self.site.problems:
            print(problem, file=sys.stderr)
        return f"Có {len(self.site.problems)} lỗi trong các kế hoạch; trang web không được xây dựng."

    @classmethod
    def failed(cls) -> None:
        """The build failed: nothing it started or kept may outlive it (a serve session goes on)."""
        if cls.running is not None:
            cls.running._stop()

    def _stop(self) -> None:
        if self._sources is not None:
            self._sources.close()
        if self.fast:  # this build's records can be collected: by the serve process while it waits for an edit
            gc.unfreeze()
            if self.settings.serve:
                collect_when_idle()
        if self._renderer is not None:
            self._renderer.close()
        if self._bodies is not None:
            self._bodies.save()
        if Build.running is self:
            Build.running = None

    def _workers(self, records: dict[str, Page]) -> BodyRenderer:
        """Start the workers on the given pages: plan bodies, and the QR codes not drawn yet."""
        plans = [(uri, r, r.plan) for uri, r in records.items() if isinstance(r, PlanPage)]
        url, folder = self.settings.site_url, self.cache_folder
        codes = dict(qr_file(folder, url, plan.id, self._salt) for _, _, plan in plans) if url and folder else {}
        missing = {path: code for path, code in codes.items() if not path.exists()}
        bodies = {uri: r.source() for uri, r, plan in plans if plan.body}
        if folder is not None and len(records) == len(self.site.pages):  # every body: only new ones are rendered
            self._bodies = BodyMemo(body_folder() / f"{self._code}.pickle")
        if self._bodies is None:
            return BodyRenderer(bodies, list(self.settings.extensions), dict(self.settings.configs), missing)
        ready, left = self._bodies.known(bodies)
        keep = self._bodies.keep
        return BodyRenderer(
            left,
            list(self.settings.extensions),
            dict(self.settings.configs),
            missing,
            ready,
            lambda uri, body: keep(left[uri], body),
        )

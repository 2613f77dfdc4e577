"""MkDocs adapter: connects the pure core in ``hooks/kehoach`` to MkDocs.

It holds no state of its own: the checked site lives on the config object,
which MkDocs builds anew for every ``mkdocs serve`` rebuild.
"""
from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from kehoach.cache import Fragments, PageSources, kept_for_the_build, page_markdown, qr_file, site_cache
from kehoach.cachedir import prune_caches, template_folder
from kehoach.pages import PlanPage, qr_uri, template_globals
from kehoach.site import Site, build_site
from kehoach.minify import compact_html
from kehoach.indexer import IndexingJob
from kehoach.search import html_path, page_facts
from kehoach.render import BodyRenderer
from kehoach.shards import HUB
from kehoach.sanitize import site_markdown
from kehoach.text import UNIT_KINDS

SITE_KEY = "kehoach_site"
INDEXER_KEY = "kehoach_indexing"  # this build's search indexing job, or None
CACHE_KEY = "kehoach_cache"  # this build's cache folder and salt (kehoach/cache.py)
RENDERER_KEY = "kehoach_renderer"  # this build's plan bodies, rendered in worker processes


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # Every page MkDocs renders from Markdown (docs/ pages, plan bodies in dirty builds) gets the allow-list
    # that the workers' render_body always adds, and heading ids "tv-…" that no template uses: same bytes.
    site_markdown(config.markdown_extensions, config.mdx_configs)
    root = Path(config.config_file_path).parent
    plans_dir = root / config.extra.get("plans_dir", "plans")
    folder, salt = config[CACHE_KEY] = site_cache(config.config_file_path, config.site_dir, config.extra, config.site_url)
    with kept_for_the_build():
        site = build_site(plans_dir, root, unit=config.extra.get("unit") or None, shard=config.extra.get("shard") or None,
                          shard_units=_shards(config), memo=folder / f"plans-{salt}.pickle")
    if not site.ok:
        for problem in site.problems:
            print(problem, file=sys.stderr)
        raise Abort(f"Có {len(site.problems)} lỗi trong các kế hoạch; trang web không được xây dựng.")
    config[SITE_KEY] = site
    # A full build renders every plan page: start its workers now, beside on_files (dirty builds: in on_files).
    config[RENDERER_KEY] = None if _dirty() else _renderer(config, site.pages)
    return config


def _dirty() -> bool:
    return os.environ.get("KEHOACH_COMMAND", "").endswith("--dirty")


def _shards(config: MkDocsConfig) -> tuple[str, ...]:
    return tuple(s for s in (config.extra.get("shards") or "").split(",") if s)


def _site(config: MkDocsConfig) -> Site:
    return config[SITE_KEY]


def _not_dirty_notice(record: logging.LogRecord) -> bool:
    return "'dirty' build" not in record.getMessage()


def on_startup(command: str, dirty: bool) -> None:
    # Process-wide, not module state: on_post_build reads it on every serve rebuild.
    os.environ["KEHOACH_COMMAND"] = f"{command}{' --dirty' if dirty else ''}"
    prune_caches()  # other sites' and old serve sessions' cache folders, unused for two weeks
    if dirty:  # incremental rebuilds are this site's design (see kehoach/cache.py), not a strict-mode problem
        logging.getLogger("mkdocs.commands.build").addFilter(_not_dirty_notice)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    with kept_for_the_build():
        changed = _add_pages(files, config)
        config[INDEXER_KEY] = _indexing(config)
    if config[RENDERER_KEY] is None:  # a dirty build: the workers render the pages whose source changed,
        pages = _site(config).pages  # or all of them in serve's first build into an empty folder
        empty = not (Path(config.site_dir) / "index.html").exists()  # (MkDocs renders any other stale page itself)
        config[RENDERER_KEY] = _renderer(config, pages if empty else {uri: pages[uri] for uri in changed})
    return files


def _add_pages(files: Files, config: MkDocsConfig) -> set[str]:
    """The site's pages (and plans' QR codes) as MkDocs files, replacing the docs/ pages they fill in.

    Returns the pages whose source file was rewritten in a dirty build (MkDocs re-renders those).
    """
    folder, salt = config[CACHE_KEY]
    sources, dirty = PageSources(folder), _dirty()
    # Plan pages last: their bodies are still being rendered by the workers while MkDocs renders the rest.
    for record in sorted(_site(config).pages.values(), key=lambda r: isinstance(r, PlanPage)):
        original = None if record.generated else files.get_file_from_path(record.src_uri)
        if original is not None:  # a docs/ page showing site data: rebuilt when that data changes
            files.remove(original)
        hand_written = original.content_string if original is not None else None
        inclusion = original.inclusion if original is not None else (
            InclusionLevel.UNDEFINED if record.in_nav else InclusionLevel.NOT_IN_NAV)
        if dirty:  # a source file per page, rewritten only when the page changed: see kehoach/cache.py
            source = {"abs_src_path": str(sources.source(record, salt, hand_written))}
        elif config[RENDERER_KEY].wants(record.src_uri):  # a full build: body rendered by the workers
            source = {"content": ""}
        else:
            source = {"content": page_markdown(record, hand_written)}
        files.append(File.generated(config, record.src_uri, inclusion=inclusion, **source))
        if isinstance(record, PlanPage) and config.site_url:  # drawn by the workers: see on_env
            files.append(File.generated(config, qr_uri(record.plan.id), abs_src_path=str(qr_file(folder, config.site_url, record.plan.id)[0])))
    if dirty:
        sources.save()
    return sources.written


def on_env(env, config: MkDocsConfig, files: Files):
    config[RENDERER_KEY].qr_ready()  # before MkDocs copies the QR files
    # Compiled templates are kept between builds (each serve rebuild has a new environment): marshalled
    # code, so only in the checked cache folder (kehoach/cachedir.py).
    env.bytecode_cache = FileSystemBytecodeCache(str(template_folder()))
    env.globals.update(template_globals(), kh_once=Fragments())  # kh_once: navigation and header, once per depth
    return env


def _indexing(config: MkDocsConfig) -> IndexingJob | None:
    """This shard's search records, to be indexed beside the build (from on_page_context on)."""
    if not config.extra.get("search", True):
        return None
    if os.environ.get("KEHOACH_COMMAND") == "serve --dirty" and (Path(config.site_dir) / "pagefind").is_dir():
        print("Chỉ mục tìm kiếm giữ nguyên khi xem thử; khởi động lại make serve để cập nhật.", file=sys.stderr)
        return None
    site, mine = _site(config), config.extra.get("shard") or HUB
    template = config.theme.get_env().get_template("search-record.html")
    records = [(bundle, "/" + html_path(uri).removesuffix("index.html"),
                template.render(kh=site.pages[uri], kh_search=page_facts(site.graph, site.pages[uri]),
                                kh_graph=site.graph, unit_kinds=UNIT_KINDS))
               for bundle, (shard, uris) in site.search_bundles.items() if shard == mine for uri in uris]
    return IndexingJob(records, Path(config.site_dir))


def _renderer(config: MkDocsConfig, records: dict) -> BodyRenderer:
    """Start the workers on the given pages: plan bodies, and the QR codes not drawn yet."""
    plans = [(uri, r) for uri, r in records.items() if isinstance(r, PlanPage)]
    folder = config[CACHE_KEY][0]
    codes = dict(qr_file(folder, config.site_url, r.plan.id) for _, r in plans) if config.site_url else {}
    missing = {path: url for path, url in codes.items() if not path.exists()}
    bodies = {uri: r.source() for uri, r in plans if r.plan.body}
    return BodyRenderer(bodies, list(config.markdown_extensions), dict(config.mdx_configs), missing)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    record = _site(config).pages.get(page.file.src_uri)
    if record is not None:
        # Material prints meta.title and meta.description unescaped: hand it escaped Markup.
        page.meta["template"] = record.template
        page.meta["title"] = escape(record.title)
        page.meta["description"] = escape(record.description)
        if config[RENDERER_KEY].wants(page.file.src_uri):
            return ""  # rendered by the workers: on_page_context puts it in, just before the page's template
    return markdown


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return compact_html(output)


def on_post_build(config: MkDocsConfig) -> None:
    gc.unfreeze()  # a serve rebuild's records can be collected once the next one is built
    config[RENDERER_KEY].close()
    indexing = config[INDEXER_KEY]
    if indexing is not None:
        errors = indexing.wait()
        if errors:
            raise Abort(f"Pagefind không lập được chỉ mục tìm kiếm: {'; '.join(errors)[:2000]}")


def on_build_error(error: Exception) -> None:
    gc.unfreeze()  # as on_post_build: a failed serve rebuild must not keep its records for ever


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    if config[INDEXER_KEY] is not None:  # Markdown is done: Pagefind gets the other core while templates render
        config[INDEXER_KEY].start()
    body = config[RENDERER_KEY].take(page.file.src_uri)
    if body is not None:
        page.content, page.toc = body.html, get_toc(body.toc_tokens)
    site = _site(config)
    record = site.pages.get(page.file.src_uri)
    if record is not None:
        plan = getattr(record, "plan", None)
        if plan is not None and config.site_url:
            context["qr_url"] = qr_uri(plan.id)
        repo = config.extra.get("repo_url")
        if plan is not None and repo:
            context["edit_url"] = f"{repo.rstrip('/')}/{config.extra.get('edit_path', '')}{plan.path}"
        context.update(kh=record, kh_graph=site.graph,  # other names: template_globals(), set in on_env
                       search_bundles=[b + "/" for b in site.search_bundles if b != "pagefind"])  # merged by the search page
    return context

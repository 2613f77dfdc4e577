"""MkDocs adapter: each MkDocs event calls the pure core in ``hooks/kehoach``.

A build is one ``kehoach.build.Build`` (the site's records and the speed machinery around them),
kept on the config, which MkDocs makes anew for every ``mkdocs serve`` rebuild. ``extra.fast:
false`` (``KEHOACH_FAST=false``) takes the plain path: the same site, without the machinery.
"""

from __future__ import annotations

from jinja2 import FileSystemBytecodeCache
from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from kehoach.build import Build
from kehoach.minify import compact_html
from kehoach.sanitize import site_markdown  # every page MkDocs renders from Markdown gets the allow-list
from kehoach.settings import Settings, session_started

BUILD_KEY = "kehoach_build"  # this build's kehoach.build.Build
# What on_startup learns: this module (loaded once per process), unlike the config, outlives serve rebuilds.
session = {"command": "build", "dirty": False}


def on_startup(command: str, dirty: bool) -> None:
    session.update(command=command, dirty=dirty)
    session_started(dirty)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    site_markdown(config.markdown_extensions, config.mdx_configs)
    settings = Settings(
        *(config.config_file_path, config.site_dir, config.site_url, dict(config.extra)),
        *(config.markdown_extensions, config.mdx_configs, bool(session["dirty"]), session["command"] == "serve"),
        *(tuple(config.theme.dirs), config.site_name),
    )
    build = config[BUILD_KEY] = Build.start(settings, fast=settings.fast)
    refusal = build.refusal()
    if refusal:
        raise Abort(refusal)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """The site's pages (and plans' QR codes) as MkDocs files, replacing the docs/ pages they fill in."""
    build: Build = config[BUILD_KEY]
    build.docs_pages(files.documentation_pages())
    with build.kept():
        for record in build.pages():
            original = None if record.generated else files.get_file_from_path(record.src_uri)
            inclusion = InclusionLevel.UNDEFINED if record.in_nav else InclusionLevel.NOT_IN_NAV
            if original is not None:  # a docs/ page showing site data: rebuilt when that data changes
                files.remove(original)
                inclusion = original.inclusion
            if (source := build.page_source(record, original.content_string if original else None)) is None:
                continue  # a serve rebuild leaves the page's file as it stands
            files.append(file := File.generated(config, record.src_uri, inclusion=inclusion, **source))
            if inclusion.is_not_in_nav():  # (a page in the nav keeps the title the nav gives it)
                _Filled(None, file, config)
            if (qr := build.qr_source(record)) is not None:
                files.append(File.generated(config, qr[0], **qr[1]))
    if build.leaves_files():  # (the sitemap would list only the pages rendered again)
        config.theme.static_templates.discard("sitemap.xml")
    build.files_added(config.theme.get_env().get_template("search-record.html").render)
    return files


class _Filled(Page):
    """A site page: when its Markdown is blank (the templates or the workers fill it), MkDocs need not
    make a Markdown parser for it (0.25 ms a page)."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown and self.markdown.strip():
            super().render(config, files)
        else:
            self.content, self.toc, self.present_anchor_ids = "", get_toc([]), set()


def on_env(env, config: MkDocsConfig, files: Files):
    build: Build = config[BUILD_KEY]
    env.auto_reload = False  # templates do not change during a build (each serve rebuild makes a new env)
    env.globals.update(build.template_globals())  # kh_once: navigation and header, once per depth
    folder = build.template_cache()  # compiled templates kept between builds (each serve rebuild: a new env)
    if folder is not None:
        env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    build: Build = config[BUILD_KEY]
    record = build.site.pages.get(page.file.src_uri)
    if record is None:
        return markdown
    # Material prints meta.title and meta.description unescaped: hand it escaped Markup.
    page.meta.update(template=record.template, title=escape(record.title), description=escape(record.description))
    return build.markdown(page.file.src_uri, markdown)


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    build: Build = config[BUILD_KEY]
    body = build.body(page.file.src_uri)  # rendered by the workers, put in just before the page's template
    if body is not None:
        page.content, page.toc = body.html, get_toc(body.toc_tokens)
    record = build.site.pages.get(page.file.src_uri)
    if record is not None:
        context.update(build.context(record, page.content or ""))
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    # "" for a page a serve rebuild made again as its file holds: MkDocs leaves the file ("Page skipped")
    return config[BUILD_KEY].output(compact_html(output), page.file.abs_src_path, page.file.abs_dest_path)


def on_post_build(config: MkDocsConfig) -> None:
    errors = config[BUILD_KEY].finish()
    if errors:
        raise Abort(f"Pagefind không lập được chỉ mục tìm kiếm: {'; '.join(errors)[:2000]}")


def on_build_error(error: Exception) -> None:
    Build.failed()  # a failed serve rebuild must not keep its records or workers for ever

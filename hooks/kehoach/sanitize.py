"""What a page rendered from Markdown may contain: one allow-list, applied to every conversion.

Anyone who can open a pull request writes plan bodies, so the source check
(``body.py``) is only the editor's friendly message; the guarantee is here.
``SafeHtml`` is a Python-Markdown extension that the site adds to its Markdown
pipeline (``site_markdown``, called by ``site_hook.on_config``) and that ``render.render_body`` always adds,
so the forked workers, the in-process path and MkDocs' own rendering (dirty
``mkdocs serve`` builds, hand-written docs/ pages) publish the same bytes.

- After Markdown, the HTML goes through nh3 (Rust's ammonia) with an allow-list of
  exactly what Markdown and the site's extensions (toc, tables, admonition,
  pymdownx.escapeall, and MkDocs' built-in fenced_code) produce: no ``style``, no
  event attribute, no other tag. Classes only for admonitions (Material's types);
  a fenced block's ``language-…`` class is dropped (no highlighter reads it).
- URLs: ``https:``, ``http:``, ``mailto:`` and relative only; links get
  ``rel="noopener noreferrer"``.
- Images only from the site itself (a relative ``src``). A Markdown image from
  another host becomes a plain link to it, so no reader's browser calls a stranger's
  server unless the reader clicks; a raw ``<img>`` from another host loses its ``src``.
- Heading ids carry the prefix ``tv-`` (the toc slug, and nh3 for any other id),
  which the page templates' own ids never use, and relative links' ``#anchors``
  get it too: a body heading "Căn cứ" is ``tv-can-cu``, never the page's ``can-cu``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE  # an obfuscated e-mail address ("&#109;…"), not an anchor

from .text import toc_slugify

HEADING_PREFIX = "tv-"
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
TAGS = frozenset(
    {
        *HEADINGS,
        "p",
        "br",
        "hr",
        "blockquote",
        "ul",
        "ol",
        "li",
        "pre",
        "code",
        "em",
        "strong",
        "a",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "div",
    }
)
ATTRIBUTES = {**{h: {"id"} for h in HEADINGS}, "a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
ALIGN = {"left", "center", "right"}  # tables' use_align_attribute (mkdocs.yml): no style attribute
ADMONITIONS = frozenset(
    {
        "note",
        "abstract",
        "summary",
        "tldr",
        "info",
        "todo",
        "tip",
        "hint",
        "important",
        "success",
        "check",
        "done",
        "question",
        "help",
        "faq",
        "warning",
        "caution",
        "attention",
        "failure",
        "fail",
        "missing",
        "danger",
        "error",
        "bug",
        "example",
        "quote",
        "cite",
    }
)
URL_SCHEMES = frozenset({"https", "http", "mailto"})
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "template", "noscript", "textarea", "title", "xmp", "noembed", "noframes", "iframe", "object"}
)

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_IGNORED_BY_BROWSERS = re.compile(r"[\t\n\r]")
_EDGE = "".join(map(chr, range(0x21)))  # C0 controls and space, stripped by URL parsers


def site_relative(url: str) -> bool:
    """Whether ``url`` stays on this site as a browser reads it (no scheme, not ``//host``)."""
    url = _IGNORED_BY_BROWSERS.sub("", url).strip(_EDGE).replace("\\", "/")
    return bool(url) and not url.startswith("//") and not _SCHEME.match(url)


def heading_slug(value: str, separator: str) -> str:
    """The toc extension's slugify for the site: ASCII ids, with the prefix no page template uses."""
    return HEADING_PREFIX + toc_slugify(value, separator)


def _attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src" and not site_relative(value):
        return None  # a raw <img> from another host: no request leaves the reader's phone
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes=ATTRIBUTES,
    attribute_filter=_attribute,
    strip_comments=True,
    link_rel="noopener noreferrer",
    tag_attribute_values={"th": {"align": ALIGN}, "td": {"align": ALIGN}},
    allowed_classes={"div": {"admonition", *ADMONITIONS}, "p": {"admonition-title"}},
    url_schemes=set(URL_SCHEMES),
    id_prefix=HEADING_PREFIX,
)


def clean(html: str) -> str:
    """``html`` with everything outside the allow-list removed."""
    return _CLEANER.clean(html)


def _anchored(href: str) -> str:
    """A relative link's ``#anchor`` pointed at the prefixed heading ids."""
    path, mark, fragment = href.partition("#")
    if (
        AMP_SUBSTITUTE in href
        or not mark
        or not fragment
        or fragment.startswith(HEADING_PREFIX)
        or not site_relative(href)
    ):
        return href
    return f"{path}#{HEADING_PREFIX}{fragment}"


class _Tree(Treeprocessor):
    """Before MkDocs rewrites and checks links (priority 0): anchors prefixed, foreign images made links."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and (href := element.get("href")):
                element.set("href", _anchored(href))
            elif element.tag == "img" and not site_relative(element.get("src", "")):
                _image_to_link(element)


def _image_to_link(image: etree.Element) -> None:
    source, alt = image.get("src", ""), image.get("alt", "")
    title, tail = image.get("title"), image.tail
    image.clear()
    image.tail = tail  # the text after the image
    image.tag = "a"
    image.set("href", source)
    if title:
        image.set("title", title)
    image.text = alt or source


class _Clean(Postprocessor):
    def run(self, text: str) -> str:
        return clean(text)


class SafeHtml(Extension):
    """The allow-list as a Markdown extension: the last step of every conversion."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_Tree(md), "kehoach_safe_tree", 2)
        md.postprocessors.register(_Clean(md), "kehoach_sanitize", -1000)  # after raw HTML is put back (30)


def site_markdown(extensions: list[str | Extension], configs: dict[str, dict[str, object]]) -> None:
    """Set up the site's Markdown pipeline in place: prefixed heading ids, and the allow-list last."""
    configs.setdefault("toc", {})["slugify"] = heading_slug
    if not any(isinstance(e, SafeHtml) for e in extensions):
        extensions.append(SafeHtml())


def makeExtension(**kwargs: object) -> SafeHtml:  # noqa: N802 (Python-Markdown's name)
    return SafeHtml(**kwargs)

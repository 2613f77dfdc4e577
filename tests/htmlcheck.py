"""Small HTML helpers for the build tests: links and text of built pages."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.urls: list[str] = []
        self._href: str | None = None
        self._text: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "a" and attrs.get("href"):
            self._href, self._text = attrs["href"], []

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None

    def handle_data(self, data):
        self.text.append(data)
        if self._href is not None:
            self._text.append(data)


def page_file(site: Path, url: str) -> Path:
    return site / url / "index.html" if url.endswith("/") or url == "" else site / url


def parse(site: Path, url: str) -> _Collector:
    collector = _Collector()
    collector.feed(page_file(site, url).read_text(encoding="utf-8"))
    return collector


def links_from(site: Path, url: str, section: str | None = None) -> set[str]:
    """Site-relative URLs linked from a page (optionally only inside <section aria-labelledby=section>)."""
    html = page_file(site, url).read_text(encoding="utf-8")
    if section is not None:
        start = html.index(f'aria-labelledby="{section}"')
        html = html[start : html.index("</section>", start)]
    collector = _Collector()
    collector.feed(html)
    base = "http://site/" + url
    result = set()
    for href, _ in collector.links:
        absolute = urljoin(base, href)
        if absolute.startswith("http://site/"):
            result.add(urlsplit(absolute).path.removeprefix("/"))
    return result

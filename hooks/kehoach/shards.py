"""Split one site into shards that build in parallel, and merge them back.

Every shard loads and checks all plans (cheap: about a second per thousand) and
so links correctly everywhere, but renders only the pages it owns: the plans and
units under its unit (a city, say). The "hub" shard renders the rest: documents
and units above the shard units and the site-wide pages. Each shard indexes its
own pages for search into ``pagefind-<shard>/``; the search page merges those
indexes in the browser, so the merged site has one search.

Pages in the navigation (home, timeline, directory, guides) are rendered by every
shard so that each builds without dangling menu entries; the hub's copies win the merge.

CLI: ``python -m kehoach.shards merge OUT SHARD_SITE... HUB_SITE`` copies the shard
sites into one folder, the hub last, and joins their sitemaps.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from .graph import Graph
from .pages import ChildrenPage, Page, PlanPage, UnitPage

HUB = "hub"


def owner(page: Page, graph: Graph, shard_units: tuple[str, ...]) -> str:
    """The shard that renders ``page``: the shard unit above its plan or unit, else the hub."""
    if isinstance(page, (PlanPage, ChildrenPage)):
        unit_id = page.plan.unit
    elif isinstance(page, UnitPage):
        unit_id = page.unit.id
    else:
        return HUB
    for unit in graph.unit_chain(unit_id):
        if unit.id in shard_units:
            return unit.id
    return HUB


# pages per search bundle (one Pagefind index); 10,155 whole pages took Pagefind 655 MB, records far less
BUNDLE_PAGES = 12000


def bundle_name(shard: str | None) -> str:
    return "pagefind" if shard in (None, HUB) else f"pagefind-{shard}"


def search_bundles(
    pages: list[Page], graph: Graph, shard_units: tuple[str, ...]
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Search bundle name → (its shard, the indexed pages' source URIs), at most BUNDLE_PAGES each.

    Every shard computes the same plan (it sees every page), so the search page can list all
    bundles while each shard indexes only its own.
    """
    owned: dict[str, list[str]] = {}
    for page in pages:
        if page.indexed:
            owned.setdefault(owner(page, graph, shard_units) if shard_units else HUB, []).append(page.src_uri)
    result: dict[str, tuple[str, tuple[str, ...]]] = {}
    for shard in sorted(owned, key=lambda s: (s != HUB, s)):
        uris = sorted(owned[shard])
        for i in range(0, len(uris), BUNDLE_PAGES):
            part = i // BUNDLE_PAGES
            result[bundle_name(shard) + (f"-{part + 1}" if part else "")] = (shard, tuple(uris[i : i + BUNDLE_PAGES]))
    return result


def merge(out: Path, sites: list[Path]) -> None:
    """Copy shard sites into ``out``, the hub site last so its site-wide pages win; join sitemaps."""
    urls: list[str] = []
    for site in sites:
        shutil.copytree(site, out, dirs_exist_ok=True)
        sitemap = site / "sitemap.xml"
        if sitemap.exists():
            urls += re.findall(r"<url>.*?</url>", sitemap.read_text(encoding="utf-8"), re.S)
    body = "\n".join(dict.fromkeys(urls))
    (out / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{body}\n</urlset>\n",
        encoding="utf-8",
    )
    (out / "sitemap.xml.gz").unlink(missing_ok=True)


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] != "merge":
        print("Cách dùng: python -m kehoach.shards merge THƯ-MỤC-RA SITE-CỦA-PHẦN...", file=sys.stderr)
        return 2
    merge(Path(argv[1]), [Path(a) for a in argv[2:]])
    print(f"Đã ghép {len(argv) - 2} phần vào {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

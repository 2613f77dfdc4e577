"""Names a plan file or unit id may not take, because the site itself uses them.

The folder index ("index": a unit called so would replace the units directory, don-vi/index.md) and every
path segment the site itself uses (kehoach/pages.py, overview.py, topics.py, shards.py, fulltext.py, docs/,
Material's assets, 404 and sitemap), so that no URL scheme change can make a plan or unit shadow a page of the
site. tests/test_hostile_files.py checks that every page the site generates is under one of them.
"""

from __future__ import annotations

RESERVED_IDS = frozenset(
    (
        "index",
        "404",
        "sitemap",
        "assets",
        "search",
        "pagefind",
        "toan-van",
        "van-ban",
        "don-vi",
        "lo-trinh",
        "tim-kiem",
        "chu-de",
        "huong-dan",
        "luoc-do",
        "gioi-thieu",
        "trien-khai",
        "qr",
        "du-lieu",  # open data (kehoach/opendata.py, publish.py)
        "tinh-hinh-trien-khai",  # coverage of the programmes (kehoach/coveragepages.py)
    )
)
RESERVED_PREFIXES = ("pagefind-", "toan-van-")  # search bundles and full-text folders of shards


def reserved(value: str) -> bool:
    return value in RESERVED_IDS or value.startswith(RESERVED_PREFIXES)

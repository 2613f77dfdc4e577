"""Keys of shared template fragments (kehoach/fragments.py): same key, same relative links, as MkDocs writes them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from mkdocs.utils import get_relative_url, normalize_url

from kehoach.fragments import Fragments, link_key, place_key, relative_url
from kehoach.pages import Page

SEGMENT = st.sampled_from(["van-ban", "don-vi", "chu-de", "a", "b", "71-nq-tw", "trien-khai", "2", "nhung"])
PAGE = st.one_of(
    st.just(""),
    st.lists(SEGMENT, min_size=1, max_size=4).map(lambda parts: "/".join(parts) + "/"),
    st.just("404.html"),
)
TARGET = st.lists(SEGMENT, min_size=1, max_size=3).map(lambda parts: "/".join(parts) + "/")


@given(PAGE, PAGE, st.lists(TARGET, min_size=1, max_size=4))
def test_pages_with_the_same_key_get_the_same_links(one, other, targets):
    if link_key(one, *targets) == link_key(other, *targets):
        assert [get_relative_url(t, one) for t in targets] == [get_relative_url(t, other) for t in targets]


def test_a_unit_page_and_its_parent_differ_where_a_card_links_to_the_unit_itself():
    # On its own page a unit's link is "./"; on its parent's page "../truong-a/": the keys must differ.
    own, parent = "don-vi/truong-a/", "don-vi/phuong-b/"
    assert get_relative_url("don-vi/truong-a/", own) != get_relative_url("don-vi/truong-a/", parent)
    assert link_key(own, "van-ban/x/", "don-vi/truong-a/") != link_key(parent, "van-ban/x/", "don-vi/truong-a/")
    assert link_key(own, "van-ban/x/", "don-vi/c/") == link_key(parent, "van-ban/x/", "don-vi/c/")


def test_a_fragment_is_rendered_once_per_key_and_every_time_without_one():
    calls = []
    once = Fragments()

    def render():
        calls.append(1)
        return f"<li>{len(calls)}</li>"

    assert [once("k", render), once("k", render), once("other", render)] == ["<li>1</li>", "<li>1</li>", "<li>2</li>"]
    assert once(None, render) == "<li>3</li>" and once(None, render) == "<li>4</li>"


class _Page:
    def __init__(self, url: str) -> None:
        self.url = url


@given(PAGE, st.one_of(TARGET, st.just(""), st.just("du-lieu/chi-tieu.csv"), st.just("https://a.vn/x")))
def test_relative_url_is_mkdocs_url_filter(page, path):
    """The embed pages, written without MkDocs (kehoach/embed.py), link as MkDocs' ``url`` filter would."""
    assert relative_url(path, page) == normalize_url(path, page=_Page(page))


def test_a_fragment_outside_the_nav_is_keyed_by_the_page_folder_and_depth():
    unit, other, listed = (Page(uri, "T", "unit.html") for uri in ("don-vi/a.md", "don-vi/b.md", "van-ban/x.md"))
    same = place_key("nav", _Page("don-vi/a/"), "../..", unit)
    assert same is not None and same == place_key("nav", _Page("don-vi/b/"), "../..", other)
    assert same != place_key("nav", _Page("van-ban/x/"), "../..", listed)  # another folder
    assert same != place_key("nav", _Page("don-vi/a/1/"), "../../..", unit)  # another depth
    assert same != place_key("footer", _Page("don-vi/a/"), "../..", unit)  # another fragment


def test_a_page_in_the_nav_or_not_the_site_s_renders_its_fragment_every_time_unless_every_page():
    in_nav = Page("van-ban/index.md", "Văn bản", "plans.html", in_nav=True)
    for page, record in ((_Page("van-ban/"), in_nav), (_Page("huong-dan/"), None), (None, None)):
        assert place_key("nav", page, "..", record) is None
    header = place_key("header-start", _Page("van-ban/"), "..", in_nav, every_page=True)
    assert header is not None and header == place_key("header-start", _Page("van-ban/"), "..", every_page=True)
    assert place_key("header-start", None, ".", every_page=True) is not None

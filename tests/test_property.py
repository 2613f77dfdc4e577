"""Property: any front matter either validates or gets clear ``file:line: key: message`` errors."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import unicodedata

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from kehoach import schema
from kehoach.pages import decide_pages
from kehoach.site import check

REPORT = re.compile(r"^plans/[^:]+\.(md|yml):\d+: [^\n]+: [^\n]+$")
HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "a: b", "NO", "08", "12:30", "1.10",
           "30/10/2025", "2025-02-30", "\t", "Đống Đa", unicodedata.normalize("NFD", "Đống Đa"), "", "{x}", "[a, b]",
           "71-nq-tw", "truong-a", "KH", "ban-hanh", "%"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 3000), st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(dt.date(1990, 1, 1), dt.date(2110, 12, 31)), st.sampled_from(HOSTILE), st.text(max_size=30),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["id", "year", "text", "value", "unit", "op", "name", "who", "what"]), inner, max_size=4)),
    max_leaves=8)
keys = st.sampled_from([f.name for f in schema.PLAN] + ["tieu_de", "id"])
front_matter = st.dictionaries(keys, values, max_size=10)

valid_base = st.fixed_dictionaries({
    "title": st.text(min_size=1, max_size=40).filter(str.strip),
    "type": st.sampled_from(["KH", "NQ", "CTr"]),
    "unit": st.sampled_from(["truong-a", "phuong-a"]),
    "status": st.sampled_from(["ban-hanh", "du-thao"]),
}, optional={
    "number": st.text(max_size=15),
    "date": st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
    "parents": st.just([{"id": "71-nq-tw"}]),
    "targets": st.lists(st.fixed_dictionaries({"year": st.integers(2030, 2060), "text": st.text(min_size=1, max_size=20)},
                                              optional={"value": st.integers(0, 100), "unit": st.just("%")}), max_size=3),
    "topics": st.lists(st.text(max_size=10), max_size=3),
})


def _run(tmp_path_factory, text: str):
    root = tmp_path_factory.mktemp("prop")
    shutil.copytree(FIXTURES / "base" / "plans", root / "plans")
    (root / "plans" / "p.md").write_text(text, encoding="utf-8")
    return check(root / "plans", root)


def _assert_clear(graph, problems):
    if graph is None:
        assert problems
        for problem in problems:
            assert REPORT.match(str(problem)), str(problem)
    else:
        pages = decide_pages(graph, "71-nq-tw")
        assert all(p.src_uri.isascii() for p in pages)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=front_matter, body=st.text(max_size=200))
def test_any_front_matter_validates_or_is_reported(tmp_path_factory, data, body):
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + body
    _assert_clear(*_run(tmp_path_factory, text))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(max_size=300))
def test_any_raw_text_validates_or_is_reported(tmp_path_factory, raw):
    _assert_clear(*_run(tmp_path_factory, "---\n" + raw + "\n---\n"))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=valid_base)
def test_well_formed_plans_build_their_pages(tmp_path_factory, data):
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n\nNội dung.\n"
    graph, problems = _run(tmp_path_factory, text)
    _assert_clear(graph, problems)

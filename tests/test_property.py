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
from kehoach import fieldcheck, hygiene, schema
from kehoach.decide import decide_pages
from kehoach.site import check
from kehoach.text import nfc

REPORT = re.compile(r"^plans/[^:]+\.(md|yml):\d+: [^\n]+: [^\n]+$")
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "a: b",
    "NO",
    "08",
    "12:30",
    "1.10",
    "30/10/2025",
    "2025-02-30",
    "\t",
    "Đống Đa",
    unicodedata.normalize("NFD", "Đống Đa"),
    "",
    "{x}",
    "[a, b]",
    "71-nq-tw",
    "truong-a",
    "KH",
    "ban-hanh",
    "%",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 3000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(dt.date(1990, 1, 1), dt.date(2110, 12, 31)),
    st.sampled_from(HOSTILE),
    st.text(max_size=30),
)
inner_keys = st.sampled_from(["id", "year", "text", "value", "measure_unit", "unit", "op", "name", "who", "what"])
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(inner_keys, inner, max_size=4)),
    max_leaves=8,
)
keys = st.sampled_from([f.name for f in schema.PLAN] + ["tieu_de", "id"])
front_matter = st.dictionaries(keys, values, max_size=10)

# Text a plan may hold: letters, marks, digits, punctuation, symbols and spaces (no invisible character).
printed = st.text(st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs")), max_size=40).filter(
    lambda text: not hygiene.find(text)
)  # minus the printable invisible ones (Hangul filler, U+034F…)
shown = printed.filter(fieldcheck.visible)  # not only spaces or marks: a blank text is refused
target_ids = st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)  # ASCII, at most 39 characters
valid_base = st.fixed_dictionaries(
    {
        "title": shown,
        "type": st.sampled_from(["KH", "NQ", "CTr"]),
        "unit": st.sampled_from(["truong-a", "phuong-a"]),
        "status": st.sampled_from(["ban-hanh", "du-thao"]),
    },
    optional={
        # Latin letters only: a number in another script is refused ("01-КН/ТА" would pass for "01-KH/TA")
        "number": st.text("ABCDEGHKLMNOPQRSTUVXYĐabcdđêơư0123456789-/. ", max_size=12).map(
            lambda s: s and "P-" + s
        ),  # never another plan's number of the same unit
        "date": st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
        "parents": st.just([{"id": "71-nq-tw"}]),
        "targets": st.lists(
            st.fixed_dictionaries(
                {"id": target_ids, "year": st.integers(2030, 2060), "text": shown},
                optional={"value": st.integers(0, 100), "measure_unit": st.just("%")},
            ),
            max_size=3,
            unique_by=lambda target: target["id"],
        ),
        "topics": st.lists(shown, max_size=3),
    },
)


class QuotedDumper(yaml.SafeDumper):
    """Every text in double quotes, as the guide asks of editors: "Y", "08" or "NO" stay text."""


QuotedDumper.add_representer(
    str, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')
)


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
def test_well_formed_plans_are_accepted_and_build_their_pages(tmp_path_factory, data):
    """A plan that follows the schema is never refused, keeps what it says, and gets its page."""
    text = "---\n" + yaml.dump(data, Dumper=QuotedDumper, allow_unicode=True) + "---\n\nNội dung.\n"
    graph, problems = _run(tmp_path_factory, text)
    assert problems == [] and graph is not None, [str(p) for p in problems]
    plan = graph.plans["p"]
    assert plan.title == nfc(data["title"]) and plan.topics == tuple(nfc(t) for t in data.get("topics", ()))
    assert [(t.id, t.year, t.value, t.measure_unit) for t in plan.targets] == [
        (t["id"], t["year"], t.get("value"), t.get("measure_unit")) for t in data.get("targets", ())
    ]
    assert "van-ban/p.md" in {page.src_uri for page in decide_pages(graph, "71-nq-tw")}

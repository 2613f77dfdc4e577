"""Hostile inputs that cannot live in git (FIFOs, links, devices, huge payloads), made in tmp_path.

Every case that could hang or crash the interpreter runs ``python -m kehoach check`` in a
subprocess with a timeout, so a regression fails the test instead of hanging or killing pytest.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata

import pytest

from conftest import ROOT, fixture_plans
from kehoach import hygiene
from kehoach.frontmatter import parse_file
from kehoach.model import Problem
from kehoach.site import check
from kehoach.yamlsafe import MAX_DEPTH, MAX_NODES, parse_yaml

HEAD = 'title: "Kế hoạch"\ntype: KH\nunit: truong-a\nstatus: ban-hanh\n'


def run_check(plans, timeout: float = 30) -> list[str]:
    """The command line's report: exit 1, no traceback, every line printable; the problem lines."""
    result = subprocess.run(
        [sys.executable, "-m", "kehoach", "check", str(plans)],
        check=False,
        cwd=plans.parent,
        env={"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines and lines[-1].startswith("Có ")
    for line in lines[:-1]:
        assert line.isprintable(), repr(line)
    return lines[:-1]


def only(lines: list[str], prefix: str) -> None:
    assert len(lines) == 1 and lines[0].startswith(prefix), lines


# -- files that are not regular files -------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_plan_is_refused_not_read(tmp_path):
    plans = fixture_plans(tmp_path)
    os.mkfifo(plans / "b.md")
    only(run_check(plans), "plans/b.md:1: tệp: là một ống dẫn (FIFO)")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_link_to_dev_zero_is_refused_not_read(tmp_path):
    plans = fixture_plans(tmp_path)
    (plans / "b.md").symlink_to("/dev/zero")
    only(run_check(plans), "plans/b.md:1: tệp: là liên kết tượng trưng (symlink)")


def test_every_symlink_is_refused_even_to_a_plan(tmp_path):
    plans = fixture_plans(tmp_path)
    (plans / "b.md").symlink_to(plans / "ke-hoach-truong-a.md")
    (plans / "c.md").symlink_to(tmp_path / "nowhere.md")
    lines = run_check(plans)
    assert lines == [
        "plans/b.md:1: tệp: là liên kết tượng trưng (symlink), không phải tệp thật; hãy thay bằng chính tệp đó",
        "plans/c.md:1: tệp: là liên kết tượng trưng (symlink), không phải tệp thật; hãy thay bằng chính tệp đó",
    ]


def test_directory_named_like_a_plan_is_refused(tmp_path):
    plans = fixture_plans(tmp_path)
    (plans / "b.md").mkdir()
    only(run_check(plans), "plans/b.md:1: tệp: là một thư mục, không phải tệp")


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p.unlink(), "thiếu tệp danh sách đơn vị"),
        (lambda p: (p.unlink(), p.mkdir()), "là một thư mục, không phải tệp"),
        (lambda p: (p.unlink(), os.mkfifo(p)), "là một ống dẫn (FIFO)"),
        (lambda p: (p.unlink(), p.symlink_to("/dev/zero")), "là liên kết tượng trưng (symlink)"),
    ],
    ids=["missing", "folder", "fifo", "device-link"],
)
def test_units_file_that_is_not_a_regular_file_is_a_message(tmp_path, make, message):
    plans = fixture_plans(tmp_path)
    make(plans / "units.yml")
    lines = run_check(plans)
    assert f"plans/units.yml:1: tệp: {message}" in "\n".join(lines)
    assert all("units.yml" in line or "không có trong plans/units.yml" in line for line in lines)


def test_file_names_are_shown_escaped(tmp_path):
    plans = fixture_plans(tmp_path)
    text = (plans / "ke-hoach-truong-a.md").read_text(encoding="utf-8").replace('"01-KH/TA"', '"02-KH/TA"')
    (plans / "71-nq-t\u0432.md").write_text(text, encoding="utf-8")
    (plans / "x\x1b[2Kb.md").write_text(text.replace("02-KH", "03-KH"), encoding="utf-8")
    lines = run_check(plans)
    assert any(
        line.startswith("plans/71-nq-tв.md:1: tệp: tên tệp chỉ gồm") and "'71-nq-t\\u0432'" in line for line in lines
    )
    assert any(line.startswith("plans/x\\x1b[2Kb.md:1: tệp: tên tệp chỉ gồm") for line in lines)
    assert len(lines) == 2


# -- payloads too large to commit --------------------------------------------------
@pytest.mark.parametrize(
    "payload",
    ["[" * 50_000, "{a: " * 50_000, "[" * 50_000 + "]" * 50_000, "- " * 200_000 + "x"],
    ids=["open-flow", "open-mapping", "closed-flow", "block-dashes"],
)
def test_deep_nesting_stops_at_the_limit_without_recursion(tmp_path, payload):
    plans = fixture_plans(tmp_path)
    (plans / "b.md").write_text(f"---\n{HEAD}topics:\n  {payload}\n---\n", encoding="utf-8")
    only(run_check(plans, timeout=20), "plans/b.md:7: topics")
    data, _, errors = parse_yaml(payload)
    assert data is None and len(errors) == 1 and f"quá {MAX_DEPTH} cấp" in errors[0][2]


def test_too_many_nodes_are_refused_before_building_them(tmp_path):
    plans = fixture_plans(tmp_path)
    (plans / "b.md").write_text(f"---\n{HEAD}topics: [{', '.join(['a'] * (MAX_NODES + 5))}]\n---\n", encoding="utf-8")
    only(run_check(plans), "plans/b.md:6: topics[")
    assert "quá nhiều giá trị" in run_check(plans)[0]


def test_megabyte_of_aliases_is_refused_quickly(tmp_path):
    plans = fixture_plans(tmp_path)
    (plans / "b.md").write_text(f"---\n{HEAD}a: &a [x]\nb: [{', '.join(['*a'] * 90_000)}]\n---\n", encoding="utf-8")
    lines = run_check(plans, timeout=20)
    assert [line.split(": ")[1] for line in lines[:2]] == ["a", "b[0]"]  # each alias name once
    assert len(lines) == 3 and "quá nhiều giá trị" in lines[2]  # then the node limit stops the parser


def test_a_large_units_file_is_not_cut_by_the_node_limit(tmp_path):
    plans = fixture_plans(tmp_path)
    units = "".join(f"truong-{i}:\n  name: Trường {i}\n  kind: truong\n  parent: phuong-a\n" for i in range(3000))
    with open(plans / "units.yml", "a", encoding="utf-8") as f:
        f.write(units)
    graph, problems = check(plans, tmp_path)
    assert problems == [] and len(graph.units) == 3004


# -- the dialect, character classes and what check prints ------------------------
ENGLISH = re.compile(r"\b(expected|found|could|not|while|scanning|parsing|mapping|allowed|character|token|stream)\b")
BROKEN_YAML = [
    "a: b\nc",
    "a: [1, 2",
    "a: {b: 1",
    "a: 'x",
    'a: "x',
    "a: b: c",
    "a:\n  - x\n  y: 1",
    "a: @x",
    "a: `x",
    'a: "\\q"',
    'a: "\\xZZ"',
    "a:\n\t- x",
    "- a\nb: 1",
    "a: !<x",
    "a: *",
    "a: &",
    "%YAML 1.1\n%YAML 1.1\n---\na",
    "a: |0\n x",
    "a: x\n...\nb: 1",
    "[a, b] c",
    "a: 'b' c",
    "a:\n  b: 1\n c: 2",
    "a: !e!x 1",
    "a: ,",
    "{a: 1,, }",
    "a: ]",
    "- - - x\n -y",
    'a: "\\ud800"',
    "a: b\n- c",
    "a: 'x\n---\n'",
    "? [a]\n: b",
    "a: !!python/name:os.system",
    "%TAG !e! tag:x,2000:\n--- {a: 1}",
    "--- a\n--- b",
    "a: &x 1\nb: *x",
    "<<: {a: 1}",
    "a: !!binary aGk=",
    "a: !!timestamp 2001-12-14",
    "a: \ufffe",
]


@pytest.mark.parametrize("text", BROKEN_YAML)
def test_every_parser_refusal_is_in_vietnamese(text):
    data, _, errors = parse_yaml(text)
    assert data is None and errors
    for line, key, message in errors:
        assert line >= 1 and key and not ENGLISH.search(message), message
        assert "<" not in message or "<<" in message or "&lt;" in message, message  # no repr of a node


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2030", 2030),
        ("-5", -5),
        ("999999999999", 999_999_999_999),
        ("0.85", 0.85),
        ("123456789012.123", 123456789012.123),
        ("true", True),
        ("false", False),
        ("~", None),
        ("2025-10-30", __import__("datetime").date(2025, 10, 30)),
    ],
)
def test_plain_values_within_the_limits_are_typed(value, expected):
    data, _, errors = parse_yaml(f"a: {value}")
    assert errors == [] and data == {"a": expected}


@pytest.mark.parametrize(
    "value",
    [
        "1000000000000",
        "1" * 400,
        "0.1234567890123456",
        "1234567890123.5",
        "True",
        "TRUE",
        "False",
        "yes",
        "No",
        ".inf",
        "-.Inf",
        ".NaN",
        "1.10",
    ],
)
def test_plain_values_outside_the_dialect_are_refused_with_the_value_as_written(value):
    _, _, errors = parse_yaml(f"a: {value}")
    assert len(errors) == 1 and value[:40] in errors[0][2]


def test_refused_characters_cover_control_format_and_separator_categories():
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs") and char not in "\t\n":
            assert hygiene.FORBIDDEN.match(char), f"U+{code:04X}"
    assert not hygiene.FORBIDDEN.search("Kế hoạch Đống Đa\t1\n\u00a0%")


def test_lines_are_counted_by_line_feeds_only():
    parsed = parse_file(f"---\n{HEAD}notes: a\x85b\u2028c\nplace: x\nplace: y\n---\nA\u2029B\n")
    assert [(line, key) for line, key, _ in parsed.errors] == [
        (8, "place"),
        (6, "notes"),
        (6, "notes"),
        (10, "toàn văn"),
    ]
    assert "ở cột 9" in parsed.errors[1][2] and "U+0085 (NEXT LINE)" in parsed.errors[1][2]


def test_problem_lines_escape_everything_unprintable():
    problem = Problem("plans/a\x1b.md", 3, "k\u202ey", "x\x1b[1A\rplans/ok.md:1: y\u2066")
    text = str(problem)
    assert text.isprintable() and text == "plans/a\\x1b.md:3: k\\u202ey: x\\x1b[1A plans/ok.md:1: y\\u2066"


def test_every_page_of_the_site_is_under_a_reserved_name():
    from kehoach.decide import decide_pages
    from kehoach.reserved import reserved

    graph, _ = check(ROOT / "plans", ROOT)
    pages = decide_pages(graph, "71-nq-tw")
    tops = {p.src_uri.split("/")[0].removesuffix(".md") for p in pages} | {p.stem for p in (ROOT / "docs").iterdir()}
    assert {top for top in tops if not reserved(top)} == set()
    assert all(reserved(name) for name in ("index", "pagefind-2", "toan-van-ha-noi", "don-vi"))

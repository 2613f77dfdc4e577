"""Hostile sizes: chains and bodies that used to hang or crash are refused quickly, and what passes renders.

The limits (``kehoach.chains``, ``kehoach.body``) are what make a build finish: a body ``check``
accepts must render without a hang or a ``RecursionError``. Timeouts here guard against a hang;
they are not speed targets (``make bench`` measures speed).
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from mkdocs.config import load_config

from conftest import ROOT, fixture_plans
from kehoach import body
from kehoach.render import render_body
from kehoach.sanitize import site_markdown
from kehoach.site import check


def test_a_units_chain_of_twenty_thousand_units_is_refused_in_seconds(tmp_path):
    plans = fixture_plans(tmp_path)
    links = "".join(
        f"c{i}:\n  name: a\n  kind: phuong\n  parent: {f'c{i - 1}' if i else 'trung-uong'}\n" for i in range(20_000)
    )
    (plans / "units.yml").write_text((plans / "units.yml").read_text(encoding="utf-8") + links, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kehoach", "check", str(plans)],
        cwd=tmp_path,
        timeout=60,
        env={"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "c10.parent: chuỗi đơn vị cấp trên quá dài" in result.stderr


def test_a_plan_chain_cycle_through_thousands_of_plans_is_found(tmp_path):
    plans = fixture_plans(tmp_path)
    for i in range(3_000):
        parent = f"p{(i + 1) % 3_000}"
        (plans / f"p{i}.md").write_text(
            f"---\ntitle: P\ntype: KH\nunit: truong-a\nstatus: ban-hanh\nparents:\n  - id: {parent}\n---\n",
            encoding="utf-8",
        )
    graph, problems = check(plans, tmp_path)
    assert graph is None
    assert sum("vòng lặp căn cứ" in p.message for p in problems) == 3_000


@pytest.fixture(scope="module")
def markdown_settings():
    config = load_config(str(ROOT / "mkdocs.yml"))
    site_markdown(config.markdown_extensions, config.mdx_configs)
    return list(config.markdown_extensions), dict(config.mdx_configs)


AT_THE_LIMITS = {
    "brackets": ("[" * body.MAX_BRACKETS_PER_PARAGRAPH + "\n\n")
    * (body.MAX_BRACKETS // body.MAX_BRACKETS_PER_PARAGRAPH),
    "emphasis": "*a " * (body.MAX_EMPHASIS_PER_PARAGRAPH // 2) + "b" + "*" * (body.MAX_EMPHASIS_PER_PARAGRAPH // 2),
    "underscores": "_a " * (body.MAX_EMPHASIS_PER_PARAGRAPH // 2) + "b" + "_" * (body.MAX_EMPHASIS_PER_PARAGRAPH // 2),
    "headings": "\n\n".join("## a" for _ in range(body.MAX_HEADINGS)),
    "nesting": "* 1. " * (body.MAX_NESTING // 2) + "x",
    "indent": "".join(" " * i + "- x\n" for i in range(0, body.MAX_INDENT + 1, 4)),
    "admonitions": "".join(" " * i + "!!! note\n\n" for i in range(0, body.MAX_INDENT + 1, 4)),
}


@pytest.mark.parametrize("name", AT_THE_LIMITS)
def test_bodies_check_accepts_render_without_a_hang_or_a_crash(name, markdown_settings, tmp_path):
    plans = fixture_plans(tmp_path)
    source = AT_THE_LIMITS[name]
    (plans / "gioi-han.md").write_text(
        f"---\ntitle: G\ntype: KH\nunit: truong-a\nstatus: ban-hanh\n---\n\n{source}\n", encoding="utf-8"
    )
    graph, problems = check(plans, tmp_path)
    assert problems == [], problems
    html = render_body(source, *markdown_settings).html  # a RecursionError or a hang fails the test
    assert html


@pytest.mark.parametrize("name", AT_THE_LIMITS)
def test_one_step_beyond_the_limit_is_refused(name, tmp_path):
    beyond = {
        "brackets": "[" * (body.MAX_BRACKETS_PER_PARAGRAPH + 1),
        "emphasis": "a*" * (body.MAX_EMPHASIS_PER_PARAGRAPH + 1),
        "underscores": "a_" * (body.MAX_EMPHASIS_PER_PARAGRAPH + 1),
        "headings": "\n\n".join("## a" for _ in range(body.MAX_HEADINGS + 1)),
        "nesting": "> " * (body.MAX_NESTING + 1) + "x",
        "indent": " " * (body.MAX_INDENT + 1) + "x",
        "admonitions": " " * (body.MAX_INDENT + 1) + "!!! note",
    }[name]
    plans = fixture_plans(tmp_path)
    (plans / "qua-gioi-han.md").write_text(
        f"---\ntitle: G\ntype: KH\nunit: truong-a\nstatus: ban-hanh\n---\n\n{beyond}\n", encoding="utf-8"
    )
    _, problems = check(plans, tmp_path)
    assert [p.key for p in problems] == ["toàn văn"], problems


def test_a_plans_folder_that_is_a_symlink_is_refused_unread(tmp_path):
    elsewhere = fixture_plans(tmp_path / "elsewhere")
    (tmp_path / "plans").symlink_to(elsewhere, target_is_directory=True)
    graph, problems = check(tmp_path / "plans", tmp_path)
    assert graph is None
    assert [(p.key, p.message.split(";")[0]) for p in problems] == [
        ("thư mục", "thư mục kế hoạch là liên kết tượng trưng (symlink)")
    ]

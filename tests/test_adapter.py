"""The MkDocs adapter hook on its own: real MkDocs config and files, no full build."""

from __future__ import annotations

import importlib.util

import pytest
from markupsafe import Markup
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page

from conftest import FIXTURES, ROOT, fixture_plans


def _hook():
    spec = importlib.util.spec_from_file_location("site_hook", ROOT / "hooks" / "site_hook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def hook():
    return _hook()


def _config(monkeypatch, plans_dir=None):
    if plans_dir is not None:
        monkeypatch.setenv("KEHOACH_PLANS_DIR", str(plans_dir))
    return load_config(str(ROOT / "mkdocs.yml"))


def test_on_config_loads_plans_and_sets_vietnamese_slugify(hook, monkeypatch):
    config = hook.on_config(_config(monkeypatch))
    site = config[hook.BUILD_KEY].site
    assert site.ok and len(site.graph.plans) == 14
    assert config.mdx_configs["toc"]["slugify"]("Đống Đa", "-") == "tv-dong-da"  # body ids: never a template's


def test_on_config_refuses_broken_plans_with_every_problem(hook, monkeypatch, tmp_path, capsys):
    plans = fixture_plans(tmp_path, FIXTURES / "broken" / "citation-mismatch")
    with pytest.raises(Abort) as caught:
        hook.on_config(_config(monkeypatch, plans))
    err = capsys.readouterr().err
    assert "plans/b.md:8: parents[0].number:" in err and "plans/b.md:9: parents[0].date:" in err
    assert "2 lỗi" in str(caught.value.message)
    assert "Traceback" not in err


def test_on_files_generates_plan_pages_outside_the_nav(hook, monkeypatch):
    config = hook.on_config(_config(monkeypatch))
    files = config.plugins.on_files(Files([]), config=config)  # runs the hook as MkDocs does
    by_uri = {f.src_uri: f for f in files}
    plan_file = by_uri["van-ban/09-kh-cb-mn-tran-quoc-toan.md"]
    assert plan_file.generated_by is not None
    assert plan_file.inclusion == InclusionLevel.NOT_IN_NAV
    assert by_uri["lo-trinh/index.md"].inclusion == InclusionLevel.UNDEFINED
    # A full build: the body is rendered by the workers (on_page_context puts it in), MkDocs reads nothing.
    assert plan_file.content_string == ""
    assert config[hook.BUILD_KEY].markdown(plan_file.src_uri, "x") == ""
    assert (
        config[hook.BUILD_KEY]
        .site.pages[plan_file.src_uri]
        .source()
        .lstrip()
        .startswith("Thực hiện Nghị quyết số 71-NQ/TW")
    )
    assert plan_file.url == "van-ban/09-kh-cb-mn-tran-quoc-toan/"


def test_page_meta_is_escaped_and_template_chosen(hook, monkeypatch, tmp_path):
    plans = fixture_plans(tmp_path)
    target = plans / "ke-hoach-truong-a.md"
    target.write_text(
        target.read_text(encoding="utf-8").replace('number: "01-KH/TA"', 'number: "01-KH/<script>x</script>"'),
        encoding="utf-8",
    )
    config = hook.on_config(_config(monkeypatch, plans))
    files = config.plugins.on_files(Files([]), config=config)
    file = next(f for f in files if f.src_uri == "van-ban/ke-hoach-truong-a.md")
    page = Page(None, file, config)
    page.read_source(config)
    config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
    assert page.meta["template"] == "plan.html"
    assert isinstance(page.meta["title"], Markup)
    assert "<script>" not in str(page.meta["title"]) and "&lt;script&gt;" in str(page.meta["title"])
    context = hook.on_page_context({}, page, config, None)
    assert context["kh"].plan.id == "ke-hoach-truong-a"

"""What a serve rebuild keeps in its process (kehoach/memo.py): the last build's parsed plans and body checks."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from conftest import ROOT
from kehoach import load as loader
from kehoach import memo
from kehoach.body import check_body
from kehoach.load import load
from kehoach.validate import validate

SEED = "09-kh-cb-mn-tran-quoc-toan"


@pytest.fixture()
def plans(tmp_path):
    folder = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", folder)
    return folder


@pytest.fixture()
def sealed_reads(monkeypatch) -> list[str]:
    """The names of the memo files read (and authenticated, unpickled) from disk by the loads that follow."""
    seen: list[str] = []
    real = memo.read_sealed
    monkeypatch.setattr(memo, "read_sealed", lambda path: seen.append(path.name) or real(path))
    return seen


@pytest.fixture()
def parsed(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = loader._load_plans
    monkeypatch.setattr(
        loader,
        "_load_plans",
        lambda paths, root, meanwhile: seen.extend(p.stem for p in paths) or real(paths, root, meanwhile),
    )
    return seen


def test_a_rebuild_takes_the_plans_memo_from_memory_and_a_new_process_from_its_files(
    plans, tmp_path, sealed_reads, parsed
):
    cache = tmp_path / "cache" / "plans.pickle"
    first = load(plans, tmp_path, cache)
    seed = plans / f"{SEED}.md"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nDòng thêm.\n", encoding="utf-8")
    load(plans, tmp_path, cache)  # writes the edit to the changes file
    sealed_reads.clear(), parsed.clear()
    again = load(plans, tmp_path, cache)
    assert not {"plans.pickle", "plans.changes"} & set(sealed_reads) and parsed == []  # neither unpickled nor parsed
    assert [p.id for p in again.plans] == [p.id for p in first.plans]
    assert "Dòng thêm." in {p.id: p for p in again.plans}[SEED].body
    memo._seen.clear()  # as a new process (the next `make serve`): the full memo and its changes, from disk
    fresh = load(plans, tmp_path, cache)
    assert {"plans.pickle", "plans.changes"} <= set(sealed_reads) and parsed == []
    assert fresh.plans == again.plans


def test_a_memo_file_written_behind_the_process_is_read_again(plans, tmp_path, sealed_reads, parsed):
    cache = tmp_path / "cache" / "plans.pickle"
    load(plans, tmp_path, cache)
    cache.write_bytes(cache.read_bytes())  # the same bytes, a new write: its change time moves
    sealed_reads.clear(), parsed.clear()
    assert load(plans, tmp_path, cache).plans and "plans.pickle" in sealed_reads and parsed == []


def _checks(monkeypatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(memo, "check_body", lambda plan, ids: seen.append(plan.id) or check_body(plan, ids))
    return seen


def test_a_body_is_checked_again_only_when_its_file_or_the_set_of_plans_changes(plans, tmp_path, monkeypatch):
    loaded = load(plans, tmp_path)
    units, path = loaded.units, loaded.units_path
    checked = _checks(monkeypatch)
    memo._body_checks.__init__()
    assert validate(loaded.plans, units, path) == [] and len(checked) == len(loaded.plans)
    checked.clear()
    assert validate(loaded.plans, units, path) == [] and checked == []  # the same files, the same plans
    seed = {p.id: p for p in loaded.plans}[SEED]
    linked = replace(seed, body=seed.body + "\nXem [kế hoạch](71-nq-tw.md).\n", digest="edited")
    others = [p for p in loaded.plans if p.id != SEED]
    assert validate([*others, linked], units, path) == [] and checked == [SEED]  # only the edited file
    checked.clear()
    without_top = [p for p in others if p.id != "71-nq-tw"] + [linked]
    problems = {(p.path, p.key, p.message) for p in validate(without_top, units, path)}
    assert (linked.path, "toàn văn", "liên kết hỏng: không có kế hoạch '71-nq-tw' trong plans/") in problems
    assert len(checked) == len(without_top)  # one plan fewer: every link is checked against the new set


def test_remembered_body_checks_are_the_checks_themselves(monkeypatch):
    from kehoach.model import Plan

    body = "<b>đậm</b>\n\n[x](khong-co.md)\n"
    plan = Plan(id="a", path="plans/a.md", title="A", type="KH", unit="u", status="ban-hanh", body=body, digest="d")
    memo._body_checks.__init__()
    ids = {"a"}
    assert memo.checked_body(plan, ids) == check_body(plan, ids) != []
    assert memo.checked_body(plan, ids) == check_body(plan, ids)  # from the memo
    assert memo.checked_body(plan, {"a", "khong-co"}) == check_body(plan, {"a", "khong-co"})  # a new set of ids

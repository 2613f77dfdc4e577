"""Issue #13: the caches are keyed by content and are never loaded from a folder or file an outsider could write."""

from __future__ import annotations

import importlib.util
import os
import pickle
import shutil
import stat
from pathlib import Path

import jinja2
import pytest

from conftest import ROOT
from kehoach import load as loader
from kehoach.cache import code_salt
from kehoach.cachedir import (
    cache_root,
    configured_root,
    prune_caches,
    site_folder,
    template_folder,
)
from kehoach.load import load
from kehoach.sealed import KEY_FILE, MAGIC, read_sealed, write_sealed

SEED = "09-kh-cb-mn-tran-quoc-toan"


class Planted:
    """A pickle whose loading creates ``marker``: what an attacker would plant."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return open, (str(self.marker), "w")


@pytest.fixture()
def plans(tmp_path) -> Path:
    folder = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", folder)
    return folder


@pytest.fixture()
def parsed(monkeypatch) -> list[Path]:
    """The plan files parsed (not taken from the memo) by the loads that follow."""
    seen: list[Path] = []
    real = loader._load_plans
    monkeypatch.setattr(
        loader, "_load_plans", lambda paths, root, meanwhile: seen.extend(paths) or real(paths, root, meanwhile)
    )
    return seen


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "cache-root" / "kehoach"
    monkeypatch.setenv("KEHOACH_CACHE_DIR", str(root))
    return root


def _same_size_and_time_edit(path: Path, old: str, new: str) -> None:
    """Edit as ``cp -p`` or ``rsync -t`` can: same size, same modification time."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def _title(loaded, plan_id: str) -> str:
    return {p.id: p for p in loaded.plans}[plan_id].title


def test_an_edit_keeping_size_and_time_is_parsed_again(plans, tmp_path, parsed):
    memo = tmp_path / "cache" / "plans.pickle"
    title = _title(load(plans, tmp_path, memo), SEED)
    assert load(plans, tmp_path, memo) and len(parsed) == len(
        list(plans.glob("[!_]*.md"))
    )  # only the first load parsed
    parsed.clear()
    _same_size_and_time_edit(plans / f"{SEED}.md", 'title: "Kế hoạch', 'title: "Ke hoach 2-0')
    edited = load(plans, tmp_path, memo)
    assert parsed == [plans / f"{SEED}.md"]
    assert title.startswith("Kế hoạch") and _title(edited, SEED) == "Ke hoach 2-0" + title.removeprefix("Kế hoạch")


def test_a_units_edit_keeping_size_and_time_is_read_again(plans, tmp_path):
    memo = tmp_path / "cache" / "plans.pickle"
    assert {u.id: u.name for u in load(plans, tmp_path, memo).units}["bo-chinh-tri"] == "Bộ Chính trị"
    _same_size_and_time_edit(plans / "units.yml", "name: Bộ Chính trị", "name: Bo Chinh tri (xy)")
    assert {u.id: u.name for u in load(plans, tmp_path, memo).units}["bo-chinh-tri"] == "Bo Chinh tri (xy)"


def test_code_salt_changes_with_an_edit_keeping_size_and_time(tmp_path):
    code = tmp_path / "hooks"
    code.mkdir()
    (code / "a.py").write_text("x = 1\n", encoding="utf-8")
    salt = code_salt([code])
    _same_size_and_time_edit(code / "a.py", "1", "2")
    assert code_salt([code]) != salt


def _plant(memo: Path, marker: Path) -> None:
    """A planted memo sealed with the folder's own key: only the folder check can refuse it."""
    assert write_sealed(memo, Planted(marker))
    assert not marker.exists()  # pickling it ran nothing


@pytest.mark.parametrize("how", ["world-writable", "group-readable", "other-owner", "symlink"])
def test_a_planted_pickle_in_an_untrusted_folder_is_never_loaded(plans, tmp_path, parsed, monkeypatch, capsys, how):
    real = tmp_path / "cache"
    memo = real / "plans.pickle"
    marker = tmp_path / "pwned"
    for path in (memo, memo.with_suffix(".changes"), memo.with_suffix(".units")):
        _plant(path, marker)
    if how == "world-writable":
        real.chmod(0o777)
    elif how == "group-readable":
        real.chmod(0o750)
    elif how == "other-owner":
        monkeypatch.setattr(os, "getuid", lambda: 4242)
    else:
        link = tmp_path / "link"
        link.symlink_to(real)
        memo = link / "plans.pickle"
    loaded = load(plans, tmp_path, memo)
    assert not marker.exists()
    assert not loaded.problems and len(loaded.plans) == len(parsed) > 0  # parsed cold, the memo not read
    assert "Cảnh báo: không dùng bộ nhớ đệm" in capsys.readouterr().err
    assert read_sealed(memo) is None


def test_a_forged_memo_without_the_key_is_never_loaded(plans, tmp_path, parsed):
    memo = tmp_path / "cache" / "plans.pickle"
    marker = tmp_path / "pwned"
    load(plans, tmp_path, memo)  # the folder now has a key and a genuine memo
    evil = pickle.dumps(Planted(marker))
    forgeries = [
        evil,  # a bare pickle
        MAGIC + b"\0" * 32 + evil,  # the header, a guessed MAC
        MAGIC + memo.read_bytes()[len(MAGIC) : len(MAGIC) + 32] + evil,  # the genuine file's MAC on another payload
    ]
    for forged in forgeries:
        parsed.clear()
        memo.write_bytes(forged)
        memo.with_suffix(".units").write_bytes(evil)
        loaded = load(plans, tmp_path, memo)
        assert not marker.exists() and not loaded.problems
        assert len(parsed) == len(loaded.plans)  # every plan parsed again


def test_a_memo_sealed_with_another_key_is_never_loaded(plans, tmp_path, parsed):
    memo = tmp_path / "cache" / "plans.pickle"
    marker = tmp_path / "pwned"
    elsewhere = tmp_path / "attacker" / "plans.pickle"
    _plant(elsewhere, marker)  # sealed with the attacker's own key
    load(plans, tmp_path, memo)
    shutil.copy(elsewhere, memo)
    parsed.clear()
    assert load(plans, tmp_path, memo).plans and not marker.exists() and parsed


def test_without_a_private_key_file_nothing_is_loaded(tmp_path):
    memo = tmp_path / "cache" / "plans.pickle"
    assert write_sealed(memo, {"a": 1}) and read_sealed(memo) == {"a": 1}
    key = memo.parent / KEY_FILE
    key.chmod(0o644)  # readable by others: not a secret any more
    assert read_sealed(memo) is None
    key.chmod(0o600)
    assert read_sealed(memo) == {"a": 1}
    key.unlink()
    (memo.parent / "elsewhere").write_bytes(b"k" * 32)
    key.symlink_to(memo.parent / "elsewhere")
    assert read_sealed(memo) is None


@pytest.mark.parametrize("damage", ["flip a byte", "truncate", "empty", "header only"])
def test_a_tampered_or_truncated_memo_is_ignored(plans, tmp_path, parsed, damage):
    memo = tmp_path / "cache" / "plans.pickle"
    first = load(plans, tmp_path, memo)
    data = bytearray(memo.read_bytes())
    if damage == "flip a byte":
        data[len(data) // 2] ^= 0x01
    elif damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "empty":
        data = bytearray()
    else:
        data = bytearray(MAGIC)
    memo.write_bytes(bytes(data))
    parsed.clear()
    again = load(plans, tmp_path, memo)  # no traceback: a cold parse
    assert again.plans == first.plans and len(parsed) == len(first.plans)
    parsed.clear()
    assert load(plans, tmp_path, memo).plans == first.plans and parsed == []  # rewritten, sealed again


def test_the_cache_folder_is_created_0700_and_the_key_0600(cache_dir):
    assert configured_root() == cache_dir and cache_root() == cache_dir
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    site = site_folder("mkdocs.yml", "site")
    assert site.parent == cache_dir and stat.S_IMODE(site.stat().st_mode) == 0o700
    assert write_sealed(site / "plans.pickle", [1])
    key = site / KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and key.stat().st_size == 32
    assert sorted(p.name for p in site.iterdir()) == [KEY_FILE, "plans.pickle"]  # no partial files left


def test_an_untrusted_cache_folder_is_replaced_by_a_private_one(cache_dir, capsys):
    cache_dir.mkdir(parents=True)
    cache_dir.chmod(0o777)
    root = cache_root()
    assert root != cache_dir and cache_dir not in root.parents
    assert stat.S_IMODE(root.stat().st_mode) == 0o700 and root.stat().st_uid == os.getuid()
    assert cache_dir not in site_folder("mkdocs.yml", "site").parents and cache_dir not in template_folder().parents
    err = capsys.readouterr().err
    assert str(cache_dir) in err and "0777" in err and "chmod 700" in err


def test_prune_touches_only_a_checked_folder(tmp_path):
    root = tmp_path / "shared"
    (root / "old").mkdir(parents=True)
    os.utime(root / "old", (0, 0))
    root.chmod(0o777)
    assert prune_caches(root) == [] and (root / "old").is_dir()
    root.chmod(0o700)
    assert prune_caches(root) == [root / "old"]


def _hook():
    spec = importlib.util.spec_from_file_location("site_hook", ROOT / "hooks" / "site_hook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("trusted", [True, False])
def test_compiled_templates_are_kept_only_in_the_checked_folder(cache_dir, trusted):
    hook = _hook()
    cache_dir.mkdir(parents=True, mode=0o700)
    if not trusted:
        cache_dir.chmod(0o777)
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ 1 + 1 }}"}))
    from kehoach.build import Build, Settings
    from kehoach.site import Site

    build = Build(
        Settings(str(ROOT / "mkdocs.yml"), str(ROOT / "site"), None, {}, [], {}), Site(None, {}, ()), fast=True
    )
    env = hook.on_env(env, {hook.BUILD_KEY: build}, None)
    folder = Path(env.bytecode_cache.directory)
    assert env.get_template("t.html").render() == "2"
    assert any(folder.iterdir())  # the compiled template was written there
    assert (folder.parent == cache_dir) is trusted
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and folder.stat().st_uid == os.getuid()


def test_the_adapter_builds_from_the_memo_in_the_checked_folder(cache_dir, monkeypatch, parsed):
    from mkdocs.config import load_config

    hook = _hook()
    for round in range(2):
        config = hook.on_config(load_config(str(ROOT / "mkdocs.yml")))
        build = config[hook.BUILD_KEY]
        assert build.finish() == []
        folder = build.cache_folder
        assert folder.parent == cache_dir and build.site.ok
        if round == 0:
            assert parsed and any(folder.glob("plans-*.pickle"))
            parsed.clear()
    assert parsed == []  # the second build took every plan from the memo


def test_the_salt_follows_the_code_this_process_runs(tmp_path, monkeypatch):
    """hooks/ is digested once per process (its modules are imported once; MkDocs loads the hooks once per
    serve session), templates and mkdocs.yml at every build: a hook edited during `make serve` does not change
    the salt of pages and bodies that the old code still makes, a template edited does."""
    from kehoach.cache import running_code, site_cache

    monkeypatch.setenv("KEHOACH_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "hooks").mkdir()
    (tmp_path / "overrides").mkdir()
    (tmp_path / "hooks" / "hook.py").write_text("A = 1\n", encoding="utf-8")
    (tmp_path / "overrides" / "main.html").write_text("a\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")

    def salt() -> str:
        return site_cache(str(tmp_path / "mkdocs.yml"), str(tmp_path / "site"), {}, None)[2]

    running_code.cache_clear()
    first = salt()
    (tmp_path / "hooks" / "hook.py").write_text("A = 2\n", encoding="utf-8")
    assert salt() == first  # the running process still runs A = 1
    (tmp_path / "overrides" / "main.html").write_text("b\n", encoding="utf-8")
    assert salt() != first
    templates_edited = salt()
    running_code.cache_clear()  # a new process
    assert salt() != templates_edited

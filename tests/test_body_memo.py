"""Plan bodies kept between builds (kehoach/bodymemo.py): reused only for the same source, sealed, never stale."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from kehoach.bodymemo import BodyMemo
from kehoach.render import BodyRenderer, RenderedBody

SOURCES = {
    "van-ban/a.md": "## Mục một\n\nPhấn đấu đến năm 2030 có **100%** trường đạt chuẩn.",
    "van-ban/b.md": "Hai câu. <script>alert(1)</script> Câu ba.",
}


def _render(memo: BodyMemo, sources: dict[str, str]) -> tuple[dict[str, RenderedBody | None], set[str]]:
    """What a build does (kehoach/build.py): the known bodies from the memo, the others rendered and kept."""
    ready, left = memo.known(sources)
    renderer = BodyRenderer(left, ["toc"], {}, None, ready, lambda uri, body: memo.keep(left[uri], body))
    return {uri: renderer.take(uri) for uri in sources}, set(left)


def test_a_second_build_renders_no_body_and_gets_the_same_html(tmp_path):
    path = tmp_path / "cache" / "bodies.pickle"
    memo = BodyMemo(path)
    first, rendered = _render(memo, SOURCES)
    memo.save()
    assert rendered == set(SOURCES) and path.is_file()
    assert "<strong>100%</strong>" in first["van-ban/a.md"].html and "<script" not in first["van-ban/b.md"].html
    stamp = path.stat().st_ino
    again, rendered = _render(BodyMemo(path), SOURCES)
    assert rendered == set() and again == first
    BodyMemo(path).save()  # nothing new: the file is left as it is
    assert path.stat().st_ino == stamp  # (written anew: another file replaces it)


def test_an_edited_body_is_rendered_again_and_only_it(tmp_path):
    path = tmp_path / "cache" / "bodies.pickle"
    memo = BodyMemo(path)
    _render(memo, SOURCES)
    memo.save()
    edited = dict(SOURCES, **{"van-ban/b.md": "Câu đã sửa."})
    bodies, rendered = _render(BodyMemo(path), edited)
    assert rendered == {"van-ban/b.md"} and "Câu đã sửa." in bodies["van-ban/b.md"].html


def test_a_build_keeps_its_own_bodies_and_a_bounded_number_of_others(tmp_path):
    path = tmp_path / "cache" / "bodies.pickle"
    memo = BodyMemo(path)
    _render(memo, SOURCES)
    memo.save()
    other = BodyMemo(path)  # another shard, or a plan removed (b) and one added (c): b is kept for a while
    _render(other, {"van-ban/a.md": SOURCES["van-ban/a.md"], "van-ban/c.md": "Mới."})
    other.save()
    assert _render(BodyMemo(path), {**SOURCES, "van-ban/c.md": "Mới."})[1] == set()
    for round_ in range(3):  # many edits: the file holds this build's bodies and at most 100 + as many others
        many = {f"van-ban/p{i}.md": f"Văn bản {round_}-{i}." for i in range(120)}
        churn = BodyMemo(path)
        _render(churn, many)
        churn.save()
    assert len(BodyMemo(path)._known) <= 2 * 120 + 100


class Planted:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_bodies_file_not_sealed_by_this_user_is_never_loaded(tmp_path):
    path = tmp_path / "cache" / "bodies.pickle"
    memo = BodyMemo(path)
    _render(memo, SOURCES)
    memo.save()  # the folder now has its key
    marker = tmp_path / "pwned"
    path.write_bytes(pickle.dumps(Planted(marker)))
    bodies, rendered = _render(BodyMemo(path), SOURCES)
    assert not marker.exists() and rendered == set(SOURCES) and all(bodies.values())


def _build(site, plans, cache):
    env = dict(
        os.environ,
        NO_MKDOCS_2_WARNING="1",
        KEHOACH_PLANS_DIR=str(plans),
        KEHOACH_SEARCH="false",
        KEHOACH_CACHE_DIR=str(cache),
    )
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.build
def test_a_warm_build_reuses_every_body_and_publishes_the_same_site(tmp_path):
    plans, cache = tmp_path / "plans", tmp_path / "cache"
    shutil.copytree(ROOT / "plans", plans)
    first = _build(tmp_path / "site", plans, cache)
    (memo,) = (cache / "bodies").glob("*.pickle")
    stamp = memo.stat().st_ino
    assert _build(tmp_path / "site", plans, cache) == first
    assert memo.stat().st_ino == stamp  # no body was rendered: nothing new to keep
    seed = plans / "09-kh-cb-mn-tran-quoc-toan.md"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nCâu thêm vào toàn văn.\n", encoding="utf-8")
    after = _build(tmp_path / "site", plans, cache)
    assert memo.stat().st_ino != stamp
    changed = {name for name in first.keys() | after.keys() if first.get(name) != after.get(name)}
    assert "van-ban/09-kh-cb-mn-tran-quoc-toan/index.html" in changed
    assert "Câu thêm vào toàn văn." in after["van-ban/09-kh-cb-mn-tran-quoc-toan/index.html"].decode()


def test_memos_of_the_three_newest_code_versions_are_kept(tmp_path):
    paths = [tmp_path / "cache" / f"{salt}.pickle" for salt in ("s1", "s2", "s3", "s4")]
    for step, path in enumerate(paths):
        memo = BodyMemo(path)
        _render(memo, SOURCES)
        memo.save()
        os.utime(path, (1_000_000 + step, 1_000_000 + step))  # saved one after the other
    assert [p.exists() for p in paths] == [False, True, True, True]


def test_qr_codes_are_kept_per_salt():
    from kehoach.cache import qr_file

    folder = Path("/cache")
    assert qr_file(folder, "https://a.vn/", "x", "s1")[0] != qr_file(folder, "https://a.vn/", "x", "s2")[0]
    assert qr_file(folder, "https://a.vn/", "x", "s1")[1] == "https://a.vn/van-ban/x/"


def test_one_rule_prunes_every_memo_named_by_its_code_version(tmp_path):
    """cachedir.prune_versions: the current version's files are kept even when used longest ago (parsed plans
    unchanged since), with the two other versions used last; all of a version's files go together."""
    from kehoach.cachedir import prune_versions

    names = ["plans-a.pickle", "plans-a.changes", "plans-b.pickle", "plans-c.pickle", "plans-d.pickle", "plans-d.units"]
    for step, name in enumerate(names):
        (tmp_path / name).write_bytes(b"")
        os.utime(tmp_path / name, (1_000_000 + step, 1_000_000 + step))
    prune_versions(tmp_path.glob("plans-*"), lambda path: path.name.split(".")[0], "plans-a")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "plans-a.changes",
        "plans-a.pickle",
        "plans-c.pickle",
        "plans-d.pickle",
        "plans-d.units",
    ]


def test_a_memo_read_counts_as_used(tmp_path):
    """A build that only reads the body memo (no new body) touches it: prune_versions keeps the versions used last."""
    path = tmp_path / "cache" / "s1.pickle"
    memo = BodyMemo(path)
    _render(memo, SOURCES)
    memo.save()
    os.utime(path, (1_000_000, 1_000_000))
    BodyMemo(path)
    assert path.stat().st_mtime > 1_000_000

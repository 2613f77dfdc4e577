"""The pull request workflow's scripts, run locally: annotations, the import, the comment, the commit.

``.github/workflows/nhap.yml`` and ``pr.yml`` call ``python -m kehoach.prflow`` and
``python -m kehoach check --github``; these tests run the same code against fixture plans and a
temporary bare git repository with a clone, as the runner has a checkout of the pull request's branch.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, fixture_plans
from kehoach.__main__ import main as check_main
from kehoach.ghactions import annotation, command, escape_data, escape_property
from kehoach.model import Problem
from kehoach.prflow.__main__ import main as prflow_main
from kehoach.prflow.comment import code, render, text
from kehoach.prflow.gitops import BOT_NAME, GitFailure, commit, push, token_env
from kehoach.prflow.nhap import NOT_REGULAR, WRONG_KIND, Outcome, import_all

SEED = FIXTURES / "import" / "09-kh-cb-mn-tran-quoc-toan.txt"
WORKFLOWS = ROOT / ".github" / "workflows"
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Biên tập viên",
    "GIT_AUTHOR_EMAIL": "btv@example.invalid",
    "GIT_COMMITTER_NAME": "Biên tập viên",
    "GIT_COMMITTER_EMAIL": "btv@example.invalid",
}


# -- annotations ------------------------------------------------------------------------------------


def test_escaping_follows_the_runner_rules() -> None:
    assert escape_data("50% xong\r\nrồi") == "50%25 xong%0D%0Arồi"
    assert escape_data("%0A") == "%250A"  # a literal escape in a value never becomes a newline
    assert escape_property("plans/a,b.md: x%") == "plans/a%2Cb.md%3A x%25"
    assert command("error", "a: b, c", file="plans/x.md", line=3) == "::error file=plans/x.md,line=3::a: b, c"
    assert command("warning", "m", file="", line=2) == "::warning line=2::m"


def test_check_github_annotates_the_broken_line(tmp_path, monkeypatch, capsys) -> None:
    fixture = FIXTURES / "broken" / "vietnamese-date"
    fixture_plans(tmp_path, fixture)
    monkeypatch.chdir(tmp_path)
    assert check_main(["check", "plans"]) == 1
    plain = capsys.readouterr().err.splitlines()[0]
    assert check_main(["check", "--github", "plans"]) == 1
    out = capsys.readouterr().out.splitlines()
    expected = (fixture / "expected.txt").read_text(encoding="utf-8").strip()  # "plans/b.md:6: date: ngày …"
    assert plain.startswith(expected)
    message = plain.removeprefix("plans/b.md:6: ")  # the same file, line, key and message as the plain report
    assert out == [f"::error file=plans/b.md,line=6,title=Kiểm tra kế hoạch%3A date::{message}"]


def test_check_github_prints_nothing_but_the_summary_when_valid(tmp_path, monkeypatch, capsys) -> None:
    fixture_plans(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert check_main(["check", "--github", "plans"]) == 0
    captured = capsys.readouterr()
    assert not [line for line in captured.out.splitlines() if line.startswith("::")]
    assert "Hợp lệ" in captured.out


def test_check_github_warnings_are_warning_annotations_and_pass(tmp_path, monkeypatch, capsys) -> None:
    fixture_plans(tmp_path, FIXTURES / "alignment")  # three serves links that warn (tests/test_alignment.py)
    monkeypatch.chdir(tmp_path)
    assert check_main(["check", "plans"]) == 0
    plain = [line for line in capsys.readouterr().err.splitlines() if ": cảnh báo: " in line]
    assert check_main(["check", "--github", "plans"]) == 0
    out = [line for line in capsys.readouterr().out.splitlines() if line.startswith("::")]
    assert len(out) == len(plain) == 3 and all(line.startswith("::warning file=plans/") for line in out)
    for line, warned in zip(out, plain, strict=True):  # same file and line, same message without the prefix
        path, number, key, message = re.fullmatch(r"(.+?):(\d+): (.+?): cảnh báo: (.*)", warned).groups()
        assert line.startswith(f"::warning file={path},line={number},")
        assert line.endswith(f"::{key}: {escape_data(message)}")


def test_a_hostile_message_stays_one_annotation() -> None:
    hostile = Problem("plans/a,b:c.md", 4, "title", "x\n::add-mask::y\r%0A::set-env name=A::b \x1b[2J")
    line = annotation(hostile)
    assert "\n" not in line and "\r" not in line and "\x1b" not in line
    assert line.startswith("::error file=plans/a%2Cb%3Ac.md,line=4,title=")
    assert "%250A" in line  # the literal "%0A" is escaped, not decoded by the runner
    # a command is read only at the start of a line: "::add-mask::" inside the message stays text
    assert line.split("::", 2)[2] == "title: x ::add-mask::y %250A::set-env name=A::b \\x1b[2J"


@dataclass(frozen=True)
class _Caution:  # what alignment.Caution offers the annotation: path, line, key, message
    path: str
    line: int
    key: str
    message: str


def test_a_warning_is_a_warning_annotation_and_line_zero_names_only_the_file() -> None:
    caution = _Caution("plans/a.md", 12, "targets[0].serves[0]", "chỉ tiêu đến sau")
    assert annotation(caution, "warning").startswith("::warning file=plans/a.md,line=12,")
    assert ",line=" not in annotation(Problem("plans/units.yml", 0, "units", "trống"))


# -- the checklist comment --------------------------------------------------------------------------


def test_comment_values_are_text_not_markup() -> None:
    hostile = "[bấm](https://evil.example) <img src=x> **đậm** | ô | @everyone `x`"
    shown = text(hostile)
    for raw in ("[bấm](", "<img", "**", "| ô |", "`x`"):  # each character of markup shown as itself
        assert "".join("\\" + c if c in "[]()<>*|`" else c for c in raw) in shown
    assert "đậm" in shown and "(" not in shown.replace("\\(", "")
    assert "@\u2060everyone" in shown  # no notification
    email = text("mn.tqt@hanoi.edu.vn")  # an e-mail address notifies nobody: kept as it is
    assert "tqt\\@hanoi" in email and "\u2060" not in email
    assert code("a`b") == "``a`b``" and code("`a") == "`` `a ``"
    assert len(text("x" * 5000)) < 1000


def test_comment_lists_the_checklist_and_the_refusals() -> None:
    done = Outcome(
        "nhap/kh.docx",
        ("plans/09-kh.md", "plans/71-stub.md"),
        ("ngày ban hành: văn bản không ghi ngày",),
        ("người ký: Nguyễn Văn A",),
        (Problem("plans/09-kh.md", 7, "unit", "không có đơn vị 'x'"),),
        draft="plans/09-kh.md",
        stubs=("plans/71-stub.md",),
        units=("- id: chi-bo-x", "  name: ``` @ai", "  parent: phuong-x"),
    )
    refused = Outcome("nhap/kh.pdf", error=WRONG_KIND)
    body = render([done, refused])
    assert body.startswith("<!-- kehoach-nhap -->")
    assert "#### ✅ `nhap/kh.docx` → `plans/09-kh.md`" in body
    assert "chưa có trên trang: `plans/71-stub.md`." in body
    assert "\n````yaml\n- id: chi-bo-x\n  name: ``` @ai\n  parent: phuong-x\n````\n" in body  # not closed early
    assert "- [ ] ngày ban hành\\: văn bản không ghi ngày" in body
    assert "plans\\/09\\-kh\\.md dòng 7\\: unit" in body
    assert "#### ❌ `nhap/kh.pdf`: chưa nhập được" in body
    assert "Artifacts" in render([done], pushed=False) and "Artifacts" not in body
    many = Outcome("nhap/a.txt", ("plans/a.md",), tuple(f"mục {i}" for i in range(500)))
    assert "và 460 mục khác" in render([many]) and len(render([many])) < 60_000


# -- the import, and the commit against a local git repository ----------------------------------------


def _git(cwd: Path, *args: str) -> str:
    env = dict(os.environ, **GIT_ENV)
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def _repository(tmp_path: Path) -> tuple[Path, Path]:
    """A bare "GitHub" repository whose branch nhap-ke-hoach has the site's plans and an uploaded source,
    and the runner's clone of that branch."""
    seed = tmp_path / "seed"
    shutil.copytree(ROOT / "plans", seed / "plans")
    (seed / "plans" / "09-kh-cb-mn-tran-quoc-toan.md").unlink()  # the seed's own plan is what gets imported
    (seed / "nhap").mkdir()
    (seed / "nhap" / "README.md").write_text("Tải tệp lên đây.\n", encoding="utf-8")
    shutil.copyfile(SEED, seed / "nhap" / "kế hoạch chi bộ.txt")
    _git(seed, "init", "--quiet", "--initial-branch", "nhap-ke-hoach")
    _git(seed, "add", "--all")
    _git(seed, "commit", "--quiet", "--message", "Tải lên văn bản")
    bare = tmp_path / "origin.git"
    _git(tmp_path, "clone", "--quiet", "--bare", str(seed), str(bare))
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "--quiet", "--branch", "nhap-ke-hoach", str(bare), str(clone))
    return bare, clone


def test_import_writes_the_draft_and_removes_the_source(tmp_path) -> None:
    _, clone = _repository(tmp_path)
    (clone / "nhap" / "scan.pdf").write_bytes(b"%PDF-1.4")
    (clone / "nhap" / "link.txt").symlink_to("/etc/hostname")
    outcomes = {o.source: o for o in import_all(clone)}
    assert set(outcomes) == {"nhap/kế hoạch chi bộ.txt", "nhap/scan.pdf", "nhap/link.txt"}  # not README.md
    done = outcomes["nhap/kế hoạch chi bộ.txt"]
    assert done.ok and done.written and all(name.startswith("plans/") for name in done.written)
    draft = (clone / done.written[0]).read_text(encoding="utf-8")
    assert "kế hoạch chi bộ.txt" in draft and 'number: "09-KH/CB"' in draft
    assert not (clone / "nhap" / "kế hoạch chi bộ.txt").exists()
    assert outcomes["nhap/scan.pdf"].error == WRONG_KIND and (clone / "nhap" / "scan.pdf").exists()
    assert outcomes["nhap/link.txt"].error == NOT_REGULAR


def test_uploads_citing_one_missing_document_share_one_stub(tmp_path) -> None:
    """Both made-up plans of tests/fixtures/import-run/ cite 15-KH/ĐU, which plans/ lacks; the first without
    its issuing unit, so its stub does not load: without one run, the second upload would leave it as it was."""
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    (tmp_path / "nhap").mkdir()
    uploads = {  # imported in name order: the one without the issuing unit first
        "nhap/chi bộ đọc sách.txt": "kh-chi-bo-doc-sach.txt",
        "nhap/trường tuần lễ đọc.txt": "kh-truong-tuan-le-doc.txt",
    }
    for name, fixture in uploads.items():
        shutil.copyfile(FIXTURES / "import-run" / fixture, tmp_path / name)
    first, second = import_all(tmp_path)
    assert [first.source, second.source] == list(uploads) and first.ok and second.ok
    stub = "plans/15-kh-du-2026-03-10.md"
    assert sorted(p.name for p in (tmp_path / "plans").glob("15-*")) == ["15-kh-du-2026-03-10.md"]
    assert first.stubs == second.stubs == (stub,)  # both name it, so both commit and copy it
    assert stub in first.written and stub in second.written
    data = yaml.safe_load((tmp_path / stub).read_text(encoding="utf-8").split("---")[1])
    assert [s["label"].rsplit("(tệp ", 1)[1] for s in data["sources"]] == [
        f"{first.draft.removeprefix('plans/')})",
        f"{second.draft.removeprefix('plans/')})",
    ]
    assert data["unit"] == "dang-uy-phuong-duong-noi"  # from the second upload's citation
    assert not any("giữ nguyên" in warning for warning in second.warnings)
    assert first.problems == second.problems == ()


def test_commit_pushes_draft_and_stubs_to_the_branch_then_does_nothing(tmp_path) -> None:
    bare, clone = _repository(tmp_path)
    before = _git(bare, "rev-parse", "nhap-ke-hoach").strip()
    [done] = import_all(clone)
    (clone / "plans" / "71-stub.md").write_text("---\ntitle: stub\n---\n", encoding="utf-8")  # as a stub writer would
    (clone / "site").mkdir()
    (clone / "site" / "index.html").write_text("not committed", encoding="utf-8")
    assert commit(clone)
    push(clone, "origin", "nhap-ke-hoach")
    files = set(_git(bare, "ls-tree", "-r", "--name-only", "nhap-ke-hoach").split())
    assert {*done.written, "plans/71-stub.md", "nhap/README.md"} <= files
    assert "nhap/kế hoạch chi bộ.txt" not in files and "site/index.html" not in files
    log = _git(bare, "log", "-1", "--format=%an%n%s", "nhap-ke-hoach").splitlines()
    assert log == [BOT_NAME, "Nhập bản nháp từ nhap/kế hoạch chi bộ.txt"]
    assert _git(bare, "rev-parse", "nhap-ke-hoach~1").strip() == before  # one commit on top of the editor's
    after = _git(bare, "rev-parse", "nhap-ke-hoach").strip()
    assert not commit(clone)  # a second run: nothing new, no commit, nothing pushed
    assert _git(bare, "rev-parse", "nhap-ke-hoach").strip() == after


def test_the_cli_commits_nothing_when_nap_is_empty(tmp_path, monkeypatch, capsys) -> None:
    bare, clone = _repository(tmp_path)
    (clone / "nhap" / "kế hoạch chi bộ.txt").unlink()
    _git(clone, "commit", "--quiet", "--all", "--message", "Gỡ tệp")
    _git(clone, "push", "--quiet", "origin", "HEAD:nhap-ke-hoach")
    head = _git(bare, "rev-parse", "nhap-ke-hoach")
    output = tmp_path / "github-output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    assert prflow_main(["import", "--root", str(clone), "--comment", str(tmp_path / "c.md")]) == 0
    assert prflow_main(["commit", "--root", str(clone), "--branch", "nhap-ke-hoach"]) == 0
    assert "Không có gì mới" in capsys.readouterr().out
    assert not (tmp_path / "c.md").exists()
    assert output.read_text(encoding="utf-8") == "imported=0\nfailed=0\n"  # the workflow skips the other steps
    assert _git(bare, "rev-parse", "nhap-ke-hoach") == head


def test_the_cli_reports_counts_and_writes_the_comment(tmp_path, monkeypatch, capsys) -> None:
    bare, clone = _repository(tmp_path)
    (clone / "nhap" / "cu.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    output = tmp_path / "github-output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    comment = tmp_path / "comment.md"
    assert prflow_main(["import", "--root", str(clone), "--comment", str(comment)]) == 0
    assert output.read_text(encoding="utf-8") == "imported=1\nfailed=1\n"
    assert "❌ `nhap/cu.doc`" in comment.read_text(encoding="utf-8")
    assert not [line for line in capsys.readouterr().out.splitlines() if line.startswith("::error")]
    monkeypatch.setenv("GH_TOKEN", "ghs_not-a-real-token")
    assert prflow_main(["commit", "--root", str(clone), "--branch", "nhap-ke-hoach"]) == 0
    assert "ghs_not-a-real-token" not in (clone / ".git" / "config").read_text(encoding="utf-8")
    assert "nhap/cu.doc" in _git(bare, "ls-tree", "-r", "--name-only", "nhap-ke-hoach")  # left for the editor


def test_commit_when_a_folder_is_gone(tmp_path) -> None:
    bare, clone = _repository(tmp_path)
    shutil.rmtree(clone / "nhap")  # every file of nhap/ removed, README.md included
    assert commit(clone)
    shutil.rmtree(clone / "plans")
    _git(clone, "rm", "-r", "--quiet", "--cached", "plans")
    _git(clone, "commit", "--quiet", "--message", "Gỡ plans/")
    assert not commit(clone)  # neither folder exists nor is tracked: nothing to stage, no error


def test_push_never_overwrites_a_newer_commit_and_refuses_bad_branch_names(tmp_path) -> None:
    bare, clone = _repository(tmp_path)
    other = tmp_path / "other"
    _git(tmp_path, "clone", "--quiet", "--branch", "nhap-ke-hoach", str(bare), str(other))
    (other / "plans" / "units.yml").write_text("# sửa\n", encoding="utf-8")
    _git(other, "commit", "--quiet", "--all", "--message", "Sửa trong lúc nhập")
    _git(other, "push", "--quiet", "origin", "HEAD:nhap-ke-hoach")
    import_all(clone)
    assert commit(clone)
    with pytest.raises(GitFailure, match="Không đẩy được"):
        push(clone, "origin", "nhap-ke-hoach")
    assert "Sửa trong lúc nhập" in _git(bare, "log", "-1", "--format=%s", "nhap-ke-hoach")
    for bad in ("", "a..b", "x:y", "-f", "a b"):
        with pytest.raises(GitFailure, match="Tên nhánh"):
            push(clone, "origin", bad)


def test_token_goes_to_git_as_an_extra_header_for_the_server_only() -> None:
    env = token_env("abc", "https://github.com/")
    assert env["GIT_CONFIG_KEY_0"] == "http.https://github.com/.extraheader"
    assert env["GIT_CONFIG_VALUE_0"] == "AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46YWJj"  # x-access-token:abc


# -- the workflows themselves (zizmor and actionlint run in `make lint-workflows`) -----------------------


def _workflows() -> dict[str, dict]:
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(WORKFLOWS.glob("*.yml"))}


def test_workflows_pin_actions_keep_no_credentials_and_ask_per_job() -> None:
    pinned = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40} # v\d+(\.\d+)*$")
    for name, flow in _workflows().items():
        assert flow["permissions"] == {}, name
        text = (WORKFLOWS / name).read_text(encoding="utf-8")
        for line in re.findall(r"uses: (.+)", text):
            assert pinned.match(line.strip()), f"{name}: {line}"
        for job_name, job in flow["jobs"].items():
            assert "permissions" in job, f"{name}: {job_name}"
            for step in job.get("steps", []):
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, f"{name}: {job_name}"
                assert "${{" not in step.get("run", ""), f"{name}: {job_name}: an expression inside run:"


def test_only_the_same_repository_job_gets_a_write_token() -> None:
    flow = _workflows()["nhap.yml"]
    assert list(flow[True]) == ["pull_request"]  # YAML 1.1 reads the key "on" as true; never pull_request_target
    writers = {n: j for n, j in flow["jobs"].items() if "write" in j["permissions"].values()}
    assert list(writers) == ["nhap"]
    assert writers["nhap"]["if"] == "github.event.pull_request.head.repo.full_name == github.repository"
    assert flow["jobs"]["nhap-fork"]["permissions"] == {"contents": "read"}

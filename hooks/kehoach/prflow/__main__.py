"""``python -m kehoach.prflow import|commit``: the steps of ``.github/workflows/nhap.yml``.

import [--root DIR] [--comment FILE] [--out DIR] [--fork]
    imports every source in nhap/ (kehoach/prflow/nhap.py), writes the checklist comment to FILE,
    prints the draft's problems as ::warning annotations, copies the drafts to DIR (for a fork's
    artifact) and appends ``imported=N`` and ``failed=N`` to $GITHUB_OUTPUT. Exit 0 unless it crashed.
commit --branch NAME [--root DIR] [--remote NAME]
    commits plans/ and nhap/ and pushes to NAME; the token comes from $GH_TOKEN, the server from
    $GITHUB_SERVER_URL. "Không có gì mới" and exit 0 when nothing changed.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..ghactions import annotation_lines
from .comment import render
from .gitops import GitFailure, commit, push
from .nhap import Outcome, copy_written, import_all


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kehoach.prflow")
    steps = parser.add_subparsers(dest="step", required=True)
    imports = steps.add_parser("import")
    imports.add_argument("--root", type=Path, default=Path.cwd())
    imports.add_argument("--comment", type=Path)
    imports.add_argument("--out", type=Path)
    imports.add_argument("--fork", action="store_true")
    commits = steps.add_parser("commit")
    commits.add_argument("--root", type=Path, default=Path.cwd())
    commits.add_argument("--branch", required=True)
    commits.add_argument("--remote", default="origin")
    return parser


def run_import(root: Path, comment: Path | None, out: Path | None, fork: bool) -> list[Outcome]:
    outcomes = import_all(root)
    for outcome in outcomes:  # each line starts with fixed text: a file name cannot start a workflow command
        state = f"đã ghi {', '.join(outcome.written)}" if outcome.ok else f"chưa nhập được: {outcome.error}"
        print(f"Nhập {outcome.source}: {' '.join(state.split())}")
        for line in annotation_lines(outcome.problems, "warning"):
            print(line)
    if comment is not None and outcomes:
        comment.write_text(render(outcomes, pushed=not fork), encoding="utf-8")
    if out is not None:
        copy_written(outcomes, root, out)
    if output := os.environ.get("GITHUB_OUTPUT"):
        failed = sum(not o.ok for o in outcomes)
        with open(output, "a", encoding="utf-8") as handle:
            handle.write(f"imported={len(outcomes) - failed}\nfailed={failed}\n")
    return outcomes


def run_commit(root: Path, branch: str, remote: str) -> int:
    try:
        if not commit(root):
            print("Không có gì mới để ghi vào nhánh.")
            return 0
        server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
        push(root, remote, branch, os.environ.get("GH_TOKEN", ""), server)
    except GitFailure as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    print("Đã ghi bản nháp vào nhánh.")
    return 0


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.step == "import":
        outcomes = run_import(args.root, args.comment, args.out, args.fork)
        if not outcomes:
            print("Thư mục nhap/ không có tệp nào để nhập.")
        return 0
    return run_commit(args.root, args.branch, args.remote)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

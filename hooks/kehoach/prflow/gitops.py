"""Commit what the import wrote (``plans/``, and the sources it removed from ``nhap/``) and push it.

Only those two folders are staged, whatever else the job left in the work tree. The token reaches git
through ``GIT_CONFIG_*`` environment variables for the one ``git push``: it is never written to
``.git/config`` or to a remote URL, and git hooks are switched off for the commit and the push.
"""

from __future__ import annotations

import base64
import os
import subprocess
from pathlib import Path

from ..importer.limits import safe_name
from .nhap import NHAP, PLANS

BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898828+github-actions[bot]@users.noreply.github.com"
EXCLUDED = f":(exclude,glob){PLANS}/**/.*"  # not the importer's temporary ".x.md.tmp"
NO_HOOKS = ("-c", f"core.hooksPath={os.devnull}")


class GitFailure(Exception):
    """A git command failed; ``str(exc)`` is a Vietnamese message."""


def _git(root: Path, *args: str, env: dict[str, str] | None = None, check: bool = True) -> int:
    done = subprocess.run(["git", *NO_HOOKS, *args], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    if check and done.returncode != 0:
        # stderr of git names refs and paths, never the token (it is not on any command line)
        raise GitFailure(f"Lệnh git {args[0]} thất bại: {' '.join(done.stderr.split())[:500]}")
    return done.returncode


def valid_branch(root: Path, branch: str) -> bool:
    return bool(branch) and _git(root, "check-ref-format", "--branch", branch, check=False) == 0


def commit(root: Path) -> bool:
    """Stage ``plans/`` and ``nhap/`` and commit them; False (and no commit) when nothing changed."""
    folders = [name for name in (PLANS, NHAP) if (root / name).exists() or _tracked(root, name)]
    if not folders:  # git refuses a pathspec that matches nothing
        return False
    _git(root, "add", "--all", "--", *folders, EXCLUDED)
    if _git(root, "diff", "--cached", "--quiet", check=False) == 0:
        return False
    author = ("-c", f"user.name={BOT_NAME}", "-c", f"user.email={BOT_EMAIL}")
    _git(root, *author, "commit", "--quiet", "--no-verify", "--message", commit_message(_removed(root)))
    return True


def _tracked(root: Path, folder: str) -> bool:
    listed = subprocess.run(
        ["git", "ls-files", "--", folder], cwd=root, capture_output=True, text=True, timeout=60, check=True
    )
    return bool(listed.stdout)


def _removed(root: Path) -> list[str]:
    """The sources the import removed from ``nhap/`` (staged deletions), for the commit message."""
    listed = subprocess.run(
        ["git", *NO_HOOKS, "diff", "--cached", "--name-only", "-z", "--diff-filter=D", "--", NHAP],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [safe_name(name) for name in listed.stdout.split("\0") if name]


def token_env(token: str, server_url: str) -> dict[str, str]:
    """The environment in which ``git push`` sends ``token`` to ``server_url`` (as actions/checkout does)."""
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode("ascii")
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"http.{server_url.rstrip('/')}/.extraheader",
        "GIT_CONFIG_VALUE_0": f"AUTHORIZATION: basic {basic}",
    }


def push(root: Path, remote: str, branch: str, token: str = "", server_url: str = "https://github.com") -> None:
    """Push HEAD to ``branch``: a fast-forward only, so an editor's newer commit is never overwritten."""
    if not valid_branch(root, branch):
        raise GitFailure("Tên nhánh không hợp lệ.")
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0")
    if token:
        env.update(token_env(token, server_url))
    try:
        _git(root, "push", "--quiet", remote, f"HEAD:refs/heads/{branch}", env=env)
    except GitFailure as exc:
        raise GitFailure(
            f"Không đẩy được bản nháp lên nhánh (nhánh vừa có thay đổi mới?). Chạy lại lượt kiểm tra. {exc}"
        ) from None


def commit_message(sources: list[str]) -> str:
    names = ", ".join(sources[:5]) + (f" và {len(sources) - 5} tệp khác" if len(sources) > 5 else "")
    return f"Nhập bản nháp từ {names or NHAP + '/'}\n\nTạo tự động bởi quy trình nhập (python -m kehoach.prflow)."

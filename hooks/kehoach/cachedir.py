"""Where the build caches live, and whether that folder can be trusted.

Every cache (parsed plans and units, page sources, QR codes, compiled templates) is kept in one
folder: ``$KEHOACH_CACHE_DIR``, else ``$XDG_CACHE_HOME/kehoach``, else ``~/.cache/kehoach``. Builds
unpickle files and load marshalled template code from it, so it is used only when it is a real
directory (not a symbolic link) owned by this user, with no permission for group or others (it
is created with mode 0700), in a parent that no other user can rename it in. It is checked on
every use. When it fails the check, the build says why in Vietnamese and uses a private temporary
folder of its own instead (``mkdtemp``, removed at exit): nothing is loaded from a folder that
another user could have written.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

ENV = "KEHOACH_CACHE_DIR"
UNUSED_DAYS = 14
KEPT_VERSIONS = 3  # memos of this many code versions are kept (a branch switched back and forth)
TEMPLATES = "templates"  # compiled Jinja templates (for any site), beside the sites' folders
BODIES = "bodies"  # rendered plan bodies (for any site), by the salt of the code that renders them
_REFUSED = (
    "Cảnh báo: không dùng bộ nhớ đệm {folder} vì thư mục này {reason}. Bản dựng không đọc gì từ đó "
    "(chạy như lần đầu, bộ nhớ đệm để trong một thư mục tạm riêng). Nếu thư mục là của bạn, hãy xóa nó "
    "hoặc chạy `chmod 700 {folder}`; có thể chọn thư mục khác bằng biến {env}."
)
_reported: set[tuple[str, str]] = set()  # each refusal is printed once per process (serve rebuilds often)


def configured_root() -> Path:
    """The cache folder this user's builds use, whether or not it exists or can be trusted."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).absolute()
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative value is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base).absolute() / "kehoach"


def distrust(folder: Path) -> str | None:
    """Why ``folder`` must not hold caches (in Vietnamese), or None when it may."""
    try:
        info = os.lstat(folder)
    except OSError as error:
        return f"không đọc được ({error.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return "là liên kết tượng trưng, không phải thư mục thật"
    if not stat.S_ISDIR(info.st_mode):
        return "không phải thư mục"
    if info.st_uid != os.getuid():
        return f"thuộc người dùng khác (uid {info.st_uid}, không phải uid {os.getuid()} đang chạy bản dựng)"
    if info.st_mode & 0o077:
        return f"nhóm hoặc người khác có quyền truy cập (quyền {stat.S_IMODE(info.st_mode):04o}, cần 0700)"
    return _parent_distrust(folder)


def _parent_distrust(folder: Path) -> str | None:
    """Another user who may write in the parent could swap the folder for one of theirs."""
    try:
        info = os.stat(folder.parent)
    except OSError as error:
        return f"không đọc được thư mục cha ({error.strerror})"
    sticky = info.st_mode & stat.S_ISVTX  # as /tmp: others cannot rename what is not theirs
    if info.st_uid not in (0, os.getuid()) or (info.st_mode & 0o022 and not sticky):
        return f"thư mục cha {folder.parent} cho người khác ghi vào (quyền {stat.S_IMODE(info.st_mode):04o})"
    return None


def checked(folder: Path, create: bool = True) -> bool:
    """Whether ``folder`` may hold caches now (created with mode 0700 if missing); if not, say why once."""
    if create:
        try:
            os.makedirs(folder, mode=0o700, exist_ok=True)
        except OSError:
            pass  # the check below says what is wrong
    reason = distrust(folder)
    if reason is not None and (str(folder), reason) not in _reported:
        _reported.add((str(folder), reason))
        print(_REFUSED.format(folder=folder, reason=reason, env=ENV), file=sys.stderr)
    return reason is None


@cache
def _private_temporary() -> Path:
    """This process's own cache folder when the configured one fails the check (mkdtemp: 0700, new)."""
    folder = Path(tempfile.mkdtemp(prefix="kehoach-cache-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def cache_root() -> Path:
    """The checked cache folder, or this process's private temporary one when it cannot be trusted."""
    root = configured_root()
    return root if checked(root) else _private_temporary()


def site_folder(*key: str) -> Path:
    """A site's cache folder (by config, output folder and settings), created with mode 0700."""
    name = hashlib.blake2b("\0".join(key).encode("utf-8"), digest_size=8).hexdigest()
    return _checked_within(name)


def body_folder() -> Path:
    """Where rendered plan bodies are kept (kehoach/bodymemo.py), for every site and output folder."""
    return _checked_within(BODIES)


def template_folder() -> Path:
    """Where Jinja keeps compiled templates (marshalled code: only inside the checked folder)."""
    return _checked_within(TEMPLATES)


def _checked_within(name: str) -> Path:
    """A folder of the checked cache folder, itself checked (created with mode 0700)."""
    folder = cache_root() / name
    if checked(folder):
        return folder
    folder = _private_temporary() / name
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def prune_caches(root: Path | None = None, now: float | None = None) -> list[Path]:
    """Remove the cache folders unused for UNUSED_DAYS; return them. Only in a folder that passes the check.

    Each ``mkdocs serve`` session builds into a new temporary folder, so it leaves a cache folder of
    its own (parsed plans, page sources, QR codes: about 20 MB per 1,000 plans).
    """
    root = root or configured_root()
    if not root.is_dir() or not checked(root, create=False):
        return []
    cutoff = (now or time.time()) - UNUSED_DAYS * 86400
    removed = []
    for folder in root.iterdir():
        try:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                continue
            used = max([folder.stat().st_mtime] + [entry.stat().st_mtime for entry in folder.iterdir()])
        except OSError:  # removed meanwhile by another build
            continue
        if used < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def prune_versions(files: Iterable[Path], version: Callable[[Path], str], current: str) -> None:
    """One rule for every memo named by the salt of the code that made it (parsed plans, rendered bodies):
    the ``current`` version's files are kept, with those of the ``KEPT_VERSIONS - 1`` others used last
    (by file time: a body memo is touched when read, a plan memo only when written, as touching it would
    make the serve process read it again); the rest, made by code that is gone (an edit to
    hooks/, an upgrade), are removed."""
    found = list(files)
    used: dict[str, float] = {}
    for path in found:
        used[version(path)] = max(used.get(version(path), 0.0), _used(path))
    others = sorted((v for v in used if v != current), key=used.__getitem__, reverse=True)
    kept = {current, *others[: KEPT_VERSIONS - 1]}
    for path in found:
        if version(path) not in kept:
            path.unlink(missing_ok=True)


def _used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by another build
        return 0.0

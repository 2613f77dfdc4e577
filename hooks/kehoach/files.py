"""Read only regular files, never more than a limit, never following a link or blocking.

Every symbolic link is refused, even one to a regular file inside ``plans/``: a plan is a file of
its own in the repository. FIFOs (which would block a read), devices (``/dev/zero`` would fill
memory), sockets and directories named ``x.md`` are refused with a message. The file is
opened with O_NOFOLLOW and O_NONBLOCK, the open descriptor is checked again (the name may
have been swapped in between), and at most ``limit + 1`` bytes are read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_FILE_BYTES = 1_000_000  # a plan file; larger ones are refused unread
MAX_UNITS_BYTES = 16_000_000  # units.yml: every school and party cell of a country (20,000 plans: 2.8 MB)


class Refused(Exception):
    """The path is not a regular file that can be read; the message is in Vietnamese."""


class Missing(Refused):
    pass


_KINDS = (
    (stat.S_ISLNK, "là liên kết tượng trưng (symlink), không phải tệp thật; hãy thay bằng chính tệp đó"),
    (stat.S_ISDIR, "là một thư mục, không phải tệp; hãy đổi tên hoặc xóa thư mục này"),
    (stat.S_ISFIFO, "là một ống dẫn (FIFO), không phải tệp thường; hãy xóa nó"),
    (stat.S_ISCHR, "là một thiết bị, không phải tệp thường; hãy xóa nó"),
    (stat.S_ISBLK, "là một thiết bị, không phải tệp thường; hãy xóa nó"),
    (stat.S_ISSOCK, "là một socket, không phải tệp thường; hãy xóa nó"),
)
_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def kind_problem(mode: int) -> str | None:
    """Why a file of this mode (from lstat) is refused, or None for a regular file."""
    for test, message in _KINDS:
        if test(mode):
            return message
    return None if stat.S_ISREG(mode) else "không phải tệp thường; hãy xóa nó"


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; Refused (or Missing) otherwise."""
    try:
        before = os.lstat(path)
    except FileNotFoundError:
        raise Missing("không có tệp này") from None
    except OSError as exc:
        raise Refused(_os_message(exc)) from None
    problem = kind_problem(before.st_mode)
    if problem:
        if stat.S_ISLNK(before.st_mode) and not os.path.exists(path):
            problem = "là liên kết tượng trưng (symlink) trỏ tới tệp không có; hãy xóa liên kết này"
        raise Refused(problem)
    _check_size(before.st_size, limit)
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise Refused(_os_message(exc)) from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (before.st_dev, before.st_ino):
            raise Refused("tệp vừa bị thay bằng một thứ khác trong lúc đọc; hãy chạy lại")
        _check_size(opened.st_size, limit)
        data = _read_at_most(fd, limit + 1)
    finally:
        os.close(fd)
    _check_size(len(data), limit)
    return data


def _read_at_most(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left > 0:
        try:
            chunk = os.read(fd, min(left, 1 << 20))
        except BlockingIOError:
            raise Refused("tệp không đọc được ngay (có thể không phải tệp thường); hãy xóa nó") from None
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _check_size(size: int, limit: int) -> None:
    if size > limit:
        raise Refused(f"tệp quá lớn ({size:,} byte, tối đa {limit:,})")


def _os_message(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "không có quyền đọc tệp này"
    if exc.errno == errno.ELOOP:
        return "là liên kết tượng trưng (symlink), không phải tệp thật; hãy thay bằng chính tệp đó"
    name = errno.errorcode.get(exc.errno or 0, "không rõ")
    return f"không đọc được tệp (lỗi hệ thống {name})"

"""Refuse a .docx zip bomb before python-docx inflates anything (issue 13).

python-docx inflates and parses every part when it opens a package, so a 3 MB file that inflates to
3 GiB took 40 s and 6 GB of memory to refuse. Here, in order, each step bounded by the one before:

1. the end-of-central-directory record: the size of the directory zipfile is about to parse;
2. the directory (declared sizes): number of members, total uncompressed size, the size of each
   XML part, and the compression ratio of each large member;
3. the data itself, inflated in chunks with zlib and thrown away: a member that inflates to more
   than it declares, or to other bytes than its CRC says, is refused as soon as it passes its
   declared size; the tags ("<") of all members are counted, since lxml spends ~100 bytes on each
   element.

Word writes packages far inside these limits: a 1 MB plan is a document.xml of a few megabytes.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import ImportFailure
from .limits import safe_name

MAX_DOCX_BYTES = 20_000_000  # the .docx file itself (pictures included)
MAX_DIRECTORY = 1_000_000  # bytes of the zip's central directory
MAX_MEMBERS = 1_000  # files inside the package (Word writes 10 to 50, plus one per picture)
MAX_TOTAL = 50_000_000  # uncompressed bytes of all members, declared and inflated
MAX_PART = 20_000_000  # uncompressed bytes of one XML part (word/document.xml among them)
MAX_RATIO = 100  # uncompressed / compressed size of a member larger than RATIO_FROM
RATIO_FROM = 1_000_000
MAX_TAGS = 1_000_000  # "<" in all members: bounds the elements lxml builds
CHUNK = 1 << 16

_UNREADABLE = "Không đọc được tệp .docx “{name}”: tệp hỏng hoặc không phải định dạng Word .docx."
_BOMB = (
    "Tệp .docx “{name}” bị từ chối: {reason}. Tệp Word của một kế hoạch không như vậy; "
    "có thể tệp hỏng hoặc cố ý gây quá tải (bom nén). Hãy mở bằng Word, lưu lại rồi nhập lại."
)
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_LOCAL = b"PK\x03\x04"


def check_package(path: Path) -> None:
    """Raise ImportFailure unless the zip at ``path`` stays inside every limit above."""
    name = safe_name(path.name)
    try:
        with path.open("rb") as raw:
            _check_directory_size(raw, name)
            with zipfile.ZipFile(raw) as archive:
                infos = archive.infolist()
            _check_declared(infos, name)
            _check_inflated(raw, infos, name)
    except (zipfile.BadZipFile, zlib.error, struct.error, ValueError, EOFError):
        raise ImportFailure(_UNREADABLE.format(name=name)) from None


def _refuse(name: str, reason: str) -> ImportFailure:
    return ImportFailure(_BOMB.format(name=name, reason=reason))


def _check_directory_size(raw: BinaryIO, name: str) -> None:
    """Every end record in the last 64 KiB (zipfile uses one of them, ZIP64 included) must announce
    a central directory of at most MAX_DIRECTORY bytes."""
    size = raw.seek(0, 2)
    start = max(0, size - (1 << 16) - 22)
    raw.seek(start)
    tail = raw.read()
    found = tail.rfind(_EOCD)
    if found < 0:
        raise zipfile.BadZipFile("no end of central directory")
    while found >= 0:
        field = tail[found + 12 : found + 16]
        directory = struct.unpack("<I", field)[0] if len(field) == 4 else 0
        directory = max(directory, _zip64_directory(raw, start + found))
        if directory > MAX_DIRECTORY:
            raise _refuse(name, f"mục lục của tệp nén quá lớn ({directory:,} byte; tối đa {MAX_DIRECTORY:,})")
        found = tail.rfind(_EOCD, 0, found)


def _zip64_directory(raw: BinaryIO, end_record: int) -> int:
    """The directory size of the ZIP64 end record zipfile would read before ``end_record``, or 0."""
    if end_record < 20 + 56:
        return 0
    raw.seek(end_record - 20)
    if raw.read(4) != _EOCD64_LOCATOR:
        return 0
    raw.seek(end_record - 20 - 56)
    record = raw.read(56)
    return struct.unpack("<Q", record[40:48])[0] if record[:4] == b"PK\x06\x06" else 0


def _check_declared(infos: list[zipfile.ZipInfo], name: str) -> None:
    if len(infos) > MAX_MEMBERS:
        raise _refuse(name, f"có {len(infos):,} tệp con (tối đa {MAX_MEMBERS:,})")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL:
        raise _refuse(name, f"khi giải nén sẽ lớn {total:,} byte (tối đa {MAX_TOTAL:,})")
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels")) and info.file_size > MAX_PART:
            raise _refuse(name, f"phần “{safe_name(info.filename)}” lớn {info.file_size:,} byte (tối đa {MAX_PART:,})")
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise _refuse(name, f"phần “{safe_name(info.filename)}” nén {ratio:,} lần (tối đa {MAX_RATIO})")
        if info.flag_bits & 1:
            raise _refuse(name, "tệp có mật khẩu")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(name, "kiểu nén Word không dùng")


def _check_inflated(raw: BinaryIO, infos: list[zipfile.ZipInfo], name: str) -> None:
    """Inflate every member (not trusting the declared sizes) and count bytes and tags."""
    totals = [0, 0]  # bytes inflated, tags seen
    for info in infos:
        produced, crc = 0, 0
        for chunk in _inflate(raw, info):
            produced += len(chunk)
            totals[0] += len(chunk)
            totals[1] += chunk.count(b"<")
            if produced > info.file_size or totals[0] > MAX_TOTAL:
                raise _refuse(name, f"phần “{safe_name(info.filename)}” giải nén ra nhiều hơn kích thước khai báo")
            if totals[1] > MAX_TAGS:
                raise _refuse(name, f"có hơn {MAX_TAGS:,} thẻ XML")
            crc = zlib.crc32(chunk, crc)
        if produced != info.file_size or crc != info.CRC:
            raise zipfile.BadZipFile(f"bad size or CRC: {info.filename}")


def _inflate(raw: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes in chunks of at most CHUNK, read from the local header's data."""
    raw.seek(info.header_offset)
    header = raw.read(30)
    if len(header) < 30 or header[:4] != _LOCAL:
        raise zipfile.BadZipFile("bad local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    raw.seek(info.header_offset + 30 + name_length + extra_length)
    left = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    while left > 0:
        data = raw.read(min(CHUNK, left))
        if not data:
            raise EOFError
        left -= len(data)
        if inflater is None:
            yield data
            continue
        while data:
            yield inflater.decompress(data, CHUNK)
            data = inflater.unconsumed_tail
    while inflater is not None and (data := inflater.decompress(b"", CHUNK)):  # output still pending
        yield data

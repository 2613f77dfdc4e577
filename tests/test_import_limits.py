"""Issue 13: the importer refuses zip bombs, oversized and endless input in seconds, and nothing from
the source (file name, document text) can add a key to the draft's front matter.

The bombs are real .docx files built in tmp_path: document.xml is streamed through zipfile (300 MB
inflated from about 1 MB), or the zip is written by hand so that its header declares a small size
for data that inflates to 300 MB. The importer runs in a subprocess limited to 500 MB of address
space.
"""

from __future__ import annotations

import os
import resource
import shutil
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from kehoach.frontmatter import parse_file
from kehoach.importer import ImportFailure, import_file, limits
from kehoach.importer.docx_read import docx_blocks
from kehoach.importer.source import read_blocks
from kehoach.importer.yamlout import dump, front_matter
from kehoach.importer.zipguard import MAX_MEMBERS, MAX_TAGS
from kehoach.load import MAX_BYTES

SEED = ROOT / "tests" / "fixtures" / "import" / "kh-th-hien-thanh-2025-12-17.txt"
MEMORY = 500 * 1024 * 1024
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Target="word/document.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'.encode()
TAIL = b"</w:body></w:document>"
TINY = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>"
PLAN_LINES = ("Số: 12-KH/CB", "Hà Nội, ngày 5 tháng 1 năm 2026", "KẾ HOẠCH", "Thử giới hạn")


# ---------------------------------------------------------------- building .docx files


def para(text: str) -> bytes:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()


def docx(path: Path, body: bytes, extra: dict[str, bytes] | None = None) -> Path:
    """A minimal valid .docx whose body is ``body`` (WordprocessingML paragraphs and tables)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", HEAD + body + TAIL)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def streamed_bomb(path: Path, size: int) -> Path:
    """A valid .docx whose document.xml inflates to ``size`` bytes of tiny paragraphs, honestly declared."""
    block = TINY * (1 << 15)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w", force_zip64=size > 2**31 - 1) as member:
            member.write(HEAD)
            for _ in range(size // len(block)):
                member.write(block)
            member.write(TAIL)
    return path


def lying_bomb(path: Path, size: int, declared: int = 10_000) -> Path:
    """A .docx written by hand: document.xml inflates to ``size`` bytes, its headers say ``declared``."""
    deflate, block = zlib.compressobj(9, zlib.DEFLATED, -15), TINY * (1 << 15)
    count = size // len(block)
    # A full flush ends a deflate block on a byte boundary with no reference to earlier data: the block's
    # compressed bytes repeated ``count`` times inflate to the block repeated, and build 10x faster.
    head, packed = (deflate.compress(c) + deflate.flush(zlib.Z_FULL_FLUSH) for c in (HEAD, block))
    crc = zlib.crc32(HEAD)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    data = [head, packed * count, deflate.compress(TAIL) + deflate.flush()]
    members = [
        (n, zlib.compress(d)[2:-4], zlib.crc32(d), len(d))
        for n, d in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS))
    ]
    members.append(("word/document.xml", b"".join(data), zlib.crc32(TAIL, crc), declared))
    path.write_bytes(raw_zip(members))
    return path


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A deflated zip from (name, compressed data, CRC, declared uncompressed size), sizes as given."""
    local, directory = b"", b""
    for name, data, crc, declared in members:
        encoded = name.encode()
        fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0x21, crc, len(data), declared)
        directory += (
            b"PK\x01\x02"
            + struct.pack("<H", 20)
            + fields
            + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, len(local))
            + encoded
        )
        local += b"PK\x03\x04" + fields + struct.pack("<HH", len(encoded), 0) + encoded + data
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(local), 0)
    return local + directory + end


# ---------------------------------------------------------------- running the importer


@pytest.fixture
def plans(tmp_path) -> Path:
    target = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", target)
    return target


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_limited(source: Path, plans: Path) -> tuple[subprocess.CompletedProcess, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"))
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "kehoach.importer", str(source), "--plans-dir", str(plans)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
    )
    return result, time.monotonic() - start


def assert_refused(source: Path, plans: Path, *words: str) -> None:
    before = sorted(p.name for p in plans.iterdir())
    result, elapsed = run_limited(source, plans)
    assert result.returncode == 1, result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.startswith("Lỗi: "), result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    assert sorted(p.name for p in plans.iterdir()) == before  # nothing written, no temporary file left
    assert elapsed < 10, elapsed


def refused_in_process(path: Path, *words: str) -> None:
    with pytest.raises(ImportFailure) as caught:
        read_blocks(path)
    for word in words:
        assert word in str(caught.value), str(caught.value)


# ---------------------------------------------------------------- zip bombs


def test_streamed_bomb_is_refused_in_seconds(tmp_path, plans):
    bomb = streamed_bomb(tmp_path / "bom.docx", 300_000_000)
    assert bomb.stat().st_size < 2_000_000
    assert_refused(bomb, plans, "bom.docx", "bom nén", "tối đa 50,000,000")


def test_bomb_with_lying_sizes_is_refused_in_seconds(tmp_path, plans):
    bomb = lying_bomb(tmp_path / "noi-doi.docx", 300_000_000)
    info = zipfile.ZipFile(bomb).getinfo("word/document.xml")
    assert info.file_size == 10_000 and info.compress_size < 2_000_000  # the lie: looks like a small part
    assert_refused(bomb, plans, "noi-doi.docx", "nhiều hơn kích thước khai báo")


def test_the_lying_bomb_is_a_real_bomb(tmp_path):
    """Inflated without regard to the header, the hand-written member really gives 30 MB."""
    bomb = lying_bomb(tmp_path / "b.docx", 30_000_000)
    info = zipfile.ZipFile(bomb).getinfo("word/document.xml")
    with bomb.open("rb") as raw:
        raw.seek(info.header_offset + 30 + len(info.filename))
        inflated = zlib.decompressobj(-15).decompress(raw.read(info.compress_size))
    assert len(inflated) > 28_000_000 and inflated.startswith(HEAD)


def test_part_too_big_and_absurd_ratio(tmp_path):
    refused_in_process(streamed_bomb(tmp_path / "a.docx", 25_000_000), "word/document.xml", "tối đa 20,000,000")
    picture = docx(tmp_path / "b.docx", para("x"), {"word/media/image1.png": bytes(5_000_000)})
    refused_in_process(picture, "word/media/image1.png", "nén")


def test_too_many_members(tmp_path):
    extra = {f"customXml/item{i}.xml": b"<a/>" for i in range(MAX_MEMBERS)}
    refused_in_process(docx(tmp_path / "nhieu.docx", para("x"), extra), f"{MAX_MEMBERS + 3:,} tệp con")


def test_central_directory_too_big(tmp_path):
    raw = bytearray(docx(tmp_path / "a.docx", para("x")).read_bytes())
    end = raw.rfind(b"PK\x05\x06")
    raw[end + 12 : end + 16] = struct.pack("<I", 5_000_000)
    (tmp_path / "muc-luc.docx").write_bytes(bytes(raw))
    refused_in_process(tmp_path / "muc-luc.docx", "mục lục")


def test_too_many_tags(tmp_path):
    noise = os.urandom(4 * MAX_TAGS).hex().encode()  # text between the tags, so the ratio stays low
    body = b"".join(b"<w:p/>" + noise[i * 8 : i * 8 + 8] for i in range(MAX_TAGS + 1))
    refused_in_process(docx(tmp_path / "the.docx", body), "thẻ XML")


def test_corrupt_member_is_unreadable(tmp_path):
    good = docx(tmp_path / "a.docx", para("x"))
    info = zipfile.ZipFile(good).getinfo("word/document.xml")
    raw = bytearray(good.read_bytes())
    raw[info.header_offset + 14 : info.header_offset + 18] = b"\0\0\0\0"  # local CRC, ignored
    central = raw.rfind(b"PK\x01\x02")  # the last directory entry: document.xml
    raw[central + 16 : central + 20] = b"\1\2\3\4"  # its CRC no longer matches the data
    (tmp_path / "hong.docx").write_bytes(bytes(raw))
    refused_in_process(tmp_path / "hong.docx", "Không đọc được tệp .docx")


# ---------------------------------------------------------------- paragraphs, time, tables


def plan_docx(path: Path, body: bytes = b"") -> Path:
    return docx(path, b"".join(para(line) for line in PLAN_LINES) + body)


def test_too_many_paragraphs_in_docx(tmp_path):
    body = b"".join(para(f"Đoạn {i}.") for i in range(limits.MAX_PARAGRAPHS))
    refused_in_process(plan_docx(tmp_path / "dai.docx", body), "quá nhiều đoạn văn", "20,000")


def test_docx_reading_deadline(tmp_path, monkeypatch):
    path = plan_docx(tmp_path / "cham.docx")
    assert len(docx_blocks(path)) == len(PLAN_LINES)
    monkeypatch.setattr(limits, "READ_SECONDS", -1.0)
    refused_in_process(path, "cham.docx", "quá -1 giây")


def test_whole_import_deadline():
    start = time.monotonic()
    with pytest.raises(ImportFailure, match="quá 0.2 giây"):
        with limits.time_limit(0.2):
            while True:
                pass
    assert time.monotonic() - start < 2


def test_table_with_huge_span_and_merged_rows(tmp_path):
    """python-docx's row.cells repeats a cell per spanned column: a gridSpan of 2·10⁹ filled memory."""
    span = '<w:tc><w:tcPr><w:gridSpan w:val="2000000000"/><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>Gộp</w:t></w:r></w:p></w:tc>'
    below = '<w:tc><w:tcPr><w:gridSpan w:val="2000000000"/><w:vMerge/></w:tcPr><w:p/></w:tc>'
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    rows = [f"<w:tr>{span}{cell.format('Một')}</w:tr>"] + [f"<w:tr>{below}{cell.format(i)}</w:tr>" for i in range(500)]
    table = f"<w:tbl>{''.join(rows)}</w:tbl>".encode()
    start = time.monotonic()
    blocks = docx_blocks(plan_docx(tmp_path / "bang.docx", table))
    assert time.monotonic() - start < 5
    assert blocks[-1].rows[0] == ["Gộp", "Một"] and blocks[-1].rows[-1] == ["Gộp", "499"]  # merged text repeats


def test_text_in_docx_capped_at_the_plan_limit(tmp_path):
    body = b"".join(para(os.urandom(4_000).hex()) for _ in range(130))  # random: not a ratio bomb
    refused_in_process(plan_docx(tmp_path / "chu.docx", body), f"{MAX_BYTES:,} byte", "make check")


# ---------------------------------------------------------------- text sources


def test_text_limit_is_the_checkers(tmp_path, plans):
    assert limits.TEXT_BYTES == MAX_BYTES
    big = tmp_path / "lon.txt"
    big.write_bytes("\n\n".join(PLAN_LINES).encode() + b"\n\n" + b"a" * MAX_BYTES)
    start = time.monotonic()
    assert_refused(big, plans, "lon.txt", f"{MAX_BYTES:,} byte", "make check")
    assert time.monotonic() - start < 5
    help_text = subprocess.run(
        [sys.executable, "-m", "kehoach.importer", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT / "hooks")),
    )
    assert help_text.returncode == 0 and f"{MAX_BYTES:,} byte" in help_text.stdout
    assert f"{MAX_BYTES:,}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_text_with_too_many_lines(tmp_path):
    path = tmp_path / "dong.txt"
    path.write_text("\n\n".join(PLAN_LINES) + "\n\n" + "a\n" * limits.MAX_PARAGRAPHS, encoding="utf-8")
    refused_in_process(path, "quá nhiều đoạn văn")


def test_largest_hostile_text_is_refused_in_time(tmp_path, plans):
    """Just under the limits: 20,000 one-line targets (quadratic in several steps before) end in
    seconds, refused because the draft (targets repeated in the front matter) would exceed check's limit."""
    lines = "".join(f"- Chỉ tiêu {i} đến năm 2030 đạt {i % 100}%.\n\n" for i in range(limits.MAX_PARAGRAPHS - 20))
    path = tmp_path / "chi-tieu.txt"
    path.write_text("\n\n".join(PLAN_LINES) + "\n\nI. MỤC TIÊU ĐẾN NĂM 2030\n\n" + lines, encoding="utf-8")
    assert path.stat().st_size < MAX_BYTES
    assert_refused(path, plans, "Bản nháp sẽ lớn", f"{MAX_BYTES:,} byte")


# ---------------------------------------------------------------- nothing from the source becomes a key

HOSTILE_NAMES = [
    "a\nunit: ke-hoach-gia",
    "a\rstatus: ban-hanh",
    'dấu "ngoặc kép"',
    "dấu 'đơn'",
    "khóa: giá trị",
    "---",
    "a\n---\nnumber: 99",
    "dòng\u2028mới",
    "thoát\x1b[31mđỏ",
    "\u202eđảo\u200b",
    "x\x85y\x07z",
]


def front_of(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    head = text.split("\n---\n", 1)[0].removeprefix("---\n")
    return yaml.safe_load(head), head


@pytest.fixture(scope="module")
def seed_draft(tmp_path_factory) -> tuple[dict, list[str]]:
    """The seed's draft front matter and problem keys, imported once under its own name."""
    plans = tmp_path_factory.mktemp("seed") / "plans"
    shutil.copytree(ROOT / "plans", plans)
    reference = import_file(SEED, plans)
    return front_of(reference.path)[0], [p.key for p in reference.problems]


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_file_name_cannot_write_a_key(tmp_path, plans, seed_draft, name):
    expected, expected_problems = seed_draft
    source = tmp_path / "nguon" / f"{name}.txt"
    source.parent.mkdir()
    shutil.copy(SEED, source)
    result = import_file(source, plans)
    data, head = front_of(result.path)
    assert data == expected  # no new key, no changed value
    comment = head.split("\n")[0]
    assert comment.startswith("# Bản nháp nhập tự động từ “") and comment.isprintable()
    assert not any(c in head for c in "\r\x1b\x85\u2028\u202e\u200b\x00")
    parsed = parse_file(result.path.read_text(encoding="utf-8"))
    assert parsed.data == expected and not parsed.errors
    assert [p.key for p in result.problems] == expected_problems


def test_file_name_in_messages_is_one_printable_line(tmp_path, plans):
    source = tmp_path / "a\nb\x1b[2J\u2028c.txt"
    source.write_bytes(b"")
    with pytest.raises(ImportFailure) as caught:
        import_file(source, plans)
    assert str(caught.value).isprintable() and "a?b?[2J?c.txt" in str(caught.value)


HOSTILE_VALUES = [
    'a"\nunit: x',
    'a\\"b',
    "x\ny: 1",
    "---",
    "\n---\nnumber: 1",
    "k: v",
    "# c",
    "a\u2028b: c",
    "a\x85b",
    "\x1b[31m",
    "\u202e\u200b\ufeff",
    "\x7f\x9f",
    "😀\U000e0001",
    "'",
    "&a *b !c |d >e",
    "null",
]


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=range(len(HOSTILE_VALUES)))
def test_values_round_trip_on_one_line(value):
    data = {"title": value, "unit": value, "signer": {"name": value}, "targets": [{"text": value, "op": value}]}
    text = front_matter(data, f"từ “{value}”")
    lines = text.split("\n")
    assert len(lines) == 2 + len(dump(data)) + 2 and all(line.isprintable() for line in lines)
    assert yaml.safe_load(text.strip().strip("-")) == data
    assert parse_file(text + "\nThân.\n").data == data


def test_hostile_text_content_adds_no_key(tmp_path, plans):
    text = "\n\n".join(
        [
            'Số: 12-KH/CB"\nunit: gia',
            "Hà Nội\u2028status: x, ngày 5 tháng 1 năm 2026",
            "KẾ HOẠCH",
            'Về "thử"\u2028---\u2028number: 99 \x85 place: x \x1b[2J',
            "I. MỤC TIÊU ĐẾN NĂM 2030",
            '- 100% "giáo viên"\u2028unit: gia: được bồi dưỡng.',
            "TM. CHI BỘ\nBÍ THƯ",
            'Lê "Thị"\u2028Lan\x85id: x',
        ]
    )
    source = tmp_path / "doc-hai.txt"
    source.write_text(text, encoding="utf-8")
    result = import_file(source, plans)
    data, head = front_of(result.path)
    allowed = {
        "title",
        "type",
        "number",
        "number_note",
        "unit",
        "status",
        "place",
        "date",
        "date_note",
        "signer",
        "parents",
        "targets",
        "responsibilities",
        "period",
    }
    assert set(data) <= allowed and "unit" not in data and data["number"] == "12-KH/CB"
    assert all(line.isprintable() for line in head.split("\n"))
    assert parse_file(result.path.read_text(encoding="utf-8")).data == data
    assert '"thử" --- number: 99' in data["title"] and data["title"].endswith("\x1b[2J")

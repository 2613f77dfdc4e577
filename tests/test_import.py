"""`make import` (GitHub issue 6): drafts from .txt/.docx, scored against the curated plans.

Each seed text (tests/fixtures/import/<plan-id>.txt) is imported into a temporary copy of plans/ without
its curated plan; the draft's front matter is compared with the curated one field by field. The .docx
inputs are generated at test time from the same texts with python-docx (seed 002's responsibility
table as a real Word table) and must give the same front matter as the .txt import.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import struct
import subprocess
import sys
import unicodedata
import zlib
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from kehoach.frontmatter import parse_file
from kehoach.importer import import_file
from kehoach.importer.header import parse_dated, parse_number
from kehoach.importer.measure import measure
from kehoach.importer.outline import items
from kehoach.importer.render import render
from kehoach.importer.signer import Signature
from kehoach.importer.source import text_blocks
from kehoach.text import fold

SEEDS = FIXTURES / "import"
PLAN_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))
FIELDS = ("number", "date", "unit", "parents", "targets")

# Thresholds (precision and recall, over the five seeds).
# - number, date, unit are read from fixed places (the "Số" line, the "<place>, ngày ..." line, unit names
#   in plans/units.yml); an error is a real bug, so each must be >= 0.8 (with one to five values per
#   field, this allows no systematic error, only the odd seed).
# - parents: >= 0.8. The curated plans add parents an editor inferred without a number in the text
#   (seed 000's "Kế hoạch của Đảng ủy phường" → ke-hoach-dang-uy-phuong-duong-noi), which no rule can
#   find without inventing; everything cited by number must be found.
# - targets: matched one to one by (year, value) and text similarity >= TARGET_SIMILARITY. The curated
#   targets are edited: sentences split or merged, introductions cut ("Về chuyển đổi số và hội nhập:"),
#   a target read from the title ("Chi bộ bốn tốt năm 2026"), a goal kept from "mục tiêu chung", and
#   one split at a comma. The importer splits only at sentence ends and at ";" between measured parts,
#   and never reads targets from a title, so precision >= 0.8 and recall >= 0.75 are what general
#   rules should reach; lower means a rule broke.
THRESHOLDS = {
    "number": (0.8, 0.8),
    "date": (0.8, 0.8),
    "unit": (0.8, 0.8),
    "parents": (0.8, 0.8),
    "targets": (0.8, 0.75),
}
# Texts agree when difflib's ratio of their folded forms is >= 0.6: a cut introduction or a dropped
# trailing clause stays above it. Measured on the seeds: targets an editor kept but edited score 0.61-1.00;
# the closest two *different* targets of one year score 0.57 ("Xây dựng đội ngũ nhà giáo ..." and
# "Xây dựng đội ngũ cán bộ ..."), and the best-first one-to-one matching pairs each with its own first.
TARGET_SIMILARITY = 0.6


def curated(plan_id: str) -> dict:
    return parse_file((ROOT / "plans" / f"{plan_id}.md").read_text(encoding="utf-8")).data


def plans_without(tmp: Path, plan_id: str) -> Path:
    """A copy of plans/ without the plan made from this seed."""
    plans = tmp / "plans"
    shutil.copytree(ROOT / "plans", plans)
    (plans / f"{plan_id}.md").unlink()
    return plans


def front(path: Path) -> dict:
    parsed = parse_file(path.read_text(encoding="utf-8"))
    assert not parsed.errors, parsed.errors
    return parsed.data


@pytest.fixture(scope="module")
def drafts(tmp_path_factory) -> dict[str, tuple[dict, object]]:
    """plan id → (front matter of the .txt draft, import result)."""
    result = {}
    for plan_id in PLAN_IDS:
        plans = plans_without(tmp_path_factory.mktemp(plan_id), plan_id)
        imported = import_file(SEEDS / f"{plan_id}.txt", plans)
        result[plan_id] = (front(imported.path), imported)
    return result


# ---------------------------------------------------------------- scoring


def _norm_number(value) -> str | None:
    return "".join(str(value).split()).upper() if value else None


def _single(pairs: list[tuple[object, object]]) -> tuple[int, int, int]:
    """(true positives, predicted, expected) for a field with one value per plan."""
    tp = sum(1 for got, want in pairs if got is not None and got == want)
    return tp, sum(1 for got, _ in pairs if got is not None), sum(1 for _, want in pairs if want is not None)


def _parents(record: dict) -> set[tuple]:
    return {(p["id"], _norm_number(p.get("number")), p.get("date")) for p in record.get("parents") or ()}


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, " ".join(fold(a).split()), " ".join(fold(b).split())).ratio()


def matched_targets(got: list[dict], want: list[dict]) -> int:
    """One-to-one matches on (year, value) with similar text, best pairs first."""
    pairs = []
    for i, g in enumerate(got):
        for j, w in enumerate(want):
            if (g["year"], g.get("value")) == (w["year"], w.get("value")):
                score = similarity(g["text"], w["text"])
                if score >= TARGET_SIMILARITY:
                    pairs.append((score, i, j))
    used_got, used_want = set(), set()
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_got and j not in used_want:
            used_got.add(i)
            used_want.add(j)
    return len(used_got)


def scores(drafts: dict) -> dict[str, tuple[int, int, int]]:
    counts = {}
    for name in ("number", "date", "unit"):
        pairs = []
        for plan_id, (got, _) in drafts.items():
            want = curated(plan_id)
            convert = _norm_number if name == "number" else (lambda v: v)
            pairs.append((convert(got.get(name)), convert(want.get(name))))
        counts[name] = _single(pairs)
    tp = got_n = want_n = 0
    for plan_id, (got, _) in drafts.items():
        g, w = _parents(got), _parents(curated(plan_id))
        tp, got_n, want_n = tp + len(g & w), got_n + len(g), want_n + len(w)
    counts["parents"] = (tp, got_n, want_n)
    tp = got_n = want_n = 0
    for plan_id, (got, _) in drafts.items():
        g, w = got.get("targets") or [], curated(plan_id).get("targets") or []
        tp, got_n, want_n = tp + matched_targets(g, w), got_n + len(g), want_n + len(w)
    counts["targets"] = (tp, got_n, want_n)
    return counts


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def table(counts: dict[str, tuple[int, int, int]]) -> str:
    lines = [f"{'field':<10} {'precision':>10} {'recall':>8}   (matched / imported / curated)"]
    for name in FIELDS:
        tp, got, want = counts[name]
        lines.append(f"{name:<10} {ratio(tp, got):>10.2f} {ratio(tp, want):>8.2f}   ({tp} / {got} / {want})")
    return "\n".join(lines)


def agreement(drafts: dict) -> str:
    """Other keys, for information: seeds where the draft equals the curated value (title ignoring case)."""
    parts = []
    for key in ("title", "type", "status", "place", "signer", "number_note"):
        same = 0
        for plan_id, (got, _) in drafts.items():
            g, w = got.get(key), curated(plan_id).get(key)
            same += g == w or (key == "title" and str(g).lower() == str(w).lower())
        parts.append(f"{key} {same}/{len(drafts)}")
    return "same as curated (not thresholded): " + ", ".join(parts)


def test_seed_scores(drafts, capsys):
    counts = scores(drafts)
    with capsys.disabled():
        print("\nImport of the five seeds against the curated plans:\n" + table(counts) + "\n" + agreement(drafts))
    for name, (min_precision, min_recall) in THRESHOLDS.items():
        tp, got, want = counts[name]
        assert ratio(tp, got) >= min_precision, (
            f"{name}: precision {ratio(tp, got):.2f} < {min_precision}\n{table(counts)}"
        )
        assert ratio(tp, want) >= min_recall, f"{name}: recall {ratio(tp, want):.2f} < {min_recall}\n{table(counts)}"


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_draft_passes_the_checker(drafts, plan_id):
    """Every seed's unit is in units.yml, so its draft must pass `make check` as is."""
    _, result = drafts[plan_id]
    assert result.problems == []
    assert result.path.parent.name == "plans" and result.path.name.isascii()


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_never_invents(drafts, plan_id):
    """Keys are omitted, not guessed: a missing number or date is listed; the status is the curated one, decided
    from the text's own marks (a blank number or date: du-thao), never from a header the copy lacks (seed 004)."""
    got, result = drafts[plan_id]
    listed = " ".join(result.draft.missing)
    for key, words in (("number", "số văn bản"), ("date", "ngày ban hành"), ("place", "địa danh")):
        assert (key in got) != (words in listed), key
    assert got["status"] == curated(plan_id)["status"]
    said = " ".join(w for w in result.draft.warnings if w.startswith("tình trạng"))
    assert ("còn để trống" in said) == (got["status"] == "du-thao"), said
    if "number" not in got and "date" not in got and got["status"] == "ban-hanh":
        assert "không có dấu hiệu dự thảo" in said


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_draft_targets_have_short_unique_ids(drafts, plan_id):
    """Each target gets an id (issue 16): "t<year>-" and its first content words, unique within the draft."""
    got, _ = drafts[plan_id]
    ids = [t["id"] for t in got.get("targets") or ()]
    assert len(ids) == len(set(ids))
    for target in got.get("targets") or ():
        assert re.fullmatch(rf"t{target['year']}(-[a-z0-9]+)*", target["id"]) and len(target["id"]) <= 40
        assert list(target)[:2] == ["id", "year"]  # the id first, as the schema lists it


# ---------------------------------------------------------------- .docx


def _runs(paragraph, text: str) -> None:
    """Write ``text`` with ***x***, **x**, *x* and <i>x</i> as bold/italic runs, "\\n" as line breaks."""
    text = re.sub(r"</?i>", "*", text)
    for part in re.split(r"(\*{1,3}[^*]+?\*{1,3})", text, flags=re.S):
        marks = re.match(r"^(\*{1,3})([^*]+?)(\*{1,3})$", part, re.S)
        core = marks.group(2) if marks and marks.group(1) == marks.group(3) else part
        for index, line in enumerate(core.split("\n")):
            run = paragraph.add_run(line)
            if marks and core is not part:
                run.bold = len(marks.group(1)) >= 2
                run.italic = len(marks.group(1)) in (1, 3)
            if index < len(core.split("\n")) - 1:
                run.add_break()


def write_docx(text: str, path: Path) -> Path:
    """A .docx made from a seed text: one paragraph per block, tab-separated rows as one real table."""
    import docx

    document = docx.Document()
    table = None
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        rows = [line.split("\t") for line in block.split("\n") if "\t" in line]
        if rows:
            table = _table(document, table, rows)
            continue
        table = None
        _runs(document.add_paragraph(), block)
    document.save(path)
    return path


def _table(document, table, rows):
    if table is not None and [c.text for c in table.rows[0].cells] == rows[0]:
        rows = rows[1:]  # the header repeated on the next page
    if table is None:
        table = document.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            paragraphs = re.findall(r"<p>(.*?)</p>", value, re.S) or [value]
            cell.paragraphs[0].text = ""
            _runs(cell.paragraphs[0], paragraphs[0].strip())
            for extra in paragraphs[1:]:
                _runs(cell.add_paragraph(), extra.strip())
    return table


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_docx_gives_the_same_front_matter(drafts, plan_id, tmp_path):
    source = write_docx((SEEDS / f"{plan_id}.txt").read_text(encoding="utf-8"), tmp_path / f"{plan_id}.docx")
    result = import_file(source, plans_without(tmp_path, plan_id))
    assert front(result.path) == drafts[plan_id][0]


def test_docx_table_is_a_real_table(tmp_path):
    import docx

    plan_id = "kh-cb-mn-do-thi-viet-hung-2025-10-30"
    source = write_docx((SEEDS / f"{plan_id}.txt").read_text(encoding="utf-8"), tmp_path / "plan.docx")
    tables = docx.Document(str(source)).tables
    assert len(tables) == 1 and len(tables[0].rows) == 6  # header + five rows
    result = import_file(source, plans_without(tmp_path, plan_id))
    body = result.path.read_text(encoding="utf-8")
    assert "| Đơn vị/ Bộ phận | Nội dung phụ trách | Thời gian thực hiện |" in body
    assert [r["who"] for r in front(result.path)["responsibilities"]][:2] == ["Bí thư chi bộ", "Phó bí thư chi bộ"]


def test_docx_with_header_and_signature_tables(tmp_path, plans):
    """A Word layout: header and signature in borderless tables, bullets as list paragraphs."""
    import docx

    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI\nĐẢNG ỦY PHƯỜNG DƯƠNG NỘI"
    header.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    header.cell(1, 0).text = "Số: 15 - KH/ĐU"
    header.cell(1, 1).text = "Dương Nội, ngày 10 tháng 3 năm 2026"
    document.add_paragraph().add_run("KẾ HOẠCH").bold = True
    document.add_paragraph().add_run(
        "triển khai Chương trình hành động số 05-CTr/TU của Ban Thường vụ Thành ủy"
    ).bold = True
    document.add_paragraph(
        "Căn cứ Chương trình hành động số 05-CTr/TU ngày 12/01/2026 của Ban Thường vụ Thành ủy; "
        "Quyết định số 123/QĐ-UBND ngày 1/2/2026, Ban Thường vụ Đảng ủy phường ban hành Kế hoạch:"
    )
    document.add_paragraph("I. MỤC TIÊU")
    document.add_paragraph("1. Mục tiêu đến năm 2030")
    document.add_paragraph(
        "Tỷ lệ trường đạt chuẩn đạt ít nhất 80%; 100% phòng học được kiên cố hóa.", style="List Bullet"
    )
    signature = document.add_table(rows=1, cols=2)
    signature.cell(0, 0).text = "Nơi nhận:\n- Lưu VP."
    signature.cell(0, 1).text = "T/M ĐẢNG ỦY\nBÍ THƯ\nNguyễn Văn An"
    document.save(tmp_path / "word.docx")
    result = import_file(tmp_path / "word.docx", plans)
    data = front(result.path)
    assert result.path.name == "15-kh-du-dang-uy-phuong-duong-noi-2026-03-10.md"
    assert (data["number"], data["unit"], data["place"], data["date"].isoformat()) == (
        "15-KH/ĐU",
        "dang-uy-phuong-duong-noi",
        "Dương Nội",
        "2026-03-10",
    )
    assert data["title"] == "Kế hoạch triển khai Chương trình hành động số 05-CTr/TU của Ban Thường vụ Thành ủy"
    assert data["signer"] == {"name": "Nguyễn Văn An", "role": "Bí thư", "on_behalf": "T/M Đảng ủy"}
    stub = "123-qd-ubnd-2026-02-01"  # cited without its issuer: kept in parents, a stub written beside
    assert data["parents"] == [
        {"id": "05-ctr-tu-ha-noi", "number": "05-CTr/TU", "date": data["parents"][0]["date"]},
        {"id": stub, "number": "123/QĐ-UBND", "date": data["parents"][1]["date"]},
    ]
    assert data["parents"][1]["date"].isoformat() == "2026-02-01"
    assert [(t["value"], t.get("op")) for t in data["targets"]] == [(80, ">="), (100, None)]
    assert any("123/QĐ-UBND" in entry and "của" in entry for entry in result.draft.missing)
    assert result.stubs == [plans / f"{stub}.md"]
    # only what is listed: the stub's issuer, and so the draft's link to the stub until it is filled in
    assert sorted((p.path, p.key) for p in result.problems) == [
        (f"plans/{stub}.md", "unit"),
        ("plans/15-kh-du-dang-uy-phuong-duong-noi-2026-03-10.md", "parents[1].id"),
    ]


# ---------------------------------------------------------------- pieces


@pytest.mark.parametrize(
    ("line", "number", "issuer"),
    [
        ("Số: 09 -KH/CB", "09-KH/CB", "CB"),
        ("Số: 102 /KH-UBND", "102/KH-UBND", "UBND"),
        ("Số: *AA* -KH/CB", None, "CB"),
        ("Số - KH/ĐU Đông Đa, ngày tháng năm 2026", None, "ĐU"),
        ("Số: 10697/VP-VX", "10697/VP-VX", "VX"),
    ],
)
def test_number(line, number, issuer):
    found = parse_number([line])
    assert (found.number, found.issuer) == (number, issuer)
    assert found.note is None or found.note.startswith("Văn bản ghi")


@pytest.mark.parametrize(
    ("line", "place", "date"),
    [
        ("Nguyễn Đại năng, ngày 17 tháng 12 năm 2025", "Nguyễn Đại năng", "2025-12-17"),
        ("Việt Hưng, Ngày *30* tháng *10* năm 2025", "Việt Hưng", "2025-10-30"),
        ("Số - KH/ĐU Đông Đa, ngày tháng năm 2026", "Đông Đa", None),
        ("Hà Nội, ngày 31 tháng 2 năm 2026", "Hà Nội", None),
    ],
)
def test_place_and_date(line, place, date):
    found = parse_dated([line])
    assert found.place == place
    assert (found.date.isoformat() if found.date else None) == date
    assert (found.note is None) == (date is not None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100% giáo viên được bồi dưỡng", {"value": 100, "measure_unit": "%"}),
        ("Chỉ số hài lòng đạt từ 90% trở lên.", {"value": 90, "measure_unit": "%", "op": ">="}),
        ("Tỷ lệ trẻ phát triển toàn diện đạt trên 98%", {"value": 98, "measure_unit": "%", "op": ">"}),
        ("tỷ lệ trẻ suy dinh dưỡng dưới 2%.", {"value": 2, "measure_unit": "%", "op": "<"}),
        ("Kết nạp ít nhất 03 đảng viên mới", {"value": 3, "measure_unit": "đảng viên", "op": ">="}),
        ("Duy trì phổ cập giáo dục đạt mức độ 3.", {}),
    ],
)
def test_measure(text, expected):
    assert measure(text) == expected


def test_headings_follow_the_numbering():
    text = "PHẦN THỨ NHẤT\nĐẶT VẤN ĐỀ\n\nI. MỤC TIÊU\n\n1. Mục tiêu chung\n\n2.1. Đến năm 2030\n\na) Chỉ tiêu\n\n- Một ý\n\n(1) Ý thứ nhất"
    body = render(items(text_blocks(text)), Signature())
    assert body.split("\n\n") == [
        "## PHẦN THỨ NHẤT ĐẶT VẤN ĐỀ",
        "## I. MỤC TIÊU",
        "### 1. Mục tiêu chung",
        "#### 2.1. Đến năm 2030",
        "#### a) Chỉ tiêu",
        "- Một ý",
        "(1) Ý thứ nhất\n",
    ]


# ---------------------------------------------------------------- command line and bad input


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"))
    return subprocess.run(
        [sys.executable, "-m", "kehoach.importer", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def refused(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and result.stdout == ""
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.fixture
def plans(tmp_path) -> Path:
    target = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", target)
    return target


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    )


def test_empty_docx(tmp_path, plans):
    import docx

    docx.Document().save(tmp_path / "trong.docx")
    refused(run(tmp_path / "trong.docx", "--plans-dir", plans), "không có chữ")
    (tmp_path / "rong.docx").write_bytes(b"")
    refused(run(tmp_path / "rong.docx", "--plans-dir", plans), "trống")


def test_image_only_docx(tmp_path, plans):
    import docx

    (tmp_path / "anh.png").write_bytes(_png())
    document = docx.Document()
    document.add_picture(str(tmp_path / "anh.png"))
    document.save(tmp_path / "scan.docx")
    refused(run(tmp_path / "scan.docx", "--plans-dir", plans), "chỉ có hình ảnh", "OCR")


def test_broken_docx(tmp_path, plans):
    (tmp_path / "hong.docx").write_bytes(b"PK\x03\x04 not really a zip")
    refused(run(tmp_path / "hong.docx", "--plans-dir", plans), "Không đọc được tệp .docx")


def test_not_a_plan(tmp_path, plans):
    (tmp_path / "bai-bao.txt").write_text(
        "Hôm nay trời nắng đẹp.\n\nCả lớp đi tham quan bảo tàng lịch sử.\n", encoding="utf-8"
    )
    refused(run(tmp_path / "bai-bao.txt", "--plans-dir", plans), "không giống một văn bản kế hoạch")


def _cp1258(text: str) -> bytes:
    """Windows-1258 bytes: base letters with ê/ơ/ư/... precomposed, tone marks combining."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", char)
            tones = "".join(m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323")
            rest = "".join(m for m in marks if m not in tones)
            out += unicodedata.normalize("NFC", base + rest).encode("cp1258") + tones.encode("cp1258")
    return out


@pytest.mark.parametrize(
    "raw",
    [
        _cp1258("KẾ HOẠCH\n\nThực hiện Nghị quyết số 71-NQ/TW ngày 22/8/2025\n"),
        b"K\xd5 HO\xb9CH\n\nTh\xf9c hi\xd6n Ngh\xdf quy\xd5t s\xe8 71-NQ/TW\n",  # TCVN3 (ABC) bytes
        "KÕ ho¹ch\n\nThùc hiÖn NghÞ quyÕt sè 71-NQ/TW ngµy 22/8/2025 cña Bé ChÝnh trÞ\n".encode(),  # TCVN3 saved as UTF-8
    ],
    ids=["cp1258", "tcvn3", "tcvn3-as-utf8"],
)
def test_legacy_encoding(tmp_path, plans, raw):
    (tmp_path / "cu.txt").write_bytes(raw)
    refused(run(tmp_path / "cu.txt", "--plans-dir", plans), "UTF-8", "TCVN3")


def test_unsupported_and_missing(tmp_path, plans):
    (tmp_path / "ke-hoach.pdf").write_bytes(b"%PDF-1.4")
    refused(run(tmp_path / "ke-hoach.pdf", "--plans-dir", plans), ".docx hoặc .txt")
    refused(run(tmp_path / "khong-co.txt", "--plans-dir", plans), "Không tìm thấy tệp")
    refused(run("--plans-dir", plans), "Cách dùng")


def test_no_overwrite_without_force(tmp_path, plans):
    before = sorted(p.name for p in (ROOT / "plans").iterdir())
    source = SEEDS / "kh-th-hien-thanh-2025-12-17.txt"
    first = run(source, "--plans-dir", plans)
    assert first.returncode == 0, first.stderr
    written = Path(first.stdout.splitlines()[0].split(": ", 1)[1])
    assert written.parent == plans and written.name == "kh-truong-th-hien-thanh-2025-12-17.md"
    assert "Chưa xác định được" in first.stdout and "số văn bản" in first.stdout
    written.write_text(written.read_text(encoding="utf-8") + "\nSửa tay.\n", encoding="utf-8")
    refused(run(source, "--plans-dir", plans), "không ghi đè", "--force")
    assert written.read_text(encoding="utf-8").endswith("Sửa tay.\n")
    again = run(source, "--plans-dir", plans, "--force")
    assert again.returncode == 0 and not written.read_text(encoding="utf-8").endswith("Sửa tay.\n")
    # the same document (same number and unit) maps to its existing file: never a silent duplicate
    refused(run(SEEDS / "09-kh-cb-mn-tran-quoc-toan.txt", "--plans-dir", plans), "09-kh-cb-mn-tran-quoc-toan.md")
    assert sorted(p.name for p in (ROOT / "plans").iterdir()) == before


def test_unknown_unit_is_left_empty_and_listed(tmp_path, plans):
    text = (
        "Số: 12-KH/CB\n\nHoa Sen, ngày 5 tháng 1 năm 2026\n\nKẾ HOẠCH\n\nThực hiện Nghị quyết số 71-NQ/TW\n\n"
        "Thực hiện Nghị quyết số 71-NQ/TW ngày 22/8/2025, Chi bộ Trường Mầm non Hoa Sen xây dựng Kế hoạch như sau:\n\n"
        "I. MỤC TIÊU\n\n1. Mục tiêu đến năm 2030\n\n- 100% giáo viên được bồi dưỡng.\n\nTM. CHI BỘ\nBÍ THƯ\n\nLê Thị Lan\n"
    )
    (tmp_path / "hoa-sen.txt").write_text(text, encoding="utf-8")
    result = run(tmp_path / "hoa-sen.txt", "--plans-dir", plans)
    assert result.returncode == 0, result.stderr
    assert "đơn vị ban hành" in result.stdout and "Chi bộ Trường Mầm non Hoa Sen" in result.stdout
    written = plans / "12-kh-cb-2026-01-05.md"
    data = front(written)
    assert "unit" not in data and data["number"] == "12-KH/CB" and data["targets"][0]["value"] == 100
    assert data["signer"] == {"name": "Lê Thị Lan", "role": "Bí thư", "on_behalf": "TM. Chi bộ"}
    problems = import_problems(plans, written)
    assert [p.key for p in problems] == ["unit"]  # the checker complains only about what is listed


def import_problems(plans: Path, path: Path):
    from kehoach.importer.write import problems_of

    return problems_of(plans, [path])


def test_make_target():
    result = subprocess.run(["make", "-n", "import", "SRC=x.docx", "FORCE=1"], cwd=ROOT, capture_output=True, text=True)
    assert "-m kehoach.importer x.docx --force" in result.stdout

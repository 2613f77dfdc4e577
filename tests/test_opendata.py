"""Open data: data.json per document, van-ban.json, chi-tieu.csv and the published JSON Schema.

The files are made in process from the same records as the pages (kehoach/publish.py); the last tests
check that a real build publishes and links them.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import jsonschema
import pytest

from conftest import FIXTURES, ROOT, fixture_plans
from htmlcheck import links_from, page_file
from kehoach.dataschema import ADDED
from kehoach.model import Plan, Target
from kehoach.opendata import COLUMNS, COMPARISONS, DOCUMENTS_JSON, SCHEMA_JSON, TARGETS_CSV, cell, data_uri
from kehoach.pages import PlanPage, UnitPage, embed_url, plan_url, unit_url
from kehoach.publish import Publishing, open_files
from kehoach.reserved import reserved
from kehoach.schema import PLAN, TARGET, UNIT
from kehoach.site import build_site
from kehoach.text import TARGET_OPS

URL = "https://truong.example.vn/ke-hoach/"


def published(plans, root, url=URL):
    site = build_site(plans, root)
    assert site.ok, site.problems
    return site, dict(open_files(site.graph, site.pages.values(), site.history, url))


@pytest.fixture(scope="module")
def real():
    return published(ROOT / "plans", ROOT)


@pytest.fixture()
def hostile(tmp_path):
    return published(fixture_plans(tmp_path, FIXTURES / "opendata"), tmp_path)


@pytest.fixture()
def aligned(tmp_path):
    return published(fixture_plans(tmp_path, FIXTURES / "alignment"), tmp_path)


def validator(files, definition=None):
    schema = json.loads(files[SCHEMA_JSON])
    jsonschema.Draft202012Validator.check_schema(schema)
    if definition is not None:
        schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def rows(files):
    data = files[TARGETS_CSV]
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the file as UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("case", ["real", "hostile", "aligned"])
def test_every_file_is_valid_against_the_published_schema(case, request):
    site, files = request.getfixturevalue(case)
    errors = list(validator(files).iter_errors(json.loads(files[DOCUMENTS_JSON])))
    assert errors == [], [(e.json_path, e.message) for e in errors[:5]]
    one = validator(files, "van-ban")
    for plan_id in site.graph.plans:
        document = json.loads(files[data_uri(plan_id)])
        assert list(one.iter_errors(document)) == [], plan_id


def test_the_schema_refuses_what_the_data_never_holds(real):
    site, files = real
    one = validator(files, "van-ban")
    good = json.loads(files[data_uri("71-nq-tw")])
    assert one.is_valid(good)
    wrong = [
        {**good, "extra": 1},  # a key that no field declares
        {k: v for k, v in good.items() if k != "number"},  # every key is always present
        {**good, "title": None},  # required in plans: never null
        {**good, "date": "22/08/2025"},  # dates are ISO
        {**good, "type": "XX"},  # choices from the schema
        {**good, "targets": [{**good["targets"][0], "year": "2030"}]},
        {**good, "targets": [{**good["targets"][0], "ref": "71-nq-tw"}]},  # "<plan>#<target>"
    ]
    for document in wrong:
        assert not one.is_valid(document), document


def test_the_schema_describes_every_front_matter_field_with_its_meaning(real):
    _, files = real
    defs = json.loads(files[SCHEMA_JSON])["$defs"]
    plan, unit = defs["van-ban"]["properties"], defs["don-vi"]["properties"]
    assert [f.name for f in PLAN if f.name not in plan] == []
    assert all(plan[f.name]["description"] == f.meaning for f in PLAN)
    assert all(unit[f.name]["description"] == f.meaning for f in UNIT)
    target = plan["targets"]["items"]["properties"]
    assert {f.name for f in TARGET} | {key for key, _, _ in ADDED[Target]} == set(target)
    assert {key for key, _, _ in ADDED[Plan]} <= set(plan)
    assert json.loads(files[SCHEMA_JSON])["$id"] == URL + SCHEMA_JSON


def test_van_ban_json_holds_every_document_and_unit_with_stable_ids(real):
    site, files = real
    data = json.loads(files[DOCUMENTS_JSON])
    assert data["schema"] == URL + SCHEMA_JSON
    assert [d["id"] for d in data["documents"]] == list(site.graph.plans)
    assert [u["id"] for u in data["units"]] == list(site.graph.units)
    for document in data["documents"]:
        plan = site.graph.plans[document["id"]]
        assert document["url"] == f"{URL}van-ban/{plan.id}/"
        assert document["title"] == plan.title and document["unit"] == plan.unit
        assert [t["ref"] for t in document["targets"]] == [f"{plan.id}#{t.id}" for t in plan.targets]
        assert json.loads(files[data_uri(plan.id)]) == document


def test_unknown_values_are_null_never_guessed(real):
    site, files = real
    for document in json.loads(files[DOCUMENTS_JSON])["documents"]:
        plan = site.graph.plans[document["id"]]
        assert document["number"] == plan.number  # None when the document has no number
        assert document["date"] == (plan.date.isoformat() if plan.date else None)
    draft = next(p for p in site.graph.plans.values() if p.number is None)
    assert "null" in json.dumps(json.loads(files[data_uri(draft.id)])["number"])


def test_a_ward_and_a_city_come_from_the_unit_tree(aligned):
    site, files = aligned
    school = json.loads(files[data_uri("kh-truong-a")])
    ward = site.graph.units["phuong-a"]
    assert school["ward"] == {"id": ward.id, "name": ward.name} and school["city"] is None
    assert school["unit_name"] == site.graph.units["truong-a"].name


def test_csv_has_one_row_per_target_and_reads_back_in_vietnamese(real):
    site, files = real
    table = rows(files)
    assert list(table[0]) == [c.name for c in COLUMNS]
    targets = [(p, t) for p in site.graph.plans.values() for t in p.targets]
    assert len(table) == len(targets) > 20
    for row, (plan, target) in zip(table, targets, strict=True):
        assert (row["plan"], row["target"], row["year"]) == (plan.id, f"{plan.id}#{target.id}", str(target.year))
        assert row["text"] == target.text and row["unit_name"] == site.graph.unit_of(plan).name
        assert row["url"] == f"{URL}van-ban/{plan.id}/#{target.id}"
    assert any("Đống Đa" in row["ward"] for row in table)
    assert b"\r\n" in files[TARGETS_CSV]


def test_csv_numbers_and_comparisons(aligned):
    _, files = aligned
    by_ref = {row["target"]: row for row in rows(files)}
    row = by_ref["kh-phuong-a#t2030-bo-hoc"]
    assert (row["value"], row["measure_unit"], row["comparison"]) == ("1", "%", "dưới")
    assert by_ref["kh-phuong-a#t2030-loi"]["comparison"] == ""  # no value: nothing to compare with
    assert set(COMPARISONS) == set(TARGET_OPS)
    assert (cell(1.5), cell(90.0), cell(12), cell(None)) == ("1.5", "90", "12", "")


def test_serves_and_latest_result_come_from_the_records_and_reports(aligned):
    _, files = aligned
    by_ref = {row["target"]: row for row in rows(files)}
    assert by_ref["kh-truong-a#t2030-chuan"]["serves"] == "kh-phuong-a#t2030-chuan 71-nq-tw#t2030-truong-chuan"
    latest = by_ref["kh-phuong-a#t2030-chuan"]  # two reports: the later as_of wins
    assert latest["latest_result"] == "92% trường đạt chuẩn quốc gia"
    assert (latest["latest_result_value"], latest["latest_result_as_of"]) == ("92", "2026-12-31")
    assert (latest["latest_result_verdict"], latest["latest_result_report"]) == ("đạt", "bc-tong-ket-phuong-a-2026")
    later_report = by_ref["kh-phuong-a#t2035-chuan-muon"]  # the earlier as_of loses, whatever the report date
    assert later_report["latest_result_as_of"] == "2026-06-30" and later_report["latest_result_verdict"] == "đạt"
    assert by_ref["kh-phuong-a#t2030-loi"]["latest_result_verdict"] == ""  # no number, no met: no verdict
    assert by_ref["kh-truong-a#t2030-chuan"]["latest_result"] == ""  # no report on it
    document = json.loads(files[data_uri("kh-phuong-a")])
    assert document["reports"] == ["bc-so-ket-phuong-a-2026", "bc-tong-ket-phuong-a-2026"]
    result = document["targets"][1]["latest_result"]
    assert result == {
        "text": "92% trường đạt chuẩn quốc gia",
        "value": 92,
        "as_of": "2026-12-31",
        "met": None,
        "verdict": "đạt",
        "report": "bc-tong-ket-phuong-a-2026",
    }


def test_a_formula_in_a_plan_file_is_neutralised_in_the_csv(hostile):
    site, files = hostile
    table = rows(files)
    plan = site.graph.plans["cong-thuc"]
    row = next(r for r in table if r["target"] == "cong-thuc#t2030-cong-thuc")
    assert row["title"] == "'" + plan.title and plan.title.startswith("=HYPERLINK(")
    assert row["number"] == "'+1-KH/TX"
    assert row["text"] == "'" + plan.targets[0].text and "\n" in row["text"]  # quoted, newline kept
    assert row["measure_unit"] == "'=1+1"
    assert row["latest_result"] == "'=1+2 đạt một phần; , \\"
    assert row["unit_name"] == '\'@Trường "X" <b>; , \\ </b>'
    tab = next(r for r in table if r["target"] == "cong-thuc#t2027-tab")
    assert tab["text"] == "'\t=cmd|' /C calc'!A0"
    for r in table:  # no cell of any row starts a formula
        assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in r.values()), r


def test_hostile_values_round_trip_exactly_through_json(hostile):
    site, files = hostile
    plan = site.graph.plans["cong-thuc"]
    document = json.loads(files[data_uri("cong-thuc")])
    assert document["title"] == plan.title and document["summary"] == plan.summary
    assert document["targets"][0]["text"] == plan.targets[0].text
    assert document["unit_name"] == site.graph.units["truong-x"].name
    assert b"</script>" in files[data_uri("cong-thuc")]  # JSON keeps text as text: it is never HTML


def test_the_same_records_give_the_same_bytes(tmp_path):
    plans = fixture_plans(tmp_path, FIXTURES / "alignment")
    assert published(plans, tmp_path)[1] == published(plans, tmp_path)[1]


def test_a_shard_publishes_its_own_pages_files_only(aligned):
    site, _ = aligned
    plan_pages = [p for p in site.pages.values() if isinstance(p, PlanPage)][:2]
    files = dict(open_files(site.graph, plan_pages, site.history, URL))
    assert set(files) == {data_uri(p.plan.id) for p in plan_pages}  # no site-wide file, no unit feed
    unit_page = next(p for p in site.pages.values() if isinstance(p, UnitPage))
    files = dict(open_files(site.graph, [unit_page], site.history, URL))
    assert all(path.startswith(f"don-vi/{unit_page.unit.id}/") for path in files) and files


def test_shards_publish_disjoint_parts_of_the_whole_sites_files(real):
    _, whole = real
    parts = []
    for shard in ("ha-noi", "hai-phong", "hub"):
        site = build_site(ROOT / "plans", ROOT, shard=shard, shard_units=("ha-noi", "hai-phong"))
        parts.append(dict(open_files(site.graph, site.pages.values(), site.history, URL)))
    assert sum(len(p) for p in parts) == len(whole)
    assert {k: v for part in parts for k, v in part.items()} == whole
    assert DOCUMENTS_JSON in parts[2] and data_uri("09-kh-cb-mn-tran-quoc-toan") in parts[0]


@pytest.mark.parametrize("fork", [True, False])
def test_a_build_writes_the_files_from_a_forked_process_or_in_process(aligned, tmp_path, fork):
    site, files = aligned
    out = tmp_path / "site"
    sizes = Publishing(site.graph, site.pages.values(), site.history, URL, out, fork).wait()
    assert sizes == ({} if fork else {path: len(data) for path, data in files.items()})
    written = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert written == files


def test_each_file_is_made_once(real):
    site, files = real  # a unit has a unit page and an embed page (a UnitPage too): one feed, one calendar
    paths = [path for path, _ in open_files(site.graph, site.pages.values(), site.history, URL)]
    assert len(paths) == len(set(paths)) == len(files)
    assert len([p for p in paths if p.endswith("/cap-nhat.xml")]) == len(site.graph.units) + 1


def test_the_open_data_folder_is_a_reserved_name():
    assert reserved("du-lieu")


def test_a_build_publishes_and_links_the_open_data(built_site):
    for path in (DOCUMENTS_JSON, TARGETS_CSV, SCHEMA_JSON, "van-ban/71-nq-tw/data.json"):
        assert (built_site / path).stat().st_size > 100, path
    assert (built_site / TARGETS_CSV).read_bytes().startswith(b"\xef\xbb\xbf")
    assert "du-lieu/" in links_from(built_site, "")
    page = page_file(built_site, "du-lieu/").read_text(encoding="utf-8")
    assert "<h1>Dữ liệu mở</h1>" in page
    assert all(f"<code>{c.name}</code>" in page for c in COLUMNS)
    assert {"du-lieu/van-ban.json", "du-lieu/chi-tieu.csv", "du-lieu/schema.json"} <= links_from(built_site, "du-lieu/")


class _HeadLinks(HTMLParser):
    """The <link rel="alternate"> elements of a page: (type, href)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.alternates: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "alternate":
            self.alternates.append((attrs.get("type") or "", attrs.get("href") or ""))


def site_path(page: str, href: str) -> str:
    """The site-relative path a link on ``page`` leads to, as a browser resolves it."""
    return urlsplit(urljoin("http://site/" + page, href)).path.removeprefix("/")


def test_every_plan_page_links_its_own_data_file(built_site, real):
    site, _ = real
    assert site.graph.plans
    for plan_id in site.graph.plans:
        page = plan_url(plan_id)
        assert data_uri(plan_id) in links_from(built_site, page), page
        head = _HeadLinks()
        head.feed(page_file(built_site, page).read_text(encoding="utf-8"))
        hrefs = [href for kind, href in head.alternates if kind == "application/json"]
        assert [site_path(page, href) for href in hrefs] == [data_uri(plan_id)], page
        assert json.loads((built_site / data_uri(plan_id)).read_bytes())["id"] == plan_id
    html = page_file(built_site, plan_url("71-nq-tw")).read_text(encoding="utf-8")
    assert ">Dữ liệu của văn bản (JSON)</a>" in html


def test_the_sitemap_lists_plan_and_unit_pages_but_no_embed_page(built_site, real):
    site, _ = real
    xml = (built_site / "sitemap.xml").read_bytes()
    assert gzip.decompress((built_site / "sitemap.xml.gz").read_bytes()) == xml
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [loc.text or "" for loc in ET.fromstring(xml).iter(f"{namespace}loc")]
    paths = {urlsplit(loc).path.removeprefix("/") for loc in locs}
    assert len(paths) == len(locs)
    assert {plan_url(p) for p in site.graph.plans} <= paths
    assert {unit_url(u) for u in site.graph.units} <= paths
    assert not [path for path in paths if "/nhung/" in path]
    for unit_id in site.graph.units:  # the embed pages exist: the sitemap leaves them out
        assert page_file(built_site, embed_url(unit_id)).is_file()

"""The schema is the one description of a field: validation, the typed records and the reference page follow it.

The dataclasses of kehoach/model.py stay hand-written (types, defaults, properties); these tests are the guard
that they agree with kehoach/schema.py, so a key cannot be validated and then dropped by the loader.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from conftest import FIXTURES, fixture_plans
from kehoach import schema
from kehoach.model import Plan, Signer, Target, Unit
from kehoach.site import check

GROUPS = list(schema.record_groups())


def _ids(groups):
    return [record.__name__ for record, _ in groups]


def test_every_record_of_the_schema_is_described():
    names = {record.__name__ for record, _ in GROUPS}
    assert names == {"Plan", "Unit", "Signer", "Citation", "Target", "Result", "Responsibility", "Source"}
    assert all(f.record is not None for _, fields in GROUPS for f in fields if f.kind in ("record", "records"))


@pytest.mark.parametrize("record, fields", GROUPS, ids=_ids(GROUPS))
def test_schema_fields_and_record_attributes_are_the_same(record, fields):
    """A key of the schema is an attribute of its record, and every other attribute is one the loader gives."""
    attributes = {a.name for a in dataclasses.fields(record)}
    given = set(schema.GIVEN.get(record, ()))
    assert {f.name for f in fields} == attributes - given
    assert given <= attributes


@pytest.mark.parametrize("record, fields", GROUPS, ids=_ids(GROUPS))
def test_optional_fields_have_defaults_and_required_ones_none(record, fields):
    """``build`` leaves out an absent key: the record's default must stand for it, and only for optional keys."""
    defaults = {
        a.name: a.default is not dataclasses.MISSING or a.default_factory is not dataclasses.MISSING
        for a in dataclasses.fields(record)
    }
    for field in fields:
        assert defaults[field.name] is not field.required, f"{record.__name__}.{field.name}"
        if field.kind in ("records", "texts"):  # templates iterate them, absent or not
            assert getattr(record, field.name) == (), f"{record.__name__}.{field.name}"


def test_build_makes_nested_records_by_name():
    data = {
        "title": "T",
        "type": "KH",
        "unit": "truong-a",
        "status": "ban-hanh",
        "number": "",
        "signer": {"name": "A", "role": "Bí thư"},
        "topics": ["x", "y"],
        "reported": None,
        "targets": [{"id": "t1", "year": 2030, "text": "t", "value": 90, "measure_unit": "%", "op": None}],
    }
    plan = schema.build(Plan, schema.PLAN, data, id="p", path="plans/p.md", lines={"": 1})
    assert plan.signer == Signer("A", "Bí thư") and plan.topics == ("x", "y") and plan.number is None
    assert plan.targets == (Target(2030, "t", "t1", value=90, measure_unit="%"),) and plan.targets[0].measure == "90 %"
    assert plan.reported is False and plan.id == "p"


def test_build_takes_a_new_field_from_the_schema_alone():
    """What adding a field costs: the schema entry and the attribute, nothing in the loader."""

    @dataclasses.dataclass(frozen=True)
    class Record:
        year: int
        note: str | None = None

    fields = (schema.Field("year", "int", "Năm", "2030", required=True), schema.Field("note", "text", "Ghi chú", "x"))
    assert schema.build(Record, fields, {"year": 2030, "note": "n"}) == Record(2030, "n")
    assert schema.build(Record, fields, {"year": 2030}) == Record(2030)


def test_units_are_built_from_the_schema(tmp_path):
    graph, problems = check(fixture_plans(tmp_path), tmp_path)
    assert problems == []
    unit = graph.units["bo-chinh-tri"]
    assert unit == Unit(
        id="bo-chinh-tri", name="Bộ Chính trị", kind="co-quan", parent="trung-uong", party=True, line=unit.line
    )
    assert graph.units["trung-uong"].parent is None and graph.units["trung-uong"].note == ""


def test_the_old_key_of_a_measure_unit_names_the_new_one(tmp_path):
    plans = fixture_plans(tmp_path)
    (plans / "b.md").write_text(
        '---\ntitle: "B"\ntype: KH\nunit: truong-a\nstatus: ban-hanh\ntargets:\n'
        '  - year: 2030\n    text: "100% giáo viên"\n    value: 100\n    unit: "%"\n    id: t1\n---\n',
        encoding="utf-8",
    )
    graph, problems = check(plans, tmp_path)
    assert graph is None
    assert [str(p) for p in problems] == [
        "plans/b.md:10: targets[0].unit: khóa 'unit' đã đổi tên thành 'measure_unit': Đơn vị đo của giá trị"
        " (%, đảng viên ...), không phải đơn vị ban hành; hãy đổi tên khóa, giữ nguyên giá trị"
    ]


def test_a_plans_front_matter_reaches_its_record(tmp_path):
    graph, problems = check(fixture_plans(tmp_path), tmp_path)
    assert problems == []
    plan = graph.plans["ke-hoach-truong-a"]
    assert plan.date == dt.date(2025, 10, 30) and plan.parents[0].number == "71-NQ/TW"
    assert plan.digest and plan.path == "plans/ke-hoach-truong-a.md" and plan.body.strip()


def test_no_plan_keeps_the_old_key():
    """Every document was moved to ``measure_unit``; the old key is only a message now."""
    paths = [*FIXTURES.rglob("*.md"), *(FIXTURES.parent.parent / "plans").glob("*.md")]
    assert len(paths) > 50
    for path in paths:
        assert "\n    unit:" not in path.read_bytes().decode("utf-8", "replace"), path

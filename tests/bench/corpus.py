"""Realistic plan corpora for benchmarks and tests: ``python tests/bench/corpus.py N OUTDIR``.

A corpus is a real hierarchy. The upstream documents of ``plans/`` (71-NQ/TW,
281/NQ-CP, 05-CTr/TU, ...) are copied as they are; below them a city (Hà Nội)
gets wards (126 at N=1000, scaled with N up to 126, then more schools per ward),
each with a party committee plan (→ 05-CTr/TU → 71-NQ/TW) and a People's
Committee plan, and schools whose party cell plans cite the ward's party plan
and whose own plans cite the ward's People's Committee plan (some also their
cell's plan). Bodies, titles, topics and duties come from the five seed plans,
with the ward and school names changed; targets get fresh values for 2026–2045.
The city's People's Committee gets a plan (→ 05-CTr/TU → 71-NQ/TW) that the wards' People's
Committee plans cite. Targets carry ids and ``serves`` links up the chain (school → ward → city →
71-NQ/TW; cell → ward party committee), and about one document in ten is a report (type BC) on
a plan, with results for some of its targets (tests/bench/corpus_links.py).
The same (n, seed) always gives the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "hooks"))  # run as a script: python tests/bench/corpus.py N OUTDIR

from corpus_links import MEASURE_IDS, report, served, top_kinds, unique_id  # noqa: E402
from kehoach.load import load  # noqa: E402
from kehoach.model import Target, Unit  # noqa: E402
from kehoach.text import DOC_TYPES, slugify  # noqa: E402

SOURCE = ROOT / "plans"
CITY, TOP, PROGRAMME, PROPAGANDA = "ha-noi", "71-nq-tw", "05-ctr-tu-ha-noi", "29-kh-btgdvtu-ha-noi"
REPORTS_PER_PLAN = 0.1  # a report (type BC) for about one document in ten
WARDS_PER_1000 = 126  # Hà Nội's wards and communes since 2025
SEEDS = {  # which seed bodies each kind of plan rotates through
    "ward": ("kh-du-dong-da-trien-khai-05-ctr-tu", "kh-du-dong-da-tuyen-truyen-nq71"),
    "ubnd": ("kh-du-dong-da-tuyen-truyen-nq71", "kh-du-dong-da-trien-khai-05-ctr-tu"),
    "cell": ("09-kh-cb-mn-tran-quoc-toan", "kh-cb-mn-do-thi-viet-hung-2025-10-30"),
    "school": ("kh-th-hien-thanh-2025-12-17", "09-kh-cb-mn-tran-quoc-toan"),
}
# Names in the seed texts → field of the generated plan (or a fixed text); matched longest first.
RENAMES = {
    "Mầm non Đô Thị Việt Hưng": "school",
    "Mầm non Trần Quốc Toản": "school",
    "Tiểu học Hiến Thành": "school",
    "Đô Thị Việt Hưng": "school_name",
    "Trần Quốc Toản": "school_name",
    "Trần Quốc toàn": "school_name",
    "Hiến Thành": "school_name",
    "Việt Hưng": "ward",
    "Dương Nội": "ward",
    "Nguyễn Đại Năng": "ward",
    "Nguyễn Đại năng": "ward",
    "Đống Đa": "ward",
    "Đông Đa": "ward",
    "Đồng Đa": "ward",
    "01-CTr/ĐU": "ward_number",
    "102 /KH-UBND, ngày 26 tháng 11 năm 2025": "ubnd_cite",
    "Hải Phòng": "=Hà Nội",
    "02-CTr/TU ngày 20 tháng 10 năm 2025": "=05-CTr/TU ngày 12 tháng 01 năm 2026",
    "02-CTr/TU": "=05-CTr/TU",
}
_PLAIN = re.compile(r"[a-z][a-z0-9-]*|[0-9]+-[a-z][a-z0-9-]*|[A-Z][A-Za-z]*")
_RENAME = re.compile("|".join(re.escape(k) for k in sorted(RENAMES, key=len, reverse=True)))
REAL_WARDS = (
    "Ba Đình, Ngọc Hà, Giảng Võ, Hoàn Kiếm, Cửa Nam, Tây Hồ, Phú Thượng, Bồ Đề, Phúc Lợi, Long Biên, "
    "Cầu Giấy, Nghĩa Đô, Yên Hòa, Láng, Kim Liên, Bạch Mai, Vĩnh Tuy, Tương Mai, Định Công, Hoàng Liệt, "
    "Yên Sở, Khương Đình, Thanh Xuân, Đại Mỗ, Tây Mỗ, Xuân Phương, Phú Diễn, Đông Ngạc, Thượng Cát, "
    "Tây Tựu, Hà Đông, Yên Nghĩa"
).split(", ")
SYLLABLES = (
    "An Bình Cát Đông Hòa Hưng Kim Long Minh Nghĩa Phú Phúc Quang Tân Thanh Thạch Vân Xuân Ngọc Hồng",
    "Lâm Lộc Lợi Mỹ Nam Phong Sơn Thành Thịnh Thọ Tiến Trung Vinh Xá Liễu Đức Điền Khê Hải Uyên",
)
PEOPLE = (
    "Lê Quý Đôn, Nguyễn Trãi, Chu Văn An, Lý Thường Kiệt, Trưng Vương, Nguyễn Du, Lê Lợi, Quang Trung, "
    "Ngô Quyền, Đoàn Thị Điểm, Phan Chu Trinh, Kim Đồng, Võ Thị Sáu, Lê Văn Tám, Nguyễn Bỉnh Khiêm, "
    "Hoàng Hoa Thám, Trần Phú, Lê Ngọc Hân, Nguyễn Khuyến, Tô Vĩnh Diện, Đinh Tiên Hoàng, Bế Văn Đàn, "
    "Phan Đình Giót, Yết Kiêu"
).split(", ")
FLOWERS = (
    "Hoa Sen, Hoa Mai, Hoa Hồng, Sơn Ca, Họa Mi, Ánh Dương, Bình Minh, Tuổi Thơ, Hoa Ban, Hoa Sữa, Vành Khuyên, "
    "Búp Sen Hồng, Hoa Đào, Thỏ Ngọc, Sao Mai, Hướng Dương, Hoa Thủy Tiên, Bông Sen, Chim Non"
).split(", ")
LEVELS = (("Mầm non", "mn", 4), ("Tiểu học", "th", 4), ("THCS", "thcs", 3))
SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Ngô Dương Đinh".split()
MIDDLES = "Thị Văn Thu Minh Thanh Ngọc Đức Quang".split()
GIVEN = "Hương Lan Mai Hà Hùng Dũng Tuấn Huyền Linh Nga Hạnh Phương Thảo Sơn Nam Hải Yến Trang Hoa Mạnh".split()
# (text with {v}, unit, op, lowest, highest): targets with a stated value.
MEASURES = (
    ("{v}% giáo viên được bồi dưỡng kỹ năng chuyển đổi số và trí tuệ nhân tạo", "%", ">=", 80, 100),
    ("Tỷ lệ học sinh hoàn thành chương trình lớp học đạt {v}%", "%", ">=", 95, 100),
    ("Chỉ số hài lòng của phụ huynh đạt từ {v}% trở lên", "%", ">=", 85, 98),
    ("{v}% phòng học có kết nối internet ổn định và thiết bị dạy học số", "%", "=", 70, 100),
    ("Kết nạp ít nhất {v} đảng viên mới là giáo viên, nhân viên", "đảng viên", ">=", 1, 5),
    ("Xây dựng ít nhất {v} phòng học thông minh", "phòng học thông minh", ">=", 1, 4),
    ("{v}% trẻ em, học sinh được theo dõi sức khỏe định kỳ", "%", "=", 100, 100),
    ("Tỷ lệ trường đạt chuẩn quốc gia trên địa bàn đạt {v}%", "%", ">=", 60, 100),
    ("{v}% cán bộ quản lý ứng dụng trí tuệ nhân tạo trong quản lý, điều hành", "%", ">=", 50, 100),
)
YEARS = (2026, 2027, 2030, 2030, 2035, 2045)
START = dt.date(2026, 1, 13)  # the day after 05-CTr/TU


class _Corpus:
    def __init__(self, n: int, rng: random.Random, source: Path, wards: int | None) -> None:
        loaded = load(source)
        if loaded.problems:
            raise ValueError(f"{source}: the seed plans are not valid; run `python -m kehoach check`")
        self.rng, self.source = rng, source
        self.units = {u.id: u for u in loaded.units}
        plans = {p.id: p for p in loaded.plans}
        upper = {u.id for u in loaded.units if all(c.kind != "phuong" for c in self._chain(u.id))}
        keep = {p.id for p in loaded.plans if p.unit in upper}
        while cut := {pid for pid in keep if any(c.id not in keep for c in plans[pid].parents)}:
            keep -= cut  # an upstream document must not cite a ward-level one
        self.upstream = sorted(keep)
        self.unit_data: dict[str, dict[str, Any]] = {
            u.id: {"name": u.name, "kind": u.kind, "parent": u.parent, "party": u.party or None, "note": u.note or None}
            for u in loaded.units
            if u.id in upper
        }
        self.plans: dict[str, dict[str, Any]] = {
            pid: {
                "number": plans[pid].number,
                "date": plans[pid].date,
                "type": plans[pid].type,
                "parents": [c.id for c in plans[pid].parents],
                "upstream": True,
            }
            for pid in self.upstream
        }
        if TOP in self.plans:
            self.plans[TOP]["kinds"] = top_kinds(plans[TOP].targets)
        self.texts: dict[str, str] = {}
        self.seeds = {pid: plans[pid] for kind in SEEDS.values() for pid in kind}
        if n < len(self.upstream) + 3:
            raise ValueError(
                f"N must be at least {len(self.upstream) + 3} (the upstream documents, the city's plan and one ward)"
            )
        rest = n - len(self.upstream) - 1
        self.n_reports = int(rest * REPORTS_PER_PLAN)
        rest -= self.n_reports
        self.n_wards = max(1, min(wards or min(WARDS_PER_1000, round(n * WARDS_PER_1000 / 1000)), rest // 2))
        self.n_rest = rest - 2 * self.n_wards

    def _chain(self, unit_id: str | None) -> list[Unit]:
        chain = []
        while unit_id:
            chain.append(self.units[unit_id])
            unit_id = self.units[unit_id].parent
        return chain

    def _unit(self, uid: str, name: str, kind: str, parent: str, party: bool = False) -> str:
        base, k = uid, 1
        while uid in self.unit_data:
            k += 1
            uid = f"{base}-{k}"
        self.unit_data[uid] = {"name": name, "kind": kind, "parent": parent, "party": party or None}
        return uid

    def build(self) -> None:
        r = self.rng
        city_plan = self._city_plan()
        wards = self._ward_names()
        schools_left, ward_rows = self.n_rest, []
        for i, ward in enumerate(wards):
            ws = slugify(ward)
            phuong = self._unit(f"phuong-{ws}", f"Phường {ward}", "phuong", CITY)
            party = self._unit(f"dang-uy-phuong-{ws}", f"Đảng ủy phường {ward}", "co-quan", phuong, True)
            ubnd = self._unit(f"ubnd-phuong-{ws}", f"Ủy ban nhân dân phường {ward}", "co-quan", phuong)
            names = {"ward": ward}
            seed = SEEDS["ward"][i % 2]
            parents = [PROGRAMME, TOP] + ([PROPAGANDA] if "tuyen-truyen" in seed else [])
            ward_plan = self._plan(
                party,
                seed,
                f"{r.randint(10, 99)}-KH/ĐU",
                "kh-du",
                ws,
                parents,
                START + dt.timedelta(r.randint(3, 60)),
                names,
                "T/M Ban Thường vụ",
                "Phó Bí thư Thường trực",
            )
            names["ward_number"] = self.plans[ward_plan]["number"] or "(chưa có số)"
            ubnd_plan = self._plan(
                ubnd,
                SEEDS["ubnd"][i % 2],
                f"{r.randint(100, 999)}/KH-UBND",
                "kh-ubnd",
                ws,
                [TOP, PROGRAMME, city_plan, ward_plan],
                self._after(ward_plan, 3, 30),
                names,
                "TM. Ủy ban nhân dân",
                "Chủ tịch",
            )
            u = self.plans[ubnd_plan]
            names["ubnd_cite"] = (
                f"{u['number'] or '(chưa có số)'}, ngày {u['date'].day:02d} tháng {u['date'].month:02d} "
                f"năm {u['date'].year}"
                if u["date"]
                else (u["number"] or "(chưa có số)")
            )
            ward_rows.append(
                (
                    phuong,
                    ws,
                    names,
                    ward_plan,
                    ubnd_plan,
                    {"mn": r.sample(FLOWERS, len(FLOWERS)), "": r.sample(PEOPLE, len(PEOPLE))},
                )
            )
        k = 0
        while schools_left > 0:
            phuong, ws, ward_names, ward_plan, ubnd_plan, pool = ward_rows[k % len(ward_rows)]
            level, abbr, _ = r.choices(LEVELS, weights=[w for *_, w in LEVELS])[0]
            names_left = pool["mn" if abbr == "mn" else ""]  # kindergartens get flower names, schools people's
            name = names_left.pop() if names_left else f"{ward_names['ward']} {k}"
            names = dict(ward_names, school_name=name, school=f"{level} {name}")
            school = self._unit(slugify(f"truong {abbr} {name} {ws}"), f"Trường {level} {name}", "truong", phuong)
            cell = self._unit(
                "chi-bo-" + school.removeprefix("truong-"), f"Chi bộ Trường {level} {name}", "chi-bo", school, True
            )
            tail = school.removeprefix("truong-")
            extra = [TOP, PROGRAMME] if r.random() < 0.5 else []
            cell_plan = self._plan(
                cell,
                SEEDS["cell"][k % 2],
                f"{r.randint(1, 30):02d}-KH/CB",
                "kh-cb",
                tail,
                [ward_plan, *extra],
                self._after(ward_plan, 5, 60),
                names,
                "TM. Chi bộ",
                "Bí thư",
            )
            if schools_left > 1:
                parents = [TOP, ubnd_plan] + ([cell_plan] if k % 3 == 0 else [])
                self._plan(
                    school,
                    SEEDS["school"][k % 2],
                    f"{r.randint(1, 99)}/KH-{abbr.upper()}",
                    f"kh-{abbr}",
                    slugify(f"{name} {ws}"),
                    parents,
                    self._after(ubnd_plan, 3, 45),
                    names,
                    None,
                    "Hiệu trưởng",
                )
            schools_left -= 2
            k += 1
        self._reports()

    def _city_plan(self) -> str:
        """The People's Committee of the city implements 05-CTr/TU, with a target of every kind of measure."""
        ubnd = self._unit("ubnd-ha-noi", "Ủy ban nhân dân thành phố Hà Nội", "co-quan", CITY)
        return self._plan(
            ubnd,
            SEEDS["ward"][0],
            f"{self.rng.randint(10, 99)}/KH-UBND",
            "kh-ubnd",
            CITY,
            [PROGRAMME, TOP],
            START + dt.timedelta(2),
            {"ward": "Hà Nội"},
            "TM. Ủy ban nhân dân",
            "Chủ tịch",
            title="Kế hoạch thực hiện Chương trình hành động số 05-CTr/TU của Thành ủy Hà Nội về đột phá "
            "phát triển giáo dục và đào tạo",
            kinds=range(len(MEASURES)),
        )

    def _reports(self) -> None:
        """Reports on ``n_reports`` plans drawn from the generated ones, each in its plan's unit."""
        generated = [pid for pid in self.texts if self.plans[pid]["targets"]]
        for plan_id in self.rng.sample(generated, min(self.n_reports, len(generated))):
            meta = self.plans[plan_id]
            made = report(self.rng, plan_id, meta, self.unit_data[meta["unit"]]["name"])
            assert made is not None
            data, body = made
            report_id = f"bc-{plan_id}"
            self.plans[report_id] = {"number": None, "date": data["date"], "type": "BC", "parents": [plan_id]}
            self.texts[report_id] = "---\n" + "\n".join(_emit(data)) + "\n---\n\n" + body

    def _ward_names(self) -> list[str]:
        first, second = (s.split() for s in SYLLABLES)
        made = [f"{a} {b}" for a in first for b in second]
        self.rng.shuffle(made)
        names, seen = [], set()
        for name in [*REAL_WARDS, *made]:
            if slugify(name) not in seen:
                seen.add(slugify(name))
                names.append(name)
        return names[: self.n_wards]

    def _after(self, plan_id: str, low: int, high: int) -> dt.date:
        base = self.plans[plan_id]["date"] or START + dt.timedelta(90)
        return base + dt.timedelta(self.rng.randint(low, high))

    def _plan(
        self,
        unit: str,
        seed_id: str,
        number: str | None,
        prefix: str,
        tail: str,
        parents: list[str],
        date: dt.date | None,
        names: dict[str, str],
        on_behalf: str | None,
        role: str,
        title: str | None = None,
        kinds: Iterable[int] | None = None,
    ) -> str:
        r, seed = self.rng, self.seeds[seed_id]
        draft = r.random() < 0.12
        number = None if draft else number
        date = None if draft and r.random() < 0.5 else date
        plan_id = (
            f"{slugify(number)}-{tail}" if number else f"{prefix}-{tail}" + (f"-{date.isoformat()}" if date else "")
        )
        while plan_id in self.plans:
            plan_id += "-b"

        def sub(text: str) -> str:
            return _rename(text, names)

        cites = [{"id": pid, "number": self.plans[pid]["number"], "date": self.plans[pid]["date"]} for pid in parents]
        targets = [self._target(t, sub) for t in r.sample(seed.targets, min(len(seed.targets), r.randint(1, 4)))]
        taken = {t["id"] for t in targets}
        own: dict[int, str] = {}
        for m in kinds if kinds is not None else [r.randrange(len(MEASURES)) for _ in range(r.randint(1, 3))]:
            text, measure_unit, op, low, high = MEASURES[m]
            value = r.randint(low, high)
            year = 2030 if kinds is not None else r.choice(YEARS) if r.random() < 0.8 else r.randint(2026, 2045)
            target_id = unique_id(f"t{year}-{MEASURE_IDS[m]}", taken)
            own.setdefault(m, target_id)
            targets.append(
                {
                    "id": target_id,
                    "year": year,
                    "text": text.replace("{v}", str(value)),
                    "value": value,
                    "measure_unit": measure_unit,
                    "op": op,
                    "serves": served(m, parents, self.plans),
                }
            )
        unit_name = self.unit_data[unit]["name"]
        links = "; ".join(
            f"[{DOC_TYPES[self.plans[pid]['type']]} {self.plans[pid]['number'] or '(chưa có số)'}]({pid}.md)"
            for pid in parents
        )
        opening = f"Căn cứ {links}; {unit_name} ban hành kế hoạch này.\n"
        data = {
            "title": title or sub(seed.title),
            "type": "KH",
            "number": number,
            "number_note": "Văn bản ghi “Số: -KH”: số còn để trống." if draft else None,
            "unit": unit,
            "status": "du-thao" if draft else "ban-hanh",
            "place": names["ward"],
            "date": date,
            "date_note": None if date else "Văn bản ghi “ngày tháng năm 2026”: ngày, tháng còn để trống.",
            "signer": {
                "name": " ".join(r.choice(x) for x in (SURNAMES, MIDDLES, GIVEN)),
                "role": role,
                "on_behalf": on_behalf,
            },
            "parents": cites,
            "summary": sub(seed.summary or seed.title),
            "topics": list(seed.topics),
            "targets": targets,
            "responsibilities": [
                {"who": sub(x.who), "what": sub(x.what), "when": x.when and sub(x.when)} for x in seed.responsibilities
            ],
        }
        self.plans[plan_id] = {
            "number": number,
            "date": date,
            "type": "KH",
            "parents": parents,
            "unit": unit,
            "targets": targets,
            "kinds": own,
        }
        self.texts[plan_id] = "---\n" + "\n".join(_emit(data)) + "\n---\n\n" + opening + sub(seed.body)
        return plan_id

    @staticmethod
    def _target(t: Target, sub: Callable[[str], str]) -> dict[str, Any]:
        return {  # its serves links name the seed's documents: left out
            "id": t.id,
            "year": t.year,
            "text": sub(t.text),
            "value": t.value,
            "measure_unit": t.measure_unit,
            "op": None if t.op == "=" else t.op,
            "of": t.of,
            "period": t.period and sub(t.period),
        }


def _rename(text: str, names: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        field = RENAMES[match.group()]
        return field[1:] if field.startswith("=") else names.get(field, match.group())

    return _RENAME.sub(one, text)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, dt.date)):
        return value.isoformat() if isinstance(value, dt.date) else repr(value)
    if _PLAIN.fullmatch(value) and value.lower() not in ("true", "false", "null", "yes", "no", "on", "off", "y", "n"):
        return str(value)  # ids, kinds and types stay plain, as editors write them
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _emit(data: dict[str, Any], indent: str = "") -> list[str]:
    """Strict-dialect YAML: texts double-quoted (ids, kinds, types plain), so nothing can be retyped."""
    out = []
    for key, value in data.items():
        if value is None or value == [] or value == {}:
            continue
        if isinstance(value, dict):
            out += [f"{indent}{key}:", *_emit(value, indent + "  ")]
        elif isinstance(value, list) and isinstance(value[0], dict):
            out.append(f"{indent}{key}:")
            for item in value:
                lines = _emit(item, indent + "    ")
                out += [f"{indent}  - {lines[0].lstrip()}", *lines[1:]]
        elif isinstance(value, list):
            out.append(f"{indent}{key}: [{', '.join(_scalar(v) for v in value)}]")
        else:
            out.append(f"{indent}{key}: {_scalar(value)}")
    return out


def corpus(
    n: int, seed: int = 71, source: Path = SOURCE, wards: int | None = None
) -> tuple[dict[str, str], str, list[str]]:
    """(generated plan files by id, units.yml text, ids of the upstream plans to copy from ``source``)."""
    built = _Corpus(n, random.Random(seed), source, wards)
    built.build()
    units = "# Generated by tests/bench/corpus.py: upstream units of plans/ plus a city's wards, schools and cells.\n"
    units += "\n".join(line for uid, entry in built.unit_data.items() for line in _emit({uid: entry})) + "\n"
    return built.texts, units, built.upstream


def generate(n: int, outdir: Path, seed: int = 71, source: Path = SOURCE, wards: int | None = None) -> Path:
    """Write ``outdir/plans/*.md`` and ``units.yml``; return the plans folder."""
    texts, units, upstream = corpus(n, seed, source, wards)
    plans = Path(outdir) / "plans"
    if plans.exists() and any(plans.iterdir()):
        raise FileExistsError(f"{plans} is not empty")
    plans.mkdir(parents=True, exist_ok=True)
    for plan_id in upstream:
        shutil.copyfile(source / f"{plan_id}.md", plans / f"{plan_id}.md")
    for plan_id, text in texts.items():
        (plans / f"{plan_id}.md").write_text(text, encoding="utf-8")
    (plans / "units.yml").write_text(units, encoding="utf-8")
    return plans


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python tests/bench/corpus.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of plans")
    parser.add_argument("outdir", type=Path, help="the corpus goes to OUTDIR/plans")
    parser.add_argument("--seed", type=int, default=71)
    parser.add_argument(
        "--wards", type=int, default=None, help="number of wards (default: 126 per 1000 plans, at most 126)"
    )
    args = parser.parse_args(argv)
    try:
        plans = generate(args.n, args.outdir, args.seed, wards=args.wards)
    except (ValueError, FileExistsError) as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"{len(list(plans.glob('*.md')))} plans in {plans}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

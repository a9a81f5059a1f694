"""Catalog importers: the real Guangdong and Guang'an catalogs, the template, bad input, atomic writes."""

from __future__ import annotations

import csv
import functools
import json
import os
import re
import time
from pathlib import Path
from typing import Any

import pytest

from shouwen_core.catalog import CatalogError, load_catalog
from shouwen_core.catalog.importers import ImportReport, import_catalog, write_catalog
from shouwen_core.catalog.importers import write as write_module
from shouwen_core.catalog.importers.names import stable_id
from shouwen_core.catalog.importers.table_columns import COLUMNS
from shouwen_core.catalog.model import Catalog, Matter

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
GUANGDONG = SHARED / "catalogs" / "guangdong_2021" / "policy.jsonl"
GUANGAN = SHARED / "catalogs" / "sichuan_guangan_names" / "items.jsonl"
TEMPLATES = REPO / "catalog" / "templates"
EXAMPLE_CSV = TEMPLATES / "example-matters.csv"
EXAMPLE_XLSX = TEMPLATES / "example-matters.xlsx"
SCHEMA = REPO / "docs" / "catalog.schema.json"

_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9]*[\s/>]|&[a-z]+;|&#\d+;")


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"../shared/data absent: {path} not found")
    return path


@pytest.fixture(scope="module")
def guangdong() -> tuple[Catalog, ImportReport, float]:
    path = _need(GUANGDONG)
    start = time.perf_counter()
    catalog, report = import_catalog("gdzwfw", path)
    return catalog, report, time.perf_counter() - start


@pytest.fixture(scope="module")
def guangdong_raw() -> list[dict[str, Any]]:
    with _need(GUANGDONG).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module")
def guangan() -> tuple[Catalog, ImportReport]:
    return import_catalog("names", _need(GUANGAN))


# ---------------------------------------------------------------- Guangdong export


def test_guangdong_imports_every_matter_under_its_task_code(guangdong, guangdong_raw) -> None:
    catalog, report, _ = guangdong
    assert report.rows_read == len(guangdong_raw) == 2262
    assert report.matters_written == len(catalog.matters) == 2262
    assert report.skipped == []
    assert [m.id for m in catalog.matters] == [r["TASK_CODE"] for r in guangdong_raw]


def test_guangdong_import_is_fast(guangdong) -> None:
    _, report, seconds = guangdong
    print(f"\nGuangdong import: {seconds:.2f} s for {report.matters_written} matters")
    assert seconds < 10
    assert 0 < report.seconds <= seconds


def test_guangdong_text_has_no_placeholders_or_html(guangdong) -> None:
    catalog, _, _ = guangdong
    for m in catalog.matters:
        texts = [m.name, m.department, m.conditions, *m.aliases, *(x.name for x in m.materials)]
        for text in filter(None, texts):
            assert text.strip() not in ("无", "null", "")
            assert "<" not in text and ">" not in text, (m.id, text)
            assert not _HTML.search(text), (m.id, text)


def test_guangdong_materials_parsed_where_the_export_has_them(guangdong, guangdong_raw) -> None:
    catalog, _, _ = guangdong
    listed = {r["TASK_CODE"] for r in guangdong_raw if isinstance(r["material_intro"], list) and r["material_intro"]}
    with_materials = {m.id for m in catalog.matters if m.materials}
    assert with_materials == listed
    assert len(listed) > 800
    # No material is lost or split: the raw lists here are one material per string.
    raw_names = {r["TASK_CODE"]: r["material_intro"] for r in guangdong_raw if r["TASK_CODE"] in listed}
    for m in catalog.matters:
        if m.id in raw_names:
            assert len(m.materials) == len({s.strip() for s in raw_names[m.id]})


def test_guangdong_time_limits_parsed(guangdong, guangdong_raw) -> None:
    catalog, _, _ = guangdong
    for m, r in zip(catalog.matters, guangdong_raw, strict=True):
        assert (m.time_limit.legal_days is None) == (r["handle_time"] == "无")
        assert (m.time_limit.promised_days is None) == (r["handle_time_limit"] == "无")
        if "自然日" in r["handle_time"]:
            assert "自然日" in m.time_limit.note
    with_limit = sum(
        1 for m in catalog.matters if m.time_limit.promised_days is not None or m.time_limit.legal_days is not None
    )
    assert with_limit / len(catalog.matters) > 0.7
    assert catalog.matter("11440000006939756B2440101007000").time_limit.legal_days == 30  # type: ignore[union-attr]


def test_guangdong_fields_mapped(guangdong, guangdong_raw) -> None:
    catalog, report, _ = guangdong
    first = catalog.matters[0]
    assert first.name == "临时价格干预范围事项提价申报"
    assert first.department == "广东省发展和改革委员会"
    assert first.type == "行政许可" and first.level == "省级"
    assert first.where.location == "广州市越秀区东风中路305号5号楼808房"
    assert first.phones.consult == "020-34121084"
    assert first.url == first.where.online_url == guangdong_raw[0]["URL"]
    assert first.themes == []  # only "其他"
    assert first.service_objects == ["自然人", "法人", "其他组织"]
    assert all(not m.fee.known for m in catalog.matters)
    assert any("fee" in w for w in report.warnings)
    assert {m.where.online for m in catalog.matters} <= {"全程网办", "网上申请窗口领取", "网上预约", "不可网办"}
    assert report.mapped_fields["id"] == report.mapped_fields["name"] == 2262
    assert report.mapped_fields["materials"] == sum(1 for m in catalog.matters if m.materials)
    assert "_id" in report.unmapped_fields and "TASK_NAME" not in report.unmapped_fields
    summary = report.summary()
    assert "2262" in summary and "where.location" in summary
    print("\n" + summary)


# ---------------------------------------------------------------- Guang'an name list


def test_guangan_names_import(guangan) -> None:
    catalog, report = guangan
    assert report.rows_read == 1135
    # Two pairs share name and department under different item codes: the later of each is skipped.
    assert report.matters_written == len(catalog.matters) == 1135 - len(report.skipped)
    assert all("line" in w for w in report.warnings[: len(report.skipped)])
    ids = [m.id for m in catalog.matters]
    assert len(set(ids)) == len(ids)
    assert catalog.matters[0].id == "511Z07001006-511602000000-000-11511301008778183N-1-00"
    assert all("未分类" not in m.themes for m in catalog.matters)
    assert any(m.themes for m in catalog.matters)


# ---------------------------------------------------------------- round trip and schema


@functools.cache
def _imported(kind: str, path: Path) -> Catalog:
    # Cached: the tests below only read the catalog, and the real ones take a second each.
    return import_catalog(kind, path)[0]


def _import(kind: str) -> Catalog:
    path = {"gdzwfw": GUANGDONG, "names": GUANGAN, "table": EXAMPLE_CSV}[kind]
    return _imported(kind, _need(path))


@pytest.mark.parametrize("kind", ["gdzwfw", "names", "table"])
def test_round_trip_write_then_load_gives_the_same_matters(kind: str, tmp_path: Path) -> None:
    catalog = _import(kind)
    out = tmp_path / "catalog.json"
    write_catalog(catalog, out)
    assert os.listdir(tmp_path) == ["catalog.json"]
    loaded = load_catalog(out)
    assert loaded.matters == catalog.matters
    assert json.loads(out.read_text(encoding="utf-8"))["source"] == catalog.source


@pytest.mark.parametrize("kind", ["gdzwfw", "names", "table"])
def test_imported_values_fit_the_schema(kind: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    catalog = _import(kind)
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    errors = [
        e
        for e in validator.iter_errors(json.loads(json.dumps(catalog.to_dict(), ensure_ascii=False)))
        # Matter.to_dict drops empty fee/where/phones/materials that the schema lists as
        # required; that is a model/schema question, not an importer one.
        if not (e.validator == "required" and list(e.path)[:1] == ["matters"] and len(e.path) == 2)
    ]
    assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors[:5]]


# ---------------------------------------------------------------- the template


def _csv_to_xlsx(src: Path, out: Path) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    with src.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            sheet.append(row)
    book.save(out)
    return out


def test_example_csv_imports() -> None:
    catalog, report = import_catalog("table", EXAMPLE_CSV)
    assert report.rows_read == report.matters_written == 5
    assert report.warnings == [] and report.skipped == []
    card = catalog.matter("LJ-EX-001")
    assert card is not None
    assert card.materials[0].name == "居民身份证" and card.materials[0].form == "原件"
    assert card.where.halls[0].hall == "H01" and card.where.citywide is True and card.where.visits == 1
    assert card.process[0] == "网上预约或现场取号"
    assert card.fee.free is False and "20元" in card.fee.description
    assert catalog.matter("LJ-EX-003").fee.free is True  # type: ignore[union-attr]  # 收费 "无"
    food = catalog.matter("LJ-EX-004")
    assert food is not None and food.service_objects == ["法人", "其他组织"]
    assert [m.tolerance for m in food.materials] == [False, False, False, False, True]


def test_xlsx_made_from_the_example_csv_imports_the_same(tmp_path: Path) -> None:
    xlsx = _csv_to_xlsx(EXAMPLE_CSV, tmp_path / "example.xlsx")
    from_csv, _ = import_catalog("table", EXAMPLE_CSV)
    from_xlsx, report = import_catalog("table", xlsx)
    assert report.matters_written == 5
    assert from_xlsx.matters == from_csv.matters


def test_committed_example_xlsx_matches_the_csv() -> None:
    pytest.importorskip("openpyxl")
    assert EXAMPLE_XLSX.stat().st_size < 20_000
    assert import_catalog("table", EXAMPLE_XLSX)[0].matters == import_catalog("table", EXAMPLE_CSV)[0].matters


def test_empty_template_has_every_known_column_and_no_rows() -> None:
    template = TEMPLATES / "matters-template.csv"
    with template.open(encoding="utf-8-sig", newline="") as fh:
        assert next(csv.reader(fh)) == [c.header for c in COLUMNS]
    catalog, report = import_catalog("table", template)
    assert catalog.matters == [] and report.rows_read == 0


def test_xlsx_numbers_and_blank_rows(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["事项编码*", "事项名称", "实施部门", "跑动次数", "法定时限", "收费"])
    sheet.append([1001, "出生登记", "临江市公安局", 0, 20, "无"])
    sheet.append([None, None, None, None, None, None])
    sheet.append([1002, "户口迁移", "临江市公安局", 1.0, "即办", None])
    book.save(tmp_path / "m.xlsx")
    catalog, _report = import_catalog("table", tmp_path / "m.xlsx")
    assert [m.id for m in catalog.matters] == ["1001", "1002"]
    assert catalog.matters[0].where.visits == 0 and catalog.matters[0].time_limit.legal_days == 20
    assert catalog.matters[0].fee.free is True and not catalog.matters[1].fee.known
    assert catalog.matters[1].where.visits == 1 and catalog.matters[1].time_limit.legal_days == 0


# ---------------------------------------------------------------- bad input


def _gd(code: str | None = "C1", name: str = "出生登记", **extra: Any) -> str:
    record: dict[str, Any] = {"_id": {"$oid": code or "x"}, "TASK_NAME": name, "DEPT_NAME": "某市公安局", **extra}
    if code is not None:
        record["TASK_CODE"] = code
    return json.dumps(record, ensure_ascii=False)


def _write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _error(kind: str, path: Path) -> CatalogError:
    with pytest.raises(CatalogError) as info:
        import_catalog(kind, path)
    return info.value


def test_gbk_jsonl_names_the_line_and_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "gd.jsonl"
    path.write_bytes((_gd("C1") + "\n").encode() + (_gd("C2", "户口迁移") + "\n").encode("gbk"))
    err = _error("gdzwfw", path)
    assert err.line == 2 and "GBK/GB18030" in str(err) and str(path) in str(err)


def test_non_text_bytes_are_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gd.jsonl"
    path.write_bytes(b'{"TASK_CODE": "\xff\xfe\xff"}\n')
    err = _error("gdzwfw", path)
    assert err.line == 1 and "not UTF-8" in str(err)


def test_broken_json_line_is_named(tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "gd.jsonl", [_gd("C1"), _gd("C2"), '{"TASK_CODE": "C3", "TASK_NAME": '])
    err = _error("gdzwfw", path)
    assert err.line == 3 and "line 3" in str(err) and "broken JSON" in str(err)


@pytest.mark.parametrize(
    ("line", "missing"),
    [
        (_gd(None), "TASK_CODE"),
        (_gd("C2", name=""), "TASK_NAME or matter_name"),
        (_gd("C2", DEPT_NAME="无"), "DEPT_NAME"),
        ("[1, 2]", "not a JSON object"),
    ],
)
def test_missing_required_field_is_named(tmp_path: Path, line: str, missing: str) -> None:
    path = _write_lines(tmp_path / "gd.jsonl", [_gd("C1"), line])
    err = _error("gdzwfw", path)
    assert err.line == 2 and missing in str(err)


def test_duplicate_task_code_with_different_content_names_both_lines(tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "gd.jsonl", [_gd("C1"), _gd("C2"), _gd("C1", "户口迁移")])
    err = _error("gdzwfw", path)
    assert err.line == 3 and "'C1'" in str(err) and "lines 1 and 3" in str(err)


def test_identical_repeated_record_is_skipped_with_a_warning(tmp_path: Path) -> None:
    repeat = json.loads(_gd("C1"))
    repeat["_id"] = {"$oid": "another"}
    path = _write_lines(tmp_path / "gd.jsonl", [_gd("C1"), _gd("C2"), json.dumps(repeat, ensure_ascii=False)])
    catalog, report = import_catalog("gdzwfw", path)
    assert [m.id for m in catalog.matters] == ["C1", "C2"]
    assert report.skipped == [(3, "repeat of line 1 (same TASK_CODE C1)")]
    assert any("line 3" in w for w in report.warnings)


def test_gdzwfw_html_materials_and_messy_values(tmp_path: Path) -> None:
    line = _gd(
        "C1",
        material_intro="<p>1.居民身份证（原件1份）</p><p>2.户口簿&nbsp;</p>",
        accept_standard="null",
        handle_location="办理地点：无",
        handle_time="即办",
        handle_time_limit="3个月",
        matter_short="无",
        matter_daily="上户口，报户口",
        theme_category=["其他", "户籍办理"],
        consult_phone="无",
        visit_number="若干",
    )
    catalog, report = import_catalog("gdzwfw", _write_lines(tmp_path / "gd.jsonl", [line]))
    m = catalog.matters[0]
    assert [(x.name, x.form, x.copies) for x in m.materials] == [("居民身份证", "原件", 1), ("户口簿", "", None)]
    assert m.conditions == "" and m.where.location == "" and m.phones.consult == ""
    assert (m.time_limit.legal_days, m.time_limit.promised_days) == (0, None)
    assert m.time_limit.note == "承诺时限：3个月"
    assert m.aliases == ["上户口", "报户口"] and m.themes == ["户籍办理"]
    assert m.where.visits is None and any("visit_number" in w and "若干" in w for w in report.warnings)
    assert any("3个月" in w for w in report.warnings)


def test_names_stable_id_and_duplicates(tmp_path: Path) -> None:
    a = json.dumps(
        {"name": "出生登记", "department": "区公安分局", "main_item": "未分类", "link": ""}, ensure_ascii=False
    )
    b = json.dumps({"name": "户口迁移", "department": "区公安分局", "main_item": "户籍办理"}, ensure_ascii=False)
    catalog, report = import_catalog("names", _write_lines(tmp_path / "n.jsonl", [a, b, a]))
    assert [m.id for m in catalog.matters] == [stable_id("区公安分局", "出生登记"), stable_id("区公安分局", "户口迁移")]
    assert re.fullmatch(r"NM-[0-9a-f]{10}", catalog.matters[0].id)
    assert catalog.matters[0].themes == [] and catalog.matters[1].themes == ["户籍办理"]
    assert report.skipped == [(3, f"repeat of line 1 (same id {catalog.matters[0].id})")]


def test_names_same_id_different_content_is_an_error(tmp_path: Path) -> None:
    link = "http://x.example/detail?itemCode=ABC-1&taskType=1"
    a = json.dumps({"name": "出生登记", "department": "区公安分局", "link": link}, ensure_ascii=False)
    b = json.dumps({"name": "死亡登记", "department": "区公安分局", "link": link}, ensure_ascii=False)
    err = _error("names", _write_lines(tmp_path / "n.jsonl", [a, b]))
    assert err.line == 2 and "'ABC-1'" in str(err) and "lines 1 and 2" in str(err)


def _csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


HEAD = ["事项编码", "事项名称", "实施部门"]


def test_unknown_csv_column_is_named_with_the_known_ones(tmp_path: Path) -> None:
    path = _csv(tmp_path / "m.csv", [[*HEAD, "办理时间"], ["A1", "出生登记", "公安局", "x"]])
    err = _error("table", path)
    assert err.line == 1 and "'办理时间'" in str(err) and "known columns" in str(err) and "承诺时限" in str(err)


def test_gbk_csv_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = _csv(tmp_path / "m.csv", [HEAD, ["A1", "出生登记", "公安局"]], encoding="gbk")
    err = _error("table", path)
    assert "GBK/GB18030" in str(err) and "UTF-8" in str(err)


def test_utf8_bom_csv_is_accepted(tmp_path: Path) -> None:
    path = _csv(tmp_path / "m.csv", [HEAD, ["A1", "出生登记", "公安局"]], encoding="utf-8-sig")
    assert [m.id for m in import_catalog("table", path)[0].matters] == ["A1"]


@pytest.mark.parametrize(
    ("rows", "line", "fragment"),
    [
        ([["事项编码", "事项名称"], ["A1", "x"]], 1, "required columns missing: 实施部门"),
        ([[*HEAD, "事项名称"], ["A1", "x", "y", "z"]], 1, "appears twice"),
        ([[*HEAD], ["A1", "", "公安局"]], 2, "事项名称 is empty"),
        ([[*HEAD, "全城通办"], ["A1", "x", "y", "是"], ["A2", "x", "y", "看情况"]], 3, "row 3, column 全城通办"),
        ([[*HEAD, "网办方式"], ["A1", "x", "y", "网上办"]], 2, "全程网办"),
        ([[*HEAD, "服务对象"], ["A1", "x", "y", "外星人"]], 2, "外星人"),
        ([[*HEAD, "跑动次数"], ["A1", "x", "y", "几次"]], 2, "column 跑动次数"),
        ([HEAD, ["A1", "x", "y", "多余"]], 2, "no header"),
        ([HEAD, ["A1", "x", "y"], ["A2", "x", "y"], ["A1", "z", "y"]], 4, "rows 2 and 4"),
        ([["事项编码;事项名称;实施部门"], ["A1;x;y"]], 1, "separated by commas"),
    ],
)
def test_bad_table_rows_name_row_and_column(tmp_path: Path, rows: list[list[str]], line: int, fragment: str) -> None:
    err = _error("table", _csv(tmp_path / "m.csv", rows))
    assert err.line == line and fragment in str(err), str(err)
    assert re.search(rf"\brows? (\d+ and )?{line}\b", str(err)), str(err)


def test_identical_table_row_is_skipped(tmp_path: Path) -> None:
    rows = [HEAD, ["A1", "x", "y"], ["", "", ""], ["A1", "x", "y"]]
    catalog, report = import_catalog("table", _csv(tmp_path / "m.csv", rows))
    assert len(catalog.matters) == 1 and report.skipped == [(4, "repeat of row 2 (same 事项编码 A1)")]


@pytest.mark.parametrize(
    ("kind", "name", "content", "fragment"),
    [
        ("table", "m.txt", b"a,b", ".csv and .xlsx"),
        ("table", "m.xlsx", b"not a zip", "not a readable .xlsx"),
        ("table", "m.csv", b"", "empty file"),
        ("nope", "m.csv", b"", "unknown importer"),
    ],
)
def test_unreadable_files(tmp_path: Path, kind: str, name: str, content: bytes, fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert fragment in str(_error(kind, path))


def test_missing_file(tmp_path: Path) -> None:
    assert "file not found" in str(_error("gdzwfw", tmp_path / "absent.jsonl"))


# ---------------------------------------------------------------- atomic write


def test_failing_import_leaves_existing_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "catalog.json"
    out.write_text('{"old": true}', encoding="utf-8")
    bad = _write_lines(tmp_path / "gd.jsonl", [_gd("C1"), "{broken"])
    with pytest.raises(CatalogError):
        catalog, _ = import_catalog("gdzwfw", bad)
        write_catalog(catalog, out)
    assert out.read_text(encoding="utf-8") == '{"old": true}'
    assert sorted(os.listdir(tmp_path)) == ["catalog.json", "gd.jsonl"]


def test_failing_write_leaves_old_output_and_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "catalog.json"
    out.write_text('{"old": true}', encoding="utf-8")

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write_module.os, "replace", refuse)
    with pytest.raises(CatalogError, match="No space left"):
        write_catalog(Catalog(matters=[Matter(id="A", name="x", department="y")]), out)
    assert out.read_text(encoding="utf-8") == '{"old": true}'
    assert os.listdir(tmp_path) == ["catalog.json"]


def test_unserialisable_catalog_fails_before_touching_the_disk(tmp_path: Path) -> None:
    out = tmp_path / "catalog.json"
    out.write_text("old", encoding="utf-8")
    broken = Matter(id="A", name="x", department="y", notes=object())  # type: ignore[arg-type]
    with pytest.raises(CatalogError, match="cannot be written as JSON"):
        write_catalog(Catalog(matters=[broken]), out)
    assert out.read_text(encoding="utf-8") == "old" and os.listdir(tmp_path) == ["catalog.json"]


def test_write_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "catalog.json"
    write_catalog(Catalog(matters=[]), out)
    assert out.stat().st_mode & 0o777 == 0o644
    out.chmod(0o640)
    write_catalog(Catalog(matters=[Matter(id="A", name="x", department="y")]), out)
    assert out.stat().st_mode & 0o777 == 0o640
    assert json.loads(out.read_text(encoding="utf-8"))["matters"][0]["id"] == "A"


# ---------------------------------------------------------------- department directory


def test_gdzwfw_import_builds_a_directory_of_departments(tmp_path: Path) -> None:
    lines = [
        _gd("C1", "出生登记", consult_phone="020-1111111", handle_location="办理地点：东风路1号"),
        _gd("C2", "户口迁移", consult_phone="020-1111111；020-2222222", handle_location="办理地点：东风路1号"),
        _gd("C3", "身份证换领", consult_phone="无", complain_phone="020-3333333", handle_location="无线下办理窗口"),
        json.dumps(
            {"TASK_CODE": "C4", "TASK_NAME": "食品经营许可", "DEPT_NAME": "某市市场监督管理局", "complain_phone": "无"},
            ensure_ascii=False,
        ),
    ]
    catalog, report = import_catalog("gdzwfw", _write_lines(tmp_path / "gd.jsonl", lines))
    police = catalog.department_by_name("某市公安局")
    market = catalog.department_by_name("某市市场监督管理局")
    assert police is not None and market is not None
    assert police.id.startswith("D-") and police.id != market.id
    assert police.phone == "020-1111111" and police.address == "东风路1号"
    assert police.handles == ["出生登记", "户口迁移", "身份证换领"]
    assert market.phone == "" and market.address == ""
    assert {m.department_id for m in catalog.matters[:3]} == {police.id}
    assert catalog.matter("C4").department_id == market.id  # type: ignore[union-attr]
    assert (report.departments, report.departments_with_phone, report.departments_with_address) == (2, 1, 1)
    assert "部门 departments:          2（有电话 with a phone 1" in report.summary()
    national = {d.phone: d for d in catalog.departments if d.id.startswith("N-")}
    assert {"110", "95598", "12315", "12305"} <= set(national) and national["95598"].kind == "public_service"
    assert report.national_numbers == len(national)


def test_directory_falls_back_to_the_complaint_phone_and_keeps_a_given_id(tmp_path: Path) -> None:
    line = _gd("C1", "出生登记", consult_phone="无", complain_phone="12345")
    catalog, _ = import_catalog("gdzwfw", _write_lines(tmp_path / "gd.jsonl", [line]))
    assert catalog.departments[0].phone == "12345"
    # The department's own 12345 entry stands; the nationwide 12345 entry is not added twice.
    assert [d.phone for d in catalog.departments].count("12345") == 1
    catalog, _ = import_catalog("table", EXAMPLE_CSV)
    ids = {m.department_id for m in catalog.matters}
    assert "D-GA" in ids and {d.id for d in catalog.departments if not d.id.startswith("N-")} == ids


def test_directory_ids_are_stable_across_imports(tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "gd.jsonl", [_gd("C1"), _gd("C2", "户口迁移")])
    first, _ = import_catalog("gdzwfw", path)
    second, _ = import_catalog("gdzwfw", path)
    assert [d.id for d in first.departments] == [d.id for d in second.departments]


def test_guangdong_directory_has_phones_for_most_departments(guangdong) -> None:
    catalog, report, _ = guangdong
    assert report.departments == len({m.department for m in catalog.matters})
    assert len(catalog.departments) == report.departments + report.national_numbers
    assert report.departments_with_phone >= 0.8 * report.departments
    assert all(catalog.department(m.department_id) is not None for m in catalog.matters)

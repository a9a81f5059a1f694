"""Cleaning helpers of the importers: HTML, placeholders, numbering, day counts, materials."""

from __future__ import annotations

import pytest

from shouwen_core.catalog.importers.clean import (
    clean_name,
    clean_text,
    cn_number,
    is_empty,
    parse_bool,
    parse_count,
    parse_days,
    service_objects,
    split_list,
    strip_numbering,
)
from shouwen_core.catalog.importers.materials import parse_material, split_materials
from shouwen_core.catalog.model import Material


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("无", ""),
        (" 无。 ", ""),
        ("null", ""),
        ("NULL", ""),
        ("暂无", ""),
        ("/", ""),
        (20, "20"),
        (20.0, "20"),
        ("无条件受理", "无条件受理"),
        ("  广东省邮政管理局 ", "广东省邮政管理局"),
        ("a\u3000\u3000 b", "a b"),
        ("<p>第一条</p><p>第二条</p>", "第一条\n第二条"),
        ("申请人<br/>须年满18周岁", "申请人\n须年满18周岁"),
        ("<span style='x'>身份证</span>&nbsp;原件", "身份证 原件"),
        ("A&amp;B", "A&B"),
        ("AT&T", "AT&T"),
        ("<!-- comment -->正文", "正文"),
        # <…> around Chinese is the nested title mark, not HTML: it must survive.
        ("《关于印发<管理办法>的通知》", "《关于印发〈管理办法〉的通知》"),
        ("年龄<60岁", "年龄<60岁"),
        ("第一行\r\n无\r\n第三行", "第一行\n第三行"),
    ],
)
def test_clean_text(raw: object, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("专职 律师 执业", "专职律师执业"),
        ("同期资料报告(（企业）)", "同期资料报告（企业）"),
        ("珍贵树木采伐\u3000", "珍贵树木采伐"),
        ("交管12123 app", "交管12123 app"),
        ("第一行\n第二行", "第一行第二行"),
    ],
)
def test_clean_name(raw: str, expected: str) -> None:
    assert clean_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "empty"), [("无", True), ("  ", True), ("none", True), ("无需材料", False), (0, False)]
)
def test_is_empty(raw: object, empty: bool) -> None:
    assert is_empty(raw) is empty


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.居民身份证", "居民身份证"),
        ("1、居民身份证；", "居民身份证"),
        ("2) 户口簿", "户口簿"),
        ("（一）申请表", "申请表"),
        ("(3)照片", "照片"),
        ("十二、其他材料", "其他材料"),
        ("① 委托书", "委托书"),
        ("1. （1）身份证", "身份证"),
        ("• 营业执照", "营业执照"),
        # No delimiter, no numbering: these start with a number word that belongs to the name.
        ("一寸蓝底照片", "一寸蓝底照片"),
        ("二级注册建造师注销注册申请表", "二级注册建造师注销注册申请表"),
        ("6个月内二寸免冠照片", "6个月内二寸免冠照片"),
        ("1.5米以上场地证明", "1.5米以上场地证明"),
    ],
)
def test_strip_numbering(raw: str, expected: str) -> None:
    assert strip_numbering(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("上户口、报户口，办户口", ["上户口", "报户口", "办户口"]),
        ("a;b；a", ["a", "b"]),
        ("社会保障（社会保险、社会救助）、就业创业", ["社会保障（社会保险、社会救助）", "就业创业"]),
        ("无", []),
        ("第一\n无\n第二", ["第一", "第二"]),
    ],
)
def test_split_list(raw: str, expected: list[str]) -> None:
    assert split_list(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("30", 30),
        ("十", 10),
        ("三十", 30),
        ("二十五", 25),
        ("一百二十", 120),
        ("一百零五", 105),
        ("两", 2),
        ("x", None),
        ("", None),
    ],
)
def test_cn_number(raw: str, expected: int | None) -> None:
    assert cn_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "days", "note"),
    [
        ("30(工作日)", 30, ""),
        ("1(工作日)", 1, ""),
        ("30（工作日）", 30, ""),
        ("20个工作日", 20, ""),
        ("20个工作日内", 20, ""),
        ("二十日", 20, ""),
        ("15天", 15, ""),
        (20, 20, ""),
        ("即办", 0, ""),
        ("即办件", 0, ""),
        ("当场办结", 0, ""),
        ("0", 0, ""),
        ("0(工作日)", 0, ""),
        ("90(自然日)", 65, "90个自然日（约65个工作日）"),
        ("30(自然日)", 22, "30个自然日（约22个工作日）"),
        ("7(自然日)", 5, "7个自然日（约5个工作日）"),
        ("无", None, ""),
        (None, None, ""),
        ("3个月", None, "3个月"),
        ("视情况而定", None, "视情况而定"),
    ],
)
def test_parse_days(raw: object, days: int | None, note: str) -> None:
    assert parse_days(raw) == (days, note)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("no", False),
        (1, True),
        ("√", True),
        ("×", False),
        ("", None),
        (None, None),
    ],
)
def test_parse_bool(raw: object, expected: bool | None) -> None:
    assert parse_bool(raw) is expected


def test_parse_bool_rejects_other_words() -> None:
    with pytest.raises(ValueError, match="看情况"):
        parse_bool("看情况")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0", 0), (1, 1), ("1次", 1), ("最多跑一次", 1), ("跑两次", 2), ("零跑动", 0), ("", None)],
)
def test_parse_count(raw: object, expected: int | None) -> None:
    assert parse_count(raw) == expected


def test_parse_count_rejects_words() -> None:
    with pytest.raises(ValueError, match="几次"):
        parse_count("几次")


def test_service_objects_map_to_the_three_schema_values() -> None:
    words = ["企业法人", "自然人", "非法人企业", "行政机关", "事业法人", "外星人"]
    assert service_objects(words) == (["自然人", "法人", "其他组织"], ["外星人"])


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("居民身份证", Material(name="居民身份证")),
        ("1.居民身份证（原件1份）", Material(name="居民身份证", form="原件", copies=1)),
        ("户口簿(原件及复印件各1份)", Material(name="户口簿", form="原件和复印件", copies=1)),
        ("照片（原件、复印件）", Material(name="照片", form="原件和复印件")),
        ("委托书（容缺）", Material(name="委托书", tolerance=True)),
        ("租赁合同（复印件，非必要）", Material(name="租赁合同", form="复印件", required=False)),
        ("营业执照（电子证照）", Material(name="营业执照", form="电子证照")),
        ("身份证明（正反面）", Material(name="身份证明（正反面）")),
        ("教材清样（完整版、盲评版）", Material(name="教材清样（完整版、盲评版）")),
        ("小学毕业证复印件", Material(name="小学毕业证复印件")),
        # Raw exports: "|" is part of the name.
        ("A|B", Material(name="A|B")),
    ],
)
def test_parse_material_plain(line: str, expected: Material) -> None:
    parsed = parse_material(line)
    assert parsed is not None
    assert parsed.material == expected
    assert parsed.unknown == []


@pytest.mark.parametrize(
    ("line", "expected", "unknown"),
    [
        (
            "户口簿|原件和复印件|1|纸质|容缺",
            Material(name="户口簿", form="原件和复印件", copies=1, medium="纸质", tolerance=True),
            [],
        ),
        (
            "户口簿|容缺|纸质|2份|原件",
            Material(name="户口簿", form="原件", copies=2, medium="纸质", tolerance=True),
            [],
        ),
        (
            "申请书|原件|1|纸质或电子|https://x.example/f.docx",
            Material(name="申请书", form="原件", copies=1, medium="纸质或电子", download="https://x.example/f.docx"),
            [],
        ),
        (
            "合同|复印件||视情况|备注:按月提取的免交",
            Material(name="合同", form="复印件", required=False, notes="按月提取的免交"),
            [],
        ),
        ("照片|电子|现场采集", Material(name="照片", medium="电子", notes="现场采集"), ["现场采集"]),
        ("居民身份证（原件1份）", Material(name="居民身份证", form="原件", copies=1), []),
    ],
)
def test_parse_material_template_syntax(line: str, expected: Material, unknown: list[str]) -> None:
    parsed = parse_material(line, pipes=True)
    assert parsed is not None
    assert (parsed.material, parsed.unknown) == (expected, unknown)


@pytest.mark.parametrize("line", ["", "无", "1.", "  （一） "])
def test_parse_material_without_a_name(line: str) -> None:
    assert parse_material(line) is None


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("1.身份证；2.户口簿；3.照片", ["身份证", "户口簿", "照片"]),
        ("<p>（一）申请表</p><p>（二）营业执照&nbsp;</p>", ["申请表", "营业执照"]),
        ("<ol><li>申请书</li><li>身份证</li></ol>", ["申请书", "身份证"]),
        ("一、申请表 二、身份证", ["申请表", "身份证"]),
        ("1.5米以上场地证明", ["1.5米以上场地证明"]),
        ("身份证原件1、复印件1份", ["身份证原件1、复印件1份"]),
        ("无", []),
    ],
)
def test_split_materials(block: str, expected: list[str]) -> None:
    assert split_materials(block) == expected

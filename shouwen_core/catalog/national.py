"""Nationwide service numbers: the directory entries every city shares.

An imported catalog lists government departments only; a person whose power is out, whose
parcel is lost or who was defrauded needs 95598, 12305 or 110, the same numbers in every city.
`import_catalog` adds these to an imported catalog's directory (an entry with the same phone
already there wins), so that its out-of-catalog questions are referred somewhere concrete too.
A city's own catalog lists its numbers itself (catalog/sample_city/departments.json).

The `handles` are everyday words for what each number is for (the linker matches them by
wording and by meaning); `ask_for` says what to have ready when calling.
"""

from __future__ import annotations

from .model import Department

__all__ = ["NATIONAL_NUMBERS", "national_directory"]

# (phone, name, kind, hours, handles, ask_for)
NATIONAL_NUMBERS: tuple[tuple[str, str, str, str, tuple[str, ...], str], ...] = (
    ("12345", "12345政务服务便民热线", "hotline", "24小时",
     ("不知道找哪个部门", "投诉建议", "小区公共设施坏了", "路灯不亮", "垃圾没人清运", "政策咨询"),
     "说明事情发生的地点和经过，话务员会转给负责的部门并回访"),
    ("110", "110报警电话", "hotline", "24小时",
     ("报警", "东西被偷了", "被人骗了钱", "有人打架", "家里老人走失", "捡到钱包证件", "碰瓷敲诈", "深夜噪音扰民"),
     "说清楚所在位置和发生了什么"),
    ("119", "119火警电话", "hotline", "24小时", ("着火了", "火灾", "被困电梯", "燃气泄漏抢险"), "说清楚地址和火情"),
    ("120", "120急救电话", "hotline", "24小时", ("急救", "叫救护车", "有人晕倒", "突发疾病"), "说清楚地址和病人情况"),
    ("122", "122交通事故报警电话", "hotline", "24小时", ("交通事故", "撞车追尾", "车被刮了", "肇事逃逸"),
     "说清楚事故地点，车辆先靠边"),
    ("96110", "96110反诈骗专线", "hotline", "24小时", ("接到诈骗电话", "网上被骗", "刷单被骗", "银行卡被盗刷"),
     "被骗后尽快报警（110），并准备好转账记录"),
    ("95598", "95598供电服务热线", "public_service", "24小时", ("家里停电", "电费太高", "电表有问题", "用电报修", "跳闸"),
     "报上户号或地址"),
    ("12315", "12315市场监管投诉举报热线", "hotline", "",
     ("商家不给退换货", "网购投诉", "买到假货", "消费纠纷", "食品安全举报", "乱收费"), "准备好购物凭证和商家名称"),
    ("12305", "12305邮政业用户申诉电话", "hotline", "", ("快递丢了", "快递公司不赔", "快递损坏", "包裹延误"),
     "先向快递公司投诉，7天未解决再申诉，准备好运单号"),
    ("12300", "12300电信用户申诉受理中心", "hotline", "", ("话费乱扣", "运营商投诉", "手机号被停机", "宽带问题"),
     "先向运营商投诉，未解决再申诉"),
    ("12333", "12333人力资源和社会保障服务热线", "hotline", "",
     ("社保怎么交", "养老金", "失业金", "被拖欠工资", "劳动合同纠纷"), ""),
    ("12329", "12329住房公积金服务热线", "hotline", "", ("公积金余额", "公积金提取", "公积金贷款"), ""),
    ("12366", "12366纳税缴费服务热线", "hotline", "", ("纳税咨询", "个人所得税", "发票问题"), ""),
    ("12393", "12393医疗保障服务热线", "hotline", "", ("医保报销", "医保缴费", "异地就医"), ""),
    ("12320", "12320卫生健康热线", "hotline", "", ("看病投诉", "医院服务", "疫苗接种", "健康咨询"), ""),
    ("12356", "12356心理援助热线", "hotline", "", ("心理咨询", "情绪低落", "心理危机"), ""),
    ("12348", "12348公共法律服务热线", "hotline", "", ("法律咨询", "打官司", "请不起律师"), ""),
    ("12368", "12368诉讼服务热线", "hotline", "", ("起诉立案", "案件进度", "法院诉讼服务"), ""),
    ("12309", "12309检察服务热线", "hotline", "", ("控告申诉", "检察举报"), ""),
    ("12319", "12319城建服务热线", "hotline", "", ("物业纠纷", "井盖丢了", "违章搭建", "市政设施损坏"), ""),
    ("12369", "12369环保举报热线", "hotline", "", ("噪音扰民", "油烟扰民", "污水排放", "空气污染"), ""),
    ("12350", "12350安全生产举报热线", "hotline", "", ("安全隐患举报", "非法生产"), ""),
    ("12388", "12388纪检监察举报电话", "hotline", "", ("举报公职人员", "吃拿卡要"), ""),
    ("12355", "12355青少年服务台", "hotline", "", ("校园欺凌", "青少年心理", "未成年人维权"), ""),
    ("12338", "12338妇女维权公益服务热线", "hotline", "", ("家暴求助", "妇女维权"), ""),
    ("12351", "12351职工服务热线", "hotline", "", ("职工维权", "工伤", "劳动争议"), ""),
    ("12328", "12328交通运输服务监督电话", "hotline", "", ("出租车投诉", "网约车投诉", "公交投诉"), ""),
    ("12367", "12367移民管理服务热线", "hotline", "", ("出入境咨询", "护照签注"), ""),
    ("12306", "12306铁路客服", "hotline", "24小时", ("买火车票", "退票改签", "铁路投诉"), ""),
    ("12360", "12360海关服务热线", "hotline", "", ("海关", "入境行李", "海淘包裹"), ""),
)  # fmt: skip


def national_directory(existing_phones: set[str] | frozenset[str] = frozenset()) -> list[Department]:
    """The nationwide entries whose phone is not in existing_phones."""
    return [
        Department(
            id=f"N-{phone}", name=name, phone=phone, kind=kind, hours=hours, handles=list(handles), ask_for=ask_for
        )
        for phone, name, kind, hours, handles, ask_for in NATIONAL_NUMBERS
        if phone not in existing_phones
    ]

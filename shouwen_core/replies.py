"""Every fixed sentence a citizen reads, in one place, so that it can be reviewed against the
never-refuse rule (首问负责制: always point somewhere concrete).

Templates are str.format strings; the guidance card and the referral fill them. The city's own
facts are not written into the sentences: `$hotline`, `$hotline_name`, `$main_hall`,
`$cannot_window`, `$helpdesk_window`, `$staffed_hours` stand for them and `configure(catalog.settings)` fills them in
(every process does so when it loads its catalog; until then the defaults of CitySettings).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["Pages", "T", "Widget", "configure", "widget_text", "wording_classes"]


class T:
    """Citizen-facing wording."""

    HOTLINE = "$hotline"  # the number itself, where code needs it (a record without a phone)

    # Guidance card (一次性告知)
    CARD_TITLE = "【{name}】一次性告知"
    CARD_DEPT = "办理部门：{department}"
    CARD_CASE = "您的情形：{case}"
    MATERIALS = "一、需要准备的材料（共{count}项）："
    MATERIALS_NONE = "一、材料：目录未列出必交材料，请带上本人有效身份证件；如需其他材料，窗口会一次性告知。"
    MATERIALS_TOLERANCE = "（可容缺受理，事后补交）"
    MATERIALS_OPTIONAL = "（视情况提供）"
    WHERE = "二、在哪里办："
    ONLINE_FULL = "全程网办（不用跑窗口）：{url}"
    ONLINE_APPLY_COLLECT = "网上申请、窗口领取：{url}"
    ONLINE_BOOKING = "需到窗口办理，可先网上预约：{url}"
    ONLINE_APPLY = "网上申请：{url}"
    WHERE_APP = "手机办：{app}"
    WHERE_HALL = "窗口办：{hall}{windows}，地址：{address}{hours}"
    WHERE_LOCATION = "窗口办：{location}"
    WHERE_CITYWIDE = "本事项全城通办，可就近到任一政务服务中心办理。"
    WHERE_IN_PERSON = "需要申请人本人到场。"
    WHERE_NOT_IN_PERSON = "可以委托他人代办（带上委托书和双方身份证件）。"
    WHERE_VISITS = "最多跑{visits}次。"
    WHERE_VISITS_ZERO = "全程不用跑（零跑动）。"
    WHERE_UNKNOWN = "可到{hall}综合受理窗口或拨打 {phone} 预约办理。"
    TIME = "三、办理时限：{text}"
    TIME_PROMISED = "承诺{days}个工作日办结"
    TIME_IMMEDIATE = "即来即办（当场办结）"
    TIME_LEGAL = "法定{days}个工作日"
    TIME_UNKNOWN = "以受理回执上的时限为准，可拨打 {phone} 询问"
    FEE = "四、收费：{text}"
    FEE_FREE = "不收费"
    FEE_UNKNOWN = "目录未载明收费标准，请拨打 {phone} 确认"
    PHONE = "五、电话：咨询 {consult}；投诉 {complaint}"
    NEXT = "下一步：{text}"
    NEXT_DEFAULT = "材料备齐后网上申请或到窗口提交，凭受理回执查询进度。"
    CARD_MORE = "还想了解时限、收费、在哪办，直接问我就行。"

    # The chat card (guidance.card): the essentials in one or two phone-sized bubbles
    CHAT_MATERIALS = "需要准备的材料（共{count}项）："
    CHAT_MATERIALS_NONE = "材料：目录未列出必交材料，带上本人有效身份证件即可，如需其他材料窗口会一次性告知。"
    CHAT_CITYWIDE = "全城通办：任一政务服务中心都可办。"
    CHAT_MORE_HALLS = "另有{count}处可办，见“全部办理地点”。"
    CHAT_TODAY_OPEN = "今天（{day}）{times}{remark}"
    CHAT_TODAY_CLOSED = "今天（{day}）休息{then}"
    CHAT_NEXT_OPEN = "，最近办公日：{day} {times}"
    CHAT_HOURS = "办公时间：{text}"
    CHAT_DAY = "{month}月{date}日周{weekday}"
    CHAT_HOLIDAY = "，法定节假日"
    CHAT_MAKEUP = "，调休上班"
    CHAT_TIME = "时限：{text}"
    CHAT_FEE = "收费：{text}"
    CHAT_PHONE = "咨询电话：{phone}；投诉 {complaint}"
    BUTTON_WHERE = "全部办理地点"
    BUTTON_PROCESS = "办理流程"
    BUTTON_NOTICE = "打印告知单"
    NOTICE_UNKNOWN = "没有这个事项；请回到对话中重新查询，或拨打 $hotline 咨询。"
    CHAT_PACKAGE_STEP = "{no}. {name}{together}：{facts}{note}"
    CHAT_TOGETHER = "【一表】"
    CHAT_ONE_FORM = "标【一表】的事项填一张表、交一套材料即可同时办理。"
    CHAT_ALL_ONE_FORM = "以上{count}个事项填一张表、交一套材料即可同时办理。"
    CHAT_STEP_IMMEDIATE = "当场办结"
    CHAT_STEP_DAYS = "{days}个工作日"

    # Follow-ups about the matter in focus
    FOLLOW_TIME = "「{name}」{text}。"
    FOLLOW_FEE = "「{name}」收费：{text}。"
    FOLLOW_WHERE = "「{name}」办理地点：\n{text}"
    FOLLOW_ONLINE_FULL = "「{name}」可以全程网办，不用跑窗口：{url}"
    FOLLOW_ONLINE_APPLY_COLLECT = "「{name}」可以网上申请，办好后到窗口领取：{url}"
    FOLLOW_ONLINE_APPLY = "「{name}」可以网上申请：{url}"
    FOLLOW_ONLINE_BOOKING = "「{name}」需要到窗口办理，可以先网上预约（{url}），再按约定时间到：\n{text}"
    FOLLOW_ONLINE_NO = "「{name}」暂不能全程网办，需要到窗口办理：\n{text}"
    FOLLOW_PHONE = "「{name}」咨询电话 {consult}，投诉电话 {complaint}。"
    FOLLOW_PROCESS = "「{name}」办理流程：{text}"
    FOLLOW_IN_PERSON_YES = "「{name}」需要本人到场办理。"
    FOLLOW_IN_PERSON_NO = "「{name}」不需要本人到场，可委托他人代办（带委托书和双方身份证件）。"
    FOLLOW_MATERIALS = "「{name}」需要的材料："
    FOLLOW_ALL_SAME = "{names}都一样：{text}"
    FOLLOW_FEE_SHARED = "收费：{text}。"
    FOLLOW_WHICH = "{names}这一点各不相同，您要办的是哪一项？请点选（或回复序号）："
    FOLLOW_NO_FOCUS = (
        "请问您问的是哪件事？把事情说完整一点，例如“护照过期了换新要多久”“开饭店办证要多少钱”；"
        "也可以拨打 $hotline $hotline_name。"
    )
    FOLLOW_PHONE_SUFFIX = "（咨询电话 {phone}）"

    # Choosing
    CHOOSE_MATTER = "您想办的是下面哪一项？请点选（或回复序号）："
    CHOOSE_CASE = "「{name}」分几种情形，材料不同。{question}"
    CHOOSE_CASE_DEFAULT = "请问您属于哪种情形？"
    NONE_OF_THESE = "都不是"
    NONE_OF_THESE_REPLY = (
        "好的。请换个说法再描述一下您要办的事，比如“孩子出生要上户口”；"
        "也可以拨打 $hotline $hotline_name，或到大厅 $cannot_window “办不成事”反映窗口，工作人员会帮您找到对口部门。"
    )

    # Packages (一件事)
    PACKAGE_TITLE = "【{name}】一件事一次办，共{count}个事项："
    PACKAGE_STEP = "{no}. {name}（{department}）{together}{note}"
    PACKAGE_TOGETHER = "【一表申请】"
    PACKAGE_ONE_FORM = "标【一表申请】的事项填一张表、交一套材料即可同时办理。"
    PACKAGE_WHERE = "办理地点：{text}"
    PACKAGE_PHONE = "咨询电话：{phone}"
    PACKAGE_MORE = "想看某一项的材料清单，点选它或回复它的序号。"

    # Referral (问题不在目录里)
    REFER = "这件事建议找{name}：电话 {phone}{address}{hours}。{ask_for}"
    REFER_ASK_FOR = "可以这样说明：{ask_for}。"
    REFER_HOTLINE = "如果还不确定找谁，请拨打 $hotline $hotline_name（24小时），或到$main_hall $cannot_window “办不成事”反映窗口，我们会帮您协调。"
    REFER_RECORDED = "您的问题已记录，工作人员会跟进完善。"

    # Conversation
    GREET = "您好，我是首问智能导办助手。请直接说您要办什么事，比如“身份证丢了怎么补办”“开饭店要办什么证”。"
    GOODBYE = "感谢您的咨询，祝您办事顺利！如需帮助，随时找我，或拨打 $hotline。"
    ACK = "好的。还有其他要办的事，直接告诉我；也可以拨打 $hotline 咨询。"
    THANK = "不客气！还有其他要办的事，直接告诉我。"
    CHITCHAT = "我是政务服务导办助手，专门帮您弄清楚办事要带什么、去哪办。请说说您要办的事？"
    INSULT = "理解您的心情。如果办事遇到了困难，可以告诉我具体情况，或到“办不成事”反映窗口、拨打 $hotline 反映，我们一定跟进。"
    EMPTY = "您好像还没输入内容。请告诉我您要办的事，比如“社保卡丢了怎么办”。"
    # The gateway cut the message at MAX_MESSAGE_CHARS (shouwen_core.text): said before the answer.
    MESSAGE_CUT = (
        "您的消息较长，只读了前{limit}字，下面先按这部分为您解答；"
        "没读到的内容请分几条发送，或拨打 $hotline、到 $cannot_window “办不成事”反映窗口完整反映。"
    )
    ID_NUMBER = "为保护您的个人信息，请不要在对话中发送身份证号、手机号等信息（已自动隐去）。请告诉我您要办的事。"
    NOT_UNDERSTOOD = (
        "我还没完全理解您的问题。您可以说说要办的事，例如“护照过期了怎么换”；"
        "也可以拨打 $hotline $hotline_name，或回复“转人工”由工作人员为您解答。"
    )
    HANDOFF = "正在为您转接人工服务，工作人员看得到我们的对话记录。等候期间您也可以拨打 $hotline 或到大厅帮办代办窗口（$helpdesk_window）。"
    BAD_REQUEST = "请求的格式不对，消息没有送达。请刷新页面后重新发送；急事请拨打 $hotline $hotline_name。"
    RATE_LIMITED = "您发送得太快了，请稍等一分钟再试；着急的话可拨打 $hotline $hotline_name。"
    RATE_ASK = "请您对本次服务评价：非常满意、满意、基本满意、不满意、非常不满意。"
    RATE_THANKS = "感谢您的评价！还有要办的事，随时找我。"
    RATE_BAD = (
        "很抱歉这次没让您满意。您的评价已记录，工作人员会在今天之内回电了解情况；"
        "您也可以直接拨打 $hotline，或到$main_hall $cannot_window “办不成事”反映窗口。"
    )
    TICKET_ASK_DETAIL = "很抱歉给您带来不便。请简单说说遇到的情况：办什么事、在哪个窗口、卡在哪一步。"
    # 办不成事: the window and its promise come first, before the details are asked.
    TICKET_ASK_CANNOT = (
        "很抱歉让您多跑了。这类“办不成事”的情况，可以到$main_hall $cannot_window “办不成事”反映窗口当面反映，"
        "也可以在这里说：受理后一般问题{simple}个工作日、复杂问题{complex}个工作日内答复您。"
        "请简单说说：办什么事、在哪个窗口、卡在哪一步。"
    )
    TICKET_ASK_CONTACT = "已记下。请留一个联系电话，方便工作人员回复您（回复“不留”也可以）。"
    TICKET_ASK_CONTACT_AGAIN = "请留一个手机号码方便回复您；不想留的话回复“不留”，您的反映同样会被受理。"
    # The number is what the person quotes later ("查询进度 BC…", at the window, on the hotline).
    TICKET_DONE = (
        "您的反映已受理，工单编号 {number}，请记下。工作人员会跟进：一般问题{simple}个工作日内（{simple_due}前）、"
        "复杂问题{complex}个工作日内（{complex_due}前）答复您。"
        "想了解进展，可以在这里发送“查询进度 {number}”；急事可拨打 $hotline，或到$main_hall $cannot_window “办不成事”反映窗口。"
    )
    DUE_ESTIMATE = "（所跨年份的节假日安排尚未公布，日期按周末推算，遇法定节假日顺延。）"
    TICKET_LEFT = "（您刚才反映的情况已先登记：{reply}）"
    SUGGESTION_THANKS = (
        "谢谢您的建议！已经记录下来，会转给大厅管理人员研究改进。"
        "想当面沟通的话，可以到$main_hall $cannot_window “办不成事”反映窗口，或拨打 $hotline $hotline_name。"
    )
    MARKUP_ONLY = (
        "这条消息里没有我能读懂的文字或事项。请用一句话说说您要办的事，例如“身份证丢了怎么补办”；"
        "也可以拨打 $hotline $hotline_name。"
    )
    TICKET_NO_CONTACT = (
        "您没有留电话，请凭工单编号查询处理结果（在这里、到 $cannot_window 窗口或拨打 $hotline 都可以）。"
    )
    # A ticket looked up by its number ("查询进度 BC…", shouwen_records.progress), said through PROGRESS_FOUND.
    TICKET_ABOUT = "您反映的情况"
    TICKET_ABOUT_MATTER = "您反映的情况：{matter}"
    TICKET_STATUS_NEW = "已受理"
    TICKET_STATUS_ASSIGNED = "办理中"
    TICKET_STATUS_ANSWERED = "已答复"
    TICKET_STATUS_CLOSED = "已办结"
    TICKET_STEP_OPEN = "工作人员正在跟进，{due}前答复您"
    TICKET_STEP_LATE = "已过答复期限（{due}），工作人员会尽快联系您；着急的话请到 $cannot_window 窗口或拨打 $hotline"
    TICKET_STEP_ANSWERED = "答复：{answer}"
    TICKET_STEP_CLOSED = "已归档"
    PROGRESS_ASK = "请提供申请受理编号（在受理回执上，如 SL2026110001），我帮您查询办理进度。"
    PROGRESS_FOUND = "受理编号 {no}（{matter}）：{status}，{step}（更新于 {updated}）。"
    PROGRESS_NEXT = "您需要：{action}。"
    PROGRESS_PHONE = "如有疑问请拨打 {phone}。"
    PROGRESS_UNKNOWN = (
        "没有查到受理编号 {no} 的记录，可能是编号有误或刚受理尚未同步。请核对受理回执上的编号再发一次，"
        "或拨打 $hotline、到受理窗口凭回执查询。"
    )

    # English: a short summary before the Chinese answer (names and addresses as the catalog writes them)
    EN_TITLE = "In English, briefly — {name} (the full notice in Chinese follows):"
    EN_CASES = "- The materials depend on your situation: please choose one of the options below."
    EN_MATERIALS = "- Documents to bring: {count} — {names}"
    EN_MATERIALS_NONE = "your ID card; the window will tell you anything else at once"
    EN_WHERE = "- Where: {hall}, {address}"
    EN_ONLINE = "- Online: {url}"
    EN_BOOKING = "- Book an appointment online ({url}), then come to the window in person"
    EN_TIME = "- Time limit: {days} working days"
    EN_TIME_SAME_DAY = "- Time limit: done on the spot"
    EN_FEE = "- Fee: {fee}"
    EN_FEE_FREE = "- Fee: free of charge"
    EN_FEE_UNKNOWN = "- Fee: please ask on the phone below"
    EN_PHONE = "- Phone: {phone}; city service hotline $hotline (24 h)"
    EN_CHOOSE = "Which of these do you mean? The options are in Chinese below; reply with the number."
    EN_NO_MATTER = (
        'Please tell me what you need to do, for example "my passport expired" or "open a restaurant". '
        "For help in person, call the city service hotline $hotline (24 h) or ask at the service hall."
    )

    # WeChat Official Account (only text and voice can be read; buttons become numbered choices)
    WECHAT_WELCOME = (
        "感谢关注！我是首问智能导办助手，可以告诉您办事要带哪些材料、到哪里办、多久办好、收不收费，"
        "也能查询办理进度、受理“办不成事”反映。请直接发文字或语音，比如“身份证丢了怎么补办”“开饭店要办什么证”。"
        "需要人工帮助，回复“转人工”或拨打 $hotline $hotline_name。"
    )
    WECHAT_VOICE_UNCLEAR = (
        "这段语音没有识别出文字。请再说一遍，或直接打字告诉我要办的事，比如“社保卡丢了怎么办”；"
        "也可以拨打 $hotline $hotline_name。"
    )
    WECHAT_TEXT_ONLY = (
        "我目前能读懂文字和语音消息。请用文字或语音说说您要办的事，比如“护照过期了怎么换”；"
        "也可以回复“转人工”，或拨打 $hotline $hotline_name。"
    )
    WECHAT_SLOW = "查询的人较多，答复稍慢。请过一会儿再发一次您的问题，急事可拨打 $hotline $hotline_name。"
    WECHAT_CHOICES = "回复数字选择："
    WECHAT_CHOICE = "{no}. {title}"
    WECHAT_CONTINUED = "（内容较长，其余部分接着发给您；如未收到，可拨打 $hotline 咨询。）"


class Pages:
    """Fixed text on the hall's own pages: the QR rating page and the printed 一次性告知单."""

    # The rating page behind the QR code at a hall window (/rate?window=$cannot_window)
    RATE_TITLE = "请为本次服务评价"
    RATE_WINDOW = "{window} 号窗口"
    RATE_INTRO = "您的评价会直接反馈给服务大厅，帮助我们改进服务。"
    RATE_LEVELS_LABEL = "满意程度"
    RATE_REASON_LABEL = "想说的话（选填）"
    RATE_REASON_HINT = "例如：哪里做得好，哪里需要改进。请不要填写身份证号、手机号。"
    RATE_SUBMIT = "提交评价"
    RATE_THANKS = "感谢您的评价！"
    RATE_THANKS_GOOD = "祝您办事顺利。还有要办的事，可以随时到窗口咨询，或拨打 $hotline $hotline_name。"
    RATE_THANKS_BAD = (
        "很抱歉这次没让您满意。您的评价已记录，大厅负责人今天之内会跟进处理；"
        "您也可以直接到 $cannot_window “办不成事”反映窗口，或拨打 $hotline $hotline_name反映。"
    )
    RATE_EXPIRED = (
        "这个评价页面已过期，请重新扫码评价；也可以到 $cannot_window “办不成事”反映窗口或拨打 $hotline 反映意见。"
    )
    RATE_PICK = "请选择一个满意程度后再提交。"

    # The printed 一次性告知单
    NOTICE_TITLE = "一次性告知单"
    NOTICE_INTRO = "请按下列清单准备材料，备齐后可一次办结。材料以本告知单为准，窗口不得要求清单以外的材料。"
    NOTICE_TOLERANCE = "可容缺受理，事后补交"
    NOTICE_OPTIONAL = "视情况提供"
    NOTICE_ONLINE = "扫码网上办理"
    NOTICE_FOOTER = (
        "如对告知内容有疑问，请拨打咨询电话；遇到“办不成的事”，请到 $cannot_window “办不成事”反映窗口"
        "或拨打 $hotline $hotline_name，我们负责协调到底。"
    )


class Widget:
    """The website chat widget's captions. The gateway serves connectors/static/widget.js with these
    filled in as its TEXT (`widget_text()`: TITLE → title, LAUNCHER_LABEL → launcherLabel)."""

    TITLE = "首问 · 政务服务咨询"
    SUBTITLE = "智能导办随时可问 · 人工服务 $staffed_hours"
    LAUNCHER = "打开政务服务在线咨询"
    LAUNCHER_LABEL = "在线咨询"
    CLOSE = "关闭咨询窗口"
    CLEAR = "清除对话记录"
    CLEAR_CONFIRM = "清除本机保存的对话记录，开始新的对话？"
    HANDOFF = "转人工"
    HANDOFF_LABEL = "转人工服务：请窗口工作人员为您解答"
    HANDOFF_MESSAGE = "转人工"
    HANDOFF_ACTIVE = "已为您转接人工服务，工作人员的回复会显示在这里。"
    PLACEHOLDER = "请输入您要办的事，如：身份证补办"
    INPUT_LABEL = "输入您的问题"
    SEND = "发送"
    YOU = "我"
    BOT = "首问助手"
    CLERK = "窗口工作人员"
    TYPING = "首问助手正在输入"
    WELCOME = "您好，我是首问智能导办助手。请直接说您要办什么事，我会一次性告诉您要带的材料、在哪办、多久办好。"
    SUGGESTIONS = ("身份证丢了怎么补办", "给孩子上户口", "开饭店要办什么证")
    NETWORK = "网络连接出现问题，消息没有发出。请检查网络后重试；急事请拨打 $hotline $hotline_name（24小时）。"
    RETRY = "重试"
    TOO_FAST = "您发送得有点快，请稍等片刻再试；急事请拨打 $hotline $hotline_name。"
    FAILED = "服务暂时繁忙，请稍后再试；急事请拨打 $hotline $hotline_name，或到大厅咨询窗口。"
    PRIVACY = "请勿发送身份证号、手机号等个人信息。"
    # While the bot asks for a phone to call back (the 办不成事 / complaint flow), the note says so.
    PRIVACY_CONTACT = "您留的电话只用于工作人员回复这次反映，保存时会隐去中间几位；其他个人信息请勿发送。"
    LINK_OUT = "（在新窗口打开）"


def widget_text() -> dict[str, object]:
    """Widget's captions as the script's TEXT object (camelCase keys)."""
    out: dict[str, object] = {}
    for name, value in vars(Widget).items():
        if name.isupper():
            head, *rest = name.lower().split("_")
            out[head + "".join(w.title() for w in rest)] = list(value) if isinstance(value, tuple) else value
    return out


_FACT = re.compile(r"\$([a-z_]+)")
_FACTS = ("hotline", "hotline_name", "main_hall", "cannot_window", "helpdesk_window", "staffed_hours")


def wording_classes() -> list[type]:
    """Every class of citizen-facing wording (the never-refuse test reads them all)."""
    return [T, Pages, Widget]


def _templates(cls: type) -> dict[str, str]:
    return {k: v for k, v in vars(cls).items() if k.isupper() and isinstance(v, str)}


_ORIGINAL = {cls: _templates(cls) for cls in wording_classes()}


def configure(settings: Any) -> None:
    """Fill the city's facts (a CitySettings or anything with those attributes) into every sentence."""
    facts = {k: str(getattr(settings, k)) for k in _FACTS}
    for cls, templates in _ORIGINAL.items():
        for name, text in templates.items():
            setattr(cls, name, _FACT.sub(lambda m: facts.get(m.group(1), m.group(0)), text))


def _defaults() -> None:
    from .catalog.model import CitySettings

    configure(CitySettings())


_defaults()

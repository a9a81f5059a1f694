"""Fixed text a citizen reads on the hall's pages: the QR rating page and the printed 一次性告知单.

Kept in one place, like shouwen_core.replies.T, so it can be reviewed against the never-refuse rule
(every dead end points to a window, a phone or 12345).
"""

from __future__ import annotations

__all__ = ["Citizen"]


class Citizen:
    # The rating page behind the QR code at a hall window (/rate?window=Z01)
    RATE_TITLE = "请为本次服务评价"
    RATE_WINDOW = "{window} 号窗口"
    RATE_INTRO = "您的评价会直接反馈给服务大厅，帮助我们改进服务。"
    RATE_LEVELS_LABEL = "满意程度"
    RATE_REASON_LABEL = "想说的话（选填）"
    RATE_REASON_HINT = "例如：哪里做得好，哪里需要改进。请不要填写身份证号、手机号。"
    RATE_SUBMIT = "提交评价"
    RATE_THANKS = "感谢您的评价！"
    RATE_THANKS_GOOD = "祝您办事顺利。还有要办的事，可以随时到窗口咨询，或拨打 12345 政务服务便民热线。"
    RATE_THANKS_BAD = (
        "很抱歉这次没让您满意。您的评价已记录，大厅负责人今天之内会跟进处理；"
        "您也可以直接到 Z01 “办不成事”反映窗口，或拨打 12345 政务服务便民热线反映。"
    )
    RATE_EXPIRED = "这个评价页面已过期，请重新扫码评价；也可以到 Z01 “办不成事”反映窗口或拨打 12345 反映意见。"
    RATE_PICK = "请选择一个满意程度后再提交。"

    # The printed 一次性告知单
    NOTICE_TITLE = "一次性告知单"
    NOTICE_INTRO = "请按下列清单准备材料，备齐后可一次办结。材料以本告知单为准，窗口不得要求清单以外的材料。"
    NOTICE_TOLERANCE = "可容缺受理，事后补交"
    NOTICE_OPTIONAL = "视情况提供"
    NOTICE_ONLINE = "扫码网上办理"
    NOTICE_FOOTER = (
        "如对告知内容有疑问，请拨打咨询电话；遇到“办不成的事”，请到 Z01 “办不成事”反映窗口"
        "或拨打 12345 政务服务便民热线，我们负责协调到底。"
    )

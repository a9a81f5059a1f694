"""The consultation core: (question, act, focus) → the replies a citizen gets.

Actions, `./shouwen ask` and the clerk panel call this; it holds no conversation state of its
own: the caller passes what is in focus (matter, case) and stores what comes back in `focus`.

    answer(question, act, focus) ─ link ─┬─ 一件事 package named        → package card
                                         ├─ one matter, confident      → card, or the 情形 question
                                         ├─ follow-up, matter in focus → one element of the card
                                         ├─ several close matters      → choice with buttons + 都不是
                                         └─ nothing plausible          → referral (directory / 12345)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .acts import QUESTION_ACTS, combine, cue_act, has_words, markup_only, says_little
from .catalog.model import Case, Catalog, Department, Matter
from .city import adopt
from .guard import guard
from .guidance import (
    FOLLOW_UP_ACTS,
    NONE_VALUE,
    bubbles,
    card,
    case_choice,
    consult_phone,
    follow_up,
    matter_choice,
    package_card,
    pick,
)
from .linker import PLAUSIBLE, Linker, LinkResult
from .progress import find_application_no
from .replies import T
from .reply import Reply
from .services import LEAVABLE, ServiceDesk, cannot_get_done, find_phone
from .text import normalize

__all__ = ["FOCUS_KEYS", "SOCIAL_ACTS", "Answer", "Consultant"]

# What a conversation remembers between turns (Rasa slots of the same names).
FOCUS_KEYS = ("matter", "case", "awaiting", "ticket_kind", "ticket_detail", "rated")

SOCIAL_ACTS = {
    "greet": T.GREET,
    "goodbye": T.GOODBYE,
    "thank": T.THANK,
    "chitchat": T.CHITCHAT,
    "insult": T.INSULT,
}
# Acts DIET gives some plain matter questions ("身份证丢哪去了，怎么补" → ask_progress).
MISREAD_ACTS = ("ask_progress", "report_cannot_get_done", "out_of_scope", "affirm", "deny")
# Acts that open a service flow only when no matter is clearly named ("残疾证用了好多年，可以换个
# 新的吗" is a question about the matter, not a complaint): the link must be this likely to override.
FLOW_ACTS = ("complain", "request_human")
FLOW_OVERRIDE = 0.8
# A choice offers the candidates this close to the top one (at most CHOICE_MAX of them).
CHOICE_SPAN = 0.25
CHOICE_MAX = 4
# A lone plausible matter is answered from this probability on (below it: referral, not a guess).
LONE_ANSWER = 0.35
# Candidates this likely join a choice when together, not alone, they are plausible.
SPREAD_MIN = 0.05
# Answers that are about a catalog matter.
MATTER_KINDS = ("card", "case_choice", "matter_choice", "package", "follow_up")
# A directory entry is offered for a referral from this score on; below it, 12345.
REFERRAL_MIN = 0.45
# A directory entry that matches at least this well, and this much better than the best matter,
# is the answer itself (a referral), not a choice between weak matters.
DIRECTORY_CLEAR = 0.5
DIRECTORY_LEAD = 0.25
# By meaning: a directory entry nearer the question than any matter (cosine gap, best entry minus
# best matter) while no matter is this likely is the answer. Chosen on the sample city's dev
# sets (in-catalog right answers lost 0.007, out-of-catalog questions referred 0.44).
DIRECTORY_GAP = -0.01
DIRECTORY_GAP_TOP = 0.5
# Nearer still (gap ≥ 0) while the top matter's wording match is this weak: the fusion's
# probability, fitted on questions that all had a matter, cannot say "none of them" alone.
# (Also chosen on the sample city: in-catalog lost still 0.007, out-of-catalog referred 0.51.)
DIRECTORY_NEARER = 0.0
DIRECTORY_WEAK_WORDING = 0.3
# A complaint about the service itself (the hall, its staff, a matter's handling) is a ticket;
# any other complaint whose place is in the directory (noise, a shop, the power) is a referral.
_ABOUT_SERVICE = re.compile(
    r"窗口|大厅|工作人员|办事员|柜台|排队|取号|叫号|态度|你们|政务|审批|办事|办理|办证|跑了|材料|经办|受理|"
    r"服务中心|热线|网办|预约|系统|app|小程序|不给办|办不了|办不成"
)
# A complaint of that other kind goes to a directory entry matching it at least this well.
COMPLAINT_REFERRAL = 0.5
# What asking about an application's progress sounds like.
_PROGRESS = re.compile(r"进度|进展|查询|查一下|查查|查下|办到|到哪|好了没|好了吗|批了没|结果|状态|受理编号|回执|工单")
# A top matter sharing no more wording than this with the question is not offered unless confident.
UNRELATED_WORDING = 0.0
# Matters at least this likely count as "near" for a referral to the department they share.
NEAR_MATTER = 0.05


_AMOUNT = re.compile(r"\d+(?:\.\d+)?\s*元")


def _gist(matter: Matter, act: str, said: str) -> object:
    """What must agree for one answer to serve several matters: the amounts of a fee, the days of a
    time limit ("120元/本" and "120元/本（国家规定…）" agree), else the whole text."""
    if act == "ask_fee":
        amounts = tuple(sorted(set(_AMOUNT.findall(said))))
        return (matter.fee.free, amounts) if amounts or matter.fee.free else said
    if act == "ask_time_limit":
        return (matter.time_limit.promised_days, matter.time_limit.legal_days)
    return said


def _shared(matter: Matter, act: str, gist: object) -> str:
    """What several matters' answers share (see _gist), said plainly."""
    if act == "ask_fee" and isinstance(gist, tuple):
        return T.FOLLOW_FEE_SHARED.format(text="、".join(gist[1]) or T.FEE_FREE)
    tl = matter.time_limit
    if tl.promised_days == 0:
        return T.TIME_IMMEDIATE + "。"
    return (
        T.TIME_PROMISED.format(days=tl.promised_days) + "。"
        if tl.promised_days
        else T.TIME_LEGAL.format(days=tl.legal_days) + "。"
    )


@dataclass
class Answer:
    replies: list[Reply]
    kind: str  # card | case_choice | matter_choice | package | follow_up | referral | social
    link: LinkResult | None = None
    matter: Matter | None = None
    case: Case | None = None
    # Nothing in the catalog answered: staff should look at this question.
    unanswered: bool = False
    # The act the answer was given for (DIET's intent sharpened by lexical cues).
    act: str = ""
    # For the caller to persist: a 办不成事/complaint ticket, a rating, a hand-off request.
    ticket: dict[str, Any] | None = None
    rating: str | None = None
    handoff: bool = False
    focus: dict[str, str] = field(default_factory=dict)


class Consultant:
    def __init__(self, catalog: Catalog, linker: Linker | None = None, desk: ServiceDesk | None = None) -> None:
        self.catalog = catalog
        adopt(catalog)  # the city's hotline and windows in every sentence, its phones public
        self.linker = linker or Linker(catalog)
        self.desk = desk or ServiceDesk()

    def respond(
        self,
        text: str,
        intent: str,
        entities: dict[str, str] | None = None,
        focus: dict[str, str] | None = None,
        offered: Sequence[str] = (),
        link: LinkResult | None = None,
    ) -> Answer:
        """The answer to one message as the NLU understood it: the entry point of the actions
        and of `./shouwen ask`. `offered` are the values of the buttons shown last; `link` is the
        linker's result for `text` when the NLU already made it (else it is made here if needed)."""
        entities = entities or {}
        if link is not None and link.question not in (text, normalize(text)):
            link = None  # (the NLU links the normalised text; the text is kept as the person typed it)
        focus = {k: v for k, v in (focus or {}).items() if v}
        intent = combine(intent, text)
        if cannot_get_done(text) and not focus.get("awaiting") and intent not in ("report_cannot_get_done", "complain"):
            # "跑了好几次都办不成" is a 办不成事 whatever act DIET gave it (none_of_these, inform …).
            intent = "report_cannot_get_done"
        if intent == "ask_progress" and not _PROGRESS.search(normalize(text)) and not find_application_no(text):
            # "社保卡", "护照" alone: a thing named, not a progress query (no 进度 / 查 / 办好了没 …).
            intent = cue_act(text) or "ask_materials"
        if intent in MISREAD_ACTS and not focus.get("awaiting") and not find_application_no(text):
            # DIET sometimes reads a plain question about a matter as a progress query or a
            # report; a confident matter and a question cue say otherwise.
            cue = cue_act(text)
            if cue and (link := link or self.linker.link(text)).confident:
                intent = cue
        elif intent in FLOW_ACTS and not focus.get("awaiting") and not cannot_get_done(text):
            cue = cue_act(text)
            link = link or self.linker.link(text)
            if cue and link.confident and link.top and link.top.score >= FLOW_OVERRIDE:
                intent = cue
        if markup_only(text):
            # "<img src=x onerror=alert(1)>": nothing a person wrote is left to answer about.
            answer = self._done(Answer([Reply(T.MARKUP_ONLY)], "social"))
            answer.act, answer.focus = "nlu_fallback", {k: focus.get(k, "") for k in FOCUS_KEYS}
            return answer
        if focus.get("awaiting") in LEAVABLE and self._asks_anew(text, intent, focus, link):
            # A flow waiting for details or a contact lets a new, clearly named question through:
            # what was reported is filed (without a contact) rather than lost.
            link = link or self.linker.link(text)
            left = self.desk.leave(focus)
            focus = {**focus, **left.focus}
            answer = self._respond(text, intent, entities, focus, offered, link)
            answer.replies = left.replies + answer.replies
            answer.ticket = left.ticket
            answer.focus = {**focus, **answer.focus, "awaiting": ""}
            return self._finish(answer, intent, text, link)
        about_others = (
            intent in ("complain", "report_cannot_get_done")
            and not focus.get("awaiting")
            and not cannot_get_done(text)
            and not _ABOUT_SERVICE.search(normalize(text))
        )
        if about_others:
            link = link or self.linker.link(text)
        if about_others and link is not None and self._complaint_elsewhere(link):
            # 楼上装修太吵了: not a ticket about the halls, a pointer to who deals with it.
            answer = self._done(Answer(self.referral(link), "referral", link, unanswered=True))
            answer.focus = dict(focus)
        elif (service := self.desk.handle(text, intent, entities, focus)) is not None:
            answer = self._done(
                Answer(
                    service.replies, service.kind, ticket=service.ticket, rating=service.rating, handoff=service.handoff
                )
            )
            answer.focus = {**focus, **service.focus}
            if service.kind == "ticket_detail" and not focus.get("matter") and not text.startswith("/"):
                # "营业执照跑了三趟没办成": the ticket is about the matter the message names.
                link = link or self.linker.link(text)
                if link.confident and link.top:
                    answer.focus["matter"] = link.top.matter.id
            if service.rating:
                answer.focus["rated"] = "done"
        else:
            answer = self._respond(text, intent, entities, focus, offered, link)
            answer.focus = {**focus, **answer.focus}
            if answer.kind in MATTER_KINDS:
                answer.focus["awaiting"] = ""
            if answer.kind in ("package", "matter_choice"):
                # The matter asked about before is no longer what the person is on.
                answer.focus.update(matter="", case="")
        return self._finish(answer, intent, text, link)

    def _finish(self, answer: Answer, intent: str, text: str, link: LinkResult | None) -> Answer:
        """The act, the focus to keep and the candidates, the same for every path."""
        # A message DIET could not place but the catalog answered was a question about a matter.
        if intent in ("nlu_fallback", "inform") and answer.kind in MATTER_KINDS:
            intent = "ask_materials"
        answer.act = intent
        answer.focus = {k: answer.focus.get(k, "") for k in FOCUS_KEYS}
        if answer.link is None and not text.startswith("/"):
            # The candidates are always reported (ask --jsonl, the clerk panel), whatever the flow.
            answer.link = link or self.linker.link(text)
        return answer

    def _asks_anew(self, text: str, intent: str, focus: dict[str, str], link: LinkResult | None) -> bool:
        """While a flow waits for details or a contact: the message is a new question that names a
        matter ("我想开饭店"), not the details ("在三号窗口，说材料不全") nor a contact. Details are
        expected after "请简单说说…", so only a plain question about a clear matter leaves that step."""
        if intent not in QUESTION_ACTS or cannot_get_done(text) or find_phone(text) or text.startswith("/"):
            return False
        link = link or self.linker.link(text)
        if focus.get("awaiting") == "ticket_detail":
            return bool(cue_act(text) and link.confident and link.top and link.top.score >= FLOW_OVERRIDE)
        return link.confident or link.ambiguous

    def _respond(
        self,
        text: str,
        intent: str,
        entities: dict[str, str],
        focus: dict[str, str],
        offered: Sequence[str],
        link: LinkResult | None,
    ) -> Answer:
        if intent == "choose_matter":
            # A button payload names the matter; "第二个" points into the buttons offered last
            # (the linker's guess at such a text means nothing).
            if text.startswith("/"):
                chosen, case_id = entities.get("matter"), entities.get("case", "")
            else:
                chosen, _, case_id = (pick(text, offered) or "").partition("#")
                if chosen == NONE_VALUE:
                    return self._done(Answer([Reply(T.NONE_OF_THESE_REPLY)], "referral", unanswered=True))
            matter = self.catalog.matter(chosen or "")
            if matter is not None:
                return self.about(matter, matter.case(case_id))
        named = self.catalog.matter(entities.get("matter", "")) if text.startswith("/") else None
        if named is not None and intent in FOLLOW_UP_ACTS:
            # A card's button (全部办理地点 → /ask_where{"matter": …}) asks about that card's matter.
            return self._about(named, named.case(entities.get("case", "")), intent, None)
        if intent == "none_of_these":
            return self._done(Answer([Reply(T.NONE_OF_THESE_REPLY)], "referral", unanswered=True))
        in_focus = self.catalog.matter(focus.get("matter", ""))
        if intent == "inform" and in_focus is not None and in_focus.cases and not focus.get("case"):
            # An answer to the 情形 question: "父母都是本市户口".
            case = self.linker.detect_case(in_focus, text, self.linker.query_vector(text))
            if case is not None:
                return self.about(in_focus, case)
        if intent in ("affirm", "deny") and says_little(text):
            return self._done(Answer([Reply(T.ACK)], "social"))
        if intent in ("nlu_fallback", "inform", "affirm", "deny", "choose_matter"):
            # Still try the catalog: DIET may not know the act while the linker knows the matter.
            intent = "ask_materials"
        return self.answer(text, intent, focus, link, offered)

    def answer(
        self,
        question: str,
        act: str = "ask_materials",
        focus: dict[str, str] | None = None,
        link: LinkResult | None = None,
        offered: Sequence[str] = (),
    ) -> Answer:
        focus = focus or {}
        link = link or self.linker.link(question)
        in_focus = self.catalog.matter(focus.get("matter", ""))
        short = says_little(question)
        if act in SOCIAL_ACTS and (short or not link.confident):
            replies = [Reply(SOCIAL_ACTS[act])]
            ending = act in ("goodbye", "thank") and not focus.get("rated")
            if ending:
                # The end of a conversation: thanks and 好差评, whose buttons are the pointer the
                # guard looks for (so no 12345 line is added).
                replies.append(self.desk.rating_offer())
            answer = self._done(Answer(replies, "social", link))
            if ending:
                answer.focus["rated"] = "offered"
            return answer
        if in_focus is not None and act in FOLLOW_UP_ACTS and short:
            # "那要多少钱？" names no matter: it asks about the one in focus.
            return self._in_focus(in_focus, act, focus, link)
        if in_focus is None and act in FOLLOW_UP_ACTS and act != "ask_materials" and short:
            if len(choice := self._offered(offered)) > 1:
                # "那要多少钱" after a choice of matters: the same for all of them, or "which one?".
                return self._done(Answer([self._follow_up_choice(choice, act)], "follow_up", link))
            if not link.confident:
                # "要多久" with nothing in focus: which matter, not a guess among unrelated ones.
                return self._done(Answer([Reply(T.FOLLOW_NO_FOCUS)], "social", link, unanswered=True))
        package = link.package
        if package and (not link.top or link.packages[0][1] >= link.top.lexical):
            return self._done(Answer([package_card(self.catalog, package)], "package", link))
        if self._directory_leads(link):
            return self._done(Answer(self.referral(link), "referral", link, unanswered=True))
        if not has_words(question):
            # "123456", "？？？": nothing to look up (a number asked for is taken by the flows first).
            return self._done(Answer([Reply(T.MARKUP_ONLY)], "social", link))
        if link.confident and link.top:
            return self._about(link.top.matter, link.top.case, act, link)
        if in_focus is not None and act in FOLLOW_UP_ACTS and (not link.top or link.top.score < 0.6):
            return self._in_focus(in_focus, act, focus, link)
        if link.top and link.top.lexical <= UNRELATED_WORDING:
            # "我爱你", "天王盖地虎": no word of the question is in any likely matter, and meaning
            # alone is not sure: offering matters would be a guess (measured on eval/: 1 of 549
            # in-catalog questions lost, 33 of 74 not-a-matter messages no longer offered matters).
            return self._done(Answer(self.referral(link), "referral", link, unanswered=True))
        if link.ambiguous and link.top:
            floor = max(PLAUSIBLE, link.top.score - CHOICE_SPAN)
            close = [c for c in link.matters if c.score >= floor][:CHOICE_MAX]
            if len(close) == 1 and close[0].score >= LONE_ANSWER:
                # One plausible matter is answered, never offered as a one-button choice.
                return self._about(close[0].matter, close[0].case, act, link)
            if len(close) > 1:
                return self._done(Answer([matter_choice([c.matter for c in close])], "matter_choice", link))
        spread = [c for c in link.matters[:CHOICE_MAX] if c.score >= SPREAD_MIN]
        if len(spread) >= 2 and sum(c.score for c in spread) >= PLAUSIBLE:
            # "身份证" alone: no one matter is likely, but together a few are (首次申领, 换领, 补领).
            return self._done(Answer([matter_choice([c.matter for c in spread])], "matter_choice", link))
        return self._done(Answer(self.referral(link), "referral", link, unanswered=True))

    def _in_focus(self, matter: Matter, act: str, focus: dict[str, str], link: LinkResult) -> Answer:
        """A follow-up about the matter in focus; while its 情形 is still open, the case buttons come
        again, so that "第一个" after "那要多少钱" still picks a case."""
        case = matter.case(focus.get("case", ""))
        reply = follow_up(self.catalog, matter, act, case)
        if matter.cases and case is None and not reply.buttons:
            reply.buttons = case_choice(matter).buttons
        return self._done(Answer([reply], "follow_up", link, matter, case))

    def _offered(self, offered: Sequence[str]) -> list[Matter]:
        """The matters of the choice shown last (button values "MATTER" or "MATTER#CASE"), in order."""
        ids = dict.fromkeys(v.partition("#")[0] for v in offered if v)
        return [m for i in ids if (m := self.catalog.matter(i)) is not None]

    def _follow_up_choice(self, matters: list[Matter], act: str) -> Reply:
        """One follow-up for several matters: said once when every matter gives the same answer."""
        said, phones, gist = [], [], []
        for m in matters:
            suffix = T.FOLLOW_PHONE_SUFFIX.format(phone=consult_phone(m))
            text = follow_up(self.catalog, m, act).text.replace(f"「{m.name}」", "", 1)
            said.append(text.removesuffix(suffix))
            phones.append(suffix if text.endswith(suffix) else "")
            gist.append(_gist(m, act, said[-1]))
        names = "、".join(f"「{m.name}」" for m in matters)
        if len(set(gist)) == 1:
            # (the phone only when it is one for all; else each card has its own)
            phone = phones[0] if len(set(phones)) == 1 else ""
            if len(set(said)) > 1:
                # Same amount or days, worded differently: say what they share, not one's notes.
                said = [_shared(matters[0], act, gist[0])]
            # The choice stays open: its buttons come again ("第二个" still picks from them).
            return Reply(T.FOLLOW_ALL_SAME.format(names=names, text=said[0]) + phone, matter_choice(matters).buttons)
        which = matter_choice(matters)
        return Reply(T.FOLLOW_WHICH.format(names=names), which.buttons)

    def about(self, matter: Matter, case: Case | None = None, act: str = "ask_materials") -> Answer:
        """The answer once the matter (and maybe the case) is chosen, e.g. from a button."""
        return self._about(matter, case, act, None)

    def _about(self, matter: Matter, case: Case | None, act: str, link: LinkResult | None) -> Answer:
        if matter.cases and case is None and act in ("ask_materials", "ask_process"):
            return self._done(Answer([case_choice(matter)], "case_choice", link, matter))
        if act in FOLLOW_UP_ACTS and act != "ask_materials":
            replies = [follow_up(self.catalog, matter, act, case)]
            return self._done(Answer(replies, "follow_up", link, matter, case))
        return self._done(Answer(card(self.catalog, matter, case), "card", link, matter, case))

    def _complaint_elsewhere(self, link: LinkResult) -> bool:
        """A complaint about someone other than the halls that the directory knows where to take:
        nearer a directory entry than any matter, or matching one well while no matter is likely."""
        if self._directory_leads(link) or (link.directory_gap is not None and link.directory_gap >= DIRECTORY_GAP):
            return True
        return not link.confident and any(d.phone and sc >= COMPLAINT_REFERRAL for d, sc in link.departments)

    @staticmethod
    def _directory_leads(link: LinkResult) -> bool:
        """停电了找谁: a utility or service outside the catalog (the power company) is nearer in
        meaning than any matter, or fits far better by wording. A government department matching its own name does not count: its
        matters are in the catalog and are offered instead."""
        gap, top = link.directory_gap, link.top
        if gap is not None and any(d.phone for d, _ in link.departments):
            if gap >= DIRECTORY_GAP and (top is None or top.score < DIRECTORY_GAP_TOP):
                return True
            if gap >= DIRECTORY_NEARER and (top is None or top.lexical < DIRECTORY_WEAK_WORDING):
                # The top matter shares a word or two (电话, 家里) and nothing more with the question.
                return True
        if not link.departments or link.departments[0][0].kind != "public_service":
            return False
        best = link.departments[0][1]
        return best >= DIRECTORY_CLEAR and best >= (link.top.score if link.top else 0.0) + DIRECTORY_LEAD

    def referral(self, link: LinkResult) -> list[Reply]:
        dept: Department | None = None
        # The best directory entry a person can call: one without a phone is no pointer.
        callable_ = [(d, s) for d, s in link.departments if d.phone]
        if callable_ and callable_[0][1] >= REFERRAL_MIN:
            dept = callable_[0][0]
        if dept is None:
            dept = self._shared_department(link)
        replies: list[Reply] = []
        if dept is not None:
            replies.append(
                Reply(
                    T.REFER.format(
                        name=dept.name,
                        phone=dept.phone,
                        address=f"，地址：{dept.address}" if dept.address else "",
                        hours=f"（{dept.hours}）" if dept.hours else "",
                        ask_for=T.REFER_ASK_FOR.format(ask_for=dept.ask_for) if dept.ask_for else "",
                    )
                )
            )
        replies.append(Reply(T.REFER_HOTLINE + T.REFER_RECORDED))
        return replies

    def _shared_department(self, link: LinkResult) -> Department | None:
        """No matter fits, but the nearest ones are all handled by one department: that one."""
        near = [c.matter for c in link.matters[:3] if c.score >= NEAR_MATTER]
        if len(near) < 2 or len({m.department for m in near}) != 1:
            return None
        m = near[0]
        dept = self.catalog.department(m.department_id) if m.department_id else None
        if dept is None:
            dept = next((d for d in self.catalog.departments if d.name == m.department), None)
        return dept if dept is not None and dept.phone else None

    @staticmethod
    def _done(answer: Answer) -> Answer:
        answer.replies = bubbles(guard(answer.replies))
        if answer.matter is not None:
            answer.focus = {"matter": answer.matter.id, "case": answer.case.id if answer.case else ""}
        return answer

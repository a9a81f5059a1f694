"""Application progress (办件进度): a small documented interface and the built-in store.

    class ProgressBackend(Protocol):
        def lookup(self, application_no: str) -> ProgressRecord | None: ...

A city plugs in its own backend (its approval system's API) by implementing `lookup`; the
built-in `SQLiteProgressStore` keeps records in a SQLite file and can seed demo records so the
single-node stack answers "我的申请办到哪了" out of the box.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .entities import APPLICATION_NO, first
from .ticket_numbers import find_ticket_number

__all__ = ["DEMO_RECORDS", "ProgressBackend", "ProgressRecord", "SQLiteProgressStore", "find_application_no"]


@dataclass(frozen=True)
class ProgressRecord:
    application_no: str
    matter: str
    status: str  # 已受理 / 审查中 / 已办结 / 待补正 / 已退回
    step: str  # the step it is at, in plain words
    updated: str  # ISO date
    next_action: str = ""  # what the person should do now, if anything
    phone: str = ""


class ProgressBackend(Protocol):
    def lookup(self, application_no: str) -> ProgressRecord | None: ...


def find_application_no(text: str) -> str | None:
    """The application number in a message, upper-cased (never an ID number or a phone): the
    grammar is shouwen_core.entities, which the NLU's entity extractor reads messages with too.
    A ticket number (BC…, shouwen_core.ticket_numbers) is asked about the same way."""
    entity = first(text, APPLICATION_NO)
    return entity.value if entity else find_ticket_number(text)


DEMO_RECORDS = [
    ProgressRecord(
        "SL2026110001", "居民身份证换领", "审查中", "证件制作中（省公安厅制证）", "2026-11-18", "", "0123-86630110"
    ),
    ProgressRecord(
        "SL2026110002",
        "普通护照签发",
        "已办结",
        "证件已寄出（EMS）",
        "2026-11-20",
        "留意快递短信，签收时出示身份证",
        "0123-86630120",
    ),
    ProgressRecord(
        "SL2026110003",
        "食品经营许可（新办）",
        "待补正",
        "材料审查",
        "2026-11-19",
        "补交：从业人员健康证明；可网上上传或到E区窗口",
        "0123-86660315",
    ),
    ProgressRecord("SL2026110004", "住房公积金提取", "已受理", "等待审核", "2026-11-21", "", "12329"),
    ProgressRecord(
        "SL2026110005",
        "不动产转移登记（二手房买卖、赠与、继承）",
        "已办结",
        "可领取不动产权证书",
        "2026-11-22",
        "带受理回执和身份证到不动产登记中心领证窗口",
        "0123-86670500",
    ),
]


class SQLiteProgressStore:
    def __init__(self, path: str | Path, seed_demo: bool = False) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS progress (application_no TEXT PRIMARY KEY, matter TEXT, status TEXT,"
            " step TEXT, updated TEXT, next_action TEXT, phone TEXT)"
        )
        if seed_demo:
            self.put(*DEMO_RECORDS)

    def put(self, *records: ProgressRecord) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO progress VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(r.application_no, r.matter, r.status, r.step, r.updated, r.next_action, r.phone) for r in records],
            )

    def lookup(self, application_no: str) -> ProgressRecord | None:
        row = self._db.execute(
            "SELECT application_no, matter, status, step, updated, next_action, phone FROM progress"
            " WHERE application_no = ?",
            (application_no.upper(),),
        ).fetchone()
        return ProgressRecord(*row) if row else None

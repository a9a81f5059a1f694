"""The catalog model: matters (事项) with their cases (情形), halls, departments, packages.

Plain dataclasses built from the JSON documented in docs/catalog.md; `to_dict` gives back
that JSON, without empty fields, so that an imported catalog round-trips.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

__all__ = [
    "FORMAT",
    "Case",
    "Catalog",
    "Department",
    "Fee",
    "Hall",
    "HallWindow",
    "Material",
    "Matter",
    "Package",
    "PackageStep",
    "Phones",
    "TimeLimit",
    "Where",
    "Window",
]

FORMAT = "shouwen-catalog/1"


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def _compact(value: Any) -> Any:
    """Drop None, empty strings and empty lists/dicts, recursively."""
    if isinstance(value, dict):
        out = {k: _compact(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


@dataclass
class Material:
    name: str
    form: str = ""
    copies: int | None = None
    medium: str = ""
    required: bool = True
    tolerance: bool = False
    notes: str = ""
    download: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Material:
        return cls(**_known(cls, data))


@dataclass
class TimeLimit:
    legal_days: int | None = None
    promised_days: int | None = None
    note: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> TimeLimit:
        return cls(**_known(cls, data or {}))

    @property
    def known(self) -> bool:
        return self.legal_days is not None or self.promised_days is not None or bool(self.note)


@dataclass
class Fee:
    free: bool | None = None
    description: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Fee:
        return cls(**_known(cls, data or {}))

    @property
    def known(self) -> bool:
        return self.free is not None or bool(self.description)


@dataclass
class Case:
    id: str
    name: str
    keywords: list[str] = field(default_factory=list)
    conditions: str = ""
    materials: list[Material] = field(default_factory=list)
    time_limit: TimeLimit | None = None
    fee: Fee | None = None
    notes: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Case:
        d = _known(cls, data)
        d["materials"] = [Material.from_dict(m) for m in data.get("materials", [])]
        d["time_limit"] = TimeLimit.from_dict(data["time_limit"]) if data.get("time_limit") else None
        d["fee"] = Fee.from_dict(data["fee"]) if data.get("fee") else None
        return cls(**d)


@dataclass
class HallWindow:
    hall: str
    windows: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HallWindow:
        return cls(**_known(cls, data))


@dataclass
class Where:
    online: str = ""
    online_url: str = ""
    app: str = ""
    halls: list[HallWindow] = field(default_factory=list)
    citywide: bool | None = None
    in_person: bool | None = None
    visits: int | None = None
    # Free-text location from imported catalogs that name no hall of ours.
    location: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Where:
        data = data or {}
        d = _known(cls, data)
        d["halls"] = [HallWindow.from_dict(h) for h in data.get("halls", [])]
        return cls(**d)

    @property
    def known(self) -> bool:
        return bool(self.online_url or self.halls or self.location or self.app)


@dataclass
class Phones:
    consult: str = ""
    complaint: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Phones:
        return cls(**_known(cls, data or {}))


@dataclass
class Matter:
    id: str
    name: str
    department: str
    aliases: list[str] = field(default_factory=list)
    department_id: str = ""
    level: str = ""
    type: str = ""
    themes: list[str] = field(default_factory=list)
    life_events: list[str] = field(default_factory=list)
    service_objects: list[str] = field(default_factory=list)
    conditions: str = ""
    case_question: str = ""
    cases: list[Case] = field(default_factory=list)
    materials: list[Material] = field(default_factory=list)
    where: Where = field(default_factory=Where)
    time_limit: TimeLimit = field(default_factory=TimeLimit)
    fee: Fee = field(default_factory=Fee)
    phones: Phones = field(default_factory=Phones)
    process: list[str] = field(default_factory=list)
    next_step: str = ""
    basis: str = ""
    url: str = ""
    notes: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Matter:
        d = _known(cls, data)
        d["cases"] = [Case.from_dict(c) for c in data.get("cases", [])]
        d["materials"] = [Material.from_dict(m) for m in data.get("materials", [])]
        d["where"] = Where.from_dict(data.get("where"))
        d["time_limit"] = TimeLimit.from_dict(data.get("time_limit"))
        d["fee"] = Fee.from_dict(data.get("fee"))
        d["phones"] = Phones.from_dict(data.get("phones"))
        return cls(**d)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = _compact(asdict(self))
        return out

    def case(self, case_id: str) -> Case | None:
        return next((c for c in self.cases if c.id == case_id), None)


@dataclass
class Window:
    no: str
    name: str
    handles: str = ""


@dataclass
class Hall:
    id: str
    name: str
    address: str
    district: str = ""
    hours: str = ""
    phone: str = ""
    transport: str = ""
    windows: list[Window] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Hall:
        d = _known(cls, data)
        d["windows"] = [Window(**_known(Window, w)) for w in data.get("windows", [])]
        return cls(**d)


@dataclass
class Department:
    id: str
    name: str
    # An imported department without a phone in the export has none; referrals skip it.
    phone: str = ""
    kind: str = "department"
    handles: list[str] = field(default_factory=list)
    address: str = ""
    hours: str = ""
    url: str = ""
    ask_for: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Department:
        return cls(**_known(cls, data))


@dataclass
class PackageStep:
    matter: str
    together: bool = False
    note: str = ""


@dataclass
class Package:
    id: str
    name: str
    steps: list[PackageStep]
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    one_form: bool = False
    where: Where = field(default_factory=Where)
    time_limit: TimeLimit = field(default_factory=TimeLimit)
    phone: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Package:
        d = _known(cls, data)
        d["steps"] = [PackageStep(**_known(PackageStep, s)) for s in data.get("steps", [])]
        d["where"] = Where.from_dict(data.get("where"))
        d["time_limit"] = TimeLimit.from_dict(data.get("time_limit"))
        return cls(**d)


@dataclass
class CitySettings:
    """The city's own facts that replies name (catalog.json "settings"): written once here, filled
    into the wording (shouwen_core.replies) instead of being written into the sentences."""

    hotline: str = "12345"
    hotline_name: str = "政务服务便民热线"
    # The hall with the 办不成事 反映 window and the hall's help desk (帮办代办).
    main_hall: str = "市民中心"
    cannot_window: str = "Z01"
    helpdesk_window: str = "Z02"
    # When a person can reach a clerk in chat (the hand-off).
    staffed_hours: str = "周一至周五 9:00-12:00、13:30-17:30"
    timezone: str = "Asia/Shanghai"

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> CitySettings:
        return cls(**{k: str(v) for k, v in _known(cls, data or {}).items()})


@dataclass
class Catalog:
    matters: list[Matter]
    halls: list[Hall] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    packages: list[Package] = field(default_factory=list)
    version: str = ""
    city: str = ""
    source: str = ""
    settings: CitySettings = field(default_factory=CitySettings)

    def __post_init__(self) -> None:
        self._matters = {m.id: m for m in self.matters}
        self._halls = {h.id: h for h in self.halls}
        self._departments = {d.id: d for d in self.departments}

    def matter(self, matter_id: str) -> Matter | None:
        return self._matters.get(matter_id)

    def public_phones(self) -> list[str]:
        """Every phone the catalog publishes (halls, departments, matters, packages)."""
        return [
            *(h.phone for h in self.halls),
            *(d.phone for d in self.departments),
            *(p for m in self.matters for p in (m.phones.consult, m.phones.complaint)),
            *(p.phone for p in self.packages),
        ]

    def hall(self, hall_id: str) -> Hall | None:
        return self._halls.get(hall_id)

    def department(self, dept_id: str) -> Department | None:
        return self._departments.get(dept_id)

    def department_by_name(self, name: str) -> Department | None:
        return next((d for d in self.departments if d.name == name), None)

    def hotline(self, number: str = "12345") -> Department | None:
        return next((d for d in self.departments if d.phone == number), None)

    def with_aliases(self, extra: dict[str, list[str]]) -> Catalog:
        """A copy whose matters also answer to `extra` aliases (staff's overlay); unknown ids are skipped."""
        if not any(mid in self._matters for mid in extra):
            return self
        matters = [
            replace(m, aliases=[*m.aliases, *(a for a in extra[m.id] if a not in m.aliases)]) if m.id in extra else m
            for m in self.matters
        ]
        return replace(self, matters=matters)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Catalog:
        return cls(
            matters=[Matter.from_dict(m) for m in data.get("matters", [])],
            halls=[Hall.from_dict(h) for h in data.get("halls", [])],
            departments=[Department.from_dict(d) for d in data.get("departments", [])],
            packages=[Package.from_dict(p) for p in data.get("packages", [])],
            version=data.get("version", ""),
            city=data.get("city", ""),
            source=data.get("source", ""),
            settings=CitySettings.from_dict(data.get("settings")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": self.version,
            "city": self.city,
            "source": self.source,
            "settings": asdict(self.settings),
            "matters": [m.to_dict() for m in self.matters],
            "halls": [_compact(asdict(h)) for h in self.halls],
            "departments": [_compact(asdict(d)) for d in self.departments],
            "packages": [_compact(asdict(p)) for p in self.packages],
        }

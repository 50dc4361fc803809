"""The worksheet (LKE) as validated, immutable data."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

from .errors import SpecError

QuestionType = Literal["ya_tidak", "abc", "abcd", "abcde", "ratio"]
Aspect = Literal["pemenuhan", "reform"]
CHOICE_TYPES = ("ya_tidak", "abc", "abcd", "abcde")
AREA_KEYS = (
    "manajemen_perubahan",
    "penataan_tatalaksana",
    "penataan_sdm",
    "penguatan_akuntabilitas",
    "penguatan_pengawasan",
    "pelayanan_publik",
)
BUNDLED_SPEC = "lke-90-2021.yaml"
PREDICATES = ("WBK", "WBBM")
# Question and sub-indicator IDs: letters and digits only (they travel in Telegram callback data, at most 64 bytes,
# next to other fields, and in a 20-character database column); option codes and count names likewise bounded.
_ID_RE = re.compile(r"^[A-Za-z0-9]{1,20}$")
_CODE_RE = re.compile(r"^[A-Za-z]{1,5}$")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class Option:
    code: str
    value: float
    hint: str = ""


@dataclass(frozen=True)
class RatioRule:
    """`ratio`: numerator / denominator; `decrease`: (previous - current) / previous. Capped to [0, 1]."""

    kind: Literal["ratio", "decrease"]
    numerator: str
    denominator: str
    zero_denominator: float = 0.0
    part_may_exceed: bool = False
    record: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.denominator, self.numerator, *self.record)


@dataclass(frozen=True)
class Question:
    id: str
    label: str
    type: QuestionType
    area_key: str
    aspect: Aspect
    sub_id: str
    options: tuple[Option, ...] = ()
    rule: RatioRule | None = None
    # A rule of this project where the regulation is silent (e.g. what nothing owed scores), shown where the answer
    # is entered and in the scorecard's notes.
    policy: str | None = None

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)

    @property
    def best_option(self) -> str:
        return self.options[0].code if self.options else "100%"


@dataclass(frozen=True)
class SubIndicator:
    id: str
    name: str
    weight: float
    aspect: Aspect
    area_key: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Area:
    key: str
    name: str
    weight: float
    subs: tuple[SubIndicator, ...]

    def aspect_weight(self, aspect: Aspect) -> float:
        return sum(s.weight for s in self.subs if s.aspect == aspect)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.subs for q in s.questions)


@dataclass(frozen=True)
class HasilItem:
    key: str
    label: str
    group: str
    type: Literal["survey_index", "abcde"]
    weight: float
    scale_max: float = 4.0
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class GateSpec:
    total: float
    pengungkit: float
    area_share: float
    birokrasi_bersih: float
    ipak: float
    capaian_kinerja: float
    ipkp: float
    requires_predikat: str | None = None


@dataclass(frozen=True)
class ReadinessItem:
    """A Tabel 5 requirement for proposing a unit to TPN, for the predicates it applies to."""

    key: str
    label: str
    predicates: tuple[str, ...] = PREDICATES


@dataclass(frozen=True)
class WorksheetSpec:
    key: str
    title: str
    digest: str
    areas: tuple[Area, ...]
    hasil: tuple[HasilItem, ...]
    gates: Mapping[str, GateSpec]
    readiness: tuple[ReadinessItem, ...]
    questions: Mapping[str, Question] = field(default_factory=dict)

    def area(self, key: str) -> Area:
        for area in self.areas:
            if area.key == key:
                return area
        raise KeyError(key)

    def hasil_item(self, key: str) -> HasilItem:
        for item in self.hasil:
            if item.key == key:
                return item
        raise KeyError(key)

    def sub(self, sub_id: str) -> SubIndicator:
        for area in self.areas:
            for sub in area.subs:
                if sub.id == sub_id:
                    return sub
        raise KeyError(sub_id)

    @property
    def ordered_questions(self) -> tuple[Question, ...]:
        return tuple(q for a in self.areas for q in a.questions)

    @property
    def pengungkit_max(self) -> float:
        """The most the enablers (the six areas) can score: 60 under PermenPANRB 90/2021."""
        return sum(a.weight for a in self.areas)

    @property
    def hasil_max(self) -> float:
        """The most the results (surveys and performance) can score: 40 under PermenPANRB 90/2021."""
        return sum(h.weight for h in self.hasil)

    def area_minimum(self, area_key: str, predicate: str) -> float:
        """The least an area must score for a predicate (Tabel 6: a share of the area's weight)."""
        return self.area(area_key).weight * self.gates[predicate].area_share


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, abs_tol=1e-6)


def _weight(raw: Any, where: str) -> float:
    """A weight: a finite number, not negative."""
    if isinstance(raw, bool):
        raise SpecError(f"{where}: bobot {raw!r} bukan angka")
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise SpecError(f"{where}: bobot {raw!r} bukan angka") from None
    if not math.isfinite(value) or value < 0:
        raise SpecError(f"{where}: bobot {value:g} harus angka terhingga dan tidak negatif")
    return value


def _identifier(raw: Any, where: str, pattern: re.Pattern[str] = _ID_RE) -> str:
    text = str(raw)
    if not pattern.match(text):
        raise SpecError(f"{where}: ID {text!r} tidak valid (huruf dan angka saja, paling banyak 20 karakter)")
    return text


def _options(kind: str, values: Mapping[str, Any], hints: Mapping[str, Any], where: str) -> tuple[Option, ...]:
    if kind not in values:
        raise SpecError(f"{where}: tidak ada nilai opsi untuk tipe {kind!r}")
    out = []
    for code, value in values[kind].items():
        if kind != "ya_tidak":
            _identifier(code, f"{where}: kode opsi", _CODE_RE)
        v = float(value)
        if not math.isfinite(v) or not 0.0 <= v <= 1.0:
            raise SpecError(f"{where}: nilai opsi {code} = {v} di luar rentang 0..1")
        out.append(Option(str(code), v, str(hints.get(code, ""))))
    return tuple(out)


def _rule(raw: Mapping[str, Any], where: str) -> RatioRule:
    kind = raw.get("type")
    record = tuple(_identifier(k, f"{where}: isian", _KEY_RE) for k in raw.get("record", ()))
    if kind == "ratio":
        zero = float(raw.get("zero_denominator", 0.0))
        if not 0.0 <= zero <= 1.0:
            raise SpecError(f"{where}: zero_denominator {zero:g} di luar rentang 0..1")
        rule = RatioRule(
            "ratio",
            _identifier(raw["numerator"], f"{where}: isian", _KEY_RE),
            _identifier(raw["denominator"], f"{where}: isian", _KEY_RE),
            zero,
            bool(raw.get("part_may_exceed", False)),
            record,
        )
    elif kind == "decrease":
        rule = RatioRule(
            "decrease",
            _identifier(raw["current"], f"{where}: isian", _KEY_RE),
            _identifier(raw["previous"], f"{where}: isian", _KEY_RE),
            record=record,
        )
    else:
        raise SpecError(f"{where}: aturan rasio {kind!r} tidak dikenal (ratio atau decrease)")
    if len(set(rule.keys)) != len(rule.keys):
        raise SpecError(f"{where}: nama isian ganda")
    return rule


def _readiness(raw: Mapping[str, Any]) -> ReadinessItem:
    key = _identifier(raw["key"], "butir kesiapan", _KEY_RE)
    predicates = tuple(str(p).upper() for p in raw.get("predicates", PREDICATES))
    if not predicates or set(predicates) - set(PREDICATES):
        raise SpecError(f"butir kesiapan {key}: predikat {list(predicates)} tidak dikenal")
    return ReadinessItem(key, str(raw["label"]), predicates)


def build_spec(data: Mapping[str, Any], digest: str | None = None) -> WorksheetSpec:
    """Turn parsed spec data into a WorksheetSpec, failing with a precise message on any inconsistency."""
    try:
        return _build(data, digest)
    except SpecError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise SpecError(f"spesifikasi LKE tidak lengkap atau salah bentuk: {str(exc)[:200]}") from None


def _build(data: Mapping[str, Any], digest: str | None) -> WorksheetSpec:
    values = data["option_values"]
    type_hints = data.get("option_hints", {})
    areas: list[Area] = []
    questions: dict[str, Question] = {}
    sub_ids: set[str] = set()
    area_keys: set[str] = set()
    for raw_area in data["areas"]:
        key = _identifier(raw_area["key"], "area", _KEY_RE)
        if key in area_keys:
            raise SpecError(f"area {key}: kunci ganda")
        area_keys.add(key)
        subs: list[SubIndicator] = []
        for aspect in ("pemenuhan", "reform"):
            for raw_sub in raw_area.get(aspect) or []:
                sub_id = _identifier(raw_sub["id"], "sub-indikator")
                if sub_id.upper() in sub_ids:
                    raise SpecError(f"sub-indikator {sub_id}: ID ganda")
                sub_ids.add(sub_id.upper())
                qs: list[Question] = []
                for raw_q in raw_sub["questions"]:
                    qid = _identifier(raw_q["id"], "pertanyaan")
                    where = f"pertanyaan {qid}"
                    if qid.upper() in questions or qid != qid.upper():
                        raise SpecError(f"{where}: ID ganda atau bukan huruf besar")
                    policy = str(raw_q["policy"]) if raw_q.get("policy") else None
                    if "rule" in raw_q:
                        rule = _rule(raw_q["rule"], where)
                        q = Question(qid, str(raw_q["label"]), "ratio", key, aspect, sub_id, rule=rule, policy=policy)
                    elif raw_q.get("type") in CHOICE_TYPES:
                        hints = {**type_hints.get(raw_q["type"], {}), **raw_q.get("hints", {})}
                        opts = _options(raw_q["type"], values, hints, where)
                        q = Question(
                            qid, str(raw_q["label"]), raw_q["type"], key, aspect, sub_id, options=opts, policy=policy
                        )
                    else:
                        raise SpecError(f"{where}: tidak punya aturan penilaian (type atau rule)")
                    questions[qid] = q
                    qs.append(q)
                if not qs:
                    raise SpecError(f"sub-indikator {sub_id}: tidak punya pertanyaan")
                weight = _weight(raw_sub["weight"], f"sub-indikator {sub_id}")
                subs.append(SubIndicator(sub_id, str(raw_sub["name"]), weight, aspect, key, tuple(qs)))
        area = Area(key, str(raw_area["name"]), _weight(raw_area["weight"], f"area {key}"), tuple(subs))
        for aspect in ("pemenuhan", "reform"):
            got = area.aspect_weight(aspect)  # type: ignore[arg-type]
            if not _close(got, area.weight / 2):
                raise SpecError(f"area {key}: bobot {aspect} berjumlah {got:g}, seharusnya {area.weight / 2:g}")
        areas.append(area)
    for aspect, expected in data.get("aspects", {"pemenuhan": 30.0, "reform": 30.0}).items():
        got = sum(a.aspect_weight(aspect) for a in areas)
        if not _close(got, float(expected)):
            raise SpecError(f"bobot {aspect} semua area berjumlah {got:g}, seharusnya {float(expected):g}")
    total_pengungkit = sum(a.weight for a in areas)
    if not _close(total_pengungkit, 60.0):
        raise SpecError(f"bobot pengungkit berjumlah {total_pengungkit:g}, seharusnya 60")
    hasil: list[HasilItem] = []
    for raw in data["hasil"]["items"]:
        opts = _options("abcde", values, raw.get("hints", {}), f"hasil {raw['key']}") if raw["type"] == "abcde" else ()
        hasil.append(
            HasilItem(
                str(raw["key"]),
                str(raw["label"]),
                str(raw["group"]),
                raw["type"],
                _weight(raw["weight"], f"hasil {raw['key']}"),
                float(raw.get("scale_max", 4.0)),
                opts,
            )
        )
    hasil_total = sum(h.weight for h in hasil)
    if not _close(hasil_total, float(data["hasil"].get("total", 40.0))):
        raise SpecError(f"bobot hasil berjumlah {hasil_total:g}, seharusnya {data['hasil'].get('total', 40.0)}")
    if {h.key for h in hasil} != {"ipak", "capaian_kinerja", "ipkp"}:
        raise SpecError("hasil harus berisi tepat ipak, capaian_kinerja dan ipkp")
    gates = {name: GateSpec(**g) for name, g in data["gates"].items()}
    readiness = tuple(_readiness(r) for r in data.get("readiness", []))
    if len({r.key for r in readiness}) != len(readiness):
        raise SpecError("butir kesiapan (Tabel 5) ganda")
    if digest is None:
        digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return WorksheetSpec(
        str(data["key"]), str(data["title"]), digest, tuple(areas), tuple(hasil), gates, readiness, questions
    )


def scoring_signature(spec: WorksheetSpec) -> tuple[Any, ...]:
    """Everything that decides a score: structure, IDs, weights, types, option values, rules, hasil and gates. Two
    specs with the same signature score every worksheet alike (their texts may differ)."""
    areas = tuple(
        (
            a.key,
            a.weight,
            tuple(
                (
                    s.id,
                    s.weight,
                    s.aspect,
                    tuple((q.id, q.type, tuple((o.code, o.value) for o in q.options), q.rule) for q in s.questions),
                )
                for s in a.subs
            ),
        )
        for a in spec.areas
    )
    hasil = tuple(
        (h.key, h.type, h.weight, h.scale_max, tuple((o.code, o.value) for o in h.options)) for h in spec.hasil
    )
    return areas, hasil, tuple(sorted(spec.gates.items()))


def read_spec_data(path: Path | None = None) -> dict[str, Any]:
    """The raw data of a spec file in our format; the bundled LKE 90/2021 when `path` is None."""
    if path is None:
        text = resources.files("zi_core").joinpath("data", BUNDLED_SPEC).read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise SpecError("berkas spesifikasi LKE harus berupa pemetaan YAML")
    return data


def load_spec(path: Path | None = None) -> WorksheetSpec:
    """Load and validate a spec file in our format; the bundled LKE 90/2021 when `path` is None."""
    return build_spec(read_spec_data(path))

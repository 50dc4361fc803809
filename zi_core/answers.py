"""Validation of answers, counts and survey results against a spec. Invalid input raises AnswerError."""

from __future__ import annotations

import math
import re
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import AnswerError
from .spec import Question, RatioRule, WorksheetSpec

Counts = Mapping[str, int]
AnswerValue = str | Counts

# Counts larger than this are typing errors (no unit has a billion complaints), and keep arithmetic exact.
MAX_COUNT = 10**9

_YES = {"ya", "y", "yes", "sudah", "ada"}
_NO = {"tidak", "t", "no", "tdk", "belum", "n"}


@dataclass(frozen=True)
class Hasil:
    ipak: float | None = None
    ipkp: float | None = None
    capaian_kinerja: str | None = None


@dataclass(frozen=True)
class Worksheet:
    unit: str
    answers: Mapping[str, AnswerValue] = field(default_factory=dict)
    hasil: Hasil = field(default_factory=Hasil)
    predikat: str | None = None
    # Tabel 5 requirements met (True) or not (False); an item not given is not met.
    kesiapan: Mapping[str, bool] = field(default_factory=dict)


def _choice(question: Question, raw: str) -> str:
    text = raw.strip()
    lowered = text.lower().rstrip(".")
    if question.type == "ya_tidak":
        if lowered in _YES:
            return "Ya"
        if lowered in _NO:
            return "Tidak"
        raise AnswerError(question.id, f"jawaban {_shown(text)} tidak valid; pilih Ya atau Tidak")
    code = text.upper().rstrip(".")
    if question.option(code) is None:
        codes = "/".join(o.code for o in question.options)
        raise AnswerError(question.id, f"jawaban {_shown(text)} tidak valid; pilih salah satu dari {codes}")
    return code


def _count(question_id: str, key: str, raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise AnswerError(question_id, f"{key} harus bilangan bulat, bukan {_shown(raw)}")
    try:
        value = int(raw)
    except (TypeError, ValueError, OverflowError):
        raise AnswerError(question_id, f"{key} harus bilangan bulat, bukan {_shown(raw)}") from None
    if isinstance(raw, float) and not raw.is_integer():
        raise AnswerError(question_id, f"{key} harus bilangan bulat, bukan {_shown(raw)}")
    if value < 0:
        raise AnswerError(question_id, f"{key} tidak boleh negatif ({value})")
    if value > MAX_COUNT:
        raise AnswerError(question_id, f"{key} terlalu besar ({_shown(raw)}); paling banyak {MAX_COUNT}")
    return value


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxdict, _REPR.maxlist = 2, 3, 3
_REPR.maxstring = _REPR.maxother = _REPR.maxlong = 40


def _shown(raw: Any, limit: int = 40) -> str:
    """A value as quoted in a message, cut short without building its whole text: a hostile file (a YAML alias
    bomb) must not echo megabytes back or take long to describe."""
    text = _REPR.repr(raw)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validate_counts(question: Question, raw: Mapping[str, Any]) -> dict[str, int]:
    rule = question.rule
    assert rule is not None
    unknown = sorted(set(raw) - set(rule.keys))
    if unknown:
        raise AnswerError(
            question.id, f"isian tidak dikenal: {', '.join(unknown)}; yang diminta: {', '.join(rule.keys)}"
        )
    required = (rule.denominator, rule.numerator)
    missing = [k for k in required if k not in raw]
    if missing:
        raise AnswerError(question.id, f"isian belum lengkap: {', '.join(missing)}")
    counts = {k: _count(question.id, k, raw[k]) for k in rule.keys if k in raw}
    for key in rule.record:
        counts.setdefault(key, 0)
    if rule.kind == "ratio" and not rule.part_may_exceed:
        # What is done and what is still in progress are parts of the total: together no more than it.
        parts = (rule.numerator, *rule.record)
        if sum(counts[k] for k in parts) > counts[rule.denominator]:
            shown = " + ".join(f"{k} ({counts[k]})" for k in parts)
            raise AnswerError(
                question.id, f"{shown} tidak boleh lebih besar dari {rule.denominator} ({counts[rule.denominator]})"
            )
    if rule.kind == "decrease":
        # Violations sanctioned are among this year's.
        for key in rule.record:
            if counts[key] > counts[rule.numerator]:
                raise AnswerError(
                    question.id,
                    f"{key} ({counts[key]}) tidak boleh lebih besar dari {rule.numerator} ({counts[rule.numerator]})",
                )
    return counts


def validate_answer(spec: WorksheetSpec, question_id: str, raw: Any) -> AnswerValue:
    """Normalise one answer ('a' -> 'A', 'ya' -> 'Ya', counts -> ints) or raise AnswerError."""
    qid = question_id.strip().upper()
    question = spec.questions.get(qid)
    if question is None:
        raise AnswerError(qid[:40], "ID pertanyaan tidak dikenal")
    if question.type == "ratio":
        if not isinstance(raw, Mapping):
            rule = question.rule
            assert rule is not None
            raise AnswerError(qid, f"pertanyaan ini diisi dengan angka: {', '.join(rule.keys)}")
        return validate_counts(question, raw)
    if not isinstance(raw, str):
        raise AnswerError(qid, f"jawaban {_shown(raw)} tidak valid")
    return _choice(question, raw)


def validate_hasil(spec: WorksheetSpec, raw: Any) -> Hasil:
    if not isinstance(raw, Mapping):
        raise AnswerError("hasil", "hasil harus berupa pemetaan, misalnya {ipak: 3.7, ipkp: 3.5, capaian_kinerja: B}")
    unknown = sorted(str(k)[:40] for k in set(raw) - {h.key for h in spec.hasil})
    if unknown:
        raise AnswerError(unknown[0], "komponen hasil tidak dikenal; gunakan ipak, ipkp, capaian_kinerja")
    values: dict[str, Any] = {}
    for item in spec.hasil:
        if item.key not in raw or raw[item.key] is None:
            values[item.key] = None
            continue
        value = raw[item.key]
        if item.type == "survey_index":
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise AnswerError(item.key, f"nilai {_shown(value)} harus angka 0-{item.scale_max:g}")
            try:
                number = float(str(value).replace(",", "."))
            except ValueError:
                raise AnswerError(item.key, f"nilai {_shown(value)} harus angka 0-{item.scale_max:g}") from None
            if not math.isfinite(number) or not 0.0 <= number <= item.scale_max:
                raise AnswerError(item.key, f"nilai {number:g} di luar skala 0-{item.scale_max:g}")
            values[item.key] = number
        else:
            code = str(value).strip().upper() if isinstance(value, str) else ""
            if code not in {o.code for o in item.options}:
                raise AnswerError(item.key, f"nilai {_shown(value)} tidak valid; pilih A, B, C, D atau E")
            values[item.key] = code
    return Hasil(ipak=values["ipak"], ipkp=values["ipkp"], capaian_kinerja=values["capaian_kinerja"])


def validate_kesiapan(spec: WorksheetSpec, raw: Any) -> dict[str, bool]:
    """Tabel 5 requirements from an answers file: `{key: true|false}` with the spec's readiness keys."""
    if not isinstance(raw, Mapping):
        raise AnswerError("kesiapan", "kesiapan harus berupa pemetaan butir -> true/false")
    known = {r.key for r in spec.readiness}
    out: dict[str, bool] = {}
    for key, value in raw.items():
        name = str(key).strip().lower()
        if name not in known:
            raise AnswerError("kesiapan", f"butir {str(key)[:40]!r} tidak dikenal; gunakan: {', '.join(sorted(known))}")
        if not isinstance(value, bool):
            raise AnswerError("kesiapan", f"butir {name} harus true atau false, bukan {_shown(value)}")
        if name in out:
            raise AnswerError("kesiapan", f"butir {name} ditulis dua kali")
        out[name] = value
    return out


def validate_worksheet(spec: WorksheetSpec, data: Any) -> Worksheet:
    """Validate a whole answers file (`unit`, `answers`, `hasil`, optional `predikat` and `kesiapan`)."""
    if not isinstance(data, Mapping):
        raise AnswerError("berkas", "isi berkas jawaban harus berupa pemetaan YAML")
    raw_unit = data.get("unit")
    if not isinstance(raw_unit, str) or not raw_unit.strip():
        raise AnswerError("unit", "nama unit wajib diisi sebagai teks")
    unit = " ".join(raw_unit.split())
    if len(unit) > 200:
        raise AnswerError("unit", "nama unit paling banyak 200 karakter")
    raw_answers = data.get("answers") or {}
    if not isinstance(raw_answers, Mapping):
        raise AnswerError("answers", "answers harus berupa pemetaan ID -> jawaban")
    answers: dict[str, AnswerValue] = {}
    for key, value in raw_answers.items():
        qid = str(key).strip().upper()
        if qid in answers:
            raise AnswerError(qid[:40], "ID pertanyaan ditulis dua kali (huruf besar dan kecil dianggap sama)")
        answers[qid] = validate_answer(spec, str(key), value)
    hasil = validate_hasil(spec, data.get("hasil") or {})
    predikat = data.get("predikat")
    if predikat is not None and (not isinstance(predikat, str) or predikat.strip().upper() not in {"WBK", "WBBM"}):
        raise AnswerError("predikat", f"predikat {_shown(predikat)} tidak dikenal; gunakan WBK atau WBBM")
    kesiapan = validate_kesiapan(spec, data.get("kesiapan") or {})
    held = predikat.strip().upper() if isinstance(predikat, str) else None
    return Worksheet(unit, answers, hasil, held, kesiapan)


_PAIR = re.compile(r"([A-Za-z_]+)\s*[=:]\s*(-?[\w.,]+)")


def parse_pairs(text: str) -> dict[str, str]:
    """'lhkpn_wajib=12 capaian_kinerja=B' -> {'lhkpn_wajib': '12', 'capaian_kinerja': 'B'} (chat input)."""
    pairs = {k.lower(): v for k, v in _PAIR.findall(text)}
    leftover = _PAIR.sub("", text).strip(" ,;")
    if leftover:
        raise AnswerError("isian", f"tidak dapat membaca {leftover!r}; tulis seperti nama=angka")
    return pairs


def ratio_value(rule: RatioRule, counts: Counts) -> float:
    """The exact value of a ratio answer, in [0, 1]."""
    if rule.kind == "decrease":
        previous, current = counts[rule.denominator], counts[rule.numerator]
        if previous == 0:
            return 1.0 if current == 0 else 0.0
        return min(1.0, max(0.0, (previous - current) / previous))
    denominator = counts[rule.denominator]
    if denominator == 0:
        return rule.zero_denominator
    return min(1.0, max(0.0, counts[rule.numerator] / denominator))

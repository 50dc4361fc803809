"""Validation of answers, counts and survey results against a spec. Invalid input raises AnswerError."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import AnswerError
from .spec import Question, RatioRule, WorksheetSpec

Counts = Mapping[str, int]
AnswerValue = str | Counts

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


def _choice(question: Question, raw: str) -> str:
    text = raw.strip()
    lowered = text.lower().rstrip(".")
    if question.type == "ya_tidak":
        if lowered in _YES:
            return "Ya"
        if lowered in _NO:
            return "Tidak"
        raise AnswerError(question.id, f"jawaban {text!r} tidak valid; pilih Ya atau Tidak")
    code = text.upper().rstrip(".")
    if question.option(code) is None:
        codes = "/".join(o.code for o in question.options)
        raise AnswerError(question.id, f"jawaban {text!r} tidak valid; pilih salah satu dari {codes}")
    return code


def _count(question_id: str, key: str, raw: Any) -> int:
    if isinstance(raw, bool):
        raise AnswerError(question_id, f"{key} harus bilangan bulat, bukan {raw!r}")
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise AnswerError(question_id, f"{key} harus bilangan bulat, bukan {raw!r}") from None
    if isinstance(raw, float) and not raw.is_integer():
        raise AnswerError(question_id, f"{key} harus bilangan bulat, bukan {raw!r}")
    if value < 0:
        raise AnswerError(question_id, f"{key} tidak boleh negatif ({value})")
    return value


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
    if rule.kind == "ratio" and not rule.part_may_exceed and counts[rule.numerator] > counts[rule.denominator]:
        raise AnswerError(
            question.id,
            f"{rule.numerator} ({counts[rule.numerator]}) tidak boleh lebih besar dari "
            f"{rule.denominator} ({counts[rule.denominator]})",
        )
    return counts


def validate_answer(spec: WorksheetSpec, question_id: str, raw: Any) -> AnswerValue:
    """Normalise one answer ('a' -> 'A', 'ya' -> 'Ya', counts -> ints) or raise AnswerError."""
    qid = question_id.strip().upper()
    question = spec.questions.get(qid)
    if question is None:
        raise AnswerError(qid, "ID pertanyaan tidak dikenal")
    if question.type == "ratio":
        if not isinstance(raw, Mapping):
            rule = question.rule
            assert rule is not None
            raise AnswerError(qid, f"pertanyaan ini diisi dengan angka: {', '.join(rule.keys)}")
        return validate_counts(question, raw)
    if not isinstance(raw, str):
        raise AnswerError(qid, f"jawaban {raw!r} tidak valid")
    return _choice(question, raw)


def validate_hasil(spec: WorksheetSpec, raw: Mapping[str, Any]) -> Hasil:
    unknown = sorted(set(raw) - {h.key for h in spec.hasil})
    if unknown:
        raise AnswerError(unknown[0], "komponen hasil tidak dikenal; gunakan ipak, ipkp, capaian_kinerja")
    values: dict[str, Any] = {}
    for item in spec.hasil:
        if item.key not in raw or raw[item.key] is None:
            values[item.key] = None
            continue
        value = raw[item.key]
        if item.type == "survey_index":
            try:
                number = float(str(value).replace(",", "."))
            except ValueError:
                raise AnswerError(item.key, f"nilai {value!r} harus angka 0-{item.scale_max:g}") from None
            if not 0.0 <= number <= item.scale_max:
                raise AnswerError(item.key, f"nilai {number:g} di luar skala 0-{item.scale_max:g}")
            values[item.key] = number
        else:
            code = str(value).strip().upper()
            if code not in {o.code for o in item.options}:
                raise AnswerError(item.key, f"nilai {value!r} tidak valid; pilih A, B, C, D atau E")
            values[item.key] = code
    return Hasil(ipak=values["ipak"], ipkp=values["ipkp"], capaian_kinerja=values["capaian_kinerja"])


def validate_worksheet(spec: WorksheetSpec, data: Mapping[str, Any]) -> Worksheet:
    """Validate a whole answers file (`unit`, `answers`, `hasil`, optional `predikat`)."""
    if not isinstance(data, Mapping):
        raise AnswerError("berkas", "isi berkas jawaban harus berupa pemetaan YAML")
    unit = str(data.get("unit") or "").strip()
    if not unit:
        raise AnswerError("unit", "nama unit wajib diisi")
    raw_answers = data.get("answers") or {}
    if not isinstance(raw_answers, Mapping):
        raise AnswerError("answers", "answers harus berupa pemetaan ID -> jawaban")
    answers = {str(k).strip().upper(): validate_answer(spec, str(k), v) for k, v in raw_answers.items()}
    hasil = validate_hasil(spec, data.get("hasil") or {})
    predikat = data.get("predikat")
    if predikat is not None and str(predikat).upper() not in {"WBK", "WBBM"}:
        raise AnswerError("predikat", f"predikat {predikat!r} tidak dikenal; gunakan WBK atau WBBM")
    return Worksheet(unit, answers, hasil, str(predikat).upper() if predikat else None)


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

"""Exact LKE scoring: sub-indicator = weight x mean(values); areas, pengungkit, hasil and total."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .answers import AnswerValue, Hasil, Worksheet, ratio_value
from .spec import Question, WorksheetSpec


@dataclass(frozen=True)
class AreaScore:
    key: str
    name: str
    score: float
    max: float
    pemenuhan: float
    reform: float

    @property
    def share(self) -> float:
        return self.score / self.max if self.max else 0.0


@dataclass(frozen=True)
class Scorecard:
    total: float
    pengungkit: float
    hasil: float
    areas: Mapping[str, AreaScore]
    hasil_items: Mapping[str, float]
    question_values: Mapping[str, float]
    sub_scores: Mapping[str, float]
    missing: tuple[str, ...]

    @property
    def answered(self) -> int:
        return len(self.question_values) - len(self.missing)

    @property
    def birokrasi_bersih(self) -> float:
        return self.hasil_items["ipak"] + self.hasil_items["capaian_kinerja"]


def question_value(question: Question, answer: AnswerValue | None) -> float | None:
    """The 0..1 value of one answer; None when unanswered."""
    if answer is None:
        return None
    if question.rule is not None:
        if not isinstance(answer, Mapping):
            return None
        return ratio_value(question.rule, answer)
    if not isinstance(answer, str):
        return None
    option = question.option(answer)
    return option.value if option else None


def hasil_values(spec: WorksheetSpec, hasil: Hasil) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in spec.hasil:
        raw = getattr(hasil, item.key)
        if raw is None:
            out[item.key] = 0.0
        elif item.type == "survey_index":
            out[item.key] = float(raw) / item.scale_max * item.weight
        else:
            option = next((o for o in item.options if o.code == raw), None)
            out[item.key] = (option.value if option else 0.0) * item.weight
    return out


def score(spec: WorksheetSpec, worksheet: Worksheet) -> Scorecard:
    """Score a validated worksheet exactly as the regulation does; unanswered questions count 0."""
    values: dict[str, float] = {}
    missing: list[str] = []
    subs: dict[str, float] = {}
    areas: dict[str, AreaScore] = {}
    for area in spec.areas:
        aspect_totals = {"pemenuhan": 0.0, "reform": 0.0}
        for sub in area.subs:
            sub_values = []
            for q in sub.questions:
                v = question_value(q, worksheet.answers.get(q.id))
                if v is None:
                    missing.append(q.id)
                    v = 0.0
                values[q.id] = v
                sub_values.append(v)
            subs[sub.id] = sub.weight * sum(sub_values) / len(sub_values)
            aspect_totals[sub.aspect] += subs[sub.id]
        total = aspect_totals["pemenuhan"] + aspect_totals["reform"]
        areas[area.key] = AreaScore(
            area.key, area.name, total, area.weight, aspect_totals["pemenuhan"], aspect_totals["reform"]
        )
    pengungkit = sum(a.score for a in areas.values())
    hasil_items = hasil_values(spec, worksheet.hasil)
    hasil = sum(hasil_items.values())
    return Scorecard(pengungkit + hasil, pengungkit, hasil, areas, hasil_items, values, subs, tuple(missing))

"""Gap analysis (what to fix first) and what-if scoring."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .answers import AnswerValue, Worksheet, validate_answer
from .gates import GateResult
from .scoring import Scorecard, score
from .spec import WorksheetSpec


@dataclass(frozen=True)
class Gap:
    question_id: str
    label: str
    area_key: str
    current: float
    best_option: str
    gain: float
    helps: tuple[str, ...]

    @property
    def helps_predicates(self) -> tuple[str, ...]:
        """The predicates (WBK, WBBM) whose failing gates this improvement moves closer."""
        return tuple(dict.fromkeys(h.split(":", 1)[0] for h in self.helps))

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.question_id,
            "label": self.label,
            "area": self.area_key,
            "current_value": self.current,
            "best_option": self.best_option,
            "gain": self.gain,
            "helps": list(self.helps),
        }


def gap_analysis(spec: WorksheetSpec, card: Scorecard, gates: dict[str, GateResult]) -> list[Gap]:
    """Every question that can still gain points, largest gain first, with the failing gates it helps."""
    failing = {name: {s.gate for s in result.shortfalls} for name, result in gates.items()}
    gaps: list[Gap] = []
    for area in spec.areas:
        for sub in area.subs:
            per_question = sub.weight / len(sub.questions)
            for q in sub.questions:
                current = card.question_values[q.id]
                gain = per_question * (1.0 - current)
                if gain <= 1e-9:
                    continue
                helps = tuple(
                    f"{name}:{gate}"
                    for name, gates_failing in failing.items()
                    for gate in ("total", "pengungkit", f"area:{area.key}")
                    if gate in gates_failing
                )
                gaps.append(Gap(q.id, q.label, area.key, current, q.best_option, gain, helps))
    gaps.sort(key=lambda g: (-g.gain, -len(g.helps), g.question_id))
    return gaps


def what_if(spec: WorksheetSpec, worksheet: Worksheet, question_id: str, answer: object) -> Scorecard:
    """The scorecard the unit would have if `question_id` were answered `answer` (validated)."""
    value: AnswerValue = validate_answer(spec, question_id, answer)
    answers = {**worksheet.answers, question_id.strip().upper(): value}
    return score(spec, replace(worksheet, answers=answers))

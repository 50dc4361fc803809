"""A unit's full assessment in one object: scorecard, gates and gaps (what the CLI and the bot show)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .answers import Worksheet
from .gaps import Gap, gap_analysis
from .gates import GateResult, evaluate_gates
from .scoring import Scorecard, score
from .spec import WorksheetSpec


@dataclass(frozen=True)
class Assessment:
    spec: WorksheetSpec
    worksheet: Worksheet
    card: Scorecard
    gates: dict[str, GateResult]
    gaps: list[Gap]

    @property
    def completion(self) -> float:
        total = len(self.card.question_values)
        return (total - len(self.card.missing)) / total if total else 0.0

    def to_json(self) -> dict[str, Any]:
        card = self.card
        return {
            "unit": self.worksheet.unit,
            "total": card.total,
            "pengungkit": card.pengungkit,
            "hasil": card.hasil,
            "areas": {
                k: {"score": a.score, "max": a.max, "pemenuhan": a.pemenuhan, "reform": a.reform}
                for k, a in card.areas.items()
            },
            "hasil_items": dict(card.hasil_items),
            "gates": {name: result.to_json() for name, result in self.gates.items()},
            "missing": list(card.missing),
            "gaps": [g.to_json() for g in self.gaps],
        }


def assess(spec: WorksheetSpec, worksheet: Worksheet) -> Assessment:
    card = score(spec, worksheet)
    gates = evaluate_gates(spec, card, worksheet.predikat)
    return Assessment(spec, worksheet, card, gates, gap_analysis(spec, card, gates))

"""A unit's full assessment in one object: scorecard, gates and gaps (what the CLI and the bot show)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .answers import Worksheet
from .eligibility import Eligibility, eligibility
from .gaps import Gap, gap_analysis
from .gates import GateResult, Shortfall, ShortfallView, evaluate_gates, shortfall_view
from .scoring import Scorecard, score
from .spec import WorksheetSpec


@dataclass(frozen=True)
class Assessment:
    spec: WorksheetSpec
    worksheet: Worksheet
    card: Scorecard
    gates: dict[str, GateResult]
    gaps: list[Gap]
    eligible: dict[str, Eligibility]

    def view(self, shortfall: Shortfall) -> ShortfallView:
        return shortfall_view(self.spec, shortfall)

    def requirement_label(self, key: str) -> str:
        return next((r.label for r in self.spec.readiness if r.key == key), key)

    def verdict(self, predicate: str) -> str:
        """ "layak" (score and requirements), "nilai" (the score passes, requirements missing) or "belum"."""
        e = self.eligible[predicate]
        return "layak" if e.passed else "nilai" if e.gates_passed else "belum"

    def verdict_text(self, predicate: str) -> str:
        """The verdict as a short Indonesian cell (rekap table and XLSX)."""
        verdict = self.verdict(predicate)
        if verdict == "layak":
            return "layak"
        missing = len(self.eligible[predicate].requirements_missing)
        return f"nilai memenuhi; {missing} syarat belum" if verdict == "nilai" else "belum"

    @property
    def policy_notes(self) -> list[tuple[str, str]]:
        """Questions answered where a rule of ours, not the regulation, decided the value (nothing owed, nothing
        last year): their ID and the policy text."""
        notes = []
        for qid, value in self.worksheet.answers.items():
            question = self.spec.questions.get(qid)
            if question is None or question.policy is None or question.rule is None or isinstance(value, str):
                continue
            if value.get(question.rule.denominator, 0) == 0:
                notes.append((qid, question.policy))
        return notes

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
            "eligible": {name: e.to_json() for name, e in self.eligible.items()},
            "kesiapan": dict(self.worksheet.kesiapan),
            "missing": list(card.missing),
            "gaps": [g.to_json() for g in self.gaps],
            "policy_notes": [{"id": qid, "policy": text} for qid, text in self.policy_notes],
        }


def assess(spec: WorksheetSpec, worksheet: Worksheet) -> Assessment:
    card = score(spec, worksheet)
    gates = evaluate_gates(spec, card, worksheet.predikat)
    ready = eligibility(spec, gates, worksheet.kesiapan)
    return Assessment(spec, worksheet, card, gates, gap_analysis(spec, card, gates), ready)

from __future__ import annotations

from typing import Any

import pytest

from zi_core.answers import Hasil, Worksheet
from zi_core.spec import WorksheetSpec, load_spec


@pytest.fixture(scope="session")
def spec() -> WorksheetSpec:
    return load_spec()


def best_answers(spec: WorksheetSpec) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for q in spec.ordered_questions:
        if q.rule is None:
            out[q.id] = q.options[0].code
        elif q.rule.kind == "decrease":
            out[q.id] = {q.rule.denominator: 5, q.rule.numerator: 0}
        else:
            out[q.id] = {q.rule.denominator: 10, q.rule.numerator: 10}
    return out


def worst_answers(spec: WorksheetSpec) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for q in spec.ordered_questions:
        if q.rule is None:
            out[q.id] = q.options[-1].code
        elif q.rule.kind == "decrease":
            out[q.id] = {q.rule.denominator: 5, q.rule.numerator: 9}
        else:
            out[q.id] = {q.rule.denominator: 10, q.rule.numerator: 0}
    return out


def sheet(answers: dict[str, Any], hasil: Hasil | None = None, predikat: str | None = None) -> Worksheet:
    return Worksheet("Unit Uji", answers, hasil or Hasil(), predikat)

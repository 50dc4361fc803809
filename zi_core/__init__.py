"""zi_core: the ZI worksheet (LKE) as data, exact scoring, WBK/WBBM gates, gap analysis and the unit store."""

from __future__ import annotations

from .answers import AnswerValue, Hasil, Worksheet, validate_answer, validate_hasil, validate_worksheet
from .errors import AnswerError, NotFoundError, PermissionDenied, SpecError, ZiError
from .gaps import Gap, gap_analysis, what_if
from .gates import GateResult, Shortfall, evaluate_gates
from .scoring import AreaScore, Scorecard, score
from .spec import WorksheetSpec, build_spec, load_spec

__all__ = [
    "AnswerError",
    "AnswerValue",
    "AreaScore",
    "Gap",
    "GateResult",
    "Hasil",
    "NotFoundError",
    "PermissionDenied",
    "Scorecard",
    "Shortfall",
    "SpecError",
    "Worksheet",
    "WorksheetSpec",
    "ZiError",
    "build_spec",
    "evaluate_gates",
    "gap_analysis",
    "load_spec",
    "score",
    "validate_answer",
    "validate_hasil",
    "validate_worksheet",
    "what_if",
]

"""Whether a unit may be proposed to TPN: the Tabel 6 score gates and the Tabel 5 requirements, per predicate.

TPN checks the requirements first, in pra-evaluasi (Lampiran II Bab III huruf A): a unit whose score passes but whose
instansi lacks, say, an unqualified BPK opinion is rejected before its worksheet is read. WBBM also needs the WBK
predicate held, which is one of its gates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .gates import GateResult
from .spec import WorksheetSpec

READINESS_PREFIX = "kesiapan:"


@dataclass(frozen=True)
class Eligibility:
    predicate: str
    gates_passed: bool
    # Unmet gates (their keys, e.g. "total", "area:penataan_sdm", "predikat:WBK"), then unmet requirements
    # ("kesiapan:opini_wtp").
    missing: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.missing

    @property
    def requirements_missing(self) -> tuple[str, ...]:
        return tuple(m[len(READINESS_PREFIX) :] for m in self.missing if m.startswith(READINESS_PREFIX))

    def to_json(self) -> dict[str, object]:
        return {"pass": self.passed, "gates_pass": self.gates_passed, "missing": list(self.missing)}


def eligibility(
    spec: WorksheetSpec, gates: Mapping[str, GateResult], readiness: Mapping[str, bool]
) -> dict[str, Eligibility]:
    """Per predicate: eligible when every gate passes and every requirement for that predicate is met (an
    requirement not recorded is not met)."""
    out: dict[str, Eligibility] = {}
    for predicate, result in gates.items():
        unmet_gates = tuple(s.gate for s in result.shortfalls)
        unmet = tuple(
            READINESS_PREFIX + item.key
            for item in spec.readiness
            if predicate in item.predicates and not readiness.get(item.key, False)
        )
        out[predicate] = Eligibility(predicate, result.passed, unmet_gates + unmet)
    return out

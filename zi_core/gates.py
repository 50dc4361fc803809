"""WBK/WBBM gates of Tabel 6 (PermenPANRB 90/2021), each failing gate with the points still missing."""

from __future__ import annotations

from dataclasses import dataclass

from .format import angka, angka_beda, angka_naik
from .scoring import Scorecard
from .spec import WorksheetSpec


@dataclass(frozen=True)
class Shortfall:
    gate: str
    need: float
    have: float

    @property
    def missing(self) -> float:
        return max(0.0, self.need - self.have)

    def to_json(self) -> dict[str, float | str]:
        return {"gate": self.gate, "need": self.need, "have": self.have, "missing": self.missing}


@dataclass(frozen=True)
class GateResult:
    predicate: str
    passed: bool
    shortfalls: tuple[Shortfall, ...]

    def to_json(self) -> dict[str, object]:
        return {"pass": self.passed, "shortfalls": [s.to_json() for s in self.shortfalls]}


_EPS = 1e-9


def evaluate_gates(spec: WorksheetSpec, card: Scorecard, predikat_held: str | None = None) -> dict[str, GateResult]:
    """Check every Tabel 6 requirement for each predicate; a gate passes when have >= need."""
    results: dict[str, GateResult] = {}
    for name, gate in spec.gates.items():
        checks: list[Shortfall] = [
            Shortfall("total", gate.total, card.total),
            Shortfall("pengungkit", gate.pengungkit, card.pengungkit),
        ]
        for area in spec.areas:
            checks.append(Shortfall(f"area:{area.key}", spec.area_minimum(area.key, name), card.areas[area.key].score))
        checks += [
            Shortfall("birokrasi_bersih", gate.birokrasi_bersih, card.birokrasi_bersih),
            Shortfall("ipak", gate.ipak, card.hasil_items["ipak"]),
            Shortfall("capaian_kinerja", gate.capaian_kinerja, card.hasil_items["capaian_kinerja"]),
            Shortfall("ipkp", gate.ipkp, card.hasil_items["ipkp"]),
        ]
        if gate.requires_predikat:
            held = 1.0 if (predikat_held or "").upper() in {gate.requires_predikat, name} else 0.0
            checks.append(Shortfall(f"predikat:{gate.requires_predikat}", 1.0, held))
        failing = tuple(s for s in checks if s.have + _EPS < s.need)
        results[name] = GateResult(name, not failing, failing)
    return results


@dataclass(frozen=True)
class ShortfallView:
    """A failed gate's figures as shown: points (need, have, missing rounded up), or a survey's score on its own
    scale (what IPAK/IPKP must reach), or a predicate not held."""

    kind: str  # "points", "survey" or "predikat"
    need: str
    have: str
    missing: str


def shortfall_view(spec: WorksheetSpec, shortfall: Shortfall) -> ShortfallView:
    if shortfall.gate.startswith("predikat:"):
        return ShortfallView("predikat", "", "", "")
    if shortfall.gate in ("ipak", "ipkp"):
        item = spec.hasil_item(shortfall.gate)
        need = shortfall.need / item.weight * item.scale_max
        have = shortfall.have / item.weight * item.scale_max
        return ShortfallView("survey", angka(need), angka_beda(have, need), angka_naik(need - have))
    return ShortfallView(
        "points", angka(shortfall.need), angka_beda(shortfall.have, shortfall.need), angka_naik(shortfall.missing)
    )


_GATE_LABELS = {
    "total": "Nilai total",
    "pengungkit": "Nilai pengungkit",
    "birokrasi_bersih": "Birokrasi bersih dan akuntabel",
    "ipak": "Survei persepsi antikorupsi (IPAK)",
    "capaian_kinerja": "Capaian kinerja lebih baik",
    "ipkp": "Pelayanan publik prima (IPKP)",
}


def gate_label(spec: WorksheetSpec, gate: str) -> str:
    """Indonesian name of a gate key such as 'area:penataan_sdm' or 'predikat:WBK'."""
    if gate.startswith("area:"):
        return f"Area {spec.area(gate[5:]).name}"
    if gate.startswith("predikat:"):
        return f"Sudah berpredikat {gate[9:]}"
    return _GATE_LABELS.get(gate, gate)

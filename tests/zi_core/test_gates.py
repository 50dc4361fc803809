from __future__ import annotations

from dataclasses import replace

import pytest

from zi_core.gaps import gap_analysis, what_if
from zi_core.gates import evaluate_gates
from zi_core.scoring import AreaScore, Scorecard, score

from .conftest import best_answers, sheet


def _card(spec, total=90.0, pengungkit=55.0, share=0.9, ipak=16.0, capaian=5.0, ipkp=16.0) -> Scorecard:
    areas = {a.key: AreaScore(a.key, a.name, a.weight * share, a.weight, 0, 0) for a in spec.areas}
    return Scorecard(
        total,
        pengungkit,
        ipak + capaian + ipkp,
        areas,
        {"ipak": ipak, "capaian_kinerja": capaian, "ipkp": ipkp},
        {},
        {},
        (),
    )


def test_a_strong_card_passes_both_with_wbk_held(spec) -> None:
    gates = evaluate_gates(spec, _card(spec), predikat_held="WBK")
    assert gates["WBK"].passed and gates["WBBM"].passed


# (gate, field, just_below, at_threshold) for WBK
WBK_CASES = [
    ("total", "total", 74.99, 75.0),
    ("pengungkit", "pengungkit", 39.99, 40.0),
    ("ipak", "ipak", 15.74, 15.75),
    ("capaian_kinerja", "capaian", 2.49, 2.5),
    ("ipkp", "ipkp", 13.99, 14.0),
]
WBBM_CASES = [
    ("total", "total", 84.99, 85.0),
    ("pengungkit", "pengungkit", 47.99, 48.0),
    ("ipak", "ipak", 15.74, 15.75),
    ("capaian_kinerja", "capaian", 3.74, 3.75),
    ("ipkp", "ipkp", 15.74, 15.75),
]


@pytest.mark.parametrize(("predicate", "cases"), [("WBK", WBK_CASES), ("WBBM", WBBM_CASES)])
def test_each_gate_on_both_sides_of_its_threshold(spec, predicate, cases) -> None:
    for gate, field, below, at in cases:
        failing = evaluate_gates(spec, _card(spec, **{field: below}), "WBK")[predicate]
        assert not failing.passed
        (shortfall,) = [s for s in failing.shortfalls if s.gate == gate]
        assert shortfall.missing == pytest.approx(at - below)
        passing = evaluate_gates(spec, _card(spec, **{field: at}), "WBK")[predicate]
        assert gate not in {s.gate for s in passing.shortfalls}


def test_birokrasi_bersih_gate_both_sides(spec) -> None:
    # ipak 15.75 passes its own floor; with capaian 2.49 the sum 18.24 misses WBK's 18.25
    below = evaluate_gates(spec, _card(spec, ipak=15.76, capaian=2.48))["WBK"]
    assert "birokrasi_bersih" in {s.gate for s in below.shortfalls}
    at = evaluate_gates(spec, _card(spec, ipak=15.75, capaian=2.5))["WBK"]
    assert "birokrasi_bersih" not in {s.gate for s in at.shortfalls}
    wbbm = evaluate_gates(spec, _card(spec, ipak=15.75, capaian=3.74), "WBK")["WBBM"]
    assert {"birokrasi_bersih", "capaian_kinerja"} <= {s.gate for s in wbbm.shortfalls}


@pytest.mark.parametrize(("predicate", "share_below", "share_at"), [("WBK", 0.599, 0.60), ("WBBM", 0.749, 0.75)])
def test_area_share_gate_both_sides(spec, predicate, share_below, share_at) -> None:
    below = evaluate_gates(spec, _card(spec, share=share_below), "WBK")[predicate]
    assert {s.gate for s in below.shortfalls} >= {f"area:{a.key}" for a in spec.areas}
    at = evaluate_gates(spec, _card(spec, share=share_at), "WBK")[predicate]
    assert not any(s.gate.startswith("area:") for s in at.shortfalls)


def test_wbbm_needs_a_wbk_predicate_already_held(spec) -> None:
    without = evaluate_gates(spec, _card(spec), predikat_held=None)["WBBM"]
    assert [s.gate for s in without.shortfalls] == ["predikat:WBK"]
    assert evaluate_gates(spec, _card(spec), predikat_held=None)["WBK"].passed


def test_gap_analysis_ranks_by_gain_and_names_helped_gates(spec) -> None:
    answers = best_answers(spec)
    answers["PRE2A"] = {"pengaduan_wajib": 10, "pengaduan_selesai": 0}  # worth 3.0
    answers["PPA3B"] = "D"  # worth 1/3
    from zi_core.answers import validate_answer

    ws = sheet({k: validate_answer(spec, k, v) for k, v in answers.items()})
    card = score(spec, ws)
    gates = evaluate_gates(spec, card)
    gaps = gap_analysis(spec, card, gates)
    assert [g.question_id for g in gaps] == ["PRE2A", "PPA3B"]
    assert gaps[0].gain == pytest.approx(3.0) and gaps[1].gain == pytest.approx(1 / 3)
    assert "WBK:total" in gaps[0].helps  # no hasil entered: the total gate fails
    improved = what_if(spec, ws, "PPA3B", "A")
    assert improved.total == pytest.approx(card.total + 1 / 3)
    assert replace(ws).answers["PPA3B"] == "D"  # what-if never changes the worksheet

"""Property tests: improving one answer never lowers the score, and scores stay within [0, 100]."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zi_core.answers import Hasil
from zi_core.scoring import score
from zi_core.spec import load_spec

from .conftest import sheet

SPEC = load_spec()
CHOICE = [q for q in SPEC.ordered_questions if q.rule is None]
RATIO = [q for q in SPEC.ordered_questions if q.rule is not None]


@st.composite
def ratio_counts(draw, question):
    rule = question.rule
    whole = draw(st.integers(0, 50))
    if rule.kind == "decrease":
        return {rule.denominator: whole, rule.numerator: draw(st.integers(0, 60))}
    part_max = 80 if rule.part_may_exceed else whole
    counts = {rule.denominator: whole, rule.numerator: draw(st.integers(0, part_max))}
    for key in rule.record:
        counts[key] = draw(st.integers(0, 10))
    return counts


@st.composite
def worksheets(draw):
    answers = {}
    for q in CHOICE:
        if draw(st.booleans()):
            answers[q.id] = draw(st.sampled_from([o.code for o in q.options]))
    for q in RATIO:
        if draw(st.booleans()):
            answers[q.id] = draw(ratio_counts(q))
    hasil = Hasil(
        ipak=draw(st.none() | st.floats(0, 4)),
        ipkp=draw(st.none() | st.floats(0, 4)),
        capaian_kinerja=draw(st.none() | st.sampled_from("ABCDE")),
    )
    return sheet(answers, hasil)


@settings(max_examples=150, deadline=None)
@given(worksheets())
def test_scores_stay_in_range(ws) -> None:
    card = score(SPEC, ws)
    assert 0.0 <= card.pengungkit <= 60.0 + 1e-9
    assert 0.0 <= card.hasil <= 40.0 + 1e-9
    assert 0.0 <= card.total <= 100.0 + 1e-9
    for area in card.areas.values():
        assert 0.0 <= area.score <= area.max + 1e-9


@settings(max_examples=150, deadline=None)
@given(worksheets(), st.sampled_from(CHOICE), st.data())
def test_improving_one_answer_never_lowers_the_score(ws, question, data) -> None:
    codes = [o.code for o in question.options]  # best first
    current = ws.answers.get(question.id)
    worse_index = codes.index(current) if current in codes else len(codes)
    if worse_index == 0:
        return
    better = data.draw(st.sampled_from(codes[:worse_index]))
    before = score(SPEC, ws)
    after = score(SPEC, sheet({**ws.answers, question.id: better}, ws.hasil))
    assert after.total >= before.total - 1e-12
    assert after.areas[question.area_key].score >= before.areas[question.area_key].score - 1e-12

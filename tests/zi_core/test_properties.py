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


# --- hostile input: a clean refusal naming the item, or a score within [0, 100] ---------------------------------

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**15), 10**15)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(["A", "b", "Ya", "tidak", "E", "Z", "inf", "1e400", "-1", "3,5"])
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_IDS = st.sampled_from(
    [q.id for q in SPEC.ordered_questions] + [q.id.lower() for q in SPEC.ordered_questions[:5]] + ["X1", "", "PPA1A:"]
)


@st.composite
def answer_values(draw, qid):
    question = SPEC.questions.get(qid.upper())
    if question is not None and question.rule is not None and draw(st.booleans()):
        keys = list(question.rule.keys) + ["lain"]
        return draw(st.dictionaries(st.sampled_from(keys), _SCALARS, max_size=4))
    return draw(_VALUES)


@st.composite
def answers_files(draw):
    answers = {}
    for qid in draw(st.lists(_IDS, max_size=12)):
        answers[qid] = draw(answer_values(qid))
    data = {
        "unit": draw(st.sampled_from(["Balai Uji", "", None, 5, ["x"], "  Balai  Lain "])),
        "answers": answers if draw(st.booleans()) else draw(_VALUES),
    }
    if draw(st.booleans()):
        data["hasil"] = draw(
            st.dictionaries(st.sampled_from(["ipak", "ipkp", "capaian_kinerja", "lain"]), _SCALARS, max_size=3)
            | _VALUES
        )
    if draw(st.booleans()):
        data["kesiapan"] = draw(
            st.dictionaries(st.sampled_from([r.key for r in SPEC.readiness] + ["x"]), _SCALARS, max_size=4) | _VALUES
        )
    if draw(st.booleans()):
        data["predikat"] = draw(st.sampled_from(["WBK", "wbbm", "emas", 3, None]))
    return data


@settings(max_examples=300, deadline=None)
@given(answers_files())
def test_any_answers_file_is_refused_by_name_or_scored_within_bounds(data) -> None:
    from zi_core import ZiError
    from zi_core.answers import validate_worksheet
    from zi_core.report import assess

    try:
        worksheet = validate_worksheet(SPEC, data)
    except ZiError as exc:
        assert str(exc) and len(str(exc)) < 400  # a message, naming the item, not an echo of the input
        return
    assessment = assess(SPEC, worksheet)
    assert 0.0 <= assessment.card.total <= 100.0 + 1e-9
    for e in assessment.eligible.values():
        assert e.passed == (not e.missing)


_MUTATIONS = st.sampled_from(["weight", "id", "dup_sub", "dup_q", "option", "zero", "area_weight"])


@settings(max_examples=150, deadline=None)
@given(
    _MUTATIONS,
    st.integers(0, 5),
    st.integers(0, 3),
    st.sampled_from([-1.0, float("inf"), float("nan"), 0.0, 1e9, "x", None, True]),
    st.sampled_from(["PP:A", "A" * 30, "", "ÄB1", "ok1", "PPA1A"]),
)
def test_any_mutated_spec_is_refused_or_scores_within_bounds(mutation, area_i, sub_i, number, text) -> None:
    import copy

    from zi_core.errors import SpecError
    from zi_core.spec import build_spec, read_spec_data

    data = copy.deepcopy(read_spec_data())
    area = data["areas"][area_i]
    subs = area["pemenuhan"] + area["reform"]
    sub = subs[sub_i % len(subs)]
    if mutation == "weight":
        sub["weight"] = number
    elif mutation == "area_weight":
        area["weight"] = number
    elif mutation == "id":
        sub["questions"][0]["id"] = text
    elif mutation == "dup_sub":
        sub["id"] = data["areas"][0]["pemenuhan"][0]["id"]
    elif mutation == "dup_q":
        sub["questions"].append(dict(sub["questions"][0]))
    elif mutation == "option":
        data["option_values"]["abc"]["A"] = number
    elif mutation == "zero":
        sub["questions"][0]["rule"] = {
            "type": "ratio",
            "numerator": "a",
            "denominator": "b",
            "zero_denominator": number,
        }
    try:
        spec = build_spec(data)
    except SpecError:
        return
    full = {q.id: (q.options[0].code if q.options else {k: 1 for k in q.rule.keys}) for q in spec.ordered_questions}  # type: ignore[union-attr]
    card = score(spec, sheet(full, Hasil(4.0, 4.0, "A")))
    assert 0.0 <= card.total <= 100.0 + 1e-6

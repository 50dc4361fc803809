"""The TPI review in the store: stages and rounds, per-question verdicts, what the unit may change when, and two
TPI members at once (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest

from zi_core.errors import AnswerError, PermissionDenied, ZiError
from zi_core.report import assess
from zi_core.review import tpi_worksheet, unreviewed
from zi_core.store import Store

from .test_store import store  # noqa: F401 - the SQLite/PostgreSQL fixture

TPI, TPI2, OTHER_TPI, KOOR = 501, 502, 503, 7


def _answer_everything(target: Store, unit: str = "Balai Uji") -> None:
    spec, _ = target.worksheet(unit)
    for q in spec.ordered_questions:
        if q.rule is None:
            target.set_answer(unit, q.id, q.options[-1].code if q.id == "PPA1B" else q.best_option, actor=KOOR)
        else:
            target.set_answer(
                unit,
                q.id,
                {q.rule.denominator: 10, q.rule.numerator: 10 if q.rule.kind != "decrease" else 0},
                actor=KOOR,
            )


@pytest.fixture
def reviewed(store: Store) -> Store:  # noqa: F811
    store.add_unit("Balai Lain")
    for tid in (TPI, TPI2):
        store.add_user(tid, "tpi", None, f"TPI {tid}")
        store.assign_units(tid, ["Balai Uji"])
    store.add_user(OTHER_TPI, "tpi", None, "TPI lain")
    store.assign_units(OTHER_TPI, ["Balai Lain"])
    store.add_user(KOOR, "koordinator", "Balai Uji")
    return store


def test_a_unit_cannot_be_submitted_with_unanswered_questions(reviewed: Store) -> None:
    reviewed.set_answer("Balai Uji", "PPA1A", "Ya", actor=KOOR)
    with pytest.raises(AnswerError, match=r"109 pertanyaan belum dijawab: PPA1B, PPA2A"):
        reviewed.submit("Balai Uji", KOOR)
    assert reviewed.stage("Balai Uji").stage == "mandiri"


def test_the_whole_round_from_submission_to_proposal(reviewed: Store) -> None:
    _answer_everything(reviewed)
    assert reviewed.tpi_units(TPI) == ["Balai Uji"] and reviewed.tpi_members("Balai Uji") == [TPI, TPI2]
    stage = reviewed.submit("Balai Uji", KOOR)
    assert (stage.stage, stage.round) == ("diajukan", 1)
    # With the TPI: the unit's answers are read-only.
    with pytest.raises(AnswerError, match="tahap diajukan"):
        reviewed.set_answer("Balai Uji", "PPA1A", "Tidak", actor=KOOR)
    # Not assigned, or not a reviewer at all: refused and nothing changes.
    with pytest.raises(PermissionDenied):
        reviewed.review_answer("Balai Uji", "PPA1A", OTHER_TPI, agree=True)
    with pytest.raises(PermissionDenied):
        reviewed.review_answer("Balai Uji", "PPA1A", KOOR, agree=True)
    entry = reviewed.review_answer("Balai Uji", "PPA1B", TPI, raw="a", note="SK tim belum ditandatangani")
    assert (entry.status, entry.tpi_value, entry.note) == ("direvisi", "A", "SK tim belum ditandatangani")
    noted = reviewed.review_answer("Balai Uji", "PPA2A", TPI, note="Lampirkan notulen")
    assert noted.status == "belum" and noted.note == "Lampirkan notulen"
    # The TPI's answer for ratio questions is counts, validated like the unit's.
    with pytest.raises(AnswerError, match="PRE3A"):
        reviewed.review_answer("Balai Uji", "PRE3A", TPI, raw={"lhkpn_wajib": 2, "lhkpn_lapor": 5})
    with pytest.raises(AnswerError, match="belum ditinjau"):
        reviewed.finish_review("Balai Uji", TPI, layak=True)
    flagged = reviewed.return_to_unit("Balai Uji", TPI, "Lengkapi bukti area I")
    assert [e.question_id for e in flagged] == ["PPA1B", "PPA2A"]
    assert (
        reviewed.stage("Balai Uji") == reviewed.stage("Balai Uji") and reviewed.stage("Balai Uji").stage == "perbaikan"
    )
    # Perbaikan: only what the TPI flagged may change; a reply goes with the note.
    with pytest.raises(AnswerError, match="hanya jawaban yang direvisi"):
        reviewed.set_answer("Balai Uji", "PPA1A", "Tidak", actor=KOOR)
    reviewed.set_answer("Balai Uji", "PPA2A", "Tidak", actor=KOOR)
    reviewed.set_answer("Balai Uji", "PPA2A", "Ya", actor=KOOR)  # changed again in the same perbaikan
    reviewed.reply_to_note("Balai Uji", "PPA1B", "SK sudah ditandatangani, terlampir", KOOR)
    with pytest.raises(AnswerError, match="tidak memberi catatan"):
        reviewed.reply_to_note("Balai Uji", "PPA1A", "?", KOOR)
    items = reviewed.review_items("Balai Uji")
    assert items["PPA2A"].status == "belum" and items["PPA1B"].reply == "SK sudah ditandatangani, terlampir"
    stage = reviewed.submit("Balai Uji", KOOR)
    assert (stage.stage, stage.round) == ("diajukan", 2)
    agreed = reviewed.agree_all("Balai Uji", TPI2)
    assert "PPA2A" in agreed and "PPA1B" not in agreed and len(agreed) == 109
    spec, ws = reviewed.worksheet("Balai Uji")
    assert unreviewed(spec, reviewed.review_items("Balai Uji")) == []
    tpi = tpi_worksheet(ws, reviewed.review_items("Balai Uji"))
    assert tpi.answers["PPA1B"] == "A" and ws.answers["PPA1B"] != "A"
    assert assess(spec, tpi).card.total > assess(spec, ws).card.total
    assert reviewed.finish_review("Balai Uji", TPI, layak=True).stage == "layak"
    with pytest.raises(ZiError, match="tidak sedang diajukan"):
        reviewed.review_answer("Balai Uji", "PPA1A", TPI, agree=True)
    assert reviewed.propose("Balai Uji", 1).stage == "diusulkan"
    reviewed.set_predikat("Balai Uji", "WBK", 1, "B/123/2026")
    assert reviewed.stage("Balai Uji").stage == "hasil_tpn"
    stages = [h.new for h in reversed(reviewed.history("Balai Uji", "tahap", 50))]
    assert stages == ["diajukan", "perbaikan", "diajukan", "layak", "diusulkan", "hasil_tpn"]


def test_only_a_fit_unit_is_proposed_and_a_tpi_member_holds_no_unit(reviewed: Store) -> None:
    with pytest.raises(ZiError, match="hanya unit yang dinilai layak"):
        reviewed.propose("Balai Uji", 1)
    with pytest.raises(ZiError, match="tidak terikat pada satu unit"):
        reviewed.add_user(600, "tpi", "Balai Uji")
    with pytest.raises(ZiError, match="bukan anggota TPI"):
        reviewed.assign_units(KOOR, ["Balai Uji"])


def test_two_tpi_members_reviewing_at_once_lose_nothing(reviewed: Store) -> None:
    _answer_everything(reviewed)
    reviewed.submit("Balai Uji", KOOR)
    spec, _ = reviewed.worksheet("Balai Uji")
    ids = [q.id for q in spec.ordered_questions if q.rule is None]
    errors: list[BaseException] = []

    def member(tid: int, mine: list[str]) -> None:
        try:
            for qid in mine:
                reviewed.review_answer("Balai Uji", qid, tid, agree=True, note=f"dicek {tid}")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [
        threading.Thread(target=member, args=(TPI, ids[0::2])),
        threading.Thread(target=member, args=(TPI2, ids[1::2])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    items = reviewed.review_items("Balai Uji")
    assert {q: items[q].note for q in ids} == {q: f"dicek {TPI if i % 2 == 0 else TPI2}" for i, q in enumerate(ids)}

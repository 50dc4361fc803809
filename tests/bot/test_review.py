"""The TPI review end to end through the fake Bot API: submit, notify, review by buttons and by text, return with
every note delivered, reply, resubmit, final evaluation, LHE; every refusal; forged buttons; two TPI members."""

from __future__ import annotations

import io

import pytest
from docx import Document

from tests.zi_core.conftest import best_answers
from zi_core.format import angka

from .conftest import ADMIN, KOOR_A, KOOR_B, PEGAWAI

pytestmark = pytest.mark.slow

TPI_1, TPI_2, TPI_B = 11, 12, 13


async def _setup(harness) -> int:
    for uid, unit in ((TPI_1, "Balai A"), (TPI_2, "Balai A"), (TPI_B, "Balai B")):
        since = len(harness.fake.calls)
        (done,) = await harness.say(ADMIN, f"/tpi {uid} {unit}")
        assert f"meninjau: {unit}" in done.text
        menus = [c for c in harness.fake.calls[since:] if c.method == "setMyCommands"]
        assert menus and menus[-1].params["scope"] == {"type": "chat", "chat_id": uid}
        assert "tinjau" in [c["command"] for c in menus[-1].params["commands"]]
    return harness.services.store.unit("Balai A").id


async def test_a_whole_review_round_in_telegram(harness) -> None:
    store = harness.services.store
    unit_id = await _setup(harness)
    # Submitting with unanswered questions is refused, naming them.
    (refused,) = await harness.say(KOOR_A, "/ajukan")
    assert "110 pertanyaan belum dijawab: PPA1A" in refused.text
    answers = best_answers(store.worksheet("Balai A")[0])
    answers["PPA1B"] = "C"
    store.import_answers("Balai A", answers, KOOR_A, "uji")
    since = len(harness.fake.calls)
    (submitted,) = await harness.say(KOOR_A, "/ajukan")
    assert "diajukan ke TPI (putaran 1)" in submitted.text and "2 anggota TPI" in submitted.text
    for uid in (TPI_1, TPI_2):
        await harness.fake.wait_text(uid, "mengajukan LKE", since)
    # While with the TPI the unit cannot change its answers.
    (locked,) = await harness.say(KOOR_A, "/lapor PPA1A Tidak")
    assert "tahap diajukan" in locked.text

    # TPI member 1 walks the questions with buttons.
    (units,) = await harness.say(TPI_1, "/tinjau")
    assert "1. Balai A" in units.text and "⏳" in units.text
    (first,) = await harness.say(TPI_1, "/tinjau 1")
    assert "PPA1A" in first.text and "Jawaban unit: <b>Ya</b>" in first.text
    assert ("✅ Setuju", f"t:a:{unit_id}:PPA1A") in harness.fake.buttons(TPI_1)
    await harness.tap(TPI_1, f"t:a:{unit_id}:PPA1A", expect=2)  # "saved" and the next question in place
    assert "PPA1B" in harness.fake.to_chat(TPI_1)[-1].text
    assert (harness.fake.buttons(TPI_1)[1]) == ("A", f"t:v:{unit_id}:PPA1B:A")
    (prompt,) = await harness.tap(TPI_1, f"t:v:{unit_id}:PPA1B:A")
    assert "direvisi → A" in prompt.text and "Tulis catatan untuk <b>PPA1B</b>" in prompt.text
    await harness.say(TPI_1, "SK tim belum ditandatangani pimpinan", expect=2)
    # TPI member 2 at the same time, by text.
    await harness.say(TPI_2, "/tinjau Balai A")
    (noted,) = await harness.say(TPI_2, "/catatan PPA2A Lampirkan notulen rapat")
    assert "catatan: Lampirkan notulen rapat" in noted.text
    await harness.say(TPI_1, "/nilai PRE3A lhkpn_wajib=10 lhkpn_lapor=5 data LHKPN tidak sesuai", expect=2)
    items = store.review_items("Balai A")
    assert items["PPA1A"].status == "disetujui"
    assert (items["PPA1B"].status, items["PPA1B"].tpi_value, items["PPA1B"].note) == (
        "direvisi",
        "A",
        "SK tim belum ditandatangani pimpinan",
    )
    assert items["PPA2A"].note == "Lampirkan notulen rapat" and items["PRE3A"].status == "direvisi"

    # Back to the unit: its coordinator receives every note with its question ID.
    since = len(harness.fake.calls)
    (returned,) = await harness.say(TPI_1, "/kembalikan Lengkapi bukti area I")
    assert "3 catatan/revisi" in returned.text
    notice = await harness.fake.wait_text(KOOR_A, "untuk perbaikan", since)
    for needle in (
        "PPA1B",
        "SK tim belum ditandatangani",
        "PPA2A",
        "Lampirkan notulen",
        "PRE3A",
        "Lengkapi bukti area I",
    ):
        assert needle in notice.text
    (not_flagged,) = await harness.say(KOOR_A, "/lapor PPA1A Tidak")
    assert "hanya jawaban yang direvisi" in not_flagged.text
    await harness.say(KOOR_A, "/lapor PPA2A Ya")
    since = len(harness.fake.calls)
    (replied,) = await harness.say(KOOR_A, "/tanggapan PPA1B SK sudah ditandatangani, terlampir")
    assert "Tanggapan untuk <b>PPA1B</b>" in replied.text
    await harness.fake.wait_text(TPI_1, "SK sudah ditandatangani", since)
    await harness.say(KOOR_A, "/checklist")
    (submitted,) = await harness.say(KOOR_A, "/ajukan")
    assert "putaran 2" in submitted.text

    # Final evaluation by member 2: everything not reviewed yet agreed, then layak.
    await harness.say(TPI_2, "/tinjau Balai A")
    (agreed,) = await harness.say(TPI_2, "/setuju semua")
    assert "jawaban disetujui" in agreed.text
    since = len(harness.fake.calls)
    (final,) = await harness.say(TPI_2, "/selesai layak Siap diusulkan")
    assert "layak diusulkan" in final.text
    await harness.fake.wait_text(KOOR_A, "menyelesaikan penilaian", since)
    text, _photo = await harness.say(KOOR_A, "/skor", expect=2)
    assert "Mandiri vs TPI" in text.text and "dinilai TPI: layak diusulkan" in text.text

    summary = store.review_summary("Balai A")
    doc_call, *_ = await harness.say(TPI_1, "/lhe", expect=2)
    docs = [c for c in harness.fake.to_chat(TPI_1) if c.method == "sendDocument"]
    name, data = docs[-1].files["document"]
    assert name == "lhe-balai-a.docx"
    doc = Document(io.BytesIO(data))
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in doc.tables[0].rows}
    assert rows["Total"][4] == angka(summary.mandiri.card.total) and rows["Total"][7] == angka(summary.tpi.card.total)
    assert "LAYAK diusulkan" in "\n".join(p.text for p in doc.paragraphs)

    (proposed,) = await harness.say(ADMIN, "/usulkan Balai A")
    assert "diusulkan ke TPN" in proposed.text
    rekap, *_ = await harness.say(ADMIN, "/rekap", expect=3)
    assert "diusulkan ke TPN" in rekap.text and f"TPI {angka(summary.tpi.card.total)}" in rekap.text


async def test_who_may_not_review_is_refused_and_forged_buttons_change_nothing(harness) -> None:
    store = harness.services.store
    unit_id = await _setup(harness)
    # Not submitted yet: nothing to review.
    await harness.say(TPI_1, "/tinjau Balai A")
    (early,) = await harness.say(TPI_1, "/setuju PPA1A")
    assert "tidak sedang diajukan" in early.text
    store.import_answers("Balai A", best_answers(store.worksheet("Balai A")[0]), KOOR_A, "uji")
    await harness.say(KOOR_A, "/ajukan")
    for uid, command in (
        (PEGAWAI, "/tinjau"),
        (KOOR_A, "/setuju semua"),
        (KOOR_B, "/kembalikan"),
        (ADMIN, "/nilai PPA1B A"),
    ):
        (reply,) = await harness.say(uid, command)
        assert "tidak tersedia untuk peran Anda" in reply.text, (uid, command)
    (other,) = await harness.say(TPI_B, "/tinjau Balai A")
    assert "tidak tersedia untuk peran Anda" in other.text  # a TPI member of another unit
    # TPI_B has selected nothing of Balai A: text actions cannot reach it either.
    (nothing,) = await harness.say(TPI_B, "/setuju semua")
    assert "Pilih unit dulu" in nothing.text
    for data in (f"t:a:{unit_id}:PPA1A", f"t:v:{unit_id}:PPA1B:Z", "t:a:999:PPA1A", "t:zz", f"t:f:{unit_id}:PPA1A:9"):
        since = len(harness.fake.calls)
        harness.fake.tap(TPI_B, data)
        await harness.fake.wait_calls(None, 1, since)
    await harness.say(TPI_1, "/tinjau Balai A")
    for data in (f"t:v:{unit_id}:PPA1B:Z", f"t:q:{unit_id}:NOPE1", f"t:f:{unit_id}:PPA1A:9"):
        since = len(harness.fake.calls)
        harness.fake.tap(TPI_1, data)
        await harness.fake.wait_calls(None, 1, since)
    assert store.review_items("Balai A") == {}
    (pegawai_tap,) = await harness.tap(PEGAWAI, f"t:a:{unit_id}:PPA1A")
    assert "tidak tersedia" in pegawai_tap.text

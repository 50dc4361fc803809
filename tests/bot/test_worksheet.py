"""Coordinators end to end: /lapor, the /checklist by taps, ratios, evidence, scorecard, export, isolation."""

from __future__ import annotations

import asyncio

import pytest

from .conftest import ADMIN, KOOR_A, KOOR_B, PEGAWAI

pytestmark = pytest.mark.slow


async def test_lapor_saves_with_history_and_rejects_bad_input(harness) -> None:
    (saved,) = await harness.say(KOOR_A, "/lapor PPA1B A")
    assert "PPA1B" in saved.text and "<b>A</b>" in saved.text and "Nilai total sementara" in saved.text
    (ratio,) = await harness.say(KOOR_A, "/lapor PRE3A lhkpn_wajib=12 lhkpn_lapor=11")
    assert "91,7%" in ratio.text
    (bad,) = await harness.say(KOOR_A, "/lapor PRE3A lhkpn_wajib=12 lhkpn_lapor=13")
    assert "tidak boleh lebih besar" in bad.text and "Tidak ada data yang diubah" in bad.text
    (unknown,) = await harness.say(KOOR_A, "/lapor ZZZ9Z A")
    assert "ID pertanyaan tidak dikenal" in unknown.text
    (usage,) = await harness.say(KOOR_A, "/lapor")
    assert "Format" in usage.text
    history = harness.services.store.history("Balai A")
    assert [(h.question_id, h.new, h.actor) for h in history] == [
        ("PRE3A", {"lhkpn_wajib": 12, "lhkpn_lapor": 11}, KOOR_A),
        ("PPA1B", "A", KOOR_A),
    ]
    (riwayat,) = await harness.say(KOOR_A, "/riwayat PPA1B")
    assert "PPA1B: – → A" in riwayat.text


async def test_roles_are_enforced_for_every_command(harness) -> None:
    for command in (
        "/lapor PPA1A Ya",
        "/checklist",
        "/skor",
        "/celah",
        "/riwayat",
        "/ekspor",
        "/hasil ipak=3",
        "/bukti PPA1A",
    ):
        (reply,) = await harness.say(PEGAWAI, command)
        assert "tidak tersedia untuk peran Anda" in reply.text, command
    for command in (
        "/unggah",
        "/muatulang",
        "/unit",
        "/koordinator 9 Balai A",
        "/rekap",
        "/belumterjawab",
        "/jawab 1 jawaban",
        "/pengingat 8",
    ):
        (reply,) = await harness.say(KOOR_A, command)
        assert "tidak tersedia untuk peran Anda" in reply.text, command
    (other,) = await harness.say(KOOR_A, "/skor Balai B")
    assert "tidak tersedia untuk peran Anda" in other.text
    assert harness.services.store.history("Balai B") == []


async def test_checklist_by_button_taps(harness) -> None:
    (menu,) = await harness.say(KOOR_A, "/checklist")
    assert "Checklist LKE" in menu.text
    buttons = harness.fake.buttons(KOOR_A)
    assert buttons[0] == ("Manajemen Perubahan (0/16)", "c:A:0")
    (area,) = await harness.tap(KOOR_A, "c:A:0")
    assert area.method == "editMessageText" and "Manajemen Perubahan" in area.text
    (sub,) = await harness.tap(KOOR_A, "c:s:PPA1")
    assert [d for _, d in harness.fake.buttons(KOOR_A)] == ["c:q:PPA1A", "c:q:PPA1B", "c:A:0"]
    (question,) = await harness.tap(KOOR_A, "c:q:PPA1A")
    assert "PPA1A" in question.text and "(1/110)" in question.text
    assert [d for _, d in harness.fake.buttons(KOOR_A)][:2] == ["c:v:PPA1A:Ya", "c:v:PPA1A:Tidak"]
    saved, edited = await harness.tap(KOOR_A, "c:v:PPA1A:Ya", expect=2)
    assert "✅" in saved.text and "Ya" in saved.text
    assert ("✓ Ya", "c:v:PPA1A:Ya") in harness.fake.buttons(KOOR_A)  # current answer marked
    (nxt,) = await harness.tap(KOOR_A, "c:q:PPA1B")
    assert "PPA1B" in nxt.text
    (back,) = await harness.tap(KOOR_A, "c:s:PPA1")
    assert ("✓ PPA1A Tim kerja ZI sudah dibentuk", "c:q:PPA1A") in harness.fake.buttons(KOOR_A)
    # resume where one stopped
    await harness.say(KOOR_A, "/checklist")
    assert harness.fake.buttons(KOOR_A)[0] == ("▶️ Lanjutkan PPA1B", "c:q:PPA1B")
    _, ws = harness.services.store.worksheet("Balai A")
    assert ws.answers == {"PPA1A": "Ya"}


async def test_ratio_question_by_text_shows_percentage_before_saving(harness) -> None:
    await harness.say(KOOR_A, "/checklist")
    (question,) = await harness.tap(KOOR_A, "c:q:PRA1A")
    assert "agen_perubahan=angka" in question.text
    (preview,) = await harness.say(KOOR_A, "agen_perubahan=4 perubahan_dibuat=3")
    assert "75,0%" in preview.text
    _, ws = harness.services.store.worksheet("Balai A")
    assert ws.answers == {}  # nothing saved before the coordinator confirms
    (saved,) = await harness.tap(KOOR_A, "c:r:save")
    assert "75,0%" in saved.text
    _, ws = harness.services.store.worksheet("Balai A")
    assert ws.answers == {"PRA1A": {"agen_perubahan": 4, "perubahan_dibuat": 3}}


async def test_forged_callback_data_changes_nothing(harness) -> None:
    await harness.say(KOOR_A, "/checklist")
    for data in ("c:v:PPA1A:Z", "c:A:99", "c:q:XXX9X", "c:v:PRA1A:A", "c:r:save", "c:zz", "c:s:NOPE"):
        since = len(harness.fake.calls)
        harness.fake.tap(KOOR_A, data)
        await harness.fake.wait_calls(None, 1, since)
    alerts = [c for c in harness.fake.answered_callbacks() if c.params.get("show_alert")]
    assert len(alerts) >= 6
    assert harness.services.store.history("Balai A") == []
    (refused,) = await harness.tap(PEGAWAI, "c:v:PPA1A:Ya")
    assert "tidak tersedia" in refused.text


async def test_scorecard_chart_gaps_and_export(harness) -> None:
    await harness.say(KOOR_A, "/hasil ipak=3.7 ipkp=3.5 capaian_kinerja=B")
    (bad,) = await harness.say(KOOR_A, "/hasil ipak=5")
    assert "di luar skala" in bad.text
    text, photo = await harness.say(KOOR_A, "/skor", expect=2)
    assert "Kartu nilai Balai A" in text.text and "IPAK 16,19" in text.text and "kurang" in text.text
    assert photo.method == "sendPhoto" and photo.files["photo"][1].startswith(b"\x89PNG")
    (gaps,) = await harness.say(KOOR_A, "/celah")
    assert "+3,00 poin" in gaps.text and "total menjadi" in gaps.text
    xlsx, csv = await harness.say(KOOR_A, "/ekspor", expect=2)
    assert xlsx.files["document"][0] == "lke-balai-a.xlsx" and xlsx.files["document"][1].startswith(b"PK")
    assert csv.files["document"][1].decode("utf-8-sig").splitlines()[1].split(",")[4] == "PPA1A"


async def test_evidence_upload_and_bad_files(harness) -> None:
    await harness.say(KOOR_A, "/bukti PPA1A")
    (saved,) = await harness.upload(KOOR_A, b"%PDF-1.4\n% SK tim ZI\n", "sk-tim.pdf")
    assert "Bukti untuk <b>PPA1A</b> tersimpan" in saved.text
    await harness.say(KOOR_A, "/bukti PPA1A")
    (renamed,) = await harness.upload(KOOR_A, b"MZ\x90\x00 not a pdf", "palsu.pdf")
    assert "tidak didukung" in renamed.text
    await harness.say(KOOR_A, "/bukti PPA1A")
    since = len(harness.fake.calls)
    (huge,) = await harness.upload(KOOR_A, b"%PDF-1.4 small", "besar.pdf", declared_size=30 * 1024 * 1024)
    assert "lebih besar dari" in huge.text
    assert not any(c.method == "getFile" for c in harness.fake.calls[since:])  # never downloaded
    (unexpected,) = await harness.upload(KOOR_A, b"%PDF-1.4", "x.pdf")
    assert "belum tahu untuk apa" in unexpected.text
    (unknown,) = await harness.say(KOOR_A, "/bukti ZZZ9Z")
    assert "ID pertanyaan tidak dikenal" in unknown.text
    (still_unexpected,) = await harness.upload(KOOR_A, b"%PDF-1.4", "y.pdf")
    assert "belum tahu untuk apa" in still_unexpected.text
    assert [e.filename for e in harness.services.store.evidence("Balai A")] == ["sk-tim.pdf"]


async def test_two_users_in_parallel_keep_separate_state(harness) -> None:
    await asyncio.gather(harness.say(KOOR_A, "/checklist"), harness.say(KOOR_B, "/checklist"))
    await asyncio.gather(harness.tap(KOOR_A, "c:q:PRE3A"), harness.tap(KOOR_B, "c:q:PRD1A"))
    a, b = await asyncio.gather(
        harness.say(KOOR_A, "lhkpn_wajib=10 lhkpn_lapor=5"), harness.say(KOOR_B, "sasaran_total=4 sasaran_tercapai=4")
    )
    assert "PRE3A" in a[0].text and "50,0%" in a[0].text
    assert "PRD1A" in b[0].text and "100,0%" in b[0].text
    await asyncio.gather(harness.tap(KOOR_A, "c:r:save"), harness.tap(KOOR_B, "c:r:save"))
    assert harness.services.store.worksheet("Balai A")[1].answers == {"PRE3A": {"lhkpn_wajib": 10, "lhkpn_lapor": 5}}
    assert harness.services.store.worksheet("Balai B")[1].answers == {
        "PRD1A": {"sasaran_total": 4, "sasaran_tercapai": 4}
    }


async def test_admin_manages_units_and_coordinators(harness) -> None:
    (added,) = await harness.say(ADMIN, "/unit tambah Balai C")
    assert "Balai C" in added.text
    (listing,) = await harness.say(ADMIN, "/unit")
    assert "Balai A" in listing.text and "Balai C" in listing.text
    (koor,) = await harness.say(ADMIN, "/koordinator 55 Balai C")
    assert "koordinator <b>Balai C</b>" in koor.text
    (missing,) = await harness.say(ADMIN, "/koordinator 56 Balai Tak Ada")
    assert "tidak ditemukan" in missing.text
    text, image, xlsx = await harness.say(ADMIN, "/rekap", expect=3)
    assert "Balai C" in text.text and image.method == "sendPhoto" and xlsx.files["document"][0] == "rekap-zi.xlsx"
    (hour,) = await harness.say(ADMIN, "/pengingat 9")
    assert "09.00" in hour.text or "9.00" in hour.text
    assert harness.services.records.get_setting("reminder_hour") == 9


async def test_readiness_checklist_is_filled_by_taps(harness) -> None:
    (menu,) = await harness.say(KOOR_A, "/kesiapan")
    assert "0 dari 14 terpenuhi" in menu.text
    assert harness.fake.buttons(KOOR_A)[0][1] == "k:opini_wtp"
    (edited,) = await harness.tap(KOOR_A, "k:opini_wtp")
    assert "1 dari 14 terpenuhi" in edited.text
    assert harness.fake.buttons(KOOR_A)[0][0].startswith("✅")
    assert harness.services.store.readiness("Balai A") == {"opini_wtp": True}
    (forged,) = await harness.tap(KOOR_A, "k:tidak_ada")
    assert "tidak dikenal" in forged.text
    assert harness.services.store.readiness("Balai A") == {"opini_wtp": True}
    (refused,) = await harness.say(PEGAWAI, "/kesiapan")
    assert "tidak tersedia" in refused.text


async def test_predicate_is_recorded_by_an_admin_and_the_scorecard_names_missing_requirements(harness) -> None:
    (usage,) = await harness.say(ADMIN, "/predikat Balai A WBK")
    assert "Gunakan:" in usage.text
    (bad_date,) = await harness.say(ADMIN, "/predikat Balai A; WBK; 12/2024; 10-12-2024")
    assert "Gunakan:" in bad_date.text
    (refused,) = await harness.say(KOOR_A, "/predikat Balai A; WBK; 12/2024; 2024-12-10")
    assert "tidak tersedia untuk peran Anda" in refused.text
    (saved,) = await harness.say(ADMIN, "/predikat Balai A; wbk; 12/KEP/2024; 2024-12-10")
    assert "predikat Menuju WBK tercatat (SK 12/KEP/2024, 10-12-2024)" in saved.text
    assert harness.services.store.worksheet("Balai A")[1].predikat == "WBK"
    (unknown,) = await harness.say(ADMIN, "/predikat Balai Tak Ada; WBK; 1; 2024-01-01")
    assert "tidak ditemukan" in unknown.text
    text, _ = await harness.say(KOOR_A, "/skor", expect=2)
    assert "Sudah berpredikat WBK" not in text.text  # the WBBM gate reads the recorded predicate
    assert "syarat pengusulan belum dipenuhi" in text.text
    rekap, _, _ = await harness.say(ADMIN, "/rekap", expect=3)
    assert "WBK ❌" in rekap.text


async def test_lapor_with_an_id_alone_shows_the_options_criteria(harness) -> None:
    (help_,) = await harness.say(KOOR_A, "/lapor ppb1a")
    assert "A – semua SOP mengacu peta proses bisnis dan ada inovasi yang selaras" in help_.text
    assert "B – semua SOP mengacu peta proses bisnis, tanpa inovasi" in help_.text
    (ratio,) = await harness.say(KOOR_A, "/lapor PRE2A")
    assert "pengaduan_wajib=angka" in ratio.text and "bukan peraturan" in ratio.text
    (usage,) = await harness.say(KOOR_A, "/lapor XYZ")
    assert "Format:" in usage.text
    await harness.say(KOOR_A, "/lapor PPB1A B")
    xlsx, csv = await harness.say(KOOR_A, "/ekspor", expect=2)
    row = next(r for r in csv.files["document"][1].decode("utf-8-sig").splitlines() if ",PPB1A," in r)
    assert "tanpa inovasi" in row


async def test_lapor_refuses_hostile_counts_and_changes_nothing(harness) -> None:
    for text, message in [
        ("/lapor PRE3A lhkpn_wajib=99999999999999999999 lhkpn_lapor=1", "terlalu besar"),
        ("/lapor PRE2A pengaduan_wajib=5 pengaduan_diproses=3 pengaduan_selesai=4", "tidak boleh lebih besar"),
        ("/lapor PRC3A pelanggaran_tahun_lalu=3 pelanggaran_tahun_ini=1 pelanggaran_disanksi=2", "tidak boleh"),
        ("/lapor PPB1A Z", "tidak valid"),
    ]:
        (reply,) = await harness.say(KOOR_A, text)
        assert message in reply.text, (text, reply.text)
    assert harness.services.store.worksheet("Balai A")[1].answers == {}


async def test_evidence_zip_must_be_a_real_office_document(harness) -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("catatan.txt", "bukan dokumen")
    await harness.say(KOOR_A, "/bukti PPA1A")
    (refused,) = await harness.upload(KOOR_A, buffer.getvalue(), "bukti.docx")
    assert "bukan dokumen Word (DOCX) atau Excel (XLSX)" in refused.text
    book = io.BytesIO()
    from openpyxl import Workbook

    Workbook().save(book)
    await harness.say(KOOR_A, "/bukti PPA1A")
    (saved,) = await harness.upload(KOOR_A, book.getvalue(), "rekap.xlsx")
    assert "tersimpan" in saved.text
    assert [e.filename for e in harness.services.store.evidence("Balai A", "PPA1A")] == ["rekap.xlsx"]


async def test_a_held_write_lock_stalls_no_other_chat(harness) -> None:
    """Another process holds SQLite's write lock: a coordinator's write waits for it in a worker thread while an
    employee's /start and a coordinator's /skor are answered meanwhile (they arrive while the lock is still held)."""
    import subprocess
    import sys

    db = harness.services.settings.resolved_database_url.split("///", 1)[1]
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\n"
            "print('locked', flush=True)\n"
            "sys.stdin.readline()\n"
            "c.execute('COMMIT')\n",
            db,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        since = len(harness.fake.calls)
        harness.fake.send_text(KOOR_A, "/lapor PPA1A Ya")  # a write: waits for the lock
        (start,) = await harness.say(PEGAWAI, "/start")
        text, _ = await harness.say(KOOR_B, "/skor", expect=2)
        assert "Asisten ZI" in start.text and "Kartu nilai Balai B" in text.text
        assert holder.poll() is None  # both answered while the lock was held
        assert not [c for c in harness.fake.calls[since:] if c.chat_id == KOOR_A]  # the write is still waiting
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)
    saved = await harness.fake.wait_text(KOOR_A, "PPA1A", since)
    assert "Ya" in saved.text
    assert harness.services.store.worksheet("Balai A")[1].answers["PPA1A"] == "Ya"


async def test_errors_are_classified_by_type(harness) -> None:
    from knowledge import IngestError
    from zi_core import AnswerError, PermissionDenied

    act = harness.app.bot_data.actions
    assert act.error_text(RuntimeError("kejutan")) is None  # unexpected: logged by the caller
    assert "pesan uji" in act.error_text(AnswerError("PPA1A", "pesan uji"))
    assert "tidak tersedia untuk peran Anda" in act.error_text(PermissionDenied("x"))
    assert "rusak" in act.error_text(IngestError("a.pdf", "corrupt", "rusak"))

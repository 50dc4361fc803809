"""Admins grow the knowledge base from Telegram; bad uploads change nothing; reloads never interrupt questions."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pypdf
import pytest

from knowledge.versions import current_version

from .conftest import ADMIN, KOOR_A, PEGAWAI

pytestmark = pytest.mark.slow
QUESTION = "Apa yang dimaksud dengan Instansi Pemerintah menurut Peraturan Menteri?"


def _regulation_page(regulation_pdf: Path, index: int) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_page(pypdf.PdfReader(regulation_pdf).pages[index])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


async def test_admin_pdf_upload_becomes_answerable(harness, regulation_pdf: Path) -> None:
    await harness.say(ADMIN, "/unggah")
    since = len(harness.fake.calls)
    harness.fake.send_document(ADMIN, _regulation_page(regulation_pdf, 2), "ketentuan-umum.pdf")
    await harness.fake.wait_text(ADMIN, "Memproses", since)
    done = await harness.fake.wait_text(ADMIN, "Basis pengetahuan diperbarui", since)
    assert "1 dokumen diindeks ulang" in done.text
    saved = await harness.fake.wait_text(ADMIN, "disimpan sebagai", since)
    assert "<code>ketentuan-umum.pdf</code>" in saved.text
    (answer,) = await harness.say(PEGAWAI, QUESTION)
    assert "instansi pusat dan instansi daerah" in answer.text
    assert "ketentuan-umum.pdf, hlm. 1" in answer.text


async def test_bad_upload_leaves_the_served_index_untouched(harness) -> None:
    index_dir = harness.services.kb.index_dir
    before = current_version(index_dir)
    await harness.say(ADMIN, "/unggah")
    since = len(harness.fake.calls)
    harness.fake.send_document(ADMIN, b"ini bukan PDF, hanya teks yang diganti namanya", "materi.pdf")
    failed = await harness.fake.wait_text(ADMIN, "tidak dapat diproses", since)
    assert "Basis pengetahuan tidak berubah" in failed.text
    assert current_version(index_dir) == before
    assert not (harness.services.settings.uploads_dir / "materi.pdf").exists()
    (still,) = await harness.say(PEGAWAI, "Berapa nilai minimal WBK?")
    assert "minimal 75" in still.text


async def test_koordinator_file_without_unggah_is_not_ingested(harness) -> None:
    await harness.say(KOOR_A, "/unggah")
    (reply,) = await harness.upload(KOOR_A, b"%PDF-1.4", "x.pdf")
    assert "belum tahu untuk apa" in reply.text


async def test_reload_while_others_keep_asking(harness) -> None:
    uploads = harness.services.settings.uploads_dir
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / "tambahan.md").write_text(
        "# Jam layanan\n\nLoket pengaduan unit contoh buka setiap hari kerja pukul delapan sampai enam belas.\n" * 40,
        encoding="utf-8",
    )
    before = harness.services.kb.retriever.version
    since = len(harness.fake.calls)
    harness.fake.send_text(ADMIN, "/muatulang")
    reload_task = asyncio.create_task(harness.fake.wait_text(ADMIN, "Basis pengetahuan diperbarui", since))
    answers = []
    for question in [
        "Berapa nilai minimal WBK?",
        "Kapan batas pengusulan ke TPN?",
        "Apa itu WBS?",
        "Boleh terima parsel dari rekanan?",
        "Apa itu SPTJM?",
        "Apa itu maklumat pelayanan?",
    ]:
        (reply,) = await harness.say(PEGAWAI, question)
        answers.append(reply.text)
    await reload_task
    assert all("kesalahan" not in a for a in answers)
    assert sum("Sumber:" in a for a in answers) >= 5
    for _ in range(100):
        if harness.services.kb.retriever.version != before:
            break
        await asyncio.sleep(0.2)
    assert harness.services.kb.retriever.version != before
    (new,) = await harness.say(PEGAWAI, "Jam berapa loket pengaduan unit contoh buka?")
    assert "tambahan.md" in new.text


async def test_evidence_after_unggah_never_reaches_the_knowledge_base(harness) -> None:
    """An admin who sends /unggah, then /bukti and a file: the file is evidence only (one pending action)."""
    store = harness.services.store
    await harness.say(ADMIN, "/unggah")
    assert harness.services.records.pending(ADMIN).kind == "upload"
    store.add_user(ADMIN, "admin", "Balai A")
    await harness.say(ADMIN, "/bukti PPA1A")
    assert harness.services.records.pending(ADMIN).kind == "evidence"
    (saved,) = await harness.upload(ADMIN, b"%PDF-1.4\n% rahasia unit\n", "rahasia.pdf")
    assert "Bukti untuk <b>PPA1A</b> tersimpan" in saved.text
    uploads = harness.services.settings.uploads_dir
    assert not uploads.exists() or not any(uploads.iterdir())
    assert harness.services.records.pending(ADMIN) is None
    (again,) = await harness.upload(ADMIN, b"%PDF-1.4\n% lagi\n", "lagi.pdf")
    assert "belum tahu untuk apa" in again.text


async def test_pending_actions_live_in_the_database_expire_and_can_be_cancelled(harness, tmp_path) -> None:
    from bot.records import BotRecords
    from zi_core.store import Store

    await harness.say(ADMIN, "/unggah")
    # Another process on the same database (a restart, a standby) sees the same state.
    other = Store(harness.services.settings.resolved_database_url)
    other.start()
    try:
        assert BotRecords(other).pending(ADMIN).kind == "upload"
    finally:
        other.close()
    (cancelled,) = await harness.say(ADMIN, "/batal")
    assert "Dibatalkan" in cancelled.text and harness.services.records.pending(ADMIN) is None
    (nothing,) = await harness.say(ADMIN, "/batal")
    assert "Tidak ada yang sedang ditunggu" in nothing.text
    harness.services.records.set_pending(ADMIN, "upload", {}, ttl_seconds=-1)  # ten minutes passed
    assert harness.services.records.pending(ADMIN) is None
    (late,) = await harness.upload(ADMIN, b"# Materi\n\nIsi.\n", "materi.md")
    assert "belum tahu untuk apa" in late.text

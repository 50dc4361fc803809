"""The command table drives the menus, the help, the handlers and the console; the console walks buttons as
numbered choices through the same views as Telegram."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import commands
from bot.console import Console
from bot.render import Templates
from bot.services import build_services
from zi_app.wiring import ROLES, Actor

from .conftest import PEGAWAI, make_settings


@pytest.mark.parametrize("role", ROLES)
def test_every_command_is_in_the_help_and_menu_of_each_role_that_may_use_it_and_no_other(role: str) -> None:
    templates = Templates()
    text = commands.help_text(templates, Actor(1, "", role, "Balai"))
    menu = [c.command for c in commands.menu(templates, role)]
    for command in commands.COMMANDS:
        allowed = role in command.roles
        assert (f"/{command.name}" in text) == allowed, f"/{command.name} in the help of {role}"
        assert (command.name in menu) == allowed, f"/{command.name} in the menu of {role}"


def test_the_help_is_html_not_escaped_html() -> None:
    text = commands.help_text(Templates(), Actor(1, "<Ani>", "admin", "Balai"), first=True)
    assert "<b>Bertanya</b>" in text and "<code>/tanya Berapa nilai minimal WBK?</code>" in text
    assert "&lt;b&gt;" not in text and "&lt;Ani&gt;" in text  # the user's own name stays escaped


def test_every_command_has_a_menu_text_telegram_accepts() -> None:
    templates = Templates()
    for command in commands.COMMANDS:
        text = templates.render("commands", f"menu_{command.name}")
        assert 3 <= len(text) <= 256 and "<" not in text and "&" not in text, command.name
        assert commands.find(command.name) is command
        for alias in command.aliases:
            assert commands.find(alias.upper()) is command
    assert commands.find("tidakada") is None


def test_every_button_prefix_has_a_route_and_names_differ() -> None:
    names = [n for c in commands.COMMANDS for n in (c.name, *c.aliases)]
    assert len(names) == len(set(names))
    assert {r.prefix for r in commands.BUTTONS} == {"p:", "f:", "c:", "k:", "t:"}


@pytest.fixture
def console(tmp_path: Path, prepared_data: Path):
    data = tmp_path / "data"
    shutil.copytree(prepared_data, data)
    services = build_services(make_settings(data))
    services.start()
    services.store.add_unit("Balai A")
    services.store.add_user(9, "admin", "Balai A", "Admin")
    try:
        yield Console(services, Actor(9, "Admin", "admin", "Balai A")), services, data
    finally:
        services.stop()


@pytest.mark.slow
async def test_console_walks_the_checklist_by_numbers_and_saves_an_answer(console) -> None:
    con, services, _ = console
    areas = await con.handle("/checklist")
    assert "[1] Manajemen Perubahan" in areas and "Ketik nomor" in areas
    subs = await con.handle("1")
    assert "[1] PPA1 Tim kerja ZI (0/2)" in subs
    questions = await con.handle("1")
    assert "[1] PPA1A" in questions and "[2] PPA1B" in questions
    question = await con.handle("1")
    assert "PPA1A (1/" in question and "[1] Ya" in question and "[2] Tidak" in question
    saved = await con.handle("1")
    assert services.store.worksheet("Balai A")[1].answers["PPA1A"] == "Ya"
    assert "[1] ✓ Ya" in saved  # the question again, with the saved choice marked
    assert "Tidak ada pilihan nomor 99" in await con.handle("99")
    # A typed number without a reply offering choices is a question, not a button.
    await con.handle("/skor")
    assert "Tidak ada pilihan" not in await con.handle("7")


@pytest.mark.slow
async def test_console_readiness_export_evidence_upload_and_reminder(console, tmp_path: Path) -> None:
    con, services, data = console
    readiness = await con.handle("/kesiapan")
    assert "0 dari" in readiness and "[1] ⬜" in readiness
    toggled = await con.handle("1")
    assert "1 dari" in toggled and "[1] ✅" in toggled
    exported = await con.handle("/ekspor")
    assert (data / "konsol" / "lke-balai-a.xlsx").is_file() and "lke-balai-a.csv" in exported
    evidence = tmp_path / "sk-tim.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert "Di konsol, sebutkan berkas buktinya" in await con.handle("/bukti PPA1A")
    assert "tidak ditemukan" in await con.handle("/bukti PPA1A /tidak/ada.pdf")
    assert "sk-tim.pdf" in await con.handle(f"/bukti PPA1A {evidence}")
    assert [e.filename for e in services.store.evidence("Balai A", "PPA1A")] == ["sk-tim.pdf"]
    material = tmp_path / "catatan-rapat.md"
    material.write_text("# Rapat ZI\n\nRapat evaluasi ZI diadakan setiap hari Kamis pukul sembilan.\n")
    uploaded = await con.handle(f"/unggah {material}")
    assert "catatan-rapat.md" in uploaded and "Basis pengetahuan diperbarui" in uploaded
    assert "Kamis" in await con.handle("Kapan rapat evaluasi ZI diadakan?")
    assert "07.00" in await con.handle("/pengingat 7") or services.records.get_setting("reminder_hour") == 7
    assert services.records.get_setting("reminder_hour") == 7
    assert "15 Juni 2099" in await con.handle("/pengingat batas 2099-06-15")
    assert services.records.get_setting("proposal_deadline") == "2099-06-15"
    assert "Format" in await con.handle("/pengingat batas 2001-01-01")  # a past date is refused


@pytest.mark.slow
async def test_console_answers_offer_their_passages_and_refuses_what_the_role_may_not(console) -> None:
    con, services, _ = console
    answer = await con.handle("Boleh terima parsel dari rekanan?")
    assert "30 hari kerja" in answer and "[1] 📄 Kutipan 1" in answer and "👎" in answer
    passage = await con.handle("1")
    assert "parsel" in passage.lower()
    assert "tidak saya kenal" in await con.handle("/tidakada")
    pegawai = Console(services, Actor(PEGAWAI, "", "pegawai", None))
    assert "tidak tersedia untuk peran Anda" in await pegawai.handle("/rekap")
    assert "Berapa nilai minimal WBK?" in await pegawai.handle("/bantuan")


@pytest.mark.slow
async def test_console_reviews_with_numbered_buttons_and_writes_the_lhe(console) -> None:
    from tests.zi_core.conftest import best_answers

    con, services, data = console
    store = services.store
    assert "meninjau: Balai A" in await con.handle("/tpi 20 Balai A")
    store.add_user(21, "koordinator", "Balai A")
    store.import_answers("Balai A", best_answers(store.worksheet("Balai A")[0]), 21, "uji")
    unit = Console(services, Actor(21, "Koordinator", "koordinator", "Balai A"))
    submitted = await unit.handle("/ajukan")
    assert "putaran 1" in submitted and "1 pengguna lain akan diberi tahu" in submitted
    assert "saat perbaikan" in await unit.handle("/tanggapan PPA1A ya")
    tpi = Console(services, Actor(20, "TPI", "tpi", None))
    assert "1. Balai A" in await tpi.handle("/tinjau")
    view = await tpi.handle("/tinjau 1")
    assert "PPA1A" in view and "[1] ✅ Setuju" in view
    after = await tpi.handle("1")
    assert "PPA1A</b>" not in after and "PPA1A: disetujui" in after and "PPA1B" in after
    note = await tpi.handle("/catatan PPA1B Perlu SK")
    assert "catatan: Perlu SK" in note
    assert store.review_items("Balai A")["PPA1A"].status == "disetujui"
    assert "jawaban disetujui" in await tpi.handle("/setuju semua")
    assert "layak diusulkan" in await tpi.handle("/selesai layak")
    written = await tpi.handle("/lhe")
    assert (data / "konsol" / "lhe-balai-a.docx").is_file() and "lhe-balai-a.docx" in written

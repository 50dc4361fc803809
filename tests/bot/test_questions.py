"""Employees' questions end to end: answers with sources, buttons, abstention, groups, hostile input."""

from __future__ import annotations

import asyncio

import pytest

from .conftest import ADMIN, KOOR_A, PEGAWAI
from .fake_telegram import BOT_USERNAME

pytestmark = pytest.mark.slow


async def test_start_explains_what_each_role_can_do(harness) -> None:
    (pegawai,) = await harness.say(PEGAWAI, "/start")
    assert "Berapa nilai minimal WBK?" in pegawai.text and "/checklist" not in pegawai.text
    assert pegawai.params["parse_mode"] == "HTML"
    (koor,) = await harness.say(KOOR_A, "/bantuan")
    assert "/checklist" in koor.text and "Balai A" in koor.text and "/unggah" not in koor.text
    (admin,) = await harness.say(ADMIN, "/bantuan")
    assert "/unggah" in admin.text and "/rekap" in admin.text


async def test_an_unknown_command_is_answered_not_ignored(harness) -> None:
    (reply,) = await harness.say(PEGAWAI, "/skorku")
    assert "/skorku" in reply.text and "/bantuan" in reply.text
    (refused,) = await harness.say(PEGAWAI, "/rekap")
    assert "tidak tersedia untuk peran Anda" in refused.text


async def test_menus_are_set_per_role(harness) -> None:
    menus = [c for c in harness.fake.calls if c.method == "setMyCommands"]
    default = next(c for c in menus if c.params["scope"]["type"] == "default")
    assert [c["command"] for c in default.params["commands"]] == ["tanya", "bantuan"]
    admin = next(c for c in menus if c.params["scope"] == {"type": "chat", "chat_id": ADMIN})
    assert "muatulang" in [c["command"] for c in admin.params["commands"]]


async def test_plain_question_is_answered_with_its_source_and_buttons(harness) -> None:
    (reply,) = await harness.say(PEGAWAI, "Boleh terima parsel dari rekanan?")
    assert "30 hari kerja" in reply.text
    assert "Sumber:</b> 04-integritas-dan-pengawasan.md" in reply.text
    buttons = [
        data for row in reply.params["reply_markup"]["inline_keyboard"] for data in (b["callback_data"] for b in row)
    ]
    passage, thumbs_up = buttons[0], buttons[-2]
    (full,) = await harness.tap(PEGAWAI, passage)
    assert "Boleh terima parsel atau hadiah dari rekanan?" in full.text
    await harness.tap(PEGAWAI, thumbs_up, expect=0)
    answered = harness.fake.answered_callbacks()[-1]
    assert "Terima kasih" in answered.params["text"]


async def test_passage_button_shows_what_was_shown_and_only_to_the_asker(harness) -> None:
    (reply,) = await harness.say(PEGAWAI, "Boleh terima parsel dari rekanan?")
    log = harness.services.records.question_log(
        int(reply.params["reply_markup"]["inline_keyboard"][0][1]["callback_data"].split(":")[1])
    )
    assert log is not None and len(log.shown) >= 2 and all(log.shown)
    second = harness.services.kb.shown_passage(2, log.shown[1])
    (full,) = await harness.tap(PEGAWAI, f"p:{log.id}:2")
    assert second is not None and second.text.split()[0] in full.text
    # Another user tapping the same button data (forged, or a forwarded keyboard) sees nothing of it.
    (other,) = await harness.tap(KOOR_A, f"p:{log.id}:2")
    assert "hanya bisa dibuka oleh yang mengajukan" in other.text
    assert second.text.split("\n")[0][:40] not in other.text
    # A rank that was never shown.
    (gone,) = await harness.tap(PEGAWAI, f"p:{log.id}:9")
    assert "sudah tidak tersedia" in gone.text


async def test_tanya_command_and_empty_question(harness) -> None:
    (reply,) = await harness.say(PEGAWAI, "/tanya Berapa nilai minimal WBK?")
    assert "minimal 75" in reply.text and "hlm." not in reply.text  # markdown sources have no pages
    (empty,) = await harness.say(PEGAWAI, "/tanya")
    assert "Silakan tulis pertanyaannya" in empty.text


async def test_out_of_domain_question_abstains_and_is_listed_for_admins(harness) -> None:
    (reply,) = await harness.say(PEGAWAI, "Bagaimana resep rendang yang empuk?")
    assert "belum menemukan jawaban" in reply.text and "reply_markup" not in reply.params
    (listing,) = await harness.say(ADMIN, "/belumterjawab")
    assert "bagaimana resep rendang yang empuk?" in listing.text
    (refused,) = await harness.say(PEGAWAI, "/belumterjawab")
    assert "tidak tersedia untuk peran Anda" in refused.text


async def test_a_regulation_the_material_never_cites_is_named(harness) -> None:
    (reply,) = await harness.say(PEGAWAI, "Apa isi Perpres 81/2010?")
    assert "tidak memuat Perpres 81/2010" in reply.text


async def test_admin_answers_an_open_question_the_asker_is_told_and_the_next_asker_gets_it(harness) -> None:
    question = "Bagaimana resep rendang yang empuk?"
    (first,) = await harness.say(PEGAWAI, question)
    assert "belum menemukan jawaban" in first.text
    (listing,) = await harness.say(ADMIN, "/belumterjawab")
    open_id = harness.services.records.open_questions()[0].id
    assert f"<code>{open_id}</code> bagaimana resep rendang yang empuk?" in listing.text
    (usage,) = await harness.say(ADMIN, "/jawab")
    assert "Gunakan:" in usage.text
    (unknown,) = await harness.say(ADMIN, "/jawab 999999 apa saja")
    assert "tidak ditemukan" in unknown.text
    (refused,) = await harness.say(PEGAWAI, f"/jawab {open_id} saya jawab sendiri")
    assert "tidak tersedia untuk peran Anda" in refused.text
    answer = "Materi ZI tidak membahas masakan.\n## bukan judul\nRendang empuk dimasak perlahan dengan api kecil."
    since = len(harness.fake.calls)
    await harness.say(ADMIN, f"/jawab {open_id} {answer}")
    notice = await harness.fake.wait_text(PEGAWAI, "sudah dijawab admin", since)
    assert "api kecil" in notice.text
    done = next(c for c in harness.fake.calls[since:] if c.chat_id == ADMIN and "FAQ kurasi" in c.text)
    assert "1 penanya diberi tahu" in done.text
    (again,) = await harness.say(PEGAWAI, question)
    assert "api kecil" in again.text and "faq-kurasi.md" in again.text
    curated = (harness.services.settings.uploads_dir / "faq-kurasi.md").read_text(encoding="utf-8")
    assert curated.count("\n## ") == 1  # the answer's own "## ..." line did not become a heading
    (empty,) = await harness.say(ADMIN, "/belumterjawab")
    assert "Belum ada" in empty.text


async def test_groups_answer_only_when_mentioned_or_replied_to(harness) -> None:
    group = -100
    since = len(harness.fake.calls)
    harness.fake.send_text(PEGAWAI, "Berapa nilai minimal WBK?", chat_id=group, chat_type="supergroup")
    await asyncio.sleep(1.0)
    assert harness.fake.to_chat(group) == [] and len(harness.fake.calls) == since
    (mentioned,) = await harness.say(
        PEGAWAI, f"@{BOT_USERNAME} Berapa nilai minimal WBK?", chat_id=group, chat_type="supergroup"
    )
    assert "minimal 75" in mentioned.text
    (replied,) = await harness.say(
        PEGAWAI, "Kapan batas pengusulan ke TPN?", chat_id=group, chat_type="supergroup", reply_to_bot=True
    )
    assert "31 Mei" in replied.text


@pytest.mark.parametrize("harness", [{"allowed_user_ids": [KOOR_A]}], indirect=True)
async def test_allow_list_refuses_others_politely(harness) -> None:
    (reply,) = await harness.say(PEGAWAI, "Berapa nilai minimal WBK?")
    assert "belum terdaftar" in reply.text
    (ok,) = await harness.say(KOOR_A, "Berapa nilai minimal WBK?")
    assert "minimal 75" in ok.text


async def test_hostile_input_is_answered_politely(harness) -> None:
    (long_reply,) = await harness.say(PEGAWAI, "gratifikasi " * 1000)
    assert "terlalu panjang" in long_reply.text
    (html,) = await harness.say(KOOR_A, "/lapor <b>PPA1A</b><script>alert(1)</script> Ya")
    assert "<script>" not in html.text.lower() and "&lt;script&gt;" in html.text.lower()
    assert "Tidak ada data yang diubah" in html.text
    (markdown,) = await harness.say(PEGAWAI, "*tebal* _miring_ [tautan](http://contoh) `kode` <i>x</i> &amp;")
    assert markdown.params["parse_mode"] == "HTML"
    _, ws = harness.services.store.worksheet("Balai A")
    assert ws.answers == {}


async def test_forged_passage_and_feedback_buttons(harness) -> None:
    (reply,) = await harness.tap(PEGAWAI, "p:999999:1")
    assert "sudah tidak tersedia" in reply.text
    await harness.tap(PEGAWAI, "f:notanumber:1", expect=0)
    assert "Masukan hanya bisa" in harness.fake.answered_callbacks()[-1].params["text"]

from __future__ import annotations

import datetime as dt

from bot.reminders import days_to_deadline
from bot.render import Templates, split_message, to_plain


def test_long_messages_split_cleanly_under_the_limit() -> None:
    text = "\n".join(f"<b>Baris {i}</b> berisi &amp; teks yang cukup panjang untuk diuji" for i in range(400))
    parts = split_message(text)
    assert len(parts) > 1
    assert all(len(p) <= 4096 + 20 for p in parts)
    for part in parts:
        assert part.count("<b>") == part.count("</b>")
        assert "&am" not in part.replace("&amp;", "")
    assert to_plain("".join(parts)).count("Baris") == 400


def test_unbroken_text_is_cut_at_the_limit() -> None:
    parts = split_message("x" * 10000)
    assert [len(p) for p in parts] == [4096, 4096, 1808]


def test_user_text_is_escaped_in_templates() -> None:
    html = Templates().render("common", "invalid", qid="<b>X</b>", message="<script>")
    assert "&lt;b&gt;X&lt;/b&gt;" in html and "&lt;script&gt;" in html


def test_days_to_the_31_may_deadline() -> None:
    assert days_to_deadline(dt.date(2027, 5, 1)) == 30
    assert days_to_deadline(dt.date(2027, 5, 31)) == 0
    assert days_to_deadline(dt.date(2027, 6, 1)) == 365


def test_an_answer_cites_every_passage_its_sentences_come_from() -> None:
    from knowledge import Answer, Citation, Passage

    passages = (
        Passage(1, 0.9, "... syarat pengajuan kepada TPN, yaitu:", "reg.pdf", 46, "BAB II > PENGAJUAN"),
        Passage(2, 0.8, "Opini BPK minimal WTP ...", "reg.pdf", 47, "BAB II > Tabel 5. Kriteria"),
    )
    citations = (Citation("reg.pdf", 46, "PENGAJUAN"), Citation("reg.pdf", 47, "Tabel 5. Kriteria <Usulan>"))
    answer = Answer("syarat?", False, passages, ("... yaitu:", "Opini BPK minimal WTP"), citations=citations)
    html = Templates().render("answer", "answer", answer=answer)
    assert (
        "<b>Sumber:</b> reg.pdf, hlm. 46 – <i>PENGAJUAN</i>; reg.pdf, hlm. 47 – <i>Tabel 5. Kriteria &lt;Usulan&gt;</i>"
        in html
    )


def test_related_passages_show_their_whole_heading_or_cut_it_at_a_word() -> None:
    from knowledge import Answer, Passage

    question = "Jika unit gagal atau tidak lolos evaluasi TPN, bisakah diajukan lagi?"
    long = "Apa saja yang perlu disiapkan unit kerja sebelum mengajukan diri kepada Tim Penilai Nasional tahun ini?"
    passages = (
        Passage(1, 0.9, "Jawaban.", "02.md", None, "Tahapan > Siapa yang menetapkan predikat?"),
        Passage(2, 0.8, "Bisa.", "02.md", None, f"Tahapan > {question}"),
        Passage(3, 0.7, "Siapkan.", "02.md", None, f"Tahapan > {long}"),
    )
    answer = Answer("x", False, passages, ("Jawaban.",))
    html = Templates().render("answer", "answer", answer=answer)
    assert f"• 02.md – <i>{question}</i>" in html
    assert "• 02.md – <i>Apa saja yang perlu disiapkan unit kerja sebelum mengajukan diri kepada Tim…</i>" in html


def test_a_passage_running_on_to_the_next_page_shows_both_pages() -> None:
    from knowledge import Answer, Passage

    passages = (
        Passage(1, 0.9, "Jawaban.", "reg.pdf", 54, "C. Evaluasi Lapangan"),
        Passage(2, 0.8, "Lanjutan.", "reg.pdf", 55, "C. Evaluasi Lapangan", last_page=56),
        Passage(3, 0.7, "Satu halaman.", "reg.pdf", 57, "D. Penetapan", last_page=57),
    )
    html = Templates().render("answer", "answer", answer=Answer("x", False, passages, ("Jawaban.",)))
    assert "• reg.pdf, hlm. 55–56 – <i>C. Evaluasi Lapangan</i>" in html
    assert "• reg.pdf, hlm. 57 – <i>D. Penetapan</i>" in html
    shown = Templates().render("answer", "passage", passage=passages[1])
    assert shown.startswith("<b>reg.pdf, hlm. 55–56</b>")

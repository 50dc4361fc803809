"""Answers over the real regulation with the real default embedder (built once per session)."""

from __future__ import annotations

import pytest

from zi_app.render import Templates, to_plain

pytestmark = pytest.mark.slow


def _text(answer) -> str:
    """The answer as every front end shows it (the shared template, as plain text)."""
    return to_plain(Templates().render("answer", "answer", answer=answer, logged=False))


@pytest.mark.parametrize(
    ("question", "pages", "phrase"),
    [
        # The threshold is stated twice: in the TPN's pre-evaluation steps (p. 52) and in Tabel 6 (p. 58).
        ("Berapa nilai minimal pengungkit untuk predikat Menuju WBK?", {52, 58}, "pengungkit 40"),
        ("Paling lambat kapan pengusulan unit ke TPN lewat PMPZI?", {50}, "31 Mei"),
        ("Berapa jumlah responden minimal survei per unit?", {55}, "30 responden"),
        ("Pencanangan ZI itu wajib bikin acara seremonial resmi nggak sih?", {12}, "khusus/formal"),
        # A definition question gets the definition, though the cited regulation's number is on the title page.
        (
            "Apa pengertian Zona Integritas menurut PermenPANRB Nomor 90 Tahun 2021?",
            {3},
            "berkomitmen untuk mewujudkan",
        ),
        ("Dalam aturan zona integritas, apa yang dimaksud dengan kawasan?", {3}, "Kawasan adalah area"),
        # A difference question gets the definitions (WBK and WBBM are Pasal 1 angka 2 and 3).
        ("Apa bedanya WBK sama WBBM?", {3}, "yang selanjutnya disingkat WB"),
    ],
)
def test_answer_cites_the_right_page(real_kb, question: str, pages: set[int], phrase: str) -> None:
    answer = real_kb.ask(question)
    assert not answer.abstained
    top = answer.passages[0]
    assert top.source == "permenpanrb-90-2021.pdf" and top.page in pages
    assert phrase.lower() in _text(answer).lower()
    assert f"hlm. {top.page}" in _text(answer)


@pytest.mark.parametrize(
    "question",
    [
        "resep rendang",
        "Jadwal kereta Jakarta Bandung hari ini jam berapa?",
        # shares common words with the material (cara, membuat -> buat, memperbaiki -> baik), nothing rare
        "Bagaimana cara membuat kue bolu kukus?",
        "Cara memperbaiki wifi yang lemot",
    ],
)
def test_out_of_domain_questions_abstain(real_kb, question: str) -> None:
    answer = real_kb.ask(question)
    assert answer.abstained
    assert _text(answer).startswith("🤔 Maaf") and answer.sentences == ()


def test_seed_article_is_answerable_without_a_page(real_kb) -> None:
    answer = real_kb.ask("Berapa satker KLHK yang sudah memperoleh predikat WBK menurut TPI?")
    assert not answer.abstained
    top = answer.passages[0]
    assert top.source == "klhk-sosialisasi-zi-2023.txt" and top.page is None
    assert "7 (tujuh) satker" in top.text


def test_a_difference_question_is_answered_with_both_definitions(real_kb) -> None:
    answer = real_kb.ask("Apa bedanya WBK sama WBBM?")
    assert not answer.abstained
    assert "disingkat WBK adalah" in _text(answer) and "disingkat WBBM adalah" in _text(answer)
    # Both definitions are on page 3 under Pasal 1: one citation, not the same one twice.
    assert [(c.page, c.section) for c in answer.citations] == [(3, "Pasal 1")]


def test_a_news_article_answer_does_not_end_with_its_byline(real_kb) -> None:
    answer = real_kb.ask("Satker mana yang jadi role model ZI di KLHK?")
    assert not answer.abstained
    assert "Alas Purwo" in _text(answer)
    assert "Penulis" not in _text(answer) and "Salin Tautan" not in _text(answer)
    # Asked about, the byline is the answer: its rare words ("penulis", "editor") outweigh the ones every sentence of
    # the article shares (ZI, KLHK, sosialisasi).
    answer = real_kb.ask("Siapa penulis dan editor berita sosialisasi ZI Itjen KLHK tersebut?")
    assert "NN Wijayanti" in _text(answer)


def test_a_regulation_the_material_never_cites_is_named_in_the_refusal(real_kb) -> None:
    answer = real_kb.ask("Apa isi UU 20/2001?")
    assert answer.abstained and answer.missing_citation == "UU 20/2001"
    assert "tidak memuat UU 20/2001" in _text(answer)
    # The regulation the material is: answered as usual.
    answer = real_kb.ask("Kapan PermenPANRB 90 tahun 2021 mulai berlaku?")
    assert not answer.abstained and answer.missing_citation is None
    assert "mulai berlaku pada tanggal diundangkan" in _text(answer)


def test_an_answer_announcing_a_list_goes_on_with_the_list(real_kb) -> None:
    # The passage about proposing ends with "... syarat pengajuan kepada TPN, yaitu:"; the list (Tabel 5) opens the
    # next passage. Without it the answer stopped at the colon.
    answer = real_kb.ask("Apa syarat unit kerja yang bisa diusulkan WBK?")
    assert not answer.abstained
    assert answer.sentences[0] != answer.sentences[-1]
    assert not answer.sentences[-1].rstrip().endswith(":")
    assert "Opini BPK minimal" in _text(answer)
    # Both passages are cited.
    sections = [c.section for c in answer.citations]
    assert any(s.startswith("BAB II PENGAJUAN") for s in sections), sections
    assert any(s.startswith("Tabel 5. Kriteria Pengajuan") for s in sections), sections


def test_neighbouring_chunks_found_together_are_one_passage(real_kb) -> None:
    # The field evaluation's section fills the top chunks; as separate chunks the one naming the mystery shopper
    # was fourth.
    question = "Selain survei, pengujian apa lagi yang dilakukan TPN terhadap unit saat evaluasi lapangan?"
    hits = real_kb.retriever.search(question, k=3)
    assert any("mystery shopper" in h.text for h in hits)
    assert any(len(h.chunks) == 2 for h in hits)
    shown = [c.chunk_id for h in hits for c in h.chunks]
    assert len(shown) == len(set(shown))  # no chunk twice
    answer = real_kb.ask(question)
    # The answer comes from the chunk that was found first and cites its page.
    assert [c.page for c in answer.citations] == [hits[0].chunk.page]
    assert answer.passages[0].text == hits[0].text


def test_a_shown_passage_is_rebuilt_from_its_chunk_ids(real_kb) -> None:
    answer = real_kb.ask("Selain survei, pengujian apa lagi yang dilakukan TPN terhadap unit saat evaluasi lapangan?")
    for passage in answer.passages:
        again = real_kb.shown_passage(passage.rank, passage.chunk_ids)
        assert again is not None
        assert (again.text, again.page, again.last_page, again.section) == (
            passage.text,
            passage.page,
            passage.last_page,
            passage.section,
        )
    assert any(len(p.chunk_ids) > 1 for p in answer.passages)  # a joined passage is among them
    assert real_kb.shown_passage(1, ["no-such-chunk"]) is None
    assert real_kb.shown_passage(1, []) is None


def test_close_second_passage_is_offered_as_an_alternative_and_counted_as_shown(real_kb) -> None:
    from knowledge.answer import Answerer

    question = "Sebelum diusulin, unit perlu ngadain survei sendiri gak?"
    result = real_kb.retriever.lookup(question, k=5)
    first, second = result.hits[0], result.hits[1]
    margin = (first.score - second.score) / first.score
    on = Answerer(real_kb.retriever, real_kb.answerer.policy, alternative_margin=margin + 0.01).compose(result)
    off = Answerer(real_kb.retriever, real_kb.answerer.policy, alternative_margin=0).compose(result)
    assert off.alternative == () and "Atau mungkin" not in _text(off)
    assert on.alternative and on.sentences == off.sentences
    assert "Atau mungkin yang Anda maksud" in _text(on) and on.alternative[0] in _text(on)
    assert on.shown_text.endswith(" ".join(on.alternative))
    assert len(" ".join(on.alternative).split()) <= 45 + 45 // 2  # short: its window and a list's end at most
    # Just outside the margin: no alternative.
    below = Answerer(real_kb.retriever, real_kb.answerer.policy, alternative_margin=margin * 0.99).compose(result)
    assert below.alternative == ()


def test_the_answer_window_is_the_one_matching_most_around_the_best_sentence(real_kb) -> None:
    # The passage opens and closes with sentences naming desk evaluasi and TPN; growing the window from the first
    # one stopped before "Desk evaluasi dilakukan melalui pendalaman dan pengujian LKE ...".
    answer = real_kb.ask("Apa yang dikerjakan TPN pada tahap desk evaluasi?")
    assert not answer.abstained
    assert "pendalaman dan pengujian LKE" in _text(answer)
    assert sum(len(s.split()) for s in answer.sentences) <= real_kb.answerer.max_words


def test_the_answer_window_may_read_on_into_the_joined_neighbour(real_kb) -> None:
    from knowledge.chunking import split_sentences

    question = "Berapa skor integrasi proses bisnis minimal agar sebuah kawasan bisa ditetapkan Menuju WBK?"
    hit = real_kb.retriever.lookup(question).hits[0]
    assert len(hit.chunks) == 2 and len({c.section for c in hit.chunks}) == 1
    answer = real_kb.ask(question)
    found = set(split_sentences(hit.chunk.text))
    neighbour = {s for c in hit.chunks if c is not hit.chunk for s in split_sentences(c.text)} - found
    assert any(s in found for s in answer.sentences)  # the best sentence is the found chunk's
    assert any(s in neighbour for s in answer.sentences)  # and the window reads on under the same heading
    assert "6,5" in _text(answer)
    assert {c.page for c in answer.citations} >= {c.page for c in hit.chunks}

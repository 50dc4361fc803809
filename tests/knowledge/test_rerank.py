from __future__ import annotations

from dataclasses import replace

import pytest

from knowledge import AbstainPolicy, Analyzer
from knowledge.chunking import Chunk
from knowledge.index import Hit
from knowledge.rerank import RerankConfig, defined_term, definition_match, definition_terms, rerank


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def _hit(chunk_id: str, text: str, score: float, section: str = "") -> Hit:
    chunk = Chunk(chunk_id, "doc", "doc.pdf", 3, section, text)
    return Hit(chunk, score, dense=0.8, bm25=1.0, coverage=0.5)


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Apa itu WBK?", ["wbk"]),
        ("Apa pengertian zona integritas menurut Permen 90/2021?", ["zona", "integritas"]),
        ("Dalam aturan ZI, apa yang dimaksud dengan kawasan?", ["kawasan"]),
        ("WBBM definisinya apa sih?", ["wbbm", "definisi"]),
        ("ZI tuh sebenernya apa sih?", ["zi"]),
        ("Area pengungkit itu apa aja?", []),
        ("Berapa nilai minimal WBK?", []),
        ("Boleh terima parsel dari rekanan?", []),
        ("Irwil ngajak peserta nyamain pandangan soal apa sih?", []),
        # A difference is told by both definitions.
        ("Apa perbedaan WBK dan WBBM?", ["wbk", "wbbm"]),
        ("beda WBK dan WBBM apa?", ["wbk", "wbbm"]),
        ("Jika skor TPN berbeda dengan skor TPI, mana yang dipakai?", []),
        ("Bedain pelayanan krn satu almamater itu diitung di survei korupsi gak?", []),
    ],
)
def test_definition_questions_and_their_subject(analyzer: Analyzer, question: str, subject: list[str]) -> None:
    assert definition_terms(question, analyzer) == subject


def test_defined_term_names_what_a_passage_defines() -> None:
    assert defined_term("12. Zona Integritas yang selanjutnya disingkat ZI adalah predikat ...") == "zona integritas"
    assert defined_term("WBBM adalah jenjang di atas WBK.") == defined_term("WBBM adalah predikat untuk unit ...")
    assert defined_term("Survei dilakukan oleh TPN setiap tahun.") is None


def test_definition_match_reads_the_defined_term_and_its_alias(analyzer: Analyzer) -> None:
    text = "1. Zona Integritas yang selanjutnya disingkat ZI adalah instansi pemerintah yang ..."
    assert definition_match(text, set(analyzer.terms("apa itu ZI")), analyzer) == 1.0
    assert definition_match(text, set(analyzer.terms("pengertian zona integritas")), analyzer) == 1.0
    assert definition_match(text, set(analyzer.terms("pengertian zona")), analyzer) == 0.5
    assert definition_match("Survei dilakukan setiap tahun oleh TPN.", {"survei"}, analyzer) == 0.0


def test_a_definition_without_its_alias_matches_the_spelt_out_abbreviation(analyzer: Analyzer) -> None:
    text = "Zona Integritas adalah predikat bagi instansi pemerintah yang ..."
    assert definition_match(text, {"zi"}, analyzer) == 0.0
    assert definition_match(text, {"zi"}, analyzer, long_forms=[("zona", "integritas")]) == 1.0
    # Only the whole long form counts: a passage defining one of its words is not the answer.
    assert definition_match("Integritas adalah ...", {"zi"}, analyzer, long_forms=[("zona", "integritas")]) == 0.0


def test_a_definition_question_lifts_the_defining_passage(analyzer: Analyzer) -> None:
    hits = [
        _hit("a", "Pembangunan di kawasan terpadu melibatkan banyak instansi dan unit layanan.", 0.9),
        _hit("b", "Unit kerja di kawasan pelabuhan membangun integrasi layanan.", 0.8),
        _hit("c", "5. Kawasan adalah area yang terdiri dari beberapa unit kerja lintas instansi.", 0.4),
    ]
    question = "Dalam aturan zona integritas, apa yang dimaksud dengan kawasan?"
    terms = analyzer.query_terms(question)
    config = RerankConfig()
    lifted = rerank(terms, hits, analyzer, config, defined=definition_terms(question, analyzer))
    assert lifted[0].chunk.chunk_id == "c"
    # The same passages for a question that asks for no definition keep their order.
    plain = rerank(terms, hits, analyzer, config)
    assert [h.chunk.chunk_id for h in plain] == ["a", "b", "c"]


def test_a_passage_under_a_matching_heading_moves_up(analyzer: Analyzer) -> None:
    hits = [
        _hit("a", "Penilaian dilakukan oleh tim.", 0.50, section="BAB III > Survei Persepsi"),
        _hit("b", "Penilaian dilakukan oleh tim.", 0.46, section="BAB III > Gratifikasi"),
    ]
    terms = analyzer.query_terms("aturan gratifikasi")
    ranked = rerank(terms, hits, analyzer, RerankConfig())
    assert [h.chunk.chunk_id for h in ranked] == ["b", "a"]


def test_a_question_heading_counts_more_and_glossary_words_name_the_question_term(analyzer: Analyzer) -> None:
    text = "Penilaian dilakukan oleh tim."
    faq = _hit("faq", text, 0.40, section="Tahapan > Syarat apa yang dipenuhi instansi?")
    plain = _hit("plain", text, 0.40, section="BAB II > Syarat Instansi")
    other = _hit("other", text, 0.55, section="Tahapan > Bisakah predikat dicabut?")
    terms = analyzer.query_terms("prasyarat instansi apa saja")
    expansion = {"prasyarat": ["syarat"]}
    ranked = rerank(terms, [other, plain, faq], analyzer, RerankConfig(), expansion=expansion)
    # An FAQ's heading is the question its passage answers: it weighs more than a section title.
    assert [h.chunk.chunk_id for h in ranked] == ["faq", "other", "plain"]
    # Without the glossary, "syarat" in the heading does not name "prasyarat": half the match.
    alone = rerank(terms, [faq], analyzer, RerankConfig())[0]
    assert alone.score < ranked[0].score


def test_the_defining_passage_is_marked_and_answers_despite_low_coverage(analyzer: Analyzer) -> None:
    question = "Dalam aturan zona integritas, apa yang dimaksud dengan kawasan?"
    definition = _hit("c", "5. Kawasan adalah area yang terdiri dari beberapa unit kerja lintas instansi.", 0.4)
    other = _hit("a", "Pembangunan di kawasan terpadu melibatkan banyak instansi.", 0.9)
    ranked = rerank(
        analyzer.query_terms(question),
        [other, definition],
        analyzer,
        RerankConfig(),
        definition_terms(question, analyzer),
    )
    assert [(h.chunk.chunk_id, h.defines) for h in ranked] == [("c", 1.0), ("a", 0.0)]
    policy = AbstainPolicy()
    low = replace(ranked[0], dense=0.80, coverage=0.25)  # under min_dense, a quarter of the question's terms
    assert not policy.abstains(low)
    assert policy.abstains(replace(low, defines=0.5))
    assert policy.abstains(replace(low, dense=0.70))  # semantically far: the floor still holds


def test_a_passage_sharing_only_common_words_needs_to_be_very_close() -> None:
    policy = AbstainPolicy()
    near = _hit("a", "x", 0.9)
    # "Kapan libur lebaran tahun depan?" against a gratification FAQ: only "tahun" shared (IDF-weighted 0.09).
    assert policy.abstains(replace(near, dense=0.845, coverage=0.09))
    assert policy.abstains(replace(near, dense=0.845, coverage=0.0))
    assert not policy.abstains(replace(near, dense=0.845, coverage=0.12))
    assert not policy.abstains(replace(near, dense=0.87, coverage=0.09))


def test_a_passage_sharing_few_words_needs_dense_084() -> None:
    policy = AbstainPolicy()
    near = _hit("a", "x", 0.9)
    # "Bolehkah ASN jadi pengurus partai politik?" against the LHKASN entry: "ASN" shared (0.16), dense 0.833.
    assert policy.abstains(replace(near, dense=0.833, coverage=0.16))
    assert not policy.abstains(replace(near, dense=0.842, coverage=0.16))
    assert not policy.abstains(replace(near, dense=0.833, coverage=0.31))


def test_suggested_topics_leave_out_bare_document_places() -> None:
    from knowledge.answer import suggestions

    hits = [
        _hit("a", "x", 0.9, section="LAMPIRAN III"),
        _hit("b", "x", 0.8, section="BAB I KETENTUAN UMUM > Pasal 1"),
        _hit("c", "x", 0.7, section="LAMPIRAN II > C. Evaluasi Lapangan oleh TPN"),
        _hit("d", "x", 0.6, section="LAMPIRAN II > C. Evaluasi Lapangan oleh TPN"),
        _hit("e", "x", 0.5, section="BAB IV PENUTUP"),
        _hit("f", "x", 0.4, section=""),
    ]
    assert suggestions(hits) == ("C. Evaluasi Lapangan oleh TPN", "BAB IV PENUTUP")

from __future__ import annotations

from knowledge import Analyzer
from knowledge.text import citations, unshouted


def test_colloquial_forms_meet_standard_forms() -> None:
    analyzer = Analyzer()
    assert analyzer.terms("ngajuin") == analyzer.terms("ajukan")
    assert analyzer.terms("nyamain persepsi") == analyzer.terms("samakan persepsi")
    assert "tidak" in analyzer.terms("boleh nggak sih")
    # "bisa" is what people say for the written "dapat": otherwise it is a rare word in regulations, and an FAQ
    # answer opening with "Bisa." matched every "bisa gak ...?" question.
    assert analyzer.terms("Bisakah unit bisa diusulkan?") == analyzer.terms("Dapatkah unit dapat diusulkan?")
    # Chat shorthand reads as the words it shortens.
    assert analyzer.terms("sy mksd kpn hrs lapor, emg org udh kelar?") == analyzer.terms(
        "saya maksud kapan harus lapor, memang orang sudah selesai?"
    )


def test_stemming_and_stopwords() -> None:
    analyzer = Analyzer()
    terms = analyzer.terms("Pengusulan unit kerja kepada TPN dilakukan paling lambat tanggal 31 Mei")
    assert "usul" in terms and "31" in terms
    assert "kepada" not in terms


def test_only_function_words_are_stopped() -> None:
    analyzer = Analyzer()
    # Content words that Sastrawi's stop-word list would drop: a question about the rules turns on them.
    terms = analyzer.terms("Pedoman ini digunakan oleh tim yang ditunjuk; minimal satu tahun; harus seluruh unit")
    assert {"guna", "tunjuk", "satu", "harus", "seluruh"} <= set(terms)
    assert not {"ini", "oleh", "yang"} & set(terms)
    # A question's own scaffolding is not searched for.
    assert analyzer.terms("Tolong jelaskan, apa yang dimaksud dengan kawasan menurut aturan?") == ["kawasan", "atur"]


def test_fingerprint_follows_the_word_lists() -> None:
    analyzer = Analyzer()
    assert analyzer.fingerprint == Analyzer().fingerprint
    other = Analyzer(stopwords={"yang", "dan"})
    assert other.terms("unit yang dan ini") == ["unit", "ini"]
    # An index built with other stop-words must not be served as if its terms were this analyzer's.
    assert other.fingerprint != analyzer.fingerprint


def test_decimal_separators_match() -> None:
    analyzer = Analyzer()
    assert analyzer.terms("nilai 18.25") == analyzer.terms("nilai 18,25")


def test_each_word_is_stemmed_once() -> None:
    analyzer = Analyzer()
    analyzer.terms("pembangunan pembangunan pembangunan")
    assert analyzer.cache_size == 1


def test_everyday_verb_forms_reach_their_roots() -> None:
    analyzer = Analyzer()
    # Jakarta-style prefixes and suffixes that Sastrawi leaves untouched.
    assert analyzer.terms("diusulin") == analyzer.terms("diusulkan")
    assert analyzer.terms("ditugasin") == analyzer.terms("ditugaskan")
    assert analyzer.terms("nunggu") == analyzer.terms("menunggu")
    assert analyzer.terms("nyambung") == analyzer.terms("tersambung")
    assert analyzer.terms("ngadain") == analyzer.terms("mengadakan")
    assert analyzer.terms("dapet") == analyzer.terms("mendapatkan")
    # Where the vowel-initial root would be the wrong reading (abar), the colloquial table says otherwise.
    assert analyzer.terms("ngabarin") == analyzer.terms("kabar")
    assert analyzer.terms("orang2") == analyzer.terms("orang")
    assert analyzer.terms("bos teken") == analyzer.terms("pimpinan tanda tangan")


def test_a_reduplicated_word_is_one_term() -> None:
    analyzer = Analyzer()
    # A plural or a repeated form names one thing: written twice it would weigh twice in BM25.
    assert analyzer.terms("unit-unit") == analyzer.terms("unit") == analyzer.terms("unit2")
    assert analyzer.terms("bersama-sama") == analyzer.terms("sama")
    assert analyzer.terms("sehari-hari") == ["hari"]
    # Different words joined by a hyphen stay two terms, and a word repeated apart is counted each time.
    assert analyzer.terms("kerja-sama") == ["kerja", "sama"]
    assert analyzer.terms("unit dan unit") == ["unit", "unit"]


def test_formal_and_unknown_words_are_left_alone() -> None:
    analyzer = Analyzer()
    assert analyzer.terms("pelayanan nasional") == ["layan", "nasional"]
    assert analyzer.terms("monev ombudsman") == ["monev", "ombudsman"]


def test_question_terms_leave_out_the_cited_regulation() -> None:
    analyzer = Analyzer()
    assert analyzer.query_terms("Apa pengertian zona integritas menurut PermenPANRB Nomor 90 Tahun 2021?") == [
        "erti",
        "zona",
        "integritas",
    ]
    assert "90" not in analyzer.query_terms("Permen 90/2021 berlaku kapan?")
    # Nothing else to search for: the citation stays.
    assert "81" in analyzer.query_terms("Perpres 81 tahun 2010?")


def test_citations_are_found_as_written() -> None:
    question = "Menurut PermenPANRB 90/2021 dan Undang-Undang Nomor 20 Tahun 2001, apa bedanya dengan PP 94/2021?"
    assert citations(question) == ["PermenPANRB 90/2021", "Undang-Undang Nomor 20 Tahun 2001", "PP 94/2021"]
    assert citations("Berapa nilai minimal WBK?") == []


def test_capitals_are_lowered_for_the_embedder_only_where_the_document_writes_the_word_otherwise() -> None:
    texts = [
        "BAB III EVALUASI OLEH TIM PENILAI NASIONAL > C. Evaluasi Lapangan oleh TPN",
        "Tim Penilai Nasional (TPN) melakukan evaluasi lapangan.",
    ]
    head, body = unshouted(texts)
    # Words the document also writes in lower or mixed case are lowered; acronyms and numerals stay.
    assert head == "BAB III evaluasi oleh tim penilai nasional > C. Evaluasi Lapangan oleh TPN"
    assert body == texts[1]

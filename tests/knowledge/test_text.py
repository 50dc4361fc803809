from __future__ import annotations

from knowledge import Analyzer


def test_colloquial_forms_meet_standard_forms() -> None:
    analyzer = Analyzer()
    assert analyzer.terms("ngajuin") == analyzer.terms("ajukan")
    assert analyzer.terms("nyamain persepsi") == analyzer.terms("samakan persepsi")
    assert "tidak" in analyzer.terms("boleh nggak sih")


def test_stemming_and_stopwords() -> None:
    analyzer = Analyzer()
    terms = analyzer.terms("Pengusulan unit kerja kepada TPN dilakukan paling lambat tanggal 31 Mei")
    assert "usul" in terms and "31" in terms
    assert "kepada" not in terms


def test_decimal_separators_match() -> None:
    analyzer = Analyzer()
    assert analyzer.terms("nilai 18.25") == analyzer.terms("nilai 18,25")


def test_each_word_is_stemmed_once() -> None:
    analyzer = Analyzer()
    analyzer.terms("pembangunan pembangunan pembangunan")
    assert analyzer.cache_size == 1

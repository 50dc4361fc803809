from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
import yaml

from knowledge import Analyzer, IndexBuilder, Retriever
from knowledge.embedders import HashingEmbedder
from knowledge.glossary import Glossary


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def test_everyday_words_add_the_materials_words(analyzer: Analyzer) -> None:
    glossary = Glossary.bundled(analyzer)
    assert glossary.expand(analyzer.query_terms("Yang datang itu penilai pusat?")) == {
        "nilai": ["tpn"],
        "pusat": ["tpn"],
    }
    assert glossary.expand(analyzer.query_terms("Boleh terima parsel dari rekanan?")) == {"parsel": ["gratifikasi"]}
    # "sendiri" is kept from the stop-words for this: a self-assessment is "penilaian mandiri" in the material.
    assert glossary.expand(analyzer.query_terms("Perlu survei sendiri?")) == {"sendiri": ["mandiri"]}
    # Nothing to add: the question already uses the material's word, or the glossary has no entry.
    assert glossary.expand(analyzer.query_terms("Apa tugas TPN dan penilai nasional?")) == {}
    assert glossary.expand(analyzer.query_terms("Berapa nilai minimal WBK?")) == {}


def test_phrases_match_whole_and_in_order(analyzer: Analyzer, tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text("synonyms:\n  alat ukur: instrumen\n", encoding="utf-8")
    glossary = Glossary.load(path, analyzer)
    assert glossary.expand(analyzer.terms("pakai alat ukur yang sama")) == {
        "alat": ["instrumen"],
        "ukur": ["instrumen"],
    }
    assert glossary.expand(analyzer.terms("ukur alat")) == {}
    assert glossary.expand(analyzer.terms("alat peraga")) == {}


def test_a_passage_with_the_materials_word_covers_the_everyday_word(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.md").write_text("# Gratifikasi\n\nSetiap gratifikasi wajib dilaporkan ke UPG.\n", encoding="utf-8")
    (source / "b.md").write_text("# Rapat\n\nRapat koordinasi diadakan setiap bulan di aula.\n", encoding="utf-8")
    analyzer = Analyzer()
    IndexBuilder(HashingEmbedder(), analyzer).build([source], tmp_path / "idx")
    plain = Retriever(tmp_path / "idx", HashingEmbedder(), analyzer)
    plain.load()
    expanded = Retriever(tmp_path / "idx", HashingEmbedder(), analyzer, glossary=Glossary.bundled(analyzer))
    expanded.load()
    question = "parsel lebaran"
    assert plain.search(question, k=1, mode="bm25") == []
    top = expanded.search(question, k=1, mode="bm25")[0]
    assert top.chunk.source == "a.md"
    assert top.coverage == 0.5  # "gratifikasi" stands for "parsel"; "lebaran" is not covered


def test_abbreviations_are_spelt_out_only_where_the_material_lacks_them(analyzer: Analyzer) -> None:
    glossary = Glossary.bundled(analyzer)
    terms = analyzer.query_terms("Berapa kali SKM harus dilakukan?")
    assert glossary.expand(terms) == {}  # without an index to ask, nothing is assumed
    assert glossary.expand(terms, known=lambda term: False) == {"skm": ["survei", "puas", "masyarakat"]}
    assert glossary.expand(terms, known=lambda term: term == "skm") == {}


def test_every_bundled_entry_adds_a_word(analyzer: Analyzer) -> None:
    """An entry whose words analyse to what the question already has would do nothing; the file should not hold one."""
    glossary = Glossary.bundled(analyzer)
    assert glossary.entries and glossary.abbreviations
    for key, expansion in (*glossary.entries, *glossary.abbreviations):
        assert set(expansion) - set(key), key


def test_no_bundled_key_loses_a_word_to_stopwords(analyzer: Analyzer) -> None:
    """A key cut short by analysis ("oleh oleh" -> nothing) would match more, or less, than it says."""
    data = yaml.safe_load(files("knowledge").joinpath("data/glossary.yaml").read_text(encoding="utf-8"))
    for section in data.values():
        for key in section:
            assert len(analyzer.terms(str(key))) == len(str(key).split()), key


def test_long_forms_of_abbreviations_in_the_question(analyzer: Analyzer) -> None:
    glossary = Glossary.bundled(analyzer)
    assert glossary.long_forms(analyzer.terms("zi tuh apa")) == [tuple(analyzer.terms("zona integritas"))]
    assert glossary.long_forms(analyzer.terms("pembangunan zona")) == []

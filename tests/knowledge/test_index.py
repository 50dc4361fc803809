from __future__ import annotations

import numpy as np

from knowledge.chunking import Chunk
from knowledge.dense import DenseIndex
from knowledge.embedders import l2_normalise
from knowledge.index import HybridIndex


def _index(terms: list[list[str]]) -> HybridIndex:
    vectors = l2_normalise(np.random.default_rng(3).standard_normal((len(terms), 8)).astype(np.float32))
    chunks = [Chunk(f"c{i}", "doc", "doc.txt", None, "", " ".join(t)) for i, t in enumerate(terms)]
    return HybridIndex(chunks, terms, vectors, DenseIndex.build(vectors))


def test_coverage_weighs_question_terms_by_rarity() -> None:
    index = _index(
        [
            ["cara", "lapor", "gratifikasi"],
            ["cara", "usul", "unit"],
            ["cara", "isi", "survei"],
            ["cara", "bangun", "zona"],
        ]
    )
    hits = {h.chunk.chunk_id: h for h in index.search(None, ["cara", "gratifikasi"], k=4, mode="bm25")}
    # Both share one of the two question terms; the one holding the rare term covers most of the question.
    assert hits["c0"].coverage == 1.0
    assert hits["c1"].coverage < 0.1
    # An expansion covers the term it stands for, with that term's weight.
    hits = index.search(None, ["cara", "parsel"], k=4, mode="bm25", expansion={"parsel": ["gratifikasi"]})
    assert hits[0].chunk.chunk_id == "c0" and hits[0].coverage == 1.0


def test_a_glossary_word_weighs_no_more_than_the_word_asked() -> None:
    # "syarat" is common in this material, its stand-in "kriteria" rare: at full weight the passage holding only
    # the stand-in would outrank the one holding the word asked, the same number of matches each.
    index = _index(
        [
            ["syarat", "usul", "instansi"],
            ["syarat", "nilai"],
            ["syarat", "survei"],
            ["kriteria", "usul", "cabut"],
        ]
    )
    hits = index.search(None, ["syarat", "usul"], k=4, mode="bm25", expansion={"syarat": ["kriteria"]})
    assert hits[0].chunk.chunk_id == "c0"
    by_id = {h.chunk.chunk_id: h.bm25 for h in hits}
    alone = index.bm25.scores(["usul"])
    # The stand-in adds to c3 exactly what "syarat" would have added there, not what "kriteria" weighs.
    assert by_id["c3"] < alone[3] + index.bm25.scores(["kriteria"])[3]
    assert by_id["c3"] > alone[3]


def test_a_search_runs_faiss_on_one_thread_and_a_build_on_all() -> None:
    import os

    import faiss

    from knowledge.dense import SEARCH_THREADS

    vectors = l2_normalise(np.random.default_rng(5).standard_normal((20, 8)).astype(np.float32))
    dense = DenseIndex.build(vectors)
    assert faiss.omp_get_max_threads() == (os.cpu_count() or 1)
    ids, _ = dense.search(vectors[3], 1)
    assert list(ids) == [3]
    # the embedder's own OpenMP runtime keeps the cores while a question is searched
    assert faiss.omp_get_max_threads() == SEARCH_THREADS == 1


def _index_over(chunks: list[Chunk]) -> HybridIndex:
    """An index over these chunks, each indexed under its one-word text, with random vectors."""
    vectors = l2_normalise(np.random.default_rng(4).standard_normal((len(chunks), 8)).astype(np.float32))
    return HybridIndex(chunks, [[c.text] for c in chunks], vectors, DenseIndex.build(vectors))


def test_following_stays_inside_a_document() -> None:
    chunks = [
        Chunk("a1", "a", "a.pdf", 1, "", "satu"),
        Chunk("a2", "a", "a.pdf", 2, "", "dua"),
        Chunk("b1", "b", "b.pdf", 1, "", "tiga"),
    ]
    index = _index_over(chunks)
    assert index.following(chunks[0]) == chunks[1]
    assert index.following(chunks[1]) is None  # the next chunk is another document's
    assert index.following(chunks[2]) is None


def test_neighbouring_hits_of_one_document_join_into_one_passage() -> None:
    from dataclasses import replace

    from knowledge.index import Hit

    chunks = [
        Chunk("a1", "a", "a.pdf", 1, "", "satu"),
        Chunk("a2", "a", "a.pdf", 2, "", "dua"),
        Chunk("a3", "a", "a.pdf", 2, "", "tiga"),
        Chunk("a4", "a", "a.pdf", 3, "", "empat"),
        Chunk("b1", "b", "b.pdf", 1, "", "lima"),
        Chunk("b2", "b", "b.pdf", 2, "", "enam"),
    ]
    index = _index_over(chunks)

    def hits(*ids: str) -> list[Hit]:
        by_id = {c.chunk_id: c for c in chunks}
        return [Hit(by_id[i], 1.0 - n / 10, 0.0, 0.0, 0.0) for n, i in enumerate(ids)]

    joined = index.join_adjacent(hits("a3", "b1", "a2", "a4", "a1"), max_parts=2)
    # a2 joins a3 where a3 was ranked, with a3's scores; a4 and a1 would make the passage three chunks long.
    assert [tuple(c.chunk_id for c in h.chunks) for h in joined] == [("a2", "a3"), ("b1",), ("a4",), ("a1",)]
    assert joined[0].chunk.chunk_id == "a3" and joined[0].score == 1.0
    assert joined[0].text == "dua tiga"
    # The last chunk of one document and the first of the next are not neighbours.
    assert len(index.join_adjacent(hits("a4", "b1"), max_parts=2)) == 2
    # 1 keeps every chunk apart; a definition stands alone.
    assert len(index.join_adjacent(hits("a2", "a3"), max_parts=1)) == 2
    defining = [replace(h, defines=1.0) if h.chunk.chunk_id == "a2" else h for h in hits("a2", "a3")]
    assert len(index.join_adjacent(defining, max_parts=2)) == 2
    assert len(index.join_adjacent(hits("a2", "a3", "a4"), max_parts=3)) == 1

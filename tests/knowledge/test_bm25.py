from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from knowledge.bm25 import BM25

DOCS = [
    ["zona", "integritas", "wbk", "wbk"],
    ["survei", "ipak", "responden"],
    [],
    ["wbk", "wbbm", "nilai", "nilai", "nilai"],
]


def _reference(docs, query, k1=1.2, b=0.75):
    n = len(docs)
    avg = sum(map(len, docs)) / n
    out = []
    for d in docs:
        tf = Counter(d)
        score = 0.0
        for term, qtf in Counter(query).items():
            df = sum(term in x for x in docs)
            if not tf[term]:
                continue
            idf = math.log1p((n - df + 0.5) / (df + 0.5))
            score += qtf * idf * tf[term] * (k1 + 1) / (tf[term] + k1 * (1 - b + b * len(d) / avg))
        out.append(score)
    return out


@pytest.mark.parametrize("query", [["wbk"], ["nilai", "wbk"], ["survei", "tidakada"], ["wbk", "wbk"]])
def test_scores_match_the_okapi_formula(query) -> None:
    assert BM25(DOCS).scores(query) == pytest.approx(np.array(_reference(DOCS, query), dtype=np.float32), rel=1e-5)


def test_top_returns_only_matching_documents_best_first() -> None:
    ids, scores = BM25(DOCS).top(["wbk"], k=4)
    assert list(ids) == [0, 3] and scores[0] > scores[1] > 0


def test_empty_index() -> None:
    index = BM25([])
    assert index.top(["wbk"], 3)[0].size == 0


def test_idf_is_highest_for_a_term_no_document_holds() -> None:
    bm25 = BM25(DOCS)
    assert bm25.idf("absen") > bm25.idf("survei") > bm25.idf("wbk")
    assert bm25.idf("survei") == pytest.approx(math.log1p((4 - 1 + 0.5) / (1 + 0.5)))


def test_weights_scale_a_terms_share() -> None:
    bm25 = BM25(DOCS)
    full = bm25.scores(["nilai", "wbk"])
    half = bm25.scores(["nilai", "wbk"], {"nilai": 0.5})
    assert half[3] == pytest.approx(full[3] - 0.5 * bm25.scores(["nilai"])[3])
    assert half[0] == pytest.approx(full[0])  # no "nilai" there


def test_together_needs_one_document_with_every_term() -> None:
    bm25 = BM25(DOCS)
    assert bm25.together(["wbk", "nilai"]) and bm25.together(["wbk"])
    assert not bm25.together(["wbk", "survei"])  # both occur, never in one document
    assert not bm25.together(["wbk", "absen"])

"""Query expansion for BM25 from a glossary: everyday words towards the words the material uses.

"penilai pusat" in a question adds "tpn"; "parsel" adds "gratifikasi". Phrases are compared after
analysis (stemming, colloquial forms), so inflected and everyday spellings match too. Only the BM25 query grows;
the dense query keeps the question as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import yaml

from .text import Analyzer

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Glossary:
    entries: tuple[tuple[Phrase, Phrase], ...] = ()

    @classmethod
    def from_mapping(cls, data: dict[str, dict[str, str]], analyzer: Analyzer) -> Glossary:
        entries = []
        for key, expansion in (data.get("synonyms") or {}).items():
            key_terms, added = tuple(analyzer.terms(str(key))), tuple(analyzer.terms(str(expansion)))
            if key_terms and added:
                entries.append((key_terms, added))
        return cls(tuple(entries))

    @classmethod
    def load(cls, path: Path, analyzer: Analyzer) -> Glossary:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a 'synonyms' section")
        return cls.from_mapping(data, analyzer)

    @classmethod
    def bundled(cls, analyzer: Analyzer) -> Glossary:
        text = files("knowledge").joinpath("data/glossary.yaml").read_text(encoding="utf-8")
        return cls.from_mapping(yaml.safe_load(text), analyzer)

    def expand(self, terms: Sequence[str]) -> dict[str, list[str]]:
        """For each question term inside a glossary phrase found (contiguous) in `terms`: the material's words to
        search as well, none already in the question."""
        present = set(terms)
        added: dict[str, list[str]] = {}
        for key, expansion in self.entries:
            if not _contains(terms, key):
                continue
            new = [t for t in expansion if t not in present]
            if not new:
                continue
            for term in key:
                added.setdefault(term, []).extend(t for t in new if t not in added.get(term, []))
        return added


def _contains(terms: Sequence[str], phrase: Phrase) -> bool:
    n = len(phrase)
    if n == 1:
        return phrase[0] in terms
    return any(tuple(terms[i : i + n]) == phrase for i in range(len(terms) - n + 1))

"""Query expansion for BM25 from a glossary: everyday words towards the words the material uses.

"penilai pusat" in a question adds "tpn"; "parsel" adds "gratifikasi". Phrases are compared after
analysis (stemming, colloquial forms), so inflected and everyday spellings match too. Only the BM25 query grows;
the dense query keeps the question as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import yaml

from .text import Analyzer

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Glossary:
    entries: tuple[tuple[Phrase, Phrase], ...] = ()
    # Short form -> long form, used only where the material never writes the short form.
    abbreviations: tuple[tuple[Phrase, Phrase], ...] = ()

    @classmethod
    def from_mapping(cls, data: dict[str, dict[str, str]], analyzer: Analyzer) -> Glossary:
        def section(name: str) -> tuple[tuple[Phrase, Phrase], ...]:
            pairs = (
                (tuple(analyzer.terms(str(k))), tuple(analyzer.terms(str(v))))
                for k, v in (data.get(name) or {}).items()
            )
            return tuple((key, added) for key, added in pairs if key and added)

        return cls(section("synonyms"), section("abbreviations"))

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

    def expand(self, terms: Sequence[str], known: Callable[[str], bool] | None = None) -> dict[str, list[str]]:
        """For each question term inside a glossary phrase found (contiguous) in `terms`: the material's words to
        search as well, none already in the question. Abbreviations are spelt out only when `known` (is this term
        in the index?) says the material does not use them."""
        present = set(terms)
        added: dict[str, list[str]] = {}
        unknown = [(k, v) for k, v in self._asked(terms) if known is not None and not any(known(t) for t in k)]
        for key, expansion in [*((k, v) for k, v in self.entries if _contains(terms, k)), *unknown]:
            new = [t for t in expansion if t not in present]
            if not new:
                continue
            for term in key:
                added.setdefault(term, []).extend(t for t in new if t not in added.get(term, []))
        return added

    def long_forms(self, terms: Sequence[str]) -> list[Phrase]:
        """The spelt-out forms of the abbreviations among `terms` ("zi" -> ("zona", "integritas"))."""
        return [long for _short, long in self._asked(terms)]

    def _asked(self, terms: Sequence[str]) -> list[tuple[Phrase, Phrase]]:
        """The abbreviations (short form, long form) whose short form occurs in `terms`."""
        return [(short, long) for short, long in self.abbreviations if _contains(terms, short)]


def _contains(terms: Sequence[str], phrase: Phrase) -> bool:
    n = len(phrase)
    if n == 1:
        return phrase[0] in terms
    return any(tuple(terms[i : i + n]) == phrase for i in range(len(terms) - n + 1))

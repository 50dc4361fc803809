"""Re-ranking of the fused candidates with signals the index scores do not see.

- The passage's own heading: a question naming a section's topic prefers passages under that heading, and more so
  when the heading is itself a question (an FAQ's), since that is the question the passage answers.
- Definitions: "apa itu X", "pengertian X", "yang dimaksud dengan X" prefer a passage that defines X
  ("X yang selanjutnya disingkat Y adalah ..."), which is short and so scores low on both sides of the index;
  "apa bedanya X dan Y" prefers the definitions of both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from .index import Hit, names
from .text import Analyzer

_DEFINITION_QUESTION = re.compile(
    r"\b(?:pengertian|definisi\w*|apa\s+(?:sih\s+)?(?:itu|sebenarnya)|(?:yang\s+)?dimaksud(?:\s+dengan)?|maksud(?:nya)?\s+(?:dari|dengan)|arti(?:nya)?\s+(?:dari|kata)|artinya\s+apa)\b"
    # "ZI tuh sebenernya apa sih?": the subject comes first and the question ends at "apa" ("... itu apa aja?" asks
    # for a list, not a definition)
    r"|\b(?:itu|tuh)\s+(?:sebe\w+\s+)?apa(?:\s+(?:sih|ya|deh|toh))?\s*\??\s*$"
    # "Apa bedanya WBK sama WBBM?": a difference is told by the two definitions.
    r"|\b(?:(?:per)?bedaan(?:nya)?|bedanya|beda(?=\s+\w+\s+(?:dan|dengan|sama|ama|vs)\b)|yang\s+membedakan)\b",
    re.IGNORECASE,
)
# "12. Zona Integritas yang selanjutnya disingkat ZI adalah ..." -> term, alias.
_DEFINITION_PASSAGE = re.compile(
    r"^\s*(?:\d{1,2}[.)]\s*)?(?P<term>[^.;:]{2,120}?)"
    r"(?:,?\s+yang\s+selanjutnya\s+(?:disingkat|disebut)\s+(?P<alias>[^\s,]+))?"
    r"\s+(?:adalah|merupakan|ialah|yaitu)\s",
    re.IGNORECASE,
)
_MAX_TERM_WORDS = 12


@dataclass(frozen=True)
class RerankConfig:
    # Bonus for the share of question terms found in the passage's own (last) heading.
    heading_weight: float = 0.1
    # The same when that heading is itself a question (FAQ-style material): it is the question the passage answers.
    question_heading_weight: float = 0.5
    # Bonus for a passage that defines what a definition question asks about.
    definition_weight: float = 1.0
    # How many fused candidates are re-ranked.
    depth: int = 20
    # How many neighbouring chunks found for one question make one passage (1: every chunk a passage of its own).
    join_adjacent: int = 2


def definition_terms(question: str, analyzer: Analyzer) -> list[str]:
    """Terms of what a definition question asks about, empty for other questions.

    The words after the cue ("apa yang dimaksud dengan <kawasan>"), or the whole question when nothing follows the
    cue but small talk ("WBBM definisinya apa sih?").
    """
    match = _DEFINITION_QUESTION.search(question)
    if match is None:
        return []
    return analyzer.query_terms(question[match.end() :]) or analyzer.query_terms(question)


def _definition(text: str) -> re.Match[str] | None:
    """The opening definition of a passage (groups `term` and `alias`), if it opens with one."""
    match = _DEFINITION_PASSAGE.match(text)
    return match if match is not None and len(match.group("term").split()) <= _MAX_TERM_WORDS else None


def defined_term(text: str) -> str | None:
    """What a passage opening with a definition defines ("Zona Integritas" for "12. Zona Integritas yang selanjutnya
    disingkat ZI adalah ..."), lower-cased; None for other passages."""
    match = _definition(text)
    return " ".join(match.group("term").lower().split()) if match else None


def definition_match(
    text: str, question_terms: set[str], analyzer: Analyzer, long_forms: Sequence[Sequence[str]] = ()
) -> float:
    """How fully the question names what the passage defines (0 when the passage does not open with a definition).

    1.0 when it names the defined term's every word or its alias ("ZI"), or when the defined term is exactly the
    long form of an abbreviation it asks about (`long_forms`: "zona integritas" for "ZI"); else the share of the
    term's words named.
    """
    match = _definition(text)
    if match is None:
        return 0.0
    alias = match.group("alias")
    if alias and set(analyzer.terms(alias)) & question_terms:
        return 1.0
    term = set(analyzer.terms(match.group("term")))
    if term and any(term == set(form) for form in long_forms):
        return 1.0
    return len(term & question_terms) / len(term) if term else 0.0


def rerank(
    question_terms: Sequence[str],
    hits: Sequence[Hit],
    analyzer: Analyzer,
    config: RerankConfig,
    defined: Sequence[str] = (),
    long_forms: Sequence[Sequence[str]] = (),
    expansion: Mapping[str, Sequence[str]] | None = None,
) -> list[Hit]:
    """Hits re-ordered by their fused score plus the heading and definition bonuses (scores updated).

    `defined` holds the terms of what a definition question asks about (empty for other questions), `long_forms`
    the spelt-out forms of the abbreviations among them; `expansion` the glossary's words for question terms: a
    heading holding one of them names that term, as in the index's coverage.
    """
    qset = set(question_terms)
    if not qset:
        return list(hits)
    subject = set(defined)
    expansion = expansion or {}

    def rescored(hit: Hit) -> Hit:
        heading = hit.chunk.section.rsplit(" > ", 1)[-1]
        weight = config.question_heading_weight if heading.rstrip().endswith("?") else config.heading_weight
        named = set(analyzer.terms(heading))
        matched = sum(1 for t in qset if names(named, t, expansion))
        extra = weight * matched / len(qset)
        defines = definition_match(hit.chunk.text, subject, analyzer, long_forms) if subject else 0.0
        extra += config.definition_weight * defines
        return replace(hit, score=hit.score + extra, defines=defines)

    return sorted((rescored(hit) for hit in hits), key=lambda h: h.score, reverse=True)

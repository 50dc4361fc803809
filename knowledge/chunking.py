"""Structure-aware chunking: sentences grouped into passages that keep their heading path and page."""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from .loaders import LoadedDocument, Segment

# Bump when loading or chunking changes the chunks a document gives (or what of them is embedded), so that indexes
# built by older code are rebuilt, not reused (a document whose bytes did not change is otherwise not chunked again).
CHUNKER_VERSION = 6


@dataclass(frozen=True)
class ChunkerConfig:
    min_words: int = 60
    max_words: int = 150
    overlap_sentences: int = 2

    def as_dict(self) -> dict[str, int]:
        return {**asdict(self), "version": CHUNKER_VERSION}


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    doc_id: str
    source: str
    page: int | None
    section: str
    text: str

    @property
    def indexed_text(self) -> str:
        """What gets embedded and indexed: the heading path, then the passage."""
        return f"{self.section}\n{self.text}" if self.section else self.text


# Headings of Indonesian regulations, recognised in PDF text where no markup exists.
_REG_HEADINGS: list[tuple[re.Pattern[str], int]] = [
    (re.compile(r"^(BAB\s+[IVXLC]+)\b\.?\s*(.*)$"), 1),
    (re.compile(r"^(LAMPIRAN(?:\s+[IVXLC]+)?)\b\s*(.*)$"), 1),
    (re.compile(r"^(Pasal\s+\d+[A-Z]?)\s*$"), 2),
    (re.compile(r"^(Tabel\s+\d+(?:\.\d+)?)\b\.?\s*(.*)$", re.IGNORECASE), 3),
    (re.compile(r"^(Gambar\s+\d+)\b\.?\s*(.*)$"), 3),
]
# A table or figure label with no caption of its own on its line ("Tabel 6"): its caption may follow.
_BARE_CAPTION_LABEL = re.compile(r"^(?:Tabel|Gambar)\s+\d+(?:\.\d+)?\.?$", re.IGNORECASE)
# Words a caption cannot end on: its line breaks off and the next line finishes it.
_JOINING_WORDS = frozenset(
    "menuju dan atau serta di ke dari untuk pada yang oleh dengan dalam terhadap bagi tentang antara per".split()  # noqa: SIM905
)
_LETTER_HEADING = re.compile(r"^([A-H]|[IVX]{1,4})\.\s+([A-Z][^.;:]{2,70})$")
_ITEM_START = re.compile(r"^\d{1,2}\.\s+\S")
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[\"“(\[]?[A-Z0-9a-z])")
_SHORT_ABBREV = re.compile(r"(?:^|\s)(?:[a-zA-Z]|\d{1,3}|No|dll|dsb|dst|yth|Bpk|Ibu|Kab|Kec|Jl|Prof|Dr|tsb|hlm)\.$")


def _heading_of(seg: Segment) -> tuple[int, str] | None:
    if seg.level:
        return seg.level, seg.text
    text = seg.text
    for pattern, level in _REG_HEADINGS:
        match = pattern.match(text)
        if match:
            return level, text
    match = _LETTER_HEADING.match(text)
    if match and len(text.split()) <= 9:
        return 4, text
    return None


def split_sentences(text: str) -> list[str]:
    """Split on sentence ends and legal list separators (;) without breaking 'a.' or 'No.'."""
    pieces = _SENTENCE_END.split(text)
    sentences: list[str] = []
    buffer = ""
    for piece in pieces:
        buffer = f"{buffer} {piece}".strip() if buffer else piece.strip()
        if _SHORT_ABBREV.search(buffer) or len(buffer.split()) < 4:
            continue
        sentences.append(buffer)
        buffer = ""
    if buffer:
        if sentences and len(buffer.split()) < 4:
            sentences[-1] = f"{sentences[-1]} {buffer}"
        else:
            sentences.append(buffer)
    return sentences


def _join_lines(lines: list[tuple[int | None, str]]) -> tuple[str, list[tuple[int, int | None]]]:
    """Join lines into one text; return it with (offset, page) marks where each line starts."""
    out = ""
    marks: list[tuple[int, int | None]] = []
    for page, line in lines:
        line = re.sub(r"\s+", " ", line).strip()
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].islower():
            out = out[:-1]
        elif out:
            out += " "
        marks.append((len(out), page))
        out += line
    return out, marks


def _page_at(marks: list[tuple[int, int | None]], offset: int) -> int | None:
    page = marks[0][1] if marks else None
    for start, p in marks:
        if start > offset:
            break
        page = p
    return page


def _sentences_with_pages(lines: list[tuple[int | None, str]]) -> list[tuple[int | None, str]]:
    text, marks = _join_lines(lines)
    out: list[tuple[int | None, str]] = []
    cursor = 0
    for sent in split_sentences(text):
        found = text.find(sent[:40], cursor)
        offset = found if found >= 0 else cursor
        cursor = max(cursor, offset)
        out.append((_page_at(marks, offset), sent))
    return out


@dataclass
class _Block:
    """Consecutive body segments under one heading path; `starts` marks new list items (definitions)."""

    path: tuple[str, ...]
    items: list[list[tuple[int | None, str]]]


def _blocks(doc: LoadedDocument) -> list[_Block]:
    path: list[tuple[int, str]] = []
    blocks: list[_Block] = []
    current: _Block | None = None
    pending_title: int | None = None
    for seg in doc.segments:
        heading = _heading_of(seg)
        if heading is None and pending_title is not None and seg.text.isupper() and len(seg.text.split()) <= 14:
            # The title line under "BAB I" / "Tabel 6" in a PDF; under "LAMPIRAN" it is the regulation's
            # own name repeated, which would add the same words to every chunk of the appendix.
            level, text = path[-1]
            if not text.startswith("LAMPIRAN"):
                path[-1] = (level, f"{text} {seg.text}")
            if current is not None:
                current.path = tuple(t for _, t in path)
            continue
        pending_title = None
        if heading is not None:
            level, text = heading
            path = [p for p in path if p[0] < level] + [(level, text)]
            # A chapter's title may run over several upper-case lines; a captioned table's next upper-case line
            # is its header row ("KONDISI UNIT KERJA ... PENETAPAN"), which is content, not title, unless the
            # caption breaks off mid-phrase ("... satuan kerja menuju Menuju" + "WBK/WBBM").
            complete_caption = (
                level == 3
                and _BARE_CAPTION_LABEL.match(text) is None
                and text.split()[-1].lower() not in _JOINING_WORDS
            )
            pending_title = level if doc.kind == "pdf" and not complete_caption else None
            current = _Block(path=tuple(t for _, t in path), items=[])
            blocks.append(current)
            continue
        if current is None:
            current = _Block(path=(), items=[])
            blocks.append(current)
        in_definitions = any(p.startswith("Pasal 1") and p.split()[-1] == "1" for p in current.path)
        new_item = doc.kind != "pdf" or (in_definitions and _ITEM_START.match(seg.text) is not None)
        if new_item or not current.items:
            current.items.append([(seg.page, seg.text)])
        else:
            current.items[-1].append((seg.page, seg.text))
    return [b for b in blocks if b.items]


def join_chunks(chunks: Sequence[Chunk]) -> str:
    """The text of consecutive chunks of one document as one passage: the sentences a chunk repeats from the one
    before it (the overlap) are left out, and a chunk under another heading than the one before opens with that
    heading on a line of its own."""
    text = chunks[0].text if chunks else ""
    for before, chunk in itertools.pairwise(chunks):
        if chunk.section != before.section:
            heading = chunk.section.rsplit(" > ", 1)[-1]
            text = f"{text}\n{heading}\n{chunk.text}" if heading else f"{text}\n{chunk.text}"
            continue
        old, new = before.text.split(), chunk.text.split()
        # The overlap is whole sentences: a run of a few words the two happen to share is not one.
        shared = next((n for n in range(min(len(old), len(new)) - 1, 3, -1) if old[-n:] == new[:n]), 0)
        rest = " ".join(new[shared:])
        text = f"{text} {rest}" if rest else text
    return text


def _window(
    words_limit: int, sentences: list[tuple[int | None, str]], overlap: int, min_words: int
) -> list[list[tuple[int | None, str]]]:
    groups: list[list[tuple[int | None, str]]] = []
    group: list[tuple[int | None, str]] = []
    count = 0
    for sent in sentences:
        n = len(sent[1].split())
        if group and count + n > words_limit and count >= min_words // 2:
            groups.append(group)
            tail = group[-overlap:] if overlap else []
            group = tail if sum(len(s[1].split()) for s in tail) <= words_limit // 4 else []
            count = sum(len(s[1].split()) for s in group)
        group.append(sent)
        count += n
    if group and (not groups or group[-1] is not groups[-1][-1]):
        if groups and count < min_words // 2:
            groups[-1].extend(s for s in group if s not in groups[-1])
        else:
            groups.append(group)
    return groups


def _long_sentence(sentence: str, limit: int) -> list[str]:
    words = sentence.split()
    if len(words) <= limit:
        return [sentence]
    step = max(limit * 2 // 3, 1)
    return [" ".join(words[i : i + limit]) for i in range(0, len(words), step) if words[i : i + limit]]


def chunk_document(doc: LoadedDocument, config: ChunkerConfig) -> list[Chunk]:
    """Chunks of `min_words`..`max_words` words with `overlap_sentences` of overlap, per heading block."""
    chunks: list[Chunk] = []
    for block in _blocks(doc):
        section = " > ".join(block.path)
        in_definitions = any(p.split()[:2] == ["Pasal", "1"] for p in block.path)
        units: list[list[tuple[int | None, str]]] = []
        sentences: list[tuple[int | None, str]] = []
        for lines in block.items:
            for page, sent in _sentences_with_pages(lines):
                for piece in _long_sentence(sent, config.max_words * 2 // 3):
                    sentences.append((page, piece))
            if in_definitions and doc.kind == "pdf":
                units.append(sentences)
                sentences = []
        if sentences:
            units.append(sentences)
        for unit in units:
            limit = config.max_words if not in_definitions else config.max_words * 2
            for group in _window(limit, unit, config.overlap_sentences, config.min_words):
                text = " ".join(s for _, s in group)
                page = group[0][0]
                digest = hashlib.sha256(f"{doc.doc_id}|{len(chunks)}|{text}".encode()).hexdigest()[:16]
                chunks.append(Chunk(digest, doc.doc_id, doc.source, page, section, text))
    return chunks

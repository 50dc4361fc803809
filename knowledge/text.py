"""Indonesian text analysis for BM25: normalisation, colloquial forms, stop-words and cached stemming."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Sequence
from importlib.resources import files

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

# The analysis rules' version: bump it when the code below changes what terms a text gives. Changes to the word
# lists (stop-words, colloquial forms) are caught by `Analyzer.fingerprint` without a bump.
ANALYZER_VERSION = "sastrawi-colloquial-6"

# "orang2" is written for "orang-orang".
_REDUPLICATED_RE = re.compile(r"\b([^\W\d_]{2,})2\b")
# A cited regulation: PermenPANRB 90/2021, Permen 90, Peraturan Menteri PANRB Nomor 90 Tahun 2021, Perpres No. 81/2010,
# Undang-Undang Nomor 20 Tahun 2001.
_CITATION_RE = re.compile(
    r"\b(?:permen\w*|peraturan\s+(?:menteri(?:\s+panrb)?|pemerintah|presiden)|perpres|pp|uu|undang-undang"
    r"|kepmen\w*|keputusan\s+menteri|se\s*menpan\w*)"
    r"\s*(?:no\.?|nomor)?\s*\d+(?:\s*(?:/|tahun|th\.?)\s*\d{4})?",
    re.IGNORECASE,
)
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)

# Everyday Telegram Indonesian -> standard forms Sastrawi knows (checked against its root words).
COLLOQUIAL: dict[str, str] = {
    "nggak": "tidak",
    "ngga": "tidak",
    "gak": "tidak",
    "ga": "tidak",
    "enggak": "tidak",
    "engga": "tidak",
    "tdk": "tidak",
    "gk": "tidak",
    "kagak": "tidak",
    "ndak": "tidak",
    "gimana": "bagaimana",
    "gmn": "bagaimana",
    "gimanakah": "bagaimana",
    "yg": "yang",
    "dgn": "dengan",
    "utk": "untuk",
    "udah": "sudah",
    "udh": "sudah",
    "dah": "sudah",
    "aja": "saja",
    "doang": "saja",
    "kalo": "kalau",
    "klo": "kalau",
    "bikin": "buat",
    "dibikin": "dibuat",
    "bikinnya": "buat",
    "pake": "pakai",
    "dipake": "dipakai",
    "brp": "berapa",
    "berapaan": "berapa",
    "knp": "kenapa",
    "emang": "memang",
    "sebenernya": "sebenarnya",
    "sebetulnya": "sebenarnya",
    "emangnya": "memang",
    "nyampe": "sampai",
    "sampe": "sampai",
    "dapet": "dapat",
    "bisa": "dapat",
    "bisakah": "dapatkah",
    "bs": "dapat",
    "bsa": "dapat",
    # chat shorthand
    "hrs": "harus",
    "emg": "memang",
    "mksd": "maksud",
    "org": "orang",
    "trs": "terus",
    "pgn": "ingin",
    "skg": "sekarang",
    "karna": "karena",
    "bgmn": "bagaimana",
    "kpn": "kapan",
    "dmn": "di mana",
    "tp": "tapi",
    "dr": "dari",
    "pd": "pada",
    "sm": "sama",
    "ama": "sama",
    "sy": "saya",
    "gw": "saya",
    "gue": "saya",
    "kelar": "selesai",
    "beres": "selesai",
    "bentar": "sebentar",
    "ngasih": "beri",
    "ngabarin": "kabari",
    "ngabarinnya": "kabari",
    "dulu": "dahulu",
    "duluan": "dahulu",
    "kudu": "harus",
    "liat": "lihat",
    "ngeliat": "lihat",
    "ngaruh": "pengaruh",
    "info": "informasi",
    "musti": "harus",
    "mesti": "harus",
    "bareng": "bersama",
    "barengan": "bersama",
    "bos": "pimpinan",
    "boss": "pimpinan",
    "teken": "tanda tangan",
    "neken": "tanda tangan",
    "ttd": "tanda tangan",
    "cuma": "hanya",
    "cuman": "hanya",
    "biar": "agar",
    "abis": "setelah",
    "tiap": "setiap",
    "ampe": "sampai",
    "napa": "kenapa",
    "ngapain": "apa",
    "full": "penuh",
    "gampang": "mudah",
    "susah": "sulit",
    "ribet": "rumit",
    "gede": "besar",
    "pengennya": "ingin",
    "gratisan": "gratis",
    "nyogok": "suap",
    "dikasih": "diberi",
    "kasih": "beri",
    "ngurus": "urus",
    "ngurusin": "urus",
    "nyusun": "susun",
    "bener": "benar",
    "kayak": "seperti",
    "kyk": "seperti",
    "gitu": "begitu",
    "gini": "begini",
    "ngecek": "cek",
    "dicek": "cek",
    "nyamain": "samakan",
    "ngerjain": "kerjakan",
    "ngisi": "isi",
    "ngisinya": "isi",
    "ikutan": "ikut",
    "banget": "sangat",
    "bgt": "sangat",
    "ngajuin": "ajukan",
    "diajuin": "diajukan",
    "ngumpulin": "kumpulkan",
    "nyerahin": "serahkan",
    "ngelapor": "lapor",
    "ngelaporin": "laporkan",
    "dilaporin": "dilaporkan",
    "nerima": "terima",
    "nilainya": "nilai",
    "tau": "tahu",
    "ngerti": "mengerti",
    "pengen": "ingin",
    "pingin": "ingin",
    "mau": "ingin",
    "ntar": "nanti",
    "skrg": "sekarang",
    "sekarang2": "sekarang",
    "tsb": "tersebut",
    "sdh": "sudah",
    "blm": "belum",
    "belom": "belum",
    "lg": "lagi",
    "jg": "juga",
    "krn": "karena",
    "soalnya": "karena",
    "bbrp": "beberapa",
    "ortu": "orang",
    "duit": "uang",
    "sogokan": "suap",
    "ngadu": "adu",
    "ngaduin": "adukan",
    "nanya": "tanya",
    "nyari": "cari",
    "minim": "minimal",
    "min": "",
    "maks": "maksimal",
    "max": "maksimal",
    "tuh": "",
    "sih": "",
    "dong": "",
    "kok": "",
    "deh": "",
    "nih": "",
    "loh": "",
    "lho": "",
    "yah": "",
    "ya": "",
    "kah": "",
    "kak": "",
    "mas": "",
    "mbak": "",
    "pak": "",
    "bu": "",
}


def _function_words() -> frozenset[str]:
    """The bundled stop-words (knowledge/data/function-words.txt): function words only, see that file."""
    text = files("knowledge").joinpath("data/function-words.txt").read_text(encoding="utf-8")
    words = {w for line in text.splitlines() if not line.startswith("#") for w in line.split()}
    return frozenset(words | set("abcdefghijklmnopqrstuvwxyz"))


def citations(text: str) -> list[str]:
    """The regulations a text cites ("PermenPANRB 90/2021", "UU 20/2001"), as written."""
    return [m.group(0).strip() for m in _CITATION_RE.finditer(text)]


def normalise(text: str) -> str:
    """Unicode-normalise and collapse whitespace; keeps case and punctuation (for display and dense queries)."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def unshouted(texts: Sequence[str]) -> list[str]:
    """`texts` (one document's) for the embedder, with words written in capitals ("EVALUASI PEMBANGUNAN ZONA
    INTEGRITAS", a table's header row) in lower case when the document also writes them in lower or mixed case.

    The embedding model reads text in the case it learnt it in; capitals split into odd word pieces. Acronyms (WBK,
    TPN), which the document never writes otherwise, stay as they are.
    """
    written = {w.lower() for t in texts for w in _WORD_RE.findall(t) if not w.isupper()}

    def lower(match: re.Match[str]) -> str:
        word = match.group(0)
        return word.lower() if len(word) > 1 and word.isupper() and word.lower() in written else word

    return [_WORD_RE.sub(lower, t) for t in texts]


def casefold_ws(text: str) -> str:
    """Lower-case with collapsed whitespace, used for keyphrase matching."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().lower()


def _standardise(word: str) -> str:
    return COLLOQUIAL.get(word, word)


_VOWELS = frozenset("aiueo")


def _without_prefix(word: str) -> Iterator[str]:
    """Roots a Jakarta-style prefix may hide: nge-/ng-/ny-/n-/m- replace or precede the root's first letter."""
    yield word
    for prefix in ("di", "ke"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            yield word[len(prefix) :]
    if word.startswith("nge") and len(word) > 5:
        yield word[3:]
    rest = word[2:]
    if word.startswith("ng") and rest[:1] in _VOWELS:
        yield rest  # ngadain -> ada
        yield "k" + rest  # ngabarin -> kabar
    if word.startswith("ny") and rest[:1] in _VOWELS:
        yield "s" + rest  # nyambung -> sambung
        yield "c" + rest  # nyari -> cari
    rest = word[1:]
    if word[:1] == "n" and rest[:1] in _VOWELS:
        yield "t" + rest  # nunggu -> tunggu
    if word[:1] == "m" and rest[:1] in _VOWELS:
        yield "p" + rest  # mikir -> pikir


def _without_suffix(word: str) -> Iterator[str]:
    if word.endswith("nya") and len(word) > 6:
        word = word[:-3]
    yield word
    for suffix in ("in", "an"):
        if word.endswith(suffix) and len(word) > 4:
            yield word[: -len(suffix)]  # diusulin -> diusul, duluan -> dulu


def _vowel_variants(root: str) -> Iterator[str]:
    yield root
    # A closed last syllable with e is often a in the standard form: dapet -> dapat, bales -> balas.
    match = re.search(r"e([^aiueo]+)$", root)
    if match:
        yield root[: match.start()] + "a" + match.group(1)


def colloquial_root(word: str, roots: Collection[str]) -> str | None:
    """The standard root of an everyday verb form Sastrawi does not know (ditugasin -> tugas), if one is found."""
    for base in _without_suffix(word):
        for bare in _without_prefix(base):
            for candidate in _vowel_variants(bare):
                if len(candidate) >= 3 and candidate in roots:
                    return candidate
    return None


def collapse_reduplication(stems: list[str]) -> list[str]:
    """The stems of one hyphenated word with a repeated stem once: reduplication names one thing ("unit-unit",
    "bersama-sama", "sehari-hari"), as "orang2" does; written twice it would weigh twice in BM25."""
    return [s for i, s in enumerate(stems) if i == 0 or stems[i - 1] != s]


class Analyzer:
    """Turns text into BM25 terms; the Sastrawi stemmer is slow, so every unique word is stemmed once."""

    def __init__(self, stopwords: Collection[str] | None = None) -> None:
        factory = StemmerFactory()
        self._stemmer = factory.create_stemmer()
        self._roots = frozenset(w for w in factory.get_words() if w)
        self._stopwords = frozenset(stopwords) if stopwords is not None else _function_words()
        self._cache: dict[str, str] = {}

    @property
    def fingerprint(self) -> str:
        """Names this analysis in an index's manifest: the rules' version and a digest of its word lists."""
        words = "\n".join(sorted(self._stopwords)) + "\n" + repr(sorted(COLLOQUIAL.items()))
        return f"{ANALYZER_VERSION}.{hashlib.sha256(words.encode('utf-8')).hexdigest()[:8]}"

    def stem(self, word: str) -> str:
        cached = self._cache.get(word)
        if cached is None:
            cached = self._stem(word)
            self._cache[word] = cached
        return cached

    def _stem(self, word: str) -> str:
        if not word.isalpha() or len(word) <= 3:
            return word
        stem: str = self._stemmer.stem(word) or word
        if stem == word and word not in self._roots:
            root = colloquial_root(word, self._roots)
            if root is not None:
                # The root may itself be an everyday word with a standard one-word form (ngasih -> kasih -> beri).
                standard = COLLOQUIAL.get(root) or root
                stem = (self._stemmer.stem(standard) or standard) if " " not in standard else root
        return stem

    def terms(self, text: str) -> list[str]:
        """Stemmed, stop-word-free terms of `text`, colloquial forms mapped to standard ones."""
        out: list[str] = []
        for raw in _TOKEN_RE.findall(_REDUPLICATED_RE.sub(r"\1", text.lower())):
            if raw[0].isdigit():
                out.append(raw.replace(".", ","))
                continue
            stems = [
                self.stem(word)
                for part in raw.split("-")
                for word in _standardise(part).split()
                if word not in self._stopwords and len(word) >= 2
            ]
            out.extend(collapse_reduplication(stems))
        return out

    def query_terms(self, question: str) -> list[str]:
        """Terms of a question without the regulation it cites ("menurut PermenPANRB 90/2021 ...").

        A citation names where to look, not what is asked; its number and year would otherwise pull the title page
        and the lists of legal bases to the top. It is kept when nothing else is left.
        """
        terms = self.terms(_CITATION_RE.sub(" ", question))
        return terms or self.terms(question)

    def terms_many(self, texts: Iterable[str]) -> list[list[str]]:
        return [self.terms(t) for t in texts]

    @property
    def cache_size(self) -> int:
        return len(self._cache)

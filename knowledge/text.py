"""Indonesian text analysis for BM25: normalisation, colloquial forms, stop-words and cached stemming."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

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
    "emangnya": "memang",
    "nyampe": "sampai",
    "sampe": "sampai",
    "dapet": "dapat",
    "ngasih": "beri",
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
    "gede": "besar",
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
    "nyogok": "suap",
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

_EXTRA_STOPWORDS = {
    "apa",
    "apakah",
    "siapa",
    "kapan",
    "mana",
    "bagaimana",
    "berapa",
    "kenapa",
    "mengapa",
    "tolong",
    "jelaskan",
    "sebutkan",
    "maksud",
    "dimaksud",
    "itu",
    "ini",
    "tersebut",
    "saja",
    "sih",
    "adalah",
}
_KEEP = {"tidak", "belum", "minimal", "maksimal", "wajib", "boleh", "tahun", "bulan", "hari"}


def normalise(text: str) -> str:
    """Unicode-normalise and collapse whitespace; keeps case and punctuation (for display and dense queries)."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


def casefold_ws(text: str) -> str:
    """Lower-case with collapsed whitespace, used for keyphrase matching."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().lower()


def _standardise(word: str) -> str:
    if word in COLLOQUIAL:
        return COLLOQUIAL[word]
    # Jakarta verb forms: ng-/nge-/ny- + root + -in  ->  root + -kan (ngajuin -> ajukan, nyamain -> samakan).
    if word.endswith("in") and len(word) > 5 and word.startswith(("ng", "ny")) and not word.endswith("ain"):
        stem = word[:-2]
        if stem.startswith("nge"):
            return stem[3:] + "kan"
        if stem.startswith("ng"):
            return stem[2:] + "kan"
        return "s" + stem[2:] + "kan"
    return word


class Analyzer:
    """Turns text into BM25 terms; the Sastrawi stemmer is slow, so every unique word is stemmed once."""

    def __init__(self) -> None:
        self._stemmer = StemmerFactory().create_stemmer()
        stop = set(StopWordRemoverFactory().get_stop_words()) | _EXTRA_STOPWORDS
        self._stopwords = frozenset(stop - _KEEP)
        self._cache: dict[str, str] = {}

    def stem(self, word: str) -> str:
        cached = self._cache.get(word)
        if cached is None:
            cached = self._stemmer.stem(word) if word.isalpha() and len(word) > 3 else word
            cached = cached or word
            self._cache[word] = cached
        return cached

    def terms(self, text: str) -> list[str]:
        """Stemmed, stop-word-free terms of `text`, colloquial forms mapped to standard ones."""
        out: list[str] = []
        for raw in _TOKEN_RE.findall(text.lower()):
            if raw[0].isdigit():
                out.append(raw.replace(".", ","))
                continue
            for part in raw.split("-"):
                word = _standardise(part)
                if not word or word in self._stopwords or len(word) < 2:
                    continue
                out.append(self.stem(word))
        return out

    def terms_many(self, texts: Iterable[str]) -> list[list[str]]:
        return [self.terms(t) for t in texts]

    @property
    def cache_size(self) -> int:
        return len(self._cache)

"""Every option's criteria say what distinguishes it in the regulation (checked against the official worksheet).

The official worksheet (../shared/domain/lke-90-2021-official.yaml) is the reference fixture. For each choice
question, a marker (innovation, centralised IT, online/offline, regular, "all" vs "most" vs "some", a number ...)
that appears in some of its official options but not in all of them distinguishes those options: our criteria for
exactly those options must name it. Innovation is also checked the other way: an option the regulation gives without
innovation must not ask for it (it may say "tanpa inovasi").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from zi_core.spec import load_spec

SPEC = load_spec()
# marker -> the words that name it in our criteria
MARKERS: dict[str, tuple[str, ...]] = {
    "inovasi": ("inovasi",),
    "terpusat": ("terpusat",),
    "berkala": ("berkala",),
    "sebagian besar": ("sebagian besar",),
    "sebagian kecil": ("sebagian kecil",),
    "online": ("online",),
    "offline": ("offline",),
    "ditindaklanjuti": ("ditindaklanjuti", "tindak lanjut"),
    "pimpinan": ("pimpinan",),
    "stakeholder": ("stakeholder",),
    "replikasi": ("replikasi",),
    "skm": ("skm",),
    "sp4n": ("sp4n",),
    "terintegrasi": ("terintegrasi",),
    "smart": ("smart",),
    "seluruh|semua": ("seluruh", "semua"),
}


def _official(shared_dir: Path) -> dict[str, list[str]]:
    data = yaml.safe_load((shared_dir / "domain" / "lke-90-2021-official.yaml").read_text(encoding="utf-8"))
    out = {}
    for area in data["pengungkit"].values():
        for aspect in ("pemenuhan", "reform"):
            for sub in area[aspect]["subindikator"]:
                for q in sub["pertanyaan"]:
                    if q["tipe"] not in ("input", "ya_tidak"):
                        out[q["id"]] = [re.sub(r"\s+", " ", o["label"]).lower() for o in q["opsi"]]
    return out


def _has(text: str, marker: str) -> bool:
    return any(re.search(rf"\b{re.escape(m)}", text) for m in marker.split("|"))


def test_every_choice_question_has_its_own_criteria_for_every_option() -> None:
    from zi_core.spec import read_spec_data

    generic = read_spec_data()["option_hints"]
    for q in SPEC.ordered_questions:
        if q.rule is not None:
            continue
        hints = {o.code: o.hint for o in q.options}
        assert hints != generic[q.type], f"{q.id} shows only the generic hints"
        for code, hint in hints.items():
            assert hint and len(hint) <= 120, (q.id, code, hint)


def test_criteria_name_what_distinguishes_each_official_option(shared_dir: Path) -> None:
    official = _official(shared_dir)
    assert len(official) == 85
    problems = []
    for qid, texts in official.items():
        ours = [o.hint.lower() for o in SPEC.questions[qid].options]
        assert len(ours) == len(texts), qid
        for marker, words in MARKERS.items():
            present = [_has(t, marker) for t in texts]
            if all(present) or not any(present):
                continue
            for code, (official_has, mine) in zip("ABCDE", zip(present, ours, strict=True), strict=False):
                if official_has and not any(w in mine for w in words):
                    problems.append(f"{qid} {code}: '{marker}' missing from {mine!r}")
        numbers = [set(re.findall(r"\d+", t)) for t in texts]
        for code, (nums, mine) in zip("ABCDE", zip(numbers, ours, strict=True), strict=False):
            for n in nums - set.intersection(*numbers):
                if n not in re.findall(r"\d+", mine):
                    problems.append(f"{qid} {code}: number {n} missing from {mine!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "qid", ["PPB1A", "PPB1B", "PPB2A", "PPB2B", "PPB2C", "PPC5A", "PPE2A", "PPE2B", "PPE2C", "PPE3A", "PPE4A"]
)
def test_option_a_requires_innovation_and_b_does_not(qid: str) -> None:
    a, b = (SPEC.questions[qid].option(c) for c in "AB")
    assert a is not None and b is not None
    assert "inovasi" in a.hint
    assert "inovasi" not in b.hint.replace("tanpa inovasi", "")


def test_innovation_is_never_asked_where_the_regulation_does_not(shared_dir: Path) -> None:
    for qid, texts in _official(shared_dir).items():
        for option, text in zip(SPEC.questions[qid].options, texts, strict=True):
            if "inovasi" not in text:
                mine = option.hint.lower().replace("tanpa inovasi", "").replace("belum ada inovasi", "")
                assert "inovasi" not in mine, (qid, option.code, option.hint)

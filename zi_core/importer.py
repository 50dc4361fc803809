"""Import a worksheet file in the official format (as ../shared/domain/lke-90-2021-official.yaml) as a spec.

Structure, IDs, weights, types and option values come from the file. Ratio formulas are free text there, so
each input question takes its rule from the bundled spec by ID; an input question without one is refused.
Gates (Tabel 6), the readiness list (Tabel 5) and the policy notes of our own rules are not part of the worksheet and
are kept from the bundled spec. IDs, weights and counts are validated by `build_spec` like any spec.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .errors import SpecError
from .spec import WorksheetSpec, build_spec, load_spec

_AREA_KEYS = {
    "manajemen perubahan": "manajemen_perubahan",
    "penataan tatalaksana": "penataan_tatalaksana",
    "penataan sistem manajemen sdm aparatur": "penataan_sdm",
    "penguatan akuntabilitas": "penguatan_akuntabilitas",
    "penguatan pengawasan": "penguatan_pengawasan",
    "peningkatan kualitas pelayanan publik": "pelayanan_publik",
}
_TYPES = {"ya_tidak": "ya_tidak", "pilihan_3": "abc", "pilihan_4": "abcd", "pilihan_5": "abcde"}
_CONVENTION_KEYS = {"Ya/Tidak": "ya_tidak", "A/B/C": "abc", "A/B/C/D": "abcd", "A/B/C/D/E": "abcde"}


def _short(text: str, limit: int = 60) -> str:
    text = re.sub(r"\s+", " ", text.replace("\\n", " ")).strip()
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _rule_of(base: WorksheetSpec, qid: str) -> dict[str, Any]:
    question = base.questions.get(qid)
    if question is None or question.rule is None:
        raise SpecError(f"pertanyaan isian {qid}: tidak ada aturan rasio yang dikenal untuk ID ini")
    rule = question.rule
    if rule.kind == "decrease":
        return {
            "type": "decrease",
            "previous": rule.denominator,
            "current": rule.numerator,
            "record": list(rule.record),
        }
    return {
        "type": "ratio",
        "numerator": rule.numerator,
        "denominator": rule.denominator,
        "zero_denominator": rule.zero_denominator,
        "part_may_exceed": rule.part_may_exceed,
        "record": list(rule.record),
    }


def convert_official(data: Mapping[str, Any], key: str, base: WorksheetSpec | None = None) -> dict[str, Any]:
    """Our spec format (a plain dict) from the official worksheet data."""
    base = base or load_spec()
    try:
        convention = {_CONVENTION_KEYS[k]: v for k, v in data["option_values_convention"].items()}
        letters = {"ya_tidak": ["Ya", "Tidak"], "abc": list("ABC"), "abcd": list("ABCD"), "abcde": list("ABCDE")}
        option_values = {t: dict(zip(letters[t], map(float, vals), strict=True)) for t, vals in convention.items()}
        areas = []
        for name, raw_area in data["pengungkit"].items():
            area_key = _AREA_KEYS.get(name.lower(), re.sub(r"\W+", "_", name.lower()).strip("_"))
            area: dict[str, Any] = {"key": area_key, "name": name, "weight": float(raw_area["bobot_total"])}
            for aspect in ("pemenuhan", "reform"):
                subs = []
                for raw_sub in raw_area[aspect]["subindikator"]:
                    questions = []
                    for q in raw_sub["pertanyaan"]:
                        qid = str(q["id"])
                        entry: dict[str, Any] = {"id": qid, "label": _short(str(q["pertanyaan"]))}
                        known = base.questions.get(qid)
                        if known is not None and known.policy:
                            entry["policy"] = known.policy
                        if q["tipe"] == "input":
                            entry["rule"] = _rule_of(base, qid)
                        else:
                            qtype = _TYPES.get(q["tipe"])
                            if qtype is None:
                                raise SpecError(f"pertanyaan {qid}: tipe {q['tipe']!r} tidak dikenal")
                            got = [float(o["nilai"]) for o in q["opsi"]]
                            if got != list(option_values[qtype].values()):
                                raise SpecError(f"pertanyaan {qid}: nilai opsi {got} tidak sesuai konvensi {qtype}")
                            entry["type"] = qtype
                        questions.append(entry)
                    subs.append(
                        {
                            "id": raw_sub["id"],
                            "name": raw_sub["nama"],
                            "weight": float(raw_sub["bobot"]),
                            "questions": questions,
                        }
                    )
                area[aspect] = subs
            areas.append(area)
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise SpecError(f"berkas LKE resmi tidak lengkap atau salah bentuk: {str(exc)[:200]}") from None
    hasil_items = [
        {
            "key": h.key,
            "label": h.label,
            "group": h.group,
            "type": h.type,
            "weight": h.weight,
            "scale_max": h.scale_max,
            "hints": {o.code: o.hint for o in h.options},
        }
        for h in base.hasil
    ]
    return {
        "key": key,
        "title": f"LKE impor ({key})",
        "option_values": option_values,
        "areas": areas,
        "hasil": {"total": 40.0, "items": hasil_items},
        "gates": {name: dict(vars(g)) for name, g in base.gates.items()},
        "readiness": [{"key": r.key, "label": r.label, "predicates": list(r.predicates)} for r in base.readiness],
    }


def import_official(data: Mapping[str, Any], key: str) -> tuple[WorksheetSpec, dict[str, Any]]:
    converted = convert_official(data, key)
    return build_spec(converted), converted

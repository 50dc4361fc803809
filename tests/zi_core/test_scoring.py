from __future__ import annotations

import pytest

from zi_core.answers import Hasil, validate_answer, validate_hasil, validate_worksheet
from zi_core.errors import AnswerError
from zi_core.scoring import score

from .conftest import best_answers, sheet, worst_answers


def _validated(spec, answers):
    return {k: validate_answer(spec, k, v) for k, v in answers.items()}


def test_all_best_answers_score_60_pengungkit(spec) -> None:
    card = score(spec, sheet(_validated(spec, best_answers(spec))))
    assert card.pengungkit == pytest.approx(60.0)
    assert {k: a.score for k, a in card.areas.items()} == pytest.approx(
        {
            "manajemen_perubahan": 8,
            "penataan_tatalaksana": 7,
            "penataan_sdm": 10,
            "penguatan_akuntabilitas": 10,
            "penguatan_pengawasan": 15,
            "pelayanan_publik": 10,
        }
    )
    assert card.missing == ()


def test_all_worst_answers_score_0(spec) -> None:
    card = score(spec, sheet(_validated(spec, worst_answers(spec))))
    assert card.pengungkit == pytest.approx(0.0) and card.total == pytest.approx(0.0)


def test_nothing_answered_scores_0_and_lists_every_question_missing(spec) -> None:
    card = score(spec, sheet({}))
    assert card.total == 0 and len(card.missing) == 110


def test_mixed_manajemen_perubahan_worked_by_hand(spec) -> None:
    answers = {
        "PPA1A": "Ya",
        "PPA1B": "B",  # 0.5 x (1 + 0.5)/2            = 0.375
        "PPA2A": "Ya",
        "PPA2B": "A",
        "PPA2C": "C",  # 1.0 x (1 + 1 + 0)/3          = 0.666667
        "PPA3A": "A",
        "PPA3B": "B",
        "PPA3C": "D",  # 1.0 x (1 + 0.67 + 0)/3       = 0.556667
        "PPA4A": "Tidak",
        "PPA4B": "A",
        "PPA4C": "B",
        "PPA4D": "C",  # 1.5 x 1.83/4       = 0.68625
        "PRA1A": {"agen_perubahan": 10, "perubahan_dibuat": 5},  # 0.5
        "PRA1B": {"perubahan_dibuat": 5, "perubahan_terintegrasi": 4},  # 0.8 -> 2 x 1.3/2 = 1.3
        "PRA2A": "C",  # 1.0 x 0.5 = 0.5; PRA3A unanswered = 0
    }
    area = score(spec, sheet(_validated(spec, answers))).areas["manajemen_perubahan"]
    assert area.pemenuhan == pytest.approx(0.375 + 2 / 3 + 1.67 / 3 + 0.68625)
    assert area.reform == pytest.approx(1.8)
    assert area.score == pytest.approx(4.0845833, abs=1e-6)


@pytest.mark.parametrize(
    ("area_key", "answers", "expected"),
    [
        (
            "penataan_tatalaksana",
            {"PPB1A": "A", "PPB1B": "B", "PPB1C": "E", "PRB3A": "B"},
            1.0 * (1 + 0.75 + 0) / 3 + 2.0 * 0.75 / 3,
        ),
        (
            "penataan_sdm",
            {"PPC6A": "B", "PRC3A": {"pelanggaran_tahun_lalu": 4, "pelanggaran_tahun_ini": 1}},
            0.25 * 0.5 + 2.0 * 0.75,
        ),
        (
            "penguatan_akuntabilitas",
            {"PPD2A": "Ya", "PRD1A": {"sasaran_total": 8, "sasaran_tercapai": 6}},
            2.5 * 1 / 8 + 2.0 * 0.75,
        ),
        (
            "penguatan_pengawasan",
            {"PRE3A": {"lhkpn_wajib": 4, "lhkpn_lapor": 3}, "PRE3B": {"lhkasn_wajib": 0, "lhkasn_lapor": 0}},
            2.0 * (0.75 + 1) / 2,
        ),
        (
            "pelayanan_publik",
            {"PRF1A": "B", "PRF1B": {"layanan_terdaftar": 5, "layanan_dipermudah": 2}},
            2.5 * (0.67 + 0.4) / 2,
        ),
    ],
)
def test_mixed_case_per_area(spec, area_key, answers, expected) -> None:
    assert score(spec, sheet(_validated(spec, answers))).areas[area_key].score == pytest.approx(expected)


@pytest.mark.parametrize(
    ("qid", "counts", "value"),
    [
        ("PRA1A", {"agen_perubahan": 4, "perubahan_dibuat": 2}, 0.5),
        ("PRA1A", {"agen_perubahan": 4, "perubahan_dibuat": 9}, 1.0),  # more changes than agents: capped
        ("PRA1A", {"agen_perubahan": 0, "perubahan_dibuat": 0}, 0.0),  # nothing done scores 0
        ("PRA1B", {"perubahan_dibuat": 4, "perubahan_terintegrasi": 1}, 0.25),
        ("PRA1B", {"perubahan_dibuat": 0, "perubahan_terintegrasi": 0}, 0.0),
        ("PRC3A", {"pelanggaran_tahun_lalu": 10, "pelanggaran_tahun_ini": 4}, 0.6),
        ("PRC3A", {"pelanggaran_tahun_lalu": 2, "pelanggaran_tahun_ini": 5}, 0.0),  # more violations: 0, not negative
        ("PRC3A", {"pelanggaran_tahun_lalu": 0, "pelanggaran_tahun_ini": 0}, 1.0),
        ("PRC3A", {"pelanggaran_tahun_lalu": 0, "pelanggaran_tahun_ini": 1}, 0.0),
        ("PRD1A", {"sasaran_total": 5, "sasaran_tercapai": 4}, 0.8),
        ("PRD1A", {"sasaran_total": 0, "sasaran_tercapai": 0}, 0.0),
        ("PRE2A", {"pengaduan_wajib": 10, "pengaduan_diproses": 3, "pengaduan_selesai": 6}, 0.6),
        ("PRE2A", {"pengaduan_wajib": 0, "pengaduan_selesai": 0}, 1.0),  # nothing owed scores 1
        ("PRE3A", {"lhkpn_wajib": 12, "lhkpn_lapor": 11}, 11 / 12),
        ("PRE3A", {"lhkpn_wajib": 0, "lhkpn_lapor": 0}, 1.0),
        ("PRE3B", {"lhkasn_wajib": 50, "lhkasn_lapor": 50}, 1.0),
        ("PRE3B", {"lhkasn_wajib": 0, "lhkasn_lapor": 0}, 1.0),
        ("PRF1B", {"layanan_terdaftar": 0, "layanan_dipermudah": 0}, 0.0),
        ("PRF1B", {"layanan_terdaftar": 3, "layanan_dipermudah": 3}, 1.0),
    ],
)
def test_ratio_rules(spec, qid, counts, value) -> None:
    card = score(spec, sheet({qid: validate_answer(spec, qid, counts)}))
    assert card.question_values[qid] == pytest.approx(value)


@pytest.mark.parametrize(
    ("qid", "counts", "message"),
    [
        (
            "PRA1B",
            {"perubahan_dibuat": 2, "perubahan_terintegrasi": 3},
            r"perubahan_terintegrasi \(3\) tidak boleh lebih besar",
        ),
        ("PRD1A", {"sasaran_total": 2, "sasaran_tercapai": 3}, "tidak boleh lebih besar"),
        ("PRE2A", {"pengaduan_wajib": 2, "pengaduan_selesai": 3}, "tidak boleh lebih besar"),
        # in progress and resolved are parts of what was owed: 6 + 3 > 8
        ("PRE2A", {"pengaduan_wajib": 8, "pengaduan_diproses": 3, "pengaduan_selesai": 6}, "tidak boleh lebih besar"),
        ("PRC3A", {"pelanggaran_tahun_lalu": 4, "pelanggaran_tahun_ini": 2, "pelanggaran_disanksi": 3}, "tidak boleh"),
        ("PRE3A", {"lhkpn_wajib": float("inf"), "lhkpn_lapor": 1}, "bilangan bulat"),
        ("PRE3A", {"lhkpn_wajib": 10**12, "lhkpn_lapor": 1}, "terlalu besar"),
        ("PRE3A", {"lhkpn_wajib": [1], "lhkpn_lapor": 1}, "bilangan bulat"),
        ("PRE3A", {"lhkpn_wajib": 2, "lhkpn_lapor": 3}, "tidak boleh lebih besar"),
        ("PRE3B", {"lhkasn_wajib": 2, "lhkasn_lapor": 3}, "tidak boleh lebih besar"),
        ("PRF1B", {"layanan_terdaftar": 2, "layanan_dipermudah": 3}, "tidak boleh lebih besar"),
        ("PRA1A", {"agen_perubahan": -1, "perubahan_dibuat": 3}, "tidak boleh negatif"),
        ("PRA1A", {"agen_perubahan": 1.5, "perubahan_dibuat": 3}, "bilangan bulat"),
        ("PRA1A", {"agen_perubahan": 2}, "belum lengkap: perubahan_dibuat"),
        ("PRA1A", {"agen_perubahan": 2, "perubahan_dibuat": 1, "lain": 3}, "tidak dikenal: lain"),
        ("PRA1A", "A", "diisi dengan angka"),
    ],
)
def test_bad_counts_are_rejected_with_the_question_named(spec, qid, counts, message) -> None:
    with pytest.raises(AnswerError, match=message) as info:
        validate_answer(spec, qid, counts)
    assert info.value.question_id == qid


def test_choice_answers_are_normalised_and_checked(spec) -> None:
    assert validate_answer(spec, "ppa1a", "ya") == "Ya"
    assert validate_answer(spec, "PPA1B", "b") == "B"
    with pytest.raises(AnswerError, match="pilih salah satu dari A/B/C"):
        validate_answer(spec, "PPA1B", "D")
    with pytest.raises(AnswerError, match="ID pertanyaan tidak dikenal"):
        validate_answer(spec, "XYZ1A", "A")


def test_hasil_conversion(spec) -> None:
    hasil = validate_hasil(spec, {"ipak": 3.6, "ipkp": "3,2", "capaian_kinerja": "c"})
    card = score(spec, sheet({}, hasil))
    assert card.hasil_items == pytest.approx({"ipak": 15.75, "ipkp": 14.0, "capaian_kinerja": 2.5})
    assert card.hasil == pytest.approx(32.25)
    for letter, points in zip("ABCDE", (5, 3.75, 2.5, 1.25, 0), strict=True):
        assert score(spec, sheet({}, Hasil(capaian_kinerja=letter))).hasil_items["capaian_kinerja"] == points


@pytest.mark.parametrize(
    "bad", [{"ipak": 4.1}, {"ipkp": -0.1}, {"ipak": "tinggi"}, {"capaian_kinerja": "F"}, {"skm": 3}]
)
def test_bad_hasil_is_rejected(spec, bad) -> None:
    with pytest.raises(AnswerError):
        validate_hasil(spec, bad)


def test_answers_file_validation_names_the_id(spec) -> None:
    with pytest.raises(AnswerError, match="PPZ9A: ID pertanyaan tidak dikenal"):
        validate_worksheet(spec, {"unit": "X", "answers": {"PPZ9A": "A"}})
    with pytest.raises(AnswerError, match="unit"):
        validate_worksheet(spec, {"answers": {}})

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from zi_core.errors import SpecError
from zi_core.importer import import_official
from zi_core.spec import AREA_KEYS, build_spec

BUNDLED = Path(__file__).resolve().parents[2] / "zi_core" / "data" / "lke-90-2021.yaml"


@pytest.fixture
def raw() -> dict:
    return yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))


def test_bundled_spec_has_the_regulation_structure(spec) -> None:
    assert len(spec.questions) == 110
    assert tuple(a.key for a in spec.areas) == AREA_KEYS
    assert [a.weight for a in spec.areas] == [8, 7, 10, 10, 15, 10]
    for area in spec.areas:
        assert area.aspect_weight("pemenuhan") == pytest.approx(area.weight / 2)
    ratio_ids = sorted(q.id for q in spec.questions.values() if q.type == "ratio")
    assert ratio_ids == ["PRA1A", "PRA1B", "PRC3A", "PRD1A", "PRE2A", "PRE3A", "PRE3B", "PRF1B"]
    assert [(o.code, o.value) for o in spec.questions["PPA3A"].options] == [
        ("A", 1),
        ("B", 0.67),
        ("C", 0.33),
        ("D", 0),
    ]


def test_labels_fit_on_a_telegram_button(spec) -> None:
    assert max(len(q.label) for q in spec.questions.values()) <= 48


def test_area_weights_that_do_not_add_up_are_refused(raw) -> None:
    raw["areas"][2]["pemenuhan"][0]["weight"] = 0.5
    with pytest.raises(SpecError, match="area penataan_sdm: bobot pemenuhan berjumlah 5.25, seharusnya 5"):
        build_spec(raw)


def test_option_value_outside_0_1_is_refused(raw) -> None:
    raw["option_values"]["abc"]["A"] = 1.5
    with pytest.raises(SpecError, match="di luar rentang 0..1"):
        build_spec(raw)


def test_question_without_a_rule_is_refused(raw) -> None:
    del raw["areas"][0]["pemenuhan"][0]["questions"][1]["type"]
    with pytest.raises(SpecError, match="PPA1B: tidak punya aturan penilaian"):
        build_spec(raw)


def test_duplicate_ids_are_refused(raw) -> None:
    raw["areas"][0]["pemenuhan"][0]["questions"].append(copy.deepcopy(raw["areas"][0]["pemenuhan"][0]["questions"][0]))
    with pytest.raises(SpecError, match="PPA1A: ID ganda"):
        build_spec(raw)


def test_hasil_weights_must_make_40(raw) -> None:
    raw["hasil"]["items"][0]["weight"] = 20
    with pytest.raises(SpecError, match="bobot hasil berjumlah 42.5"):
        build_spec(raw)


def test_official_worksheet_imports_with_the_same_structure(spec, shared_dir: Path) -> None:
    data = yaml.safe_load((shared_dir / "domain" / "lke-90-2021-official.yaml").read_text(encoding="utf-8"))
    imported, _ = import_official(data, "lke-90-2021-impor")
    assert list(imported.questions) == list(spec.questions)
    for qid, q in spec.questions.items():
        other = imported.questions[qid]
        assert (other.type, other.area_key, other.aspect, other.sub_id) == (q.type, q.area_key, q.aspect, q.sub_id)
        assert [o.value for o in other.options] == [o.value for o in q.options]
    assert [s.weight for a in imported.areas for s in a.subs] == [s.weight for a in spec.areas for s in a.subs]


def test_official_import_refuses_an_unknown_input_question(shared_dir: Path) -> None:
    data = yaml.safe_load((shared_dir / "domain" / "lke-90-2021-official.yaml").read_text(encoding="utf-8"))
    data["pengungkit"]["Manajemen Perubahan"]["reform"]["subindikator"][0]["pertanyaan"][0]["id"] = "PRX9Z"
    with pytest.raises(SpecError, match="PRX9Z"):
        import_official(data, "x")


def test_every_option_has_a_one_line_hint(spec) -> None:
    for q in spec.questions.values():
        for option in q.options:
            assert option.hint and "\n" not in option.hint and len(option.hint) <= 120, (q.id, option.code)
    assert (
        spec.questions["PPC3C"].option("A").hint == "kesenjangan kompetensi di bawah 25%"
    )  # scale differs from "menyeluruh"


def test_maxima_and_area_minima_come_from_the_spec(spec, raw) -> None:
    assert (spec.pengungkit_max, spec.hasil_max) == (60, 40)
    # Tabel 6: an area needs 60% of its weight for WBK, 75% for WBBM (Penguatan Pengawasan weighs 15).
    assert spec.area_minimum("penguatan_pengawasan", "WBK") == pytest.approx(9.0)
    assert spec.area_minimum("penguatan_pengawasan", "WBBM") == pytest.approx(11.25)
    raw["gates"]["WBK"]["area_share"] = 0.5
    changed = build_spec(raw)
    assert changed.area_minimum("penguatan_pengawasan", "WBK") == pytest.approx(7.5)

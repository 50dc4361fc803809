from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.records import BotRecords
from zi_core.errors import AnswerError, NotFoundError, ZiError
from zi_core.scoring import score
from zi_core.store import Store


def _postgres_store(tmp_path: Path, schema: str | None = None) -> Store:
    url = os.environ.get("ZI_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must provide ZI_TEST_POSTGRES_URL (see .ci/run)")
        pytest.skip("ZI_TEST_POSTGRES_URL not set")
    schema = schema or f"t_{uuid.uuid4().hex[:10]}"
    with create_engine(url).begin() as conn:
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
    sep = "&" if "?" in url else "?"
    return Store(f"{url}{sep}options=-csearch_path%3D{schema}", evidence_dir=tmp_path / "evidence")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path: Path):
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'zi.sqlite3'}", evidence_dir=tmp_path / "evidence")
    else:
        s = _postgres_store(tmp_path)
    s.start()
    s.add_unit("Balai Uji")
    yield s
    s.close()


def test_answer_is_stored_with_history(store: Store) -> None:
    old, new = store.set_answer("Balai Uji", "ppa1b", "b", actor=11, note="rapat tim")
    assert (old, new) == (None, "B")
    old, new = store.set_answer("balai uji", "PPA1B", "A", actor=12)
    assert (old, new) == ("B", "A")
    history = store.history("Balai Uji", "PPA1B")
    assert [(h.old, h.new, h.actor) for h in history] == [("B", "A", 12), (None, "B", 11)]
    assert history[1].note == "rapat tim"
    spec, ws = store.worksheet("Balai Uji")
    assert ws.answers == {"PPA1B": "A"}
    assert score(spec, ws).areas["manajemen_perubahan"].pemenuhan == pytest.approx(0.25)


def test_rejected_answer_changes_nothing(store: Store) -> None:
    store.set_answer("Balai Uji", "PRE3A", {"lhkpn_wajib": 12, "lhkpn_lapor": 11}, actor=1)
    with pytest.raises(AnswerError):
        store.set_answer("Balai Uji", "PRE3A", {"lhkpn_wajib": 12, "lhkpn_lapor": 13}, actor=1)
    with pytest.raises(AnswerError):
        store.set_answer("Balai Uji", "XYZ9Z", "A", actor=1)
    with pytest.raises(AnswerError):
        store.set_hasil("Balai Uji", {"ipak": 5}, actor=1)
    _, ws = store.worksheet("Balai Uji")
    assert ws.answers == {"PRE3A": {"lhkpn_wajib": 12, "lhkpn_lapor": 11}}
    assert len(store.history("Balai Uji")) == 1


def test_hasil_updates_merge(store: Store) -> None:
    store.set_hasil("Balai Uji", {"ipak": 3.7}, actor=1)
    hasil = store.set_hasil("Balai Uji", {"ipkp": "3,5", "capaian_kinerja": "b"}, actor=2)
    assert (hasil.ipak, hasil.ipkp, hasil.capaian_kinerja) == (3.7, 3.5, "B")
    assert {h.question_id for h in store.history("Balai Uji")} == {"hasil:ipak", "hasil:ipkp", "hasil:capaian_kinerja"}


def test_users_roles_and_units(store: Store) -> None:
    store.add_user(100, "koordinator", "Balai Uji", name="Sari")
    assert store.user(100).unit == "Balai Uji" and store.user(100).role == "koordinator"
    assert store.user(999) is None
    with pytest.raises(ZiError, match="koordinator harus terikat"):
        store.add_user(101, "koordinator")
    with pytest.raises(ZiError, match="peran"):
        store.add_user(102, "raja")
    with pytest.raises(NotFoundError):
        store.add_user(103, "koordinator", "Unit Tak Ada")
    with pytest.raises(ZiError, match="sudah ada"):
        store.add_unit("Balai Uji")


def test_evidence_is_stored_by_hash_with_type_and_size_checks(store: Store, tmp_path: Path) -> None:
    pdf = b"%PDF-1.4\n% bukti SK tim\n"
    info = store.add_evidence("Balai Uji", "PPA1A", pdf, "sk-tim.pdf", actor=5)
    assert info.content_type == "application/pdf"
    assert (tmp_path / "evidence" / info.sha256[:2] / info.sha256).read_bytes() == pdf
    with pytest.raises(AnswerError, match="tidak didukung"):
        store.add_evidence("Balai Uji", "PPA1A", b"MZ\x90\x00 executable", "virus.pdf", actor=5)
    with pytest.raises(AnswerError, match="melebihi"):
        store.add_evidence("Balai Uji", "PPA1A", b"%PDF-" + b"0" * (11 * 1024 * 1024), "besar.pdf", actor=5)
    with pytest.raises(AnswerError, match="tidak dikenal"):
        store.add_evidence("Balai Uji", "QQQ1A", pdf, "x.pdf", actor=5)
    assert [e.filename for e in store.evidence("Balai Uji")] == ["sk-tim.pdf"]


def test_two_coordinators_updating_one_unit_lose_no_update(store: Store) -> None:
    rounds = 25
    errors: list[BaseException] = []

    def coordinator(actor: int, own_question: str, letters: str) -> None:
        try:
            for i in range(rounds):
                store.set_answer("Balai Uji", own_question, letters[i % len(letters)], actor=actor)
                store.set_answer("Balai Uji", "PPA2B", "ABC"[(i + actor) % 3], actor=actor)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [
        threading.Thread(target=coordinator, args=(1, "PPA3A", "ABCD")),
        threading.Thread(target=coordinator, args=(2, "PPA3B", "DCBA")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    history = list(reversed(store.history("Balai Uji", limit=1000)))
    assert len(history) == 4 * rounds
    shared = [h for h in history if h.question_id == "PPA2B"]
    assert len(shared) == 2 * rounds
    for before, after in zip(shared, shared[1:], strict=False):
        assert after.old == before.new  # each writer saw the value the other one wrote
    _, ws = store.worksheet("Balai Uji")
    assert ws.answers["PPA2B"] == shared[-1].new
    assert ws.answers["PPA3A"] == "ABCD"[(rounds - 1) % 4] and ws.answers["PPA3B"] == "DCBA"[(rounds - 1) % 4]


def test_imported_spec_version_is_used_by_new_units_only(store: Store, shared_dir: Path) -> None:
    import yaml

    from zi_core.importer import import_official

    data = yaml.safe_load((shared_dir / "domain" / "lke-90-2021-official.yaml").read_text(encoding="utf-8"))
    _, converted = import_official(data, "lke-90-2021-rev")
    new_id = store.add_spec("lke-90-2021-rev", converted)
    assert store.unit("Balai Uji").spec_version_id != new_id
    assert store.add_unit("Balai Baru").spec_version_id == new_id


def test_a_text_only_change_of_the_bundled_worksheet_reaches_existing_units(tmp_path: Path, monkeypatch) -> None:
    import zi_core.store as store_module
    from zi_core.spec import read_spec_data

    url = f"sqlite:///{tmp_path / 'zi.sqlite3'}"
    old = read_spec_data()
    old_data = dict(old)
    old_data["areas"] = [dict(a) for a in old["areas"]]
    first = old_data["areas"][0]["pemenuhan"] = [dict(s) for s in old["areas"][0]["pemenuhan"]]
    first[0]["questions"] = [{**q, "hints": {}} for q in first[0]["questions"]]  # as before the criteria
    monkeypatch.setattr(store_module, "read_spec_data", lambda: old_data)
    store = Store(url)
    store.start()
    store.add_unit("Balai Lama")
    store.set_answer("Balai Lama", "PPA1B", "B", 1)
    store.close()
    monkeypatch.setattr(store_module, "read_spec_data", read_spec)
    store = Store(url)
    store.start()
    spec, worksheet = store.worksheet("Balai Lama")
    assert "mewakili seluruh unsur" in spec.questions["PPA1B"].option("A").hint  # the new wording
    assert worksheet.answers["PPA1B"] == "B"
    store.close()
    # A change that scores differently is not applied in place.
    changed = read_spec()
    changed["option_values"] = {**changed["option_values"], "abc": {"A": 1.0, "B": 0.4, "C": 0.0}}
    monkeypatch.setattr(store_module, "read_spec_data", lambda: changed)
    store = Store(url)
    store.start()
    assert store.worksheet("Balai Lama")[0].questions["PPA1B"].option("B").value == 0.5
    store.close()


def read_spec():
    from zi_core.spec import read_spec_data

    return read_spec_data()


@pytest.mark.postgres
def test_first_time_rows_and_migrations_survive_concurrent_starters(tmp_path: Path) -> None:
    """Four instances starting at once on an empty schema (migrations and the bundled spec's first row), then
    racing to create the same user and setting."""
    from concurrent.futures import ThreadPoolExecutor

    schema = f"race_{uuid.uuid4().hex[:8]}"
    stores = [_postgres_store(tmp_path, schema=schema) for _ in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda s: s.start(), stores))  # migrations under the advisory lock: no duplicate tables
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            users = list(pool.map(lambda i: stores[i % 4].add_user(4242, "pegawai", None, f"n{i}"), range(8)))
            records = [BotRecords(st) for st in stores]  # the bot's records ride on the same transactions
            list(pool.map(lambda i: records[i % 4].set_setting("reminder_hour", i), range(8)))
            list(pool.map(lambda i: records[i % 4].set_pending(4242, "upload", {"i": i}), range(8)))
        assert {u.telegram_id for u in users} == {4242}
        assert records[0].get_setting("reminder_hour") in range(8)
        assert records[3].pending(4242).kind == "upload"
    finally:
        for s in stores:
            s.close()


@pytest.mark.postgres
def test_dropped_database_connections_are_survived(tmp_path: Path) -> None:
    """Every connection of the store is terminated (as a database restart does): the next request succeeds."""
    store = _postgres_store(tmp_path)
    store.start()
    try:
        store.add_unit("Balai Putus")
        assert [u.name for u in store.list_units()] == ["Balai Putus"]
        with create_engine(os.environ["ZI_TEST_POSTGRES_URL"]).begin() as conn:
            killed = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar()
        assert killed >= 1
        store.set_answer("Balai Putus", "PPA1A", "Ya", 1)  # a write on a fresh connection
        assert store.worksheet("Balai Putus")[1].answers == {"PPA1A": "Ya"}
    finally:
        store.close()

"""`zi backup` and `zi restore`: a round trip keeps units, answers, history, evidence and uploads."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

from click.testing import CliRunner

from zi_app.config import Settings
from zi_cli import main
from zi_core.store import Store


def _store() -> Store:
    settings = Settings()
    store = Store(settings.resolved_database_url, evidence_dir=settings.evidence_dir)
    store.start()
    return store


def _snapshot(store: Store) -> tuple:
    spec, worksheet = store.worksheet("Balai Uji")
    history = [(h.question_id, h.old, h.new, h.actor, h.note) for h in store.history("Balai Uji", limit=100)]
    evidence = [(e.question_id, e.filename, e.sha256) for e in store.evidence("Balai Uji")]
    return dict(worksheet.answers), worksheet.predikat, history, evidence, [u.telegram_id for u in store.list_users()]


def test_backup_and_restore_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    store = _store()
    store.add_unit("Balai Uji")
    store.add_user(77, "koordinator", "Balai Uji")
    store.set_answer("Balai Uji", "PPA1A", "Ya", 77, "rapat")
    store.set_answer("Balai Uji", "PRE3A", {"lhkpn_wajib": 4, "lhkpn_lapor": 3}, 77)
    store.add_evidence("Balai Uji", "PPA1A", b"%PDF-1.4\n% SK tim\n", "sk.pdf", 77)
    before = _snapshot(store)
    evidence_dir = Settings().evidence_dir
    store.close()
    uploads = Settings().uploads_dir
    uploads.mkdir(parents=True)
    (uploads / "materi.md").write_text("# Materi\n\nIsi.\n", encoding="utf-8")

    archive = tmp_path / "cadangan.tar.gz"
    done = runner.invoke(main, ["backup", str(archive)])
    assert done.exit_code == 0, done.output
    refused = runner.invoke(main, ["restore", str(archive)])
    assert refused.exit_code == 1 and "--force" in refused.output

    # Lose everything, then restore.
    import shutil

    shutil.rmtree(tmp_path / "data")
    restored = runner.invoke(main, ["restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    store = _store()
    try:
        assert _snapshot(store) == before
        sha = before[3][0][2]
        assert (evidence_dir / sha[:2] / sha).read_bytes().startswith(b"%PDF")
        assert (uploads / "materi.md").exists()
    finally:
        store.close()


def test_restore_refuses_archives_that_escape_or_are_not_backups(runner: CliRunner, tmp_path: Path) -> None:
    hostile = tmp_path / "jahat.tar.gz"
    with tarfile.open(hostile, "w:gz") as archive:
        payload = b'{"format": 1, "database": null}'
        info = tarfile.TarInfo("manifest.json")
        info.size = len(payload)
        archive.addfile(info, io.BytesIO(payload))
        evil = tarfile.TarInfo("../../di-luar.txt")
        evil.size = 3
        archive.addfile(evil, io.BytesIO(b"x\n\n"))
    result = runner.invoke(main, ["restore", str(hostile)])
    assert result.exit_code == 1 and "tidak dapat dibaca" in result.output
    assert not (tmp_path.parent / "di-luar.txt").exists()
    junk = tmp_path / "bukan.tar.gz"
    junk.write_bytes(b"bukan arsip")
    assert runner.invoke(main, ["restore", str(junk)]).exit_code == 1

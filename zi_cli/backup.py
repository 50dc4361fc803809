"""`zi backup FILE` and `zi restore FILE`: the database (SQLite), evidence files and uploaded material in one archive.

SQLite is copied with its online backup API, so the bot may keep running during a backup. For PostgreSQL the
database is backed up with `pg_dump` (docs/deploy.md); the archive then holds the files only. Restore is for a stopped
service: it refuses to overwrite an existing database unless told to.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import click

from zi_app.config import Settings

FORMAT = 1
_DB_NAME = "zi.sqlite3"


def _sqlite_path(settings: Settings) -> Path | None:
    url = settings.resolved_database_url
    return Path(url.split("///", 1)[1]) if url.startswith("sqlite:///") else None


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def backup_cmd(settings: Settings, file: Path) -> None:
    """Write the database, evidence and uploads to FILE (tar.gz), e.g. `zi backup cadangan-2025-05-01.tar.gz`."""
    db = _sqlite_path(settings)
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp)
        manifest = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat(timespec="seconds"), "database": None}
        if db is not None:
            if not db.exists():
                raise click.ClickException(f"database {db} belum ada; tidak ada yang dicadangkan")
            target = staging / _DB_NAME
            with sqlite3.connect(db) as source, sqlite3.connect(target) as copy:
                source.backup(copy)  # consistent even while the bot writes
            manifest["database"] = _DB_NAME
        (staging / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        with tarfile.open(file, "w:gz") as archive:
            archive.add(staging / "manifest.json", "manifest.json")
            if manifest["database"]:
                archive.add(staging / _DB_NAME, f"db/{_DB_NAME}")
            for name, folder in (("evidence", settings.evidence_dir), ("uploads", settings.uploads_dir)):
                if folder.exists():
                    archive.add(folder, name)
    click.echo(f"cadangan tersimpan: {file}")
    if db is None:
        click.echo("database PostgreSQL: cadangkan dengan pg_dump (lihat docs/deploy.md); arsip ini berisi berkasnya")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace an existing database and files.")
@click.pass_obj
def restore_cmd(settings: Settings, file: Path, force: bool) -> None:
    """Restore a `zi backup` archive into the configured data directory (stop the bot first)."""
    db = _sqlite_path(settings)
    try:
        with tarfile.open(file, "r:gz") as archive:
            manifest = json.loads(archive.extractfile("manifest.json").read())  # type: ignore[union-attr]
            if manifest.get("format") != FORMAT:
                raise click.ClickException("format cadangan tidak dikenal")
            if db is not None and db.exists() and not force:
                raise click.ClickException(f"database {db} sudah ada; pakai --force untuk menggantinya")
            with tempfile.TemporaryDirectory() as tmp:
                staging = Path(tmp)
                archive.extractall(staging, filter="data")  # no absolute paths, links or escapes
                if manifest.get("database"):
                    if db is None:
                        raise click.ClickException("cadangan berisi database SQLite, tetapi ZI_DATABASE_URL PostgreSQL")
                    db.parent.mkdir(parents=True, exist_ok=True)
                    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
                        stale.unlink(missing_ok=True)
                    shutil.copy2(staging / "db" / _DB_NAME, db)
                for name, folder in (("evidence", settings.evidence_dir), ("uploads", settings.uploads_dir)):
                    if (staging / name).exists():
                        if folder.exists():
                            shutil.rmtree(folder)
                        shutil.copytree(staging / name, folder)
    except (tarfile.TarError, KeyError, ValueError, OSError) as exc:
        raise click.ClickException(f"cadangan {file} tidak dapat dibaca: {exc}") from None
    click.echo(f"cadangan dipulihkan dari {file}")

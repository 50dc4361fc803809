"""`zi score`, `zi lke import`, `zi unit`, `zi user`, `zi export`: the worksheet from the command line."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import click
import yaml

from zi_app import wiring
from zi_app.config import Settings
from zi_app.lhe import unit_lhe
from zi_app.render import Templates, to_plain
from zi_core import ZiError, load_spec, validate_worksheet
from zi_core.export import to_csv, to_xlsx
from zi_core.format import angka
from zi_core.gates import gate_label
from zi_core.importer import import_official
from zi_core.records import ROLES
from zi_core.report import Assessment, assess
from zi_core.spec import Question
from zi_core.store import Store


def make_store(settings: Settings) -> Store:
    """The store, started (the CLI runs one command and exits)."""
    store = wiring.make_store(settings)
    store.start()
    return store


def render_scorecard(assessment: Assessment, top: int = 5) -> str:
    """The bot's scorecard (one template for every front end) as terminal text, with the `top` gaps."""
    html = Templates().render(
        "scorecard", "scorecard", a=assessment, label=lambda g: gate_label(assessment.spec, g), top=top
    )
    return to_plain(html)


# An answers file is a few kilobytes, a worksheet file under 100 KB; anything far larger is not one.
MAX_INPUT_BYTES = 2 * 1024 * 1024


def _read_yaml(path: Path) -> Any:
    """A YAML file's data, or a clear refusal: too large, not UTF-8, not YAML, nested too deep."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise click.ClickException(f"tidak dapat membaca {path}: {exc.strerror}") from None
    if len(raw) > MAX_INPUT_BYTES:
        raise click.ClickException(f"{path} terlalu besar (lebih dari {MAX_INPUT_BYTES // (1024 * 1024)} MB)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(f"{path} bukan teks UTF-8; simpan ulang sebagai UTF-8") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise click.ClickException(f"{path} bukan YAML yang valid: {str(exc)[:300]}") from None
    except RecursionError:
        raise click.ClickException(f"{path} bersarang terlalu dalam untuk dibaca") from None


@click.command("score")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Unrounded numbers as JSON.")
def score(file: Path, as_json: bool) -> None:
    """Score an answers file, e.g. `zi score jawaban.yaml --json`."""
    spec = load_spec()
    try:
        worksheet = validate_worksheet(spec, _read_yaml(file))
    except ZiError as exc:
        raise click.ClickException(str(exc)) from exc
    assessment = assess(spec, worksheet)
    if as_json:
        click.echo(json.dumps(assessment.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_scorecard(assessment))


@click.group()
def lke() -> None:
    """Worksheet spec versions."""


@lke.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", help="Version key (default: the file name).")
@click.pass_obj
def lke_import(settings: Settings, file: Path, key: str | None) -> None:
    """Load a worksheet in the official format as a new spec version, e.g. `zi lke import lke.yaml`."""
    version_key = key or file.stem
    try:
        _, converted = import_official(_read_yaml(file), version_key)
        store = make_store(settings)
        spec_id = store.add_spec(version_key, converted)
    except ZiError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"versi {version_key} tersimpan (id {spec_id}); unit baru memakai versi ini")


def _question_json(q: Question, area_name: str, weight: float) -> dict[str, Any]:
    return {
        "id": q.id,
        "label": q.label,
        "area": area_name,
        "aspect": q.aspect,
        "weight": weight,
        "type": q.type,
        "options": [{"code": o.code, "value": o.value, "criteria": o.hint} for o in q.options],
        "policy": q.policy,
        "fields": list(q.rule.keys) if q.rule else [],
    }


@lke.command("show")
@click.argument("question_id", required=False)
@click.option("--json", "as_json", is_flag=True)
def lke_show(question_id: str | None, as_json: bool) -> None:
    """The bundled worksheet, or one question of it, e.g. `zi lke show PPB1A --json`.

    A question's weight is its share of its sub-indicator's weight (the points a full answer earns).
    """
    spec = load_spec()
    rows = [
        _question_json(q, area.name, sub.weight / len(sub.questions))
        for area in spec.areas
        for sub in area.subs
        for q in sub.questions
    ]
    if question_id is not None:
        qid = question_id.strip().upper()
        found = [r for r in rows if r["id"] == qid]
        if not found:
            raise click.ClickException(f"pertanyaan {question_id[:40]!r} tidak ada di LKE")
        rows = found
    if as_json:
        if question_id is not None:
            click.echo(json.dumps(rows[0], ensure_ascii=False, indent=2))
            return
        readiness = [{"key": r.key, "label": r.label, "predicates": list(r.predicates)} for r in spec.readiness]
        data = {"version": spec.key, "questions": rows, "readiness": readiness}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['id']}  {row['label']}  ({row['area']}, {row['aspect']}, bobot {angka(row['weight'], 4)})")
        for option in row["options"]:
            criteria = f" - {option['criteria']}" if option["criteria"] else ""
            click.echo(f"    {option['code']} = {angka(option['value'])}{criteria}")
        if row["fields"]:
            click.echo(f"    isian: {', '.join(row['fields'])}")
        if row["policy"]:
            click.echo(f"    catatan: {row['policy']}")


@click.group()
def unit() -> None:
    """Manage units (satker)."""


@unit.command("add")
@click.argument("name")
@click.pass_obj
def unit_add(settings: Settings, name: str) -> None:
    """Add a unit, e.g. `zi unit add "Balai Besar Uji"`."""
    try:
        info = make_store(settings).add_unit(name)
    except ZiError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"unit {info.name} ditambahkan")


@unit.command("list")
@click.pass_obj
def unit_list(settings: Settings) -> None:
    """List units with their score and completion."""
    store = make_store(settings)
    for info in store.list_units():
        a = assess(*store.worksheet(info.name))
        wbk = "lulus" if a.gates["WBK"].passed else "belum"
        click.echo(f"{info.name}\ttotal {angka(a.card.total)}\tterisi {a.completion:.0%}\tWBK {wbk}")


@unit.command("predikat")
@click.argument("unit_name")
@click.argument("predikat", type=click.Choice(["WBK", "WBBM"], case_sensitive=False))
@click.option("--sk", required=True, help="Nomor SK penetapan predikat.")
@click.option("--tanggal", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="Tanggal SK, YYYY-MM-DD.")
@click.pass_obj
def unit_predikat(settings: Settings, unit_name: str, predikat: str, sk: str, tanggal: datetime) -> None:
    """Record the predicate a unit holds, e.g. `zi unit predikat "Balai" WBK --sk 123/2024 --tanggal 2024-12-10`.

    WBBM's gates read it (a unit must hold WBK first); the history keeps the SK number and date.
    """
    try:
        make_store(settings).set_predikat(unit_name, predikat.upper(), None, sk, tanggal.date())
    except ZiError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{unit_name}: predikat {predikat.upper()} tercatat (SK {sk}, {tanggal.date().isoformat()})")


@click.group()
def user() -> None:
    """Manage users."""


@user.command("add")
@click.option("--telegram-id", type=int, required=True)
@click.option("--role", type=click.Choice(list(ROLES)), required=True)
@click.option("--unit", "units", multiple=True, help="A koordinator's unit; a TPI member's units (repeat --unit).")
@click.option("--name", default="")
@click.pass_obj
def user_add(settings: Settings, telegram_id: int, role: str, units: tuple[str, ...], name: str) -> None:
    """Add or update a user, e.g. `zi user add --telegram-id 123 --role koordinator --unit "Balai"` or
    `zi user add --telegram-id 456 --role tpi --unit "Balai A" --unit "Balai B"`."""
    if role != "tpi" and len(units) > 1:
        raise click.UsageError("only a TPI member reviews several units")
    try:
        store = make_store(settings)
        if role == "tpi":
            info = store.add_user(telegram_id, role, None, name)
            assigned = store.assign_units(telegram_id, list(units))
            click.echo(f"pengguna {info.telegram_id}: tpi - meninjau {', '.join(assigned) or '(belum ada unit)'}")
            return
        info = store.add_user(telegram_id, role, units[0] if units else None, name)
    except ZiError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"pengguna {info.telegram_id}: {info.role}{' - ' + info.unit if info.unit else ''}")


@unit.command("import")
@click.argument("unit_name")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def unit_import(settings: Settings, unit_name: str, file: Path) -> None:
    """Load an answers file (the `zi score` format) into a unit, validated the same way and recorded in the
    history, e.g. `zi unit import "Balai" jawaban.yaml`. All or nothing; refused while the TPI has the worksheet."""
    store = make_store(settings)
    try:
        spec, _ = store.worksheet(unit_name)
        worksheet = validate_worksheet(spec, _read_yaml(file))
        changed = store.import_answers(unit_name, worksheet.answers, None, f"impor {file.name}")
        given = {k: getattr(worksheet.hasil, k) for k in ("ipak", "ipkp", "capaian_kinerja")}
        if any(v is not None for v in given.values()):
            store.set_hasil(unit_name, {k: v for k, v in given.items() if v is not None}, None)
        for key, done in worksheet.kesiapan.items():
            store.set_readiness(unit_name, key, done, None)
    except ZiError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{unit_name}: {len(worksheet.answers)} jawaban dibaca, {changed} berubah")


@click.command("review")
@click.argument("unit_name")
@click.option("--json", "as_json", is_flag=True, help="Every question's unit and TPI answer, status, note, reply.")
@click.pass_obj
def review_cmd(settings: Settings, unit_name: str, as_json: bool) -> None:
    """A unit's TPI review: stage, round, both scores and every verdict, e.g. `zi review "Balai" --json`."""
    try:
        summary = make_store(settings).review_summary(unit_name)
    except ZiError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
        return
    templates = Templates()
    click.echo(to_plain(templates.render("review_shared", "summary", r=summary)))


@click.command("lhe")
@click.argument("unit_name")
@click.option("--out", "output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_obj
def lhe_cmd(settings: Settings, unit_name: str, output: Path) -> None:
    """Write a unit's LHE (Laporan Hasil Evaluasi) as DOCX, e.g. `zi lhe "Balai" --out lhe-balai.docx`."""
    try:
        _, data = unit_lhe(make_store(settings), unit_name, Templates())
    except ZiError as exc:
        raise click.ClickException(str(exc)) from exc
    output.write_bytes(data)
    click.echo(f"tersimpan: {output}")


@click.command("export")
@click.argument("unit_name")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="xlsx")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def export_cmd(settings: Settings, unit_name: str, fmt: str, output: Path | None) -> None:
    """Export a unit's worksheet in LKE order with scores, e.g. `zi export "Balai" --format csv`."""
    try:
        spec, worksheet = make_store(settings).worksheet(unit_name)
    except ZiError as exc:
        raise click.ClickException(str(exc)) from exc
    card = assess(spec, worksheet).card
    review = make_store(settings).review_items(unit_name)
    data = to_csv(spec, worksheet, card, review) if fmt == "csv" else to_xlsx(spec, worksheet, card, review)
    target = output or Path(f"lke-{'-'.join(unit_name.lower().split())}.{fmt}")
    target.write_bytes(data)
    click.echo(f"tersimpan: {target}")

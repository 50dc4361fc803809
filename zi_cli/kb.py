"""`zi kb build|ask|eval`: the knowledge base from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from knowledge import IngestError, KnowledgeError
from knowledge.evaluation import EvalReport, evaluate, generalization_gap, load_qa
from zi_app.config import Settings
from zi_app.render import Templates, to_plain
from zi_app.wiring import make_knowledge_base, served_knowledge_base


@click.group()
def kb() -> None:
    """Build, query and evaluate the knowledge base index."""


def _progress(name: str, position: int, total: int) -> None:
    if sys.stderr.isatty():
        width = 30
        filled = int(width * position / max(total, 1))
        click.echo(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {position}/{total} {name[:40]:<40}",
            err=True,
            nl=False,
        )
        if position == total:
            click.echo("", err=True)


@kb.command("build")
@click.option(
    "--source",
    "sources",
    multiple=True,
    required=True,
    type=click.Path(path_type=Path),
    help="File or directory (recursive).",
)
@click.option("--index", "index_dir", required=True, type=click.Path(path_type=Path), help="Index directory.")
@click.pass_obj
def build_cmd(settings: Settings, sources: tuple[Path, ...], index_dir: Path) -> None:
    """Index documents incrementally, e.g. `zi kb build --source ../shared/corpus --index data/index`."""
    kb_ = make_knowledge_base(settings, index_dir=index_dir, sources=list(sources))
    kb_.uploads_dir = None
    try:
        report = kb_.builder.build(list(sources), index_dir, progress=_progress)
    except KnowledgeError as exc:
        raise click.ClickException(str(exc)) from exc
    for f in report.files:
        line = f"{f.status:<14} {f.source}  ({f.chunks} potongan)"
        if f.reason:
            line += f"  - {f.reason}: {f.detail}"
        click.echo(line)
    indexed = len(report.by_status("indexed"))
    skipped = len(report.by_status("skipped"))
    click.echo(
        f"versi {report.version}: {report.total_chunks} potongan, {indexed} dokumen diindeks ulang, "
        f"{report.embedded_chunks} potongan di-embed, {skipped} dilewati"
    )


@kb.command("ask")
@click.option("--index", "index_dir", required=True, type=click.Path(path_type=Path))
@click.option("--top-k", default=5, show_default=True, type=click.IntRange(1, 50))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per question.")
@click.option("--questions-file", type=click.File("r", encoding="utf-8"), help="One question per line.")
@click.argument("question", required=False)
@click.pass_obj
def ask_cmd(
    settings: Settings,
    index_dir: Path,
    top_k: int,
    as_json: bool,
    questions_file: object,
    question: str | None,
) -> None:
    """Answer questions, e.g. `zi kb ask --index data/index "Berapa nilai minimal WBK?"`."""
    if questions_file is not None:
        questions = [ln.strip() for ln in questions_file if ln.strip()]  # type: ignore[attr-defined]
    elif question:
        questions = [question]
    else:
        raise click.UsageError("give a QUESTION or --questions-file")
    try:
        kb_ = served_knowledge_base(settings, index_dir)
        templates = Templates()
        for q in questions:
            answer = kb_.ask(q, top_k=top_k)
            text = to_plain(templates.render("answer", "answer", answer=answer, logged=False))
            if as_json:
                click.echo(json.dumps({**answer.to_json(), "answer": text}, ensure_ascii=False))
            else:
                click.echo(text + "\n")
    except KnowledgeError as exc:
        raise click.ClickException(str(exc)) from exc


def _table(title: str, report: EvalReport) -> None:
    click.echo(
        f"{title}" + (f" ({report.skipped} questions on documents not in this index skipped)" if report.skipped else "")
    )
    click.echo(
        f"{'mode':<8} {'style':<11} {'n':>4} {'R@1':>6} {'R@3':>6} {'R@5':>6} {'MRR':>6} {'abstain':>8} {'answer':>7}"
    )
    for mode, total in report.modes.items():
        rows = [("all", total), *report.by_style[mode].items()]
        for style, s in rows:
            d = s.as_dict()
            answer = f"{d['answer_holds']:>7.3f}" if mode == "hybrid" else f"{'-':>7}"
            click.echo(
                f"{mode:<8} {style:<11} {d['n']:>4.0f} {d['recall@1']:>6.3f} {d['recall@3']:>6.3f} "
                f"{d['recall@5']:>6.3f} {d['mrr']:>6.3f} {d['abstain_rate']:>8.3f} {answer}"
            )


def _misses(report: EvalReport) -> None:
    click.echo(f"\nnot in the hybrid top 3 ({len(report.misses)}):")
    for miss in report.misses:
        rank = "abstained" if miss["abstained"] else f"rank {miss['rank']}" if miss["rank"] else "not in the top 5"
        added = ", ".join(f"{k} -> {' '.join(v)}" for k, v in miss["glossary"].items()) or "-"
        click.echo(f"  {miss['id']} [{miss['style']}] {rank}: {miss['question']}")
        click.echo(f"      terms: {' '.join(miss['terms'])}; glossary: {added}")


@kb.command("eval")
@click.option("--index", "index_dir", required=True, type=click.Path(path_type=Path))
@click.option("--qa", "qa_file", required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--heldout",
    "heldout_file",
    type=click.Path(exists=True, path_type=Path),
    help="A held-out QA file (never tuned on), reported beside --qa with the generalization gap.",
)
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--misses", is_flag=True, help="Also list the --qa questions hybrid search misses in its top 3, with their terms."
)
@click.pass_obj
def eval_cmd(
    settings: Settings, index_dir: Path, qa_file: Path, heldout_file: Path | None, as_json: bool, misses: bool
) -> None:
    """Recall@1/3/5, MRR, abstain rate and "answer holds the fact" for hybrid, BM25-only and dense-only retrieval.

    Hybrid is what users get: an abstention counts as a miss for recall and answer alike. With --heldout, the
    held-out set is evaluated the same way and the gap (development minus held-out) follows; questions on documents
    the index does not hold are skipped. With --misses, the development questions hybrid search does not find in its
    top 3 follow, with the terms it searched for and what the glossary added. Misses of the held-out set are never
    listed: tune on the development set only.
    """
    try:
        kb_ = served_knowledge_base(settings, index_dir)
        report = evaluate(kb_.retriever, load_qa(qa_file), answerer=kb_.answerer)
        held = evaluate(kb_.retriever, load_qa(heldout_file), answerer=kb_.answerer) if heldout_file else None
    except (KnowledgeError, IngestError, ValueError, KeyError) as exc:
        raise click.ClickException(str(exc)) from exc
    gap = generalization_gap(report, held) if held is not None and held.modes["hybrid"].n else None
    if as_json:
        data = report.as_dict()
        if held is not None:
            held_data = held.as_dict()
            held_data.pop("misses")
            data = {"development": data, "heldout": held_data, "gap": gap}
        click.echo(json.dumps(data, indent=2))
        return
    _table(f"development set: {qa_file.name}", report)
    if held is not None:
        click.echo("")
        _table(f"held-out set: {heldout_file.name if heldout_file else ''}", held)
    if gap is not None:
        click.echo(
            "\ngeneralization gap (development - held-out, hybrid): "
            + ", ".join(f"{k} {v:+.3f}" for k, v in gap.items())
        )
    if misses:
        _misses(report)

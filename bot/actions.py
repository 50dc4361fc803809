"""What the bot can do, independent of Telegram: the handlers and the console both call these.

Each action takes the acting user, calls `knowledge` or `zi_core`, and returns rendered HTML (plus files).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date

from knowledge import Answer, IngestError
from knowledge.archive import inspect_zip, office_kind
from knowledge.builder import BuildReport
from knowledge.service import UploadResult
from zi_app.wiring import Actor
from zi_core import AnswerError, PermissionDenied, ZiError
from zi_core.answers import parse_pairs, ratio_value, validate_counts
from zi_core.export import rekap_xlsx, to_csv, to_xlsx
from zi_core.gaps import what_if
from zi_core.gates import gate_label
from zi_core.report import Assessment, assess
from zi_core.spec import WorksheetSpec

from .services import Services

logger = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
MAX_ADMIN_ANSWER_CHARS = 3000
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class AnswerOutcome:
    """What /jawab did: the admin's reply, and the notice for each employee who asked."""

    reply: str
    askers: list[int] = field(default_factory=list)
    notice: str = ""


@dataclass(frozen=True)
class Rekap:
    """/rekap: the text, each unit's assessment, and per unit its stage as shown and the TPI's total."""

    text: str
    rows: list[tuple[str, Assessment]]
    stages: dict[str, tuple[str, float | None]]


@dataclass(frozen=True)
class AskReply:
    html: str
    log_id: int
    answer: Answer


class Actions:
    def __init__(self, services: Services) -> None:
        self.s = services
        self.t = services.templates
        # Questions run on one dedicated thread: the embedder serialises calls anyway, and its OpenMP runtime keeps
        # a thread team per calling thread, so spreading calls over a pool leaves idle teams spinning on the cores.
        self._ask_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ask")

    async def _ask_kb(self, question: str) -> Answer:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._ask_thread, self.s.kb.ask, question, self.s.settings.top_k)

    def render(self, group: str, name: str, /, **context: object) -> str:
        return self.t.render(group, name, **context)

    # --- questions ----------------------------------------------------------------------------------------------

    async def ask(self, actor: Actor, question: str) -> AskReply | str:
        question = " ".join(question.split())
        if not question:
            return self.render("qa", "empty")
        if len(question) > MAX_QUESTION_CHARS:
            return self.render("qa", "too_long", limit=MAX_QUESTION_CHARS)
        answer = await self._ask_kb(question)
        top = answer.passages[0].source if answer.passages else ""
        shown = [p.chunk_ids for p in answer.passages]
        log_id = await asyncio.to_thread(
            self.s.records.log_question, actor.telegram_id, question, answer.abstained, top, shown
        )
        return AskReply(self.render("answer", "answer", answer=answer), log_id, answer)

    async def passage(self, actor: Actor, log_id: int, rank: int) -> str:
        """A passage shown with an answer the actor was given: the same chunks, looked up, not searched again."""
        logged = await asyncio.to_thread(self.s.records.question_log, log_id)
        if logged is None or not 1 <= rank <= len(logged.shown):
            return self.render("qa", "passage_gone")
        if logged.telegram_id != actor.telegram_id:
            return self.render("qa", "passage_not_yours")
        passage = self.s.kb.shown_passage(rank, logged.shown[rank - 1])
        if passage is None:
            return self.render("qa", "passage_gone")
        return self.render("answer", "passage", passage=passage)

    def feedback(self, actor: Actor, log_id: int, value: int) -> str:
        ok = self.s.records.set_feedback(log_id, actor.telegram_id, value)
        return self.render("qa", "feedback", ok=ok, value=value)

    async def cancel(self, actor: Actor) -> str:
        had = await asyncio.to_thread(self.s.records.clear_pending, actor.telegram_id)
        return self.render("common", "cancelled" if had else "nothing_to_cancel")

    async def unanswered(self) -> str:
        rows = await asyncio.to_thread(self.s.records.open_questions, 10)
        return self.render("admin", "unanswered", rows=rows)

    async def answer_open_question(self, actor: Actor, text: str) -> AnswerOutcome:
        """/jawab ID teks: the admin's answer becomes a curated FAQ entry of the knowledge base (the next asker gets
        it) and every employee who asked that question is told."""
        head, _, body = text.strip().partition(" ")
        if not head.isdigit() or not body.strip():
            return AnswerOutcome(self.render("admin", "answer_usage"))
        if len(body) > MAX_ADMIN_ANSWER_CHARS:
            return AnswerOutcome(self.render("admin", "answer_too_long", limit=MAX_ADMIN_ANSWER_CHARS))
        logged = await asyncio.to_thread(self.s.records.question_log, int(head))
        if logged is None:
            return AnswerOutcome(self.render("admin", "answer_unknown", id=int(head)))
        note = f"jawaban admin ZI Assistant ({actor.name or actor.telegram_id}), {date.today():%d-%m-%Y}."
        report = await asyncio.to_thread(self.s.kb.add_faq_entry, logged.question, body, note)
        resolved = await asyncio.to_thread(self.s.records.resolve_question, logged.id)
        askers = [uid for uid in (resolved[1] if resolved else []) if uid != actor.telegram_id]
        notice = self.render("qa", "answered_later", question=logged.question, answer=body.strip())
        done = self.render("admin", "answer_done", question=logged.question, askers=len(askers), report=report)
        return AnswerOutcome(done, askers, notice)

    # --- worksheet ----------------------------------------------------------------------------------------------

    def unit_of(self, actor: Actor, requested: str | None = None) -> str:
        """The unit an actor may act on: a koordinator only their own; an admin any named unit."""
        requested = " ".join((requested or "").split()) or None
        if actor.role == "admin" and requested:
            return self.s.store.unit(requested).name
        if actor.unit is None:
            raise PermissionDenied("no unit")
        if requested and requested.lower() != actor.unit.lower():
            raise PermissionDenied("other unit")
        return actor.unit

    def assessment(self, unit: str) -> Assessment:
        return assess(*self.s.store.worksheet(unit))

    def spec_of(self, unit: str) -> WorksheetSpec:
        """The worksheet spec a unit answers under, without loading its answers."""
        return self.s.store.spec_for(self.s.store.unit(unit).spec_version_id)

    def lapor(self, actor: Actor, args: str) -> str:
        parts = args.split(maxsplit=1)
        if len(parts) == 1:
            question = self.spec_of(self.unit_of(actor)).questions.get(parts[0].upper())
            if question is not None:
                return self.render("worksheet", "question_help", q=question)
        if len(parts) < 2:
            return self.render("worksheet", "lapor_usage")
        qid, raw_answer = parts[0].upper(), parts[1].strip()
        raw: object = parse_pairs(raw_answer) if "=" in raw_answer else raw_answer
        return self.save_answer(actor, qid, raw)

    def save_answer(self, actor: Actor, qid: str, raw: object, note: str = "") -> str:
        unit = self.unit_of(actor)
        old, new = self.s.store.set_answer(unit, qid, raw, actor.telegram_id, note)
        a = self.assessment(unit)
        question = a.spec.questions[qid]
        return self.render(
            "worksheet",
            "saved",
            q=question,
            old=old,
            new=new,
            value=a.card.question_values[qid],
            area=a.card.areas[question.area_key],
            total=a.card.total,
        )

    def ratio_preview(self, actor: Actor, qid: str, text: str) -> tuple[str, dict[str, int]]:
        """Validate counts typed in chat and show the resulting percentage before saving."""
        question = self.spec_of(self.unit_of(actor)).questions[qid]
        counts = validate_counts(question, parse_pairs(text))
        assert question.rule is not None
        return self.render(
            "worksheet", "ratio_preview", q=question, counts=counts, value=ratio_value(question.rule, counts)
        ), counts

    def hasil(self, actor: Actor, args: str) -> str:
        pairs = parse_pairs(args)
        if not pairs:
            return self.render("worksheet", "hasil_usage")
        hasil = self.s.store.set_hasil(self.unit_of(actor), pairs, actor.telegram_id)
        a = self.assessment(self.unit_of(actor))
        return self.render("worksheet", "hasil_saved", hasil=hasil, items=a.card.hasil_items)

    def skor(self, actor: Actor, args: str = "") -> tuple[str, Assessment]:
        """The scorecard; for a unit in (or after) the TPI review, the TPI's assessment beside it."""
        unit = self.unit_of(actor, args)
        summary = self.s.store.review_summary(unit)
        a = summary.mandiri
        text = self.render("scorecard", "scorecard", a=a, label=lambda g: gate_label(a.spec, g))
        if summary.reviewed:
            text += "\n\n" + self.render("review_shared", "side_by_side", r=summary)
        return text, a

    def celah(self, actor: Actor, args: str = "") -> str:
        a = self.assessment(self.unit_of(actor, args))
        top = a.gaps[:5]
        scenario = None
        if top:
            improved = what_if(a.spec, a.worksheet, top[0].question_id, _best_raw(a, top[0].question_id))
            scenario = (top[0], improved.total)
        return self.render("worksheet", "gaps", a=a, gaps=top, scenario=scenario)

    def riwayat(self, actor: Actor, args: str = "") -> str:
        qid = args.strip().upper() or None
        unit = self.unit_of(actor)
        return self.render("worksheet", "history", unit=unit, qid=qid, rows=self.s.store.history(unit, qid, 15))

    def ekspor(self, actor: Actor, args: str = "") -> tuple[bytes, bytes, str]:
        unit = self.unit_of(actor, args)
        a, review = self.assessment(unit), self.s.store.review_items(unit)
        base = "lke-" + "-".join(a.worksheet.unit.lower().split())
        return to_xlsx(a.spec, a.worksheet, a.card, review), to_csv(a.spec, a.worksheet, a.card, review), base

    def bukti_prompt(self, actor: Actor, qid: str) -> tuple[bool, str]:
        """(accepted, reply) for `/bukti <ID>`: the upload prompt, or why the ID is refused."""
        if qid not in self.spec_of(self.unit_of(actor)).questions:
            return False, self.render("common", "invalid", qid=qid or "?", message="ID pertanyaan tidak dikenal")
        return True, self.render("worksheet", "evidence_prompt", qid=qid)

    def bukti(self, actor: Actor, qid: str, data: bytes, filename: str) -> str:
        if data.startswith(b"PK\x03\x04"):
            # Office evidence by its structure, within bounds: any other ZIP (or a ZIP bomb) is refused.
            try:
                kind = office_kind(inspect_zip(data, filename))
            except IngestError:
                kind = None
            if kind is None:
                return self.render("worksheet", "evidence_not_office")
        info = self.s.store.add_evidence(self.unit_of(actor), qid, data, filename, actor.telegram_id)
        return self.render("worksheet", "evidence_saved", info=info)

    def readiness(self, actor: Actor, toggle: str | None = None) -> tuple[str, list[tuple[str, str, bool]]]:
        """The Tabel 5 entry criteria as a checklist; `toggle` flips one item (written to the history)."""
        unit = self.unit_of(actor)
        spec = self.spec_of(unit)
        state = self.s.store.readiness(unit)
        if toggle is not None:
            self.s.store.set_readiness(unit, toggle, not state.get(toggle, False), actor.telegram_id)
            state = self.s.store.readiness(unit)
        items = [(r.key, r.label, state.get(r.key, False)) for r in spec.readiness]
        return self.render("worksheet", "readiness", unit=unit, items=items), items

    # --- admin ------------------------------------------------------------------------------------------------

    def units(self, args: str) -> str:
        words = args.split(maxsplit=1)
        if words and words[0].lower() == "tambah":
            if len(words) < 2:
                return self.render("admin", "unit_usage")
            info = self.s.store.add_unit(words[1])
            return self.render("admin", "unit_added", name=info.name)
        rows = [(u, self.assessment(u.name)) for u in self.s.store.list_units()]
        return self.render("admin", "unit_list", rows=rows)

    def koordinator(self, args: str) -> str:
        words = args.split(maxsplit=1)
        if len(words) < 2 or not words[0].isdigit():
            return self.render("admin", "koordinator_usage")
        user = self.s.store.add_user(int(words[0]), "koordinator", words[1])
        return self.render("admin", "koordinator_saved", user=user)

    async def predikat(self, actor: Actor, args: str) -> str:
        """/predikat Nama Unit; WBK|WBBM; nomor SK; YYYY-MM-DD: the predicate a unit holds, from its SK."""
        parts = [p.strip() for p in args.split(";")]
        if len(parts) != 4 or not all(parts) or parts[1].upper() not in ("WBK", "WBBM"):
            return self.render("admin", "predikat_usage")
        try:
            tanggal = date.fromisoformat(parts[3])
        except ValueError:
            return self.render("admin", "predikat_usage")
        name, predikat, sk = parts[0], parts[1].upper(), parts[2]
        await asyncio.to_thread(self.s.store.set_predikat, name, predikat, actor.telegram_id, sk, tanggal)
        return self.render("admin", "predikat_saved", unit=name, predikat=predikat, sk=sk, tanggal=tanggal)

    def rekap(self) -> Rekap:
        """Every unit's assessment and review stage, read once for the text, the image and the XLSX."""
        summaries = {u.name: self.s.store.review_summary(u.name) for u in self.s.store.list_units()}
        rows = [(name, r.mandiri) for name, r in summaries.items()]
        stages = {
            name: (
                self.render("review_shared", "stage_name", stage=r.stage.stage),
                round(r.tpi.card.total, 4) if r.reviewed else None,
            )
            for name, r in summaries.items()
        }
        return Rekap(self.render("admin", "rekap", rows=rows, reviews=summaries), rows, stages)

    @staticmethod
    def rekap_xlsx(rekap: Rekap) -> bytes:
        verdicts = [(n, a.card, {p: a.verdict_text(p) for p in a.eligible}, a.completion) for n, a in rekap.rows]
        return rekap_xlsx(verdicts, rekap.stages)

    def set_reminder_hour(self, args: str) -> tuple[str, bool]:
        """/pengingat <jam>: (reply, whether the hour changed) — the bot then reschedules its daily job.
        /pengingat batas YYYY-MM-DD: the proposal deadline of this cycle, when KemenPANRB moved it by letter."""
        arg = args.strip()
        if arg.lower().startswith("batas"):
            try:
                moved = date.fromisoformat(arg[5:].strip())
            except ValueError:
                return self.render("admin", "reminder_usage"), False
            if moved < date.today():
                return self.render("admin", "reminder_usage"), False
            self.s.records.set_setting("proposal_deadline", moved.isoformat())
            return self.render("admin", "deadline_set", deadline=moved), False
        if not arg.isdigit() or not 0 <= int(arg) <= 23:
            return self.render("admin", "reminder_usage"), False
        self.s.records.set_setting("reminder_hour", int(arg))
        return self.render("admin", "reminder_set", hour=int(arg)), True

    async def reload(self, progress: Progress | None = None) -> BuildReport:
        return await asyncio.to_thread(self.s.kb.reload, progress)

    async def upload(self, data: bytes, filename: str, progress: Progress | None = None) -> UploadResult:
        return await asyncio.to_thread(self.s.kb.add_document, data, filename, progress)

    def error_text(self, exc: Exception) -> str | None:
        """A polite Indonesian message for an expected error, by its type; None for an unexpected one (the caller
        logs it with its traceback and shows the generic apology)."""
        if isinstance(exc, PermissionDenied):
            return self.render("common", "refused")
        if isinstance(exc, AnswerError):
            return self.render("common", "invalid", qid=exc.question_id, message=exc.message)
        if isinstance(exc, IngestError):
            return self.render("admin", "upload_failed", detail=exc.detail)
        if isinstance(exc, ZiError):
            return self.render("common", "invalid", qid=None, message=str(exc))
        return None


def _best_raw(a: Assessment, qid: str) -> object:
    question = a.spec.questions[qid]
    if question.rule is None:
        return question.best_option
    rule = question.rule
    if rule.kind == "decrease":
        return {rule.denominator: 1, rule.numerator: 0}
    return {rule.denominator: 1, rule.numerator: 1}

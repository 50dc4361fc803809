"""The TPI review, independent of Telegram: what /ajukan, /tanggapan, /tinjau, /nilai, /setuju, /catatan,
/kembalikan, /selesai, /lhe, /tpi and /usulkan do, and the review buttons. Blocking calls (the front ends run them in
worker threads); each returns an `Outcome`: the reply, the notices for other users, a file.

Review buttons (callback data, 64 bytes at most; every press re-checks the assignment and the stage):
t:a:<unit id>:<qid> agree, t:v:<unit id>:<qid>:<code> revise to an option, t:n:<unit id>:<qid> add a note (the next
message), t:q:<unit id>:<qid> open a question, t:f:<unit id>:<qid>:<i> send evidence file i, t:s:<unit id> summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zi_app.lhe import unit_lhe
from zi_app.render import Templates
from zi_app.wiring import Actor
from zi_core import AnswerError, PermissionDenied, ZiError
from zi_core.answers import parse_pairs
from zi_core.records import UnitInfo
from zi_core.review import ReviewSummary, next_unreviewed, unreviewed

from .actions import Actions
from .views import Button, StaleChoice, View

Notice = tuple[int, str]


@dataclass(frozen=True)
class Outcome:
    """A reply (text or a view with buttons), messages for other users, and a file to send (name, bytes)."""

    reply: str | View
    notices: list[Notice] = field(default_factory=list)
    document: tuple[str, bytes] | None = None


class ReviewFlow:
    def __init__(self, actions: Actions, templates: Templates) -> None:
        self.act = actions
        self.store = actions.s.store
        self.records = actions.s.records
        self.templates = templates

    def _render(self, name: str, /, **context: object) -> str:
        return self.act.render("review", name, **context)

    # --- the unit's side ----------------------------------------------------------------------------------------

    def ajukan(self, actor: Actor, args: str) -> Outcome:
        """/ajukan: send the self-assessment to the unit's TPI members (refused while questions are unanswered)."""
        unit = self.act.unit_of(actor, args)
        stage = self.store.submit(unit, actor.telegram_id)
        members = self.store.tpi_members(unit)
        notice = self._render("submitted_notice", unit=unit, round=stage.round)
        return Outcome(
            self._render("submitted", unit=unit, round=stage.round, members=len(members)),
            [(m, notice) for m in members],
        )

    def tanggapan(self, actor: Actor, args: str) -> Outcome:
        """/tanggapan ID teks: the unit's reply to the TPI's note on a question."""
        qid, _, text = args.strip().partition(" ")
        if not qid or not text.strip():
            return Outcome(self._render("reply_usage"))
        unit = self.act.unit_of(actor)
        entry = self.store.reply_to_note(unit, qid, text, actor.telegram_id)
        notice = self._render("reply_notice", unit=unit, entry=entry)
        return Outcome(self._render("reply_saved", entry=entry), [(m, notice) for m in self.store.tpi_members(unit)])

    # --- the TPI's side -----------------------------------------------------------------------------------------

    def _assigned(self, actor: Actor) -> list[tuple[UnitInfo, str]]:
        """The actor's units with their stage, those waiting for review first (the numbers /tinjau shows)."""
        if actor.role != "tpi":
            raise PermissionDenied("not a reviewer")
        rows = [
            (self.store.unit(name), self.store.stage(name).stage) for name in self.store.tpi_units(actor.telegram_id)
        ]
        return sorted(rows, key=lambda r: (r[1] != "diajukan", r[0].name.lower()))

    def _unit_by_id(self, actor: Actor, unit_id: int) -> str:
        for info, _ in self._assigned(actor):
            if info.id == unit_id:
                return info.name
        raise StaleChoice(unit_id)

    def _selected(self, actor: Actor, requested: str = "") -> str:
        """The unit a TPI member acts on: named (or numbered as in /tinjau), else the one opened last."""
        assigned = self._assigned(actor)
        requested = " ".join(requested.split())
        if requested:
            if requested.isdigit() and 1 <= int(requested) <= len(assigned):
                return assigned[int(requested) - 1][0].name
            for info, _ in assigned:
                if info.name.lower() == requested.lower():
                    return info.name
            raise PermissionDenied("not assigned")
        chosen = self.records.get_setting(f"review:{actor.telegram_id}")
        if isinstance(chosen, str) and any(info.name == chosen for info, _ in assigned):
            return chosen
        raise ZiError(self._render("no_unit_selected"))

    def tinjau(self, actor: Actor, args: str) -> Outcome:
        """/tinjau: the units assigned (waiting first); /tinjau NAMA or nomor: open one at its first unreviewed
        question."""
        if not args.strip():
            return Outcome(self._render("unit_list", rows=self._assigned(actor)))
        unit = self._selected(actor, args)
        self.records.set_setting(f"review:{actor.telegram_id}", unit)
        summary = self.store.review_summary(unit)
        left = unreviewed(summary.mandiri.spec, summary.items)
        if summary.stage.stage != "diajukan" or not left:
            return Outcome(self._summary_view(unit, summary))
        return Outcome(self.question_view(unit, left[0], summary))

    def _summary_view(self, unit: str, summary: ReviewSummary) -> View:
        info = self.store.unit(unit)
        left = unreviewed(summary.mandiri.spec, summary.items)
        rows: tuple[tuple[Button, ...], ...] = ()
        if left and summary.stage.stage == "diajukan":
            rows = ((Button(self._render("button_next", qid=left[0]), f"t:q:{info.id}:{left[0]}"),),)
        return View(self._render("summary", unit=unit, r=summary, left=len(left)), rows)

    def question_view(self, unit: str, qid: str, summary: ReviewSummary | None = None) -> View:
        summary = summary or self.store.review_summary(unit)
        spec = summary.mandiri.spec
        q = spec.questions[qid]
        info = self.store.unit(unit)
        evidence = self.store.evidence(unit, qid)
        answer = summary.mandiri.worksheet.answers.get(qid)
        entry = summary.items.get(qid)
        order = [x.id for x in spec.ordered_questions]
        left = unreviewed(spec, summary.items)
        text = self._render(
            "question",
            unit=unit,
            q=q,
            answer=answer,
            entry=entry,
            evidence=evidence,
            position=order.index(qid) + 1,
            total=len(order),
            reviewed=len(order) - len(left),
        )
        base = f"{info.id}:{qid}"
        rows: list[tuple[Button, ...]] = [(Button(self._render("button_agree"), f"t:a:{base}"),)]
        if q.options:
            rows.append(tuple(Button(o.code, f"t:v:{base}:{o.code}") for o in q.options if o.code != answer))
        rows.append((Button(self._render("button_note"), f"t:n:{base}"),))
        for i, e in enumerate(evidence[:5]):
            rows.append((Button(f"📎 {e.filename[:40]}", f"t:f:{base}:{i}"),))
        following = next_unreviewed(spec, summary.items, qid)
        nav = [Button(self._render("button_summary"), f"t:s:{info.id}")]
        if following and following != qid:
            nav.append(Button(self._render("button_next", qid=following), f"t:q:{info.id}:{following}"))
        rows.append(tuple(nav))
        return View(text, tuple(rows))

    def _after(self, unit: str, qid: str, saved: str) -> Outcome:
        """Having reviewed `qid`: the confirmation, then the next question not reviewed (or the summary)."""
        summary = self.store.review_summary(unit)
        following = next_unreviewed(summary.mandiri.spec, summary.items, qid)
        view = self.question_view(unit, following, summary) if following else self._summary_view(unit, summary)
        return Outcome(View(view.text, view.rows, notices=(saved,)))

    def press(self, actor: Actor, data: str) -> Outcome:
        """A review button; `StaleChoice` when its data names nothing current."""
        parts = data.split(":")
        if len(parts) < 3 or parts[0] != "t" or not parts[2].isdigit():
            raise StaleChoice(data)
        kind, unit = parts[1], self._unit_by_id(actor, int(parts[2]))
        args = parts[3:]
        spec = self.act.spec_of(unit)
        if kind == "s":
            return Outcome(self._summary_view(unit, self.store.review_summary(unit)))
        if not args or args[0] not in spec.questions:
            raise StaleChoice(data)
        qid = args[0]
        if kind == "q":
            return Outcome(self.question_view(unit, qid))
        if kind == "a":
            entry = self.store.review_answer(unit, qid, actor.telegram_id, agree=True)
            return self._after(unit, qid, self._render("saved", entry=entry))
        if kind == "v" and len(args) == 2:
            entry = self.store.review_answer(unit, qid, actor.telegram_id, raw=args[1])
            self.records.set_pending(actor.telegram_id, "review_note", {"unit": unit, "qid": qid})
            return Outcome(self._render("saved", entry=entry) + "\n" + self._render("note_prompt", qid=qid))
        if kind == "n":
            self.records.set_pending(actor.telegram_id, "review_note", {"unit": unit, "qid": qid})
            return Outcome(self._render("note_prompt", qid=qid))
        if kind == "f" and len(args) == 2 and args[1].isdigit():
            files = self.store.evidence(unit, qid)
            if int(args[1]) >= len(files):
                raise StaleChoice(data)
            info = files[int(args[1])]
            return Outcome(
                self._render("evidence_caption", qid=qid, info=info),
                document=(info.filename, self.store.evidence_bytes(info)),
            )
        raise StaleChoice(data)

    def note_text(self, actor: Actor, text: str) -> Outcome | None:
        """The message after "📝 Catatan": the note on that question. None when no note is awaited."""
        if actor.role != "tpi":
            return None
        pending = self.records.pending(actor.telegram_id)
        if pending is None or pending.kind != "review_note":
            return None
        self.records.clear_pending(actor.telegram_id)
        unit, qid = str(pending.payload["unit"]), str(pending.payload["qid"])
        if unit not in {info.name for info, _ in self._assigned(actor)}:
            raise PermissionDenied("not assigned")
        entry = self.store.review_answer(unit, qid, actor.telegram_id, note=text)
        return self._after(unit, qid, self._render("saved", entry=entry))

    def nilai(self, actor: Actor, args: str) -> Outcome:
        """/nilai ID JAWABAN [catatan]: the TPI's answer (counts as key=value for ratio questions) and a note."""
        words = args.split()
        if len(words) < 2:
            return Outcome(self._render("nilai_usage"))
        unit = self._selected(actor)
        qid = words[0].upper()
        question = self.act.spec_of(unit).questions.get(qid)
        if question is None:
            raise AnswerError(qid, "ID pertanyaan tidak dikenal")
        raw: object
        if question.rule is not None:
            counts = [w for w in words[1:] if "=" in w]
            raw, note = parse_pairs(" ".join(counts)), " ".join(w for w in words[1:] if "=" not in w)
        else:
            raw, note = words[1], " ".join(words[2:])
        entry = self.store.review_answer(unit, qid, actor.telegram_id, raw=raw, note=note or None)
        return self._after(unit, qid, self._render("saved", entry=entry))

    def setuju(self, actor: Actor, args: str) -> Outcome:
        """/setuju ID, or /setuju semua: agree with one answer, or with every answer not reviewed yet."""
        arg = args.strip()
        if not arg:
            return Outcome(self._render("setuju_usage"))
        unit = self._selected(actor)
        if arg.lower() == "semua":
            done = self.store.agree_all(unit, actor.telegram_id)
            return Outcome(
                self._summary_view(unit, self.store.review_summary(unit)).text
                + "\n\n"
                + self._render("agreed_all", count=len(done))
            )
        entry = self.store.review_answer(unit, arg.split()[0], actor.telegram_id, agree=True)
        return self._after(unit, entry.question_id, self._render("saved", entry=entry))

    def catatan(self, actor: Actor, args: str) -> Outcome:
        """/catatan ID teks: a note on one answer, without changing it."""
        qid, _, text = args.strip().partition(" ")
        if not qid or not text.strip():
            return Outcome(self._render("catatan_usage"))
        unit = self._selected(actor)
        entry = self.store.review_answer(unit, qid, actor.telegram_id, note=text)
        return Outcome(self._render("saved", entry=entry))

    def kembalikan(self, actor: Actor, args: str) -> Outcome:
        """/kembalikan [catatan umum]: back to the unit with every note; its coordinators receive them all."""
        unit = self._selected(actor)
        flagged = self.store.return_to_unit(unit, actor.telegram_id, args)
        spec, worksheet = self.store.worksheet(unit)
        notice = self._render(
            "returned_notice",
            unit=unit,
            entries=flagged,
            spec=spec,
            answers=worksheet.answers,
            note=" ".join(args.split()),
        )
        coordinators = self.store.coordinators(unit)
        return Outcome(
            self._render("returned", unit=unit, count=len(flagged), coordinators=len(coordinators)),
            [(c, notice) for c in coordinators],
        )

    def selesai(self, actor: Actor, args: str) -> Outcome:
        """/selesai layak|belum [catatan]: the TPI's final evaluation and recommendation."""
        verdict, _, note = args.strip().partition(" ")
        if verdict.lower() not in ("layak", "belum"):
            return Outcome(self._render("selesai_usage"))
        unit = self._selected(actor)
        stage = self.store.finish_review(unit, actor.telegram_id, verdict.lower() == "layak", note)
        notice = self._render("finished_notice", unit=unit, stage=stage.stage, note=stage.note)
        targets = set(self.store.coordinators(unit)) | self.act.s.admin_ids()
        return Outcome(self._render("finished", unit=unit, stage=stage.stage), [(t, notice) for t in sorted(targets)])

    def lhe(self, actor: Actor, args: str) -> Outcome:
        """/lhe [unit]: the LHE as DOCX (a TPI member: their unit; an admin: any unit, named)."""
        if actor.role == "admin":
            if not args.strip():
                return Outcome(self._render("lhe_usage"))
            unit = self.store.unit(args.strip()).name
        else:
            unit = self._selected(actor, args)
        return Outcome(self._render("lhe_caption", unit=unit), document=unit_lhe(self.store, unit, self.templates))

    # --- admin ----------------------------------------------------------------------------------------------------

    def assign(self, args: str) -> tuple[Outcome, int | None]:
        """/tpi <telegram_id> <unit>[; <unit> ...]: make a user a TPI member reviewing those units."""
        head, _, rest = args.strip().partition(" ")
        units = [u.strip() for u in rest.split(";") if u.strip()]
        if not head.isdigit() or not units:
            return Outcome(self._render("assign_usage")), None
        user = self.store.user(int(head))
        self.store.add_user(int(head), "tpi", None, user.name if user else "")
        assigned = self.store.assign_units(int(head), units)
        return Outcome(self._render("assigned", telegram_id=int(head), units=assigned)), int(head)

    def usulkan(self, actor: Actor, args: str) -> Outcome:
        """/usulkan Nama Unit: record that a unit the TPI found fit was proposed to TPN."""
        if not args.strip():
            return Outcome(self._render("usulkan_usage"))
        unit = self.store.unit(args.strip()).name
        self.store.propose(unit, actor.telegram_id)
        return Outcome(self._render("proposed", unit=unit))

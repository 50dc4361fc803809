"""Replies with choices, independent of Telegram: a text and rows of buttons, each carrying its callback data.

Telegram shows the buttons as an inline keyboard; the console numbers them and a typed number presses one. The
checklist and the readiness list live here, so both front ends walk the same views.

Callback data (64 bytes at most): c:a (areas), c:A:<i> (area), c:s:<sub>, c:q:<qid>, c:v:<qid>:<code>,
c:r:save | c:r:cancel (counts typed for a ratio question), k:<key> (a readiness item). Every press re-reads the
unit's worksheet and validates its data: forged or stale data raises `StaleChoice` and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zi_app.wiring import Actor
from zi_core.report import Assessment
from zi_core.spec import Question

from .actions import Actions, AskReply


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True)
class View:
    """A reply with buttons; `notices` are sent before it (e.g. "saved"), as separate messages."""

    text: str
    rows: tuple[tuple[Button, ...], ...] = ()
    notices: tuple[str, ...] = ()

    @property
    def buttons(self) -> list[Button]:
        return [b for row in self.rows for b in row]


@dataclass(frozen=True)
class Pressed:
    """What a pressed button produced: replies to send, and the view that replaces the pressed one (or None)."""

    replies: list[str] = field(default_factory=list)
    view: View | None = None


class StaleChoice(Exception):
    """Callback data that does not name a current choice (forged, or from an older message)."""


def _done(a: Assessment, questions: tuple[Question, ...]) -> int:
    missing = set(a.card.missing)
    return sum(q.id not in missing for q in questions)


class WorksheetViews:
    """The checklist (area -> sub-indicator -> question) and the readiness list, as views; blocking calls."""

    def __init__(self, actions: Actions) -> None:
        self.act = actions
        self.store = actions.s.store
        self.records = actions.s.records

    def _assessment(self, actor: Actor) -> Assessment:
        return self.act.assessment(self.act.unit_of(actor))

    # --- checklist ----------------------------------------------------------------------------------------------

    def checklist(self, actor: Actor) -> View:
        """/checklist: the areas, with "resume" on the question last opened."""
        resume = self.records.get_setting(f"checklist:{actor.telegram_id}")
        return self._areas(self._assessment(actor), resume if isinstance(resume, str) else None)

    def _areas(self, a: Assessment, resume: str | None) -> View:
        render = self.act.render
        rows = [
            (
                Button(
                    render(
                        "worksheet",
                        "checklist_area_button",
                        area=area,
                        done=_done(a, area.questions),
                        total=len(area.questions),
                    ),
                    f"c:A:{i}",
                ),
            )
            for i, area in enumerate(a.spec.areas)
        ]
        if resume and resume in a.spec.questions:
            rows.insert(0, (Button(render("worksheet", "resume_button", qid=resume), f"c:q:{resume}"),))
        return View(render("worksheet", "checklist_areas", a=a, area=None), tuple(rows))

    def _area(self, a: Assessment, index: int) -> View:
        if not 0 <= index < len(a.spec.areas):
            raise StaleChoice(index)
        area = a.spec.areas[index]
        rows = [
            (Button(f"{s.id} {s.name} ({_done(a, s.questions)}/{len(s.questions)})", f"c:s:{s.id}"),) for s in area.subs
        ]
        rows.append((Button(self.act.render("worksheet", "back"), "c:a"),))
        return View(self.act.render("worksheet", "checklist_areas", a=a, area=area), tuple(rows))

    def _sub(self, a: Assessment, sub_id: str) -> View:
        try:
            sub = a.spec.sub(sub_id)
        except KeyError as exc:
            raise StaleChoice(sub_id) from exc
        area_index = [ar.key for ar in a.spec.areas].index(sub.area_key)
        missing = set(a.card.missing)
        rows = [
            (Button(("✓ " if q.id not in missing else "") + f"{q.id} {q.label}", f"c:q:{q.id}"),) for q in sub.questions
        ]
        rows.append((Button(self.act.render("worksheet", "back"), f"c:A:{area_index}"),))
        area = a.spec.area(sub.area_key)
        return View(self.act.render("worksheet", "checklist_sub", area=area, sub=sub), tuple(rows))

    def _question(self, actor: Actor, a: Assessment, qid: str) -> View:
        render = self.act.render
        q = a.spec.questions[qid]
        order = [x.id for x in a.spec.ordered_questions]
        position = order.index(qid)
        current = a.worksheet.answers.get(qid)
        rows: list[tuple[Button, ...]] = []
        if q.options:
            rows.append(
                tuple(Button(("✓ " if current == o.code else "") + o.code, f"c:v:{qid}:{o.code}") for o in q.options)
            )
        nav = [Button(render("worksheet", "back"), f"c:s:{q.sub_id}")]
        if position + 1 < len(order):
            nav.append(Button(render("worksheet", "next"), f"c:q:{order[position + 1]}"))
        rows.append(tuple(nav))
        review = self.store.review_items(a.worksheet.unit).get(qid)
        text = render(
            "worksheet",
            "checklist_question",
            q=q,
            current=current,
            position=position + 1,
            total=len(order),
            review=review,
        )
        if q.rule is not None:
            self.records.set_pending(actor.telegram_id, "ratio", {"qid": qid})
            text += "\n\n" + render("worksheet", "ratio_prompt", q=q)
        return View(text, tuple(rows))

    def press(self, actor: Actor, data: str) -> Pressed:
        """A checklist or readiness button; `StaleChoice` when the data names nothing current."""
        if data.startswith("k:"):
            return Pressed(view=self.readiness(actor, data[2:]))
        parts = data.split(":")
        if len(parts) < 2 or parts[0] != "c":
            raise StaleChoice(data)
        a = self._assessment(actor)
        kind, args = parts[1], parts[2:]
        try:
            if kind == "a":
                return Pressed(view=self._areas(a, None))
            if kind == "A":
                return Pressed(view=self._area(a, int(args[0])))
            if kind == "s":
                return Pressed(view=self._sub(a, args[0]))
            if kind == "q":
                qid = args[0]
                if qid not in a.spec.questions:
                    raise StaleChoice(qid)
                self.records.set_setting(f"checklist:{actor.telegram_id}", qid)
                return Pressed(view=self._question(actor, a, qid))
            if kind == "v":
                qid, code = args[0], args[1]
                if qid not in a.spec.questions or a.spec.questions[qid].rule is not None:
                    raise StaleChoice(qid)
                saved = self.act.save_answer(actor, qid, code, "checklist")
                return Pressed([saved], self._question(actor, self._assessment(actor), qid))
            if kind == "r":
                return Pressed([self._ratio_decision(actor, args[0])])
        except (IndexError, ValueError) as exc:
            raise StaleChoice(data) from exc
        raise StaleChoice(data)

    def _ratio_decision(self, actor: Actor, decision: str) -> str:
        pending = self.records.pending(actor.telegram_id)
        if pending is None or pending.kind != "ratio_counts":
            raise StaleChoice("no pending counts")
        self.records.clear_pending(actor.telegram_id)
        qid, counts = str(pending.payload["qid"]), dict(pending.payload["counts"])
        if decision == "save":
            return self.act.save_answer(actor, qid, counts, "checklist")
        return self.act.render("worksheet", "cancelled")

    def ratio_counts(self, actor: Actor, text: str) -> View | None:
        """Counts typed after opening a ratio question: validated, shown as a percentage with save/cancel.
        None when no ratio question waits (the text is then a question)."""
        if "=" not in text or not actor.at_least("koordinator"):
            return None
        pending = self.records.pending(actor.telegram_id)
        if pending is None or pending.kind != "ratio":
            return None
        qid = str(pending.payload["qid"])
        html, counts = self.act.ratio_preview(actor, qid, text)  # AnswerError -> polite message
        self.records.set_pending(actor.telegram_id, "ratio_counts", {"qid": qid, "counts": counts})
        render = self.act.render
        choice = (Button(render("worksheet", "save"), "c:r:save"), Button(render("worksheet", "cancel"), "c:r:cancel"))
        return View(html, (choice,))

    # --- readiness (Tabel 5) ------------------------------------------------------------------------------------

    def readiness(self, actor: Actor, toggle: str | None = None) -> View:
        """/kesiapan: the entry criteria as buttons; `toggle` flips one (unknown keys are refused by the store)."""
        text, items = self.act.readiness(actor, toggle)
        rows = tuple(
            (Button(self.act.render("worksheet", "readiness_button", label=label[:60], done=done), f"k:{key}"),)
            for key, label, done in items
        )
        return View(text, rows)


def answer_view(actions: Actions, result: AskReply) -> View:
    """An answer with its passage buttons (📄 1–3) and 👍/👎; an abstention has none."""
    if result.answer.abstained:
        return View(result.html)
    passages = tuple(
        Button(actions.render("qa", "button_passage", rank=p.rank), f"p:{result.log_id}:{p.rank}")
        for p in result.answer.passages[:3]
    )
    feedback = (Button("👍", f"f:{result.log_id}:1"), Button("👎", f"f:{result.log_id}:-1"))
    return View(result.html, (passages, feedback))

"""/checklist: area -> sub-indicator -> question with inline keyboards; ratio counts typed in chat.

Callback data (64 bytes max): c:a (areas), c:A:<i> (area), c:s:<sub>, c:q:<qid>, c:v:<qid>:<code>,
c:r:save, c:r:cancel. Every callback re-checks the role and validates its data: forged data changes nothing.
"""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from zi_app.wiring import Actor
from zi_core.report import Assessment
from zi_core.spec import Question

from .common import Context, actions, guard, reply, services


def _progress(a: Assessment, questions: tuple[Question, ...]) -> int:
    missing = set(a.card.missing)
    return sum(q.id not in missing for q in questions)


def _areas_view(context: Context, a: Assessment, resume: str | None) -> tuple[str, InlineKeyboardMarkup]:
    act = actions(context)
    rows = [
        [
            InlineKeyboardButton(
                act.render(
                    "worksheet",
                    "checklist_area_button",
                    area=area,
                    done=_progress(a, area.questions),
                    total=len(area.questions),
                ),
                callback_data=f"c:A:{i}",
            )
        ]
        for i, area in enumerate(a.spec.areas)
    ]
    if resume and resume in a.spec.questions:
        rows.insert(0, [InlineKeyboardButton(f"▶️ {resume}", callback_data=f"c:q:{resume}")])
    return act.render("worksheet", "checklist_areas", a=a, area=None), InlineKeyboardMarkup(rows)


def _area_view(context: Context, a: Assessment, index: int) -> tuple[str, InlineKeyboardMarkup]:
    area = a.spec.areas[index]
    rows = [
        [
            InlineKeyboardButton(
                f"{s.id} {s.name} ({_progress(a, s.questions)}/{len(s.questions)})", callback_data=f"c:s:{s.id}"
            )
        ]
        for s in area.subs
    ]
    rows.append([InlineKeyboardButton(actions(context).render("worksheet", "back"), callback_data="c:a")])
    return actions(context).render("worksheet", "checklist_areas", a=a, area=area), InlineKeyboardMarkup(rows)


def _sub_view(context: Context, a: Assessment, sub_id: str) -> tuple[str, InlineKeyboardMarkup]:
    sub = a.spec.sub(sub_id)
    area_index = [ar.key for ar in a.spec.areas].index(sub.area_key)
    rows = []
    for q in sub.questions:
        mark = "✓ " if q.id not in a.card.missing else ""
        rows.append([InlineKeyboardButton(f"{mark}{q.id} {q.label}", callback_data=f"c:q:{q.id}")])
    rows.append([InlineKeyboardButton(actions(context).render("worksheet", "back"), callback_data=f"c:A:{area_index}")])
    area = a.spec.area(sub.area_key)
    return actions(context).render("worksheet", "checklist_sub", area=area, sub=sub), InlineKeyboardMarkup(rows)


def _question_view(context: Context, a: Assessment, qid: str, actor_id: int) -> tuple[str, InlineKeyboardMarkup]:
    act = actions(context)
    q = a.spec.questions[qid]
    order = [x.id for x in a.spec.ordered_questions]
    position = order.index(qid)
    current = a.worksheet.answers.get(qid)
    rows: list[list[InlineKeyboardButton]] = []
    if q.options:
        rows.append(
            [
                InlineKeyboardButton(("✓ " if current == o.code else "") + o.code, callback_data=f"c:v:{qid}:{o.code}")
                for o in q.options
            ]
        )
    nav = [InlineKeyboardButton(act.render("worksheet", "back"), callback_data=f"c:s:{q.sub_id}")]
    if position + 1 < len(order):
        nav.append(InlineKeyboardButton(act.render("worksheet", "next"), callback_data=f"c:q:{order[position + 1]}"))
    rows.append(nav)
    text = act.render("worksheet", "checklist_question", q=q, current=current, position=position + 1, total=len(order))
    if q.rule is not None:
        services(context).store.set_pending(actor_id, "ratio", {"qid": qid})
        text += "\n\n" + act.render("worksheet", "ratio_prompt", q=q)
    return text, InlineKeyboardMarkup(rows)


async def _show(update: Update, text: str, markup: InlineKeyboardMarkup) -> None:
    query = update.callback_query
    if query is None:
        await reply(update, text, markup)
        return
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    except BadRequest as exc:  # "message is not modified" when the same button is tapped twice
        if "not modified" not in str(exc).lower():
            raise


@guard("koordinator")
async def start(update: Update, context: Context, actor: Actor) -> None:
    """/checklist: choose an area; resume where one stopped."""
    act = actions(context)
    a = await asyncio.to_thread(lambda: act.assessment(act.unit_of(actor)))
    resume = await asyncio.to_thread(services(context).store.get_setting, f"checklist:{actor.telegram_id}")
    await _show(update, *_areas_view(context, a, resume))


@guard("koordinator")
async def button(update: Update, context: Context, actor: Actor) -> None:
    """Every checklist button."""
    query = update.callback_query
    assert query is not None
    act = actions(context)
    a = await asyncio.to_thread(lambda: act.assessment(act.unit_of(actor)))
    parts = (query.data or "").split(":")
    try:
        view = await _route(update, context, actor, a, parts)
    except (KeyError, IndexError, ValueError):
        await query.answer(act.render("worksheet", "stale_button"), show_alert=True)
        return
    await query.answer()
    if view is not None:
        await _show(update, *view)


async def _route(
    update: Update, context: Context, actor: Actor, a: Assessment, parts: list[str]
) -> tuple[str, InlineKeyboardMarkup] | None:
    act = actions(context)
    kind = parts[1]
    if kind == "a":
        return _areas_view(context, a, None)
    if kind == "A":
        index = int(parts[2])
        if not 0 <= index < len(a.spec.areas):
            raise IndexError(index)
        return _area_view(context, a, index)
    if kind == "s":
        return _sub_view(context, a, parts[2])
    if kind == "q":
        qid = parts[2]
        if qid not in a.spec.questions:
            raise KeyError(qid)
        await asyncio.to_thread(services(context).store.set_setting, f"checklist:{actor.telegram_id}", qid)
        return await asyncio.to_thread(_question_view, context, a, qid, actor.telegram_id)
    if kind == "v":
        qid, code = parts[2], parts[3]
        if qid not in a.spec.questions or a.spec.questions[qid].rule is not None:
            raise KeyError(qid)
        await reply(update, await asyncio.to_thread(act.save_answer, actor, qid, code, "checklist"))
        fresh = await asyncio.to_thread(act.assessment, a.worksheet.unit)
        return await asyncio.to_thread(_question_view, context, fresh, qid, actor.telegram_id)
    if kind == "r":
        await _ratio_decision(update, context, actor, parts[2])  # replies itself; no view to show
        return None
    raise KeyError(kind)


async def _ratio_decision(update: Update, context: Context, actor: Actor, decision: str) -> None:
    act = actions(context)
    store = services(context).store
    pending = await asyncio.to_thread(store.pending, actor.telegram_id)
    if pending is None or pending.kind != "ratio_counts":
        raise KeyError("no pending counts")
    await asyncio.to_thread(store.clear_pending, actor.telegram_id)
    qid, counts = str(pending.payload["qid"]), dict(pending.payload["counts"])
    if decision == "save":
        await reply(update, await asyncio.to_thread(act.save_answer, actor, qid, counts, "checklist"))
    else:
        await reply(update, act.render("worksheet", "cancelled"))


async def pending_ratio_text(update: Update, context: Context, actor: Actor, text: str) -> bool:
    """If a ratio question waits for counts, validate them and show the percentage with save/cancel."""
    if "=" not in text or not actor.at_least("koordinator"):
        return False
    store = services(context).store
    pending = await asyncio.to_thread(store.pending, actor.telegram_id)
    if pending is None or pending.kind != "ratio":
        return False
    qid = str(pending.payload["qid"])
    act = actions(context)
    html, counts = await asyncio.to_thread(act.ratio_preview, actor, qid, text)  # AnswerError -> polite message
    await asyncio.to_thread(store.set_pending, actor.telegram_id, "ratio_counts", {"qid": qid, "counts": counts})
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(act.render("worksheet", "save"), callback_data="c:r:save"),
                InlineKeyboardButton(act.render("worksheet", "cancel"), callback_data="c:r:cancel"),
            ]
        ]
    )
    await reply(update, html, markup)
    return True

"""The one command table: each command's name, the roles that may use it, its Telegram handler and its console
handler. Handler registration, the per-role command menus, the help text and the console all read it; adding a
command is one entry here, its handlers and its two texts in `templates/commands.html.j2` (`menu_<name>`,
`help_<name>`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import BotCommand, Update

from zi_app.wiring import ROLES, Actor

from . import console_actions as con
from .context import Context
from .handlers import admin, checklist, common, qa, review, worksheet
from .render import Templates
from .review import Outcome, ReviewFlow

TelegramHandler = Callable[[Update, Context, Actor], Awaitable[None]]

EVERYONE = frozenset(ROLES)
UNIT_STAFF = frozenset({"koordinator", "admin"})
REVIEWERS = frozenset({"tpi"})
ADMIN = frozenset({"admin"})

# Help sections, in the order /bantuan shows them; each has a title macro `section_<key>` in commands.html.j2.
SECTIONS = ("tanya", "unit", "tpi", "admin")


@dataclass(frozen=True)
class Command:
    name: str
    roles: frozenset[str]
    section: str
    telegram: TelegramHandler
    console: con.ConsoleHandler
    aliases: tuple[str, ...] = ()

    def allows(self, actor: Actor) -> bool:
        return actor.role in self.roles


@dataclass(frozen=True)
class ButtonRoute:
    """Callback data starting with `prefix` goes to `telegram`; the role check is the same as for commands."""

    prefix: str
    roles: frozenset[str]
    telegram: TelegramHandler


def _reviewing(
    name: str, roles: frozenset[str], section: str, pick: Callable[[ReviewFlow], Callable[[Actor, str], Outcome]]
) -> Command:
    """A command that is one ReviewFlow method, in Telegram and on the console alike."""
    return Command(name, roles, section, review.flow(pick), con.review_handler(pick))


COMMANDS: tuple[Command, ...] = (
    Command("tanya", EVERYONE, "tanya", qa.tanya, con.tanya),
    Command("bantuan", EVERYONE, "tanya", common.start, con.bantuan, aliases=("start", "help")),
    Command("checklist", UNIT_STAFF, "unit", checklist.start, con.checklist),
    Command("lapor", UNIT_STAFF, "unit", worksheet.lapor, con.lapor),
    Command("hasil", UNIT_STAFF, "unit", worksheet.hasil, con.hasil),
    Command("bukti", UNIT_STAFF, "unit", worksheet.bukti, con.bukti),
    Command("kesiapan", UNIT_STAFF, "unit", checklist.kesiapan, con.kesiapan),
    Command("skor", UNIT_STAFF, "unit", worksheet.skor, con.skor),
    Command("celah", UNIT_STAFF, "unit", worksheet.celah, con.celah),
    Command("riwayat", UNIT_STAFF, "unit", worksheet.riwayat, con.riwayat),
    Command("ekspor", UNIT_STAFF, "unit", worksheet.ekspor, con.ekspor),
    _reviewing("ajukan", UNIT_STAFF, "unit", lambda r: r.ajukan),
    _reviewing("tanggapan", UNIT_STAFF, "unit", lambda r: r.tanggapan),
    Command("batal", UNIT_STAFF | REVIEWERS, "tanya", common.batal, con.batal),
    _reviewing("tinjau", REVIEWERS, "tpi", lambda r: r.tinjau),
    _reviewing("nilai", REVIEWERS, "tpi", lambda r: r.nilai),
    _reviewing("setuju", REVIEWERS, "tpi", lambda r: r.setuju),
    _reviewing("catatan", REVIEWERS, "tpi", lambda r: r.catatan),
    _reviewing("kembalikan", REVIEWERS, "tpi", lambda r: r.kembalikan),
    _reviewing("selesai", REVIEWERS, "tpi", lambda r: r.selesai),
    _reviewing("lhe", REVIEWERS | ADMIN, "tpi", lambda r: r.lhe),
    Command("unggah", ADMIN, "admin", admin.unggah, con.unggah),
    Command("muatulang", ADMIN, "admin", admin.muatulang, con.muatulang),
    Command("unit", ADMIN, "admin", admin.unit, con.unit),
    Command("koordinator", ADMIN, "admin", admin.koordinator, con.koordinator),
    Command("tpi", ADMIN, "admin", review.tpi, con.tpi),
    _reviewing("usulkan", ADMIN, "admin", lambda r: r.usulkan),
    Command("rekap", ADMIN, "admin", admin.rekap, con.rekap),
    Command("predikat", ADMIN, "admin", admin.predikat, con.predikat),
    Command("belumterjawab", ADMIN, "admin", admin.belumterjawab, con.belumterjawab),
    Command("jawab", ADMIN, "admin", admin.jawab, con.jawab),
    Command("pengingat", ADMIN, "admin", admin.pengingat, con.pengingat),
)

BUTTONS: tuple[ButtonRoute, ...] = (
    ButtonRoute("p:", EVERYONE, qa.passage_button),
    ButtonRoute("f:", EVERYONE, qa.feedback_button),
    ButtonRoute("c:", UNIT_STAFF, checklist.button),
    ButtonRoute("k:", UNIT_STAFF, checklist.button),
    ButtonRoute("t:", REVIEWERS, review.button),
)


def find(name: str) -> Command | None:
    """The command called `name` (or one of its aliases), without the slash."""
    name = name.lower()
    return next((c for c in COMMANDS if name == c.name or name in c.aliases), None)


def for_role(role: str) -> list[Command]:
    return [c for c in COMMANDS if role in c.roles]


def menu(templates: Templates, role: str) -> list[BotCommand]:
    """The command menu Telegram shows a user of `role` (set with set_my_commands)."""
    return [BotCommand(c.name, templates.render("commands", f"menu_{c.name}")) for c in for_role(role)]


def help_text(templates: Templates, actor: Actor, first: bool = False) -> str:
    """/bantuan: the commands this actor may use, by section."""
    sections = []
    for key in SECTIONS:
        # Fragments (markup), not strings: passed into the help template, they must not be escaped again.
        lines = [templates.fragment("commands", f"help_{c.name}") for c in for_role(actor.role) if c.section == key]
        if lines:
            sections.append((templates.fragment("commands", f"section_{key}", actor=actor), lines))
    return templates.render("common", "help", actor=actor, first=first, sections=sections)

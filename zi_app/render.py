"""Every text a user reads is a Jinja2 macro: the shared ones (answers, the scorecard) in zi_app/templates, each
front end's own beside them (bot/templates). Written as Telegram HTML; `to_plain` turns it into terminal text."""

from __future__ import annotations

import html
import re
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from zi_core.format import angka, persen


class Templates:
    """Renders macros: `render("scorecard", "scorecard", ...)` calls the macro `scorecard` of scorecard.html.j2,
    looked up in each package's templates/ in turn (the front end's first, then zi_app's)."""

    def __init__(self, *packages: str) -> None:
        loaders = [PackageLoader(p, "templates") for p in (*packages, "zi_app")]
        self._env = Environment(
            loader=ChoiceLoader(loaders),
            autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.globals.update(angka=angka, persen=persen)
        self._modules: dict[str, Any] = {}

    def render(self, group: str, name: str, /, **context: Any) -> str:
        return str(self.fragment(group, name, **context))

    def fragment(self, group: str, name: str, /, **context: Any) -> Markup:
        """A macro's output kept as markup, to be passed into another template without being escaped again."""
        module = self._modules.get(group)
        if module is None:
            module = self._env.get_template(f"{group}.html.j2").make_module()
            self._modules[group] = module
        rendered: Markup = getattr(module, name)(**context)
        return rendered.strip()


def to_plain(text: str) -> str:
    """Rendered HTML -> terminal text (the console, `zi score`, `zi kb ask`)."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))

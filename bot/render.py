"""The bot's templates and Telegram's message limit (HTML parse mode, user text escaped)."""

from __future__ import annotations

import re

from zi_app.render import Templates as BaseTemplates
from zi_app.render import to_plain

__all__ = ["Templates", "split_message", "to_plain"]

TELEGRAM_LIMIT = 4096


class Templates(BaseTemplates):
    """The bot's templates (bot/templates) before the shared ones (zi_app/templates)."""

    def __init__(self) -> None:
        super().__init__("bot")


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split on paragraph, then line, then word boundaries; never inside an HTML tag or entity."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < limit // 2:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = limit
        # do not cut inside <tag> or &entity;
        open_tag, close_tag = window.rfind("<", 0, cut), window.rfind(">", 0, cut)
        if open_tag > close_tag:
            cut = open_tag
        amp = window.rfind("&", 0, cut)
        if amp != -1 and ";" not in window[amp:cut]:
            cut = amp
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return _rebalance(parts)


_TAG = re.compile(r"<(/?)(b|i|u|s|code|pre|a|blockquote)(?:\s[^>]*)?>")


def _rebalance(parts: list[str]) -> list[str]:
    """Close tags left open at the end of a part and reopen them at the start of the next."""
    out: list[str] = []
    carry: list[str] = []
    for part in parts:
        part = "".join(f"<{t}>" for t in carry) + part
        stack: list[str] = []
        for closing, tag in _TAG.findall(part):
            if closing and stack and stack[-1] == tag:
                stack.pop()
            elif not closing:
                stack.append(tag)
        out.append(part + "".join(f"</{t}>" for t in reversed(stack)))
        carry = [t if t != "a" else "u" for t in stack]
    return out

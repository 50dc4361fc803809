"""Exceptions raised by zi_core; messages are Indonesian because users read them.

ZiError
 ├── SpecError        a worksheet spec file is malformed (weights, rules, options)
 ├── AnswerError      an answer, count or survey result is invalid; `question_id` names the item
 ├── NotFoundError    a unit, user or spec version does not exist
 └── PermissionDenied a user tried to act outside their role or unit
"""

from __future__ import annotations


class ZiError(Exception):
    """Base class of every error raised by `zi_core`."""


class SpecError(ZiError):
    """The worksheet spec is invalid."""


class AnswerError(ZiError):
    def __init__(self, question_id: str, message: str) -> None:
        super().__init__(f"{question_id}: {message}")
        self.question_id = question_id
        self.message = message


class NotFoundError(ZiError):
    """A unit, user or spec version is unknown."""


class PermissionDenied(ZiError):
    """The user's role or unit does not allow the action."""

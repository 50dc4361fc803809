"""What the store's parts (evidence, the TPI review) need from the Store they are mixed into:
its transactions, the unit lookup and the specs. The Store implements them; the parts only declare them here."""

from __future__ import annotations

from contextlib import AbstractContextManager

from sqlalchemy.orm import Session

from .answers import Worksheet
from .models import Unit
from .spec import WorksheetSpec


class StorePart:
    def _tx(self) -> AbstractContextManager[Session]:
        raise NotImplementedError

    def _read(self) -> AbstractContextManager[Session]:
        raise NotImplementedError

    @staticmethod
    def _unit_row(s: Session, name: str, lock: bool = False) -> Unit:
        raise NotImplementedError

    def _spec(self, s: Session, spec_version_id: int) -> WorksheetSpec:
        raise NotImplementedError

    def worksheet(self, unit_name: str) -> tuple[WorksheetSpec, Worksheet]:
        raise NotImplementedError

"""`make run`: the bot when ZI_TELEGRAM_TOKEN is set, otherwise the local console chat."""

from __future__ import annotations

from zi_app.config import Settings
from zi_cli import main as zi


def main() -> None:
    command = "bot" if Settings().telegram_token is not None else "console"
    zi([command])


if __name__ == "__main__":
    main()

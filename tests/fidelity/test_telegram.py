"""The sandbox's Bot API held to Telegram's published shapes (core.telegram.org/bots/api, issue
#29): the answer envelope ``{"ok", "result"}`` / ``{"ok": false, "error_code", "description",
"parameters": {"retry_after"}}`` ("Making requests", ResponseParameters); ChatFullInfo with
optional ``description`` and ``photo`` (ChatPhoto: small/big file ids); method names are
case-insensitive; setting a value equal to the current one is "Bad Request: chat description is
not modified" (as TelegramBots/Telegram.Bot's integration tests record it); getFile's
``file_path`` and the ``/file/bot<token>/<file_path>`` download (File)."""

from __future__ import annotations

import io
import typing as t

import pytest
import requests
from PIL import Image

from brandkit.sandbox import Sandbox

TOKEN = "123:fidelity"


@pytest.fixture
def bot() -> t.Iterator[t.Callable[..., requests.Response]]:
    with Sandbox() as sandbox:
        sandbox.telegram.add_channel("fidelity", bot_token=TOKEN, title="Fidelity")
        session = requests.Session()
        session.trust_env = False
        session.verify = str(sandbox.ca_path)
        base = sandbox.url

        def call(method: str, token: str = TOKEN, **kwargs: t.Any) -> requests.Response:
            return session.post(f"{base}/bot{token}/{method}", **kwargs)

        call.session = session  # type: ignore[attr-defined]
        call.base = base  # type: ignore[attr-defined]
        yield call


def test_the_envelope_and_chat_full_info(bot: t.Callable[..., requests.Response]) -> None:
    chat = bot("GETCHAT", json={"chat_id": "@fidelity"}).json()  # names are case-insensitive
    assert chat["ok"] is True
    info = chat["result"]
    assert info["type"] == "channel" and info["title"] == "Fidelity"
    assert isinstance(info["id"], int) and str(info["id"]).startswith("-100")
    assert "description" not in info and "photo" not in info  # optional: absent when unset
    assert {"accent_color_id", "max_reaction_count"} <= set(info)


def test_errors_are_the_bot_apis(bot: t.Callable[..., requests.Response]) -> None:
    wrong = bot("getChat", token="1:nope", json={"chat_id": "@fidelity"})
    assert wrong.status_code == 401
    assert wrong.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    missing = bot("getChat", json={"chat_id": "@nowhere"}).json()
    assert missing["description"] == "Bad Request: chat not found"
    bot("setChatDescription", json={"chat_id": "@fidelity", "description": "Hello"})
    same = bot("setChatDescription", data={"chat_id": "@fidelity", "description": "Hello"})
    assert same.status_code == 400
    assert same.json()["description"] == "Bad Request: chat description is not modified"
    long = bot("setChatDescription", json={"chat_id": "@fidelity", "description": "x" * 256})
    assert long.status_code == 400  # 0-255 characters


def test_a_flood_wait_is_in_the_body() -> None:
    with Sandbox() as sandbox:
        sandbox.telegram.add_channel("flood", bot_token=TOKEN)
        session = requests.Session()
        session.trust_env = False
        session.verify = str(sandbox.ca_path)
        url = f"{sandbox.url}/bot{TOKEN}/setChatTitle"
        answers = [
            session.post(url, json={"chat_id": "@flood", "title": f"T{i}"}) for i in range(21)
        ]
        flood = answers[-1]
        assert flood.status_code == 429
        body = flood.json()
        assert body["ok"] is False and body["error_code"] == 429
        assert body["description"].startswith("Too Many Requests: retry after ")
        assert isinstance(body["parameters"]["retry_after"], int)


def test_the_photo_is_kept_as_640_jpeg_and_downloaded_by_path(
    bot: t.Callable[..., requests.Response],
) -> None:
    png = io.BytesIO()
    Image.new("RGB", (1000, 800), (200, 30, 30)).save(png, "PNG")
    done = bot(
        "setChatPhoto", data={"chat_id": "@fidelity"}, files={"photo": ("p.png", png.getvalue())}
    )
    assert done.json() == {"ok": True, "result": True}
    photo = bot("getChat", json={"chat_id": "@fidelity"}).json()["result"]["photo"]
    assert {"small_file_id", "small_file_unique_id", "big_file_id", "big_file_unique_id"} == set(
        photo
    )
    file = bot("getFile", json={"file_id": photo["big_file_id"]}).json()["result"]
    assert file["file_path"] and file["file_size"] > 0
    session, base = bot.session, bot.base  # type: ignore[attr-defined]
    data = session.get(f"{base}/file/bot{TOKEN}/{file['file_path']}").content
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == (640, 640)

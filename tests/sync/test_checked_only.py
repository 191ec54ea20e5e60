"""Instagram and LinkedIn are checked, never written (issue #29): a fresh sandbox account is as
its owner set it up by hand, so check is 0; a change made in the app is drift, planned "change
by hand" for every field; apply writes nothing there; the hand-off page names every field,
with the text to paste and the files to upload, and opens in Chromium; stats reads both."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from PIL import Image

import brandkit
from brandkit.cli import main
from brandkit.sandbox import Sandbox
from tests.conftest import copy_example

IG, PAGE = "17841405822304914", "2414183"


def _spec(tmp_path: Path) -> Path:
    copy_example("northwind", tmp_path / "nw")
    spec = tmp_path / "nw" / "brand.yaml"
    data = yaml.safe_load(spec.read_text())
    data["accounts"] = [
        {
            "id": "northwind-ig",
            "platform": "instagram",
            "ig_user_id": IG,
            "username": "northwindcoffee",
            "credentials": {"access_token": "NORTHWIND_IG_TOKEN"},
        },
        {
            "id": "northwind-li",
            "platform": "linkedin",
            "organization_id": PAGE,
            "credentials": {"access_token": "NORTHWIND_LINKEDIN_TOKEN"},
        },
    ]
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return spec


def _red() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 400), (220, 40, 40)).save(out, "PNG")
    return out.getvalue()


def test_drift_is_found_and_handed_to_a_person(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _spec(tmp_path)
    assert main(["apply", str(spec), "--sandbox", "--yes", "-q"]) == 0
    assert main(["check", str(spec), "--sandbox", "-q"]) == 0
    brand = brandkit.load(spec)
    ig, li = brand.accounts
    with Sandbox(state_dir=spec.parent / ".brandkit" / "sandbox") as sandbox:
        sandbox.instagram.by_hand(ig, "biography", "Cheap coffee <b>now</b>")
        sandbox.instagram.by_hand(ig, "avatar", _red())
        sandbox.linkedin.by_hand(li, "website", "https://elsewhere.example")
        sandbox.linkedin.by_hand(li, "cover", _red())
        writes_before = sandbox.count(writes=True)
    capsys.readouterr()
    assert main(["check", str(spec), "--sandbox"]) == 2
    said = capsys.readouterr().out
    assert said.count("change by hand:") == 4
    assert main(["apply", str(spec), "--sandbox", "--yes"]) == 0
    assert "2 to change by hand" in capsys.readouterr().out
    with Sandbox(state_dir=spec.parent / ".brandkit" / "sandbox") as sandbox:
        assert sandbox.count(writes=True) == writes_before  # nothing was written there
    out = tmp_path / "handoff"
    assert main(["handoff", str(spec), "--sandbox", "-o", str(out)]) == 0
    page = (out / "index.html").read_text()
    for words in (
        "Instagram · northwind-ig",
        "LinkedIn · northwind-li",
        "biography",
        "avatar",
        "website",
        "cover",
        "https://northwind.example",
        "instagram.com/accounts/edit",
        f"https://www.linkedin.com/company/{PAGE}/admin/dashboard/",
    ):
        assert words in page, words
    assert "Cheap coffee" not in page  # what to paste is the spec's text, not the live one
    assert {p.name for p in (out / "files").iterdir()} == {
        "instagram-northwind-ig-avatar.png",
        "linkedin-northwind-li-cover.png",
    }
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "the hand-off test opens the page in Chromium: apt-get install chromium"
    shot = tmp_path / "shot.png"
    seen = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--screenshot={shot}",
            "--window-size=1000,1600",
            (out / "index.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(1 << 20) or []
    assert len(colours) > 50, seen.stderr  # text and pictures drawn, not a blank page
    # the person did as the page says (the sandbox plays them): in sync again
    assert main(["check", str(spec), "--sandbox", "-q"]) == 0
    capsys.readouterr()
    assert main(["stats", str(spec), "--sandbox"]) == 0
    figures = capsys.readouterr().out
    assert "instagram:northwind-ig" in figures and "linkedin:northwind-li" in figures


def test_a_write_asked_of_a_checked_only_platform_is_refused_with_what_to_do(
    tmp_path: Path,
) -> None:
    from brandkit.adapters.base import Endpoints, LiveState
    from brandkit.errors import RemoteError
    from brandkit.platforms.registry import ADAPTERS

    brand = brandkit.load(_spec(tmp_path))
    env = {"NORTHWIND_IG_TOKEN": "t", "NORTHWIND_LINKEDIN_TOKEN": "t"}
    live = LiveState({}, {})
    for account in brand.accounts:
        adapter = ADAPTERS[account.platform](account, env, Endpoints())
        with pytest.raises(RemoteError, match="has no API to change website: change it by hand"):
            adapter.write_text({"website": "https://x.example"}, live)
        adapter.close()

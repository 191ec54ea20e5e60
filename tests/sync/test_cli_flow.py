"""The commands a user runs, in separate invocations sharing the sandbox state folder."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import brandkit
from brandkit.cli import main
from brandkit.sync.sandboxing import done_by_hand
from tests.conftest import NORTHWIND_ACCOUNTS, NORTHWIND_WRITTEN, copy_example


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy_example("northwind", tmp_path / "northwind")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "northwind" / "brand.yaml"


def test_render_plan_apply_check_across_processes(
    spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", str(spec), "--sandbox", "--out", "plan.json"]) == 0
    out = capsys.readouterr().out
    assert re.search(rf"\b{NORTHWIND_WRITTEN} to change \(\d+ fields\), 2 ok", out), out
    assert "~ location: (empty) -> 'Astoria, Oregon'" in out
    assert "~ cover: none -> " in out  # the Facebook Page too
    assert main(["check", str(spec), "--sandbox"]) == 2
    assert main(["apply", str(spec), "--sandbox", "--yes"]) == 0
    out = capsys.readouterr().out
    assert f"{NORTHWIND_WRITTEN} changed, 2 ok, 0 failed" in out
    assert f"brandkit restore {spec.parent / '.brandkit' / 'backups'}/" in out  # beside the spec
    # a separate process sees the same sandbox accounts
    proc = subprocess.run(
        [sys.executable, "-m", "brandkit", "check", str(spec), "--sandbox", "-q"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"0 to change, {NORTHWIND_ACCOUNTS} ok" in proc.stdout
    # the saved plan is stale now: the account moved since
    assert main(["apply", "--plan", "plan.json", "--sandbox"]) == 1
    assert "changed since the plan was made" in capsys.readouterr().out


def test_plan_writes_its_plan_and_nothing_a_user_would_publish(
    spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """#28: plan rendered through render(), which also wrote web/ and newsletter/ into the state
    folder. Now it asks only for the images the accounts take (kept as a cache under
    .brandkit/assets) and writes its plan."""
    before = {p for p in spec.parent.rglob("*")}
    assert main(["plan", str(spec), "--sandbox", "--out", "plan.json", "-q"]) == 0
    made = {p.relative_to(spec.parent).as_posix() for p in set(spec.parent.rglob("*")) - before}
    assert Path("plan.json").is_file()
    # the images the accounts take, and the live images plan compared them with (the cache)
    kept = (".brandkit/assets", ".brandkit/sandbox", ".brandkit/cache")
    outside_cache = {p for p in made if not p.startswith(kept)}
    assert outside_cache == {".brandkit"}, outside_cache
    assert not [p for p in made if "/web/" in p or "/newsletter/" in p or p.endswith(".html")]
    images = [p for p in made if p.startswith(".brandkit/assets") and p.endswith((".png", ".jpg"))]
    # X 2, Facebook 2, Mailchimp 1, Mastodon 2, Bluesky 2, Telegram 1, GitHub 1, Discord 2,
    # YouTube 2, Instagram 1, LinkedIn 2
    assert len(images) == 18


def test_a_specs_state_stays_beside_it_wherever_commands_run(
    spec: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """#25: applied from one folder, checked from the spec's own: drift, because the sandbox's
    state was kept relative to the current folder. Now everything is beside the spec."""
    assert main(["apply", str(spec), "--sandbox", "--yes", "-q"]) == 0
    assert (spec.parent / ".brandkit" / "sandbox").is_dir()
    assert not (Path.cwd() / ".brandkit").exists()
    monkeypatch.chdir(spec.parent)
    assert main(["check", "brand.yaml", "--sandbox", "-q"]) == 0
    assert main(["check", "--sandbox", "-q"]) == 0  # ./brand.yaml, as validate already did
    assert main(["stats", "--sandbox", "-q"]) == 0
    capsys.readouterr()
    monkeypatch.chdir(spec.parent.parent.parent)
    assert main(["plan", "-q"]) == 1
    said = capsys.readouterr().err
    assert "no brand.yaml, brand.yml, _brand.yml or brand.json in this folder" in said
    assert "brandkit plan path/to/brand.yaml" in said


def test_apply_needs_yes_without_a_terminal(
    spec: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", open(os.devnull))
    assert main(["apply", str(spec), "--sandbox"]) == 1
    assert "pass --yes" in capsys.readouterr().err
    assert main(["check", str(spec), "--sandbox", "-q"]) == 2  # nothing was written
    sys.stdin.close()


def test_check_formats_and_html_report(spec: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(spec), "--sandbox", "-q", "--format", "json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "brandkit-plan/1" and data["accounts"][0]["status"] == "drift"
    assert main(["check", str(spec), "--sandbox", "-q", "--report", "report.html"]) == 2
    page = Path("report.html").read_text()
    assert "data:image/png;base64," in page and "expected" in page


def test_junit_output_is_valid(spec: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(spec), "--sandbox", "-q", "--format", "junit"]) == 2
    root = ET.fromstring(capsys.readouterr().out.encode())
    assert root.tag == "testsuite" and root.get("failures") == str(NORTHWIND_WRITTEN)
    assert root.find("testcase/failure") is not None


def test_restore_undoes_an_apply(spec: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["apply", str(spec), "--sandbox", "--yes", "-q"]) == 0
    backup = next((spec.parent / ".brandkit" / "backups").iterdir())
    assert main(["restore", str(backup), "--sandbox", "-q", "--yes"]) == 0
    assert main(["check", str(spec), "--sandbox", "-q"]) == 2  # back to the fresh account's state


def test_bad_spec_and_bad_plan_file_exit_1(spec: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("plan.json").write_text("{not json")
    assert main(["apply", "--plan", "plan.json", "--sandbox"]) == 1
    assert "not a readable brandkit plan" in capsys.readouterr().err
    bad = spec.parent / "bad.yaml"
    bad.write_text(spec.read_text().replace("primary: pine", "primary: pinee"))
    assert main(["check", str(bad), "--sandbox"]) == 1
    assert "colors.primary: 'pinee' is not a colour" in capsys.readouterr().err


SECRETS = {
    "NORTHWIND_X_CONSUMER_KEY": "ck-SECRET-1111",
    "NORTHWIND_X_CONSUMER_SECRET": "cs-SECRET-2222",
    "NORTHWIND_X_ACCESS_TOKEN": "at-SECRET-3333",
    "NORTHWIND_X_ACCESS_TOKEN_SECRET": "ats-SECRET-4444",
    "NORTHWIND_FB_PAGE_TOKEN": "fb-SECRET-5555",
    "NORTHWIND_MAILCHIMP_API_KEY": "mc-SECRET-7777-us1",
    "NORTHWIND_MASTODON_TOKEN": "md-SECRET-8888",
    "NORTHWIND_BLUESKY_APP_PASSWORD": "bs-SECRET-9999",
    "NORTHWIND_TELEGRAM_BOT_TOKEN": "123:tg-SECRET-1212",
    "NORTHWIND_GITHUB_TOKEN": "ghp_SECRET-1313",
    "NORTHWIND_DISCORD_BOT_TOKEN": "dc-SECRET-1414",
    "NORTHWIND_YOUTUBE_CLIENT_ID": "yt-SECRET-1515.apps.googleusercontent.com",
    "NORTHWIND_YOUTUBE_CLIENT_SECRET": "yt-SECRET-1616",
    "NORTHWIND_YOUTUBE_REFRESH_TOKEN": "1//yt-SECRET-1717",
    "NORTHWIND_INSTAGRAM_TOKEN": "ig-SECRET-1818",
    "NORTHWIND_LINKEDIN_TOKEN": "li-SECRET-1919",
}


def test_no_secret_appears_anywhere(
    spec: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every command, with the user's secrets in the environment and the sandbox's own: neither
    appears in stdout, stderr, plan files, reports, backups or error messages."""
    from brandkit.sandbox import Sandbox

    state = tmp_path / "state"
    with Sandbox(state_dir=state / "sandbox") as sandbox:
        sandbox.add_twitter_account(
            "northwindcoffee",
            name="Northwind Coffee Roasters",
            **{
                k: SECRETS[f"NORTHWIND_X_{k.upper()}"]
                for k in ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
            },
        )
        sandbox.add_facebook_page(
            "104729384756102", name="Northwind", page_token=SECRETS["NORTHWIND_FB_PAGE_TOKEN"]
        )
        sandbox.add_mailchimp_account("a1b2c3d4e5", api_key=SECRETS["NORTHWIND_MAILCHIMP_API_KEY"])
        sandbox.mastodon.add_account(
            "northwindcoffee", access_token=SECRETS["NORTHWIND_MASTODON_TOKEN"]
        )
        sandbox.bluesky.add_account(
            "northwindcoffee.bsky.social", app_password=SECRETS["NORTHWIND_BLUESKY_APP_PASSWORD"]
        )
        sandbox.telegram.add_channel(
            "northwindcoffee", bot_token=SECRETS["NORTHWIND_TELEGRAM_BOT_TOKEN"]
        )
        sandbox.github.add_org("northwind-coffee", token=SECRETS["NORTHWIND_GITHUB_TOKEN"])
        sandbox.discord.add_guild(
            "613425648685547541",
            bot_token=SECRETS["NORTHWIND_DISCORD_BOT_TOKEN"],
            name="Northwind Coffee Roasters",
        )
        sandbox.youtube.add_channel(
            "UCnorthwindCoffeeRoast01",
            client_id=SECRETS["NORTHWIND_YOUTUBE_CLIENT_ID"],
            client_secret=SECRETS["NORTHWIND_YOUTUBE_CLIENT_SECRET"],
            refresh_token=SECRETS["NORTHWIND_YOUTUBE_REFRESH_TOKEN"],
        )
        sandbox.instagram.add_user(
            "17841405822304914", access_token=SECRETS["NORTHWIND_INSTAGRAM_TOKEN"]
        )
        sandbox.linkedin.add_page("2414183", access_token=SECRETS["NORTHWIND_LINKEDIN_TOKEN"])
        # where no API can write, the accounts' owners did it by hand when opening them
        brand = brandkit.load(spec)
        for account in brand.accounts:
            done_by_hand(sandbox.server.apis[account.platform], brand, account)
        for key, value in {**sandbox.env(), **SECRETS}.items():
            monkeypatch.setenv(key, value)
        common = ["--state", str(state)]
        codes = [
            main(["plan", str(spec), "--out", "plan.json", *common]),
            main(["check", str(spec), "--report", "report.html", "--format", "json", *common]),
            main(["apply", str(spec), "--yes", *common]),
        ]
        codes.append(main(["check", str(spec), "--format", "junit", *common]))
        backup = next((state / "backups").iterdir())
        codes.append(main(["restore", str(backup), *common, "--yes"]))
        monkeypatch.setenv("NORTHWIND_X_ACCESS_TOKEN_SECRET", "ats-SECRET-wrong-5555")
        monkeypatch.setenv("NORTHWIND_FB_PAGE_TOKEN", "fb-SECRET-wrong-6666")
        codes.append(main(["check", str(spec), *common]))  # an auth failure, with its message
    assert codes == [0, 2, 0, 0, 0, 1]
    captured = capfd.readouterr()
    blobs = [captured.out, captured.err]
    for path in [Path("plan.json"), Path("report.html"), *state.rglob("*")]:
        if (
            path.is_file() and "sandbox" not in path.parts
        ):  # the emulator's own store is the platform side
            blobs.append(path.read_bytes().decode("utf-8", "replace"))
    assert "code 190" in captured.out  # the auth failures were reported...
    for secret in [
        *SECRETS.values(),
        "ats-SECRET-wrong-5555",
        "fb-SECRET-wrong-6666",
    ]:  # ...without the secrets
        assert not any(secret in blob for blob in blobs), secret


def test_restore_of_something_that_is_not_a_backup(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["restore", str(tmp_path / "nope"), "--sandbox"]) == 1
    err = capsys.readouterr().err
    assert "not a brandkit backup (no readable backup.json)" in err and "Traceback" not in err


def test_plan_and_check_say_what_needs_force_before_apply_refuses(
    spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from brandkit.sandbox import Sandbox

    assert main(["apply", str(spec), "--sandbox", "--yes", "-q"]) == 0
    with Sandbox(
        state_dir=spec.parent / ".brandkit" / "sandbox"
    ) as sandbox:  # someone renames the X account by hand
        user = next(iter(sandbox.twitter.state.data["twitter"]["users"].values()))
        with sandbox.twitter.state.edit():
            user["name"] = "Totally Different Bakery"
    capsys.readouterr()
    assert main(["plan", str(spec), "--sandbox", "-q", "--format", "json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    x = next(a for a in plan["accounts"] if a["platform"] == "twitter")
    (name,) = [c for c in x["changes"] if c["field"] == "name"]
    assert "suggest the wrong account" in name["unsafe"] and x["needs_force"] == [name["unsafe"]]
    assert plan["summary"].endswith("1 needs --force")

    assert main(["check", str(spec), "--sandbox", "-q"]) == 2
    assert (
        "needs --force: the display name would change from 'Totally Different Bakery'"
        in capsys.readouterr().out
    )
    assert (
        main(["check", str(spec), "--sandbox", "-q", "--format", "junit", "--report", "r.html"])
        == 2
    )
    failure = ET.fromstring(capsys.readouterr().out).find("testcase[@name='northwind-x']/failure")
    assert failure is not None and "1 need(s) --force" in failure.get("message", "")
    assert "needs --force: the display name would change" in Path("r.html").read_text()

    assert main(["apply", str(spec), "--sandbox", "--yes", "-q"]) == 1
    assert "refused without --force" in capsys.readouterr().out


def _git(folder: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    done = subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip()


def test_a_plan_from_another_revision_of_the_spec_is_refused(
    spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """#31: the plan records the spec's sha256 and its git commit; apply --plan writes only what
    was reviewed, so a spec changed since (a new commit) refuses the plan, naming both."""
    folder = spec.parent
    _git(folder, "init", "-q")
    _git(folder, "add", "brand.yaml")
    _git(folder, "commit", "-q", "-m", "brand")
    reviewed = _git(folder, "rev-parse", "HEAD")
    assert main(["plan", str(spec), "--sandbox", "--out", "plan.json", "-q"]) == 0
    saved = json.loads(Path("plan.json").read_text())
    assert {a["commit"] for a in saved["accounts"]} == {reviewed}
    assert all(len(a["spec_sha256"]) == 64 for a in saved["accounts"])
    spec.write_text(spec.read_text().replace("roasted on the coast", "roasted by the sea"))
    _git(folder, "commit", "-q", "-am", "a new tagline")
    capsys.readouterr()
    assert main(["apply", "--plan", "plan.json", "--sandbox"]) == 1
    out = capsys.readouterr().out
    assert "the plan was made from another revision of" in out
    assert reviewed[:12] in out and _git(folder, "rev-parse", "HEAD")[:12] in out
    assert "changed  " not in out  # nothing written
    # the same plan against the spec it was made from is applied
    _git(folder, "checkout", "-q", reviewed, "--", "brand.yaml")
    assert main(["apply", "--plan", "plan.json", "--sandbox"]) == 0

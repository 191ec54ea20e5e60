"""Nothing lost, nothing duplicated: lost answers to writes that create things, a failure that is
nobody's fault, a saved plan someone edited, a backup someone tampered with."""

from __future__ import annotations

import dataclasses
import json
import os
import time
import typing as t
from pathlib import Path

import pytest

from brandkit.retry import RetryPolicy
from brandkit.sync import Plan, SyncOptions, apply, plan, restore
from tests.sync.conftest import World, make_world

ALL = {"northwind-x", "northwind-fb", "northwind-news"}


@pytest.fixture
def everything(tmp_path: Path) -> t.Iterator[World]:
    yield from make_world(tmp_path, ALL)


def test_a_lost_answer_to_a_template_create_leaves_one_template(everything: World) -> None:
    # Mailchimp makes the template, and the answer is cut off: the retry must not make another
    everything.sandbox.add_fault(
        platform="mailchimp", method="POST", path="/templates$", truncate=True
    )
    result = apply([everything.brand], everything.options)
    assert all(a.status == "changed" for a in result.accounts), [a.message for a in result.accounts]
    templates = everything.sandbox.mailchimp.state.data["mailchimp"]["templates"].values()
    name = everything.brand.account("northwind-news").options.template_name
    assert [tpl["name"] for tpl in templates] == [name]
    assert plan([everything.brand], everything.options).exit_code() == 0


def test_a_retried_cover_reuses_the_photo_it_uploaded(everything: World) -> None:
    # setting the cover fails once after its photo was uploaded: no second, orphan photo
    everything.sandbox.add_fault(
        platform="facebook", method="POST", path=r"/v\d+\.\d+/\d+$", status=500
    )
    result = apply([everything.brand], everything.options)
    assert all(a.status == "changed" for a in result.accounts), [a.message for a in result.accounts]
    photos = everything.sandbox.facebook.state.data["facebook"]["photos"]
    assert len(photos) == 2  # the cover and the profile picture, once each


@pytest.mark.parametrize("listed", [True, False])
def test_a_lost_answer_to_a_photo_upload(everything: World, listed: bool) -> None:
    # Graph stores the cover photo and the answer is cut off. Where Graph lists unpublished
    # photos, the retry finds and uses it: one photo each for the cover and the picture. Where
    # it does not, the photo is uploaded again and the apply says one may be left behind.
    everything.sandbox.facebook.list_unpublished = listed
    everything.sandbox.add_fault(
        platform="facebook", method="POST", path=r"/\d+/photos$", truncate=True
    )
    result = apply([everything.brand], everything.options)
    fb = next(a for a in result.accounts if a.platform == "facebook")
    assert fb.status == "changed", fb.message
    photos = everything.sandbox.facebook.state.data["facebook"]["photos"]
    if listed:
        assert len(photos) == 2 and "unpublished" not in fb.message
    else:
        assert len(photos) == 3
        assert "may have left one unpublished photo" in fb.message, fb.message
    assert plan([everything.brand], everything.options).exit_code() == 0


def test_retry_after_is_honoured_on_every_platform(tmp_path: Path) -> None:
    for world in make_world(tmp_path, ALL):
        waits: list[float] = []
        options = dataclasses.replace(
            world.options, retry=RetryPolicy(base=0.01, budget=30, sleep=waits.append)
        )
        for platform, method in (("twitter", "GET"), ("facebook", "GET"), ("mailchimp", "GET")):
            world.sandbox.add_fault(platform=platform, method=method, status=503, retry_after=3)
        result = plan([world.brand], options)
        assert result.exit_code() == 2, [a.error for a in result.accounts]
        assert waits.count(3.0) == 3, waits  # each platform's 503 waited exactly as asked


def test_a_damaged_cached_image_stays_with_its_account_and_heals(everything: World) -> None:
    from brandkit.sync.cache import SyncCache

    apply([everything.brand], everything.options)
    live = next(
        a for a in plan([everything.brand], everything.options).accounts if a.platform == "facebook"
    )
    state = everything.options.state_dir
    for comparison in (state / "cache" / "compare").iterdir():
        comparison.unlink()
    # the cover's cached copy is a CDN error page
    SyncCache(state / "cache").image_path(live.live["cover_url"]).write_bytes(b"<html>502</html>")
    result = plan([everything.brand], everything.options)
    status = {a.platform: a.status for a in result.accounts}
    assert status == {
        "twitter": "ok",
        "facebook": "ok",
        "mailchimp": "ok",
    }  # retried: fetched again
    assert plan([everything.brand], everything.options).exit_code() == 0


def test_an_edited_saved_plan_is_refused(everything: World, tmp_path: Path) -> None:
    saved = plan([everything.brand], everything.options).to_dict()
    for account in saved["accounts"]:
        for change in account["changes"]:
            if change["field"] == "description" and account["platform"] == "twitter":
                change["after"] = "Visit my other shop"
    edited = Plan.from_dict(json.loads(json.dumps(saved)))
    result = apply([everything.brand], everything.options, saved=edited)
    x = next(a for a in result.accounts if a.platform == "twitter")
    assert (
        x.status == "failed"
        and "the saved plan writes what the spec does not ask for now" in x.message
    )
    assert "description" in x.message
    assert all(a.status == "changed" for a in result.accounts if a.platform != "twitter")


def test_a_tampered_backup_uploads_nothing_from_outside_it(
    everything: World, tmp_path: Path
) -> None:
    apply([everything.brand], everything.options)
    everything.api().update_profile(location="Elsewhere")
    fixed = apply([everything.brand], everything.options)
    assert fixed.backup is not None
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG not for upload")
    profile = fixed.backup / "twitter" / "northwind-x" / "profile.json"
    record = json.loads(profile.read_text())
    record["images"] = {"avatar": "../../../../secret.png"}
    profile.write_text(json.dumps(record))
    from brandkit.errors import PlanError

    with pytest.raises(PlanError, match="is not a file of this backup"):
        restore(fixed.backup, [everything.brand], everything.options)


def test_a_cancelled_apply_starts_no_new_write_and_leaves_an_undo(everything: World) -> None:
    import threading

    options = dataclasses.replace(everything.options, workers=1, cancel=threading.Event())

    def progress(line: str) -> None:  # the first account done: as if Ctrl-C came now
        if line.startswith("changed"):
            options.cancel.set()

    options = dataclasses.replace(options, progress=progress)
    result = apply([everything.brand], options)
    assert result.interrupted and result.exit_code() == 130
    done = [a for a in result.accounts if a.status == "changed"]
    stopped = [a for a in result.accounts if a.status == "failed"]
    assert len(done) == 1 and len(stopped) == 2
    assert all(a.message == "interrupted: nothing written to this account" for a in stopped)
    assert result.backup is not None  # the account that was written can be undone
    index = json.loads((result.backup / "backup.json").read_text())
    assert index["accounts"] == [[done[0].platform, done[0].account]]
    undone = restore(result.backup, [everything.brand], everything.options)
    assert [a.status for a in undone.accounts] == ["changed"]


def test_a_second_apply_at_once_is_refused(everything: World) -> None:
    from brandkit.errors import PlanError
    from brandkit.sync.locks import apply_lock

    with apply_lock(everything.options.state_dir, [str(everything.spec)]):
        writes = everything.sandbox.count(writes=True)
        with pytest.raises(
            PlanError,
            match=r"another brandkit apply or restore is running on the state folder .*process \d+",
        ):
            apply([everything.brand], everything.options)
        other_state = dataclasses.replace(
            everything.options, state_dir=everything.options.state_dir / "other"
        )
        with pytest.raises(PlanError, match=r"running on the spec .*brand.yaml"):
            apply([everything.brand], other_state)
        assert everything.sandbox.count(writes=True) == writes
    assert all(
        a.status == "changed" for a in apply([everything.brand], everything.options).accounts
    )


def test_a_photo_that_never_became_the_cover_is_deleted(everything: World) -> None:
    everything.sandbox.add_fault(
        platform="facebook",
        method="POST",
        path=r"/v\d+\.\d+/\d+$",
        status=400,
        code=100,
        times=None,
    )
    result = apply([everything.brand], everything.options)
    fb = next(a for a in result.accounts if a.platform == "facebook")
    assert fb.status == "failed" and "invalid parameter" in fb.message
    photos = everything.sandbox.facebook.state.data["facebook"]["photos"]
    assert len(photos) == 0  # nothing orphaned: the uploaded cover photo was deleted again


def test_a_lost_answer_to_a_header_upload_leaves_one_file(everything: World) -> None:
    everything.sandbox.add_fault(
        platform="mailchimp", method="POST", path="/file-manager/files", truncate=True
    )
    result = apply([everything.brand], everything.options)
    assert all(a.status == "changed" for a in result.accounts), [a.message for a in result.accounts]
    files = everything.sandbox.mailchimp.state.data["mailchimp"]["files"]
    assert len(files) == 1


def test_ctrl_c_mid_apply_stops_new_writes_and_exits_130(tmp_path: Path) -> None:
    """A real SIGINT while accounts are being written (in a child process)."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        f"""
        import dataclasses, json, os, signal, threading
        from pathlib import Path
        from tests.sync.conftest import make_world
        from brandkit.sync import apply
        for world in make_world(Path({str(tmp_path)!r}), {sorted(ALL)!r}):
            world.sandbox.set_latency(0.05)
            options = dataclasses.replace(world.options, workers=1)
            def progress(line):
                if line.startswith("changed"):  # Ctrl-C as soon as one account is written
                    os.kill(os.getpid(), signal.SIGINT)
            result = apply([world.brand], dataclasses.replace(options, progress=progress))
            accounts = [[a.account, a.status, a.message] for a in result.accounts]
            print(json.dumps({{"code": result.exit_code(), "backup": str(result.backup),
                              "accounts": accounts}}))
        """
    )
    from tests.conftest import REPO

    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["code"] == 130
    statuses = sorted(status for _, status, _ in out["accounts"])
    assert statuses == ["changed", "failed", "failed"], out
    assert Path(out["backup"], "backup.json").is_file()


def test_kill_9_mid_apply_leaves_a_backup_that_restores(tmp_path: Path) -> None:
    """The process dies (SIGKILL) right after its first account is written: the backup of that
    account is on disk, listed in the index, and restore puts it back."""
    import signal
    import subprocess
    import sys
    import textwrap

    from tests.conftest import REPO

    script = textwrap.dedent(
        f"""
        import dataclasses, os, signal
        from pathlib import Path
        from tests.sync.conftest import make_world
        from brandkit.sync import apply
        for world in make_world(Path({str(tmp_path)!r}), {sorted(ALL)!r}):
            def progress(line):
                if line.startswith("changed"):
                    os.kill(os.getpid(), signal.SIGKILL)
            options = dataclasses.replace(world.options, workers=1, progress=progress)
            apply([world.brand], options)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, timeout=120
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    (backup,) = (tmp_path / ".brandkit" / "backups").iterdir()
    index = json.loads((backup / "backup.json").read_text())
    assert len(index["accounts"]) == 1
    platform, account = index["accounts"][0]
    # a new process, the same state folder
    import brandkit
    from brandkit.sandbox import Sandbox
    from brandkit.sync import SyncOptions
    from brandkit.sync.sandboxing import provision

    brand = brandkit.load(tmp_path / "northwind" / "brand.yaml")
    with Sandbox(state_dir=tmp_path / ".brandkit" / "sandbox") as sandbox:
        env = provision(sandbox, [brand])
        options = SyncOptions(
            env=env, state_dir=tmp_path / ".brandkit", retry=RetryPolicy(base=0.01, budget=5)
        )
        undone = restore(backup, [brand], options)
        assert [(a.platform, a.account, a.status) for a in undone.accounts] == [
            (platform, account, "changed")
        ]


def _slow(world: World) -> SyncOptions:
    """The client gives up after 1 s (BRANDKIT_HTTP_TIMEOUT)."""
    return dataclasses.replace(
        world.options, env={**world.options.env, "BRANDKIT_HTTP_TIMEOUT": "1"}
    )


def _templates(world: World) -> list[dict[str, t.Any]]:
    name = world.brand.account("northwind-news").options.template_name
    found = world.sandbox.mailchimp.state.data["mailchimp"]["templates"].values()
    return [tpl for tpl in found if tpl["name"] == name and tpl.get("active", True)]


def test_a_template_create_answered_after_the_timeout_leaves_one(everything: World) -> None:
    """#32: Mailchimp makes the template after the client gave up; brandkit looked for it
    before creating again, found nothing yet, and left two."""
    options = _slow(everything)
    everything.sandbox.add_fault(
        platform="mailchimp", method="POST", path="/templates$", latency=2.5
    )
    result = apply([everything.brand], options)
    news = next(a for a in result.accounts if a.platform == "mailchimp")
    assert news.status == "changed", news.message
    time.sleep(0.5)
    assert len(_templates(everything)) == 1
    assert plan([everything.brand], options).exit_code() == 0


def test_a_create_that_lands_after_the_run_is_made_one_by_the_next(everything: World) -> None:
    options = _slow(everything)
    everything.sandbox.add_fault(platform="mailchimp", method="POST", path="/templates$", latency=6)
    started = time.monotonic()
    apply([everything.brand], options)
    assert time.monotonic() - started < 5.5  # the run ended before the first create landed
    time.sleep(6.5 - (time.monotonic() - started))  # ... which it does now
    assert len(_templates(everything)) == 2
    drift = plan([everything.brand], options)
    said = [c.describe() for c in drift.changes]
    assert any("more of the same name" in s for s in said), said
    assert apply([everything.brand], options).exit_code() == 0
    assert len(_templates(everything)) == 1
    assert plan([everything.brand], options).exit_code() == 0


def test_a_header_upload_answered_after_the_timeout_leaves_one_file(everything: World) -> None:
    options = _slow(everything)
    everything.sandbox.add_fault(
        platform="mailchimp", method="POST", path="/file-manager/files", latency=2.5
    )
    result = apply([everything.brand], options)
    assert all(a.status == "changed" for a in result.accounts), [a.message for a in result.accounts]
    time.sleep(0.5)
    assert len(everything.sandbox.mailchimp.state.data["mailchimp"]["files"]) == 1


def test_a_photo_upload_answered_after_the_timeout_leaves_no_orphan(everything: World) -> None:
    """#32: a slow answer to a Page photo upload left an unpublished photo behind."""
    options = _slow(everything)
    everything.sandbox.add_fault(
        platform="facebook", method="POST", path=r"/\d+/photos$", latency=2.5
    )
    result = apply([everything.brand], options)
    fb = next(a for a in result.accounts if a.platform == "facebook")
    assert fb.status == "changed", fb.message
    assert "may have left" not in fb.message
    time.sleep(0.5)
    photos = everything.sandbox.facebook.state.data["facebook"]["photos"]
    assert len(photos) == 2  # the cover and the picture, once each


def test_a_photo_that_lands_after_it_was_uploaded_again_is_deleted(everything: World) -> None:
    options = _slow(everything)
    everything.sandbox.add_fault(
        platform="facebook", method="POST", path=r"/\d+/photos$", latency=4
    )
    result = apply([everything.brand], options)
    fb = next(a for a in result.accounts if a.platform == "facebook")
    assert fb.status == "changed", fb.message
    photos = everything.sandbox.facebook.state.data["facebook"]["photos"]
    assert len(photos) == 2, (fb.message, photos.keys())
    assert "that copy was deleted" in fb.message


def test_locks_are_private_beside_the_spec_and_never_followed(everything: World) -> None:
    """#32: the per-spec lock was a predictable /tmp file, opened through links, 0644."""
    import stat

    from brandkit.errors import BrandkitError
    from brandkit.sync.locks import apply_lock

    state = everything.options.state_dir
    with apply_lock(state, [str(everything.spec)]):
        locks = sorted(everything.spec.parent.glob(".brandkit/apply-*.lock"))
        assert len(locks) == 1
    for lock in [*locks, state / "apply.lock", state / "sandbox" / "state.lock"]:
        assert stat.S_IMODE(lock.stat().st_mode) == 0o600, lock
    # a link planted where the lock goes is refused, and its target left alone
    target = state / "precious.txt"
    target.write_text("keep me")
    locks[0].unlink()
    os.symlink(target, locks[0])
    with pytest.raises(BrandkitError, match="cannot open the lock file"):
        with apply_lock(state, [str(everything.spec)]):
            pass
    assert target.read_text() == "keep me"


def test_a_refused_sandbox_apply_changes_nothing(tmp_path: Path) -> None:
    """#32: the refused process's sandbox overwrote the remembered port, and the next check saw
    template drift (the header URL carries the port)."""
    import subprocess
    import sys

    from brandkit.cli import main
    from tests.conftest import REPO, copy_example

    copy_example("northwind", tmp_path / "northwind")
    spec = tmp_path / "northwind" / "brand.yaml"
    assert main(["apply", str(spec), "--sandbox", "--yes", "-q"]) == 0
    state = spec.parent / ".brandkit" / "sandbox" / "state.json"
    port = json.loads(state.read_text())["port"]
    code = (
        "import sys, time; from brandkit.sync.locks import apply_lock;"
        "from pathlib import Path; s = Path(sys.argv[1]);"
        "cm = apply_lock(s.parent / '.brandkit', [str(s)]); cm.__enter__();"
        "from brandkit.sandbox import Sandbox;"
        "sb = Sandbox(state_dir=s.parent / '.brandkit' / 'sandbox').start();"
        "print('ready', flush=True); time.sleep(30)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(spec)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        assert main(["apply", str(spec), "--sandbox", "--yes", "-q"]) == 1  # refused
        assert json.loads(state.read_text())["port"] == port  # nothing changed
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    assert main(["check", str(spec), "--sandbox", "-q"]) == 0

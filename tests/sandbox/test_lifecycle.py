from __future__ import annotations

import concurrent.futures
import json
import socket
import threading
import time
from pathlib import Path

import pytest
import tweepy

from brandkit.sandbox import Sandbox
from tests.sandbox.helpers import png, session, tweepy_api


def test_starts_in_well_under_a_second_and_stops_cleanly(tmp_path: Path) -> None:
    start = time.perf_counter()
    sandbox = Sandbox(state_dir=tmp_path).start()
    started = time.perf_counter() - start
    port = sandbox.port
    sandbox.stop()
    assert started < 1.0
    with socket.socket() as s:  # the port is free again
        s.bind(("127.0.0.1", port))


def test_state_persists_across_processes_sharing_a_folder(tmp_path: Path) -> None:
    import io

    with Sandbox(state_dir=tmp_path) as first:
        first.twitter.processing_delay = 0
        creds = first.add_twitter_account("acme", name="Acme")
        tweepy_api(first, creds).update_profile_banner("b.png", file=io.BytesIO(png((1500, 500))))
        port = first.port
    with Sandbox(state_dir=tmp_path) as second:
        user = tweepy_api(second, creds).verify_credentials()
        assert user.name == "Acme" and hasattr(user, "profile_banner_url")
        assert second.port == port  # the same port when free, so image URLs stay the same
        with session(second) as s:
            assert s.get(user.profile_banner_url + "/1500x500").status_code == 200


def test_many_requests_in_parallel() -> None:
    with Sandbox() as sb:
        sb.set_latency(0.2)
        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
            names = list(
                pool.map(
                    lambda _: (
                        tweepy_api(sb, sb.add_twitter_account("acme"))
                        .verify_credentials()
                        .screen_name
                    ),
                    range(20),
                )
            )
        assert names == ["acme"] * 20
        assert time.perf_counter() - start < 2.0  # 20 x 0.2 s served concurrently, not one by one


def test_http_control_endpoints() -> None:
    with Sandbox() as sb, session(sb) as s:
        api = tweepy_api(sb, sb.add_twitter_account("acme"))
        # they hand out every account's tokens: not to any local process
        refused = s.get(f"{sb.url}/_sandbox/state")
        assert refused.status_code == 401 and "X-Sandbox-Secret" in refused.json()["error"]
        assert s.get(f"{sb.url}/_sandbox/health").ok  # the health check stays open
        s.headers["X-Sandbox-Secret"] = sb.env()["BRANDKIT_SANDBOX_SECRET"]
        r = s.post(
            f"{sb.url}/_sandbox/faults", json={"platform": "twitter", "status": 503, "times": 1}
        )
        assert r.json()["status"] == 503
        assert s.post(f"{sb.url}/_sandbox/faults", json={"nonsense": 1}).status_code == 400
        with pytest.raises(tweepy.TwitterServerError):
            api.verify_credentials()
        log = s.get(f"{sb.url}/_sandbox/requests").json()
        assert log[-1]["status"] == 503 and log[-1]["platform"] == "twitter"
        s.delete(f"{sb.url}/_sandbox/requests")
        assert s.get(f"{sb.url}/_sandbox/requests").json() == []
        created = s.post(
            f"{sb.url}/_sandbox/accounts/facebook",
            json={"page_id": "77", "name": "P", "page_token": "t"},
        ).json()
        assert created["id"] == "77"
        assert s.post(f"{sb.url}/_sandbox/latency", json={"seconds": 0.01}).json() == {
            "latency": 0.01
        }


def test_pytest_plugin_fixture(brandkit_sandbox: Sandbox) -> None:
    assert brandkit_sandbox.url.startswith("https://127.0.0.1:")
    assert brandkit_sandbox.env()["BRANDKIT_CA_BUNDLE"] == str(brandkit_sandbox.ca_path)


def test_cli_prints_endpoints_env_and_test_accounts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from brandkit.cli import sandbox as command

    stop = threading.Event()
    args = argparse.Namespace(port=0, state=str(tmp_path), stop_event=stop)
    thread = threading.Thread(target=command.run, args=(args,))
    thread.start()
    deadline = time.time() + 5
    state = tmp_path / "state.json"
    while time.time() < deadline:  # seeded accounts are the last thing written before it waits
        if state.exists() and json.loads(state.read_text())["mailchimp"]["keys"]:
            break
        time.sleep(0.02)
    stop.set()
    thread.join(5)
    out = capsys.readouterr().out
    assert (
        "export BRANDKIT_CA_BUNDLE=" in out
        and "@brandkit_demo" in out
        and "page 100000000000001" in out
    )
    assert not thread.is_alive()


def test_two_sandboxes_on_one_folder_keep_each_others_changes(tmp_path: Path) -> None:
    import io

    first, second = Sandbox(state_dir=tmp_path), Sandbox(state_dir=tmp_path, port=0)
    with first:
        first.twitter.processing_delay = 0
        a = first.add_twitter_account("alpha")
        with Sandbox(state_dir=tmp_path) as other:  # another process on the same --state
            other.twitter.processing_delay = 0
            b = other.add_twitter_account("beta")
            tweepy_api(other, b).update_profile_banner("b.png", file=io.BytesIO(png((1500, 500))))
            assert other.ca_path.read_bytes() == first.ca_path.read_bytes()  # one CA for both
            assert other.env()["BRANDKIT_SANDBOX_SECRET"] == first.env()["BRANDKIT_SANDBOX_SECRET"]
        tweepy_api(first, a).update_profile(location="Rome")  # written after the other's change
    with second:
        users = {u["screen_name"]: u for u in second.state.read()["twitter"]["users"].values()}
        assert users["alpha"]["location"] == "Rome" and users["beta"]["banner"]  # nothing lost
        banner = tweepy_api(second, b).verify_credentials().profile_banner_url
        with session(second) as s:
            assert s.get(banner + "/1500x500").status_code == 200


def test_a_damaged_state_file_is_a_clear_error(tmp_path: Path) -> None:
    from brandkit.errors import SandboxError

    (tmp_path / "state.json").write_text("{not json")
    with pytest.raises(SandboxError, match=r"state.json is damaged .*delete the folder"):
        Sandbox(state_dir=tmp_path)

"""Mastodon's own rules, as its code states them (issue #26), held against brandkit's validate,
its adapter and the sandbox:

- the note's length: app/validators/note_length_validator.rb and its spec
  spec/validators/note_length_validator_spec.rb (mastodon/mastodon@03006bd): graphemes, every
  autolinkable http(s) URL as 23, a remote mention as its local part;
- the header: app/models/concerns/account/header.rb, ``pixels: HEADER_MAX_PIXELS`` (1500 x 500):
  shrunk to at most 750,000 pixels keeping its shape, never cropped; the avatar ``400x400#``;
- the account limits in ``/api/v2/instance`` ``configuration.accounts`` (Mastodon 4.6 and
  later; docs.joinmastodon.org entities/Instance), 30 / 500 / 4 / 255 before;
- a profile field with a value and a blank name is refused (422) [issue #26's reading of
  app/models/account.rb; not confirmed against a live server here].
"""

from __future__ import annotations

import io
import typing as t
from pathlib import Path

import pytest
import requests
import yaml
from PIL import Image

import brandkit
from brandkit.platforms.mastodon.adapter import MastodonAdapter
from brandkit.retry import RetryPolicy
from brandkit.sandbox import Sandbox
from brandkit.spec.text import measure
from brandkit.sync import SyncOptions, apply, plan
from brandkit.sync.sandboxing import provision
from tests.conftest import copy_example

LINK = "http://" + "b" * 30 + ".com/example"


# -- Mastodon's own test cases (maximum 100) ------------------------------------------------------
def test_mastodons_own_cases() -> None:
    assert measure("a" * 200, "mastodon") > 100
    assert measure(" ".join(["a" * 76, LINK]), "mastodon") <= 100  # space-separated: 23
    assert measure("a" * 76 + LINK, "mastodon") > 100  # not autolinked: counted in full
    assert measure("✨" * 100, "mastodon") == 100
    assert measure("🏳️‍⚧️" * 100, "mastodon") == 100  # a ZWJ sequence is one grapheme
    assert measure("@alice@" + "b" * 60 + ".social", "mastodon") == len("@alice")


def _spec(tmp_path: Path, bio: str) -> Path:
    folder = tmp_path / "northwind"
    copy_example("northwind", folder, dirs_exist_ok=True)
    spec = folder / "brand.yaml"
    data = yaml.safe_load(spec.read_text())
    data["identity"]["bio"].setdefault("platforms", {})["mastodon"] = bio
    data["accounts"] = [
        {
            "id": "northwind-masto",
            "platform": "mastodon",
            "instance": "https://mastodon.social",
            "credentials": {"access_token": "NORTHWIND_MASTODON_TOKEN"},
        }
    ]
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return spec


LONG_LINKS = "Roasted in Astoria. " + " ".join(
    f"https://northwind.example/{'origin-' * 12}{n}" for n in range(6)
)  # 580 code points, 162 as Mastodon counts
SHORT_LINKS = "Coffee " + " ".join(f"https://nw.co/{n}" for n in range(22)) + " " + "a" * 20


def test_validate_counts_the_note_as_mastodon_does(tmp_path: Path) -> None:
    assert len(LONG_LINKS) > 500 and measure(LONG_LINKS, "mastodon") < 500
    assert len(SHORT_LINKS) < 500 and measure(SHORT_LINKS, "mastodon") > 500
    accepted = brandkit.validate(_spec(tmp_path / "long", LONG_LINKS))
    assert not accepted.errors, accepted.errors
    refused = brandkit.validate(_spec(tmp_path / "short", SHORT_LINKS))
    (error,) = refused.errors
    assert "as Mastodon counts them (each link 23)" in error.message


@pytest.fixture
def world(tmp_path: Path) -> t.Iterator[tuple[brandkit.Brand, Sandbox, SyncOptions]]:
    brand = brandkit.load(_spec(tmp_path, LONG_LINKS))
    with Sandbox(state_dir=tmp_path / "sandbox") as sandbox:
        env = provision(sandbox, [brand])
        options = SyncOptions(
            env=env, state_dir=tmp_path / ".brandkit", retry=RetryPolicy(base=0.01, cap=0.05)
        )
        yield brand, sandbox, options


def _app(sandbox: Sandbox, options: SyncOptions) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.verify = options.env["BRANDKIT_CA_BUNDLE"]
    session.headers["Authorization"] = f"Bearer {options.env['NORTHWIND_MASTODON_TOKEN']}"
    return session


def test_a_note_longer_than_500_code_points_is_written_and_one_too_long_refused(
    world: tuple[brandkit.Brand, Sandbox, SyncOptions],
) -> None:
    brand, sandbox, options = world
    assert apply([brand], options).exit_code() == 0
    assert plan([brand], options).exit_code() == 0
    app = _app(sandbox, options)
    url = options.env["BRANDKIT_MASTODON_URL"] + "/api/v1/accounts/update_credentials"
    refused = app.patch(url, data={"note": SHORT_LINKS})
    assert refused.status_code == 422
    assert refused.json() == {
        "error": "Validation failed: Note is too long (maximum is 500 characters)"
    }


def test_a_field_with_a_value_and_no_name_is_refused(
    world: tuple[brandkit.Brand, Sandbox, SyncOptions],
) -> None:
    _, sandbox, options = world
    url = options.env["BRANDKIT_MASTODON_URL"] + "/api/v1/accounts/update_credentials"
    answer = _app(sandbox, options).patch(
        url,
        data={
            "fields_attributes[0][name]": " ",
            "fields_attributes[0][value]": "https://x.example",
        },
    )
    assert answer.status_code == 422 and "Fields name can't be blank" in answer.json()["error"]


def _image(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#6d1a36").save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("sent", "kept"),
    [((3000, 1000), (1500, 500)), ((1600, 900), (1154, 649)), ((1500, 500), (1500, 500))],
)
def test_the_header_is_shrunk_to_750000_pixels_keeping_its_shape(
    world: tuple[brandkit.Brand, Sandbox, SyncOptions],
    sent: tuple[int, int],
    kept: tuple[int, int],
) -> None:
    _, sandbox, options = world
    app = _app(sandbox, options)
    base = options.env["BRANDKIT_MASTODON_URL"]
    answer = app.patch(
        base + "/api/v1/accounts/update_credentials",
        files={"header": ("h.png", _image(sent)), "avatar": ("a.png", _image((900, 600)))},
    )
    assert answer.status_code == 200
    header = app.get(answer.json()["header"])
    avatar = app.get(answer.json()["avatar"])
    assert Image.open(io.BytesIO(header.content)).size == kept
    assert Image.open(io.BytesIO(avatar.content)).size == (400, 400)  # the avatar is cropped


def _limits(sandbox: Sandbox, options: SyncOptions, brand: brandkit.Brand) -> dict[str, int]:
    adapter = MastodonAdapter(brand.accounts[0], options.env, _endpoints(options))
    try:
        return adapter.limits()
    finally:
        adapter.close()


def _endpoints(options: SyncOptions) -> t.Any:
    from brandkit.adapters.base import Endpoints

    return Endpoints.from_env(options.env)


def test_the_instance_limits_are_read_from_46_and_defaulted_before(
    world: tuple[brandkit.Brand, Sandbox, SyncOptions],
) -> None:
    brand, sandbox, options = world
    app = _app(sandbox, options)
    instance = app.get(options.env["BRANDKIT_MASTODON_URL"] + "/api/v2/instance").json()
    assert instance["version"] == "4.3.0"
    assert "max_note_length" not in instance["configuration"]["accounts"]  # not before 4.6
    assert _limits(sandbox, options, brand)["max_note_length"] == 500
    sandbox.mastodon.version = "4.6.0"
    sandbox.mastodon.limits.update(max_note_length=1000, max_profile_fields=6)
    found = _limits(sandbox, options, brand)
    assert found["max_note_length"] == 1000 and found["max_profile_fields"] == 6
    assert found["max_display_name_length"] == 30


def test_an_instance_that_takes_less_is_told_before_writing(
    world: tuple[brandkit.Brand, Sandbox, SyncOptions],
) -> None:
    brand, sandbox, options = world
    sandbox.mastodon.version = "4.6.0"
    sandbox.mastodon.limits.update(max_note_length=100)
    sandbox.clear_requests()
    (account,) = plan([brand], options).accounts
    assert account.error and "this instance" in account.error and "at most 100" in account.error
    assert sandbox.count(writes=True) == 0

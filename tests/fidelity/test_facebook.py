"""The sandbox's Page node and the adapter's requests and error classes, held to Facebook's own
SDKs (tests/fidelity/data/)."""

from __future__ import annotations

import pytest

from brandkit.platforms.facebook import emulator_fields as facebook_fields
from brandkit.platforms.facebook.adapter import AUTH_SUBCODES, READ_FIELDS, THROTTLING, TRANSIENT
from tests.fidelity.conftest import evidence

PAGE = evidence("facebook_page_v25.json")
ERRORS = evidence("facebook_errors.json")


def test_the_sandbox_takes_exactly_the_sdks_page_fields() -> None:
    assert facebook_fields.READ_FIELDS == set(PAGE["read_fields"])
    assert facebook_fields.UPDATE_PARAMS == PAGE["update_params"]


def test_the_adapter_reads_and_writes_only_real_fields() -> None:
    top = {f.split("{")[0].split(".")[0] for f in _top_level(READ_FIELDS)}
    assert top <= set(PAGE["read_fields"]) | {"picture"}  # picture is an edge, read by expansion
    from brandkit.platforms.facebook.adapter import FacebookAdapter

    written = FacebookAdapter.SUPPORTS - {"picture", "cover"}
    assert written <= set(PAGE["update_params"]) and "cover" in PAGE["update_params"]
    assert PAGE["update_params"]["emails"] == "list<string>"  # sent as a JSON list


def _top_level(fields: str) -> list[str]:
    out, depth, current = [], 0, ""
    for ch in fields:
        depth += ch == "{"
        depth -= ch == "}"
        if ch == "," and depth == 0:
            out.append(current)
            current = ""
        else:
            current += ch
    return [*out, current]


@pytest.mark.parametrize("code", ERRORS["throttle_codes"])
def test_throttling_codes_are_retried(code: int) -> None:
    assert code in THROTTLING


@pytest.mark.parametrize("code", ERRORS["server_codes"])
def test_server_codes_are_retried(code: int) -> None:
    assert code in TRANSIENT


def test_token_subcodes_are_authentication_errors() -> None:
    assert set(ERRORS["authentication_subcodes"]) == set(AUTH_SUBCODES)

"""Files brandkit reads back (a saved plan, a backup, the sandbox's state) are untrusted: whatever
they hold, brandkit answers with its own errors, never a crash."""

from __future__ import annotations

import json
import tempfile
import typing as t
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from brandkit.errors import BrandkitError
from brandkit.sync.backup import read_backup, read_index
from brandkit.sync.model import Plan

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "format",
                    "accounts",
                    "changes",
                    "text",
                    "images",
                    "sha256",
                    "brand",
                    "platform",
                    "account",
                    "field",
                    "kind",
                    "after",
                    "before",
                    "live",
                    "specs",
                    "x",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=25,
)


@given(value=json_values)
def test_any_saved_plan_is_read_or_refused_cleanly(value: t.Any) -> None:
    from brandkit.cli.apply import _saved

    doc = {"format": "brandkit-plan/1", "accounts": value} if isinstance(value, list) else value
    with tempfile.TemporaryDirectory() as folder:  # one per example: no shared fixed path
        path = Path(folder) / "plan.json"
        path.write_text(json.dumps(doc))
        try:
            plan = _saved(str(path))
        except BrandkitError:
            return
    assert isinstance(plan, Plan)


# a backup profile shaped like the real one, each part replaced by anything
backup_profiles = json_values | st.fixed_dictionaries(
    {},
    optional={"text": json_values, "images": json_values, "sha256": json_values},
)


@given(profile=backup_profiles, index=json_values)
def test_any_backup_is_read_or_refused_cleanly(
    tmp_path_factory: t.Any, profile: t.Any, index: t.Any
) -> None:
    folder = tmp_path_factory.mktemp("backup")
    (folder / "backup.json").write_text(json.dumps(index))
    (folder / "twitter" / "acme").mkdir(parents=True)
    (folder / "twitter" / "acme" / "profile.json").write_text(json.dumps(profile))
    for read in (read_index, read_backup):
        try:
            read(folder)
        except BrandkitError:
            pass


@given(state=json_values)
def test_any_sandbox_state_is_used_or_refused_cleanly(
    tmp_path_factory: t.Any, state: t.Any
) -> None:
    from brandkit.sandbox import Sandbox

    folder = tmp_path_factory.mktemp("state")
    (folder / "state.json").write_text(json.dumps(state))
    try:
        Sandbox(state_dir=folder)
    except BrandkitError:
        pass

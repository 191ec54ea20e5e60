"""The changes that need --force."""

from __future__ import annotations

import pytest

from brandkit.sync.guards import similar_names, unsafe_reason


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Northwind Coffee", "Northwind Coffee Roasters"),  # one contains the other
        ("Northwind Coffee", "northwind  coffee"),  # case and spacing
        ("Ｎorthwind", "Northwind"),  # NFKC: full-width letters
        ("Lumen Studio", "Lumen Studios"),  # close enough
        ("", "Anything"),  # nothing to compare with
    ],
)
def test_similar_names(before: str, after: str) -> None:
    assert similar_names(before, after)
    assert unsafe_reason("name", "text", before, after) is None


def test_a_far_rename_needs_force() -> None:
    assert not similar_names("Totally Different Bakery", "Northwind Coffee")
    reason = unsafe_reason("name", "text", "Totally Different Bakery", "Northwind Coffee")
    assert reason == (
        "the display name would change from 'Totally Different Bakery' to 'Northwind Coffee', "
        "far enough to suggest the wrong account"
    )


@pytest.mark.parametrize("empty", ["", None, []])
def test_blanking_a_field_needs_force(empty: object) -> None:
    assert (
        unsafe_reason("location", "text", "Portland", empty)
        == "location would be blanked (was 'Portland')"
    )
    assert unsafe_reason("location", "text", "", empty) is None  # already empty: nothing lost


def test_ordinary_changes_are_safe() -> None:
    assert unsafe_reason("description", "text", "old bio", "new bio") is None
    assert unsafe_reason("avatar", "image", "https://x/a.png", "/tmp/a.png") is None
    assert unsafe_reason("name", "image", "A", "Z") is None

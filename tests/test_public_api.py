from __future__ import annotations

import brandkit


def test_public_api_is_sorted_and_complete() -> None:
    assert brandkit.__all__ == sorted(brandkit.__all__)
    for name in brandkit.__all__:
        assert hasattr(brandkit, name), name


def test_every_error_derives_from_one_root() -> None:
    for name in brandkit.__all__:
        obj = getattr(brandkit, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, brandkit.BrandkitError)

"""Compare an account's live state with the desired one, field by field.

Text is compared after stripping and NFC normalisation (and the adapter's own ``normalise``:
e.g. HTML whitespace). An image the platform still shows as brandkit uploaded it (``ledger.py``)
is in sync exactly when the spec renders the same bytes again; any other live image is fetched
once per URL (cached) and compared perceptually on the region every device shows. Each change
carries the reason it needs ``--force``, if any.
"""

from __future__ import annotations

import functools
import hashlib
import typing as t
import unicodedata

from PIL import Image

from brandkit.adapters.base import Adapter, Desired, LiveState
from brandkit.errors import RemoteError
from brandkit.i18n import msg
from brandkit.retry import RetryPolicy, call_with_retries
from brandkit.sync.cache import SyncCache
from brandkit.sync.compare import ImageDiff, compare_images
from brandkit.sync.guards import unsafe_reason
from brandkit.sync.ledger import Written
from brandkit.sync.model import Change, ImageChange, TextChange

__all__ = ["diff", "normalise"]


def normalise(field: str, value: t.Any) -> t.Any:
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value.strip())
        if field in ("url", "website"):
            value = value.rstrip("/")
    return value


def live_image(
    adapter: Adapter, url: str, cache: SyncCache, policy: RetryPolicy
) -> tuple[bytes, str]:
    """The live image at ``url`` (downloaded once, then from the cache) and where it is on disk."""
    data, path = cache.image(url, lambda: call_with_retries(lambda: adapter.fetch(url), policy))
    return data, str(path)


def diff(
    adapter: Adapter,
    live: LiveState,
    desired: Desired,
    cache: SyncCache,
    policy: RetryPolicy,
    written: t.Mapping[str, Written] | None = None,
    inputs: t.Mapping[str, t.Mapping[str, str]] | None = None,
) -> list[Change]:
    """The changes that make ``live`` what ``desired`` says. ``written``: what brandkit last
    uploaded to each image field (the ledger); ``inputs``: a digest of each input the desired
    images are drawn from, to say which moved."""
    where = (adapter.platform, adapter.account.id)
    changes: list[Change] = []
    for field, want in desired.text.items():
        have = live.text.get(field)
        if adapter.normalise(field, normalise(field, have)) != adapter.normalise(
            field, normalise(field, want)
        ):
            changes.append(
                TextChange(
                    *where,
                    field,
                    have,
                    want,
                    unsafe=unsafe_reason(field, "text", have, want),
                    by_hand=adapter.by_hand(field),
                )
            )
    for field, path in desired.images.items():
        url = live.images.get(field)
        if url is None:
            changes.append(
                ImageChange(
                    *where,
                    field,
                    None,
                    str(path),
                    new_image=str(path),
                    by_hand=adapter.by_hand(field),
                )
            )
            continue
        expected = path.read_bytes()
        ours = (written or {}).get(field)
        if ours is not None and ours.live == url:
            # the platform shows what brandkit uploaded: compare what the spec renders now with
            # those bytes, not with the platform's re-encoding of them
            if ours.sha256 == hashlib.sha256(expected).hexdigest():
                continue
            moved = ours.moved((inputs or {}).get(field, {}))
            how: str = msg(
                "the spec changed since the last apply: {parts}",
                parts=", ".join(moved) or msg("the image file"),
            )
            live_path = live_image(adapter, url, cache, policy)[1]
        else:
            box = desired.compare_boxes.get(field)
            result, live_path = _compare(adapter, field, url, expected, box, cache, policy)
            if result.same:
                continue
            how = result.describe()
        changes.append(
            ImageChange(
                *where,
                field,
                url,
                str(path),
                distance=how,
                live_image=live_path,
                new_image=str(path),
                by_hand=adapter.by_hand(field),
            )
        )
    return sorted(changes, key=Change.sort_key)


def _compare(
    adapter: Adapter,
    field: str,
    url: str,
    expected: bytes,
    box: tuple[int, int, int, int] | None,
    cache: SyncCache,
    policy: RetryPolicy,
) -> tuple[ImageDiff, str]:
    """Compare the live image with ``expected``. A cached copy that cannot be read (damaged, or a
    CDN error page saved as the image) is downloaded once more; if that cannot be read either,
    the account fails with the image named, never a traceback."""
    digest = hashlib.sha256(expected).hexdigest()
    for attempt in (1, 2):
        live_bytes, live_path = live_image(adapter, url, cache, policy)
        try:
            compare = functools.partial(compare_images, live_bytes, expected, box)
            return cache.comparison(url, digest, box, compare), live_path
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            cache.forget_image(url)
            if attempt == 2:
                raise RemoteError(
                    msg(
                        "the live image at {url} could not be read as an image ({error}); try "
                        "again later",
                        url=url,
                        error=type(exc).__name__,
                    ),
                    platform=adapter.platform,
                    account=adapter.account.id,
                    field=field,
                ) from None
    raise AssertionError("unreachable")

"""brandkit's own pHash gives the bits imagehash's (scipy DCT) gave, on recorded inputs."""

from __future__ import annotations

import json
from pathlib import Path

from brandkit.sync.phash import phash_of_pixels

DATA = json.loads((Path(__file__).parent / "data" / "phash_imagehash.json").read_text())


def test_every_recorded_hash_is_reproduced_bit_for_bit() -> None:
    assert len(DATA["cases"]) >= 50
    for case in DATA["cases"]:
        ours = phash_of_pixels(bytes.fromhex(case["pixels"]))
        assert f"{ours:016x}" == case["imagehash_phash"], case["label"]

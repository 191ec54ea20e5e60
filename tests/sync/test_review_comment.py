"""``brandkit plan --format markdown`` (issue #31, item 1): a pull request's review comment
with the hidden marker, the changed words, the live and new banners as thumbnails written
beside it, what needs --force and what is by hand, escaped, within GitHub's 65,536
characters."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from PIL import Image

from brandkit.cli import main
from brandkit.reports.review import LIMIT, MARKER
from tests.conftest import copy_example


def test_a_new_tagline_shows_new_banners_beside_the_old_and_the_changed_bios(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_example("northwind", tmp_path / "nw")
    spec = tmp_path / "nw" / "brand.yaml"
    monkeypatch.chdir(tmp_path)
    assert main(["apply", str(spec), "--sandbox", "--yes", "-q"]) == 0
    data = yaml.safe_load(spec.read_text())
    data["identity"]["tagline"] = "Small-batch coffee, roasted by the *sea* | <b>"
    data["identity"]["bio"]["short"] = (
        data["identity"]["bio"]["short"]
        .replace("Oregon", "Pacific")
        .replace("coast.", "coast <b>|")
    )
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    capsys.readouterr()
    code = main(["plan", str(spec), "--sandbox", "--format", "markdown", "--thumbnails", "thumbs"])
    comment = capsys.readouterr().out
    assert code == 0 and comment.startswith(MARKER + "\n### brandkit plan: ")
    assert len(comment) <= LIMIT
    # the bio: only the changed word, marked
    assert "~~Oregon~~ **Pacific**" in comment
    # every banner: the live one beside the new one, both as thumbnails that exist
    for account in (
        "twitter:northwind-x",
        "youtube:northwind-youtube",
        "discord:northwind-discord",
    ):
        section = comment.split(f"#### {account}")[1].split("\n#### ")[0]
        assert "![live](thumbs/" in section and "![new](thumbs/" in section, section
    names = [
        line.split("](thumbs/")[1].split(")")[0]
        for line in comment.splitlines()
        if "](thumbs/" in line
    ]
    for name in names:
        with Image.open(tmp_path / "thumbs" / name) as image:
            assert max(image.size) <= 320
    # by hand where no API can (LinkedIn's cover shows the tagline too)
    assert "✋ cover: change by hand" in comment
    # the spec's text cannot inject HTML or break the table
    assert "<b>" not in comment and "\\<b\\>" in comment and "\\|" in comment

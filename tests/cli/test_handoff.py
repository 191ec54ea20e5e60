"""``brandkit handoff``: the page a person follows where no API can write (issue #29), in the
brand's language, opened in Chromium; in the sandbox, the person's part is played so that the
next check is in sync."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from PIL import Image

from brandkit.cli import main
from brandkit.sandbox import Sandbox
from tests.conftest import copy_example


def test_the_page_names_every_field_to_change_and_opens_in_chromium(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_example("northwind", tmp_path / "nw")
    spec = tmp_path / "nw" / "brand.yaml"
    data = yaml.safe_load(spec.read_text())
    data["identity"]["language"] = "fr"
    data["identity"]["name"] = "Northwind <Café> & Co"
    data["accounts"] = [a for a in data["accounts"] if a["platform"] in ("github", "telegram")]
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert main(["apply", str(spec), "--sandbox", "--yes", "-q"]) == 0
    assert main(["check", str(spec), "--sandbox", "-q"]) == 0
    # someone changes the organization's picture on github.com: no API can put it back
    with Sandbox(state_dir=tmp_path / "nw" / ".brandkit" / "sandbox") as sandbox:
        other = io.BytesIO()
        Image.new("RGB", (500, 500), (220, 40, 40)).save(other, "PNG")
        sandbox.github.upload_avatar("northwind-coffee", other.getvalue())
    assert main(["check", str(spec), "--sandbox", "-q"]) == 2
    out = tmp_path / "handoff"
    assert main(["handoff", str(spec), "--sandbox", "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert "1 field(s) to change by hand" in said and "sandbox: changed github" in said
    page = (out / "index.html").read_text()
    assert '<html lang="fr">' in page and "Ce qu’il faut changer à la main" in page
    assert "Northwind &lt;Café&gt; &amp; Co" in page and "<Café>" not in page
    link = "https://github.com/organizations/northwind-coffee/settings/profile"
    assert f'<a href="{link}">' in page
    (image,) = (out / "files").iterdir()
    assert image.name == "github-northwind-github-avatar.png" and image.stat().st_size > 1000
    assert f'src="files/{image.name}"' in page
    assert "telegram" not in page.lower()  # the bot wrote everything there
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "the hand-off test opens the page in Chromium: apt-get install chromium"
    seen = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--dump-dom",
            image.parent.parent.joinpath("index.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert "avatar" in seen.stdout and link in seen.stdout, seen.stderr
    # what the page asked is done (in the sandbox, by the person's stand-in): in sync
    assert main(["check", str(spec), "--sandbox", "-q"]) == 0

"""The agency's Monday report (#30, item 1): `brandkit report brands/ --agency` over a folder of
brands on the sandbox: per client and across clients, the audience, on-brand or not; --client
narrows it; a client's name from a spec is escaped in HTML and Markdown; the brand's words in
French with --lang fr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from brandkit.cli import main
from tests.audience.test_shards import _agency


def test_every_client_on_one_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _agency(tmp_path / "brands")
    spec = tmp_path / "brands" / "initech" / "brand-6" / "brand.yaml"
    data = yaml.safe_load(spec.read_text())
    data["identity"]["client"] = "<b>Initech</b> & | Co"  # the spec's word beats the folder
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    monkeypatch.chdir(tmp_path)
    assert main(["apply", "brands", "--sandbox", "--yes", "-q", "--client", "acme"]) == 0
    capsys.readouterr()
    assert main(["report", "brands", "--sandbox", "-q", "--agency", "--format", "json"]) == 0
    overview = json.loads(capsys.readouterr().out)
    clients = {c["client"]: c["total"] for c in overview["clients"]}
    assert list(clients) == ["<b>Initech</b> & | Co", "acme", "globex"]
    assert clients["acme"]["accounts"] == 6 and clients["acme"]["on_brand"] == 6
    assert clients["globex"]["drifted"] == 4 and clients["globex"]["on_brand"] == 0
    assert overview["total"]["accounts"] == 12
    assert overview["total"]["audience"] == sum(c["audience"] for c in clients.values()) > 0
    acme = next(c for c in overview["clients"] if c["client"] == "acme")
    assert [b["name"] for b in acme["brands"]] == ["Brand 1", "Brand 2", "Brand 3"]

    assert main(["report", "brands", "--sandbox", "-q", "--agency", "-o", "agency.html"]) == 0
    page = (tmp_path / "agency.html").read_text()
    assert "&lt;b&gt;Initech&lt;/b&gt; &amp; | Co" in page and "<b>Initech" not in page
    capsys.readouterr()
    assert main(["report", "brands", "--sandbox", "-q", "--agency", "--format", "md"]) == 0
    markdown = capsys.readouterr().out
    assert "\\<b\\>Initech\\</b\\> & \\| Co" in markdown
    assert "| **All clients** | 12 |" in markdown

    capsys.readouterr()
    code = main(
        ["report", "brands", "--sandbox", "-q", "--agency", "--format", "md", "--client", "globex"]
        + ["--lang", "fr"]
    )
    assert code == 0
    only = capsys.readouterr().out
    assert "Tous les clients cette semaine" in only and "| globex | 4 |" in only
    assert "acme" not in only and "Initech" not in only

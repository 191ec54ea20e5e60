"""Every spec in invalid/ is reported with exactly the messages in its .expected file."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandkit.cli import main

CORPUS = Path(__file__).parent / "invalid"
CASES = sorted(p.stem for p in CORPUS.glob("*.yaml"))


@pytest.mark.parametrize("case", CASES)
def test_invalid_spec_reports_exact_messages(
    case: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(CORPUS)
    expected = (CORPUS / f"{case}.expected").read_text(encoding="utf-8")
    code = main(["validate", f"{case}.yaml"])
    out = capsys.readouterr().out
    assert out == expected
    # only warnings (low contrast) pass; everything else in the corpus fails
    assert code == (0 if "0 errors" in expected else 1)

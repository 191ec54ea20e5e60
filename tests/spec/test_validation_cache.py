"""A spec that passed every check has its verdict read back (the schema and the render probes
are not run again) while nothing it depends on moved: its bytes, every file it refers to,
brandkit. Entries are JSON; anything in doubt is checked in full."""

from __future__ import annotations

from pathlib import Path

import pytest

import brandkit
from tests.conftest import REPO, copy_example, run_python

PROBE = (
    "import sys, brandkit\n"
    "result = brandkit.validate(sys.argv[1])\n"
    "probed = 'brandkit.rendering.preflight' in sys.modules\n"
    "print(probed, len(result.errors), len(result.warnings))\n"
    "for issue in result.issues:\n"
    "    print(issue.format())\n"
)


def _validate(spec: Path, cache: Path | str) -> tuple[str, str]:
    head, _, issues = run_python(PROBE, str(spec), BRANDKIT_CACHE=str(cache)).partition("\n")
    return head, issues


@pytest.fixture
def lumiere(tmp_path: Path) -> Path:
    copy_example("lumiere", tmp_path / "lumiere")
    return tmp_path / "lumiere" / "brand.yaml"


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "verdicts").glob("*"))


def test_a_passed_spec_is_read_back_with_its_warnings(lumiere: Path, tmp_path: Path) -> None:
    spec = lumiere
    # a warning to keep: a language brandkit has no newsletter words for
    spec.write_text(spec.read_text(encoding="utf-8").replace("language: fr", "language: sw-KE"))
    cache = tmp_path / "cache"
    first, said = _validate(spec, cache)
    assert first == "True 0 1" and "sw-KE" in said  # checked: the render probes ran
    assert len(_entries(cache)) == 1
    again, said_again = _validate(spec, cache)
    assert again == "False 0 1"  # read back: no probe
    assert said_again == said  # the same warning at the same position


def test_a_changed_logo_is_checked_again(lumiere: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _validate(lumiere, cache)[0] == "True 0 0"
    assert _validate(lumiere, cache)[0] == "False 0 0"
    logo = next((lumiere.parent / "logos").glob("*.svg"))
    logo.write_text("<svg><not-closed>", encoding="utf-8")  # same name, new bytes
    head, said = _validate(lumiere, cache)
    assert head.split()[1] == "1" and "not valid SVG" in said  # checked, and refused


def test_a_changed_spec_is_checked_again_and_errors_are_never_kept(
    lumiere: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    _validate(lumiere, cache)
    text = lumiere.read_text(encoding="utf-8")
    lumiere.write_text(text.replace("primary:", "primary: '#12345'\n  old_primary:", 1))
    for _ in range(2):  # refused both times, never from the cache
        head, said = _validate(lumiere, cache)
        assert head.split()[1] != "0", said
    assert len(_entries(cache)) == 1  # only the good version's entry


def test_an_entry_others_could_write_or_a_damaged_one_is_not_trusted(
    lumiere: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    _validate(lumiere, cache)
    (entry,) = _entries(cache)
    entry.chmod(0o666)  # anyone could have written it
    assert _validate(lumiere, cache)[0] == "True 0 0"
    entry.chmod(0o600)
    entry.write_bytes(b"not JSON")  # damaged: a miss, then written again
    assert _validate(lumiere, cache)[0] == "True 0 0"
    assert _validate(lumiere, cache)[0] == "False 0 0"


def test_load_and_the_render_command_read_back_too(lumiere: Path, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    load = "import sys, brandkit\nbrandkit.load(sys.argv[1])\nprint('jsonschema' in sys.modules)\n"
    assert [run_python(load, str(lumiere), BRANDKIT_CACHE=cache).strip() for _ in range(2)] == [
        "True",
        "False",
    ]
    render = (
        "import sys\nfrom brandkit.cli import main\n"
        "main(['render', sys.argv[1], '-o', sys.argv[2], '--force'])\n"
        "print('brandkit.rendering.preflight' in sys.modules, 'jsonschema' in sys.modules)\n"
    )
    out = str(tmp_path / "out")
    first, again = (
        run_python(render, str(lumiere), out, BRANDKIT_CACHE=cache).splitlines() for _ in range(2)
    )
    # the command checks with the render checks: its own entry, made once, then read back
    assert first[-1] == "True False" and again[-1] == "False False"  # (load passed the schema)
    assert " rendered, 0 unchanged" in again[-2]


def test_the_cache_can_be_turned_off(lumiere: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    for _ in range(2):  # checked in full both times, nothing written anywhere
        head, _ = _validate(lumiere, "off")
        assert head == "True 0 0"
    assert not home.exists() and not (REPO / "off").exists()


def test_the_oldest_entries_go_beyond_the_limit(
    lumiere: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brandkit import cache
    from brandkit.spec import verdicts

    monkeypatch.setenv("BRANDKIT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "KEEP", 2)
    text = lumiere.read_text(encoding="utf-8")
    for n in range(4):  # four versions of the spec, each passing: four entries made
        lumiere.write_text(text + f"\n# edit {n}\n", encoding="utf-8")
        assert brandkit.validate(lumiere, render_checks=False).ok
    assert len(_entries(tmp_path / "cache")) == 2
    assert verdicts.recall(lumiere, (False, False)) is not None  # the newest is among them


def test_an_entry_is_json_and_a_pickle_is_never_read(lumiere: Path, tmp_path: Path) -> None:
    """#28: a cache restored from elsewhere (another branch's CI cache) must not run code."""
    import json
    import pickle

    cache = tmp_path / "cache"
    _validate(lumiere, cache)
    (entry,) = _entries(cache)
    kept = json.loads(entry.read_bytes())
    assert set(kept) == {"files", "issues"}
    marker = tmp_path / "ran"
    entry.write_bytes(pickle.dumps(_Boom(str(marker))))
    assert _validate(lumiere, cache)[0] == "True 0 0"  # a miss, checked in full
    assert not marker.exists()


class _Boom:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, ...]:
        return (open, (self.path, "w"))

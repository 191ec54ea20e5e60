"""Assemble what editors and brandkit read in one piece from each platform's folder.

    python tools/platforms.py split    # once: cut the assembled files into the folders
    python tools/platforms.py build    # write schemas/platforms.json, the account branches of
                                       # schemas/brand.schema.json and docs/platforms.md
    python tools/platforms.py check    # exit 1 if the committed files differ from the folders

A platform's folder, ``brandkit/platforms/<name>/``, holds ``platform.json`` (``platform``: its
entry in schemas/platforms.json; ``targets``: its render targets; ``account``: the ``then`` of
its branch in brand.schema.json, its settings and credential roles) and ``platforms.md`` (its
section of docs/platforms.md). Targets that belong to no account platform are in
``brandkit/platforms/targets.json``; docs/platforms.md's head and tail in ``docs/platforms/``.
The order is the registry's (brandkit/platforms/registry.py ``NAMES``).
"""

from __future__ import annotations

import copy
import json
import sys
import typing as t
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from brandkit.platforms.registry import NAMES  # noqa: E402

FOLDERS = REPO / "brandkit" / "platforms"
PLATFORMS_JSON = REPO / "schemas" / "platforms.json"
BRAND_SCHEMA = REPO / "schemas" / "brand.schema.json"
DOCS = REPO / "docs" / "platforms.md"
DOC_PARTS = REPO / "docs" / "platforms"


def _dump(value: t.Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def _branches(schema: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    return list(schema["$defs"]["account"]["allOf"])


def _platform_of(branch: dict[str, t.Any]) -> str | None:
    const = branch.get("if", {}).get("properties", {}).get("platform", {}).get("const")
    return const if isinstance(const, str) else None


def _doc_sections(text: str) -> tuple[str, dict[str, str], str]:
    """docs/platforms.md cut at its level-2 headings: the head, each platform's section (by
    the registry name its heading starts with), the rest."""
    parts = text.split("\n## ")
    head, sections = parts[0], parts[1:]
    names = {"twitter": "Twitter/X", "facebook": "Facebook", "mailchimp": "Mailchimp"}
    by_name: dict[str, str] = {}
    rest: list[str] = []
    for section in sections:
        owner = next(
            (
                n
                for n in NAMES
                if section.startswith(names.get(n, n.capitalize()))
                and not section.startswith("Audience")
            ),
            None,
        )
        if owner is not None and owner not in by_name:
            by_name[owner] = "## " + section.rstrip("\n") + "\n"
        else:
            rest.append("## " + section.rstrip("\n") + "\n")
    return head.rstrip("\n") + "\n", by_name, "\n".join(rest)


def split() -> None:
    data = json.loads(PLATFORMS_JSON.read_text())
    schema = json.loads(BRAND_SCHEMA.read_text())
    branches = {_platform_of(b): b for b in _branches(schema)}
    head, sections, tail = _doc_sections(DOCS.read_text())
    for name in NAMES:
        folder = FOLDERS / name
        targets = {k: v for k, v in data["targets"].items() if v.get("platform") == name}
        part = {
            "platform": data["platforms"][name],
            "targets": targets,
            "account": branches[name]["then"],
        }
        (folder / "platform.json").write_text(_dump(part))
        (folder / "platforms.md").write_text(sections[name])
    owned = {k for k, v in data["targets"].items() if v.get("platform") in NAMES}
    shared = {k: v for k, v in data["targets"].items() if k not in owned}
    (FOLDERS / "targets.json").write_text(_dump(shared))
    DOC_PARTS.mkdir(exist_ok=True)
    (DOC_PARTS / "head.md").write_text(head)
    (DOC_PARTS / "tail.md").write_text(tail)


def assembled() -> dict[Path, str]:
    """Each assembled file's text, made from the folders."""
    data = json.loads(PLATFORMS_JSON.read_text())
    schema = json.loads(BRAND_SCHEMA.read_text())
    parts = {n: json.loads((FOLDERS / n / "platform.json").read_text()) for n in NAMES}
    platforms = copy.deepcopy(data)
    platforms["platforms"] = {n: parts[n]["platform"] for n in NAMES}
    targets: dict[str, t.Any] = {}
    for name in NAMES:
        targets.update(parts[name]["targets"])
    targets.update(json.loads((FOLDERS / "targets.json").read_text()))
    platforms["targets"] = targets
    brand = copy.deepcopy(schema)
    account = brand["$defs"]["account"]
    account["properties"]["platform"]["enum"] = list(NAMES)
    bio = brand["$defs"]["identity"]["properties"]["bio"]["properties"]["platforms"]
    bio["propertyNames"]["enum"] = list(NAMES)
    others = [b for b in account["allOf"] if _platform_of(b) is None]
    account["allOf"] = [
        {
            "if": {"properties": {"platform": {"const": n}}, "required": ["platform"]},
            "then": parts[n]["account"],
        }
        for n in NAMES
    ] + others
    docs = "\n".join(
        [(DOC_PARTS / "head.md").read_text()]
        + [(FOLDERS / n / "platforms.md").read_text() for n in NAMES]
        + [(DOC_PARTS / "tail.md").read_text()]
    )
    return {PLATFORMS_JSON: _dump(platforms), BRAND_SCHEMA: _dump(brand), DOCS: docs}


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "split":
        split()
        return 0
    files = assembled()
    if command == "build":
        for path, text in files.items():
            path.write_text(text)
        return 0
    stale = [str(p.relative_to(REPO)) for p, text in files.items() if p.read_text() != text]
    if stale:
        print("not assembled from brandkit/platforms/: " + ", ".join(stale))
        print("run: python tools/platforms.py build")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

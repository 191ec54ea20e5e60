"""Every list of platforms agrees with the registry (#28): one folder and one line per platform,
and nothing elsewhere that could forget one. And brandkit's own modules import each other
without a cycle."""

from __future__ import annotations

import ast
import dataclasses
import json
import subprocess
import sys
from pathlib import Path

from brandkit import platforms
from brandkit.platforms import registry
from tests.conftest import REPO

PACKAGE = REPO / "brandkit"


def test_every_registry_names_the_same_platforms() -> None:
    names = set(registry.NAMES)
    schema = json.loads((REPO / "schemas" / "brand.schema.json").read_text())
    account = schema["$defs"]["account"]
    assert set(account["properties"]["platform"]["enum"]) == names
    branches = {
        branch["if"]["properties"]["platform"]["const"]
        for branch in account.get("allOf", [])
        if "platform" in branch.get("if", {}).get("properties", {})
    }
    assert branches == names  # one if/then branch each: its settings and credentials
    assert set(platforms.all_platforms()) == names  # schemas/platforms.json
    assert set(registry.ADAPTERS) == names
    assert {cls.platform for cls in registry.ADAPTERS.values()} == names
    assert {api.platform for api in registry.emulators()} == names
    folders = {p.name for p in (PACKAGE / "platforms").iterdir() if (p / "adapter.py").is_file()}
    assert folders == names
    for name in names:
        assert registry.ADAPTERS[name].FIGURES, name  # stats and the report have its figures


def test_the_assembled_files_are_made_from_the_platform_folders() -> None:
    """schemas/platforms.json, the account branches of schemas/brand.schema.json and
    docs/platforms.md are assembled from brandkit/platforms/<name>/ (tools/platforms.py)."""
    checked = subprocess.run(
        [sys.executable, str(REPO / "tools" / "platforms.py"), "check"],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_each_platforms_typed_settings_are_its_schema_branch() -> None:
    """An account's settings are a typed class per platform (settings.py), built when the spec
    is loaded: the same fields as its brand.schema.json branch, required where it requires."""
    common = {"id", "platform", "overrides", "credentials"}
    for name in registry.NAMES:
        branch = json.loads((PACKAGE / "platforms" / name / "platform.json").read_text())["account"]
        fields = {f.name: f for f in dataclasses.fields(platforms.settings_class(name))}
        assert set(fields) == set(branch["properties"]) - common, name
        required = {n for n, f in fields.items() if f.default is dataclasses.MISSING}
        assert required == set(branch.get("required", [])) - common, name


def test_supports_names_text_fields_and_images_alike() -> None:
    """SUPPORTS is every field an adapter reads and writes: its text fields and its images as
    schemas/platforms.json names them (X listed its images, Mastodon and Bluesky did not), and
    what it computes itself (Mailchimp's compiled template)."""
    for name, adapter in registry.ADAPTERS.items():
        info = platforms.platform(name)
        # a text entry read only from the account's own setting of that name is a setting whose
        # length validate checks (Mailchimp's template_name), not a profile field
        settings = {f.name for f in info.text if tuple(f.sources) == (f"account.{f.name}",)}
        declared = {f.name for f in info.text} - settings | set(info.image_targets)
        assert declared <= adapter.SUPPORTS, (name, declared - adapter.SUPPORTS)


def _imports(path: Path, module: str, modules: set[str]) -> set[str]:
    """brandkit modules ``path`` imports when it is imported: top-level statements, and those
    under ``if``/``try`` at the top level (not inside functions, not for type checking only)."""
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If):
                test = ast.unparse(node.test)
                if "TYPE_CHECKING" not in test:
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("brandkit"))
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
                if base.startswith("brandkit"):
                    for alias in node.names:  # a submodule, or a name from the module itself
                        sub = f"{base}.{alias.name}"
                        found.add(sub if sub in modules else base)

    visit(tree.body)
    return found


def test_the_import_graph_has_no_cycle() -> None:
    modules: dict[str, Path] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    graph = {
        name: {m for m in _imports(path, name, set(modules)) if m in modules and m != name}
        for name, path in modules.items()
    }
    seen: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def walk(node: str) -> None:
        seen[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if seen.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in seen:
                walk(nxt)
        stack.pop()
        seen[node] = 2

    for node in sorted(graph):
        if node not in seen:
            walk(node)
    assert cycles == [], "\n".join(" -> ".join(c) for c in cycles[:10])

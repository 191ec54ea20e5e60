"""brandkit's message catalogues: extract, update, compile (Babel does the work).

    python tools/i18n.py extract    # brandkit/locale/<domain>.pot from the code and schemas
    python tools/i18n.py update     # merge the .pot into every language's .po
    python tools/i18n.py compile    # .po -> .mo (the files brandkit reads at run time), and
                                    # brandkit/locale/countries.json (CLDR's country names)

Run all three after changing a message; tests/test_i18n.py fails while a catalogue is behind.
docs/i18n.md says how to add a language.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parents[1]
LOCALE = REPO / "brandkit" / "locale"
KEYWORDS = {"_": None, "N_": None, "msg": (1,), "ngettext": (1, 2)}
# what the audience reads (the newsletter's own words) is its own domain: it follows the
# brand's language, not the person's running brandkit
AUDIENCE_FILES = ("brandkit/newsletter_words.py",)


def _json_messages() -> list[tuple[str, str]]:
    """Messages that live in the schemas: x-brandkit-message, and platforms' "requires" reasons."""
    found: list[tuple[str, str]] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "x-brandkit-message" and isinstance(value, str):
                    found.append((value, where))
                elif key == "requires" and isinstance(value, dict):
                    found.extend((w, where) for w in value.values() if isinstance(w, str))
                else:
                    walk(value, where)
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    for name in ("brand.schema.json", "platforms.json"):
        walk(json.loads((REPO / "schemas" / name).read_text(encoding="utf-8")), f"schemas/{name}")
    return found


def templates() -> dict[str, Catalog]:
    catalogs = {
        "brandkit": Catalog(project="brandkit", fuzzy=False),
        "audience": Catalog(project="brandkit", fuzzy=False),
    }
    # Babel says so for every f-string passed as a value (not as a message): that is fine here
    with contextlib.redirect_stderr(io.StringIO()):
        found = list(
            extract_from_dir(
                str(REPO / "brandkit"), keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
            )
        )
    for filename, lineno, message, comments, _context in found:
        path = f"brandkit/{filename}"
        domain = "audience" if path in AUDIENCE_FILES else "brandkit"
        catalogs[domain].add(message, locations=[(path, lineno)], auto_comments=comments)
    for message, where in _json_messages():
        catalogs["brandkit"].add(message, locations=[(where, 0)])
    for message in catalogs["brandkit"]:  # str.format placeholders, for translators and checks
        if message.id and "{" in str(message.id):
            message.flags.add("python-brace-format")
    return catalogs


def _po(domain: str, language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{domain}.po"


def extract() -> None:
    for domain, catalog in templates().items():
        with (LOCALE / f"{domain}.pot").open("wb") as out:
            write_po(out, catalog, width=100, omit_header=True, sort_output=True)


def update() -> None:
    for domain, template in templates().items():
        for folder in sorted(p for p in LOCALE.iterdir() if p.is_dir()):
            path = _po(domain, folder.name)
            if path.exists():
                with path.open("rb") as fh:
                    catalog = read_po(fh, locale=folder.name)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                catalog = Catalog(locale=folder.name, project="brandkit", fuzzy=False)
            catalog.update(template, no_fuzzy_matching=True)
            buffer = io.BytesIO()
            write_po(
                buffer,
                catalog,
                width=100,
                omit_header=False,
                sort_output=True,
                ignore_obsolete=True,
            )
            path.write_bytes(buffer.getvalue())


def compile_all() -> None:
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=po.parts[-3])
        with po.with_suffix(".mo").open("wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
    names = json.dumps(country_names(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    (LOCALE / "countries.json").write_text(names + "\n", encoding="utf-8")


def country_names() -> dict[str, object]:
    """CLDR's country names (Babel's data) in brandkit's languages and their regional variants:
    what a newsletter preview names the country with, without loading Babel's whole locale
    (~50 ms). Variants hold only the names that differ from their language's."""
    from babel import Locale, localedata

    sys.path.insert(0, str(REPO))
    from brandkit.i18n import LANGUAGES

    names: dict[str, dict[str, str]] = {}
    variants: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        base = dict(Locale.parse(language).territories)
        names[language] = base
        for ident in sorted(localedata.locale_identifiers()):
            if ident.split("_")[0] != language or ident == language:
                continue
            own = dict(Locale.parse(ident).territories)
            delta = {k: v for k, v in own.items() if base.get(k) != v}
            if {**base, **delta} == own:  # not a script variant (en_Dsrt) that drops names
                variants[ident] = delta
    import babel

    return {"babel": babel.__version__, "names": names, "variants": variants}


if __name__ == "__main__":
    commands = {"extract": extract, "update": update, "compile": compile_all}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]]()

"""brandkit in French (and any language): complete catalogues whose placeholders match, kept up
to date with the code, the same positions in every language, machine formats in English, and the
brand's language in what its audience reads (newsletter words, address, Mailchimp's language,
the audience report)."""

from __future__ import annotations

import gettext
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from brandkit.i18n import LOCALE_DIR, localize, msg, use_language
from tests.conftest import EXAMPLES, REPO, copy_example

sys.path.insert(0, str(REPO / "tools"))
import i18n as tooling  # noqa: E402  (the repository's catalogue tool)

INVALID = REPO / "tests" / "spec" / "invalid"
FIELDS = re.compile(r"\{(\w*)[^{}]*\}")


def _catalogue(domain: str, language: str = "fr") -> list[tuple[object, object]]:
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po").open("rb") as fh:
        return [(m.id, m.string) for m in read_po(fh) if m.id]


@pytest.mark.parametrize("domain", ["brandkit", "audience"])
def test_every_message_has_a_french_translation_with_the_same_placeholders(domain: str) -> None:
    entries = _catalogue(domain)
    assert len(entries) > (150 if domain == "brandkit" else 7)
    for msgid, string in entries:
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        strings = string if isinstance(string, tuple) else (string,)
        assert all(strings), f"untranslated: {msgid!r}"
        for source, translated in zip(ids, strings, strict=False):
            assert sorted(FIELDS.findall(str(source))) == sorted(FIELDS.findall(str(translated))), (
                source,
                translated,
            )


def test_the_catalogues_hold_every_message_of_the_code() -> None:
    """A message added to the code without running tools/i18n.py fails here."""
    for domain, template in tooling.templates().items():
        in_code = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
        in_po = {i if isinstance(i, str) else i[0] for i, _ in _catalogue(domain)}  # type: ignore[index]
        assert in_code - in_po == set(), f"run tools/i18n.py extract, update, compile ({domain})"


def test_the_compiled_catalogues_match_their_sources() -> None:
    for po in LOCALE_DIR.glob("*/LC_MESSAGES/*.po"):
        with po.open("rb") as fh:
            expected = {m.id: m.string for m in read_po(fh) if m.id and isinstance(m.id, str)}
        with po.with_suffix(".mo").open("rb") as fh:
            compiled = gettext.GNUTranslations(fh)
        for msgid, string in expected.items():
            assert compiled.gettext(msgid) == string, f"{po.name}: run tools/i18n.py compile"


def test_the_shipped_country_names_are_babels() -> None:
    """brandkit/locale/countries.json (read instead of Babel's whole locale data) says what Babel
    says for every tag it covers, and Babel answers for the tags it does not."""
    from babel import Locale

    from brandkit.address import _shipped, _shipped_names, country_name

    shipped = _shipped_names()
    tags = [*shipped["names"], *shipped["variants"]]
    assert {"en", "fr", "fr_CA", "en_GB"} <= set(tags)
    for tag in tags:
        assert _shipped(tag) == dict(Locale.parse(tag).territories), (
            f"{tag}: run tools/i18n.py compile"
        )
    assert _shipped("de") is None and country_name("DE", "de") == "Deutschland"  # from Babel
    assert country_name("ca", "fr-CA") == Locale.parse("fr_CA").territories["CA"]
    assert country_name("XX", "en") == "XX"  # no such country: its code, as Babel's lookup gives


def _validate(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    return subprocess.run(
        [sys.executable, "-m", "brandkit", *args],
        cwd=INVALID,
        capture_output=True,
        text=True,
        env={**environ, "PYTHONPATH": str(REPO), **env},
    )


SPECS = [
    "bad-colour.yaml",
    "duplicate-key.yaml",
    "low-contrast.yaml",
    "facebook-about-too-long.yaml",
]


def _positions(text: str) -> list[str]:
    return re.findall(r"^(\S+?:\d+:\d+: (?:\S+ : )?\S+?):", text, re.M)


def test_a_french_locale_gives_french_messages_at_the_same_positions() -> None:
    english = _validate("validate", *SPECS, LANG="C.UTF-8")
    french = _validate("validate", *SPECS, LANG="fr_FR.UTF-8")
    assert english.returncode == french.returncode == 1
    assert "is not a colour" in english.stdout and "n'est pas une couleur" in french.stdout
    assert "1 error, 0 warnings" in english.stdout and "1 erreur, 0 avertissement" in french.stdout
    assert "attention : colors.foreground: contraste faible" in french.stdout
    where = [line.split(": ")[0] for line in english.stdout.splitlines() if line.count(":") > 3]
    assert where and where == [
        line.split(": ")[0] for line in french.stdout.splitlines() if line.count(":") > 3
    ]
    # LANGUAGE comes first, as gettext reads it; --lang beats them all
    assert "n'est pas une couleur" in _validate("validate", SPECS[0], LANGUAGE="fr:en").stdout
    assert "is not a colour" in _validate("--lang", "en", "validate", SPECS[0], LANG="fr_FR").stdout
    assert "n'est pas" in _validate("validate", SPECS[0], "--lang", "fr-CA").stdout


def test_machine_formats_stay_english_in_french() -> None:
    shown = _validate("validate", "--format", "json", SPECS[0], LANG="fr_FR.UTF-8")
    (issue,) = json.loads(shown.stdout)
    assert issue["message"].startswith("'blu' is not a colour") and issue["line"] == 7


def test_a_message_is_english_text_and_translated_where_shown() -> None:
    said = msg("expected {expected}, got {kind}", expected=msg("a list"), kind=msg("a number"))
    assert said == "expected a list, got a number"
    use_language("fr")
    assert localize(said) == "attendu : une liste, reçu : un nombre"
    assert said == "expected a list, got a number"  # the value itself never changes
    use_language("de")  # no German catalogue: English, without an error
    assert localize(said) == "expected a list, got a number"


def test_a_french_brand_gets_a_french_newsletter(tmp_path: Path) -> None:
    from brandkit.newsletter import newsletter_html, preview_html
    from brandkit.spec import load

    brand = load(EXAMPLES / "lumiere" / "brand.yaml")
    compiled = newsletter_html(brand, "https://example.com/header.png")
    assert '<html lang="fr"' in compiled
    for words in ("Se désabonner", "Modifier vos préférences", "Voir cet e-mail dans votre"):
        assert words in compiled, words
    assert "Unsubscribe" not in compiled and "*|UNSUB|*" in compiled
    shown = preview_html(brand, compiled)
    # the address as France writes it: postcode before the town, the country in French
    assert re.search(r"12 rue Francis de Pressensé<br>69100 Villeurbanne<br>France", shown), shown
    english = load(EXAMPLES / "northwind" / "brand.yaml")
    preview = preview_html(english, newsletter_html(english, "https://example.com/h.png"))
    assert "Astoria, OR 97103<br>United States" in preview and "Unsubscribe" in preview


def test_mailchimp_language_codes() -> None:
    from brandkit.platforms.mailchimp.adapter import mailchimp_language

    assert [mailchimp_language(x) for x in ("fr", "fr-FR", "fr-CA", "pt-PT", "EN")] == [
        "fr",
        "fr",
        "fr_CA",
        "pt_PT",
        "en",
    ]


def test_the_french_brand_end_to_end_on_the_sandbox(tmp_path: Path) -> None:
    """apply writes Mailchimp's form language; the audience report is in French, dates and
    numbers included."""
    copy_example("lumiere", tmp_path / "lumiere")
    spec = tmp_path / "lumiere" / "brand.yaml"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "brandkit", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )

    plan = run("plan", str(spec), "--sandbox", "--format", "json")
    assert plan.returncode == 0, plan.stderr
    news = next(a for a in json.loads(plan.stdout)["accounts"] if a["platform"] == "mailchimp")
    (language,) = [c for c in news["changes"] if c["field"] == "language"]
    assert language["before"] == "en" and language["after"] == "fr"
    applied = run("apply", str(spec), "--sandbox", "--yes")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert run("check", str(spec), "--sandbox").returncode == 0
    report = run("report", str(spec), "--sandbox", "-o", str(tmp_path / "rapport.html"))
    assert report.returncode == 0, report.stdout + report.stderr
    page = (tmp_path / "rapport.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in page and "rapport d'audience" in page and "Abonnés" in page
    assert re.search(r"du \d{1,2} \w+\.? \d{4} au", page), page[:2000]  # "du 24 nov. 2026 au"
    assert re.search(r"\d \d{3}", page.replace("\u202f", " ").replace("\xa0", " ")), "1 234"

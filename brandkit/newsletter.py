"""The branded newsletter template: MJML from the spec, compiled to HTML with mjml-python (MRML).

The bundled MJML (``assets/newsletter/template.mjml``) or the account's own file is filled with
the brand's colours, fonts, tagline, links and header image (``${name}`` placeholders, values
HTML-escaped), then compiled. MJML drops unknown attributes, so Mailchimp's ``mc:edit``,
``mc:repeatable`` and ``mc:hideable`` live in ``<mj-raw>`` table rows, which it keeps as written.
"""

from __future__ import annotations

import dataclasses
import re
import string
import typing as t
from html import escape
from pathlib import Path

from brandkit._resources import assets_dir
from brandkit.address import postal_lines
from brandkit.colors import RGB, contrast_ratio, hex_of
from brandkit.errors import RenderError
from brandkit.newsletter_words import link_label, newsletter_words
from brandkit.spec.model import Brand
from brandkit.textsafe import css_families

__all__ = ["LintIssue", "compile_template", "lint", "newsletter_html", "preview_html"]

REQUIRED_TAGS = {
    "*|UNSUB|*": "unsubscribe link",
    "LIST_ADDRESS": "postal address (*|HTML:LIST_ADDRESS_HTML|* or *|LIST:ADDRESS|*)",
}
MAX_IMAGE_CSS_WIDTH = 600


@dataclasses.dataclass(frozen=True, slots=True)
class LintIssue:
    severity: t.Literal["error", "warning"]
    message: str


def _best_text(bg: RGB, candidates: t.Sequence[RGB]) -> RGB:
    return max(candidates, key=lambda c: contrast_ratio(c, bg))


def _values(brand: Brand, header_url: str) -> dict[str, str]:
    c, identity = brand.colors, brand.identity
    words = newsletter_words(identity.language)
    body_font = brand.typography.body
    links = [(words["website_label"], identity.website)] if identity.website else []
    links += [(link_label(name), url) for name, url in identity.links]
    social = " · ".join(
        f'<a href="{escape(url)}">{escape(label)}</a>' for label, url in links if url
    )
    page = c.background
    muted = tuple(round(f * 0.65 + b * 0.35) for f, b in zip(c.foreground, page, strict=True))
    address = identity.contact.address
    company = (address.company if address and address.company else None) or identity.name
    raw = {
        **words,  # first: a word never takes the place of a value (the website's URL)
        "name": identity.name,
        "tagline": identity.tagline or identity.name,
        "font_stack": css_families(
            [body_font.family, *(f.strip().strip("'\"") for f in body_font.fallback.split(","))]
        ),
        "text": hex_of(c.foreground),
        "heading": hex_of(c.primary if contrast_ratio(c.primary, page) >= 3 else c.foreground),
        "link": hex_of(c.primary if contrast_ratio(c.primary, page) >= 3 else c.foreground),
        "button": hex_of(c.primary),
        "button_text": hex_of(_best_text(c.primary, [c.on_primary, (255, 255, 255), (0, 0, 0)])),
        "page": hex_of(page),
        "background": "#ffffff"
        if contrast_ratio((255, 255, 255), c.foreground) >= 4.5
        else hex_of(page),
        "muted": hex_of(t.cast(RGB, muted)),
        "header_url": header_url,
        "header_alt": (brand.logos.wordmark or brand.logos.mark).alt or identity.name,
        "website": identity.website or "",
        "company": company,
        "lang": identity.language,
    }
    out = {k: escape(v, quote=True) for k, v in raw.items()}
    out["social_links"] = social  # already escaped, contains markup
    return out


def _source(template: Path | None) -> str:
    path = template or assets_dir() / "newsletter" / "template.mjml"
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise RenderError(
            f"cannot read the newsletter template: {exc.strerror}",
            target="newsletter",
            file=str(path),
        ) from None


def compile_template(mjml_source: str) -> str:
    # mjml-python: the Rust MRML binding (never the pure-Python `mjml` package: same import name)
    import mjml

    try:
        html: str = mjml.mjml2html(mjml_source, disable_comments=True)
        return html
    except Exception as exc:  # MRML raises its own error types for malformed MJML
        raise RenderError(
            f"the MJML template does not compile: {str(exc)[:200]}", target="newsletter"
        ) from None


# the call-to-action button, left out when the brand has no website for it to lead to
_WEBSITE_BUTTON = re.compile(r"<mj-button\b[^>]*\$\{website\}.*?</mj-button>\s*", re.S)


def newsletter_html(brand: Brand, header_url: str, template: Path | None = None) -> str:
    """The compiled template HTML for the brand, with the header image at ``header_url``;
    ``template``: the account's own MJML file instead of the bundled one."""
    source = _source(template)
    if not brand.identity.website:
        source = _WEBSITE_BUTTON.sub("", source)
    filled = string.Template(source).safe_substitute(_values(brand, header_url))
    return compile_template(filled)


_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


def lint(compiled: str) -> list[LintIssue]:
    issues = []
    if "*|UNSUB|*" not in compiled:
        issues.append(
            LintIssue(
                "error", f"the template has no {REQUIRED_TAGS['*|UNSUB|*']} (*|UNSUB|*); add one"
            )
        )
    if "*|HTML:LIST_ADDRESS_HTML|*" not in compiled and "*|LIST:ADDRESS" not in compiled:
        issues.append(
            LintIssue("error", f"the template has no {REQUIRED_TAGS['LIST_ADDRESS']}; add one")
        )
    for tag in _IMG.findall(compiled):
        src = re.search(r'src="([^"]*)"', tag)
        name = src.group(1).rsplit("/", 1)[-1] if src else "an image"
        width = re.search(r'width="(\d+)"', tag) or re.search(r"width:\s*(\d+)px", tag)
        if width and int(width.group(1)) > MAX_IMAGE_CSS_WIDTH:
            issues.append(
                LintIssue(
                    "warning",
                    f"{name} is {width.group(1)} CSS px wide; email columns are "
                    f"{MAX_IMAGE_CSS_WIDTH}",
                )
            )
        alt = re.search(r'alt="([^"]*)"', tag)
        if not alt or not alt.group(1).strip():
            issues.append(LintIssue("warning", f"{name} has no alt text"))
    return issues


def preview_html(brand: Brand, compiled: str) -> str:
    """The compiled template with merge tags filled with sample values, to look at in a browser."""
    address = brand.identity.contact.address
    language = brand.identity.language
    lines = postal_lines(address, language, brand.identity.name) if address else []
    samples = {
        "*|FNAME|*": "Alex",
        "*|HTML:LIST_ADDRESS_HTML|*": "<br>".join(escape(x) for x in lines),
        "*|LIST:COMPANY|*": escape(brand.identity.name),
        "*|UNSUB|*": "#unsubscribe",
        "*|UPDATE_PROFILE|*": "#preferences",
        "*|ARCHIVE|*": "#archive",
    }
    for tag, value in samples.items():
        compiled = compiled.replace(tag, value)
    return compiled

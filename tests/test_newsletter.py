from __future__ import annotations

import brandkit
from brandkit.newsletter import compile_template, lint, newsletter_html, preview_html
from tests.conftest import EXAMPLES


def test_compiled_template_keeps_mailchimp_regions_and_brand() -> None:
    brand = brandkit.load(EXAMPLES / "lumen" / "brand.yaml")
    html = newsletter_html(brand, "https://cdn.example/header.png")
    assert 'mc:edit="body"' in html and "mc:repeatable" in html and "mc:hideable" in html
    assert "https://cdn.example/header.png" in html and "#211e38" in html  # header, primary colour
    assert "'Inter', 'Helvetica Neue', 'Arial', sans-serif" in html.replace("&#x27;", "'")
    assert 'href="https://instagram.com/lumen.studio"' in html
    assert lint(html) == []


def test_mjml_drops_unknown_attributes_outside_raw_blocks() -> None:
    # why the template keeps mc:* in <mj-raw>: MRML strips them from mj-text
    html = compile_template(
        '<mjml><mj-body><mj-section><mj-column><mj-text mc:edit="x">Hi</mj-text>'
        "</mj-column></mj-section></mj-body></mjml>"
    )
    assert "mc:edit" not in html


def test_lint_errors_and_warnings() -> None:
    issues = lint('<img src="a.png" width="1200"><p>no tags</p>')
    messages = [(i.severity, i.message) for i in issues]
    assert ("error", "the template has no unsubscribe link (*|UNSUB|*); add one") in messages
    assert any(s == "error" and "postal address" in m for s, m in messages)
    assert ("warning", "a.png is 1200 CSS px wide; email columns are 600") in messages
    assert ("warning", "a.png has no alt text") in messages


def test_values_are_escaped_and_preview_fills_merge_tags(tmp_path: object) -> None:
    brand = brandkit.load(EXAMPLES / "northwind" / "brand.yaml")
    html = newsletter_html(brand, 'x.png" onerror="alert(1)')
    assert 'onerror="alert(1)"' not in html
    preview = preview_html(brand, html)
    assert "*|UNSUB|*" not in preview and "Astoria, OR 97103" in preview

"""Reporters: a plan or an apply result as text, JSON, JUnit XML, or a self-contained HTML page."""

from __future__ import annotations

from brandkit.reports.formats import (
    junit_xml,
    paint_words,
    plan_json,
    plan_markdown,
    plan_text,
    status_word,
)
from brandkit.reports.html import html_report

__all__ = [
    "html_report",
    "junit_xml",
    "paint_words",
    "plan_json",
    "plan_markdown",
    "plan_text",
    "status_word",
]

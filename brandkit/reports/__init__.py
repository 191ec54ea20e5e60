"""Reporters: a plan or an apply result as text, JSON, JUnit XML, or a self-contained HTML page."""

from __future__ import annotations

from brandkit.reports.formats import junit_xml, plan_json, plan_markdown, plan_text
from brandkit.reports.html import html_report

__all__ = ["html_report", "junit_xml", "plan_json", "plan_markdown", "plan_text"]

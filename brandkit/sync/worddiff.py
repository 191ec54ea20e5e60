"""Which words of a text changed: ``…roasted on the [-Oregon-] {+Pacific+} coast…``, so a change at
the end of a long bio is seen where it is, not as two identical cut-off beginnings."""

from __future__ import annotations

import difflib
import html.parser
import re

__all__ = ["inline", "is_markup", "visible_text", "word_changes", "word_runs"]

_TOKENS = re.compile(r"\S+|\s+")


def word_runs(before: str, after: str) -> list[tuple[str, str, str]]:
    """(op, old text, new text) for each run of words, spaces kept: op is equal, replace, delete
    or insert; the new texts joined give ``after``."""
    a, b = _TOKENS.findall(before), _TOKENS.findall(after)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return [
        (op, "".join(a[i1:i2]), "".join(b[j1:j2])) for op, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def word_changes(before: str, after: str) -> list[tuple[str, str, str]]:
    """(op, old words, new words) for each changed run: op is replace, delete or insert."""
    return [
        (op, old.strip(), new.strip()) for op, old, new in word_runs(before, after) if op != "equal"
    ]


def inline(before: str, after: str, context: int = 4) -> str:
    """The new text with what changed marked ``[-old-]`` / ``{+new+}``, unchanged stretches cut to
    ``context`` words on each side of a change."""
    a, b = _TOKENS.findall(before), _TOKENS.findall(after)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    opcodes = matcher.get_opcodes()
    parts: list[str] = []
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            words = a[i1:i2]
            keep = context * 2  # tokens alternate word / space
            first, last = n == 0, n == len(opcodes) - 1
            if len(words) > 2 * keep and not (first and last):
                head = [] if first else words[:keep]
                tail = [] if last else words[-keep:]
                parts.append("".join(head) + "…" + "".join(tail))
            elif first and len(words) > keep:
                parts.append("…" + "".join(words[-keep:]))
            elif last and len(words) > keep:
                parts.append("".join(words[:keep]) + "…")
            else:
                parts.append("".join(words))
            continue
        old, new = "".join(a[i1:i2]).strip(), "".join(b[j1:j2]).strip()
        # a run that starts with the space before its word keeps it ("Roasters {+LLC+}")
        led = j2 > j1 and b[j1].isspace() or i2 > i1 and a[i1].isspace()
        if led and parts and not parts[-1].endswith(" "):
            parts.append(" ")
        if old:
            parts.append(f"[-{old}-]")
        if old and new:
            parts.append(" ")
        if new:
            parts.append(f"{{+{new}+}}")
        if j2 > j1 and b[j2 - 1].isspace() or i2 > i1 and a[i2 - 1].isspace():
            parts.append(" ")
    return "".join(parts)


def is_markup(value: object) -> bool:
    """A whole HTML document or template (a newsletter), not a line of text."""
    return isinstance(value, str) and len(value) > 300 and "<" in value and ">" in value


class _Visible(html.parser.HTMLParser):
    HIDDEN = frozenset({"script", "style", "head", "title", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.words.extend(data.split())


def visible_text(markup: str) -> str:
    """The words a reader sees in an HTML document (scripts, styles and the head left out)."""
    parser = _Visible()
    parser.feed(markup)
    parser.close()
    return " ".join(parser.words)

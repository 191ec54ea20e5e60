"""Read a YAML or JSON spec into plain data plus the line and column of every value.

PyYAML's composer gives us nodes with marks; we construct the Python values ourselves so that
each value's position is kept (like octoDNS's ContextLoader), duplicate keys are caught, keys
stay text (``on:`` is not ``True``), and alias expansion is bounded ("billion laughs").
"""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

import yaml

from brandkit.errors import SpecError
from brandkit.i18n import msg
from brandkit.spec.issues import Issue, JsonPath

__all__ = ["Document", "ScalarOrigin", "parse_document", "read_document"]

MAX_SPEC_BYTES = 2 * 1024 * 1024
# A real spec has a few hundred values; a document that expands to more is an alias bomb.
MAX_VALUES = 20_000

_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_NULL_TAG = "tag:yaml.org,2002:null"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


@dataclasses.dataclass(frozen=True)
class ScalarOrigin:
    """How a scalar was written: its YAML tag and its text, to explain implicit conversions."""

    tag: str
    text: str
    quoted: bool
    # an empty value followed on its line by a YAML comment (``bordeaux: #6d1a36``): the comment
    comment: str | None = None


@dataclasses.dataclass
class Document:
    file: str
    data: t.Any
    value_pos: dict[JsonPath, tuple[int, int]]
    key_pos: dict[JsonPath, tuple[int, int]]
    scalars: dict[JsonPath, ScalarOrigin]

    def position(self, path: JsonPath, *, key: bool = False) -> tuple[int, int]:
        """The closest known position of ``path`` (walking up to the nearest known parent)."""
        table = self.key_pos if key else self.value_pos
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.value_pos:
                return self.value_pos[probe]
            probe = probe[:-1]
        return self.value_pos.get((), (1, 1))

    def issue(
        self, path: JsonPath, message: str, *, key: bool = False, severity: t.Any = "error"
    ) -> Issue:
        line, column = self.position(path, key=key)
        return Issue(self.file, line, column, tuple(path), message, severity)


# libyaml's parser is about 10x faster than PyYAML's pure-Python one; both give the same marks.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


MAX_DEPTH = 64  # no brand spec nests deeper than ~6; a deeper one is an attack or a mistake


class _Budget(Exception):
    pass


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, doc: Document, lines: list[str]) -> None:
        self.loader = loader
        self.doc = doc
        self.lines = lines
        self.count = 0
        self.issues: list[Issue] = []

    def _mark(self, node: yaml.Node) -> tuple[int, int]:
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: JsonPath) -> t.Any:
        self.count += 1
        if self.count > MAX_VALUES or len(path) > MAX_DEPTH:  # a self-referencing alias is both
            raise _Budget
        self.doc.value_pos.setdefault(path, self._mark(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        value = self.loader.construct_object(node, deep=True)
        origin = ScalarOrigin(node.tag, node.value, node.style in ("'", '"'), self._comment(node))
        self.doc.scalars[path] = origin
        return value

    def _comment(self, node: yaml.ScalarNode) -> str | None:
        """The comment right after an empty value on its line, if any."""
        if node.tag != _NULL_TAG or node.value or node.start_mark.line >= len(self.lines):
            return None
        rest = self.lines[node.start_mark.line][node.start_mark.column :].strip()
        return rest if rest.startswith("#") else None

    def _mapping(self, node: yaml.MappingNode, path: JsonPath) -> dict[str, t.Any]:
        self.loader.flatten_mapping(node)  # resolves `<<:` merge keys in place
        out: dict[str, t.Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line, col = self._mark(key_node)
                self.issues.append(
                    Issue(
                        self.doc.file,
                        line,
                        col,
                        path,
                        "a key must be plain text, not a list or mapping",
                    )
                )
                continue
            key = key_node.value  # keys stay text: `on:` / `no:` are names here, not booleans
            line, col = self._mark(key_node)
            if key in first_seen:
                self.issues.append(
                    Issue(
                        self.doc.file,
                        line,
                        col,
                        path + (key,),
                        msg(
                            "duplicate key '{key}' (first defined on line {line}); remove one of "
                            "them",
                            key=key,
                            line=first_seen[key],
                        ),
                    )
                )
                continue
            first_seen[key] = line
            self.doc.key_pos[path + (key,)] = (line, col)
            out[key] = self.build(value_node, path + (key,))
        return out


def _marked_issue(file: str, exc: yaml.MarkedYAMLError, text: str) -> Issue:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or exc.context or "unreadable YAML"
    lines = text.splitlines()
    at = lines[line - 1][col - 1 : col] if 0 < line <= len(lines) else ""
    if at == "\t" or "'\\t'" in problem:
        message: str = msg("tab character in indentation; YAML needs spaces")
    else:
        detail = f"{problem} ({exc.context})" if exc.context and exc.problem else problem
        message = msg("YAML syntax error: {detail}", detail=detail)
    return Issue(file, line, col, (), message)


def _reader_issue(file: str, text: str, exc: yaml.reader.ReaderError) -> Issue:
    before = text[: exc.position]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    return Issue(
        file,
        line,
        column,
        (),
        msg(
            "control character U+{code} is not allowed in YAML; remove it",
            code=f"{exc.character:04X}",
        ),
    )


def parse_document(text: str, file: str, *, is_json: bool = False) -> Document:
    """Parse spec text. Raises SpecError (never a yaml exception) when unreadable."""
    if is_json:
        # JSON is YAML 1.2, but PyYAML refuses tabs; in valid JSON a tab can only be
        # white space (tabs inside strings must be escaped), so this keeps columns exact.
        text = text.replace("\t", " ")
    doc = Document(file=file, data=None, value_pos={}, key_pos={}, scalars={})
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        raise SpecError([_reader_issue(file, text, exc)]) from None
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise SpecError(
                [
                    Issue(
                        file,
                        1,
                        1,
                        (),
                        msg(
                            "the document nests deeper than {depth} levels; refusing to read it",
                            depth=MAX_DEPTH,
                        ),
                    )
                ]
            ) from None
        except yaml.MarkedYAMLError as exc:
            raise SpecError([_marked_issue(file, exc, text)]) from None
        except yaml.reader.ReaderError as exc:
            raise SpecError([_reader_issue(file, text, exc)]) from None
        except yaml.YAMLError as exc:
            raise SpecError(
                [Issue(file, 1, 1, (), msg("YAML error: {detail}", detail=exc))]
            ) from None
        if node is None:
            raise SpecError(
                [
                    Issue(
                        file,
                        1,
                        1,
                        (),
                        msg("the file is empty; see `brandkit init` for a starter spec"),
                    )
                ]
            )
        builder = _Builder(loader, doc, text.splitlines())
        try:
            doc.data = builder.build(node, ())
        except _Budget:
            raise SpecError(
                [
                    Issue(
                        file,
                        1,
                        1,
                        (),
                        msg(
                            "the document expands to more than {values} values or nests deeper "
                            "than {depth} levels (YAML aliases?); refusing to read it",
                            values=MAX_VALUES,
                            depth=MAX_DEPTH,
                        ),
                    )
                ]
            ) from None
        except yaml.constructor.ConstructorError as exc:
            mark = exc.problem_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            tag = (exc.problem or "").split("'")[1] if "'" in (exc.problem or "") else "?"
            tag = tag.replace("tag:yaml.org,2002:", "!!")
            raise SpecError(
                [
                    Issue(
                        file,
                        line,
                        col,
                        (),
                        msg("unsupported YAML tag '{tag}'; a spec holds plain data only", tag=tag),
                    )
                ]
            ) from None
        except (ValueError, OverflowError) as exc:
            # e.g. a timestamp like 2026-13-45 that PyYAML cannot build
            raise SpecError(
                [Issue(file, 1, 1, (), msg("unreadable value: {detail}", detail=exc))]
            ) from None
        if builder.issues:
            raise SpecError(sorted(builder.issues, key=Issue.sort_key))
    finally:
        loader.dispose()
    return doc


def read_document(path: Path) -> Document:
    """Read a spec file; unreadable files, bad encodings and huge files are SpecErrors."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_SPEC_BYTES:
            raise SpecError(
                [
                    Issue(
                        name,
                        1,
                        1,
                        (),
                        msg(
                            "the file is {size} bytes; a spec is at most {limit}",
                            size=size,
                            limit=MAX_SPEC_BYTES,
                        ),
                    )
                ]
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SpecError([Issue(name, 1, 1, (), msg("no such file"))]) from None
    except IsADirectoryError:
        raise SpecError(
            [Issue(name, 1, 1, (), msg("is a folder; name the spec file (brand.yaml) inside it"))]
        ) from None
    except OSError as exc:
        raise SpecError(
            [Issue(name, 1, 1, (), msg("cannot read the file: {why}", why=exc.strerror))]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SpecError([Issue(name, line, 1, (), msg("the file is not UTF-8 text"))]) from None
    if "\x00" in text:
        raise SpecError([Issue(name, 1, 1, (), msg("the file is binary, not YAML or JSON text"))])
    return parse_document(text, name, is_json=path.suffix.lower() == ".json")


def describe_scalar(origin: ScalarOrigin | None) -> str | None:
    """Explain how YAML read an unquoted scalar when that surprises people, else None."""
    if origin is None or origin.quoted:
        return None
    if origin.tag == _BOOL_TAG:
        value = origin.text.lower() in ("true", "yes", "on", "y")
        return msg(
            '`{text}` was read as the boolean {value}; write "{text}" in quotes if you meant text',
            text=origin.text,
            value=str(value).lower(),
        )
    if origin.tag in (_INT_TAG, _FLOAT_TAG):
        return msg(
            '`{text}` was read as a number; write "{text}" in quotes if you meant text',
            text=origin.text,
        )
    if origin.tag == _NULL_TAG and origin.comment:
        word = origin.comment.split()[0]
        return msg(
            "the value is empty: `#` starts a YAML comment, so `{comment}` was not read; write "
            '"{word}" in quotes',
            comment=origin.comment[:40],
            word=word,
        )
    if origin.tag == _NULL_TAG:
        return msg("the value is empty")
    if origin.tag == _TIMESTAMP_TAG:
        return msg(
            '`{text}` was read as a date; write "{text}" in quotes if you meant text',
            text=origin.text,
        )
    return None

"""Validate spec data against schemas/brand.schema.json and word each error for a person."""

from __future__ import annotations

import difflib
import functools
import json
import typing as t

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from brandkit._resources import schemas_dir
from brandkit.spec.issues import Issue, JsonPath
from brandkit.spec.loader import Document, describe_scalar

__all__ = ["brand_schema", "schema_issues"]

_TYPE_WORDS = {
    "string": "text",
    "object": "a mapping (key: value lines)",
    "array": "a list",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}


@functools.cache
def brand_schema() -> dict[str, t.Any]:
    with (schemas_dir() / "brand.schema.json").open(encoding="utf-8") as fh:
        return t.cast(dict[str, t.Any], json.load(fh))


@functools.cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(brand_schema())


def _kind(value: t.Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (empty)"
    return type(value).__name__


def _secret_path(path: JsonPath) -> bool:
    return "credentials" in path


def _quote(value: t.Any, path: JsonPath) -> str:
    if _secret_path(path):
        return "this value"  # never echo what may be a secret
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "...'"


def _word(error: ValidationError, doc: Document) -> tuple[JsonPath, str, bool]:
    """(path, message, position-at-key) for one schema error."""
    path: JsonPath = tuple(error.absolute_path)
    v = error.validator
    custom = error.schema.get("x-brandkit-message") if isinstance(error.schema, dict) else None
    instance = error.instance
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        return path + (missing,), "required field is missing", False
    if v == "additionalProperties":
        allowed = (
            list((error.schema.get("properties") or {}).keys())
            if isinstance(error.schema, dict)
            else []
        )
        extras = [k for k in instance if k not in allowed] if isinstance(instance, dict) else []
        key = extras[0] if extras else "?"
        hint = difflib.get_close_matches(key, allowed, n=1)
        tail = (
            f" (did you mean '{hint[0]}'?)"
            if hint
            else (f" (expected one of: {', '.join(allowed)})" if allowed else "")
        )
        return path + (key,), f"unknown field{tail}", True
    if v == "propertyNames":
        return path, f"{error.message.split(' ')[0]} is not an allowed name here", True
    if v == "type":
        expected = error.validator_value
        expected_words = " or ".join(
            _TYPE_WORDS.get(e, e) for e in ([expected] if isinstance(expected, str) else expected)
        )
        explained = describe_scalar(doc.scalars.get(path))
        if explained and "string" in (expected if isinstance(expected, list) else [expected]):
            return path, explained, False
        return path, f"expected {expected_words}, got {_kind(instance)}", False
    if v == "const":
        if custom:
            return path, custom.replace("{value}", str(instance)), False
        return path, f"must be {error.validator_value!r}", False
    if v == "enum":
        options = [str(o) for o in error.validator_value]
        hint = difflib.get_close_matches(str(instance), options, n=1)
        tail = f" (did you mean '{hint[0]}'?)" if hint else ""
        explained = describe_scalar(doc.scalars.get(path))
        if explained:
            return path, f"{explained}; expected one of: {', '.join(options)}", False
        return path, f"{_quote(instance, path)} is not one of: {', '.join(options)}{tail}", False
    if v == "minLength" and error.validator_value == 1:
        return path, "must not be empty", False
    if v in ("minLength", "maxLength"):
        word = "short" if v == "minLength" else "long"
        return (
            path,
            f"is too {word}: {len(instance)} characters (limit {error.validator_value})",
            False,
        )
    if v in ("minItems", "maxItems", "minProperties", "maxProperties"):
        if custom:
            return path, custom, False
        return (
            path,
            "must not be empty"
            if error.validator_value == 1 and v.startswith("min")
            else error.message,
            False,
        )
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return path, f"{instance} is out of range ({v} {error.validator_value})", False
    if v == "pattern":
        if custom:
            return (
                path,
                f"{_quote(instance, path)} {custom}" if not _secret_path(path) else custom,
                False,
            )
        return path, f"{_quote(instance, path)} has the wrong form", False
    if v == "oneOf" or v == "anyOf":
        return path, f"expected {_describe_alternatives(error)}, got {_kind(instance)}", False
    if custom:
        return path, custom, False
    return path, error.message if not _secret_path(path) else "invalid value", False


def _describe_alternatives(error: ValidationError) -> str:
    kinds = []
    for sub in error.validator_value:
        target = sub
        if "$ref" in sub:
            target = _resolve_local(sub["$ref"])
        kind = target.get("type")
        if kind:
            word = _TYPE_WORDS.get(kind, kind)
            if kind == "object" and target.get("required"):
                word += f" with {', '.join(target['required'])}"
            kinds.append(word)
    return " or ".join(kinds) or "another form"


def _resolve_local(ref: str) -> dict[str, t.Any]:
    node: t.Any = brand_schema()
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return t.cast(dict[str, t.Any], node)


def schema_issues(doc: Document) -> list[Issue]:
    issues: list[Issue] = []
    seen: set[tuple[JsonPath, str]] = set()
    for raw in _validator().iter_errors(doc.data):
        for error in _expand(raw):
            path, message, at_key = _word(error, doc)
            if (path, message) in seen:
                continue
            seen.add((path, message))
            issues.append(doc.issue(path, message, key=at_key))
    return issues


def _expand(error: ValidationError) -> t.Iterator[ValidationError]:
    # allOf(if/then) failures carry their real errors in .context: report each of them.
    if error.validator in ("allOf", "then", "if") and error.context:
        for sub in error.context:
            yield from _expand(sub)
    elif error.validator in ("oneOf", "anyOf") and error.context:
        # a shorthand-or-object field: report the errors of the branch whose type matched
        relevant = [e for e in error.context if e.validator != "type"]
        if relevant:
            for sub in relevant:
                yield from _expand(sub)
        else:
            yield error
    else:
        yield error

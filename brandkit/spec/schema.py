"""Validate spec data against schemas/brand.schema.json and word each error for a person."""

from __future__ import annotations

import difflib
import functools
import json
import typing as t

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from brandkit._resources import schemas_dir
from brandkit.i18n import N_, Message, msg
from brandkit.spec.issues import Issue, JsonPath, did_you_mean
from brandkit.spec.loader import Document, describe_scalar

__all__ = ["brand_schema", "schema_issues"]

_TYPE_WORDS = {
    "string": N_("text"),
    "object": N_("a mapping (key: value lines)"),
    "array": N_("a list"),
    "integer": N_("a whole number"),
    "number": N_("a number"),
    "boolean": N_("true or false"),
    "null": N_("empty"),
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
        return msg("true/false")
    if isinstance(value, (int, float)):
        return msg("a number")
    if isinstance(value, str):
        return msg("text")
    if isinstance(value, list):
        return msg("a list")
    if isinstance(value, dict):
        return msg("a mapping")
    if value is None:
        return msg("nothing (empty)")
    return type(value).__name__


def _either(words: t.Sequence[str]) -> str:
    """ "a or b or c", each word translatable ("another form" when there are none)."""
    said = [w if isinstance(w, Message) else msg(w) for w in words]
    if not said:
        return msg("another form")
    joined: str = said[0]
    for word in said[1:]:
        joined = msg("{first} or {second}", first=joined, second=word)
    return joined


def _secret_path(path: JsonPath) -> bool:
    return "credentials" in path


def _quote(value: t.Any, path: JsonPath) -> str:
    if _secret_path(path):
        return msg("this value")  # never echo what may be a secret
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
        return path + (missing,), msg("required field is missing"), False
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
            did_you_mean(hint)
            if hint
            else (msg(" (expected one of: {names})", names=", ".join(allowed)) if allowed else "")
        )
        return path + (key,), msg("unknown field{hint}", hint=tail), True
    if v == "propertyNames":
        name = error.message.split(" ")[0]
        return path, msg("{name} is not an allowed name here", name=name), True
    if v == "type":
        expected = error.validator_value
        expected_words = _either(
            [_TYPE_WORDS.get(e, e) for e in ([expected] if isinstance(expected, str) else expected)]
        )
        explained = describe_scalar(doc.scalars.get(path))
        if explained and "string" in (expected if isinstance(expected, list) else [expected]):
            return path, explained, False
        return (
            path,
            msg("expected {expected}, got {kind}", expected=expected_words, kind=_kind(instance)),
            False,
        )
    if v == "const":
        if custom:
            return path, msg(custom, value=instance), False
        return path, msg("must be {value}", value=repr(error.validator_value)), False
    if v == "enum":
        options = [str(o) for o in error.validator_value]
        hint = difflib.get_close_matches(str(instance), options, n=1)
        listed = ", ".join(options)
        explained = describe_scalar(doc.scalars.get(path))
        if explained:
            return (
                path,
                msg("{said}; expected one of: {options}", said=explained, options=listed),
                False,
            )
        value = _quote(instance, path)
        return (
            path,
            msg(
                "{value} is not one of: {options}{hint}",
                value=value,
                options=listed,
                hint=did_you_mean(hint),
            ),
            False,
        )
    if v == "minLength" and error.validator_value == 1:
        return path, msg("must not be empty"), False
    if v in ("minLength", "maxLength"):
        said = (
            N_("is too short: {length} characters (limit {limit})")
            if v == "minLength"
            else N_("is too long: {length} characters (limit {limit})")
        )
        return path, msg(said, length=len(instance), limit=error.validator_value), False
    if v in ("minItems", "maxItems", "minProperties", "maxProperties"):
        if custom:
            return path, msg(custom), False
        return (
            path,
            msg("must not be empty")
            if error.validator_value == 1 and v.startswith("min")
            else error.message,
            False,
        )
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        limit = f"{v} {error.validator_value}"
        return path, msg("{value} is out of range ({limit})", value=instance, limit=limit), False
    if v == "pattern":
        if custom:
            if _secret_path(path):
                return path, msg(custom), False
            return (
                path,
                msg("{value} {said}", value=_quote(instance, path), said=msg(custom)),
                False,
            )
        return path, msg("{value} has the wrong form", value=_quote(instance, path)), False
    if v == "oneOf" or v == "anyOf":
        expected = _describe_alternatives(error)
        return (
            path,
            msg("expected {expected}, got {kind}", expected=expected, kind=_kind(instance)),
            False,
        )
    if custom:
        return path, msg(custom), False
    return path, error.message if not _secret_path(path) else msg("invalid value"), False


def _describe_alternatives(error: ValidationError) -> str:
    kinds = []
    for sub in error.validator_value:
        target = sub
        if "$ref" in sub:
            target = _resolve_local(sub["$ref"])
        kind = target.get("type")
        if kind:
            word: str = msg(_TYPE_WORDS.get(kind, kind))
            if kind == "object" and target.get("required"):
                word = msg("{kind} with {fields}", kind=word, fields=", ".join(target["required"]))
            kinds.append(word)
    return _either(kinds)


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

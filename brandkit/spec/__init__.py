"""Load and validate brand specs (``brand.yaml``, ``brand.json`` or a Posit ``_brand.yml``)."""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

from brandkit.errors import BrandkitError, SpecError
from brandkit.spec import verdicts
from brandkit.spec.issues import Issue

if t.TYPE_CHECKING:
    from brandkit.rendering.layout import DecodedLogos
    from brandkit.spec.model import Brand

__all__ = ["Issue", "ValidationResult", "load", "validate"]


@dataclasses.dataclass(frozen=True, slots=True)
class ValidationResult:
    """Every issue found in one spec, sorted by position; ``brand`` is set when there are no
    errors."""

    file: str
    issues: tuple[Issue, ...]
    brand: Brand | None
    # the raster logos the render checks decoded, for a render that follows
    # (``brandkit.render(result.brand, out, logos=result.logos)``): not decoded twice
    logos: DecodedLogos = dataclasses.field(default_factory=dict, compare=False, repr=False)

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "warning")

    @property
    def ok(self) -> bool:
        return not self.errors


def validate(
    path: str | Path, *, allow_absolute_paths: bool = False, render_checks: bool = True
) -> ValidationResult:
    """Check one spec file and report every problem; never raises for a bad spec.

    ``render_checks`` adds what ``render`` would warn about (a logo that reads on no background,
    characters no font has, SVG text in a missing font, a mark that cannot fill a square),
    judged on small probes, as warnings.

    A spec that passed with the same options before, with its bytes, every file it refers to and
    brandkit itself unchanged, skips the schema and the render probes: their verdict is read back
    (spec/verdicts.py); the brand is built again from the spec."""
    options = (allow_absolute_paths, render_checks)
    known = verdicts.recall(path, options)
    if known is not None:
        again = _checked(path, allow_absolute_paths=allow_absolute_paths, render_checks=False)
        if again.brand is not None:
            return dataclasses.replace(again, issues=known)
    result = _checked(path, allow_absolute_paths=allow_absolute_paths, render_checks=render_checks)
    if result.brand is not None:
        verdicts.remember(path, options, result.brand, result.issues)
    return result


def _checked(
    path: str | Path, *, allow_absolute_paths: bool, render_checks: bool
) -> ValidationResult:
    # the checking stack (PyYAML, the semantic checks, the model builder): only once a spec is
    # read (`brandkit render` with nothing to do replays its report without it, brandkit/rerun.py)
    from brandkit.spec.brandyml import convert_brand_yml, is_brand_yml
    from brandkit.spec.build import build_brand
    from brandkit.spec.loader import read_document
    from brandkit.spec.semantic import CheckContext, semantic_issues

    source = Path(path)
    try:
        doc = read_document(source)
    except SpecError as exc:
        return ValidationResult(str(path), exc.issues, None)
    issues: list[Issue] = []
    if is_brand_yml(doc):
        doc, conversion = convert_brand_yml(doc)
        issues.extend(conversion)
    if not isinstance(doc.data, dict):
        issues.append(
            doc.issue(
                (), "a spec must be a mapping of fields (version, identity, logos, colors...)"
            )
        )
        return ValidationResult(str(path), tuple(issues), None)
    issues.extend(_schema_checked(source, doc))
    ctx = CheckContext(
        doc=doc, root=source.resolve().parent, allow_absolute_paths=allow_absolute_paths
    )
    issues.extend(semantic_issues(ctx))
    # a value the schema refused already says how YAML read it: no second word on it
    refused = {i.path for i in issues if i.severity == "error"}
    issues = [i for i in issues if not (i.path in refused and "YAML 1.1" in i.message)]
    issues.sort(key=Issue.sort_key)
    brand = None
    logos: DecodedLogos = {}
    if not any(i.severity == "error" for i in issues):
        brand = build_brand(doc.data, source.resolve(), ctx.colours, ctx.account_texts)
        if render_checks:
            probed, logos = _render_checks(doc, brand)
            issues.extend(probed)
            issues.sort(key=Issue.sort_key)
            if any(i.severity == "error" for i in issues):
                brand, logos = None, {}
    return ValidationResult(str(path), tuple(issues), brand, logos)


def _schema_checked(source: Path, doc: t.Any) -> list[Issue]:
    """The schema's verdict; a spec whose exact bytes passed this schema before is not checked
    again (importing jsonschema and building its validator is ~0.1 s, the check a few ms)."""
    if verdicts.schema_passed(source):
        return []
    from brandkit.spec.schema import schema_issues  # jsonschema: only when checking

    found = schema_issues(doc)
    if not found:
        verdicts.schema_passes(source)
    return found


def _render_checks(doc: t.Any, brand: Brand) -> tuple[list[Issue], DecodedLogos]:
    from brandkit.rendering.layout import Composer  # only when asked
    from brandkit.rendering.preflight import preflight, visible_size_problems

    try:
        composer = Composer(brand)  # one decode of each logo for both
        errors = visible_size_problems(brand, composer)
        found = preflight(brand, composer)
        decoded = composer.decoded_logos()
    except BrandkitError as exc:  # an unreadable logo: the file checks have said so already
        warning = f"cannot check the logos as render would: {exc}"
        return [doc.issue(("logos",), warning, severity="warning")], {}
    issues = [doc.issue(path, message) for path, message in errors] + [
        doc.issue(path, message, severity="warning") for path, message in found
    ]
    return issues, decoded


def load(path: str | Path, *, allow_absolute_paths: bool = False) -> Brand:
    """Load a spec into a frozen :class:`Brand`; raises one :class:`SpecError` listing every
    problem.

    Usage::

        brand = brandkit.load("brand.yaml")
        print(brand.identity.name, brand.colors.primary)
    """
    result = validate(path, allow_absolute_paths=allow_absolute_paths, render_checks=False)
    if result.brand is None:
        raise SpecError(result.issues)
    return result.brand

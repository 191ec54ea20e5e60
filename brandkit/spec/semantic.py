"""Checks beyond the schema: colours and references, files, limits, contrast, duplicates.

They run on the raw data, defensively, so that they report alongside schema errors elsewhere
in the same file ("every problem at once").
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import typing as t
from pathlib import Path

from brandkit import platforms
from brandkit.colors import RGB, contrast_ratio, parse_colour, resolve_palette
from brandkit.i18n import LANGUAGES, N_, msg
from brandkit.sources import SourceInfo, UnreadableSource, inspect_font, inspect_image
from brandkit.spec.issues import Issue, JsonPath, did_you_mean
from brandkit.spec.loader import Document
from brandkit.spec.text import TextValue, account_text, get_path, measure

__all__ = ["CheckContext", "semantic_issues", "BUNDLED_FONTS", "COLOUR_ROLES"]

COLOUR_ROLES = ("primary", "secondary", "accent", "background", "foreground", "on_primary")
BUNDLED_FONTS = {"inter": "fonts/Inter-Regular.otf", "inter-bold": "fonts/Inter-Bold.otf"}
MIN_CONTRAST = 4.5


@dataclasses.dataclass
class CheckContext:
    doc: Document
    root: Path
    allow_absolute_paths: bool = False
    issues: list[Issue] = dataclasses.field(default_factory=list)
    colours: dict[str, RGB] = dataclasses.field(default_factory=dict)
    images: dict[JsonPath, SourceInfo] = dataclasses.field(default_factory=dict)
    # accounts[index] -> the text it gets (computed once here; the model keeps it)
    account_texts: dict[int, dict[str, TextValue]] = dataclasses.field(default_factory=dict)

    def error(self, path: JsonPath, message: str, *, key: bool = False) -> None:
        self.issues.append(self.doc.issue(path, message, key=key))

    def warn(self, path: JsonPath, message: str) -> None:
        self.issues.append(self.doc.issue(path, message, severity="warning"))


def resolve_path(ctx: CheckContext, path: JsonPath, text: str) -> Path | None:
    """A spec-relative file path made absolute; reports and returns None if unsafe."""
    if "\x00" in text or len(text) > 4096:
        ctx.error(path, msg("not a usable file name (a NUL character, or over 4096 characters)"))
        return None
    candidate = Path(text)
    if candidate.is_absolute():
        if not ctx.allow_absolute_paths:
            ctx.error(
                path,
                msg(
                    "absolute path '{path}' is not allowed; use a path relative to the spec's "
                    "folder (or pass --allow-absolute-paths)",
                    path=text,
                ),
            )
            return None
        return candidate
    resolved = (ctx.root / candidate).resolve()
    if not ctx.allow_absolute_paths and not resolved.is_relative_to(ctx.root.resolve()):
        ctx.error(
            path,
            msg(
                "'{path}' points outside the spec's folder; keep brand files beside the spec",
                path=text,
            ),
        )
        return None
    return resolved


def _palette_names(ctx: CheckContext, names: list[str]) -> None:
    """Names an export would turn into one CSS variable (``dark_blue``, ``Dark-Blue``), or into
    a role's (``primary``): the wrong colour would win there, so they are refused here."""
    seen: dict[str, str] = {}
    roles = {re.sub(r"[^a-z0-9]+", "-", r) for r in COLOUR_ROLES}
    for name in names:
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        if slug in roles:
            ctx.error(
                ("colors", "palette", name),
                msg(
                    "a palette colour may not be named like the colour role {role}: the design "
                    "tokens would give both one name; rename it (e.g. {role}-colour)",
                    role=slug.replace("-", "_"),
                ),
            )
        elif slug in seen:
            ctx.error(
                ("colors", "palette", name),
                msg(
                    "'{name}' and '{other}' would be the same design token (--brand-{slug}); "
                    "rename one",
                    name=name,
                    other=seen[slug],
                    slug=slug,
                ),
            )
        seen.setdefault(slug, name)


def _check_colours(ctx: CheckContext) -> None:
    colors = get_path(ctx.doc.data, "colors")
    if not isinstance(colors, dict):
        return
    raw_palette = colors.get("palette")
    palette: dict[str, str] = (
        {k: v for k, v in raw_palette.items() if isinstance(v, str)}
        if isinstance(raw_palette, dict)
        else {}
    )
    _palette_names(ctx, list(raw_palette) if isinstance(raw_palette, dict) else [])
    resolved, problems = resolve_palette(palette)
    for problem in problems:
        ctx.error(("colors", "palette", problem.name), problem.message)
    ctx.colours.update(resolved)
    for role in COLOUR_ROLES:
        value = colors.get(role)
        if not isinstance(value, str):
            continue
        if value in palette or isinstance(raw_palette, dict) and value in raw_palette:
            if value in resolved:
                ctx.colours[role] = resolved[value]
            continue  # a broken (or empty) palette entry is reported at the entry
        rgb = parse_colour(value)
        if rgb is None:
            close = difflib.get_close_matches(value, list(palette), n=1)
            ctx.error(
                ("colors", role),
                msg(
                    "'{value}' is not a colour (use #RRGGBB, rgb(), or a palette name){hint}",
                    value=value,
                    hint=did_you_mean(close),
                ),
            )
        else:
            ctx.colours[role] = rgb
    fg, bg, primary = (
        ctx.colours.get("foreground"),
        ctx.colours.get("background"),
        ctx.colours.get("primary"),
    )
    if fg and bg:
        ratio = contrast_ratio(fg, bg)
        if ratio < MIN_CONTRAST:
            ctx.warn(
                ("colors", "foreground"),
                msg(
                    "low contrast with background: {ratio}:1 (WCAG AA needs {needed}:1)",
                    ratio=f"{ratio:.2f}",
                    needed=MIN_CONTRAST,
                ),
            )
    on_primary = ctx.colours.get("on_primary", bg)
    if on_primary and primary:
        ratio = contrast_ratio(on_primary, primary)
        if ratio < MIN_CONTRAST:
            where: JsonPath = (
                ("colors", "on_primary") if "on_primary" in colors else ("colors", "primary")
            )
            ctx.warn(
                where,
                msg(
                    "low contrast of text on primary: {ratio}:1 (WCAG AA needs {needed}:1; "
                    "set colors.on_primary)",
                    ratio=f"{ratio:.2f}",
                    needed=MIN_CONTRAST,
                ),
            )
    render = get_path(ctx.doc.data, "render")
    for section_path, section in _style_sections(render):
        value = section.get("background") if isinstance(section, dict) else None
        if (
            isinstance(value, str)
            and value not in palette
            and value not in COLOUR_ROLES
            and parse_colour(value) is None
        ):
            ctx.error(
                section_path + ("background",),
                msg(
                    "'{value}' is not a colour (use #RRGGBB, rgb(), a palette name or a colour "
                    "role)",
                    value=value,
                ),
            )


def _style_sections(render: t.Any) -> t.Iterator[tuple[JsonPath, t.Any]]:
    if not isinstance(render, dict):
        return
    yield ("render", "defaults"), render.get("defaults")
    overrides = render.get("overrides")
    if isinstance(overrides, dict):
        for name, section in overrides.items():
            yield ("render", "overrides", name), section


def _check_image(ctx: CheckContext, path: JsonPath) -> None:
    text = get_path(ctx.doc.data, *path)
    if not isinstance(text, str) or not text:
        return
    resolved = resolve_path(ctx, path, text)
    if resolved is None:
        return
    try:
        ctx.images[path] = inspect_image(resolved)
    except UnreadableSource as exc:
        ctx.error(path, msg("'{path}': {problem}", path=text, problem=exc.reason))


def _logo_paths(data: t.Any) -> t.Iterator[JsonPath]:
    for which in ("mark", "wordmark"):
        logo = get_path(data, "logos", which)
        if isinstance(logo, str):
            yield ("logos", which)
        elif isinstance(logo, dict):
            yield ("logos", which, "path")
            if "dark" in logo:
                yield ("logos", which, "dark")


def _check_files(ctx: CheckContext) -> None:
    data = ctx.doc.data
    for path in _logo_paths(data):
        _check_image(ctx, path)
    for role in ("heading", "body"):
        font = get_path(data, "typography", role)
        fpath: JsonPath = ("typography", role)
        if isinstance(font, dict):
            font, fpath = font.get("file"), fpath + ("file",)
        if not isinstance(font, str) or not font:
            continue
        if font.lower() in BUNDLED_FONTS:
            continue
        if "/" not in font and "." not in font:
            ctx.error(
                fpath,
                msg(
                    "unknown bundled font '{font}' (bundled: {bundled}); or give a .ttf/.otf "
                    "file path",
                    font=font,
                    bundled=", ".join(BUNDLED_FONTS),
                ),
            )
            continue
        resolved = resolve_path(ctx, fpath, font)
        if resolved is not None:
            try:
                inspect_font(resolved)
            except UnreadableSource as exc:
                ctx.error(fpath, msg("'{path}': {problem}", path=font, problem=exc.reason))
    accounts = get_path(data, "accounts")
    for index, account in enumerate(accounts if isinstance(accounts, list) else []):
        for field in ("avatar", "banner"):
            if isinstance(get_path(account, "overrides", field), str):
                _check_image(ctx, ("accounts", index, "overrides", field))
        platform = get_path(account, "platform")
        info = platforms.all_platforms().get(platform) if isinstance(platform, str) else None
        for setting in info.paths if info else ():
            named = get_path(account, setting)
            if isinstance(named, str):
                resolved = resolve_path(ctx, ("accounts", index, setting), named)
                if resolved is not None and not resolved.is_file():
                    ctx.error(
                        ("accounts", index, setting), msg("'{path}': file not found", path=named)
                    )


def _number(value: t.Any) -> float | None:
    # YAML true/false are ints to Python; a padding is never one
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _check_mark_size(ctx: CheckContext, target_names: list[str]) -> None:
    if get_path(ctx.doc.data, "render", "allow_upscale") is True:
        return
    targets = platforms.all_targets()
    for path, info in ctx.images.items():
        if path[:2] != ("logos", "mark") or info.kind != "raster":
            continue
        need, need_target = 0, ""
        for name in target_names:
            target = targets[name]
            if target.layout != "icon":
                continue
            pad = _number(get_path(ctx.doc.data, "render", "overrides", name, "padding"))
            if pad is None:
                pad = _number(get_path(ctx.doc.data, "render", "defaults", "padding"))
            x0, y0, x1, y1 = target.content_box(pad)
            side = max(x1 - x0, y1 - y0)
            if side > need:
                need, need_target = side, name
        # the mark is fitted into a square box: its longer side is drawn at the box's side
        long = max(info.width, info.height)
        if need and long < need:
            square = info.width == info.height
            said = (
                N_(
                    "the mark is {width}x{height} px but {target} draws it at {need}x{need} px: "
                    "supply at least {need}x{need} ({more} px more), use an SVG, or set "
                    "render.allow_upscale: true"
                )
                if square
                else N_(
                    "the mark is {width}x{height} px but {target} draws its longer side at "
                    "{need} px: supply at least {need} px on that side ({more} px more), use an "
                    "SVG, or set render.allow_upscale: true"
                )
            )
            sizes = dict(width=info.width, height=info.height, need=need, more=need - long)
            ctx.error(path, msg(said, target=need_target, **sizes))


def _selected_targets(ctx: CheckContext) -> list[str]:
    patterns = get_path(ctx.doc.data, "render", "targets")
    if not isinstance(patterns, list):
        return list(platforms.all_targets())
    names, unknown = platforms.expand_target_patterns(p for p in patterns if isinstance(p, str))
    for pattern in unknown:
        index = patterns.index(pattern)
        close = difflib.get_close_matches(pattern, list(platforms.all_targets()), n=1)
        hint = (
            msg("did you mean '{name}'?", name=close[0])
            if close
            else msg("`brandkit render --list-targets` lists them")
        )
        ctx.error(
            ("render", "targets", index),
            msg("unknown target '{name}' ({hint})", name=pattern, hint=hint),
        )
    overrides = get_path(ctx.doc.data, "render", "overrides")
    if isinstance(overrides, dict):
        for name in overrides:
            if name not in platforms.all_targets():
                close = difflib.get_close_matches(name, list(platforms.all_targets()), n=1)
                ctx.error(
                    ("render", "overrides", name),
                    msg("unknown target '{name}'{hint}", name=name, hint=did_you_mean(close)),
                    key=True,
                )
    return names


def _check_accounts(ctx: CheckContext) -> None:
    data = ctx.doc.data
    accounts = get_path(data, "accounts")
    if not isinstance(accounts, list):
        return
    first: dict[str, int] = {}
    for index, account in enumerate(accounts):
        account_id = get_path(account, "id")
        if isinstance(account_id, str):
            if account_id in first:
                ctx.error(
                    ("accounts", index, "id"),
                    msg(
                        "duplicate account id '{id}' (also accounts[{other}])",
                        id=account_id,
                        other=first[account_id],
                    ),
                )
            else:
                first[account_id] = index
        platform = get_path(account, "platform")
        info = platforms.all_platforms().get(platform) if isinstance(platform, str) else None
        if info is None:
            continue
        texts = account_text(data, index)
        ctx.account_texts[index] = texts
        for field in info.text:
            value = texts.get(field.name)
            if value is None or field.limit is None:
                continue
            length = measure(value.value, field.limit.unit)
            if length > field.limit.max:
                said = (
                    N_(
                        "too long for {platform} {field} (accounts[{index}] '{id}'): {length} "
                        "bytes, the limit is {limit}{hint}"
                    )
                    if field.limit.unit == "bytes"
                    else N_(
                        "too long for {platform} {field} (accounts[{index}] '{id}'): {length} "
                        "characters as Mastodon counts them (each link 23), the limit is "
                        "{limit}{hint}"
                    )
                    if field.limit.unit == "mastodon"
                    else N_(
                        "too long for {platform} {field} (accounts[{index}] '{id}'): {length} "
                        "characters, the limit is {limit}{hint}"
                    )
                )
                where = dict(platform=info.name, field=field.name, index=index, id=account_id)
                hint = _shorten_hint(info.name, field.name, value.source)
                ctx.error(
                    value.source,
                    msg(said, length=length, limit=field.limit.max, hint=hint, **where),
                )
        for dotted, why in info.requires:
            path = tuple(dotted.split("."))
            if get_path(data, *path) is None:
                ctx.error(
                    path,
                    msg(
                        "required for the {platform} account '{id}': {why}",
                        platform=info.label,
                        id=account_id,
                        why=msg(why),
                    ),
                )


def _shorten_hint(platform: str, field: str, source: JsonPath) -> str:
    if source == ("identity", "bio", "short"):
        return msg("; shorten it or set identity.bio.platforms.{platform}", platform=platform)
    if source == ("identity", "name"):
        return msg("; shorten it or set identity.short_name")
    return ""


_YAML11_OCTAL = re.compile(r"[-+]?0[0-7]+")
_YAML11_SEXAGESIMAL = re.compile(r"[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+")
_YAML12_ONLY_FLOAT = re.compile(r"[-+]?[0-9]+[eE][-+]?[0-9]+|[-+]?0o[0-7]+")
_YAML11_ONLY_BOOL = {"y", "n", "yes", "no", "on", "off"}


def _check_yaml_versions(ctx: CheckContext) -> None:
    """Plain scalars YAML 1.1 (brandkit, PyYAML) and YAML 1.2 (editors' language servers) read
    differently: the spec would mean one thing to brandkit and another in the editor."""
    if ctx.doc.file.endswith(".json"):
        return
    for path, origin in ctx.doc.scalars.items():
        if origin.quoted:
            continue
        text = origin.text
        if _YAML11_OCTAL.fullmatch(text) and int(text, 8) != int(text):
            said = msg(
                "`{text}` is {old} in YAML 1.1 (brandkit) but {new} in YAML 1.2 (editors)",
                text=text,
                old=int(text, 8),
                new=int(text),
            )
        elif _YAML11_SEXAGESIMAL.fullmatch(text):
            said = msg(
                "`{text}` is a base-60 number in YAML 1.1 (brandkit) but text in YAML 1.2",
                text=text,
            )
        elif _YAML12_ONLY_FLOAT.fullmatch(text):
            said = msg(
                "`{text}` is text in YAML 1.1 (brandkit) but a number in YAML 1.2 (editors)",
                text=text,
            )
        elif text.lower() in _YAML11_ONLY_BOOL:
            said = msg(
                "`{text}` is a boolean in YAML 1.1 (brandkit) but text in YAML 1.2 (editors)",
                text=text,
            )
        else:
            continue
        ctx.warn(path, msg("{said}: quote it, or write the value both read alike", said=said))


def _check_language(ctx: CheckContext) -> None:
    """A language brandkit has no newsletter words for is allowed (dates and numbers still
    follow it), but the person should know those words will be English."""
    tag = get_path(ctx.doc.data, "identity", "language")
    if isinstance(tag, str) and tag.split("-")[0].lower() not in LANGUAGES:
        ctx.warn(
            ("identity", "language"),
            msg(
                "brandkit has the newsletter's own words in {languages} only: '{tag}' gets "
                "English ones (docs/i18n.md says how to add a language)",
                languages=", ".join(LANGUAGES),
                tag=tag,
            ),
        )


def semantic_issues(ctx: CheckContext) -> list[Issue]:
    _check_yaml_versions(ctx)
    _check_language(ctx)
    _check_colours(ctx)
    _check_files(ctx)
    names = _selected_targets(ctx)
    _check_mark_size(ctx, names)
    _check_accounts(ctx)
    # one problem reported once even if two checks reach it
    unique = {(i.path, i.message): i for i in ctx.issues}
    return list(unique.values())

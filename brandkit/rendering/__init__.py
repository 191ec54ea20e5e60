"""Render every image a brand's targets need.

``render_image(brand, name)`` composes one target in memory (pure: writes nothing);
``render(brand, out)`` writes every selected target into ``out`` with a manifest, skipping
targets whose inputs did not change, using both cores for independent targets.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import hashlib
import json
import os
import typing as t
from pathlib import Path

from PIL import Image

from brandkit import platforms
from brandkit._files import atomic_write, file_sha256
from brandkit.errors import RenderError
from brandkit.newsletter import lint, newsletter_html, preview_html
from brandkit.platforms import Target
from brandkit.platforms.mailchimp.settings import Settings as MailchimpSettings
from brandkit.rendering.encode import Encoded, encode, encode_ico
from brandkit.rendering.fonts import svg_fonts
from brandkit.rendering.layout import Composer, DecodedLogos
from brandkit.rendering.output import Manifest, input_hash, referenced_files, target_recipe
from brandkit.rendering.svg import SvgRasteriser, needs_fonts
from brandkit.rendering.webhead import write_web_head
from brandkit.rerun import RunRecord, renderer_versions, run_key
from brandkit.spec.model import Brand

__all__ = [
    "RenderResult",
    "RenderedAsset",
    "render",
    "render_image",
    "render_target",
    "render_targets",
    "write_newsletter",
    "target_inputs",
]


@dataclasses.dataclass(frozen=True, slots=True)
class RenderedAsset:
    target: str
    platform: str
    role: str
    path: Path
    width: int
    height: int
    bytes: int
    sha256: str
    format: str
    encoding: str
    inputs: str
    cached: bool

    def to_dict(self) -> dict[str, t.Any]:
        return {
            k: (str(v) if isinstance(v, Path) else v) for k, v in dataclasses.asdict(self).items()
        }


@dataclasses.dataclass(frozen=True, slots=True)
class RenderResult:
    out: Path
    assets: tuple[RenderedAsset, ...]
    warnings: tuple[str, ...] = ()

    @property
    def rendered(self) -> tuple[RenderedAsset, ...]:
        return tuple(a for a in self.assets if not a.cached)

    def asset(self, target: str) -> RenderedAsset:
        for a in self.assets:
            if a.target == target:
                return a
        raise KeyError(target)


def _targets(brand: Brand, names: t.Iterable[str] | None) -> list[Target]:
    known = platforms.all_targets()
    chosen = list(names) if names is not None else list(brand.render.targets)
    unknown = [n for n in chosen if n not in known]
    if unknown:
        raise RenderError(
            f"unknown target '{unknown[0]}' (`brandkit render --list-targets` lists them)",
            target=unknown[0],
        )
    return [known[n] for n in chosen]


def render_target(composer: Composer, target: Target) -> tuple[Encoded, list[str], Image.Image]:
    style = composer.brand.render.style_for(target.name)
    if target.ico_sizes:
        parts = [composer.compose(target, style, size=(s, s)) for s in target.ico_sizes]
        return encode_ico([p.image for p in parts]), parts[-1].warnings, parts[-1].image
    composed = composer.compose(target, style)
    image = composed.image
    if target.opaque and image.mode != "RGB":
        image = image.convert("RGB")
    return encode(image, target, style.format), composed.warnings, image


def render_image(brand: Brand, name: str) -> Image.Image:
    """One target composed in memory (no file written)."""
    target = _targets(brand, [name])[0]
    return render_target(Composer(brand), target)[2]


def _recipe_files(brand: Brand, target: Target) -> tuple[dict[str, t.Any], list[Path]]:
    style = brand.render.style_for(target.name)
    logos = [brand.logos.mark]
    if target.layout == "banner" and brand.logos.wordmark is not None:
        logos.append(brand.logos.wordmark)
    files = [p for logo in logos for p in (logo.path, logo.dark) if p is not None]
    if any(p.suffix.lower() in (".svg", ".svgz") for p in files):
        # an SVG's <text> is set in the brand's fonts: a new font file draws it anew
        files += [brand.typography.heading.path, brand.typography.body.path]
    recipe: dict[str, t.Any] = {
        "target": target_recipe(target),
        "style": dataclasses.asdict(style),
        "colors": dataclasses.asdict(brand.colors),
        "allow_upscale": brand.render.allow_upscale,
        "has_wordmark": brand.logos.wordmark is not None,
    }
    if target.layout == "banner":
        identity = brand.identity
        recipe["text"] = [identity.name, identity.short_name, identity.tagline]
        files += [brand.typography.heading.path, brand.typography.body.path]
    return recipe, list(dict.fromkeys(files))


def _digest(value: t.Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def target_inputs(brand: Brand, name: str) -> dict[str, str]:
    """A digest of each input a target is drawn from, named by the part of the spec a person
    edits (``identity.tagline``, ``colors``, ``logos``...): what a check names when the image it
    uploaded is no longer the one the spec gives."""
    target = _targets(brand, [name])[0]
    recipe, files = _recipe_files(brand, target)
    text = recipe.pop("text", None)
    fonts = {brand.typography.heading.path, brand.typography.body.path}
    parts: dict[str, t.Any] = {
        "colors": recipe.pop("colors"),
        "logos": sorted(file_sha256(p) for p in files if p not in fonts),
        "typography": sorted(file_sha256(p) for p in files if p in fonts),
        "render": recipe,
        "brandkit": renderer_versions(),
    }
    if text is not None:
        name_, short_name, tagline = text
        parts["identity.name"] = [name_, short_name]
        parts["identity.tagline"] = tagline
    return {part: _digest(value) for part, value in parts.items()}


def render(
    brand: Brand,
    out: str | Path = "out",
    *,
    targets: t.Iterable[str] | None = None,
    workers: int | None = None,
    force: bool = False,
    logos: DecodedLogos | None = None,
) -> RenderResult:
    """What ``brandkit render`` makes: the targets' images (:func:`render_targets`), the
    newsletter template when the Mailchimp header is among them, and the web head; recorded in
    the manifest so an identical run can be replayed.

    Usage::

        result = brandkit.render(brandkit.load("brand.yaml"), "out")
        print(result.asset("twitter.avatar").path)
    """
    targets = None if targets is None else list(targets)  # read twice below
    wanted = targets if targets is not None else brand.render.targets
    # compiling the newsletter first loads the template compiler and CLDR's names (~40 ms):
    # done once on a side thread while the images render, the real compile below is quick
    warm = (lambda: _compile_newsletter(brand, "")) if "mailchimp.header" in wanted else None
    result = render_targets(
        brand, out, targets=targets, workers=workers, force=force, meanwhile=warm, logos=logos
    )
    assets = {a.target: a for a in result.assets}
    header = assets.get("mailchimp.header")
    warnings = list(result.warnings)
    if header is not None:
        warnings += write_newsletter(brand, result.out, header)
    write_web_head(brand, result.out, assets)
    result = dataclasses.replace(result, warnings=tuple(dict.fromkeys(warnings)))
    manifest = Manifest.read(result.out)
    record = _run_record(brand, _run_key(brand, targets), result)
    if record != manifest.run:
        manifest.run = record
        manifest.write()
    return result


def render_targets(
    brand: Brand,
    out: str | Path,
    *,
    targets: t.Iterable[str] | None = None,
    workers: int | None = None,
    force: bool = False,
    meanwhile: t.Callable[[], object] | None = None,
    logos: DecodedLogos | None = None,
) -> RenderResult:
    """The images of the brand's targets (or of ``targets``) in ``out``, with the manifest that
    lets the next call reuse every image whose inputs did not change. Nothing else is written.
    ``meanwhile`` runs on a side thread while the images render (started after any helper
    process is forked); what it raises is not the render's concern. ``logos``: raster logos
    decoded already (``ValidationResult.logos``), not decoded again."""
    out_dir = Path(out)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(
            f"cannot create the output folder: {exc.strerror}", file=str(out_dir)
        ) from None
    if not os.access(out_dir, os.W_OK):
        raise RenderError("the output folder is not writable", file=str(out_dir))
    manifest = Manifest.read(out_dir)
    selected = _targets(brand, targets)
    assets: dict[str, RenderedAsset] = {}
    warnings: list[str] = []
    todo: list[tuple[Target, str]] = []
    svg_files: set[Path] = set()
    for target in selected:
        recipe, files = _recipe_files(brand, target)
        try:
            inputs = input_hash(recipe, files)
        except OSError as exc:
            raise RenderError(f"cannot read an input file: {exc}", target=target.name) from None
        entry = None if force else manifest.fresh(target.name, inputs)
        if entry is not None:
            warnings.extend(str(w) for w in entry.get("warnings", []))
            assets[target.name] = RenderedAsset(
                target.name,
                target.platform,
                target.role,
                out_dir / entry["file"],
                entry["width"],
                entry["height"],
                entry["bytes"],
                entry["sha256"],
                entry["format"],
                entry["encoding"],
                inputs,
                True,
            )
        else:
            todo.append((target, inputs))
            svg_files.update(p for p in files if p.suffix.lower() in (".svg", ".svgz"))
    workers = workers or min(4, os.cpu_count() or 1)
    # helper processes rasterise the sizes of SVGs with text (resvg-py parses the file again for
    # each and holds the GIL); forked now, before any thread starts. SVGs without text are drawn
    # from one parsed tree in ~4 ms a size: a fork costs more than it saves (measured).
    slow = any(needs_fonts(p) for p in svg_files)
    with SvgRasteriser(
        helpers=workers if slow and workers > 1 and len(todo) > 1 else 0,
        fonts=svg_fonts(brand),
    ) as rasteriser:
        composer = Composer(brand, rasteriser, logos)
        with concurrent.futures.ThreadPoolExecutor(1) as side:
            if meanwhile is not None and todo:
                side.submit(meanwhile)  # its outcome is never asked for: a warm-up
            composer.prepare(target for target, _ in todo)
            _render_todo(composer, todo, out_dir, workers, manifest, assets, warnings)
    ordered = tuple(assets[t.name] for t in selected if t.name in assets)
    return RenderResult(out_dir, ordered, tuple(dict.fromkeys(warnings)))


def _run_key(brand: Brand, targets: t.Iterable[str] | None) -> str | None:
    try:
        return run_key(brand.source, None if targets is None else list(targets))
    except OSError:
        return None  # a brand not loaded from a file: no record, every run goes the full way


def _run_record(brand: Brand, key: str | None, result: RenderResult) -> RunRecord | None:
    """What this run read and wrote, so `brandkit render` can tell the next identical run is a
    no-op."""
    if key is None:
        return None
    written = [a.path for a in result.assets]
    if any(a.target == "mailchimp.header" for a in result.assets):
        written += [result.out / "newsletter" / name for name in _NEWSLETTER_FILES]
    try:
        reads = {str(p): file_sha256(p) for p in sorted(referenced_files(brand))}
        writes = {p.relative_to(result.out).as_posix(): file_sha256(p) for p in written}
    except OSError:
        return None
    return RunRecord(
        key,
        reads,
        writes,
        brand.identity.name,
        tuple(a.target for a in result.assets),
        result.warnings,
    )


def _render_todo(
    composer: Composer,
    todo: list[tuple[Target, str]],
    out_dir: Path,
    workers: int,
    manifest: Manifest,
    assets: dict[str, RenderedAsset],
    warnings: list[str],
) -> None:
    """Compose and encode ``todo`` on ``workers`` threads; write each file as it is ready."""

    def work(item: tuple[Target, str]) -> tuple[Target, str, Encoded, list[str]]:
        target, inputs = item
        encoded, target_warnings, _ = render_target(composer, target)
        return target, inputs, encoded, target_warnings

    errors: list[RenderError] = []
    if todo:
        # Pillow releases the GIL while resizing and encoding, so threads use both cores.
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            # biggest images first, so no large target is left running alone at the end;
            # results are still taken in target order, which keeps warnings in a stable order
            by_cost = sorted(todo, key=lambda item: -item[0].size[0] * item[0].size[1])
            futures = {item[0].name: pool.submit(work, item) for item in by_cost}
            for future in [futures[target.name] for target, _ in todo]:
                try:
                    target, inputs, encoded, target_warnings = future.result()
                except RenderError as exc:
                    errors.append(exc)
                    continue
                warnings.extend(target_warnings)
                rel = target.file + encoded.extension
                path = out_dir / rel
                try:
                    atomic_write(path, encoded.data)
                except OSError as exc:
                    errors.append(
                        RenderError(
                            f"cannot write: {exc.strerror}", target=target.name, file=str(path)
                        )
                    )
                    continue
                digest = hashlib.sha256(encoded.data).hexdigest()
                w, h = target.size
                assets[target.name] = RenderedAsset(
                    target.name,
                    target.platform,
                    target.role,
                    path,
                    w,
                    h,
                    len(encoded.data),
                    digest,
                    encoded.format,
                    encoded.encoding,
                    inputs,
                    False,
                )
                manifest.entries[target.name] = {
                    "file": rel,
                    "target": target.name,
                    "platform": target.platform,
                    "width": w,
                    "height": h,
                    "bytes": len(encoded.data),
                    "sha256": digest,
                    "format": encoded.format,
                    "encoding": encoded.encoding,
                    "inputs": inputs,
                    "warnings": target_warnings,
                }
    if todo:
        manifest.write()
    if errors:
        if len(errors) == 1:
            raise errors[0]
        raise RenderError("; ".join(str(e) for e in errors))


_NEWSLETTER_FILES = ("newsletter.html", "preview.html")  # the template to upload, its preview


def _compile_newsletter(brand: Brand, header_url: str) -> tuple[str, str]:
    """The template to upload and its preview, pointing at ``header_url``."""
    template = next(
        (a.options.template for a in brand.accounts if isinstance(a.options, MailchimpSettings)),
        None,
    )
    compiled = newsletter_html(brand, header_url, template)
    return compiled, preview_html(brand, compiled)


def write_newsletter(brand: Brand, out_dir: Path, header: RenderedAsset) -> list[str]:
    """newsletter/newsletter.html (the template to upload) and newsletter/preview.html (merge tags
    filled with samples), both pointing at the rendered header. Rewritten only when they change."""
    compiled, preview = _compile_newsletter(
        brand, "../" + header.path.relative_to(out_dir).as_posix()
    )
    problems = lint(compiled)
    errors = [p.message for p in problems if p.severity == "error"]
    if errors:
        raise RenderError("; ".join(errors), target="newsletter")
    for name, text in zip(_NEWSLETTER_FILES, (compiled, preview), strict=True):
        path = out_dir / "newsletter" / name
        data = text.encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            atomic_write(path, data)
    return [f"newsletter: {p.message}" for p in problems]

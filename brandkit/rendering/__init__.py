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
import threading
import typing as t
from pathlib import Path

from PIL import Image

from brandkit import platforms
from brandkit._files import atomic_write, file_sha256
from brandkit.errors import RenderError
from brandkit.platforms import Target
from brandkit.rendering.encode import Encoded, encode, encode_ico
from brandkit.rendering.fonts import svg_fonts
from brandkit.rendering.layout import Composer
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
) -> RenderResult:
    """Render the brand's targets into ``out``; unchanged targets are reused from the manifest.

    Usage::

        result = brandkit.render(brandkit.load("brand.yaml"), "out")
        print(result.asset("twitter.avatar").path)
    """
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
    run = _run_key(brand, targets)
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
        # started after the fork above: a thread must not exist when a process forks
        newsletter = _Newsletter(
            brand, out_dir, any(t.name == "mailchimp.header" for t in selected)
        )
        composer = Composer(brand, rasteriser)
        try:
            composer.prepare(target for target, _ in todo)
            _render_todo(
                composer,
                todo,
                out_dir,
                workers,
                manifest,
                assets,
                warnings,
                written=newsletter.written,
            )
        except BaseException:
            newsletter.abandon()
            raise
        newsletter_warnings = newsletter.finish(assets.get("mailchimp.header"))
    ordered = tuple(assets[t.name] for t in selected if t.name in assets)
    warnings.extend(newsletter_warnings)
    write_web_head(brand, out_dir, assets)
    result = RenderResult(out_dir, ordered, tuple(dict.fromkeys(warnings)))
    record = _run_record(brand, run, result)
    if record != manifest.run:
        manifest.run = record
        manifest.write()
    return result


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
    written: t.Callable[[RenderedAsset], None] | None = None,
) -> None:
    """Compose and encode ``todo`` on ``workers`` threads; write each file as it is ready
    (``written`` is told of each)."""

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
                if written is not None:
                    written(assets[target.name])
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


class _Newsletter:
    """Writes ``newsletter/`` on a thread of its own. Its first run imports the template compiler
    and the address data and loads CLDR's names (~45 ms, most of it holding no lock the render
    needs): the thread does that while the targets render, then waits for the header to be
    written and writes the two files. ``finish`` hands back its warnings (or its error)."""

    def __init__(self, brand: Brand, out_dir: Path, wanted: bool) -> None:
        self.brand, self.out_dir = brand, out_dir
        self._header: RenderedAsset | None = None
        self._header_known = threading.Event()
        self._outcome: list[str] | BaseException = []
        self._thread: threading.Thread | None = None
        if wanted:
            self._thread = threading.Thread(target=self._run, name="brandkit-newsletter")
            self._thread.start()

    def _run(self) -> None:
        try:
            _compile_newsletter(self.brand, "")  # warming up: the same work with no header yet
        except Exception:  # noqa: BLE001,S110 - the real attempt below reports it
            pass
        self._header_known.wait()
        if self._header is None:
            return
        try:
            self._outcome = _write_newsletter(self.brand, self.out_dir, self._header)
        except BaseException as exc:  # raised on the render's own thread by finish()
            self._outcome = exc

    def written(self, asset: RenderedAsset) -> None:
        if asset.target == "mailchimp.header" and not self._header_known.is_set():
            self._header = asset
            self._header_known.set()

    def abandon(self) -> None:
        """The render failed: let the thread end without writing (unless it already has)."""
        if self._thread is not None:
            self._header_known.set()
            self._thread.join()

    def finish(self, header: RenderedAsset | None) -> list[str]:
        if self._thread is None:
            return _write_newsletter(self.brand, self.out_dir, header) if header else []
        self._header = header  # the same asset, or one reused from the cache, or None (failed)
        self._header_known.set()
        self._thread.join()
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        return self._outcome


def _compile_newsletter(brand: Brand, header_url: str) -> tuple[str, str]:
    """The template to upload and its preview, pointing at ``header_url``."""
    from brandkit.newsletter import newsletter_html, preview_html

    template = next(
        (a.setting("template") for a in brand.accounts if a.platform == "mailchimp"), None
    )
    compiled = newsletter_html(brand, header_url, template)
    return compiled, preview_html(brand, compiled)


def _write_newsletter(brand: Brand, out_dir: Path, header: RenderedAsset) -> list[str]:
    """newsletter/newsletter.html (the template to upload) and newsletter/preview.html (merge tags
    filled with samples), both pointing at the rendered header. Rewritten only when they change."""
    from brandkit.newsletter import lint

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

"""Read a Posit ``_brand.yml`` (meta / logo / color / typography, shorthands and light/dark)
into brandkit's native spec shape. brandkit-only data lives under ``defaults.brandkit``.

Positions are carried over, so every later error still points into the ``_brand.yml``.
"""

from __future__ import annotations

import typing as t

from brandkit.spec.issues import Issue, JsonPath
from brandkit.spec.loader import Document

__all__ = ["COLOUR_ROLES", "convert_brand_yml", "is_brand_yml"]

_NATIVE_KEYS = {"version", "identity", "logos", "colors", "accounts"}
_POSIT_KEYS = {"meta", "logo", "color", "typography", "defaults"}
_THEME_EXTRA = ("success", "info", "warning", "danger", "light", "dark")
# brand.yml colour role -> brandkit's (brand.yml calls the third colour "tertiary")
COLOUR_ROLES = (
    ("primary", "primary"),
    ("secondary", "secondary"),
    ("tertiary", "accent"),
    ("background", "background"),
    ("foreground", "foreground"),
)


def is_brand_yml(doc: Document) -> bool:
    data = doc.data
    if not isinstance(data, dict):
        return False
    if doc.file.endswith(("_brand.yml", "_brand.yaml")):
        return True
    return bool(_POSIT_KEYS & data.keys()) and not (_NATIVE_KEYS & data.keys())


class _Converter:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.origin: dict[JsonPath, JsonPath] = {}  # native path -> _brand.yml path
        self.issues: list[Issue] = []

    def put(
        self, out: dict[str, t.Any], native: JsonPath, key: str, value: t.Any, source: JsonPath
    ) -> None:
        out[key] = value
        self.origin[native + (key,)] = source

    def error(self, source: JsonPath, message: str) -> None:
        self.issues.append(self.doc.issue(source, message))

    def mapping(
        self, parent: t.Mapping[str, t.Any], key: str, source: JsonPath = ()
    ) -> dict[str, t.Any]:
        """``parent[key]`` when it is a mapping; {} (and an error, when it is something else)."""
        value = parent.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(source + (key,), f"must be a mapping of fields, not {_kind(value)}")
            return {}
        return value

    def sequence(self, parent: t.Mapping[str, t.Any], key: str, source: JsonPath) -> list[t.Any]:
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(source + (key,), f"must be a list, not {_kind(value)}")
            return []
        return value

    # -- meta ---------------------------------------------------------------
    def identity(self, data: dict[str, t.Any]) -> dict[str, t.Any]:
        out: dict[str, t.Any] = {}
        meta = self.mapping(data, "meta")
        name = meta.get("name")
        if isinstance(name, str):
            self.put(out, ("identity",), "name", name, ("meta", "name"))
        elif isinstance(name, dict):
            if "full" in name:
                self.put(out, ("identity",), "name", name["full"], ("meta", "name", "full"))
            if "short" in name:
                self.put(out, ("identity",), "short_name", name["short"], ("meta", "name", "short"))
            if "full" not in name and "short" in name:
                self.put(out, ("identity",), "name", name["short"], ("meta", "name", "short"))
        link = meta.get("link")
        if isinstance(link, str):
            self.put(out, ("identity",), "website", link, ("meta", "link"))
        elif isinstance(link, dict):
            links: dict[str, t.Any] = {}
            for key, value in link.items():
                if key == "home":
                    self.put(out, ("identity",), "website", value, ("meta", "link", "home"))
                else:
                    self.put(links, ("identity", "links"), key, value, ("meta", "link", key))
            if links:
                self.put(out, ("identity",), "links", links, ("meta", "link"))
        return out

    # -- logo ---------------------------------------------------------------
    def _image(
        self, ref: t.Any, images: dict[str, t.Any], source: JsonPath
    ) -> tuple[str, str | None, JsonPath] | None:
        """(path, alt, source) of a logo reference: a path, an images key, or {path, alt}."""
        if isinstance(ref, str):
            if ref in images:
                return self._image(images[ref], {}, ("logo", "images", ref))
            return ref, None, source
        if isinstance(ref, dict) and "path" in ref:
            return ref["path"], ref.get("alt"), source + ("path",)
        return None

    def logos(self, data: dict[str, t.Any]) -> dict[str, t.Any]:
        logo = data.get("logo")
        out: dict[str, t.Any] = {}
        if isinstance(logo, str):
            self.put(out, ("logos",), "mark", logo, ("logo",))
            return out
        if not isinstance(logo, dict):
            return out
        raw_images = logo.get("images")
        images: dict[str, t.Any] = raw_images if isinstance(raw_images, dict) else {}
        for native, sizes in (
            ("mark", ("small", "medium", "large")),
            ("wordmark", ("large", "medium")),
        ):
            size = next((s for s in sizes if s in logo), None)
            if size is None:
                continue
            ref = logo[size]
            entry: dict[str, t.Any] = {}
            if isinstance(ref, dict) and ("light" in ref or "dark" in ref):
                light = self._image(
                    ref.get("light", ref.get("dark")), images, ("logo", size, "light")
                )
                dark = (
                    self._image(ref["dark"], images, ("logo", size, "dark"))
                    if "dark" in ref
                    else None
                )
                if light:
                    self.put(entry, ("logos", native), "path", light[0], light[2])
                    if light[1]:
                        self.put(entry, ("logos", native), "alt", light[1], light[2])
                if dark and dark[0] != (light[0] if light else None):
                    self.put(entry, ("logos", native), "dark", dark[0], dark[2])
            else:
                image = self._image(ref, images, ("logo", size))
                if image is None:
                    self.error(
                        ("logo", size),
                        "expected a path, an images name, {path, alt} or {light, dark}",
                    )
                    continue
                self.put(entry, ("logos", native), "path", image[0], image[2])
                if image[1]:
                    self.put(entry, ("logos", native), "alt", image[1], image[2])
            if entry:
                self.put(out, ("logos",), native, entry, ("logo", size))
        return out

    # -- color --------------------------------------------------------------
    def _colour(self, value: t.Any, source: JsonPath) -> tuple[t.Any, JsonPath]:
        # brand.yml light/dark colour values: brandkit's backgrounds are the light theme
        if isinstance(value, dict) and "light" in value:
            return value["light"], source + ("light",)
        return value, source

    def colors(self, data: dict[str, t.Any]) -> dict[str, t.Any]:
        color = data.get("color")
        out: dict[str, t.Any] = {}
        if not isinstance(color, dict):
            return out
        palette: dict[str, t.Any] = {}
        for name, value in self.mapping(color, "palette", ("color",)).items():
            self.put(palette, ("colors", "palette"), name, value, ("color", "palette", name))
        for role, native in COLOUR_ROLES:
            if role in color:
                value, source = self._colour(color[role], ("color", role))
                self.put(out, ("colors",), native, value, source)
        for extra in _THEME_EXTRA:
            if extra in color and extra not in palette:
                value, source = self._colour(color[extra], ("color", extra))
                self.put(palette, ("colors", "palette"), extra, value, source)
        if palette:
            self.put(out, ("colors",), "palette", palette, ("color", "palette"))
        return out

    # -- typography -----------------------------------------------------------
    def typography(self, data: dict[str, t.Any]) -> dict[str, t.Any]:
        typo = data.get("typography")
        out: dict[str, t.Any] = {}
        if not isinstance(typo, dict):
            return out
        files: dict[str, list[tuple[int, str, JsonPath]]] = {}
        for i, font in enumerate(self.sequence(typo, "fonts", ("typography",))):
            if isinstance(font, dict) and font.get("source") == "file":
                for j, f in enumerate(self.sequence(font, "files", ("typography", "fonts", i))):
                    if isinstance(f, dict) and "path" in f:
                        weight = f.get("weight", 400)
                        weight = (
                            weight
                            if isinstance(weight, int)
                            else {"bold": 700, "normal": 400}.get(str(weight), 400)
                        )
                        files.setdefault(str(font.get("family", "")), []).append(
                            (weight, f["path"], ("typography", "fonts", i, "files", j, "path"))
                        )
        for role, native, want in (("base", "body", 400), ("headings", "heading", 700)):
            spec = typo.get(role)
            family = (
                spec
                if isinstance(spec, str)
                else (spec or {}).get("family")
                if isinstance(spec, dict)
                else None
            )
            if not family:
                continue
            if not isinstance(family, str):
                where = ("typography", role) + (("family",) if isinstance(spec, dict) else ())
                self.error(where, f"must be a font family name (text), not {_kind(family)}")
                continue
            candidates = files.get(family)
            if not candidates:
                # google/bunny/system fonts need the network or the machine: use the bundled font
                bundled = "inter-bold" if native == "heading" else "inter"
                self.put(
                    out,
                    ("typography",),
                    native,
                    {"file": bundled, "family": family},
                    ("typography", role),
                )
                continue
            weight, path, source = min(candidates, key=lambda c: abs(c[0] - want))
            entry: dict[str, t.Any] = {}
            self.put(entry, ("typography", native), "file", path, source)
            self.put(entry, ("typography", native), "family", family, ("typography", role))
            self.put(out, ("typography",), native, entry, ("typography", role))
        return out


def _merge(
    base: dict[str, t.Any],
    extra: dict[str, t.Any],
    native: JsonPath,
    source: JsonPath,
    origin: dict[JsonPath, JsonPath],
) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value, native + (key,), source + (key,), origin)
        else:
            base[key] = value
            _record(value, native + (key,), source + (key,), origin)


def _record(
    value: t.Any, native: JsonPath, source: JsonPath, origin: dict[JsonPath, JsonPath]
) -> None:
    origin[native] = source
    if isinstance(value, dict):
        for k, v in value.items():
            _record(v, native + (k,), source + (k,), origin)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _record(v, native + (i,), source + (i,), origin)


def convert_brand_yml(doc: Document) -> tuple[Document, list[Issue]]:
    """A native-shaped Document whose positions point into the original ``_brand.yml``."""
    data = doc.data
    conv = _Converter(doc)
    native: dict[str, t.Any] = {"version": 1}
    conv.origin[("version",)] = ()
    for key, part in (
        ("identity", conv.identity(data)),
        ("logos", conv.logos(data)),
        ("colors", conv.colors(data)),
        ("typography", conv.typography(data)),
    ):
        if part:
            native[key] = part
            conv.origin[(key,)] = {
                "identity": ("meta",),
                "logos": ("logo",),
                "colors": ("color",),
                "typography": ("typography",),
            }[key]
    extra = (
        (data.get("defaults") or {}).get("brandkit")
        if isinstance(data.get("defaults"), dict)
        else None
    )
    if isinstance(extra, dict):
        _merge(native, extra, (), ("defaults", "brandkit"), conv.origin)
    for unknown in data.keys() - _POSIT_KEYS:
        conv.error(
            (unknown,),
            "unknown top-level field in a _brand.yml (expected meta, logo, color, typography, "
            "defaults)",
        )

    converted = Document(file=doc.file, data=native, value_pos={}, key_pos={}, scalars={})
    for native_path, source in conv.origin.items():
        converted.value_pos[native_path] = doc.position(source)
        converted.key_pos[native_path] = doc.position(source, key=True)
        if source in doc.scalars:
            converted.scalars[native_path] = doc.scalars[source]
    converted.value_pos.setdefault((), (1, 1))
    return converted, conv.issues


def _kind(value: t.Any) -> str:
    return {
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)

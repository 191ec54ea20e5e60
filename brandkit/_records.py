"""Frozen value types that cost next to nothing to define.

``dataclasses.dataclass(frozen=True)`` compiles six functions per class with ``exec`` and imports
``inspect`` (with ast, dis and tokenize) to write a docstring: ~1 ms a class, and the 26 classes
a render loads (the brand model, the platform targets, the render's results) were ~40 ms of
every command's start (measured with ``-X importtime``). ``@record`` gives those classes the same
behaviour from shared functions, defined once: construction by position or keyword with
defaults and ``field(default_factory=...)``, immutability, equality, hashing and repr, in
declaration order. Construction binds arguments in Python rather than in generated code: a few
microseconds an object, for the few hundred objects a command makes.

They stay dataclasses to everyone else: ``dataclasses.fields``, ``asdict``, ``replace`` and
``is_dataclass`` work on them (their ``Field`` list is built, and ``dataclasses`` imported, the
first time something asks). brandkit's own code uses the cheaper ``fields``, ``asdict`` and
``replace`` below. Type checkers see ``@dataclass(frozen=True)`` (PEP 681).
"""

from __future__ import annotations

import typing as t

__all__ = ["asdict", "field", "field_names", "is_record", "record", "replace"]

_T = t.TypeVar("_T")
_MISSING: t.Any = object()


class _FieldSpec:
    """What ``field()`` leaves in a class body, for ``@record`` to read."""

    __slots__ = ("compare", "default", "default_factory", "hash", "repr")

    def __init__(
        self,
        default: t.Any,
        default_factory: t.Any,
        hash: bool | None,  # noqa: A002 - the dataclasses name
        compare: bool,
        repr: bool,  # noqa: A002
    ) -> None:
        self.default, self.default_factory = default, default_factory
        self.hash, self.compare, self.repr = hash, compare, repr


@t.overload
def field(
    *, default: _T, hash: bool | None = None, compare: bool = True, repr: bool = True
) -> _T: ...
@t.overload
def field(
    *,
    default_factory: t.Callable[[], _T],
    hash: bool | None = None,
    compare: bool = True,
    repr: bool = True,
) -> _T: ...
def field(
    *,
    default: t.Any = _MISSING,
    default_factory: t.Any = _MISSING,
    hash: bool | None = None,  # noqa: A002 - the dataclasses name
    compare: bool = True,
    repr: bool = True,  # noqa: A002
) -> t.Any:
    """``dataclasses.field`` for a ``@record`` class (the same keywords)."""
    return _FieldSpec(default, default_factory, hash, compare, repr)


class _Field(t.NamedTuple):
    name: str
    annotation: str
    default: t.Any
    default_factory: t.Any
    hash: bool  # whether it takes part in the hash
    hash_given: bool | None  # as field() was told (None: as compare), for dataclasses' Field
    compare: bool
    repr: bool


def _is_classvar(annotation: object) -> bool:
    text = annotation if isinstance(annotation, str) else repr(annotation)
    return text.startswith(("ClassVar", "t.ClassVar", "typing.ClassVar"))


@t.dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[_T]) -> type[_T]:
    """Make ``cls`` a frozen record of its annotated attributes (see the module docstring)."""
    found: list[_Field] = list(getattr(cls, "__record_fields__", ()))  # a record base's first
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if _is_classvar(annotation):
            continue
        value = cls.__dict__.get(name, _MISSING)
        if isinstance(value, _FieldSpec):
            spec = value
            delattr(cls, name)
            if spec.default is not _MISSING:
                setattr(cls, name, spec.default)  # as dataclasses leaves a plain default
        else:
            spec = _FieldSpec(value, _MISSING, None, True, True)
        hashed = spec.compare if spec.hash is None else spec.hash
        found = [f for f in found if f.name != name]
        found.append(
            _Field(
                name,
                str(annotation),
                spec.default,
                spec.default_factory,
                hashed,
                spec.hash,
                spec.compare,
                spec.repr,
            )
        )
    fields = tuple(found)
    ns = vars(cls)
    type.__setattr__(cls, "__record_fields__", fields)
    type.__setattr__(cls, "__match_args__", tuple(f.name for f in fields))
    for name, method in (
        ("__init__", _init),
        ("__repr__", _repr),
        ("__eq__", _eq),
        ("__hash__", _hash),
        ("__setattr__", _setattr),
        ("__delattr__", _delattr),
    ):
        # a method the class defines stays (a class defining __eq__ gets __hash__ = None: set)
        if ns.get(name) is None:
            type.__setattr__(cls, name, method)
    type.__setattr__(cls, "__dataclass_fields__", _DataclassFields())
    return cls


def _init(self: t.Any, *args: t.Any, **kwargs: t.Any) -> None:
    fields: tuple[_Field, ...] = type(self).__record_fields__
    if len(args) > len(fields):
        raise TypeError(
            f"{type(self).__name__}() takes {len(fields)} positional arguments but {len(args)} "
            "were given"
        )
    for index, f in enumerate(fields):
        if index < len(args):
            if f.name in kwargs:
                raise TypeError(
                    f"{type(self).__name__}() got multiple values for argument '{f.name}'"
                )
            value = args[index]
        elif f.name in kwargs:
            value = kwargs.pop(f.name)
        elif f.default is not _MISSING:
            value = f.default
        elif f.default_factory is not _MISSING:
            value = f.default_factory()
        else:
            raise TypeError(f"{type(self).__name__}() missing required argument: '{f.name}'")
        object.__setattr__(self, f.name, value)
    if kwargs:
        raise TypeError(
            f"{type(self).__name__}() got an unexpected keyword argument '{next(iter(kwargs))}'"
        )
    post_init = getattr(self, "__post_init__", None)
    if post_init is not None:
        post_init()


def _repr(self: t.Any) -> str:
    shown = ", ".join(
        f"{f.name}={getattr(self, f.name)!r}" for f in self.__record_fields__ if f.repr
    )
    return f"{type(self).__qualname__}({shown})"


def _compared(self: t.Any) -> tuple[t.Any, ...]:
    return tuple(getattr(self, f.name) for f in self.__record_fields__ if f.compare)


def _eq(self: t.Any, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _compared(self) == _compared(other)


def _hash(self: t.Any) -> int:
    return hash(tuple(getattr(self, f.name) for f in self.__record_fields__ if f.hash))


def _frozen(name: str) -> AttributeError:
    import dataclasses  # only to raise the exception type dataclasses users expect

    return dataclasses.FrozenInstanceError(f"cannot assign to field '{name}'")


def _setattr(self: t.Any, name: str, value: t.Any) -> None:
    raise _frozen(name)


def _delattr(self: t.Any, name: str) -> None:
    raise _frozen(name)


class _DataclassFields:
    """``__dataclass_fields__``, built on first use: the standard library's view of a record."""

    def __get__(self, instance: object, owner: type) -> dict[str, t.Any]:
        import dataclasses

        built = {}
        for f in owner.__record_fields__:  # type: ignore[attr-defined]
            made: t.Any = dataclasses.field(
                default=f.default if f.default is not _MISSING else dataclasses.MISSING,
                default_factory=(
                    f.default_factory if f.default_factory is not _MISSING else dataclasses.MISSING
                ),
                hash=f.hash_given,
                compare=f.compare,
                repr=f.repr,
            )
            made.name, made.type = f.name, f.annotation
            made._field_type = dataclasses._FIELD  # type: ignore[attr-defined]  # what fields() keeps
            made.kw_only = False
            built[f.name] = made
        type.__setattr__(owner, "__dataclass_fields__", built)
        return built


def is_record(value: object) -> bool:
    return hasattr(type(value), "__record_fields__")


def field_names(value: object) -> tuple[str, ...]:
    return tuple(f.name for f in type(value).__record_fields__)  # type: ignore[attr-defined]


def replace(value: _T, **changes: t.Any) -> _T:
    """A copy of the record ``value`` with ``changes`` (``dataclasses.replace``)."""
    for name in field_names(value):
        changes.setdefault(name, getattr(value, name))
    return type(value)(**changes)


def asdict(value: t.Any) -> t.Any:
    """``dataclasses.asdict`` for records: nested records become dicts, tuples and lists are
    rebuilt, dicts copied; other values are immutable here and kept."""
    if is_record(value):
        return {name: asdict(getattr(value, name)) for name in field_names(value)}
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a NamedTuple
        return type(value)(*(asdict(v) for v in value))
    if isinstance(value, (list, tuple)):
        return type(value)(asdict(v) for v in value)
    if isinstance(value, dict):
        return {asdict(k): asdict(v) for k, v in value.items()}
    return value

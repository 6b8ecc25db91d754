"""Typer's conversion of the plain parameter types without pydantic.

Typer 0.29 converts every value through a pydantic `TypeAdapter`, built when a command first
processes its parameters: importing pydantic and building the adapters of one command took
about 130 ms of the 0.58 s a whole `ozgkompass score` took (benchmarks/score_catalogue.py).
Every parameter of ozgkompass is a str, a Path, a bool, an int or a float (or a list of
them), and their values, as people type them, are converted here with the results pydantic
gives them: `Plain` is a `typer._coercion.RuntimeParam` like Typer's own, so the German texts
of `cli.german` (`RuntimeParam.coerce`) apply unchanged.

Everything else goes to Typer's own conversion, built only then: other types (choices,
dates, files, tuples, parsers), clamped ranges, values that are not plain ASCII text or not
in the simple forms below (pydantic has rules of its own for Unicode digits, underscores and
spaces), and every value that fails, so each error is Typer's own, worded in German by
`cli.usage_errors`. tests/test_cli_coercion.py holds the results against Typer's own
conversion, value for value.

Installed once with the German texts (`install`), as `typer.core.build_runtime_param`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typer import _coercion
from typer._param_types import coerce_cli_path, routes_to_path
from typer._typing import get_args, get_origin

__all__ = ["Plain", "install", "plain_param"]

# Text the fast rules below are written for: printable ASCII, tab and line breaks.
_ASCII = re.compile(r"[ -~\t\n\r]*")
_SPACE = " \t\n\r"
# Numbers as people type them, which pydantic reads as Python does (an integer may end in a
# fraction of zeros: pydantic reads "1.0" as 1); underscores, for one, it reads its own way
_INT = re.compile(r"[+-]?[0-9]+(?:\.0+)?")
_FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
                    r"|[+-]?(?:inf|infinity|nan)", re.IGNORECASE)
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})


class _Unplain(Exception):
    """The value is for Typer's own conversion (which also words every failure)."""


@dataclass(frozen=True)
class Plain(_coercion.RuntimeParam):
    """The conversion of one parameter of a plain type (`leaf`), or of a list of them."""

    leaf: type[Any]
    many: bool
    fallback: list[Any] = field(default_factory=list, compare=False)  # Typer's, once built

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        try:
            if self.many:
                items = value if isinstance(value, (list, tuple)) else [value]
                return [self._leaf(item, param, ctx) for item in items]
            return self._leaf(value, param, ctx)
        except _Unplain:
            return self._typers()._coerce_value(value, param=param, ctx=ctx)

    def _typers(self) -> Any:
        if not self.fallback:
            descriptor = _coercion.resolve_type_descriptor(self.annotation, self.parameter_info)
            self.fallback.append(_ORIGINAL(descriptor))
        return self.fallback[0]

    def _leaf(self, value: Any, param: Any, ctx: Any) -> Any:
        leaf = self.leaf
        if leaf is str:
            if isinstance(value, str):
                return value
            raise _Unplain
        if leaf is Path:
            if isinstance(value, str) and _ASCII.fullmatch(value):
                value = Path(value)
            if not isinstance(value, Path):
                raise _Unplain
            # Typer's own path checks, raising Typer's errors
            return coerce_cli_path(value, self.parameter_info, path_type=Path,
                                   param=param, ctx=ctx)
        if type(value) is leaf or (leaf is float and type(value) is int):
            # a default of the right type (pydantic makes a float of an int)
            return value if leaf is bool else self._bounded(float(value) if leaf is float
                                                            else value)
        if not isinstance(value, str) or not _ASCII.fullmatch(value):
            raise _Unplain
        if leaf is bool:
            word = value.strip(_SPACE).lower()  # Typer strips; an empty value is False
            if word in _TRUE:
                return True
            if word in _FALSE or not word:
                return False
            raise _Unplain
        text = value.strip(_SPACE)
        if leaf is int and _INT.fullmatch(text):
            return self._bounded(int(text.partition(".")[0]))
        if leaf is float and _FLOAT.fullmatch(text):
            return self._bounded(float(text))
        raise _Unplain

    def _bounded(self, number: int | float) -> int | float:
        low, high = self.parameter_info.min, self.parameter_info.max
        if (low is not None and not number >= low) or (high is not None and not number <= high):
            raise _Unplain
        return number


def plain_param(descriptor: Any) -> Plain | None:
    """Our conversion for this parameter, or None when it is Typer's to do."""
    info = descriptor.parameter_info
    annotation = descriptor.annotation
    many = get_origin(annotation) is list
    leaf = get_args(annotation)[0] if many else annotation
    if (descriptor.file_annotation is not None or info.parser is not None or info.clamp
            or descriptor.choices is not None or leaf not in (str, Path, bool, int, float)):
        return None
    if (leaf is Path) != routes_to_path(leaf, info):  # path flags on a str: Typer's
        return None
    if leaf in (str, Path, bool) and (info.min is not None or info.max is not None):
        return None
    return Plain(parameter_info=info, annotation=annotation, leaf=leaf, many=many)


_ORIGINAL = _coercion.build_runtime_param  # Typer's own


def build_runtime_param(descriptor: Any) -> Any:
    plain = plain_param(descriptor)
    return plain if plain is not None else _ORIGINAL(descriptor)


def install() -> None:
    """Typer's parameters convert the plain types here (idempotent)."""
    from typer import core

    setattr(core, "build_runtime_param", build_runtime_param)  # noqa: B010 (not exported)

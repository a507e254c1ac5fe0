"""Selectors into a payload: JSON Pointer and a small, safe subset of JSONPath.

``/machine/serial`` is an RFC 6901 JSON Pointer from the payload's root. ``$.a.b[*].c``
starts at the root, ``@.c`` at the current item of a ``forEach``. Steps: ``.name``,
``['name']``, ``[2]``, ``[-1]``, ``[*]``, ``.*`` and filters ``[?(@.kind == 'press')]``
(``==`` or ``!=`` against a string, number, ``true``, ``false`` or ``null``) and
``[?(@.value)]`` (the member exists and is not null). Nothing is evaluated as code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from omp_models.locate import split_pointer

__all__ = ["Match", "Selector", "SelectorError", "parse_selector"]

Token = str | int


class SelectorError(ValueError):
    """A selector that cannot be parsed (the message says where)."""


@dataclass(frozen=True, slots=True)
class Match:
    """One value a selector found, and where (tokens of a JSON Pointer)."""

    value: Any
    tokens: tuple[Token, ...]


@dataclass(frozen=True, slots=True)
class _Name:
    name: str


@dataclass(frozen=True, slots=True)
class _Index:
    index: int


@dataclass(frozen=True, slots=True)
class _Wild:
    pass


@dataclass(frozen=True, slots=True)
class _Filter:
    path: tuple[_Name | _Index, ...]
    op: str | None  # "==", "!=" or None (exists)
    literal: Any


_Step = _Name | _Index | _Wild | _Filter

_IDENT = re.compile(r"[A-Za-z0-9_\-$\u00c0-\uffff]+")
_INDEX = re.compile(r"\[\s*(-?\d+)\s*\]")
_QUOTED = re.compile(r"""\[\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]""")
_FILTER = re.compile(
    r"""\[\?\(\s*@(?P<path>(?:\.[A-Za-z0-9_\-$\u00c0-\uffff]+|\[\s*-?\d+\s*\]|\[\s*'(?:[^'\\]|"""
    r"""\\.)*'\s*\])*)\s*(?:(?P<op>==|!=)\s*(?P<lit>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|"""
    r"""-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null))?\s*\)\]""")


@dataclass(frozen=True, slots=True)
class Selector:
    """A parsed selector.

    Attributes:
        text: The selector as written.
        relative: Whether it starts at the current item (``@``) rather than the root.
        steps: The steps.
    """

    text: str
    relative: bool
    steps: tuple[_Step, ...]

    @property
    def single(self) -> bool:
        """Whether it can find at most one value (no wildcard, no filter)."""
        return not any(isinstance(s, _Wild | _Filter) for s in self.steps)

    def find(self, root: Any, item: Match | None = None) -> list[Match]:
        """Every value the selector finds (in document order)."""
        start = item if self.relative and item is not None else Match(root, ())
        return list(_walk(start, self.steps))


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _literal(text: str) -> Any:
    if text[0] in "'\"":
        return _unescape(text[1:-1])
    return json.loads(text)


def _simple_path(text: str) -> tuple[_Name | _Index, ...]:
    steps: list[_Name | _Index] = []
    pos = 0
    while pos < len(text):
        if text[pos] == ".":
            m = _IDENT.match(text, pos + 1)
            assert m is not None
            steps.append(_Name(m.group(0)))
        elif (m := _INDEX.match(text, pos)) is not None:
            steps.append(_Index(int(m.group(1))))
        else:
            m = _QUOTED.match(text, pos)
            assert m is not None
            steps.append(_Name(_unescape(m.group(1) or m.group(2) or "")))
        pos = m.end()
    return tuple(steps)


def parse_selector(text: str) -> Selector:
    """Parse a JSON Pointer (``/a/0``) or a JSONPath-like selector (``$.a[0]``, ``@.b``).

    Raises:
        SelectorError: When the text is neither.
    """
    if text.startswith("/"):
        return Selector(text, False, tuple(
            _Index(int(t)) if t.isdigit() else _Name(t) for t in split_pointer(text)))
    if not text or text[0] not in "$@":
        raise SelectorError(f"{text!r} is not a selector: start with / (JSON Pointer), "
                            "$ (the payload) or @ (the current item)")
    steps: list[_Step] = []
    pos = 1
    while pos < len(text):
        rest = text[pos:]
        if rest.startswith(".*"):
            steps.append(_Wild())
            pos += 2
        elif rest.startswith("."):
            m = _IDENT.match(text, pos + 1)
            if m is None:
                raise SelectorError(f"{text!r}: a name is expected after '.' at "
                                    f"character {pos + 2}")
            steps.append(_Name(m.group(0)))
            pos = m.end()
        elif rest.startswith("[*]"):
            steps.append(_Wild())
            pos += 3
        elif (m := _INDEX.match(text, pos)) is not None:
            steps.append(_Index(int(m.group(1))))
            pos = m.end()
        elif (m := _QUOTED.match(text, pos)) is not None:
            steps.append(_Name(_unescape(m.group(1) if m.group(1) is not None
                                         else m.group(2))))
            pos = m.end()
        elif (m := _FILTER.match(text, pos)) is not None:
            lit = m.group("lit")
            steps.append(_Filter(_simple_path(m.group("path")), m.group("op"),
                                 _literal(lit) if lit is not None else None))
            pos = m.end()
        else:
            raise SelectorError(f"{text!r}: unexpected {rest[:12]!r} at character {pos + 1} "
                                "(steps: .name ['name'] [0] [-1] [*] .* [?(@.a == 'x')])")
    return Selector(text, text[0] == "@", tuple(steps))


def _child(node: Match, step: _Name | _Index) -> Match | None:
    value = node.value
    if isinstance(step, _Name) and isinstance(value, dict) and step.name in value:
        return Match(value[step.name], (*node.tokens, step.name))
    if isinstance(step, _Index) and isinstance(value, list):
        index = step.index + len(value) if step.index < 0 else step.index
        if 0 <= index < len(value):
            return Match(value[index], (*node.tokens, index))
    if isinstance(step, _Index) and isinstance(value, dict) and str(step.index) in value:
        return Match(value[str(step.index)], (*node.tokens, str(step.index)))
    return None


def _children(node: Match) -> Iterator[Match]:
    if isinstance(node.value, dict):
        for key, value in node.value.items():
            yield Match(value, (*node.tokens, key))
    elif isinstance(node.value, list):
        for index, value in enumerate(node.value):
            yield Match(value, (*node.tokens, index))


def _keep(node: Match, step: _Filter) -> bool:
    current: Match | None = node
    for part in step.path:
        current = _child(current, part) if current is not None else None
    if current is None:
        return step.op == "!="  # RFC 9535: a missing member is unequal to every value
    if step.op is None:
        return current.value is not None
    value, literal = current.value, step.literal
    equal = isinstance(value, bool) == isinstance(literal, bool) and value == literal
    return equal if step.op == "==" else not equal


def _walk(start: Match, steps: tuple[_Step, ...]) -> Iterator[Match]:
    nodes = [start]
    for step in steps:
        found: list[Match] = []
        for node in nodes:
            if isinstance(step, _Wild):
                found.extend(_children(node))
            elif isinstance(step, _Filter):
                found.extend(c for c in _children(node) if _keep(c, step))
            else:
                child = _child(node, step)
                if child is not None:
                    found.append(child)
        nodes = found
    return iter(nodes)

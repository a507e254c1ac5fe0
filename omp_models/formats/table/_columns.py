"""From a grid's header to roles, and from a row to the cells of each role."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.table._grid import Grid, Loc, Row
from omp_models.formats.table._profile import Profile, role_of

__all__ = ["Columns", "RowCells", "parse_path", "resolve_columns"]


@dataclass
class Columns:
    """Where each role is in a grid.

    Attributes:
        single: Role -> column index (``idShortPath``, ``value``, ...).
        langs: ``value``/``description``/``displayName`` -> language -> column index.
    """

    single: dict[str, int] = field(default_factory=dict)
    langs: dict[str, dict[str, int]] = field(default_factory=dict)


def resolve_columns(grid: Grid, profile: Profile, report: ConversionReport) -> Columns | None:
    """The roles of the grid's columns, or ``None`` (with errors) when the header is wrong.

    Wrong means: a column the profile does not know, two columns with the same role, a
    column without a name that holds values, or no column saying where rows go.
    """
    cols = Columns()
    ok = True
    for index, name in enumerate(grid.header):
        loc = grid.loc(None, index)
        if not name:
            if any(row.cells[index].strip() for row in grid.rows):
                grid.add(report, Code.INVALID_INPUT, IssueSeverity.ERROR,
                         f"column {index + 1} has values but no name in the header", loc)
                ok = False
            continue
        role = profile.role(name)
        if role is None:
            known = ", ".join(profile.columns)
            extra = ", value@<lang>, description@<lang>, displayName@<lang>" if (
                profile.language_columns) else ""
            grid.add(report, Code.INVALID_INPUT, IssueSeverity.ERROR,
                     f"unknown column {name!r} for the profile {profile.name!r} (known: "
                     f"{known}{extra})", loc)
            ok = False
            continue
        if role == "ignore":
            continue
        split = role_of(role)
        assert split is not None
        base, lang = split
        if lang is None:
            if role in cols.single:
                ok = _duplicate(grid, report, name, cols.single[role], loc)
                continue
            cols.single[role] = index
        else:
            by_lang = cols.langs.setdefault(base, {})
            if lang in by_lang:
                ok = _duplicate(grid, report, name, by_lang[lang], loc)
                continue
            by_lang[lang] = index
    if ok and profile.path_role not in cols.single:
        grid.add(report, Code.INVALID_INPUT, IssueSeverity.ERROR,
                 f"the header has no {profile.path_role!r} column (the profile "
                 f"{profile.name!r} needs it to know where each row goes)", grid.loc(None))
        ok = False
    if ok and profile.path_role == "idShortPath" and "idShort" in cols.single:
        grid.add(report, Code.INVALID_INPUT, IssueSeverity.ERROR,
                 "the header has both idShortPath and idShort columns; keep one",
                 grid.loc(None, cols.single["idShort"]))
        ok = False
    return cols if ok else None


def _duplicate(grid: Grid, report: ConversionReport, name: str, first: int, loc: Loc) -> bool:
    grid.add(report, Code.DUPLICATE, IssueSeverity.ERROR,
             f"the column {name!r} has the same role as column {first + 1} "
             f"({grid.header[first]!r})", loc)
    return False


@dataclass
class RowCells:
    """The cells of one row by role, with their locators."""

    grid: Grid
    row: Row
    cols: Columns

    def get(self, role: str) -> str:
        """The cell text of a role (``""`` when the table has no such column)."""
        index = self.cols.single.get(role)
        return self.row.cells[index] if index is not None else ""

    def langs(self, base: str) -> dict[str, str]:
        """Language -> text for ``value``/``description``/``displayName``, empty left out."""
        out = {lang: self.row.cells[i]
               for lang, i in sorted(self.cols.langs.get(base, {}).items())}
        return {lang: text for lang, text in out.items() if text.strip()}

    def loc(self, role: str | None = None) -> Loc:
        """The locator of a role's cell (the row's when the role has no column)."""
        index = self.cols.single.get(role) if role else None
        if index is None and role and "@" in role:
            base, _, lang = role.partition("@")
            index = self.cols.langs.get(base, {}).get(lang)
        return self.grid.loc(self.row, index)


_SEGMENT = re.compile(r"([^.\[\]]+)((?:\[\d+\])*)")


def parse_path(text: str) -> list[str | int] | None:
    """Tokens of an idShortPath (``A.B[0].C`` -> ``["A", "B", 0, "C"]``), ``None`` if bad."""
    tokens: list[str | int] = []
    if not text:
        return None
    for part in text.split("."):
        match = _SEGMENT.fullmatch(part.strip())
        if match is None:
            return None
        tokens.append(match.group(1).strip())
        tokens.extend(int(i) for i in re.findall(r"\[(\d+)\]", match.group(2)))
    return tokens

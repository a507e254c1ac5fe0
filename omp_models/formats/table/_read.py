"""Tables -> submodels (in the AAS JSON form), with every coercion reported at its cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from omp_models.formats._aasjson import (
    SEMANTIC_ID_MISSING,
    Names,
    reference_from_text,
)
from omp_models.formats._registry import ConvertOptions
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.table._columns import RowCells, parse_path, resolve_columns
from omp_models.formats.table._elements import ElementMaker, Flow
from omp_models.formats.table._grid import Grid
from omp_models.formats.table._profile import Profile
from omp_models.ids import derive_id, sanitize_id_short

__all__ = ["TableReader"]

_CONTAINER_KEY = {
    "SubmodelElementCollection": "value",
    "SubmodelElementList": "value",
    "Entity": "statements",
}

Path = tuple[str | int, ...]


@dataclass
class _Submodel:
    json: dict[str, Any]
    label: str
    #: original path -> element JSON (the submodel itself at ``()``)
    elements: dict[Path, dict[str, Any]] = field(default_factory=dict)
    #: original path -> the idShortPath it got
    real: dict[Path, str] = field(default_factory=dict)
    #: original path -> row number that defined it
    rows: dict[Path, int] = field(default_factory=dict)
    names: dict[Path, Names] = field(default_factory=dict)


class TableReader:
    """Builds submodels from the grids of one input."""

    def __init__(self, fmt: str, source_name: str, options: ConvertOptions,
                 report: ConversionReport) -> None:
        self.fmt = fmt
        self.source_name = source_name
        self.options = options
        self.report = report
        self.submodels: list[_Submodel] = []
        self._ids: dict[str, str] = {}
        self._maker = ElementMaker(fmt, options, report)

    # -- grids -------------------------------------------------------------------------

    def read(self, grid: Grid, profile: Profile) -> None:
        """Add the submodel(s) of one grid."""
        cols = resolve_columns(grid, profile, self.report)
        if cols is None:
            return
        current: _Submodel | None = None
        for row in grid.rows:
            cells = RowCells(grid, row, cols)
            model_type = cells.get("modelType").strip()
            if model_type == "Submodel":
                current = self._submodel_row(cells, profile)
                continue
            if current is None:
                current = self._implicit(grid, profile)
            self._element_row(current, cells, profile, model_type)

    def environment(self) -> dict[str, Any]:
        """The environment's JSON form (empty containers left out)."""
        for sm in self.submodels:
            for element in sm.elements.values():
                self._maker.finish(element)
        return {"submodels": [sm.json for sm in self.submodels]}

    # -- submodels ---------------------------------------------------------------------

    def _register(self, sm: _Submodel, cells: RowCells | None) -> _Submodel:
        first = self._ids.get(sm.json["id"])
        if first is not None and cells is not None:
            cells.grid.add(self.report, Code.DUPLICATE, IssueSeverity.ERROR,
                           f"the submodel id {sm.json['id']!r} is already used ({first})",
                           cells.loc("value"))
        self._ids.setdefault(sm.json["id"], f"{cells.grid.loc(cells.row).source}"
                             if cells else "the file")
        sm.elements[()] = sm.json
        sm.names[()] = Names(self.options.aas_version)
        self.submodels.append(sm)
        return sm

    def _derived_id(self, id_short: str, grid: Grid) -> str:
        parts = [PurePath(self.source_name).stem]
        if grid.sheet is not None:
            parts.append(grid.sheet)
        return derive_id(self.options.base_iri, "table", *parts, id_short)

    def _implicit(self, grid: Grid, profile: Profile) -> _Submodel:
        id_short = profile.submodel_id_short or sanitize_id_short(
            grid.sheet or PurePath(self.source_name).stem)
        sm_json: dict[str, Any] = {"modelType": "Submodel", "idShort": id_short,
                                   "id": self._derived_id(id_short, grid)}
        if profile.submodel_semantic_id:
            sm_json["semanticId"] = reference_from_text(profile.submodel_semantic_id)
        grid.add(self.report, Code.ID_DERIVED, IssueSeverity.INFO,
                 f"the table has no Submodel row: made the submodel {id_short!r} with the id "
                 f"{sm_json['id']!r}", grid.loc(None), target=sm_json["id"])
        return self._register(_Submodel(sm_json, id_short), None)

    def _submodel_row(self, cells: RowCells, profile: Profile) -> _Submodel:
        grid = cells.grid
        raw = cells.get(profile.path_role).strip()
        id_short, renamed = Names(self.options.aas_version).allocate(raw or grid.sheet or PurePath(
            self.source_name).stem)
        if renamed and raw:
            grid.add(self.report, Code.IDSHORT_RENAMED, IssueSeverity.INFO,
                     f"the idShort {raw!r} is not valid: renamed to {id_short!r}",
                     cells.loc(profile.path_role), target=id_short, original=raw)
        sm_id = cells.get("value").strip()
        if not sm_id:
            sm_id = self._derived_id(id_short, grid)
            grid.add(self.report, Code.ID_DERIVED, IssueSeverity.INFO,
                     f"the Submodel row has no id (value column): derived {sm_id!r}",
                     cells.loc("value"), target=sm_id)
        sm_json: dict[str, Any] = {"modelType": "Submodel", "idShort": id_short, "id": sm_id}
        kind = cells.get("valueType").strip()
        if kind in ("Template", "Instance"):
            sm_json["kind"] = kind
        elif kind:
            grid.add(self.report, Code.INVALID_INPUT, IssueSeverity.ERROR,
                     f"a Submodel row's valueType column holds its kind (Template or "
                     f"Instance), not {kind!r}", cells.loc("valueType"))
        for role in ("unit", "unitCode"):
            if cells.get(role).strip():
                grid.add(self.report, Code.INVALID_INPUT, IssueSeverity.ERROR,
                         f"a Submodel row has no {role}", cells.loc(role))
        self._maker.common(sm_json, cells, id_short, report_missing=False)
        return self._register(_Submodel(sm_json, id_short), cells)

    # -- elements ----------------------------------------------------------------------

    def _path(self, cells: RowCells, profile: Profile) -> Path | None:
        grid = cells.grid
        if profile.path_role == "idShortPath":
            text = cells.get("idShortPath").strip()
            tokens = parse_path(text)
            if tokens is None or isinstance(tokens[0], int):
                grid.add(self.report, Code.INVALID_INPUT, IssueSeverity.ERROR,
                         f"{text!r} is not an idShortPath (like A.B[0].C)" if text else
                         "the row has no idShortPath", cells.loc("idShortPath"))
                return None
            return tuple(tokens)
        id_short = cells.get("idShort").strip()
        if not id_short:
            grid.add(self.report, Code.INVALID_INPUT, IssueSeverity.ERROR,
                     "the row has no idShort", cells.loc("idShort"))
            return None
        group = cells.get("group").strip()
        parent = parse_path(group) if group else []
        if parent is None or any(isinstance(t, int) for t in parent):
            grid.add(self.report, Code.INVALID_INPUT, IssueSeverity.ERROR,
                     f"{group!r} is not a group name", cells.loc("group"))
            return None
        return (*parent, id_short)

    def _element_row(self, sm: _Submodel, cells: RowCells, profile: Profile,
                     model_type: str) -> None:
        grid = cells.grid
        path = self._path(cells, profile)
        if path is None:
            return
        if path in sm.elements:
            grid.add(self.report, Code.DUPLICATE, IssueSeverity.ERROR,
                     f"{'.'.join(map(str, path))!r} is already defined on row "
                     f"{sm.rows[path]}", cells.loc(profile.path_role))
            return
        if isinstance(path[-1], int) and path[:-1] not in sm.elements:
            grid.add(self.report, Code.INVALID_INPUT, IssueSeverity.ERROR,
                     f"{'.'.join(map(str, path[:-1]))!r} is a list whose row is missing (it "
                     "must come before its items)", cells.loc(profile.path_role))
            return
        parent = self._parent(sm, path[:-1], cells, profile)
        if parent is None:
            return
        flow = Flow(grid, cells, sm.label, self._target(sm, path))
        last = path[-1]
        name = str(last) if isinstance(last, str) else str(parent.get("idShort", "item"))
        element = self._maker.element(model_type, cells, flow, name,
                                      list_item=isinstance(last, int))
        if element is None:
            return
        if isinstance(last, int):
            if not self._list_item(sm, path, parent, element, flow, profile):
                return
            real = f"{sm.real[path[:-1]]}[{last}]"
        else:
            id_short = self._allocate(sm, path, cells, profile)
            element["idShort"] = id_short
            base = sm.real.get(path[:-1], "")
            real = f"{base}.{id_short}" if base else id_short
        self._add(sm, path, real, parent, element, cells.row.number)

    def _target(self, sm: _Submodel, path: Path) -> str:
        return f"{sm.label}.{'.'.join(str(t) for t in path)}"

    def _allocate(self, sm: _Submodel, path: Path, cells: RowCells, profile: Profile) -> str:
        name = str(path[-1])
        id_short, renamed = sm.names[path[:-1]].allocate(name)
        if renamed:
            cells.grid.add(self.report, Code.IDSHORT_RENAMED, IssueSeverity.INFO,
                           f"the idShort {name!r} is not valid (or not unique): renamed to "
                           f"{id_short!r}; the original is kept in the Extension "
                           f"src:{self.fmt}:idShort", cells.loc(profile.path_role),
                           target=id_short, original=name)
        return id_short

    def _add(self, sm: _Submodel, path: Path, real: str, parent: dict[str, Any],
             element: dict[str, Any], row: int) -> None:
        key = "submodelElements" if parent is sm.json else _CONTAINER_KEY[parent["modelType"]]
        parent.setdefault(key, []).append(element)
        sm.elements[path] = element
        sm.real[path] = real
        sm.rows[path] = row
        if element["modelType"] in _CONTAINER_KEY:
            sm.names[path] = Names(self.options.aas_version)
        if "idShort" in element and element["idShort"] != path[-1]:
            element.setdefault("extensions", []).append(
                {"name": f"src:{self.fmt}:idShort", "valueType": "xs:string",
                 "value": str(path[-1])})

    def _parent(self, sm: _Submodel, path: Path, cells: RowCells, profile: Profile
                ) -> dict[str, Any] | None:
        """The container at ``path``, made (as a collection) when a row skipped it."""
        if path in sm.elements:
            parent = sm.elements[path]
            if parent is sm.json or parent["modelType"] in _CONTAINER_KEY:
                return parent
            cells.grid.add(self.report, Code.INVALID_INPUT, IssueSeverity.ERROR,
                           f"{sm.real[path]!r} is a {parent['modelType']}, which has no "
                           "child elements", cells.loc(profile.path_role))
            return None
        if isinstance(path[-1], int):
            cells.grid.add(self.report, Code.INVALID_INPUT, IssueSeverity.ERROR,
                           f"{'.'.join(map(str, path))!r} is an item of a list whose row is "
                           "missing", cells.loc(profile.path_role))
            return None
        grand = self._parent(sm, path[:-1], cells, profile)
        if grand is None:
            return None
        collection: dict[str, Any] = {"modelType": "SubmodelElementCollection"}
        group = ".".join(map(str, path))
        semantic = profile.groups.get(group)
        if semantic:
            collection["semanticId"] = reference_from_text(semantic)
        if profile.path_role == "idShortPath":
            cells.grid.add(self.report, Code.DEFAULTED, IssueSeverity.INFO,
                           f"no row defines {group!r}: made it a SubmodelElementCollection",
                           cells.loc("idShortPath"), target=self._target(sm, path))
        elif not semantic:
            cells.grid.add(self.report, SEMANTIC_ID_MISSING, IssueSeverity.INFO,
                           f"the group {group!r} has no semanticId in the profile "
                           f"{profile.name!r}: its collection has none",
                           cells.loc("group"), target=self._target(sm, path))
        id_short = self._allocate(sm, path, cells, profile)
        collection["idShort"] = id_short
        base = sm.real.get(path[:-1], "")
        self._add(sm, path, f"{base}.{id_short}" if base else id_short, grand, collection,
                  cells.row.number)
        return collection

    def _list_item(self, sm: _Submodel, path: Path, parent: dict[str, Any],
                   element: dict[str, Any], flow: Flow, profile: Profile) -> bool:
        grid, loc = flow.grid, flow.cells.loc(profile.path_role)
        if parent.get("modelType") != "SubmodelElementList":
            grid.add(self.report, Code.INVALID_INPUT, IssueSeverity.ERROR,
                     f"[{path[-1]}] needs a SubmodelElementList, but "
                     f"{sm.real.get(path[:-1], '')!r} is not one", loc)
            return False
        items = parent.get("value", [])
        if path[-1] != len(items):
            grid.add(self.report, Code.INVALID_INPUT, IssueSeverity.ERROR,
                     f"list items come in order: expected [{len(items)}], found [{path[-1]}]",
                     loc)
            return False
        problem = self._maker.list_problem(parent, element, items, flow)
        if problem:
            grid.add(self.report, Code.INVALID_INPUT, IssueSeverity.ERROR, problem, loc)
            return False
        return True


"""Submodels (AAS JSON form) -> table rows, with everything the table cannot hold reported.

Every lossy entry's ``source`` is a JSON Pointer into the environment's JSON form
(:func:`omp_models.aas.io.environment_to_jsonable`), so a round trip can be compared
"modulo the report" mechanically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from omp_models.formats._aasjson import (
    NO_CODE,
    common_semantic_id,
    decimal_comma,
    reference_to_text,
    resolve_unit,
    same_value,
    unit_columns,
)
from omp_models.formats._aasjson import data_specification as make_spec
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.table._profile import Profile, role_of
from omp_models.ids import sanitize_id_short
from omp_models.locate import escape_pointer_token

__all__ = ["Projection", "TableWriter"]

_COMMON = frozenset({"modelType", "idShort", "semanticId", "description", "displayName"})
_USED: dict[str, frozenset[str]] = {
    "Property": frozenset({"value", "valueType"}),
    "MultiLanguageProperty": frozenset({"value"}),
    "Range": frozenset({"valueType", "min", "max"}),
    "File": frozenset({"value", "contentType"}),
    "Blob": frozenset({"value", "contentType"}),
    "ReferenceElement": frozenset({"value"}),
    "SubmodelElementCollection": frozenset({"value"}),
    "SubmodelElementList": frozenset({"value", "typeValueListElement", "valueTypeListElement"}),
    "Entity": frozenset({"statements", "entityType", "globalAssetId"}),
    "Capability": frozenset(),
}
_UNIT_HOLDERS = frozenset({"Property", "MultiLanguageProperty", "Range",
                           "SubmodelElementList"})
_CHILDREN = {"SubmodelElementCollection": "value", "SubmodelElementList": "value",
             "Entity": "statements"}
_SOURCE_EXT = re.compile(r"^src:(csv|xlsx):(value|min|max|idShort)$")


@dataclass
class Projection:
    """The rows of one submodel (role -> text per row) and what it is called."""

    title: str
    rows: list[dict[str, str]] = field(default_factory=list)


class TableWriter:
    """Projects the submodels of an environment onto table rows under a profile."""

    def __init__(self, profile: Profile, report: ConversionReport) -> None:
        self.profile = profile
        self.report = report
        self.flat = profile.path_role == "idShort"
        self.typed = "modelType" in profile.columns.values()
        self._concepts: dict[str, dict[str, Any]] = {}

    def _drop(self, pointer: str, message: str, target: str | None = None) -> None:
        self.report.add(Code.DROPPED, IssueSeverity.LOSSY, message, source=pointer,
                        target=target)

    # -- environment -------------------------------------------------------------------

    def project(self, env: dict[str, Any], *, single: bool) -> list[Projection]:
        """One projection per submodel (``single``: the first one only, others dropped)."""
        concepts = env.get("conceptDescriptions", [])
        self._concepts = {cd["id"]: cd for cd in concepts}
        for i, shell in enumerate(env.get("assetAdministrationShells", [])):
            self._drop(f"/assetAdministrationShells/{i}",
                       f"the shell {shell.get('id')!r} is not part of a table of submodels")
        for i, cd in enumerate(concepts):
            self._drop(f"/conceptDescriptions/{i}",
                       f"the concept description {cd.get('id')!r} is not part of the table "
                       "(the unit columns carry the units of elements)")
        out: list[Projection] = []
        submodels = env.get("submodels", [])
        chosen = self._chosen(submodels) if single or self.flat else None
        for i, sm in enumerate(submodels):
            pointer = f"/submodels/{i}"
            if single and chosen is not None and i != chosen:
                self._drop(pointer, f"the submodel {sm['id']!r} does not fit into the one "
                           "table of this profile (write xlsx: one sheet per submodel)")
                continue
            out.append(self._submodel(sm, pointer))
        return out

    def _chosen(self, submodels: list[dict[str, Any]]) -> int | None:
        wanted = self.profile.submodel_semantic_id
        for i, sm in enumerate(submodels):
            keys = (sm.get("semanticId") or {}).get("keys", [])
            if wanted and keys and keys[0]["value"] == wanted:
                return i
        return 0 if submodels else None

    def _submodel(self, sm: dict[str, Any], pointer: str) -> Projection:
        label = str(sm.get("idShort") or sm["id"])
        projection = Projection(label)
        if self.flat:
            self._drop(pointer + "/id", f"the profile {self.profile.name!r} has no Submodel "
                       "row: the submodel id is not in the table", target=sm["id"])
            skip: set[str] = {"id", "modelType", "submodelElements"}
            if sm.get("idShort") == self.profile.submodel_id_short:
                skip.add("idShort")
            if self.profile.submodel_semantic_id and reference_to_text(
                    sm.get("semanticId") or {}) == self.profile.submodel_semantic_id:
                skip.add("semanticId")
        else:
            row = {"idShortPath": label, "modelType": "Submodel", "value": sm["id"]}
            if sm.get("kind") == "Template":
                row["valueType"] = "Template"
            self._common(row, sm, pointer, label)
            projection.rows.append(row)
            skip = set(_COMMON) | {"id", "submodelElements", "kind"}
        if sm.get("kind") in (None, "Instance"):
            skip.add("kind")
        self._rest(sm, pointer, skip, label)
        for j, child in enumerate(sm.get("submodelElements", [])):
            self._element(child, f"{pointer}/submodelElements/{j}", (), projection, label)
        return projection

    # -- elements ----------------------------------------------------------------------

    def _element(self, el: dict[str, Any], pointer: str, parent: tuple[str, ...],
                 projection: Projection, label: str, index: int | None = None) -> None:
        kind = el.get("modelType", "")
        name = self._name(el, pointer)
        path = (*parent[:-1], f"{parent[-1]}[{index}]") if index is not None else (
            *parent, name)
        target = f"{label}.{'.'.join(path)}"
        if kind not in _USED:
            self._drop(pointer, f"tables do not hold {kind} elements", target)
            return
        row: dict[str, str] = {}
        if self.flat:
            group = self._flat(el, pointer, path, target, projection, label)
            if group is None:
                return
            row["group"], row["idShort"] = group, path[-1]
        else:
            row["idShortPath"], row["modelType"] = ".".join(path), kind
        self._values(row, el, kind, pointer, target)
        self._common(row, el, pointer, target)
        self._unit(row, el, pointer, target, name)
        used = _COMMON | _USED[kind] | {"extensions", "embeddedDataSpecifications"}
        if el.get("orderRelevant") is True:
            used |= {"orderRelevant"}
        if kind == "SubmodelElementList":
            used |= self._list_semantic(el, pointer, target)
        if el.get("specificAssetIds") == []:
            used |= {"specificAssetIds"}
        self._rest(el, pointer, used, target)
        projection.rows.append(row)
        key = _CHILDREN.get(kind)
        if key:
            for j, child in enumerate(el.get(key, [])):
                self._element(child, f"{pointer}/{key}/{j}", path, projection, label,
                              j if kind == "SubmodelElementList" else None)

    def _flat(self, el: dict[str, Any], pointer: str, path: tuple[str, ...], target: str,
              projection: Projection, label: str) -> str | None:
        """The group of an element under a group/idShort profile, or ``None`` (handled)."""
        kind = el["modelType"]
        if len(path) == 1 and kind == "SubmodelElementCollection":
            wanted = self.profile.groups.get(path[0])
            skip = {"modelType", "idShort", "value"}
            if wanted and reference_to_text(el.get("semanticId") or {}) == wanted:
                skip.add("semanticId")
            self._rest(el, pointer, skip, target)
            for j, child in enumerate(el.get("value", [])):
                self._element(child, f"{pointer}/value/{j}", path, projection, label)
            return None
        allowed = ("Property", "MultiLanguageProperty") if not self.typed else tuple(_USED)
        if len(path) > 2 or "[" in "".join(path) or kind not in allowed:
            self._drop(pointer, f"the profile {self.profile.name!r} holds properties in "
                       "groups (group and idShort columns); this element does not fit", target)
            return None
        return path[0] if len(path) == 2 else ""

    def _name(self, el: dict[str, Any], pointer: str) -> str:
        """The idShort, or the original name a table import kept in an Extension."""
        current = str(el.get("idShort", ""))
        for ext in el.get("extensions", []):
            match = _SOURCE_EXT.match(ext.get("name", ""))
            if match and match.group(2) == "idShort":
                original = str(ext.get("value", ""))
                base = sanitize_id_short(original)
                if original and not any(c in original for c in ".[]") and re.fullmatch(
                        re.escape(base) + r"(_\d+)?", current):
                    return original
        return current

    def _original(self, el: dict[str, Any], key: str, current: str, value_type: str) -> str:
        """The value as a table shows it: the source's own spelling if one was kept."""
        for ext in el.get("extensions", []):
            match = _SOURCE_EXT.match(ext.get("name", ""))
            if not match or match.group(2) != key:
                continue
            original = str(ext.get("value", ""))
            converted = decimal_comma(original)[0] or original
            if same_value(converted, current, value_type) or (
                    value_type == "xs:boolean" and original.casefold() == current):
                return original
        return _display(current, value_type)

    def _values(self, row: dict[str, str], el: dict[str, Any], kind: str, pointer: str,
                target: str) -> None:
        value_type = str(el.get("valueType", ""))
        if kind == "Property":
            row["valueType"] = value_type
            if el.get("value") == "":
                self._drop(pointer + "/value", "an empty value is an empty cell, which "
                           "reads back as no value", target)
            elif "value" in el:
                row["value"] = self._original(el, "value", str(el["value"]), value_type)
        elif kind == "MultiLanguageProperty":
            for item in el.get("value", []):
                row[f"value@{item['language']}"] = item["text"]
        elif kind == "Range":
            row["valueType"] = value_type
            if "min" in el or "max" in el:
                low = self._original(el, "min", str(el.get("min", "")), value_type)
                high = self._original(el, "max", str(el.get("max", "")), value_type)
                row["value"] = f"{low}..{high}"
        elif kind in ("File", "Blob"):
            row["value"] = str(el.get("value", ""))
            row["valueType"] = str(el.get("contentType", ""))
        elif kind == "ReferenceElement" and el.get("value"):
            row["value"] = reference_to_text(el["value"])
            self._referred(el["value"], pointer + "/value", target)
        elif kind == "SubmodelElementList":
            row["value"] = str(el.get("typeValueListElement", ""))
            row["valueType"] = str(el.get("valueTypeListElement", ""))
        elif kind == "Entity":
            row["value"] = str(el.get("globalAssetId", ""))
            row["valueType"] = str(el.get("entityType", ""))

    def _list_semantic(self, el: dict[str, Any], pointer: str, target: str) -> set[str]:
        """``{"semanticIdListElement"}`` when reading the table back derives it unchanged."""
        held = [i for i in el.get("value", []) if i.get("modelType") in _USED]
        shared = common_semantic_id(held)
        if el.get("semanticIdListElement") is not None:
            return {"semanticIdListElement"} if shared == el["semanticIdListElement"] else set()
        if shared is not None:
            self.report.add(Code.DEFAULTED, IssueSeverity.INFO,
                            "the list has no semanticIdListElement; read back, it gets the "
                            "semanticId all its items share", source=pointer, target=target)
        return set()

    def _referred(self, ref: dict[str, Any], pointer: str, target: str) -> None:
        if ref.get("referredSemanticId"):
            self._drop(pointer + "/referredSemanticId",
                       "a reference's referredSemanticId has no place in a table", target)

    def _common(self, row: dict[str, str], el: dict[str, Any], pointer: str,
                target: str) -> None:
        if el.get("semanticId"):
            row["semanticId"] = reference_to_text(el["semanticId"])
            self._referred(el["semanticId"], pointer + "/semanticId", target)
        for key in ("description", "displayName"):
            for item in el.get(key, []):
                row[f"{key}@{item['language']}"] = item["text"]

    def _unit(self, row: dict[str, str], el: dict[str, Any], pointer: str, target: str,
              name: str) -> None:
        if el["modelType"] not in _UNIT_HOLDERS:
            if el.get("embeddedDataSpecifications"):
                self._drop(pointer + "/embeddedDataSpecifications", "the table has no "
                           f"column for the data specification of a {el['modelType']}",
                           target)
            return
        unit, unit_code, origin = unit_columns(el, self._concepts)
        if unit:
            row["unit"] = unit
            # a unit without a unit id: say so, or reading it back would look it up
            row["unitCode"] = unit_code or NO_CODE
        elif unit_code:
            row["unitCode"] = unit_code
        specs = el.get("embeddedDataSpecifications", [])
        if origin == "concept":
            self.report.add(Code.DEFAULTED, IssueSeverity.INFO,
                            f"the unit of {name!r} comes from its concept description; read "
                            "back, the element carries it itself", source=pointer,
                            target=target)
        if not specs:
            return
        info = resolve_unit(unit, unit_code)[0] if origin == "element" else None
        if info is not None:
            preferred = {"en": name, **{item["language"]: item["text"]
                                        for item in el.get("displayName", [])}}
            value_type = el.get("valueType") or el.get("valueTypeListElement")
            if specs == [make_spec(preferred, info, value_type)]:
                return
        self._drop(pointer + "/embeddedDataSpecifications",
                   "the table keeps only the unit of an element's data specification",
                   target)

    def _rest(self, el: dict[str, Any], pointer: str, used: set[str] | frozenset[str],
              target: str) -> None:
        for key in el:
            if key in used:
                continue
            self._drop(f"{pointer}/{escape_pointer_token(key)}",
                       f"the table has no column for {key}", target)
        for k, ext in enumerate(el.get("extensions", []) if "extensions" in used else []):
            if not _SOURCE_EXT.match(ext.get("name", "")):
                self._drop(f"{pointer}/extensions/{k}", f"the table has no column for the "
                           f"Extension {ext.get('name')!r}", target)

    # -- columns -----------------------------------------------------------------------

    def columns(self, projections: list[Projection]) -> list[tuple[str, str]]:
        """``(header, role)`` pairs: the profile's columns, then the language columns used."""
        used = {role for p in projections for row in p.rows for role in row}
        pairs = [(name, role) for name, role in self.profile.columns.items()
                 if role != "ignore"]
        covered = {_lang_key(role) for _, role in pairs}
        langs = sorted(r for r in used if "@" in r and _lang_key(r) not in covered)
        if not self.profile.language_columns:
            langs = []
        order = {"value": 0, "description": 1, "displayName": 2}
        has_value = any(role == "value" for _, role in pairs)
        out: list[tuple[str, str]] = []
        for name, role in pairs:
            out.append((name, role))
            if role == "value":
                out.extend((r, r) for r in langs if r.startswith("value@"))
        rest = [r for r in langs if not (has_value and r.startswith("value@"))]
        rest.sort(key=lambda r: (order[r.partition("@")[0]], r))
        return out + [(r, r) for r in rest]

    @staticmethod
    def cells(row: dict[str, str], columns: list[tuple[str, str]]) -> list[str]:
        """The cells of a row under ``columns``."""
        return [row.get(_lang_key(role), "") for _, role in columns]


_INTEGRAL = re.compile(r"^[+-]?\d+\.0$")


def _display(value: str, value_type: str) -> str:
    """The usual spelling of a value the object model wrote in its canonical form.

    ``800.0`` (an integral double) is shown as ``800``, a UTC offset ``+00:00`` as ``Z``;
    both mean the same value.
    """
    if value_type in ("xs:double", "xs:float") and _INTEGRAL.match(value):
        return value[:-2]
    if value_type in ("xs:dateTime", "xs:time") and value.endswith("+00:00"):
        return value[:-6] + "Z"
    return value


def _lang_key(role: str) -> str:
    split = role_of(role)
    if split is None or split[1] is None:
        return role
    return f"{split[0]}@{split[1]}"

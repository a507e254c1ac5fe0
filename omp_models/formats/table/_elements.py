"""One table row -> one submodel element (JSON form), every coercion reported at its cell."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omp_models.formats._aasjson import (
    NUMERIC_TYPES,
    SEMANTIC_ID_MISSING,
    VALUE_LIST_LIKE,
    VALUE_NORMALISED,
    XS_TYPES,
    common_semantic_id,
    data_specification,
    decimal_comma,
    lang_strings,
    list_separator,
    reference_from_text,
    resolve_unit,
    value_ok,
)
from omp_models.formats._registry import ConvertOptions
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.table._columns import RowCells
from omp_models.formats.table._grid import Grid

__all__ = ["MODEL_TYPES", "ElementMaker", "Flow"]

#: The element types a row can be (and the short names accepted for them).
MODEL_TYPES: tuple[str, ...] = (
    "Property", "MultiLanguageProperty", "Range", "File", "Blob", "ReferenceElement",
    "SubmodelElementCollection", "SubmodelElementList", "Entity", "Capability",
)
_SHORT = {"MLP": "MultiLanguageProperty", "SMC": "SubmodelElementCollection",
          "SML": "SubmodelElementList"}
_DATA = frozenset({"Property", "MultiLanguageProperty", "Range", "File", "Blob",
                   "ReferenceElement"})
_UNIT_HOLDERS = frozenset({"Property", "MultiLanguageProperty", "Range",
                           "SubmodelElementList"})
_LIST_TYPES = frozenset(MODEL_TYPES) | {"SubmodelElement", "DataElement", "Operation",
                                        "RelationshipElement", "AnnotatedRelationshipElement",
                                        "BasicEventElement", "EventElement"}
_ENTITY_TYPES = ("CoManagedEntity", "SelfManagedEntity")


@dataclass
class Flow:
    """Where a row is and where its element goes (for report entries)."""

    grid: Grid
    cells: RowCells
    submodel: str
    target: str


class ElementMaker:
    """Builds elements from rows; reports into the conversion report."""

    def __init__(self, fmt: str, options: ConvertOptions, report: ConversionReport) -> None:
        self.fmt = fmt
        self.options = options
        self.report = report
        self.lenient_units = options.extra.get("units", "").lower() == "lenient"

    def _add(self, flow: Flow, code: Code, severity: IssueSeverity, message: str,
             role: str | None, original: str | None = None) -> None:
        flow.grid.add(self.report, code, severity, message, flow.cells.loc(role),
                      target=flow.target, original=original)

    def _error(self, flow: Flow, message: str, role: str | None,
               code: Code = Code.INVALID_INPUT) -> None:
        self._add(flow, code, IssueSeverity.ERROR, message, role)

    # -- the row -----------------------------------------------------------------------

    def element(self, model_type: str, cells: RowCells, flow: Flow, name: str,
                *, list_item: bool) -> dict[str, Any] | None:
        """The element of a row (without idShort), or ``None`` after an error."""
        langs = cells.langs("value")
        kind = self._model_type(model_type, langs, flow)
        if kind is None:
            return None
        element: dict[str, Any] = {"modelType": kind}
        start = len(self.report.issues)
        value = cells.get("value")
        value_type = cells.get("valueType").strip()
        build = getattr(self, "_" + kind)
        build(element, value, value_type, langs, flow)
        self.common(element, cells, name, report_missing=not list_item and kind in _DATA,
                    flow=flow)
        self._unit(element, cells, flow, name)
        failed = any(i.severity is IssueSeverity.ERROR for i in self.report.issues[start:])
        return None if failed else element

    def _model_type(self, text: str, langs: dict[str, str], flow: Flow) -> str | None:
        if not text:
            return "MultiLanguageProperty" if langs else "Property"
        for kind in MODEL_TYPES:
            if text.casefold() == kind.casefold():
                return kind
        if text.upper() in _SHORT:
            self._add(flow, VALUE_NORMALISED, IssueSeverity.INFO,
                      f"the modelType {text!r} means {_SHORT[text.upper()]}", "modelType",
                      original=text)
            return _SHORT[text.upper()]
        self._error(flow, f"unknown modelType {text!r} (tables hold: {', '.join(MODEL_TYPES)})",
                    "modelType")
        return None

    def common(self, element: dict[str, Any], cells: RowCells, name: str, *,
               report_missing: bool, flow: Flow | None = None) -> None:
        """semanticId, description and displayName of an element or submodel."""
        semantic = cells.get("semanticId")
        if semantic.strip():
            try:
                element["semanticId"] = reference_from_text(semantic)
            except ValueError as exc:
                cells.grid.add(self.report, Code.INVALID_INPUT, IssueSeverity.ERROR,
                               f"the semanticId {semantic!r} is not a reference: {exc}",
                               cells.loc("semanticId"))
        elif report_missing and flow is not None:
            self._add(flow, SEMANTIC_ID_MISSING, IssueSeverity.INFO,
                      f"{name!r} has no semanticId (the element has none)", "semanticId")
        for key, base in (("description", "description"), ("displayName", "displayName")):
            texts = cells.langs(base)
            if texts:
                element[key] = lang_strings(texts)

    # -- per model type ----------------------------------------------------------------

    def _value_type(self, text: str, flow: Flow, role: str = "valueType",
                    default: str | None = "xs:string") -> str | None:
        if not text:
            if default is not None:
                self._add(flow, Code.DEFAULTED, IssueSeverity.INFO,
                          f"no valueType: {default} assumed", role)
            return default
        if text in XS_TYPES:
            return text
        for candidate in XS_TYPES:
            if text.casefold() in (candidate.casefold(), candidate[3:].casefold()):
                self._add(flow, VALUE_NORMALISED, IssueSeverity.INFO,
                          f"the valueType {text!r} means {candidate}", role, original=text)
                return candidate
        self._error(flow, f"{text!r} is not an XSD value type (like xs:double)", role)
        return None

    def _lexical(self, element: dict[str, Any], text: str, value_type: str, key: str,
                 flow: Flow) -> None:
        raw = text if value_type == "xs:string" else text.strip()
        if not raw:
            return
        if value_ok(raw, value_type):
            element[key] = raw
            return
        normalised, how = None, ""
        if value_type in NUMERIC_TYPES:
            converted, ambiguous = decimal_comma(raw)
            if ambiguous:
                self._error(flow, f"{raw!r} is ambiguous for {value_type}: a decimal comma "
                            "or a thousands separator? Write it with a decimal point",
                            "value", Code.VALUE_UNCONVERTIBLE)
                return
            if converted is not None and value_ok(converted, value_type):
                normalised, how = converted, "a decimal comma"
        elif value_type == "xs:boolean" and raw.casefold() in ("true", "false"):
            normalised, how = raw.casefold(), "a boolean in another case"
        if normalised is None:
            self._error(flow, f"{raw!r} is not a valid {value_type}", "value",
                        Code.VALUE_UNCONVERTIBLE)
            return
        element[key] = normalised
        element.setdefault("extensions", []).append(
            {"name": f"src:{self.fmt}:{key}", "valueType": "xs:string", "value": raw})
        self._add(flow, Code.PRESERVED_AS_EXTENSION, IssueSeverity.PRESERVED,
                  f"read {raw!r} as {normalised} ({how}); the original is kept in the "
                  f"Extension src:{self.fmt}:{key}", "value", original=raw)

    def _Property(self, element: dict[str, Any], value: str, value_type: str,
                  langs: dict[str, str], flow: Flow) -> None:
        if langs:
            self._error(flow, "value@<lang> columns are for MultiLanguageProperty rows", None)
        kind = self._value_type(value_type, flow)
        if kind is None:
            return
        element["valueType"] = kind
        self._lexical(element, value, kind, "value", flow)
        if kind == "xs:string" and (sep := list_separator(value)) is not None:
            shown = "newline" if sep == "\n" else repr(sep)
            self._add(flow, VALUE_LIST_LIKE, IssueSeverity.INFO,
                      f"the value looks like a list (separated by {shown}); it is kept as "
                      "one string (rows X[0], X[1]... of a SubmodelElementList make a list)",
                      "value")

    def _MultiLanguageProperty(self, element: dict[str, Any], value: str, value_type: str,
                               langs: dict[str, str], flow: Flow) -> None:
        if value_type:
            self._error(flow, "a MultiLanguageProperty has no valueType", "valueType")
        if value.strip():
            if langs:
                self._error(flow, "give the text in value@<lang> columns or in value, not "
                            "both", "value")
                return
            langs = {"en": value.strip()}
            self._add(flow, Code.DEFAULTED, IssueSeverity.INFO,
                      "the value has no language: en assumed", "value")
        if langs:
            element["value"] = lang_strings(langs)

    def _Range(self, element: dict[str, Any], value: str, value_type: str,
               langs: dict[str, str], flow: Flow) -> None:
        kind = self._value_type(value_type, flow, default=None)
        if kind is None:
            if not value_type:
                self._error(flow, "a Range needs a valueType", "valueType")
            return
        element["valueType"] = kind
        if value.strip():
            low, sep, high = value.strip().partition("..")
            if not sep:
                self._error(flow, f"a Range value is MIN..MAX (either may be empty), not "
                            f"{value.strip()!r}", "value")
                return
            self._lexical(element, low, kind, "min", flow)
            self._lexical(element, high, kind, "max", flow)

    def _content_type(self, element: dict[str, Any], value_type: str, flow: Flow) -> None:
        from omp_models.aas._core import engine

        if value_type:
            if not engine("3.1").verification.matches_mime_type(value_type):
                self._error(flow, f"{value_type!r} is not a content type (MIME type)",
                            "valueType")
            element["contentType"] = value_type
        elif self.options.aas_version == "3.0":
            element["contentType"] = "application/octet-stream"
            self._add(flow, Code.DEFAULTED, IssueSeverity.INFO,
                      "no content type (valueType column), which AAS 3.0 requires: "
                      "application/octet-stream assumed", "valueType")

    def _File(self, element: dict[str, Any], value: str, value_type: str,
              langs: dict[str, str], flow: Flow) -> None:
        self._content_type(element, value_type, flow)
        if value.strip():
            element["value"] = value.strip()

    def _Blob(self, element: dict[str, Any], value: str, value_type: str,
              langs: dict[str, str], flow: Flow) -> None:
        self._content_type(element, value_type, flow)
        if value.strip():
            if not value_ok(value.strip(), "xs:base64Binary"):
                self._error(flow, "a Blob value is base64 text", "value")
            element["value"] = value.strip()

    def _ReferenceElement(self, element: dict[str, Any], value: str, value_type: str,
                          langs: dict[str, str], flow: Flow) -> None:
        self._no(value_type, "valueType", "ReferenceElement", flow)
        if value.strip():
            try:
                element["value"] = reference_from_text(value)
            except ValueError as exc:
                self._error(flow, f"{value.strip()!r} is not a reference: {exc}", "value")

    def _no(self, text: str, role: str, kind: str, flow: Flow) -> None:
        if text.strip():
            self._error(flow, f"a {kind} row has no {role}", role)

    def _SubmodelElementCollection(self, element: dict[str, Any], value: str,
                                   value_type: str, langs: dict[str, str], flow: Flow) -> None:
        self._no(value, "value", "SubmodelElementCollection", flow)
        self._no(value_type, "valueType", "SubmodelElementCollection", flow)

    def _Capability(self, element: dict[str, Any], value: str, value_type: str,
                    langs: dict[str, str], flow: Flow) -> None:
        self._no(value, "value", "Capability", flow)
        self._no(value_type, "valueType", "Capability", flow)

    def _SubmodelElementList(self, element: dict[str, Any], value: str, value_type: str,
                             langs: dict[str, str], flow: Flow) -> None:
        kind = value.strip()
        if kind:
            match = next((t for t in _LIST_TYPES if t.casefold() == kind.casefold()), None)
            if match is None:
                self._error(flow, f"{kind!r} is not an element type (a list row's value "
                            "names the type of its items)", "value")
                return
            element["typeValueListElement"] = match
        if value_type:
            item_type = self._value_type(value_type, flow, default=None)
            if item_type:
                element["valueTypeListElement"] = item_type

    def _Entity(self, element: dict[str, Any], value: str, value_type: str,
                langs: dict[str, str], flow: Flow) -> None:
        if value.strip():
            element["globalAssetId"] = value.strip()
        if value_type:
            if value_type not in _ENTITY_TYPES:
                self._error(flow, f"an Entity's valueType column holds its entityType "
                            f"({' or '.join(_ENTITY_TYPES)}), not {value_type!r}", "valueType")
                return
            element["entityType"] = value_type
        else:
            element["entityType"] = _ENTITY_TYPES[1 if value.strip() else 0]

    # -- units -------------------------------------------------------------------------

    def _unit(self, element: dict[str, Any], cells: RowCells, flow: Flow, name: str) -> None:
        text, code_text = cells.get("unit"), cells.get("unitCode")
        unit, problem = resolve_unit(text, code_text)
        if unit is None and problem is None:
            return
        if element["modelType"] not in _UNIT_HOLDERS:
            self._error(flow, f"a {element['modelType']} has no unit", "unit")
            return
        role = "unitCode" if code_text.strip() else "unit"
        if problem is not None:
            if not self.lenient_units:
                self._error(flow, problem + " (--option units=lenient keeps such units as "
                            "text without a unit id)", role, Code.UNIT_UNRESOLVED)
                return
            self._add(flow, Code.UNIT_UNRESOLVED, IssueSeverity.LOSSY,
                      problem + ": kept as text, without a unit id", role,
                      original=text.strip() or code_text.strip())
        assert unit is not None
        if not unit.text and unit.unit_id is None:
            return
        if unit.derived:
            where = "unitCode" if "unitCode" in cells.cols.single else "unit"
            self._add(flow, Code.ID_DERIVED, IssueSeverity.INFO,
                      f"the unit {unit.text!r} has no unit code: {unit.code} derived from the "
                      "unit registry", where)
        preferred = {"en": name, **cells.langs("displayName")}
        value_type = element.get("valueType") or element.get("valueTypeListElement")
        element["embeddedDataSpecifications"] = [data_specification(preferred, unit,
                                                                    value_type)]

    # -- lists and the end -------------------------------------------------------------

    def list_problem(self, parent: dict[str, Any], element: dict[str, Any],
                     items: list[dict[str, Any]], flow: Flow) -> str | None:
        """Why ``element`` cannot be an item of the list ``parent`` (AASd-107..109, -114)."""
        kind = element["modelType"]
        wanted = parent.get("typeValueListElement")
        if wanted is None:
            parent["typeValueListElement"] = wanted = kind
            self._add(flow, Code.DEFAULTED, IssueSeverity.INFO,
                      f"the list row names no item type: {kind} (from its first item)", None)
        if wanted not in ("SubmodelElement", "DataElement") and kind != wanted:
            return f"the list holds {wanted} items; this row is a {kind}"
        if wanted == "DataElement" and kind not in _DATA:
            return f"the list holds data elements; a {kind} is not one"
        own = element.get("valueType")
        listed = parent.get("valueTypeListElement")
        if own and listed is None and kind in ("Property", "Range"):
            parent["valueTypeListElement"] = own
        elif own and listed and own != listed:
            return f"the list's items are {listed}; this row is {own}"
        semantic = element.get("semanticId")
        others = [i["semanticId"] for i in items if "semanticId" in i]
        if semantic and others and others[0] != semantic:
            return "the items of a list have the same semanticId (AASd-114)"
        return None

    def finish(self, element: dict[str, Any]) -> None:
        """Defaults only known at the end; empty child lists removed."""
        if element.get("modelType") == "SubmodelElementList":
            element.setdefault("typeValueListElement", "SubmodelElement")
            shared = common_semantic_id(element.get("value", []))
            if shared is not None:
                element["semanticIdListElement"] = shared
        for key in ("value", "statements", "submodelElements"):
            if element.get(key) == []:
                del element[key]

"""AAS -> DTDL: every submodel becomes an Interface.

Two cases. A submodel that came from DTDL (it carries ``src:dtdl:*`` Extensions) is turned
back into the Interface it came from. Any other submodel (a published template, say) is
mapped structurally: Property -> Property (schema from the value type), collections ->
Object schemas, lists -> Array schemas, MultiLanguageProperty -> Map, Operation ->
Command, relationships -> Relationship; what DTDL cannot express (semantic ids,
qualifiers, categories, AAS element kinds) is written as an annotation in the element's
``comment`` (see ``_annotation.py``), so reading the DTDL back restores the submodel.
Identifiers that are not DTMIs (IRDIs, IRIs) are escaped reversibly (``ID_ESCAPED``).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.dtdl._aas_parts import PRIMITIVE_TO_XS
from omp_models.formats.dtdl._annotation import (
    CONTINUATION,
    MARKER,
    REFERENCE_KEYS,
    compact_qualifier,
    compact_ref,
    encode,
)
from omp_models.formats.dtdl._dtmi import escape_to_dtmi
from omp_models.formats.dtdl._reverse import DtdlOriginWriter, dtdl_extensions
from omp_models.formats.dtdl._vocab import vocabulary

__all__ = ["XS_TO_SCHEMA", "aas_to_dtdl"]

#: XSD value type -> DTDL primitive schema (exact).
XS_TO_SCHEMA = {xs: cls[0].lower() + cls[1:] for cls, xs in PRIMITIVE_TO_XS.items()}
XS_TO_SCHEMA["xs:dateTime"] = "dateTime"

#: XSD value types DTDL has no exact schema for -> the nearest one.
_XS_NEAR = {
    "xs:byte": "integer", "xs:short": "integer", "xs:unsignedByte": "integer",
    "xs:unsignedShort": "integer", "xs:unsignedInt": "long", "xs:integer": "long",
    "xs:unsignedLong": "long", "xs:positiveInteger": "long", "xs:negativeInteger": "long",
    "xs:nonNegativeInteger": "long", "xs:nonPositiveInteger": "long", "xs:decimal": "double",
}

_NAME_OK = re.compile(r"^[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?$")
_LANG_OK = re.compile(r"^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")
_MAX_DEPTH = 5
MAX_COMMENT_TEXT = 512
_SKIP = {"idShort", "displayName", "description", "modelType"}


def _default_kind(schema: Any) -> str:
    """The AAS element a DTDL schema becomes when no annotation says otherwise."""
    if isinstance(schema, dict):
        return {"Object": "SubmodelElementCollection", "Array": "SubmodelElementList",
                "Map": "MultiLanguageProperty"}.get(str(schema.get("@type")), "Property")
    return "Property"


def _has_array(schema: Any) -> bool:
    stack = [schema]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if current.get("@type") == "Array":
                return True
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return False


class _Names:
    """DTDL names unique among siblings."""

    def __init__(self, max_length: int) -> None:
        self.used: set[str] = set()
        self.max_length = max_length

    def allocate(self, wanted: str) -> str:
        name = re.sub(r"[^A-Za-z0-9_]+", "_", wanted).strip("_")
        if not name or not name[0].isalpha():
            name = "x" + name
        name = name[: self.max_length].rstrip("_")
        candidate, n = name, 1
        while candidate in self.used:
            n += 1
            suffix = f"_{n}"
            candidate = name[: self.max_length - len(suffix)] + suffix
        self.used.add(candidate)
        return candidate


class _Writer(DtdlOriginWriter):
    def __init__(self, report: ConversionReport, version: int) -> None:
        self.report = report
        self.version = self.requested = version
        self.limits = vocabulary().versions[version]
        name_prop = self.limits.classes["NamedEntity"].properties["name"]
        self.max_name = name_prop.max_length or 64
        self.max_display = self.limits.classes["Entity"].properties["displayName"].max_length
        self.max_text = self.limits.classes["Entity"].properties["description"].max_length
        self.defined: set[str] = set()

    def note(self, code: Code, severity: IssueSeverity, message: str, source: str,
             target: str | None = None, original: str | None = None) -> None:
        self.report.add(code, severity, message, source=source, target=target,
                        original=original)

    # --- interfaces ------------------------------------------------------------------------

    def interface(self, sub: dict[str, Any]) -> dict[str, Any]:
        exts = dtdl_extensions(sub)
        self.defined = set()
        self.version = self.requested
        if "@context" in exts:
            return self.dtdl_interface(sub, exts)
        return self._aas_interface(sub)

    # --- AAS-origin (annotated) ------------------------------------------------------------

    def _aas_interface(self, sub: dict[str, Any]) -> dict[str, Any]:
        sid = sub["id"]
        dtmi = escape_to_dtmi(sid)
        annotation: dict[str, Any] = {}
        if len(dtmi) > self.limits.interface_id_max_length:
            digest = hashlib.sha256(sid.encode("utf-8")).hexdigest()[:24]
            dtmi = f"dtmi:omp:sm:h{digest};1"
            annotation["id"] = sid
        if dtmi != sid:
            self.note(Code.ID_ESCAPED, IssueSeverity.INFO, f"the submodel id {sid!r} is not a "
                      f"DTMI; the Interface is {dtmi}", source=sid, target=dtmi, original=sid)
        context = f"dtmi:dtdl:context;{self.version}"
        out: dict[str, Any] = {"@context": context, "@id": dtmi, "@type": "Interface"}
        annotation.update(self._attributes(sub, {"id", "submodelElements"}))
        if "idShort" in sub:
            annotation["idShort"] = sub["idShort"]
        annotation["t"] = "Submodel"
        self._aas_texts(out, sub, annotation, sid)
        names = _Names(self.max_name)
        contents = [self.aas_content(e, names, sid) for e in sub.get("submodelElements", [])]
        contents = [c for c in contents if c is not None]
        if contents:
            out["contents"] = contents
        return out

    def _attributes(self, element: dict[str, Any], consumed: set[str]) -> dict[str, Any]:
        """The AAS attributes not expressed in DTDL, compacted for the annotation."""
        out: dict[str, Any] = {}
        for key, value in element.items():
            if key in _SKIP or key in consumed:
                continue
            if key in REFERENCE_KEYS and isinstance(value, dict):
                out[key] = compact_ref(value)
            elif key == "supplementalSemanticIds":
                out[key] = [compact_ref(v) for v in value]
            elif key == "qualifiers":
                out[key] = [compact_qualifier(q) for q in value]
            else:
                out[key] = value
        return out

    def _aas_texts(self, out: dict[str, Any], element: dict[str, Any],
                   annotation: dict[str, Any], where: str) -> None:
        for key, limit in (("displayName", self.max_display), ("description", self.max_text)):
            langs: dict[str, str] = {}
            for item in element.get(key) or []:
                lang, text = item["language"], item["text"]
                if not _LANG_OK.match(lang):
                    self.note(Code.DROPPED, IssueSeverity.LOSSY, f"the {key} in language "
                              f"{lang!r} was dropped: DTDL accepts only codes like 'en' or "
                              "'en-US'", source=where, original=text)
                    continue
                if limit is not None and len(text) > limit:
                    self.note(Code.DROPPED, IssueSeverity.LOSSY, f"the {key} ({lang}) was "
                              f"cut to {limit} characters", source=where, original=text)
                    text = text[:limit]
                langs[lang] = text
            if langs:
                out[key] = langs
        self._annotate(out, annotation, where)

    def _annotate(self, out: dict[str, Any], annotation: dict[str, Any], where: str) -> None:
        """Write the annotation: comment, then continuations in description/displayName."""
        limits = [MAX_COMMENT_TEXT]
        homes = ["description", "displayName"]
        for home in homes:
            limit = self.max_text if home == "description" else self.max_display
            limits.append(limit or 0)
        parts, dropped = encode(annotation, tuple(limits))
        for key in dropped:
            self.note(Code.DROPPED, IssueSeverity.LOSSY, f"the AAS attribute {key!r} does not "
                      "fit in the DTDL comment and its continuations and was dropped",
                      source=where, original=json.dumps(annotation.get(key),
                                                        ensure_ascii=False))
        out["comment"] = parts[0] if parts else MARKER + "{}"
        for home, part in zip(homes, parts[1:], strict=False):
            out.setdefault(home, {})[CONTINUATION] = part

    def aas_content(self, element: dict[str, Any], names: _Names,
                    parent: str) -> dict[str, Any] | None:
        """An AAS submodel element as an Interface content."""
        id_short = element.get("idShort", "element")
        where = f"{parent}/{id_short}"
        name = names.allocate(id_short)
        model_type = element["modelType"]
        annotation: dict[str, Any] = {}
        if name != id_short:
            annotation["idShort"] = id_short
            self.note(Code.IDSHORT_RENAMED, IssueSeverity.INFO, f"idShort {id_short!r} is not "
                      f"a DTDL name; it became {name!r}", source=where, target=name,
                      original=id_short)
        out: dict[str, Any]
        if model_type == "Operation":
            out = {"@type": "Command", "name": name}
            consumed = {"inputVariables", "outputVariables"}
            for key, prop in (("inputVariables", "request"), ("outputVariables", "response")):
                variables = element.get(key) or []
                if not variables:
                    continue
                if len(variables) == 1:
                    payload = self.aas_field(variables[0]["value"], _Names(self.max_name),
                                             where, 0)
                else:
                    payload = {"name": prop, "schema": {
                        "@type": "Object",
                        "fields": [self.aas_field(v["value"], _Names(self.max_name), where, 1)
                                   for v in variables]}}
                    annotation.setdefault("multi", []).append(key)
                out[prop] = payload
            if element.get("inoutputVariables"):
                self.note(Code.DROPPED, IssueSeverity.LOSSY, "in-out variables of an "
                          "Operation have no DTDL equivalent", source=where)
                consumed.add("inoutputVariables")
        elif model_type in ("RelationshipElement", "AnnotatedRelationshipElement"):
            out = {"@type": "Relationship", "name": name}
            consumed = {"annotations"}
            props = [self.aas_field(a, _Names(self.max_name), where, 0, as_property=True)
                     for a in element.get("annotations", [])]
            if props:
                out["properties"] = props
        else:
            out = {"@type": "Property", "name": name}
            schema, consumed = self.aas_schema(element, where, 0)
            out["schema"] = schema
            if self.version == 2 and _has_array(schema):
                out["@type"] = "Telemetry"  # DTDL v2 Properties cannot hold Arrays
                self.note(Code.TYPE_WIDENED, IssueSeverity.INFO, "DTDL v2 Properties cannot "
                          "hold Arrays; the list became a Telemetry", source=where)
        if model_type in ("Operation", "AnnotatedRelationshipElement"):
            pass
        elif model_type == "RelationshipElement" or model_type != _default_kind(
                out.get("schema")):
            annotation["t"] = model_type
        annotation.update(self._attributes(element, consumed))
        self._aas_texts(out, element, annotation, where)
        return out

    def aas_field(self, element: dict[str, Any], names: _Names, where: str, depth: int,
                  as_property: bool = False) -> dict[str, Any]:
        """An AAS element inside a collection, list or operation, as a Field."""
        id_short = element.get("idShort", "item")
        name = names.allocate(id_short)
        here = f"{where}/{id_short}"
        annotation: dict[str, Any] = {}
        if name != id_short:
            annotation["idShort"] = id_short
            self.note(Code.IDSHORT_RENAMED, IssueSeverity.INFO, f"idShort {id_short!r} is not "
                      f"a DTDL name; it became {name!r}", source=here, target=name,
                      original=id_short)
        out: dict[str, Any] = {"@type": "Property"} if as_property else {}
        out["name"] = name
        schema, consumed = self.aas_schema(element, here, depth)
        out["schema"] = schema
        if element["modelType"] != _default_kind(schema):
            annotation["t"] = element["modelType"]
        annotation.update(self._attributes(element, consumed))
        self._aas_texts(out, element, annotation, here)
        return out

    def aas_schema(self, element: dict[str, Any], where: str,
                   depth: int) -> tuple[Any, set[str]]:
        """The DTDL schema of an AAS element, and the attributes it expresses."""
        model_type = element["modelType"]
        value_type = element.get("valueType")
        exact = {"valueType"} if value_type in XS_TO_SCHEMA else set()
        if model_type == "Property" or (model_type == "Range" and depth >= _MAX_DEPTH):
            return self._primitive(value_type, where), exact
        if model_type == "MultiLanguageProperty" and depth < _MAX_DEPTH:
            return ({"@type": "Map", "mapKey": {"name": "language", "schema": "string"},
                     "mapValue": {"name": "text", "schema": "string"}}, set())
        if model_type == "Range" and depth < _MAX_DEPTH:
            primitive = self._primitive(value_type, where)
            return ({"@type": "Object", "fields": [{"name": "min", "schema": primitive},
                                                   {"name": "max", "schema": primitive}]},
                    exact)
        if model_type in ("SubmodelElementCollection", "Entity"):
            children_key = "value" if model_type == "SubmodelElementCollection" else "statements"
            children = element.get(children_key) or []
            if depth >= _MAX_DEPTH:
                if children:
                    self.note(Code.DROPPED, IssueSeverity.LOSSY, "the collection is nested "
                              f"deeper than DTDL's {_MAX_DEPTH} schema levels; its "
                              f"{len(children)} element(s) were dropped", source=where)
                return {"@type": "Object", "fields": []}, {children_key}
            names = _Names(self.max_name)
            fields = [self.aas_field(c, names, where, depth + 1) for c in children]
            if not fields and self.version == 2:
                return "string", {children_key}  # a v2 Object needs fields
            return {"@type": "Object", "fields": fields}, {children_key}
        if model_type == "SubmodelElementList":
            children = element.get("value") or []
            consumed = {"value"}
            if depth >= _MAX_DEPTH:  # an Array there could not have its elementSchema
                if children:
                    self.note(Code.DROPPED, IssueSeverity.LOSSY, "the list is nested deeper "
                              f"than DTDL's {_MAX_DEPTH} schema levels; its {len(children)} "
                              "item(s) were dropped", source=where)
                return "string", consumed
            if children and depth < _MAX_DEPTH:
                item = children[0]
                item_schema, item_consumed = self.aas_schema(item, where + "[0]", depth + 1)
                if len(children) > 1:
                    self.note(Code.DROPPED, IssueSeverity.LOSSY, f"only the first of the "
                              f"{len(children)} list items shapes the Array schema; the "
                              "others were dropped", source=where)
                if item.get("modelType") == element.get("typeValueListElement"):
                    consumed.add("typeValueListElement")
                if item.get("valueType") == element.get("valueTypeListElement"):
                    consumed.add("valueTypeListElement")
                item_annotation = self._attributes(item, item_consumed)
                for key in ("idShort", "displayName", "description"):
                    if key in item:
                        item_annotation[key] = item[key]
                if item["modelType"] != _default_kind(item_schema):
                    item_annotation["t"] = item["modelType"]
                array: dict[str, Any] = {"@type": "Array", "elementSchema": item_schema}
                self._annotate(array, {"item": item_annotation}, where + "[0]")
                return array, consumed
            item_schema = self._primitive(element.get("valueTypeListElement"), where)
            if children:
                consumed.discard("value")
            return {"@type": "Array", "elementSchema": item_schema}, consumed
        return "string", set()

    def _primitive(self, value_type: str | None, where: str) -> str:
        if value_type is None:
            return "string"
        exact = XS_TO_SCHEMA.get(value_type)
        if exact is not None:
            return exact
        near = _XS_NEAR.get(value_type, "string")
        self.note(Code.TYPE_WIDENED, IssueSeverity.INFO, f"DTDL has no {value_type}; the "
                  f"schema is {near} (the AAS value type is kept in the annotation)",
                  source=where, original=value_type, target=near)
        return near


def aas_to_dtdl(env: dict[str, Any], report: ConversionReport, version: int = 3
                ) -> list[dict[str, Any]]:
    """DTDL Interfaces (JSON) for the submodels of an AAS environment (JSON form)."""
    writer = _Writer(report, version)
    out = [writer.interface(sub) for sub in env.get("submodels", [])]
    for shell in env.get("assetAdministrationShells", []):
        report.add(Code.DROPPED, IssueSeverity.LOSSY, f"the shell {shell.get('id')} has no "
                   "DTDL equivalent (only submodels become Interfaces)", source=shell.get("id"))
    derived = {sub["id"] for sub in env.get("submodels", []) if "@context" in dtdl_extensions(sub)}
    for concept in env.get("conceptDescriptions", []):
        from_dtdl = concept.get("id", "").startswith("dtmi:") and bool(derived)
        report.add(Code.DROPPED, IssueSeverity.INFO if from_dtdl else IssueSeverity.LOSSY,
                   f"the concept description {concept.get('id')} has no DTDL equivalent"
                   + (" (it is derived from a DTDL unit and made again on reading)"
                      if from_dtdl else ""), source=concept.get("id"))
    return out

"""DTDL -> AAS: every Interface becomes a submodel template.

The mapping (see ``docs/formats/dtdl.md``): Interface -> Submodel (kind Template, id and
semanticId the DTMI, extended Interfaces as supplemental semantic ids, their contents
flattened in); Property/Telemetry -> Property, SubmodelElementCollection (Object, Map) or
SubmodelElementList (Array) by schema; Command -> Operation; Relationship ->
(Annotated)RelationshipElement; Component -> SubmodelElementCollection whose semanticId is
the Component's Interface. Semantic types and units go to supplemental semantic ids and a
ConceptDescription with an IEC 61360 unit. Whatever has no AAS home is kept as an Extension
``src:dtdl:<attribute>`` (the reverse direction reads them back).
"""

from __future__ import annotations

from typing import Any

from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.dtdl._aas_parts import (
    FORMAT,
    IEC61360,
    PRIMITIVE_TO_XS,
    DtdlUnit,
    all_of,
    ext_ref,
    extension,
    first_of,
    langs,
    plain,
    raw_property,
    resolve_unit,
    transitive_extends,
    unit_of,
)
from omp_models.formats.dtdl._checks import inherited_contents
from omp_models.formats.dtdl._model import DtdlModel, Element
from omp_models.formats.dtdl._vocab import vocabulary
from omp_models.ids import IdShortAllocator, sanitize_id_short

__all__ = ["model_to_aas"]

#: AAS langString limits (3.0/3.1): displayName 128, description 1023 characters.
_MAX_DISPLAY, _MAX_DESCRIPTION = 128, 1023

_ANY_INTERFACE = "dtmi:dtdl:class:Interface;{version}"


class _Mapper:
    def __init__(self, model: DtdlModel, report: ConversionReport, source: str,
                 base_iri: str) -> None:
        self.model = model
        self.report = report
        self.source = source
        self.base_iri = base_iri
        self.concepts: dict[str, dict[str, Any]] = {}

    # --- report helpers ------------------------------------------------------------------

    def note(self, code: Code, severity: IssueSeverity, message: str, element: Element,
             target: str | None = None, original: str | None = None) -> None:
        self.report.add(code, severity, message, source=element.pointer or element.id,
                        target=target, original=original, file=element.source or self.source)

    def preserve(self, out: dict[str, Any], element: Element, attribute: str, value: Any,
                 path: str) -> None:
        out.setdefault("extensions", []).append(extension(attribute, value))
        self.note(Code.PRESERVED_AS_EXTENSION, IssueSeverity.PRESERVED,
                  f"{attribute!r} of {element.id} has no AAS home; kept as Extension "
                  f"src:{FORMAT}:{attribute}", element, target=path)

    # --- interface -------------------------------------------------------------------------

    def submodel(self, interface: Element) -> dict[str, Any]:
        segment = interface.id.split(";", 1)[0].rsplit(":", 1)[-1]
        sub: dict[str, Any] = {
            "modelType": "Submodel",
            "id": interface.id,
            "idShort": sanitize_id_short(segment),
            "kind": "Template",
            "semanticId": ext_ref(interface.id),
        }
        self._metadata(sub, interface, interface.id, "submodel")
        written = interface.raw.get("@context")
        if written is not None and interface.parent is None:
            context = plain(written)
        else:  # a nested Interface is written at the top level: its full context
            ctx = interface.context
            context = [ctx.dtdl_context, *ctx.affiliates, *sorted(ctx.unrecognized)]
        sub.setdefault("extensions", []).append(extension("@context", context))
        extends = interface.children("extends")
        if extends:
            closure = transitive_extends(self.model, interface)
            sub["supplementalSemanticIds"] = [ext_ref(dtmi) for dtmi in closure]
            sub["extensions"].append(extension("extends", extends))
            self.note(Code.INHERITANCE_FLATTENED, IssueSeverity.PRESERVED,
                      f"{interface.id} extends {', '.join(extends)}: their contents were "
                      "copied in (Extension src:dtdl:inheritedFrom marks them)", interface,
                      target=interface.id)
        schemas = raw_property(interface, "schemas")
        if schemas is not None:
            sub["extensions"].append(extension("schemas", plain(schemas)))
        names = IdShortAllocator()
        elements: list[dict[str, Any]] = []
        for content in inherited_contents(self.model, interface):
            item = self.content(content, names, sub["idShort"])
            if item is None:
                continue
            if content.parent != interface.id:
                item.setdefault("extensions", []).append(
                    extension("inheritedFrom", content.parent or ""))
            elements.append(item)
        for ref in sorted(self.model.unresolved):
            owners = {r.owner for r in self.model.unresolved[ref]}
            if interface.id in owners or any(o.startswith(interface.id.split(";")[0] + ":")
                                             for o in owners):
                self.note(Code.DEPENDENCY_MISSING, IssueSeverity.LOSSY,
                          f"{ref} is referenced but not available (put its file beside the "
                          "input or give --search-path); what it defines is missing",
                          interface, target=interface.id, original=ref)
        if elements:
            sub["submodelElements"] = elements
        return sub

    def _metadata(self, out: dict[str, Any], element: Element, path: str,
                  where: str) -> None:
        display, cut = langs(element.literals.get("displayName"), _MAX_DISPLAY)
        if display:
            out["displayName"] = display
        if cut:
            self.preserve(out, element, "displayName", element.literals["displayName"], path)
        description, cut = langs(element.literals.get("description"), _MAX_DESCRIPTION)
        if description:
            out["description"] = description
        if cut:
            self.preserve(out, element, "description", element.literals["description"],
                          path)
        comment = element.literals.get("comment")
        if comment:
            self.preserve(out, element, "comment", comment, path)
        context = element.raw.get("@context")
        if context is not None and element.cls != "Interface":
            self.preserve(out, element, "@context", plain(context), path)
        if element.cls == "Interface" and element.supplemental_types:
            self.preserve(out, element, "cotypes", element.supplemental_types, path)
        if element.undefined_types:
            self.preserve(out, element, "undefinedTypes", element.undefined_types, path)
        if element.undefined:
            self.preserve(out, element, "undefined", plain(element.undefined), path)
        other = {vocabulary().term_or_uri(k): plain(v) for k, v in
                 element.supplemental.items() if not k.endswith(("property:unit;2",
                                                                 ":property:unit"))}
        if other and where != "unit":
            self.preserve(out, element, "supplemental", other, path)

    # --- contents --------------------------------------------------------------------------

    def content(self, element: Element, names: IdShortAllocator,
                path: str) -> dict[str, Any] | None:
        name = element.name or element.id.rsplit(":", 1)[-1].split(";")[0]
        id_short, renamed = names.allocate(name)
        here = f"{path}.{id_short}"
        out: dict[str, Any]
        if element.cls in ("Property", "Telemetry"):
            out = self.schema_element(first_of(self.model, element, "schema"), here, element)
            if element.cls == "Telemetry":
                out["category"] = "VARIABLE"
                out.setdefault("extensions", []).append(extension("type", "Telemetry"))
                self.note(Code.TELEMETRY_AS_SNAPSHOT, IssueSeverity.PRESERVED,
                          f"Telemetry {name!r} became a Property (AAS has no streams); "
                          "Extension src:dtdl:type=Telemetry keeps the kind", element,
                          target=here)
            elif "writable" in element.literals:
                writable = bool(element.literals["writable"])
                if writable:
                    out["category"] = "PARAMETER"
                out.setdefault("qualifiers", []).append(
                    {"type": "dtdl:writable", "valueType": "xs:boolean",
                     "value": "true" if writable else "false"})
        elif element.cls == "Command":
            out = self.operation(element, here)
        elif element.cls == "Relationship":
            out = self.relationship(element, here)
        elif element.cls == "Component":
            out = self.component(element, here)
        else:
            return None
        out["idShort"] = id_short
        self._identify(out, element, here)
        if renamed:
            out.setdefault("extensions", []).append(extension("name", name))
            self.note(Code.IDSHORT_RENAMED, IssueSeverity.INFO, f"name {name!r} became "
                      f"idShort {id_short!r}", element, target=here, original=name)
        return out

    def _identify(self, out: dict[str, Any], element: Element, path: str) -> None:
        """The semanticId (the DTMI), co-types, units and metadata of a content element."""
        if element.cls == "Component":
            if element.explicit_id:
                out.setdefault("extensions", []).append(extension("@id", element.id))
        else:
            out["semanticId"] = ext_ref(element.id)
        self._metadata(out, element, path, "content")
        self._cotypes(out, element, path)

    def _cotypes(self, out: dict[str, Any], element: Element, path: str) -> None:
        if not element.supplemental_types:
            return
        sup = out.setdefault("supplementalSemanticIds", [])
        sup.extend(ext_ref(t) for t in element.supplemental_types)
        unit = unit_of(self.model, element)
        if unit is not None:
            refs = [v for k, v in element.supplemental.items()
                    if k.endswith(("property:unit;2", ":property:unit"))]
            out.setdefault("extensions", []).append(
                extension("unit", vocabulary().term_or_uri(refs[0][0])))
            self.concept(element, out, unit, path)

    def concept(self, element: Element, out: dict[str, Any], unit: DtdlUnit,
                path: str) -> None:
        """A ConceptDescription (IEC 61360) for the unit of an element."""
        name, symbol = unit.name, unit.symbol
        found = resolve_unit(unit)
        preferred, _ = langs(element.literals.get("displayName"), 255)
        if not any(p["language"].startswith("en") for p in preferred):
            preferred.append({"language": "en", "text": element.name or name})
        definition, _ = langs(element.literals.get("description"), 1023)
        if not any(d["language"].startswith("en") for d in definition):
            definition.append({"language": "en", "text": f"DTDL {element.cls} "
                               f"{element.name or element.id}"})
        value_type = out.get("valueType", "xs:double")
        content: dict[str, Any] = {
            "modelType": "DataSpecificationIec61360",
            "preferredName": preferred,
            "definition": definition,
            "unit": symbol or name,
            "dataType": "INTEGER_MEASURE" if value_type in ("xs:int", "xs:long")
            else "REAL_MEASURE",
        }
        if found is not None:
            content["unitId"] = ext_ref(found.unece_iri)
        else:
            self.note(Code.UNIT_UNRESOLVED, IssueSeverity.LOSSY, f"the DTDL unit {name!r} has "
                      "no UNECE Rec 20 code in the unit registry; only its symbol is kept",
                      element, target=path, original=name)
        self.concepts[element.id] = {
            "modelType": "ConceptDescription",
            "id": element.id,
            "idShort": sanitize_id_short(element.name or name),
            "embeddedDataSpecifications": [
                {"dataSpecification": ext_ref(IEC61360), "dataSpecificationContent": content}
            ],
        }

    # --- schemas ---------------------------------------------------------------------------

    def schema_element(self, schema: Element | None, path: str,
                       owner: Element) -> dict[str, Any]:
        """The AAS element for a value of ``schema`` (without idShort)."""
        if schema is None:
            out: dict[str, Any] = {"modelType": "Property", "valueType": "xs:string"}
            ref = owner.children("schema")
            if ref:
                out["extensions"] = [extension("schema", ref[0])]
                self.note(Code.DEPENDENCY_MISSING, IssueSeverity.LOSSY, f"the schema "
                          f"{ref[0]} is not available; the value became a string", owner,
                          target=path, original=ref[0])
            return out
        if schema.cls in PRIMITIVE_TO_XS:
            return {"modelType": "Property", "valueType": PRIMITIVE_TO_XS[schema.cls]}
        if schema.standard:
            return {"modelType": "Property", "valueType": "xs:string",
                    "extensions": [extension("schema", vocabulary().term_or_uri(schema.id))]}
        meta = self._schema_meta(schema)
        if schema.cls == "Object":
            out = {"modelType": "SubmodelElementCollection"}
            fields = [self.field(f, path) for f in all_of(self.model, schema, "fields")]
            if fields:
                out["value"] = fields
        elif schema.cls == "Array":
            item = self.schema_element(first_of(self.model, schema, "elementSchema"),
                                       f"{path}[0]", schema)
            item.pop("idShort", None)
            out = {"modelType": "SubmodelElementList", "orderRelevant": True,
                   "typeValueListElement": item["modelType"], "value": [item]}
            if item["modelType"] == "Property":
                out["valueTypeListElement"] = item["valueType"]
        elif schema.cls == "Map":
            out = {"modelType": "SubmodelElementCollection"}
            key = first_of(self.model, schema, "mapKey")
            value = first_of(self.model, schema, "mapValue")
            children = []
            if key is not None:
                key_item: dict[str, Any] = {"modelType": "Property", "valueType": "xs:string",
                                            "idShort": sanitize_id_short(key.name or "key"),
                                            "semanticId": ext_ref(key.id)}
                self._metadata(key_item, key, path, "field")
                children.append(key_item)
            if value is not None:
                children.append(self.field(value, path))
            out["value"] = children
            meta["@type"] = "Map"
        elif schema.cls == "Enum":
            value_schema = first_of(self.model, schema, "valueSchema")
            value_type = PRIMITIVE_TO_XS.get(value_schema.cls if value_schema else "",
                                             "xs:string")
            out = {"modelType": "Property", "valueType": value_type}
            values = []
            for item_el in all_of(self.model, schema, "enumValues"):
                entry: dict[str, Any] = {"name": item_el.name,
                                         "enumValue": item_el.literals.get("enumValue")}
                for key_name in ("displayName", "description", "comment"):
                    if key_name in item_el.literals:
                        entry[key_name] = item_el.literals[key_name]
                if item_el.explicit_id:
                    entry["@id"] = item_el.id
                values.append(entry)
            meta["@type"] = "Enum"
            meta["enumValues"] = values
        else:
            out = {"modelType": "Property", "valueType": "xs:string"}
            meta["@type"] = schema.cls
        if meta:
            out.setdefault("extensions", []).append(extension("schema", meta))
        return out

    def _schema_meta(self, schema: Element) -> dict[str, Any]:
        meta: dict[str, Any] = {}
        if schema.explicit_id:
            meta["@id"] = schema.id
        for key in ("displayName", "description", "comment"):
            if key in schema.literals:
                meta[key] = schema.literals[key]
        if schema.supplemental_types:
            meta["@cotypes"] = schema.supplemental_types
        return meta

    def field(self, field: Element, path: str) -> dict[str, Any]:
        """The AAS element of an Object field or Map value."""
        name = field.name or "field"
        here = f"{path}.{name}"
        out = self.schema_element(first_of(self.model, field, "schema"), here, field)
        out["idShort"] = sanitize_id_short(name)
        if out["idShort"] != name:
            out.setdefault("extensions", []).append(extension("name", name))
        out["semanticId"] = ext_ref(field.id)
        if "writable" in field.literals:  # a Relationship's property
            out.setdefault("qualifiers", []).append(
                {"type": "dtdl:writable", "valueType": "xs:boolean",
                 "value": "true" if field.literals["writable"] else "false"})
        self._metadata(out, field, here, "field")
        self._cotypes(out, field, here)
        return out

    # --- commands, relationships, components -----------------------------------------------

    def operation(self, element: Element, path: str) -> dict[str, Any]:
        out: dict[str, Any] = {"modelType": "Operation"}
        for prop, key in (("request", "inputVariables"), ("response", "outputVariables")):
            payload = first_of(self.model, element, prop)
            if payload is None:
                continue
            value = self.field(payload, path)
            out[key] = [{"value": value}]
        command_type = element.children("commandType")
        if command_type:
            out.setdefault("extensions", []).append(
                extension("commandType", vocabulary().term_or_uri(command_type[0])))
        return out

    def relationship(self, element: Element, path: str) -> dict[str, Any]:
        interface = element.defined_in or element.parent or element.id
        target = element.literals.get("target")
        second = target or _ANY_INTERFACE.format(version=element.version)
        out: dict[str, Any] = {
            "modelType": "RelationshipElement",
            "first": {"type": "ModelReference",
                      "keys": [{"type": "Submodel", "value": interface}]},
            "second": ext_ref(second),
        }
        qualifiers = []
        for key in ("minMultiplicity", "maxMultiplicity"):
            if key in element.literals:
                qualifiers.append({"type": f"dtdl:{key}", "valueType": "xs:int",
                                   "value": str(element.literals[key])})
        if "writable" in element.literals:
            qualifiers.append({"type": "dtdl:writable", "valueType": "xs:boolean",
                               "value": "true" if element.literals["writable"] else "false"})
        if qualifiers:
            out["qualifiers"] = qualifiers
        props = all_of(self.model, element, "properties")
        if props:
            out["modelType"] = "AnnotatedRelationshipElement"
            annotations = []
            for prop in props:
                item = self.field(prop, path)
                if item["modelType"] not in ("Property", "MultiLanguageProperty", "Range",
                                             "File", "Blob", "ReferenceElement"):
                    self.note(Code.TYPE_NARROWED, IssueSeverity.LOSSY, f"the relationship "
                              f"property {prop.name!r} has a complex schema; AAS annotations "
                              "hold data elements only, so it became a string", prop,
                              target=f"{path}.{prop.name}")
                    item = {"modelType": "Property", "valueType": "xs:string",
                            "idShort": item["idShort"], "semanticId": item["semanticId"],
                            "extensions": [extension("schema", plain(prop.raw))]}
                annotations.append(item)
            out["annotations"] = annotations
        return out

    def component(self, element: Element, path: str) -> dict[str, Any]:
        schema_ids = element.children("schema")
        out: dict[str, Any] = {"modelType": "SubmodelElementCollection",
                               "extensions": [extension("type", "Component")]}
        if not schema_ids:
            return out
        schema_id = schema_ids[0]
        out["semanticId"] = ext_ref(schema_id)
        schema = self.model.elements.get(schema_id)
        if schema is None:
            self.note(Code.DEPENDENCY_MISSING, IssueSeverity.LOSSY, f"the Interface "
                      f"{schema_id} of Component {element.name!r} is not available; the "
                      "collection is empty", element, target=path, original=schema_id)
            return out
        if schema.explicit_id and schema.parent is not None:
            out.setdefault("extensions", []).append(extension("schemaInline", True))
        names = IdShortAllocator()
        children = [c for c in (self.content(x, names, path)
                                for x in inherited_contents(self.model, schema)) if c]
        if children:
            out["value"] = children
        return out


def model_to_aas(model: DtdlModel, interfaces: list[Element], report: ConversionReport,
                 source: str, base_iri: str) -> dict[str, Any]:
    """The AAS environment (JSON form) for ``interfaces`` of ``model``."""
    mapper = _Mapper(model, report, source, base_iri)
    submodels = [mapper.submodel(i) for i in interfaces]
    env: dict[str, Any] = {}
    if submodels:
        env["submodels"] = submodels
    if mapper.concepts:
        env["conceptDescriptions"] = [mapper.concepts[k] for k in sorted(mapper.concepts)]
    return env

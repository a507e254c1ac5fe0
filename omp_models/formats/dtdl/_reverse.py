"""AAS -> DTDL for submodels that came from DTDL (the inverse of ``_to_aas.py``).

Such a submodel carries ``src:dtdl:*`` Extensions (its ``@context``, ``extends``, the
schemas and names it had); with them, and the DTMIs kept as semantic ids, the Interface is
written back as it was (compare with :func:`normalize_dtdl`).
"""

from __future__ import annotations

import json
from typing import Any

from omp_models.formats.dtdl._vocab import vocabulary

__all__ = ["DtdlOriginWriter", "auto_id", "dtdl_extensions", "reference_key"]


def dtdl_extensions(element: dict[str, Any]) -> dict[str, str]:
    """The ``src:dtdl:*`` Extensions of an element, by attribute."""
    return {e["name"][len("src:dtdl:"):]: e.get("value", "")
            for e in element.get("extensions", []) if e.get("name", "").startswith("src:dtdl:")}


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _langmap(values: list[dict[str, str]] | None) -> dict[str, str]:
    return {v["language"]: v["text"] for v in values or []}


def auto_id(parent: str, prop: str, segment: str | None = None) -> str:
    """The DTMI DTDL gives an element without @id (``<parent>:_<prop>[:__<name>]``)."""
    body, _, version = parent.partition(";")
    out = f"{body}:_{prop}" + (f":__{segment}" if segment is not None else "")
    return f"{out};{version}" if version else out


def reference_key(ref: dict[str, Any] | None) -> str | None:
    """The value of a one-key reference."""
    keys = (ref or {}).get("keys") or []
    return str(keys[0].get("value")) if len(keys) == 1 else None


def _ids_in(value: Any) -> set[str]:
    """Every ``@id`` defined in a JSON value."""
    found: set[str] = set()
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if isinstance(current.get("@id"), str):
                found.add(current["@id"])
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return found


def _writable(out: dict[str, Any], element: dict[str, Any]) -> None:
    """``writable`` from the ``dtdl:writable`` qualifier (basyx 2.2 drops a "false" value)."""
    for qualifier in element.get("qualifiers", []):
        if qualifier.get("type") == "dtdl:writable":
            out["writable"] = qualifier.get("value") == "true"


_XS_TO_SCHEMA: dict[str, str] = {
    "xs:boolean": "boolean", "xs:date": "date", "xs:dateTime": "dateTime",
    "xs:double": "double", "xs:duration": "duration", "xs:float": "float",
    "xs:int": "integer", "xs:long": "long", "xs:string": "string", "xs:time": "time",
}


class DtdlOriginWriter:
    """Writes back Interfaces from submodels that carry ``src:dtdl:*`` Extensions."""

    version: int
    defined: set[str]

    def dtdl_interface(self, sub: dict[str, Any], exts: dict[str, str]) -> dict[str, Any]:
        context = _json(exts["@context"])
        for entry in context if isinstance(context, list) else [context]:
            if isinstance(entry, str) and entry.startswith("dtmi:dtdl:context;"):
                self.version = int(entry.rsplit(";", 1)[1]) if entry[-1].isdigit() else 3
        out: dict[str, Any] = {"@context": context, "@id": sub["id"],
                               "@type": self._types("Interface", {}, exts)}
        self._texts(out, sub, exts)
        if "extends" in exts:
            out["extends"] = _json(exts["extends"])
        self._restore(out, exts)
        schemas = _json(exts["schemas"]) if "schemas" in exts else None
        if isinstance(schemas, list | dict):
            self.defined.update(_ids_in(schemas))
        contents = []
        for element in sub.get("submodelElements", []):
            if "inheritedFrom" in dtdl_extensions(element):
                continue
            item = self.dtdl_content(element, sub["id"])
            if item is not None:
                contents.append(item)
        if contents:
            out["contents"] = contents
        if schemas is not None:
            out["schemas"] = schemas
        return out

    def _texts(self, out: dict[str, Any], element: dict[str, Any], exts: dict[str, str]) -> None:
        display = _json(exts["displayName"]) if "displayName" in exts else _langmap(
            element.get("displayName"))
        if display:
            out["displayName"] = display
        description = _json(exts["description"]) if "description" in exts else _langmap(
            element.get("description"))
        if description:
            out["description"] = description
        if "comment" in exts:
            out["comment"] = exts["comment"]

    def _restore(self, out: dict[str, Any], exts: dict[str, str]) -> None:
        if "@context" in exts and "@context" not in out:
            out["@context"] = _json(exts["@context"])
        if "undefined" in exts:
            undefined = _json(exts["undefined"])
            if isinstance(undefined, dict):
                out.update(undefined)
        if "supplemental" in exts:
            supplemental = _json(exts["supplemental"])
            if isinstance(supplemental, dict):
                out.update(supplemental)

    def _types(self, base: str, element: dict[str, Any], exts: dict[str, str]) -> Any:
        vocab = vocabulary()
        cotypes = [reference_key(r) for r in element.get("supplementalSemanticIds", [])]
        if "cotypes" in exts:
            cotypes = list(_json(exts["cotypes"]))
        terms = [vocab.term_or_uri(t) for t in cotypes if t and t in vocab.supplemental]
        undefined = _json(exts["undefinedTypes"]) if "undefinedTypes" in exts else []
        extra = [*terms, *(undefined if isinstance(undefined, list) else [])]
        return [base, *extra] if extra else base

    # --- DTDL-origin contents --------------------------------------------------------------

    def dtdl_content(self, element: dict[str, Any], parent: str) -> Any:
        """An Interface content (or its DTMI, when it was already written)."""
        exts = dtdl_extensions(element)
        model_type = element["modelType"]
        name = exts.get("name", element.get("idShort", ""))
        kind = exts.get("type")
        out: dict[str, Any]
        own = auto_id(parent, "contents", name)
        if kind == "Component":
            out = {"@type": self._types("Component", element, exts), "name": name,
                   "schema": reference_key(element.get("semanticId"))}
            if "@id" in exts:
                out["@id"] = exts["@id"]
            self._texts(out, element, exts)
            self._restore(out, exts)
            return out
        semantic = reference_key(element.get("semanticId"))
        if semantic and semantic != own:
            if semantic in self.defined:
                return semantic  # defined earlier in this Interface: reference it
            self.defined.add(semantic)
        if model_type == "Operation":
            out = {"@type": self._types("Command", element, exts), "name": name}
            element_id = self._id(out, element, own)
            for key, prop in (("inputVariables", "request"), ("outputVariables", "response")):
                variables = element.get(key) or []
                if variables:
                    payload = variables[0]["value"]
                    cls = ("CommandRequest" if prop == "request" else "CommandResponse") \
                        if self.version >= 3 else "CommandPayload"
                    out[prop] = self.dtdl_field(payload, auto_id(element_id, prop), cls)
            if "commandType" in exts:
                out["commandType"] = exts["commandType"]
        elif model_type in ("RelationshipElement", "AnnotatedRelationshipElement"):
            out = {"@type": self._types("Relationship", element, exts), "name": name}
            element_id = self._id(out, element, own)
            second = reference_key(element.get("second"))
            if second and not second.startswith("dtmi:dtdl:class:Interface;"):
                out["target"] = second
            for qualifier in element.get("qualifiers", []):
                key = qualifier.get("type", "").removeprefix("dtdl:")
                if key in ("minMultiplicity", "maxMultiplicity"):
                    # basyx 2.2 drops falsy qualifier values when it serialises ("0")
                    out[key] = int(qualifier.get("value") or 0)
                elif key == "writable":
                    _writable(out, element)
            props = []
            for annotation in element.get("annotations", []):
                field = self.dtdl_field(annotation, "", "Property", content_of=element_id)
                props.append(field)
            if props:
                out["properties"] = props
        else:
            cls = "Telemetry" if kind == "Telemetry" else "Property"
            out = {"@type": self._types(cls, element, exts), "name": name}
            element_id = self._id(out, element, own)
            out["schema"] = self.dtdl_schema(element, exts, auto_id(element_id, "schema"))
            if "unit" in exts:
                out["unit"] = exts["unit"]
            _writable(out, element)
        self._texts(out, element, exts)
        self._restore(out, exts)
        return out

    def _id(self, out: dict[str, Any], element: dict[str, Any], auto: str) -> str:
        semantic = reference_key(element.get("semanticId"))
        if semantic and semantic != auto:
            out["@id"] = semantic
            return semantic
        return auto

    def dtdl_field(self, element: dict[str, Any], auto_parent: str, cls: str,
                   content_of: str | None = None) -> Any:
        """A Field, MapValue, CommandPayload or Relationship property from an AAS element.

        An element with an explicit @id that was already written is referenced by it.
        """
        exts = dtdl_extensions(element)
        name = exts.get("name", element.get("idShort", ""))
        types = self._types(cls, element, exts)
        out: dict[str, Any] = {}
        if isinstance(types, list) or cls in ("Property",):
            out["@type"] = types
        out["name"] = name
        auto = auto_id(content_of, "properties", name) if content_of is not None else auto_parent
        element_id = self._id(out, element, auto)
        if element_id != auto:
            if element_id in self.defined:
                return element_id
            self.defined.add(element_id)
        out["schema"] = self.dtdl_schema(element, exts, auto_id(element_id, "schema"))
        if "unit" in exts:
            out["unit"] = exts["unit"]
        if cls == "Property":
            _writable(out, element)
        self._texts(out, element, exts)
        self._restore(out, exts)
        return out

    def dtdl_schema(self, element: dict[str, Any], exts: dict[str, str], auto: str) -> Any:
        """The DTDL schema of an AAS element that came from DTDL."""
        meta = _json(exts["schema"]) if "schema" in exts else {}
        if isinstance(meta, str):
            return meta  # a standard schema term (point, ...) or an unavailable DTMI
        meta = dict(meta) if isinstance(meta, dict) else {}
        schema_id = meta.get("@id")
        if schema_id is not None:
            if schema_id in self.defined:
                return schema_id
            self.defined.add(schema_id)
        own = schema_id or auto
        model_type = element["modelType"]
        kind = meta.pop("@type", None)
        cotypes = meta.pop("@cotypes", None)
        out: dict[str, Any]
        if kind == "Enum":
            values = []
            for value in meta.pop("enumValues", []):
                value_id = value.get("@id") if isinstance(value, dict) else None
                if value_id is not None and value_id in self.defined:
                    values.append(value_id)  # defined earlier: reference it
                    continue
                if value_id is not None:
                    self.defined.add(value_id)
                values.append(value)
            out = {"@type": "Enum",
                   "valueSchema": _XS_TO_SCHEMA.get(element.get("valueType", ""), "string"),
                   "enumValues": values}
        elif model_type == "Property":
            return _XS_TO_SCHEMA.get(element.get("valueType", "xs:string"), "string")
        elif kind == "Map":
            children = element.get("value") or []
            out = {"@type": "Map"}
            if children:
                key = children[0]
                key_out: dict[str, Any] = {"name": key.get("idShort", "key")}
                key_id = self._id(key_out, key, auto_id(own, "mapKey"))
                key_out["schema"] = "string"
                self._texts(key_out, key, dtdl_extensions(key))
                if key_id in self.defined:
                    out["mapKey"] = key_id
                else:
                    if "@id" in key_out:
                        self.defined.add(key_id)
                    out["mapKey"] = key_out
            if len(children) > 1:
                out["mapValue"] = self.dtdl_field(children[1], auto_id(own, "mapValue"),
                                                  "MapValue")
        elif model_type == "SubmodelElementList":
            children = element.get("value") or []
            out = {"@type": "Array"}
            if children:
                child = children[0]
                child_exts = dtdl_extensions(child)
                out["elementSchema"] = self.dtdl_schema(child, child_exts,
                                                        auto_id(own, "elementSchema"))
            else:
                out["elementSchema"] = _XS_TO_SCHEMA.get(
                    element.get("valueTypeListElement", "xs:string"), "string")
        else:
            out = {"@type": "Object"}
            fields = []
            for child in element.get("value") or []:
                child_name = dtdl_extensions(child).get("name", child.get("idShort", ""))
                fields.append(self.dtdl_field(child, auto_id(own, "fields", child_name), "Field"))
            out["fields"] = fields
        if cotypes:
            out["@type"] = [out["@type"], *[vocabulary().term_or_uri(c) for c in cotypes]]
        if schema_id is not None:
            out = {"@id": schema_id, **out}
        out.update({k: v for k, v in meta.items() if k != "@id"})
        return out


"""General AutomationML (CAEX 2.15 / 3.0) -> AAS (table: docs/formats/automationml.md).

One shell per file. Each InstanceHierarchy becomes a submodel of collections (one per
InternalElement) holding the attributes (Properties, or collections for nested attributes),
the interfaces (collections, or File elements for external data references) and the child
elements; InternalLinks become RelationshipElements between the interfaces. Each class
library becomes a submodel template with one collection per class, its base classes'
attributes and interfaces copied in (inheritance flattened). Role, system-unit and interface
classes are the semanticIds; each gets a ConceptDescription.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from lxml import etree

from omp_models.aas._core import engine
from omp_models.formats._report import Code, IssueSeverity
from omp_models.formats.automationml._caex import kids, local, text_of, xml_path
from omp_models.formats.automationml._classes import (
    LIBRARIES,
    ClassDef,
    ClassIndex,
    class_semantic_id,
)
from omp_models.formats.automationml._json import (
    IEC61360,
    Context,
    Json,
    Keys,
    external_ref,
    model_ref,
)
from omp_models.ids import IdShortAllocator, derive_id, sanitize_id_short
from omp_models.units import units

__all__ = ["read_general"]

_XS_TYPES = frozenset(t.value for t in engine("3.1").types.DataTypeDefXSD)
_MIME = {".dae": "model/vnd.collada+xml", ".xml": "application/xml", ".aml": "application/xml",
         ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg",
         ".jpeg": "image/jpeg", ".stp": "model/step", ".step": "model/step",
         ".zip": "application/zip", ".txt": "text/plain", ".json": "application/json"}
_EXTRA_CAEX = ("Version", "Revision", "Copyright", "AdditionalInformation",
               "SourceObjectInformation")


class _Reader:
    def __init__(self, root: etree._Element, ctx: Context, index: ClassIndex,
                 file_key: str) -> None:
        self.root, self.ctx, self.index, self.file_key = root, ctx, index, file_key
        self.concepts: dict[str, tuple[str, str]] = {}
        #: CAEX ID -> (keys of the element, {interface name: key of its element}).
        self.by_id: dict[str, tuple[Keys, dict[str, tuple[str, str]]]] = {}
        self.interfaces_by_id: dict[str, Keys] = {}
        self.links: list[tuple[Json, list[Json], etree._Element]] = []
        self.flattened = 0

    # -- identifiers and semantics -------------------------------------------------------
    def sm_id(self, *parts: str) -> str:
        return derive_id(self.ctx.options.base_iri, "aml", self.file_key, *parts)

    def concept(self, semantic_id: str, name: str, definition: str) -> str:
        self.concepts.setdefault(semantic_id, (name, definition))
        return semantic_id

    def class_concept(self, kind: str, ref: str, lib: str | None = None) -> str:
        found = self.index.resolve(ref, lib)
        if found is not None:
            return self._concept_of(found)
        path = ref.partition("@")[2] if "@" in ref else ref
        return self.concept(class_semantic_id(kind, path), path.rsplit("/", 1)[-1],
                            f"AutomationML {kind} {path} (from a library not available "
                            "to the converter).")

    def _concept_of(self, cls: ClassDef) -> str:
        text = text_of(cls.el, "Description")
        definition = " ".join(text.split()) if text and text.strip() else (
            f"AutomationML {cls.kind} {cls.path}.")
        return self.concept(cls.semantic_id, cls.name, definition)

    def description(self, element: Json, el: etree._Element) -> None:
        text = text_of(el, "Description")
        if text and text.strip():
            element["description"] = [{"language": "en", "text": text.strip()}]
            self.ctx.once("description-language", Code.DEFAULTED, IssueSeverity.INFO,
                          "CAEX descriptions carry no language; 'en' is assumed", el)

    def keep_caex_extras(self, element: Json, el: etree._Element) -> None:
        if el.get("ID"):
            self.ctx.preserve(element, "ID", str(el.get("ID")), el)
        for name in _EXTRA_CAEX:
            for child in kids(el, name):
                value = (child.text or "").strip() if not len(child) and not child.attrib else (
                    etree.tostring(child, encoding="unicode", with_tail=False))
                if value:
                    self.ctx.preserve(element, name, value, child)

    def allocate(self, names: IdShortAllocator, wanted: str, el: etree._Element,
                 element: Json) -> str:
        id_short, renamed = names.allocate(wanted)
        if renamed:
            self.ctx.once(f"rename:{el.sourceline}:{xml_path(el)}:{id_short}",
                          Code.IDSHORT_RENAMED, IssueSeverity.INFO,
                          f"{wanted!r} is not a valid or unique idShort here; used "
                          f"{id_short!r}", el, target=id_short, original=wanted)
            self.ctx.preserve(element, "Name", wanted, el)
        return id_short

    @staticmethod
    def semantics(element: Json, ids: list[str]) -> None:
        unique = list(dict.fromkeys(i for i in ids if i))
        if unique:
            element["semanticId"] = external_ref(unique[0])
        if len(unique) > 1:
            element["supplementalSemanticIds"] = [external_ref(i) for i in unique[1:]]

    # -- attributes ----------------------------------------------------------------------
    def attribute(self, el: etree._Element, names: IdShortAllocator,
                  lib: str | None = None) -> Json:
        element: Json = {"modelType": "Property", "idShort": ""}
        element["idShort"] = self.allocate(names, el.get("Name") or "Attribute", el, element)
        ids = [r.get("CorrespondingAttributePath") or "" for r in kids(el, "RefSemantic")]
        if el.get("RefAttributeType"):
            ids.append(self.class_concept("AttributeType", str(el.get("RefAttributeType")),
                                          lib))
        value = text_of(el, "Value")
        default = text_of(el, "DefaultValue")
        subs = list(kids(el, "Attribute"))
        if subs:
            element["modelType"] = "SubmodelElementCollection"
            inner = IdShortAllocator()
            element["value"] = [self.attribute(s, inner, lib) for s in subs]
            if value is not None:
                element["value"].insert(0, self._value_property(el, inner, value))
        else:
            element["valueType"] = self.value_type(el)
            chosen = value if value is not None else default
            if value is None and default is not None:
                self.ctx.once("default-value", Code.DEFAULTED, IssueSeverity.INFO,
                              "attributes without a Value take their DefaultValue", el)
            if chosen is not None and not self.consistent(chosen, element["valueType"]):
                self.ctx.issue(Code.VALUE_UNCONVERTIBLE, IssueSeverity.LOSSY,
                               f"{chosen!r} is not a valid {element['valueType']}; kept as an "
                               "Extension", el, target=element["idShort"], original=chosen)
                self.ctx.preserve(element, "Value", chosen, el)
            elif chosen is not None:
                element["value"] = chosen
            if value is not None and default is not None:
                self.ctx.preserve(element, "DefaultValue", default, el)
        self.semantics(element, ids)
        self.description(element, el)
        if el.get("Unit"):
            self.unit(element, el, str(el.get("Unit")))
        qualifiers = self.constraints(el)
        if qualifiers:
            element["qualifiers"] = qualifiers
        if el.get("ID"):
            self.ctx.preserve(element, "ID", str(el.get("ID")), el)
        return element

    def _value_property(self, el: etree._Element, names: IdShortAllocator, value: str
                        ) -> Json:
        value_type = self.value_type(el)
        out: Json = {"modelType": "Property", "idShort": names.allocate("Value")[0],
                     "valueType": value_type}
        if self.consistent(value, value_type):
            out["value"] = value
        return out

    def value_type(self, el: etree._Element) -> str:
        raw = (el.get("AttributeDataType") or "").strip()
        if not raw:
            return "xs:string"
        candidate = raw if raw.startswith("xs:") else f"xs:{raw}"
        match: str | None = next((t for t in _XS_TYPES if t.lower() == candidate.lower()),
                                 None)
        if match is None:
            self.ctx.once(f"type:{raw}", Code.TYPE_WIDENED, IssueSeverity.LOSSY,
                          f"the AttributeDataType {raw!r} has no AAS counterpart; "
                          "xs:string is used", el)
            return "xs:string"
        return match

    def consistent(self, value: str, value_type: str) -> bool:
        core = engine("3.1")
        return bool(core.verification.value_consistent_with_xsd_type(
            value, core.types.DataTypeDefXSD(value_type)))

    def unit(self, element: Json, el: etree._Element, text: str) -> None:
        content: Json = {"modelType": "DataSpecificationIec61360",
                         "preferredName": [{"language": "en",
                                            "text": (el.get("Name") or "Attribute")[:255]}],
                         "unit": text}
        found = units().lookup(text)
        if found is not None:
            content["unitId"] = external_ref(found.unece_iri)
        else:
            self.ctx.issue(Code.UNIT_UNRESOLVED, IssueSeverity.LOSSY,
                           f"the unit {text!r} has no UNECE Rec 20 code; kept as text", el,
                           target=element["idShort"], original=text)
        element["embeddedDataSpecifications"] = [{"dataSpecification": external_ref(IEC61360),
                                                  "dataSpecificationContent": content}]

    def constraints(self, el: etree._Element) -> list[Json]:
        out: list[Json] = []
        used: set[str] = set()
        for constraint in kids(el, "Constraint"):
            parts: list[str] = []
            for kind in kids(constraint):
                if local(kind) == "NominalScaledType":
                    parts.append(" | ".join((v.text or "").strip()
                                            for v in kids(kind, "RequiredValue")))
                elif local(kind) == "OrdinalScaledType":
                    low = text_of(kind, "RequiredMinValue")
                    high = text_of(kind, "RequiredMaxValue")
                    exact = text_of(kind, "RequiredValue")
                    parts.append(exact if exact is not None else f"{low or ''}..{high or ''}")
                elif local(kind) == "UnknownType":
                    parts.append((text_of(kind, "Requirements") or "").strip())
            name = f"aml:Constraint:{constraint.get('Name') or 'Constraint'}"
            while name in used:
                name += "_"
            used.add(name)
            out.append({"type": name, "valueType": "xs:string", "value": "; ".join(parts)})
        return out

    # -- interfaces, elements, links -----------------------------------------------------
    def interface(self, el: etree._Element, names: IdShortAllocator, lib: str | None
                  ) -> Json:
        ref = el.get("RefBaseClassPath") or ""
        cls = self.index.resolve(ref, lib)
        chain = [c.name for c in self.index.chain(cls)] if cls is not None else []
        attributes = {a.get("Name"): a for a in kids(el, "Attribute")}
        uri = text_of(attributes["refURI"], "Value") if "refURI" in attributes else None
        element: Json
        if uri and ("ExternalDataConnector" in chain or "ExternalDataReference" in chain
                    or cls is None):
            element = {"modelType": "File", "idShort": "",
                       "contentType": self._mime(attributes, uri), "value": uri}
            element["idShort"] = self.allocate(names, el.get("Name") or "Interface", el,
                                               element)
            for name, attr in attributes.items():
                if name != "refURI":
                    self.ctx.preserve(element, f"Attribute:{name}",
                                      text_of(attr, "Value") or "", attr)
        else:
            element = {"modelType": "SubmodelElementCollection", "idShort": ""}
            element["idShort"] = self.allocate(names, el.get("Name") or "Interface", el,
                                               element)
            inner = IdShortAllocator()
            element["value"] = [self.attribute(a, inner, lib) for a in kids(el, "Attribute")]
            element["value"] += [self.interface(i, inner, lib)
                                 for i in kids(el, "ExternalInterface")]
        if ref:
            self.semantics(element, [self.class_concept("InterfaceClass", ref, lib)])
        self.description(element, el)
        self.keep_caex_extras(element, el)
        return element

    def _mime(self, attributes: dict[str | None, etree._Element], uri: str) -> str:
        if "MIMEType" in attributes:
            declared = (text_of(attributes["MIMEType"], "Value") or "").strip()
            if declared:
                return declared
        suffix = PurePath(uri.split("#")[0].split("?")[0]).suffix.lower()
        return _MIME.get(suffix, "application/octet-stream")

    def internal_element(self, el: etree._Element, parent: Keys, names: IdShortAllocator,
                         lib: str | None = None) -> Json:
        element: Json = {"modelType": "SubmodelElementCollection", "idShort": ""}
        element["idShort"] = self.allocate(names, el.get("Name") or "InternalElement", el,
                                           element)
        keys = [*parent, ("SubmodelElementCollection", element["idShort"])]
        ids = [self.class_concept("RoleClass", str(r.get("RefBaseRoleClassPath")), lib)
               for r in kids(el, "RoleRequirements") if r.get("RefBaseRoleClassPath")]
        ids += [self.class_concept("RoleClass", str(r.get("RefRoleClassPath")), lib)
                for r in kids(el, "SupportedRoleClass") if r.get("RefRoleClassPath")]
        if el.get("RefBaseSystemUnitPath"):
            ids.append(self.class_concept("SystemUnitClass", str(el.get("RefBaseSystemUnitPath")),
                                          lib))
        self.semantics(element, ids)
        self.description(element, el)
        self.keep_caex_extras(element, el)
        element["value"] = self.body(el, keys, lib, None)
        return element

    def body(self, el: etree._Element, keys: Keys, lib: str | None, cls: ClassDef | None
             ) -> list[Json]:
        """Attributes, interfaces, child elements and links of an element or a class."""
        inner = IdShortAllocator()
        out: list[Json] = []
        pairs = (self.index.inherited(cls, "Attribute") if cls is not None
                 else [(a, False) for a in kids(el, "Attribute")])
        out += [self.attribute(a, inner, lib) for a, _ in pairs]
        faces = (self.index.inherited(cls, "ExternalInterface") if cls is not None
                 else [(i, False) for i in kids(el, "ExternalInterface")])
        interface_keys: dict[str, tuple[str, str]] = {}
        for face, _ in faces:
            built = self.interface(face, inner, lib)
            out.append(built)
            key = (str(built["modelType"]), str(built["idShort"]))
            interface_keys[face.get("Name") or ""] = key
            if face.get("ID"):
                self.interfaces_by_id[str(face.get("ID"))] = [*keys, key]
        if el.get("ID"):
            self.by_id[str(el.get("ID"))] = (keys, interface_keys)
        children = (self.index.inherited(cls, "InternalElement") if cls is not None
                    else [(c, False) for c in kids(el, "InternalElement")])
        out += [self.internal_element(c, keys, inner, lib) for c, _ in children]
        for link in kids(el, "InternalLink"):
            rel: Json = {"modelType": "RelationshipElement", "idShort": ""}
            rel["idShort"] = self.allocate(inner, link.get("Name") or "InternalLink", link, rel)
            self.semantics(rel, [self.concept(
                "urn:automationml:caex:InternalLink", "InternalLink",
                "A CAEX InternalLink: a relation between two interfaces.")])
            out.append(rel)
            self.links.append((rel, out, link))
        return out

    def resolve_links(self) -> None:
        for rel, siblings, link in self.links:
            sides = [self._side(link.get("RefPartnerSideA")),
                     self._side(link.get("RefPartnerSideB"))]
            if sides[0] is None or sides[1] is None:
                self.ctx.issue(Code.DROPPED, IssueSeverity.LOSSY,
                               "an InternalLink partner names no interface of this document; "
                               "the link is not converted", link)
                siblings.remove(rel)
                continue
            rel["first"], rel["second"] = model_ref(sides[0]), model_ref(sides[1])

    def _side(self, ref: str | None) -> Keys | None:
        if not ref:
            return None
        if ref in self.interfaces_by_id:
            return self.interfaces_by_id[ref]
        owner, _, face = ref.rpartition(":")
        found = self.by_id.get(owner)
        if found is None or face not in found[1]:
            return None
        return [*found[0], found[1][face]]

    # -- hierarchies and libraries -------------------------------------------------------
    def hierarchy(self, ih: etree._Element, names: IdShortAllocator) -> Json:
        name = ih.get("Name") or "InstanceHierarchy"
        sm_id = self.sm_id("InstanceHierarchy", name)
        submodel: Json = {"modelType": "Submodel", "id": sm_id, "idShort": "",
                          "kind": "Instance"}
        submodel["idShort"] = self.allocate(names, name, ih, submodel)
        self.semantics(submodel, [self.concept(
            "urn:automationml:caex:InstanceHierarchy", "InstanceHierarchy",
            "A CAEX InstanceHierarchy: the plant topology of an AutomationML document.")])
        self.description(submodel, ih)
        self.keep_caex_extras(submodel, ih)
        keys: Keys = [("Submodel", sm_id)]
        inner = IdShortAllocator()
        submodel["submodelElements"] = [self.internal_element(ie, keys, inner)
                                        for ie in kids(ih, "InternalElement")]
        return submodel

    def library(self, lib: etree._Element, names: IdShortAllocator) -> Json:
        tag = local(lib)
        name = lib.get("Name") or tag
        sm_id = self.sm_id(tag, name)
        submodel: Json = {"modelType": "Submodel", "id": sm_id, "idShort": "",
                          "kind": "Template"}
        submodel["idShort"] = self.allocate(names, name, lib, submodel)
        self.semantics(submodel, [self.concept(
            f"urn:automationml:caex:{tag}", tag, f"A CAEX {tag}: a library of classes.")])
        self.description(submodel, lib)
        self.keep_caex_extras(submodel, lib)
        keys: Keys = [("Submodel", sm_id)]
        inner = IdShortAllocator()
        elements: list[Json] = []
        for cls in self.index.of_library(lib):
            elements.append(self.class_element(cls, keys, inner))
        submodel["submodelElements"] = elements
        return submodel

    def class_element(self, cls: ClassDef, parent: Keys, names: IdShortAllocator) -> Json:
        relative = cls.path.split("/", 1)[-1]
        if cls.kind == "AttributeType":
            element = self.attribute(cls.el, IdShortAllocator(), cls.lib)
            element["idShort"] = names.allocate(relative.replace("/", "_"))[0]
        else:
            element = {"modelType": "SubmodelElementCollection", "idShort": ""}
            element["idShort"] = self.allocate(names, relative.replace("/", "_"), cls.el,
                                               element)
            self.description(element, cls.el)
            self.keep_caex_extras(element, cls.el)
            keys = [*parent, ("SubmodelElementCollection", element["idShort"])]
            element["value"] = self.body(cls.el, keys, cls.lib, cls)
        chain = self.index.chain(cls)
        if len(chain) > 1:
            self.flattened += 1
        ids = [self._concept_of(c) for c in chain]
        last = chain[-1].el.get("RefBaseClassPath")
        if last and self.index.resolve(last, chain[-1].lib) is None:
            ids.append(self.class_concept(cls.kind, last, chain[-1].lib))
        self.semantics(element, ids)
        return element

    def concept_descriptions(self) -> list[Json]:
        out: list[Json] = []
        for semantic_id in sorted(self.concepts):
            name, definition = self.concepts[semantic_id]
            out.append({
                "modelType": "ConceptDescription", "id": semantic_id,
                "idShort": sanitize_id_short(name),
                "embeddedDataSpecifications": [{
                    "dataSpecification": external_ref(IEC61360),
                    "dataSpecificationContent": {
                        "modelType": "DataSpecificationIec61360",
                        "preferredName": [{"language": "en", "text": name[:255] or "Class"}],
                        "definition": [{"language": "en", "text": definition[:1023]}],
                    },
                }],
            })
        return out


def read_general(root: etree._Element, ctx: Context, index: ClassIndex, file_key: str
                 ) -> Json:
    """The AAS environment (JSON form) of a general AML document."""
    reader = _Reader(root, ctx, index, file_key)
    names = IdShortAllocator()
    submodels = [reader.hierarchy(ih, names) for ih in kids(root, "InstanceHierarchy")]
    submodels += [reader.library(lib, names) for lib in kids(root) if local(lib) in LIBRARIES]
    reader.resolve_links()
    if reader.flattened:
        ctx.report.add(Code.INHERITANCE_FLATTENED, IssueSeverity.INFO,
                       f"{reader.flattened} class(es) have base classes (RefBaseClassPath); "
                       "their inherited attributes and interfaces are copied in, the bases "
                       "are supplementalSemanticIds", file=ctx.source)
    shell: Json = {
        "modelType": "AssetAdministrationShell",
        "id": derive_id(ctx.options.base_iri, "aml", file_key),
        "idShort": sanitize_id_short(re.sub(r"\.aml$", "", file_key, flags=re.I)),
        "assetInformation": {
            "assetKind": "Instance" if next(kids(root, "InstanceHierarchy"), None) is not None
            else "Type",
            "globalAssetId": derive_id(ctx.options.base_iri, "aml", file_key, "asset"),
        },
        "submodels": [model_ref([("Submodel", s["id"])]) for s in submodels],
    }
    return {"assetAdministrationShells": [shell], "submodels": submodels,
            "conceptDescriptions": reader.concept_descriptions()}

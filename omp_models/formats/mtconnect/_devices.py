"""MTConnect Devices documents -> AAS shells, device-model submodels, concept descriptions.

One shell per ``Device`` (and ``Agent``), ``globalAssetId`` = the device ``uuid``, with one
submodel holding the device model: components become SubmodelElementCollections (their
data items and sub-components flattened into them), data items become Properties /
SubmodelElementLists / collections by category and representation, compositions,
configuration and references follow the table in docs/formats/mtconnect.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from lxml import etree

from omp_models.formats._report import Code, IssueSeverity
from omp_models.formats.mtconnect._aas import (
    Context,
    Json,
    Keys,
    allocate,
    external_ref,
    model_ref,
    prop,
    smc,
)
from omp_models.formats.mtconnect._semantics import (
    attribute_id,
    component_id,
    composition_id,
    condition_field_id,
    data_item_id,
    device_id,
    element_id,
)
from omp_models.formats.mtconnect._units import resolve_unit
from omp_models.ids import IdShortAllocator, derive_id, sanitize_id_short

__all__ = ["build_devices", "children", "content", "generic", "local", "resolve_pending",
           "xml_text"]

_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
#: Data item attributes that the element type or the semanticId already carries.
_DATA_ITEM_MAPPED = frozenset({"category", "type", "subType"})
_QUALIFIER_CHILDREN = frozenset({"Minimum", "Maximum", "Nominal", "Value", "Filter"})
_Builder = Callable[[etree._Element, Keys, Context, IdShortAllocator], Json]
_RELATIONSHIPS = frozenset({"ComponentRelationship", "DeviceRelationship", "AssetRelationship"})


def local(el: etree._Element) -> str:
    """The local name of an element."""
    return etree.QName(el).localname


def children(el: etree._Element) -> Iterator[etree._Element]:
    """The child elements (no comments or processing instructions)."""
    return (c for c in el if isinstance(c.tag, str))


def _attributes(el: etree._Element) -> list[tuple[str, str]]:
    """(local name, value) of the attributes, without ``xsi:*``."""
    return [(etree.QName(str(k)).localname, str(v)) for k, v in el.attrib.items()
            if not str(k).startswith(_XSI)]


def xml_text(el: etree._Element) -> str:
    """An element as XML text without namespace declarations (for Extensions)."""
    import copy

    clone = copy.deepcopy(el)
    for node in clone.iter():
        if isinstance(node.tag, str):
            node.tag = etree.QName(node).localname
    clone.tail = None
    etree.cleanup_namespaces(clone)
    return etree.tostring(clone, encoding="unicode").strip()


def _child_keys(keys: Keys, element: Json) -> Keys:
    return [*keys, (str(element["modelType"]), str(element["idShort"]))]


def _name_of(el: etree._Element, ctx: Context, names: IdShortAllocator, element: Json,
             wanted: str | None, fallback: str) -> str:
    """Allocate the idShort; a renamed source name is reported and kept as an Extension."""
    id_short = allocate(names, ctx, wanted or fallback, el, report=bool(wanted))
    if wanted and id_short != wanted:
        ctx.preserve(element, "name", wanted, el)
    return id_short


def build_devices(root: etree._Element, ctx: Context, version: str | None
                  ) -> tuple[list[Json], list[Json]]:
    """The shells and submodels of every Device and Agent of a Devices document."""
    shells: list[Json] = []
    submodels: list[Json] = []
    header = next((c for c in children(root) if local(c) == "Header"), None)
    for container in (c for c in children(root) if local(c) == "Devices"):
        for dev in children(container):
            built = _device(dev, ctx, header, version)
            if built is not None:
                shells.append(built[0])
                submodels.append(built[1])
    if not shells:
        ctx.issue(Code.INVALID_INPUT, IssueSeverity.LOSSY,
                  "the document describes no Device", root)
    return shells, submodels


def _device(dev: etree._Element, ctx: Context, header: etree._Element | None,
            version: str | None) -> tuple[Json, Json] | None:
    kind = local(dev) if local(dev) == "Agent" else "Device"
    name = dev.get("name")
    uuid = dev.get("uuid")
    if not uuid:
        uuid = dev.get("id") or name or kind
        ctx.issue(Code.ID_DERIVED, IssueSeverity.INFO,
                  f"the {kind} has no uuid; its identity is taken from {uuid!r}", dev)
    base = ctx.options.base_iri
    aas_id = derive_id(base, "mtconnect", "device", uuid)
    if uuid in ctx.devices:
        ctx.issue(Code.DUPLICATE, IssueSeverity.LOSSY,
                  f"a {kind} with uuid {uuid!r} was already read; this one is not used", dev)
        return None
    ctx.devices[uuid] = aas_id
    sm_id = derive_id(base, "mtconnect", "device", uuid, "model")
    keys: Keys = [("Submodel", sm_id)]
    ctx.concepts.note(device_id(kind), f"MTConnect {kind}")
    submodel: Json = {
        "modelType": "Submodel", "id": sm_id, "idShort": f"MTConnect{kind}",
        "kind": "Instance", "semanticId": external_ref(device_id(kind)),
    }
    if dev.get("id"):
        ctx.by_id[str(dev.get("id"))] = keys
    for attr, value in _attributes(dev):
        ctx.preserve(submodel, attr, value, dev)
    if version:
        ctx.preserve(submodel, "schemaVersion", version, dev)
    if header is not None:
        for attr, value in _attributes(header):
            ctx.preserve(submodel, f"Header@{attr}", value, header)
    submodel["submodelElements"] = content(dev, keys, ctx, IdShortAllocator())
    shell: Json = {
        "modelType": "AssetAdministrationShell", "id": aas_id,
        "idShort": sanitize_id_short(name or kind),
        "assetInformation": {"assetKind": "Instance", "globalAssetId": uuid},
        "submodels": [model_ref([("Submodel", sm_id)])],
    }
    ctx.models.append((shell, submodel))
    return shell, submodel


def content(el: etree._Element, keys: Keys, ctx: Context, names: IdShortAllocator
            ) -> list[Json]:
    """The elements of a device, component or composition (flattened organisers)."""
    out: list[Json] = []
    for child in children(el):
        name = local(child)
        if name == "DataItems":
            for item in children(child):
                out.append(_data_item(item, keys, ctx, names) if local(item) == "DataItem"
                           else generic(item, keys, ctx, names))
        elif name == "Components":
            out.extend(_component(c, keys, ctx, names) for c in children(child))
        elif name == "Compositions":
            out.append(_organiser(child, keys, ctx, names, _composition))
        elif name == "References":
            out.append(_organiser(child, keys, ctx, names, _reference))
        elif name == "Configuration":
            out.append(_configuration(child, keys, ctx, names))
        else:
            out.append(generic(child, keys, ctx, names))
    return out


def _component(el: etree._Element, parent: Keys, ctx: Context, names: IdShortAllocator
               ) -> Json:
    semantic_id = component_id(el)
    ctx.concepts.note(semantic_id, local(el))
    element = smc("", semantic_id)
    element["idShort"] = _name_of(el, ctx, names, element, el.get("name"), local(el))
    keys = _child_keys(parent, element)
    for attr, value in _attributes(el):
        if attr != "name":
            ctx.preserve(element, attr, value, el)
    if el.get("id"):
        ctx.by_id[str(el.get("id"))] = keys
    element["value"] = content(el, keys, ctx, IdShortAllocator())
    return element


def _data_item(el: etree._Element, parent: Keys, ctx: Context, names: IdShortAllocator
               ) -> Json:
    category = (el.get("category") or "").upper()
    type_ = el.get("type") or ""
    if category not in ("SAMPLE", "EVENT", "CONDITION") or not type_:
        ctx.issue(Code.INVALID_INPUT, IssueSeverity.LOSSY,
                  "a DataItem without a valid category and type is mapped as plain data", el)
        return generic(el, parent, ctx, names)
    sub_type = el.get("subType")
    semantic_id, plain = data_item_id(el, category, type_, sub_type)
    units_text = el.get("units")
    representation = (el.get("representation") or "VALUE").upper()
    vector = bool(units_text and units_text.upper().endswith("_3D"))
    element: Json
    if category == "CONDITION":
        element = smc("", semantic_id)
        element["value"] = [prop("State", "xs:string", None, condition_field_id("state"))]
        ctx.concepts.note(condition_field_id("state"), "Condition state")
    elif representation in ("DATA_SET", "TABLE"):
        element = smc("", semantic_id)
    elif representation == "TIME_SERIES" or vector:
        element = {"modelType": "SubmodelElementList", "idShort": "",
                   "semanticId": external_ref(semantic_id), "orderRelevant": True,
                   "typeValueListElement": "Property",
                   "valueTypeListElement": "xs:double" if category == "SAMPLE" else "xs:string"}
    else:
        element = prop("", "xs:double" if category == "SAMPLE" else "xs:string", None,
                       semantic_id)
    element["idShort"] = _name_of(el, ctx, names, element, el.get("name"),
                                  el.get("id") or type_.lower())
    if plain:
        element["supplementalSemanticIds"] = [external_ref(plain)]
    unit = resolve_unit(units_text) if units_text else None
    if units_text and unit is None:
        ctx.issue(Code.UNIT_UNRESOLVED, IssueSeverity.LOSSY,
                  f"the MTConnect unit {units_text!r} has no UNECE Rec 20 code; kept as text",
                  el, target=str(element["idShort"]), original=units_text)
    data_type = {"SAMPLE": "REAL_MEASURE", "EVENT": "STRING"}.get(category)
    label = " ".join(p for p in (type_, sub_type) if p)
    if not ctx.concepts.note(semantic_id, label, unit=unit, unit_text=units_text,
                             data_type=data_type):
        ctx.issue(Code.DUPLICATE, IssueSeverity.LOSSY,
                  f"{semantic_id} is used with different units; the concept description "
                  f"keeps the first, {units_text!r} stays on this element as an Extension", el)
    if plain:
        ctx.concepts.note(plain, type_)
    for attr, value in _attributes(el):
        if attr in _DATA_ITEM_MAPPED or (attr == "name" and element["idShort"] == value):
            continue
        if attr == "compositionId":
            ctx.preserve(element, attr, value, el)
            ctx.pending.append((element["extensions"][-1], "refersTo", value, el))
        else:
            ctx.preserve(element, attr, value, el)
    _data_item_children(el, element, ctx)
    keys = _child_keys(parent, element)
    if el.get("id"):
        ctx.by_id[str(el.get("id"))] = keys
        ctx.data_items[str(el.get("id"))] = element
    return element


def _data_item_children(el: etree._Element, element: Json, ctx: Context) -> None:
    """Constraints, filters, initial values -> Qualifiers; anything else -> Extensions."""
    qualifiers: list[Json] = []
    used: set[str] = set()

    def qualify(kind: str, value: str) -> None:
        name, n = f"mtconnect:{kind}", 1
        while name in used:
            n += 1
            name = f"mtconnect:{kind}.{n}"
        used.add(name)
        # Text, not xs:double: the object model drops typed qualifier values equal to 0.
        qualifiers.append({"type": name, "valueType": "xs:string", "value": value})

    for child in children(el):
        name = local(child)
        if name in ("Constraints", "Filters"):
            for item in children(child):
                kind = local(item)
                if kind not in _QUALIFIER_CHILDREN:
                    ctx.preserve(element, kind, xml_text(item), item)
                    continue
                if kind == "Filter":
                    kind = f"Filter:{item.get('type') or 'UNSPECIFIED'}"
                qualify(kind, (item.text or "").strip())
        elif name in ("InitialValue", "ResetTrigger"):
            qualify(name, (child.text or "").strip())
        else:
            ctx.preserve(element, name, xml_text(child), child)
    if qualifiers:
        element["qualifiers"] = qualifiers


def _organiser(el: etree._Element, parent: Keys, ctx: Context, names: IdShortAllocator,
               build: _Builder) -> Json:
    """``Compositions`` / ``References``: a collection of mapped children."""
    semantic_id = element_id(el)
    ctx.concepts.note(semantic_id, local(el))
    element = smc(allocate(names, ctx, local(el), el, report=False), semantic_id)
    keys = _child_keys(parent, element)
    inner = IdShortAllocator()
    element["value"] = [build(c, keys, ctx, inner) for c in children(el)]
    return element


def _composition(el: etree._Element, parent: Keys, ctx: Context, names: IdShortAllocator
                 ) -> Json:
    type_ = el.get("type") or local(el)
    semantic_id = composition_id(el, type_)
    ctx.concepts.note(semantic_id, type_)
    element = smc("", semantic_id)
    element["idShort"] = _name_of(el, ctx, names, element, el.get("name"), type_)
    keys = _child_keys(parent, element)
    for attr, value in _attributes(el):
        if attr not in ("name", "type"):
            ctx.preserve(element, attr, value, el)
    if el.get("id"):
        ctx.by_id[str(el.get("id"))] = keys
    element["value"] = content(el, keys, ctx, IdShortAllocator())
    return element


def _reference(el: etree._Element, parent: Keys, ctx: Context, names: IdShortAllocator
               ) -> Json:
    target = el.get("idRef")
    if target is None:
        return generic(el, parent, ctx, names)
    semantic_id = element_id(el)
    ctx.concepts.note(semantic_id, local(el))
    element: Json = {"modelType": "ReferenceElement", "idShort": "",
                     "semanticId": external_ref(semantic_id)}
    element["idShort"] = _name_of(el, ctx, names, element, el.get("name"), target)
    ctx.pending.append((element, "value", target, el))
    return element


def _configuration(el: etree._Element, owner: Keys, ctx: Context, names: IdShortAllocator
                   ) -> Json:
    semantic_id = element_id(el)
    ctx.concepts.note(semantic_id, local(el))
    element = smc(allocate(names, ctx, local(el), el, report=False), semantic_id)
    keys = _child_keys(owner, element)
    inner = IdShortAllocator()
    for child in children(el):
        if local(child) == "Relationships":
            rel = smc(allocate(inner, ctx, "Relationships", child, report=False),
                      element_id(child))
            ctx.concepts.note(element_id(child), "Relationships")
            rel_names = IdShortAllocator()
            rel_keys = _child_keys(keys, rel)
            rel["value"] = [
                _relationship(r, owner, ctx, rel_names) if local(r) in _RELATIONSHIPS
                else generic(r, rel_keys, ctx, rel_names)
                for r in children(child)
            ]
            element["value"].append(rel)
        else:
            element["value"].append(generic(child, keys, ctx, inner))
    return element


def _relationship(el: etree._Element, owner: Keys, ctx: Context, names: IdShortAllocator
                  ) -> Json:
    """A relationship -> AnnotatedRelationshipElement (first: the owner, second: target)."""
    semantic_id = element_id(el)
    ctx.concepts.note(semantic_id, local(el))
    element: Json = {"modelType": "AnnotatedRelationshipElement", "idShort": "",
                     "semanticId": external_ref(semantic_id), "first": model_ref(owner)}
    kind = local(el)
    target_attr = {"ComponentRelationship": "idRef", "DeviceRelationship": "deviceUuidRef",
                   "AssetRelationship": "assetIdRef"}[kind]
    target = el.get(target_attr) or ""
    element["idShort"] = _name_of(el, ctx, names, element, el.get("name"),
                                  target or kind)
    inner = IdShortAllocator()
    annotations: list[Json] = []
    for attr, value in _attributes(el):
        if attr == "id":
            ctx.preserve(element, attr, value, el)
        elif attr != "name" or element["idShort"] != value:
            annotations.append(prop(allocate(inner, ctx, attr, el, report=False), "xs:string",
                                    value, attribute_id(el, attr)))
            ctx.concepts.note(attribute_id(el, attr), f"{kind} {attr}")
    element["annotations"] = annotations
    if kind == "ComponentRelationship":
        ctx.pending.append((element, "second", target, el))
    elif kind == "DeviceRelationship":
        ctx.pending.append((element, "second@device", target, el))
    else:
        element["second"] = external_ref(target or "urn:unknown")
    return element


def generic(el: etree._Element, parent: Keys, ctx: Context, names: IdShortAllocator) -> Json:
    """Any other element: leaf text -> Property, else a collection of its parts."""
    name = local(el)
    attributes = [(a, v) for a, v in _attributes(el) if a != "id"]
    kids = list(children(el))
    text = (el.text or "").strip()
    semantic_id = element_id(el)
    ctx.concepts.note(semantic_id, name)
    if name == "Entry" and el.get("key") is not None:
        return _entry(el, ctx, names)
    element: Json
    if not kids and not attributes:
        element = prop("", "xs:string", text, semantic_id)
        element["idShort"] = allocate(names, ctx, name, el, report=False)
    else:
        element = smc("", semantic_id)
        wanted = el.get("name")
        element["idShort"] = _name_of(el, ctx, names, element, wanted, name)
        keys = _child_keys(parent, element)
        inner = IdShortAllocator()
        for attr, value in attributes:
            if attr == "name" and wanted == element["idShort"]:
                continue
            ctx.concepts.note(attribute_id(el, attr), f"{name} {attr}")
            element["value"].append(prop(allocate(inner, ctx, attr, el, report=False),
                                         "xs:string", value, attribute_id(el, attr)))
        if text:
            element["value"].append(prop(allocate(inner, ctx, "Value", el, report=False),
                                         "xs:string", text, semantic_id))
        element["value"].extend(generic(k, keys, ctx, inner) for k in kids)
        if el.get("id"):
            ctx.by_id[str(el.get("id"))] = keys
    if el.get("id"):
        ctx.preserve(element, "id", str(el.get("id")), el)
    return element


def _entry(el: etree._Element, ctx: Context, names: IdShortAllocator) -> Json:
    """A data-set or table entry: a Property (or a collection of cells) named by its key."""
    key = str(el.get("key"))
    semantic_id = element_id(el)
    cells = [c for c in children(el) if local(c) == "Cell"]
    element: Json
    if cells:
        element = smc("", semantic_id)
        inner = IdShortAllocator()
        for cell in cells:
            cell_key = cell.get("key") or "Cell"
            cell_prop = prop("", "xs:string", (cell.text or "").strip(), element_id(cell))
            cell_prop["idShort"] = _name_of(cell, ctx, inner, cell_prop, cell_key, "Cell")
            ctx.concepts.note(element_id(cell), "Cell")
            element["value"].append(cell_prop)
    else:
        element = prop("", "xs:string", (el.text or "").strip(), semantic_id)
    id_short = allocate(names, ctx, key, el, report=False)
    element["idShort"] = id_short
    if id_short != key:
        ctx.preserve(element, "key", key, el)
    return element


def resolve_pending(ctx: Context) -> None:
    """Fill in the references to MTConnect ids once every element is built."""
    for obj, field_name, target, el in ctx.pending:
        if field_name == "second@device":
            aas_id = ctx.devices.get(target)
            obj["second"] = (model_ref([("AssetAdministrationShell", aas_id)]) if aas_id
                             else external_ref(target or "urn:unknown"))
            continue
        keys = ctx.by_id.get(target)
        if keys is None:
            ctx.issue(Code.DROPPED, IssueSeverity.LOSSY,
                      f"idRef {target!r} names no element of this document; the reference "
                      "is kept as text", el)
            if field_name == "second":
                obj["second"] = external_ref(target or "urn:unknown")
            continue
        if field_name == "refersTo":
            obj["refersTo"] = [model_ref(keys)]
        else:
            obj[field_name] = model_ref(keys)

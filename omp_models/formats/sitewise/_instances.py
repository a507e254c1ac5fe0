"""SiteWise assets -> AAS instances.

An asset becomes a shell of kind Instance ``derivedFrom`` the type shell of its asset model,
and one submodel with the model's elements carrying the asset's values (attribute values as
values; aliases and other settings as Extensions) and its child assets (Entities in the
hierarchy lists).
"""

from __future__ import annotations

from typing import Any

from omp_models.formats._report import Code, IssueSeverity
from omp_models.formats.sitewise._check import find_property, pointer_to
from omp_models.formats.sitewise._common import extension, global_ref, model_ref, value_fits
from omp_models.formats.sitewise._ir import Asset, AssetHierarchy, AssetProperty
from omp_models.formats.sitewise._to_aas import FORMAT_KEY, Mapper, ModelInfo
from omp_models.ids import IdShortAllocator, derive_id

__all__ = ["map_asset"]


def _asset_ids(mapper: Mapper, ref: str) -> tuple[str, str]:
    """AAS id and globalAssetId of the asset ``ref`` (resolved in the document)."""
    for asset in mapper.doc.assets:
        if ref in (asset.id, asset.external_id) and asset.ref is not None:
            ref = asset.ref
            break
    aas_id = derive_id(mapper.base, FORMAT_KEY, "asset", ref)
    return aas_id, aas_id + "/asset"


def map_asset(mapper: Mapper, asset: Asset) -> None:
    """Add the shell and submodel of one asset."""
    ref = asset.ref or asset.name
    aas_id, global_asset_id = _asset_ids(mapper, ref)
    info = mapper.model_info(asset.model_ref, asset.name)
    sm_id = aas_id + "/submodel"
    target = aas_id
    elements = _elements(mapper, asset, info, sm_id)
    submodel: dict[str, Any] = {"modelType": "Submodel", "id": sm_id, "idShort": info.id_short,
                                "kind": "Instance", "semanticId": global_ref(info.semantic_id)}
    if elements:
        submodel["submodelElements"] = elements
    mapper.submodels.append(submodel)
    specific = [{"name": f"{FORMAT_KEY}:{key}", "value": value} for key, value in
                (("assetId", asset.id), ("assetExternalId", asset.external_id))
                if value is not None]
    asset_info: dict[str, Any] = {"assetKind": "Instance", "globalAssetId": global_asset_id}
    if specific:
        asset_info["specificAssetIds"] = specific
    short = IdShortAllocator().allocate(asset.name)[0]
    if short != asset.name:
        mapper.issues.add(Code.IDSHORT_RENAMED, IssueSeverity.INFO,
                          f"{asset.name!r} is not a valid idShort; it became {short!r} (the "
                          "name is kept as displayName)",
                          pointer=pointer_to(asset.pointer, "assetName"), target=short,
                          original=asset.name)
    shell: dict[str, Any] = {
        "modelType": "AssetAdministrationShell", "id": aas_id, "idShort": short,
        "derivedFrom": model_ref(("AssetAdministrationShell", info.aas_id)),
        "assetInformation": asset_info, "submodels": [model_ref(("Submodel", sm_id))],
    }
    exts: list[dict[str, Any]] = []
    mapper.describe(shell, exts, asset.name, asset.description, asset.pointer, "assetName",
                    "assetDescription", target)
    for key, value in (("assetModelId", asset.model_id),
                       ("assetModelExternalId", asset.model_external_id)):
        if value is not None:
            exts.append(extension(key, value))
            mapper.preserved(pointer_to(asset.pointer, key), key, target)
    mapper.keep_extra(exts, asset.extra, asset.pointer, target)
    if exts:
        shell["extensions"] = exts
    mapper.shells.append(shell)


def _elements(mapper: Mapper, asset: Asset, info: ModelInfo, sm_id: str
              ) -> list[dict[str, Any]]:
    model = info.model
    settings: dict[int, AssetProperty] = {}
    if model is None:
        return _unknown_model_elements(mapper, asset, sm_id)
    for prop in asset.properties:
        found = find_property(model, prop.ref)
        if found is not None:
            settings[id(found)] = prop
    out: list[dict[str, Any]] = []
    for prop_ in model.properties:
        out.append(_instance_property(mapper, info.elements[id(prop_)],
                                      settings.get(id(prop_)), sm_id))
    for composite in model.composites:
        template = info.elements[id(composite)]
        element = {k: v for k, v in template.items() if k not in ("value", "extensions")}
        value = [_instance_property(mapper, info.elements[id(p)], settings.get(id(p)), sm_id,
                                    template["idShort"])
                 for p in composite.properties]
        if value:
            element["value"] = value
        out.append(element)
    for hierarchy in model.hierarchies:
        template = info.elements[id(hierarchy)]
        entries = [h for h in asset.hierarchies if h.ref in (hierarchy.id, hierarchy.external_id)]
        element = {k: v for k, v in template.items() if k not in ("value", "extensions")}
        children = [_entity(mapper, h) for h in entries]
        if children:
            element["value"] = children
        out.append(element)
    return out


def _instance_property(mapper: Mapper, template: dict[str, Any], setting: AssetProperty | None,
                       sm_id: str, parent: str | None = None) -> dict[str, Any]:
    element = {k: v for k, v in template.items()
               if k in ("modelType", "idShort", "displayName", "category", "valueType",
                        "semanticId")}
    if setting is not None:
        path = f"{parent}.{element['idShort']}" if parent else element["idShort"]
        _apply_setting(mapper, element, setting, f"{sm_id}#{path}")
    return element


def _apply_setting(mapper: Mapper, element: dict[str, Any], setting: AssetProperty,
                   target: str) -> None:
    exts: list[dict[str, Any]] = []
    for key, value in (("id", setting.id), ("externalId", setting.external_id)):
        if value is not None:
            exts.append(extension(key, value))
    if setting.attribute_value is not None:
        if value_fits(setting.attribute_value, element["valueType"]):
            element["value"] = setting.attribute_value
        else:
            mapper.issues.error(pointer_to(setting.pointer, "attributeValue"),
                                f"attribute value {setting.attribute_value!r} does not fit "
                                f"the property's data type ({element['valueType']})")
    for key, value in (("alias", setting.alias), ("unit", setting.unit)):
        if value is not None:
            exts.append(extension(key, value))
            mapper.preserved(pointer_to(setting.pointer, key), key, target)
    mapper.keep_extra(exts, setting.extra, setting.pointer, target)
    element["extensions"] = exts


def _entity(mapper: Mapper, entry: AssetHierarchy) -> dict[str, Any]:
    child = entry.child_ref or ""
    specific = [{"name": f"{FORMAT_KEY}:{key}", "value": value} for key, value in
                (("assetId", entry.child_id), ("assetExternalId", entry.child_external_id))
                if value is not None]
    entity: dict[str, Any] = {"modelType": "Entity", "entityType": "SelfManagedEntity"}
    if specific:  # AASd-014: specificAssetIds or globalAssetId, not both
        entity["specificAssetIds"] = specific
    else:
        entity["globalAssetId"] = _asset_ids(mapper, child)[1]
    exts: list[dict[str, Any]] = []
    for key, value in (("id", entry.id), ("externalId", entry.external_id)):
        if value is not None:
            exts.append(extension(key, value))
    mapper.keep_extra(exts, entry.extra, entry.pointer, child)
    if exts:
        entity["extensions"] = exts
    return entity


def _unknown_model_elements(mapper: Mapper, asset: Asset, sm_id: str) -> list[dict[str, Any]]:
    """Elements when the asset model is not in the document.

    One string Property per asset property (named after its reference), one list per
    hierarchy reference.
    """
    names = IdShortAllocator()
    out: list[dict[str, Any]] = []
    for prop in asset.properties:
        short = names.allocate(prop.ref or "Property")[0]
        element: dict[str, Any] = {"modelType": "Property", "idShort": short,
                                   "valueType": "xs:string"}
        _apply_setting(mapper, element, prop, f"{sm_id}#{short}")
        out.append(element)
    groups: dict[str, list[AssetHierarchy]] = {}
    for entry in asset.hierarchies:
        groups.setdefault(entry.ref or "Hierarchy", []).append(entry)
    for ref, entries in groups.items():
        out.append({"modelType": "SubmodelElementList", "idShort": names.allocate(ref)[0],
                    "orderRelevant": False, "typeValueListElement": "Entity",
                    "value": [_entity(mapper, e) for e in entries]})
    return out

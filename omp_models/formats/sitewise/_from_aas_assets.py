"""AAS (JSON form) -> SiteWise document: the driver, and shells of kind Instance -> assets.

An instance shell becomes an asset of the model its ``derivedFrom`` shell became (or of a
model made from the instance itself when there is none); its elements' values become
attribute values, its hierarchy lists (lists of Entities) become asset hierarchies.
"""

from __future__ import annotations

from typing import Any

from omp_models.formats._registry import ConvertOptions
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.sitewise._from_aas import (
    STRING_ATTRIBUTES,
    ModelWriter,
    ext_map,
    external_id,
    lang_text,
    unique_name,
)
from omp_models.formats.sitewise._from_aas_props import fits
from omp_models.formats.sitewise._ir import (
    Asset,
    AssetHierarchy,
    AssetModel,
    AssetProperty,
    Document,
    ModelProperty,
)

__all__ = ["child_model_ref", "write_document"]


def _first_key(reference: dict[str, Any] | None) -> str | None:
    keys = (reference or {}).get("keys") or []
    return str(keys[-1].get("value")) if keys else None


def child_model_ref(writer: ModelWriter, entity: dict[str, Any]) -> tuple[str, str]:
    """``("id"|"externalId", ref)`` of the child model a hierarchy Entity names."""
    specific = {s.get("name"): s.get("value") for s in entity.get("specificAssetIds", [])}
    if specific.get("sitewise:assetModelExternalId"):
        return "externalId", str(specific["sitewise:assetModelExternalId"])
    if specific.get("sitewise:assetModelId"):
        return "id", str(specific["sitewise:assetModelId"])
    shell_id = writer.by_global.get(str(entity.get("globalAssetId")))
    if shell_id is not None:
        ident, ext = writer.refs[shell_id]
        return ("externalId", ext) if ext else ("id", ident or "")
    return "externalId", external_id(str(entity.get("globalAssetId") or "child"))


def write_document(env: dict[str, Any], options: ConvertOptions, report: ConversionReport
                   ) -> Document:
    """The SiteWise document for an AAS environment (JSON form)."""
    writer = ModelWriter(env, options, report)
    shells = sorted(env.get("assetAdministrationShells", []), key=lambda s: str(s["id"]))
    types = [s for s in shells if s.get("assetInformation", {}).get("assetKind") != "Instance"]
    instances = [s for s in shells if s not in types]
    writer.plan(types)
    doc = Document()
    referenced: set[str] = set()
    models: dict[str, AssetModel] = {}
    for shell in types:
        submodels = _submodels(writer, shell, referenced)
        model = writer.model(shell, submodels, writer.used_models)
        models[shell["id"]] = model
        doc.models.append(model)
    asset_refs: dict[str, tuple[str | None, str | None]] = {}
    used_assets: set[str] = set()
    for shell in instances:
        specific = {s.get("name"): s.get("value")
                    for s in shell.get("assetInformation", {}).get("specificAssetIds", [])}
        ident, ext = specific.get("sitewise:assetId"), specific.get("sitewise:assetExternalId")
        if ident is None and ext is None:
            ext = unique_name(external_id(shell.get("idShort", "asset")), used_assets)
            report.add(Code.ID_DERIVED, IssueSeverity.INFO,
                       f"asset external id {ext!r} derived from the idShort",
                       target=shell["id"])
        used_assets.update(r for r in (ident, ext) if r)
        asset_refs[shell["id"]] = (ident, ext)
        gai = shell.get("assetInformation", {}).get("globalAssetId")
        if gai:
            writer.asset_by_global[str(gai)] = (ident, ext)
    for shell in instances:
        doc.assets.append(_asset(writer, shell, asset_refs[shell["id"]], models, doc,
                                 referenced))
    for sm_id in sorted(set(writer.submodels) - referenced):
        submodel = writer.submodels[sm_id]
        report.add(Code.ID_DERIVED, IssueSeverity.INFO,
                   "a submodel no shell refers to becomes an asset model of its own",
                   target=sm_id)
        pseudo = {"id": sm_id, "idShort": submodel.get("idShort", "Submodel"),
                  "assetInformation": {"assetKind": "Type"}}
        doc.models.append(writer.model(pseudo, [submodel], writer.used_models, tags=False))
    for cd_id in sorted(set(writer.concepts) - writer.used_concepts):
        if not cd_id.startswith(writer.ours):
            writer.lossy(Code.DROPPED, "SiteWise has no concept descriptions; only units "
                                       "are carried (in the properties)", cd_id)
    for cd_id in sorted(writer.used_concepts):
        if not cd_id.startswith(writer.ours):
            writer.lossy(Code.DROPPED, "only the unit of this concept description is "
                                       "carried", cd_id)
    return doc


def _submodels(writer: ModelWriter, shell: dict[str, Any], referenced: set[str]
               ) -> list[dict[str, Any]]:
    out = []
    # The object model keeps a shell's submodel references in a set: sort them by id.
    for sm_id in sorted(filter(None, (_first_key(r) for r in shell.get("submodels", [])))):
        submodel = writer.submodels.get(sm_id)
        if submodel is None:
            writer.report.add(Code.DEPENDENCY_MISSING, IssueSeverity.LOSSY,
                              f"the submodel {sm_id!r} is not in the environment",
                              target=shell["id"], original=sm_id)
            continue
        referenced.add(sm_id)
        out.append(submodel)
    return out


def _asset(writer: ModelWriter, shell: dict[str, Any], ref: tuple[str | None, str | None],
           models: dict[str, AssetModel], doc: Document, referenced: set[str]) -> Asset:
    target = shell["id"]
    exts = ext_map(shell)
    asset = Asset(name=writer.name_of(shell, exts), id=ref[0], external_id=ref[1],
                  description=writer.description_of(shell, exts, target),
                  model_id=exts.get("assetModelId"),
                  model_external_id=exts.get("assetModelExternalId"))
    asset.extra = {k: v for k, v in exts.items() if k not in STRING_ATTRIBUTES}
    submodels = _submodels(writer, shell, referenced)
    model = models.get(_first_key(shell.get("derivedFrom")) or "")
    paths = writer.paths.get(_first_key(shell.get("derivedFrom")) or "", {})
    if asset.model_ref is None:
        if model is None:
            model = writer.model(shell, submodels, writer.used_models, tags=False)
            model.name = f"{model.name} model"
            paths = writer.current_paths
            doc.models.append(model)
            writer.report.add(Code.ID_DERIVED, IssueSeverity.INFO,
                              f"the shell has no type shell; asset model {model.ref!r} is "
                              "made from it", target=target)
        asset.model_external_id, asset.model_id = model.external_id, (
            None if model.external_id else model.id)
    lost = {k for k in ("administration", "embeddedDataSpecifications", "category")
            if shell.get(k)}
    display, _ = lang_text(shell.get("displayName"))
    if display is not None and display != asset.name:
        lost.add("displayName")
    if lost:
        writer.lossy(Code.DROPPED, f"SiteWise has no place for {', '.join(sorted(lost))} of "
                                   "this shell", target)
    for submodel in submodels[:1]:
        _walk(writer, asset, submodel.get("submodelElements", []), submodel["id"], "", paths)
    for submodel in submodels[1:]:
        writer.lossy(Code.DROPPED, "only the first submodel of an asset carries values",
                     submodel["id"])
    return asset


def _walk(writer: ModelWriter, asset: Asset, elements: list[dict[str, Any]], sm_id: str,
          path: str, paths: dict[str, ModelProperty]) -> None:
    for index, element in enumerate(elements):
        short = element.get("idShort")
        sub = (f"{path}.{short}" if path else str(short)) if short else f"{path}[{index}]"
        kind = element.get("modelType")
        if kind == "SubmodelElementList" and element.get("typeValueListElement") == "Entity":
            for n, entity in enumerate(element.get("value", [])):
                entry = _hierarchy_entry(writer, entity, element, f"{sm_id}#{sub}[{n}]")
                if entry is not None:
                    asset.hierarchies.append(entry)
        elif kind in ("SubmodelElementCollection", "SubmodelElementList"):
            _walk(writer, asset, element.get("value", []), sm_id, sub, paths)
        elif kind in ("Property", "MultiLanguageProperty", "File"):
            setting = _setting(writer, element, paths.get(sub), f"{sm_id}#{sub}")
            if setting is not None:
                asset.properties.append(setting)


def _setting(writer: ModelWriter, element: dict[str, Any], prop: ModelProperty | None,
             target: str) -> AssetProperty | None:
    exts = ext_map(element)
    value: str | None
    if element.get("modelType") == "MultiLanguageProperty":
        value = lang_text(element.get("value"))[0]
    else:
        raw = element.get("value")
        value = str(raw) if raw is not None else None
    setting = AssetProperty(id=exts.get("id"), external_id=exts.get("externalId"),
                            alias=exts.get("alias"), unit=exts.get("unit"))
    setting.extra = {k: v for k, v in exts.items() if k not in STRING_ATTRIBUTES}
    listed = setting.ref is not None
    if not listed and not value and setting.alias is None:
        return None
    if setting.ref is None and prop is not None:
        setting.external_id, setting.id = prop.external_id, (
            None if prop.external_id else prop.id)
    if setting.ref is None:
        writer.lossy(Code.DROPPED, "the value belongs to no asset model property", target)
        return None
    if value:
        kind = prop.kind if prop is not None else "attribute"
        data_type = prop.data_type if prop is not None else "STRING"
        if kind != "attribute":
            writer.lossy(Code.DROPPED, f"the value of a {kind} property is not an asset "
                                       "setting", target)
        elif fits(value, data_type):
            setting.attribute_value = value
        else:
            writer.lossy(Code.VALUE_UNCONVERTIBLE, f"the value {value[:40]!r} cannot be a "
                         f"SiteWise {data_type} attribute value", target, value)
    return setting


def _hierarchy_entry(writer: ModelWriter, entity: dict[str, Any], listing: dict[str, Any],
                     target: str) -> AssetHierarchy | None:
    exts = ext_map(entity)
    list_exts = ext_map(listing)
    entry = AssetHierarchy(id=exts.get("id") or list_exts.get("id"),
                           external_id=exts.get("externalId") or list_exts.get("externalId"))
    if entry.ref is None:
        entry.external_id = external_id(str(listing.get("idShort", "hierarchy")))
    entry.extra = {k: v for k, v in exts.items() if k not in STRING_ATTRIBUTES}
    specific = {s.get("name"): s.get("value") for s in entity.get("specificAssetIds", [])}
    entry.child_external_id = specific.get("sitewise:assetExternalId")
    entry.child_id = specific.get("sitewise:assetId")
    if entry.child_ref is None:
        found = writer.asset_by_global.get(str(entity.get("globalAssetId")))
        if found is None:
            writer.lossy(Code.DROPPED, "the Entity names no asset of this environment",
                         target)
            return None
        entry.child_id, entry.child_external_id = (None, found[1]) if found[1] else found
    return entry

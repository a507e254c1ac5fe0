"""An AAS shell -> an Insights Hub asset type (and aspect types for generic submodels)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from omp_models.formats._report import Code, IssueSeverity
from omp_models.formats.insights_hub._from_aas import STRING_EXTS, ext_map, first_key
from omp_models.formats.insights_hub._ir import AspectRef, AssetType

if TYPE_CHECKING:
    from omp_models.formats.insights_hub._from_aas import HubWriter

__all__ = ["asset_type"]


def _type_id_of(writer: HubWriter, shell_id: str | None) -> str | None:
    for shell in writer.env.get("assetAdministrationShells", []):
        if shell.get("id") == shell_id:
            for specific in shell.get("assetInformation", {}).get("specificAssetIds", []):
                if specific.get("name") == "insights-hub:assetTypeId":
                    return str(specific.get("value"))
            return f"{writer.tenant}.{re.sub(r'[^A-Za-z0-9_]', '_', shell.get('idShort', ''))}"
    return None


def asset_type(writer: HubWriter, shell: dict[str, Any]) -> AssetType:
    """The asset type of a shell of kind Type."""
    target = shell["id"]
    exts = ext_map(shell)
    own_id = _type_id_of(writer, target)
    origin = any(s.get("name") == "insights-hub:assetTypeId"
                 for s in shell.get("assetInformation", {}).get("specificAssetIds", []))
    if not origin:
        writer.report.add(Code.ID_DERIVED, IssueSeverity.INFO,
                          f"asset type id {own_id!r} derived from the tenant and the idShort",
                          target=target)
    name = re.sub(r"[^A-Za-z0-9_]", "_", writer.name_of(shell, exts))[:128]
    asset = AssetType(id=own_id or "", name=name,
                      description=writer.description_of(shell, exts, target),
                      parent_type_id=exts.get("parentTypeId"),
                      instantiable=exts.get("instantiable"), scope=exts.get("scope"),
                      extra={k: v for k, v in exts.items()
                             if k not in STRING_EXTS and k != "instantiable"})
    if asset.parent_type_id is None and not origin:
        derived_from = first_key(shell.get("derivedFrom"))
        parent = _type_id_of(writer, derived_from) if derived_from != target else None
        if derived_from == target:
            writer.lossy(Code.DROPPED, "derivedFrom names the shell itself; not a parent type",
                         target)
        asset.parent_type_id = parent or "core.basicasset"
        if parent is None:
            writer.report.add(Code.DEFAULTED, IssueSeverity.INFO,
                              "parentTypeId defaults to core.basicasset", target=target)
    lost = {k for k in ("administration", "embeddedDataSpecifications", "category")
            if shell.get(k)}
    info = shell.get("assetInformation", {})
    if info.get("defaultThumbnail"):
        lost.add("assetInformation.defaultThumbnail")
    if any(s.get("name") != "insights-hub:assetTypeId" for s in info.get("specificAssetIds", [])):
        lost.add("specificAssetIds")
    if lost:
        writer.lossy(Code.DROPPED, f"Insights Hub has no place for {', '.join(sorted(lost))} "
                                   "of this shell", target)
    used_names: set[str] = set()
    # The object model keeps a shell's submodel references in a set: sort them by id.
    for sm_id in sorted(filter(None, (first_key(r) for r in shell.get("submodels", [])))):
        submodel = writer.submodels.get(sm_id)
        if submodel is None:
            writer.report.add(Code.DEPENDENCY_MISSING, IssueSeverity.LOSSY,
                              f"the submodel {sm_id!r} is not in the environment",
                              target=target, original=sm_id)
            continue
        sm_exts = ext_map(submodel)
        if "inheritedFrom" in sm_exts:
            continue
        if origin and "aspectTypeId" in sm_exts:
            aspect_name = writer.name_of(submodel, sm_exts)
            asset.aspects.append(AspectRef(
                aspect_name, str(sm_exts["aspectTypeId"]),
                extra={k: v for k, v in sm_exts.items() if k not in STRING_EXTS}))
            used_names.add(aspect_name.casefold())
        elif origin:
            asset.variables.extend(writer.variables(_own(submodel), submodel["id"], "static",
                                                    "", "", set()))
        else:
            aspect = writer.aspect_type(submodel, submodel.get("idShort"))
            writer.bundle.aspect_types.append(aspect)
            name = re.sub(r"[^A-Za-z0-9_]", "_", str(submodel.get("idShort", "aspect")))[:64]
            asset.aspects.append(AspectRef(name, aspect.id))
            writer.report.add(Code.ID_DERIVED, IssueSeverity.INFO,
                              f"the submodel becomes aspect {name!r} of the new aspect type "
                              f"{aspect.id!r}", target=submodel["id"])
    return asset


def _own(submodel: dict[str, Any]) -> list[dict[str, Any]]:
    """The variables submodel's elements that are the type's own (not inherited)."""
    return [e for e in submodel.get("submodelElements", []) if "inheritedFrom" not in ext_map(e)]

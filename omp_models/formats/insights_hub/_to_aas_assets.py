"""Insights Hub asset types -> shells of kind Type (variables, aspects, flattened parents)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from omp_models.formats._report import Code, IssueSeverity
from omp_models.formats.insights_hub._common import extension, global_ref, model_ref
from omp_models.formats.insights_hub._ir import AspectRef, AssetType, Variable
from omp_models.ids import IdShortAllocator

if TYPE_CHECKING:
    from omp_models.formats.insights_hub._to_aas import Mapper

__all__ = ["map_asset_type"]


def map_asset_type(mapper: Mapper, asset: AssetType, chain: list[AssetType]) -> None:
    """Add the shell and submodels of one asset type.

    ``chain`` holds its parents, nearest first.
    """
    from omp_models.formats.insights_hub._to_aas import KEY, shell_ref

    aas_id = mapper.asset_id(asset.id)
    sm_names = IdShortAllocator()
    submodels: list[dict[str, Any]] = []
    variables: list[tuple[Variable, str | None, AssetType]] = [
        (v, a.id, a) for a in reversed(chain) for v in a.variables]
    variables += [(v, None, asset) for v in asset.variables]
    _no_clash(mapper, [(v.name, v.pointer, origin) for v, origin, _ in variables], "variable")
    if variables:
        sm_id = aas_id + "/variables"
        names = IdShortAllocator()
        elements = [mapper.variable(v, "static", names, ["assettype", owner.id], sm_id, origin)
                    for v, origin, owner in variables]
        submodels.append({"modelType": "Submodel", "id": sm_id,
                          "idShort": sm_names.allocate("Variables")[0], "kind": "Template",
                          "semanticId": global_ref(sm_id), "submodelElements": elements})
    aspects: list[tuple[AspectRef, str | None]] = [
        (r, a.id) for a in reversed(chain) for r in a.aspects]
    aspects += [(r, None) for r in asset.aspects]
    _no_clash(mapper, [(r.name, r.pointer, origin) for r, origin in aspects], "aspect")
    for ref, origin in aspects:
        submodels.append(_aspect(mapper, aas_id, ref, origin, sm_names))
    if chain:
        inherited_vars = sum(len(a.variables) for a in chain)
        inherited_aspects = sum(len(a.aspects) for a in chain)
        mapper.issues.add(
            Code.INHERITANCE_FLATTENED, IssueSeverity.INFO,
            f"{inherited_vars} variable(s) and {inherited_aspects} aspect(s) inherited from "
            + " -> ".join(a.id for a in chain) + " are copied into the shell (marked "
            "src:insights-hub:inheritedFrom)", pointer=f"{asset.pointer}/parentTypeId",
            target=aas_id)
    shell: dict[str, Any] = {
        "modelType": "AssetAdministrationShell", "id": aas_id,
        "assetInformation": {"assetKind": "Type", "globalAssetId": aas_id + "/asset",
                             "specificAssetIds": [{"name": f"{KEY}:assetTypeId",
                                                   "value": asset.id}]},
    }
    exts: list[dict[str, Any]] = []
    mapper.named(shell, exts, IdShortAllocator(), asset.name, asset.pointer, aas_id)
    mapper.describe(shell, exts, asset.description, asset.pointer, aas_id)
    if asset.parent_type_id is not None:
        shell["derivedFrom"] = shell_ref(mapper, asset.parent_type_id)
    if submodels:
        shell["submodels"] = [model_ref(("Submodel", s["id"])) for s in submodels]
    mapper.keep(exts, asset.pointer, aas_id, {"parentTypeId": asset.parent_type_id,
                                              "instantiable": asset.instantiable,
                                              "scope": asset.scope, **asset.extra})
    if exts:
        shell["extensions"] = exts
    mapper.shells.append(shell)
    mapper.submodels.extend(submodels)


def _no_clash(mapper: Mapper, items: list[tuple[str, str, str | None]], what: str) -> None:
    """Own names may not repeat inherited ones.

    Duplicates within one type are found when the document is read.
    """
    inherited: dict[str, str | None] = {}
    for name, pointer, origin in items:
        folded = name.casefold()
        if folded in inherited and origin is None and inherited[folded] is not None:
            mapper.issues.error(f"{pointer}/name", f"duplicate {what} name {name!r}: it is "
                                                   f"inherited from {inherited[folded]}")
        inherited.setdefault(folded, origin)


def _aspect(mapper: Mapper, aas_id: str, ref: AspectRef, origin: str | None,
            sm_names: IdShortAllocator) -> dict[str, Any]:
    sm_id = f"{aas_id}/aspect/{_quote(ref.name)}"
    submodel: dict[str, Any] = {"modelType": "Submodel", "id": sm_id,
                                "idShort": sm_names.allocate(ref.name)[0], "kind": "Template",
                                "semanticId": global_ref(mapper.aspect_id(ref.aspect_type_id))}
    aspect_type = ref.embedded or mapper.library.aspect(ref.aspect_type_id)
    if aspect_type is None:
        mapper.issues.add(Code.DEPENDENCY_MISSING, IssueSeverity.LOSSY,
                          f"the aspect type {ref.aspect_type_id!r} is not in this document or "
                          "the search paths; the aspect's submodel has no variables",
                          pointer=f"{ref.pointer}/aspectTypeId", target=sm_id,
                          original=ref.aspect_type_id)
    else:
        names = IdShortAllocator()
        elements = [mapper.variable(v, aspect_type.category, names,
                                    ["aspecttype", aspect_type.id], sm_id, report=False)
                    for v in aspect_type.variables]
        if elements:
            submodel["submodelElements"] = elements
        if ref.embedded is not None and ref.embedded.id not in mapper.emitted:
            mapper.emitted.add(ref.embedded.id)
            mapper.submodels.append(mapper.aspect_submodel(ref.embedded))
            mapper.issues.add(Code.DROPPED, IssueSeverity.INFO,
                              "the embedded aspect type becomes a submodel template of its own "
                              "(written back as a separate aspect type)",
                              pointer=f"{ref.pointer}/aspectType")
    exts = [extension("aspectTypeId", ref.aspect_type_id)]
    if origin is None:
        for key in sorted(ref.extra):
            exts.append(extension(key, ref.extra[key]))
            mapper.preserved(f"{ref.pointer}/{key}", key, sm_id)
    else:
        exts.extend(extension(k, ref.extra[k]) for k in sorted(ref.extra))
        exts.append(extension("inheritedFrom", origin))
    submodel["extensions"] = exts
    return submodel


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")

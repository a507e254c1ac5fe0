"""References across a SiteWise document: variables, hierarchies, component models, assets.

A reference that must resolve inside one asset model (an expression variable, an asset's
property of a model the document defines) is an error when it does not; a reference to a
model the document does not define is ``DEPENDENCY_MISSING`` (lossy: the model may exist
in the account, but its content is unknown here).
"""

from __future__ import annotations

from omp_models.formats._report import Code, IssueSeverity
from omp_models.formats.sitewise._common import Issues
from omp_models.formats.sitewise._ir import AssetModel, Document, ModelProperty
from omp_models.locate import escape_pointer_token

__all__ = ["ModelIndex", "check_references"]


class ModelIndex:
    """Asset models of a document by id and external id."""

    def __init__(self, doc: Document) -> None:
        self._by_ref: dict[str, AssetModel] = {}
        for model in doc.models:
            for key in (model.id, model.external_id):
                if key is not None:
                    self._by_ref.setdefault(key, model)

    def get(self, ref: str | None) -> AssetModel | None:
        """The model with this id or external id."""
        return self._by_ref.get(ref) if ref is not None else None


def all_properties(model: AssetModel) -> list[ModelProperty]:
    """The model's own properties and those of its inline composite models."""
    return [*model.properties, *(p for c in model.composites for p in c.properties)]


def find_property(model: AssetModel, ref: str | None) -> ModelProperty | None:
    """The property of ``model`` whose id or external id is ``ref``."""
    if ref is None:
        return None
    return next((p for p in all_properties(model) if ref in (p.id, p.external_id)), None)


def _missing(issues: Issues, pointer: str, what: str, ref: str, reported: set[str]) -> None:
    key = f"{pointer}|{ref}"
    if key in reported:
        return
    reported.add(key)
    issues.add(Code.DEPENDENCY_MISSING, IssueSeverity.LOSSY,
               f"{what} {ref!r} is not defined in this document; it is kept by reference "
               "(its content is unknown here)", pointer=pointer, original=ref)


def check_references(doc: Document, issues: Issues) -> None:
    """Check every cross-object reference of ``doc``."""
    index = ModelIndex(doc)
    reported: set[str] = set()
    for model in doc.models:
        hierarchy_refs = {r for h in model.hierarchies for r in (h.id, h.external_id) if r}
        for prop in all_properties(model):
            for var in prop.variables:
                value = var.value
                target = value.get("propertyExternalId") or value.get("propertyId")
                via = value.get("hierarchyExternalId") or value.get("hierarchyId")
                where = var.pointer + "/value"
                if via is not None:
                    if via not in hierarchy_refs:
                        issues.error(where, f"variable {var.name!r} goes through hierarchy "
                                            f"{via!r}, which asset model {model.name!r} "
                                            "does not have")
                elif isinstance(target, str) and find_property(model, target) is None:
                    issues.error(where, f"variable {var.name!r} refers to property {target!r}, "
                                        f"which asset model {model.name!r} does not have")
        for h in model.hierarchies:
            if h.child_ref is not None and index.get(h.child_ref) is None:
                _missing(issues, h.pointer, "the child asset model", h.child_ref, reported)
        for c in model.composites:
            ref = c.composed_ref
            if ref is None:
                continue
            composed = index.get(ref)
            if composed is None:
                _missing(issues, c.pointer, "the component model", ref, reported)
            elif composed.model_type != "COMPONENT_MODEL":
                issues.error(c.pointer, f"composite model {c.name!r} is based on "
                                        f"{composed.name!r}, which is not a COMPONENT_MODEL")
    for asset in doc.assets:
        of = index.get(asset.model_ref)
        if of is None:
            if asset.model_ref is not None:
                _missing(issues, asset.pointer, "the asset model", asset.model_ref, reported)
            continue
        if of.model_type == "COMPONENT_MODEL":
            issues.error(asset.pointer, f"asset {asset.name!r} instantiates the component "
                                        f"model {of.name!r}; component models have no assets")
        settled: dict[int, str] = {}
        for setting in asset.properties:
            found = find_property(of, setting.ref)
            if setting.ref is not None and found is None:
                issues.error(setting.pointer, f"asset model {of.name!r} has no property "
                                              f"{setting.ref!r}")
            elif found is not None and id(found) in settled:
                issues.error(setting.pointer, f"property {found.name!r} is set twice (first "
                                              f"at {settled[id(found)]})")
            elif found is not None:
                settled[id(found)] = setting.pointer
        refs = {r for h in of.hierarchies for r in (h.id, h.external_id) if r}
        for entry in asset.hierarchies:
            if entry.ref is not None and entry.ref not in refs:
                issues.error(entry.pointer, f"asset model {of.name!r} has no hierarchy "
                                            f"{entry.ref!r}")


def pointer_to(base: str, *tokens: str | int) -> str:
    """``base`` extended by escaped tokens."""
    return base + "".join("/" + escape_pointer_token(t) for t in tokens)

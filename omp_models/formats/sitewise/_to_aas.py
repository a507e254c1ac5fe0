"""SiteWise intermediate form -> AAS (JSON form).

Asset models become shells of kind Type with one submodel template each; their properties
become Properties with ConceptDescriptions (name, data type, unit), composite models become
collections, hierarchies become lists of Entities. Assets are handled by :mod:`._instances`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from omp_models.formats._registry import ConvertOptions
from omp_models.formats._report import Code, IssueSeverity
from omp_models.formats.sitewise._check import ModelIndex, find_property, pointer_to
from omp_models.formats.sitewise._common import (
    EXT,
    MAX_NAME,
    MAX_TEXT,
    Issues,
    canonical,
    concept_description,
    extension,
    global_ref,
    lang,
    model_ref,
    qualifier,
    value_fits,
)
from omp_models.formats.sitewise._ir import (
    AssetModel,
    CompositeModel,
    Document,
    Hierarchy,
    ModelProperty,
)
from omp_models.ids import IdShortAllocator, derive_id

__all__ = [
    "COMPOSITE_PREFIX",
    "HIERARCHY_SEMANTIC",
    "TAG_KEYS",
    "VALUE_TYPES",
    "Mapper",
]

VALUE_TYPES = {"STRING": "xs:string", "INTEGER": "xs:int", "DOUBLE": "xs:double",
               "BOOLEAN": "xs:boolean", "STRUCT": "xs:string"}
CATEGORIES = {"attribute": "PARAMETER", "measurement": "VARIABLE", "transform": "VARIABLE",
              "metric": "VARIABLE"}
COMPOSITE_PREFIX = "urn:aws:iotsitewise:composite:"
HIERARCHY_SEMANTIC = "urn:aws:iotsitewise:hierarchy"
#: Model tags that carry AAS identities through SiteWise (written by the SiteWise writer
#: only when they differ from what this reader would derive).
TAG_KEYS = ("aas:id", "aas:globalAssetId", "aas:submodelId", "aas:submodelSemanticId")


@dataclass
class ModelInfo:
    """Where one asset model landed in the AAS."""

    ref: str
    aas_id: str
    submodel_id: str
    global_asset_id: str
    semantic_id: str
    id_short: str
    model: AssetModel | None = None
    #: ``id(ir object)`` -> keys of its element below the submodel.
    paths: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    #: ``id(ir object)`` -> its element in the type submodel.
    elements: dict[int, dict[str, Any]] = field(default_factory=dict)


class Mapper:
    """Maps one document; :meth:`environment` gives the AAS JSON form."""

    def __init__(self, doc: Document, options: ConvertOptions, issues: Issues) -> None:
        self.doc = doc
        self.base = options.base_iri
        self.issues = issues
        self.strict_units = options.extra.get("unknown-units", "keep") == "error"
        self.index = ModelIndex(doc)
        self.shells: list[dict[str, Any]] = []
        self.submodels: list[dict[str, Any]] = []
        self.concepts: dict[str, dict[str, Any]] = {}
        self.infos: dict[int, ModelInfo] = {}

    # -- identities ---------------------------------------------------------------------

    def model_info(self, ref: str | None, fallback: str) -> ModelInfo:
        """Identity of the model ``ref`` (resolved in the document when it is there)."""
        model = self.index.get(ref)
        if model is not None and id(model) in self.infos:
            return self.infos[id(model)]
        key = ref or fallback
        aas_id = derive_id(self.base, FORMAT_KEY, "assetModel", key)
        return ModelInfo(key, aas_id, aas_id + "/submodel", aas_id + "/asset",
                         aas_id + "/submodel", _short(key))

    def environment(self) -> dict[str, Any]:
        """Map the whole document (models first: assets refer to them)."""
        from omp_models.formats.sitewise._instances import map_asset

        for model in self.doc.models:
            self._register(model)
        for model in self.doc.models:
            self._model(model)
        for asset in self.doc.assets:
            map_asset(self, asset)
        out: dict[str, Any] = {}
        if self.shells:
            out["assetAdministrationShells"] = self.shells
        if self.submodels:
            out["submodels"] = self.submodels
        if self.concepts:
            out["conceptDescriptions"] = [self.concepts[k] for k in sorted(self.concepts)]
        return out

    def _register(self, model: AssetModel) -> None:
        ref = model.ref
        if ref is None:
            ref = model.name
            self.issues.add(Code.ID_DERIVED, IssueSeverity.INFO,
                            f"asset model {model.name!r} has no id or external id; its "
                            "identifiers are derived from its name", pointer=model.pointer)
        tags = {t.get("key"): t.get("value") for t in model.tags}
        aas_id = derive_id(self.base, FORMAT_KEY, "assetModel", ref)
        sm_id = _tag(tags, "aas:submodelId") or aas_id + "/submodel"
        info = ModelInfo(
            ref=ref, aas_id=_tag(tags, "aas:id") or aas_id, submodel_id=sm_id,
            global_asset_id=_tag(tags, "aas:globalAssetId") or aas_id + "/asset",
            semantic_id=_tag(tags, "aas:submodelSemanticId") or sm_id,
            id_short=_short(model.name), model=model)
        self.infos[id(model)] = info
        names = IdShortAllocator()
        for prop in model.properties:
            info.paths[id(prop)] = [("Property", self._name(names, prop.name, prop.pointer))]
        for composite in model.composites:
            short = self._name(names, composite.name, composite.pointer)
            info.paths[id(composite)] = [("SubmodelElementCollection", short)]
            inner = IdShortAllocator()
            for prop in composite.properties:
                info.paths[id(prop)] = [("SubmodelElementCollection", short),
                                        ("Property", self._name(inner, prop.name, prop.pointer))]
        for hierarchy in model.hierarchies:
            info.paths[id(hierarchy)] = [
                ("SubmodelElementList", self._name(names, hierarchy.name, hierarchy.pointer))]

    def _name(self, names: IdShortAllocator, name: str, pointer: str) -> str:
        short, renamed = names.allocate(name)
        if renamed:
            self.issues.add(Code.IDSHORT_RENAMED, IssueSeverity.INFO,
                            f"{name!r} is not a valid idShort; it became {short!r} (the name "
                            "is kept as displayName)", pointer=pointer_to(pointer, "name"),
                            target=short, original=name)
        return short

    # -- asset models -------------------------------------------------------------------

    def _model(self, model: AssetModel) -> None:
        info = self.infos[id(model)]
        elements: list[dict[str, Any]] = []
        for prop in model.properties:
            elements.append(self._property(info, prop, ["assetModel", info.ref]))
        for composite in model.composites:
            elements.append(self._composite(info, composite))
        for hierarchy in model.hierarchies:
            elements.append(self._hierarchy(info, hierarchy))
        submodel: dict[str, Any] = {
            "modelType": "Submodel", "id": info.submodel_id, "idShort": info.id_short,
            "kind": "Template", "semanticId": global_ref(info.semantic_id),
        }
        if elements:
            submodel["submodelElements"] = elements
        self.submodels.append(submodel)
        specific = [{"name": f"{FORMAT_KEY}:{key}", "value": value} for key, value in
                    (("assetModelId", model.id), ("assetModelExternalId", model.external_id))
                    if value is not None]
        asset_info: dict[str, Any] = {"assetKind": "Type",
                                      "globalAssetId": info.global_asset_id}
        if specific:
            asset_info["specificAssetIds"] = specific
        if model.model_type is not None:
            asset_info["assetType"] = model.model_type
        shell: dict[str, Any] = {"modelType": "AssetAdministrationShell", "id": info.aas_id,
                                 "idShort": info.id_short, "assetInformation": asset_info,
                                 "submodels": [model_ref(("Submodel", info.submodel_id))]}
        exts: list[dict[str, Any]] = []
        self.describe(shell, exts, model.name, model.description, model.pointer,
                      "assetModelName", "assetModelDescription", info.id_short)
        other_tags = [t for t in model.tags if t.get("key") not in TAG_KEYS]
        if other_tags:
            exts.append(extension("tags", other_tags))
            self.preserved(pointer_to(model.pointer, "tags"), "tags", info.aas_id)
        self.keep_extra(exts, model.extra, model.pointer, info.aas_id)
        if exts:
            shell["extensions"] = exts
        self.shells.append(shell)

    def describe(self, element: dict[str, Any], exts: list[dict[str, Any]], name: str,
                 description: str | None, pointer: str, name_key: str, desc_key: str,
                 target: str) -> None:
        """Set displayName (when the idShort differs from the name) and description.

        Texts longer than the AAS allows go to Extensions.
        """
        if name != element["idShort"]:
            if len(name) <= MAX_NAME:
                element["displayName"] = lang(name)
            else:
                exts.append(extension("name", name))
                self.preserved(pointer_to(pointer, name_key), "name", target)
        if description is not None:
            if len(description) <= MAX_TEXT:
                element["description"] = lang(description)
            else:
                exts.append(extension("description", description))
                self.preserved(pointer_to(pointer, desc_key), "description", target)

    def preserved(self, pointer: str, attribute: str, target: str) -> None:
        """Report that ``attribute`` was kept as an Extension."""
        self.issues.add(Code.PRESERVED_AS_EXTENSION, IssueSeverity.PRESERVED,
                        f"{attribute!r} has no AAS counterpart; kept as Extension "
                        f"{EXT}{attribute}", pointer=pointer, target=target)

    def keep_extra(self, exts: list[dict[str, Any]], extra: dict[str, Any], pointer: str,
                   target: str) -> None:
        """Keep unmodelled keys as Extensions (JSON text)."""
        for key in sorted(extra):
            exts.append(extension(key, extra[key]))
            self.preserved(pointer_to(pointer, key), key, target)

    def identity(self, exts: list[dict[str, Any]], id_: str | None, ext_id: str | None,
                 pointer: str, target: str) -> None:
        """Keep a SiteWise id / external id as Extensions."""
        for key, value in (("id", id_), ("externalId", ext_id)):
            if value is not None:
                exts.append(extension(key, value))
                self.preserved(pointer_to(pointer, key), key, target)

    def _property(self, info: ModelInfo, prop: ModelProperty, scope: list[str]
                  ) -> dict[str, Any]:
        keys = info.paths[id(prop)]
        short = keys[-1][1]
        target = f"{info.submodel_id}#{'.'.join(k[1] for k in keys)}"
        value_type = VALUE_TYPES[prop.data_type]
        element: dict[str, Any] = {"modelType": "Property", "idShort": short,
                                   "category": CATEGORIES[prop.kind], "valueType": value_type}
        exts: list[dict[str, Any]] = []
        self.describe(element, exts, prop.name, None, prop.pointer, "name", "", target)
        cd_id = derive_id(self.base, FORMAT_KEY, *scope, "property", prop.ref or prop.name)
        element["semanticId"] = global_ref(cd_id)
        self.concept(cd_id, short, prop.name, prop.unit, value_type,
                     pointer_to(prop.pointer, "unit"), target,
                     f"SiteWise {prop.kind} property {prop.name!r} of asset model "
                     f"{info.model.name if info.model else info.ref!r}")
        if prop.default_value is not None:
            if value_fits(prop.default_value, value_type):
                element["value"] = prop.default_value
            else:
                self.issues.error(pointer_to(prop.pointer, "type", "attribute", "defaultValue"),
                                  f"default value {prop.default_value!r} is not a valid "
                                  f"{prop.data_type}")
        quals = self._expression(info, prop, target)
        if quals:
            element["qualifiers"] = quals
        self.identity(exts, prop.id, prop.external_id, prop.pointer, target)
        if prop.data_type == "STRUCT":
            exts.append(extension("dataType", "STRUCT"))
            self.preserved(pointer_to(prop.pointer, "dataType"), "dataType", target)
        if prop.data_type_spec is not None:
            exts.append(extension("dataTypeSpec", prop.data_type_spec))
            self.preserved(pointer_to(prop.pointer, "dataTypeSpec"), "dataTypeSpec", target)
        for key in sorted(prop.type_extra):
            exts.append(extension(f"type.{key}", prop.type_extra[key]))
            self.preserved(pointer_to(prop.pointer, "type", prop.kind, key), f"type.{key}",
                           target)
        self.keep_extra(exts, prop.extra, prop.pointer, target)
        if exts:
            element["extensions"] = exts
        info.elements[id(prop)] = element
        return element

    def concept(self, cd_id: str, short: str, name: str, unit_text: str | None,
                value_type: str, pointer: str, target: str, definition: str) -> None:
        """The ConceptDescription of one property; reports an unresolved unit."""
        cd, unit = concept_description(cd_id, short, name, unit_text, value_type, definition)
        self.concepts[cd_id] = cd
        if unit_text and unit is None:
            if self.strict_units:
                self.issues.error(pointer, f"unit {unit_text!r} is not a known unit (UNECE "
                                           "Rec 20 code, symbol or alias)")
            else:
                self.issues.add(Code.UNIT_UNRESOLVED, IssueSeverity.LOSSY,
                                f"unit {unit_text!r} has no UNECE Rec 20 code; the text is "
                                "kept as the concept's unit, without unitId", pointer=pointer,
                                target=target, original=unit_text)

    def _expression(self, info: ModelInfo, prop: ModelProperty, target: str
                    ) -> list[dict[str, Any]]:
        if prop.kind not in ("transform", "metric") or prop.expression is None:
            return []
        self.issues.add(Code.EXPRESSION_OPAQUE, IssueSeverity.PRESERVED,
                        f"{prop.kind} expression {prop.expression!r} is carried as text "
                        "(Qualifier sitewise:expression); its semantics are not converted",
                        pointer=pointer_to(prop.pointer, "type", prop.kind, "expression"),
                        target=target)
        quals = [qualifier(f"{FORMAT_KEY}:expression", prop.expression)]
        model = info.model
        for var in prop.variables:
            value_id = None
            target_ref = var.value.get("propertyExternalId") or var.value.get("propertyId")
            if model is not None and "hierarchyExternalId" not in var.value and \
                    "hierarchyId" not in var.value and isinstance(target_ref, str):
                found = find_property(model, target_ref)
                if found is not None:
                    value_id = model_ref(("Submodel", info.submodel_id), *info.paths[id(found)])
            quals.append(qualifier(f"{FORMAT_KEY}:variable:{var.name}", canonical(var.value),
                                   value_id=value_id))
        window = prop.window
        tumbling = window.get("tumbling") if window else None
        if window is not None and set(window) == {"tumbling"} and isinstance(tumbling, dict) \
                and set(tumbling) <= {"interval", "offset"} and all(
                    isinstance(v, str) for v in tumbling.values()):
            for key in ("interval", "offset"):
                if key in tumbling:
                    quals.append(qualifier(f"{FORMAT_KEY}:window:tumbling:{key}",
                                           tumbling[key]))
        elif window is not None:
            quals.append(qualifier(f"{FORMAT_KEY}:window", canonical(window)))
        return quals

    def _composite(self, info: ModelInfo, composite: CompositeModel) -> dict[str, Any]:
        keys = info.paths[id(composite)]
        target = f"{info.submodel_id}#{keys[-1][1]}"
        element: dict[str, Any] = {"modelType": "SubmodelElementCollection",
                                   "idShort": keys[-1][1],
                                   "semanticId": global_ref(COMPOSITE_PREFIX + composite.type)}
        exts: list[dict[str, Any]] = []
        self.describe(element, exts, composite.name, composite.description, composite.pointer,
                      "name", "description", target)
        scope = ["assetModel", info.ref, "compositeModel", composite.ref or composite.name]
        value = [self._property(info, p, scope) for p in composite.properties]
        if value:
            element["value"] = value
        self.identity(exts, composite.id, composite.external_id, composite.pointer, target)
        for key, ref in (("composedAssetModelId", composite.composed_model_id),
                         ("composedAssetModelExternalId", composite.composed_model_external_id)):
            if ref is not None:
                exts.append(extension(key, ref))
                self.preserved(pointer_to(composite.pointer, key), key, target)
        self.keep_extra(exts, composite.extra, composite.pointer, target)
        if exts:
            element["extensions"] = exts
        info.elements[id(composite)] = element
        return element

    def _hierarchy(self, info: ModelInfo, hierarchy: Hierarchy) -> dict[str, Any]:
        keys = info.paths[id(hierarchy)]
        target = f"{info.submodel_id}#{keys[-1][1]}"
        child = self.model_info(hierarchy.child_ref, hierarchy.name)
        specific = [{"name": f"{FORMAT_KEY}:{key}", "value": value} for key, value in
                    (("assetModelId", hierarchy.child_model_id),
                     ("assetModelExternalId", hierarchy.child_model_external_id))
                    if value is not None]
        # AASd-014 (as aas-core checks it): globalAssetId or specificAssetIds, not both; the
        # SiteWise reference is the one that survives a round trip.
        entity: dict[str, Any] = {"modelType": "Entity", "entityType": "SelfManagedEntity"}
        if specific:
            entity["specificAssetIds"] = specific
        else:
            entity["globalAssetId"] = child.global_asset_id
        element: dict[str, Any] = {
            "modelType": "SubmodelElementList", "idShort": keys[-1][1],
            "semanticId": global_ref(HIERARCHY_SEMANTIC), "orderRelevant": False,
            "typeValueListElement": "Entity", "value": [entity],
        }
        exts: list[dict[str, Any]] = []
        self.describe(element, exts, hierarchy.name, None, hierarchy.pointer, "name", "",
                      target)
        self.identity(exts, hierarchy.id, hierarchy.external_id, hierarchy.pointer, target)
        self.keep_extra(exts, hierarchy.extra, hierarchy.pointer, target)
        if exts:
            element["extensions"] = exts
        info.elements[id(hierarchy)] = element
        return element


FORMAT_KEY = "sitewise"


def _short(name: str) -> str:
    return IdShortAllocator().allocate(name)[0]


def _tag(tags: dict[Any, Any], key: str) -> str | None:
    value = tags.get(key)
    return value if isinstance(value, str) and value else None

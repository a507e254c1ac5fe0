"""AAS (JSON form) -> SiteWise intermediate form.

Shells of kind Type become asset models, shells of kind Instance become assets (see
:mod:`._from_aas_assets`).

What SiteWise cannot hold is reported, element by element, with the element's idShort path
as the target: semanticIds, qualifiers, descriptions and display names of elements,
multi-language texts beyond one language, nesting below the first collection level
(flattened into dotted names), value types SiteWise does not have, and elements with no
SiteWise counterpart (references, relationships, blobs, operations, ...).
"""

from __future__ import annotations

import json
import re
from typing import Any

from omp_models.formats._registry import ConvertOptions
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.sitewise._common import EXT
from omp_models.formats.sitewise._ir import (
    AssetModel,
    CompositeModel,
    Hierarchy,
    ModelProperty,
)
from omp_models.formats.sitewise._to_aas import COMPOSITE_PREFIX, HIERARCHY_SEMANTIC
from omp_models.ids import derive_id, sanitize_id_short

__all__ = [
    "NARROWED",
    "PRINTABLE",
    "STRING_ATTRIBUTES",
    "TO_SITEWISE",
    "WIDENED_INT",
    "WIDENED_REAL",
    "ModelWriter",
    "ext_map",
    "external_id",
    "lang_text",
    "unique_name",
]

TO_SITEWISE = {"xs:string": "STRING", "xs:int": "INTEGER", "xs:double": "DOUBLE",
                "xs:boolean": "BOOLEAN"}
NARROWED = ("xs:long", "xs:integer", "xs:unsignedInt", "xs:unsignedLong",
             "xs:nonNegativeInteger", "xs:positiveInteger", "xs:negativeInteger",
             "xs:nonPositiveInteger")
WIDENED_INT = ("xs:short", "xs:byte", "xs:unsignedShort", "xs:unsignedByte")
WIDENED_REAL = ("xs:float", "xs:decimal")
PRINTABLE = re.compile(r"^[^\x00-\x1f\x7f]+$")
_EXTERNAL_ID = re.compile(r"^[a-zA-Z0-9_][a-zA-Z_\-0-9.:]*[a-zA-Z0-9_]+$")
#: Extension attributes the reader writes as plain strings (all others are JSON text).
STRING_ATTRIBUTES = frozenset({
    "id", "externalId", "name", "description", "dataType", "dataTypeSpec", "alias", "unit",
    "assetModelId", "assetModelExternalId", "composedAssetModelId",
    "composedAssetModelExternalId"})
#: Element keys every mapping handles itself.
_BASE_KEYS = frozenset({"modelType", "idShort", "extensions", "semanticId", "displayName",
                        "qualifiers", "description", "category"})


def ext_map(element: dict[str, Any]) -> dict[str, Any]:
    """The element's ``src:sitewise:*`` Extensions, decoded."""
    out: dict[str, Any] = {}
    for ext in element.get("extensions", []):
        name = ext.get("name", "")
        if not name.startswith(EXT):
            continue
        attribute, text = name[len(EXT):], ext.get("value", "")
        if attribute in STRING_ATTRIBUTES:
            out[attribute] = text
        else:
            try:
                out[attribute] = json.loads(text)
            except ValueError:
                out[attribute] = text
    return out


def lang_text(strings: list[dict[str, str]] | None) -> tuple[str | None, bool]:
    """The English (else first) text of a language string set, and whether others exist."""
    if not strings:
        return None, False
    chosen = next((s for s in strings if s.get("language", "").lower().startswith("en")),
                  strings[0])
    return chosen.get("text"), len(strings) > 1


def _is_rename(name: str, id_short: str) -> bool:
    base = sanitize_id_short(name)
    return id_short == base or re.fullmatch(re.escape(base) + r"_\d+", id_short) is not None


def external_id(text: str) -> str:
    """A valid SiteWise external id close to ``text`` (idShort paths are already valid)."""
    candidate = re.sub(r"[^a-zA-Z_\-0-9.:]", "_", text).strip("-.:") or "id"
    if not _EXTERNAL_ID.match(candidate):
        candidate = f"x_{candidate}_x"[:128]
    if len(candidate) > 128:
        import hashlib

        digest = hashlib.sha256(candidate.encode()).hexdigest()[:12]
        candidate = candidate[:115] + "_" + digest
    return candidate


class ModelWriter:
    """Turns shells of kind Type and their submodels into asset models."""

    def __init__(self, env: dict[str, Any], options: ConvertOptions,
                 report: ConversionReport) -> None:
        self.env = env
        self.options = options
        self.report = report
        self.base = options.base_iri
        self.ours = derive_id(self.base, "sitewise", "")
        self.submodels = {s["id"]: s for s in env.get("submodels", [])}
        self.concepts = {c["id"]: c for c in env.get("conceptDescriptions", [])}
        self.used_concepts: set[str] = set()
        self.used_models: set[str] = set()
        #: Type shell id -> (SiteWise id, external id) of its model.
        self.refs: dict[str, tuple[str | None, str | None]] = {}
        #: globalAssetId -> type shell id / -> (id, external id) of an asset.
        self.by_global: dict[str, str] = {}
        self.asset_by_global: dict[str, tuple[str | None, str | None]] = {}
        #: Type shell id -> idShort path -> model property (to match instance values).
        self.paths: dict[str, dict[str, ModelProperty]] = {}
        self.current_paths: dict[str, ModelProperty] = {}

    def plan(self, shells: list[dict[str, Any]]) -> None:
        """Fix the SiteWise identity of every type shell's model.

        Hierarchies refer to the models before the models are built.
        """
        for shell in shells:
            info = shell.get("assetInformation", {})
            specific = {s.get("name"): s.get("value") for s in info.get("specificAssetIds", [])}
            ident = specific.get("sitewise:assetModelId")
            ext = specific.get("sitewise:assetModelExternalId")
            if ident is None and ext is None:
                ext = unique_name(external_id(shell.get("idShort", "model")), self.used_models)
                self.report.add(Code.ID_DERIVED, IssueSeverity.INFO,
                                f"asset model external id {ext!r} derived from the idShort; "
                                "element external ids are their idShort paths",
                                target=shell["id"])
            self.used_models.update(r for r in (ident, ext) if r)
            self.refs[shell["id"]] = (ident, ext)
            if info.get("globalAssetId"):
                self.by_global[str(info["globalAssetId"])] = shell["id"]

    # -- report helpers --------------------------------------------------------------------

    def lossy(self, code: Code, message: str, target: str, original: str | None = None) -> None:
        """A lossy report entry at ``target``."""
        self.report.add(code, IssueSeverity.LOSSY, message, target=target, original=original)

    def lost(self, element: dict[str, Any], handled: frozenset[str], target: str) -> None:
        """Report the element's attributes that SiteWise cannot carry (one entry)."""
        names = [k for k, v in element.items()
                 if k not in _BASE_KEYS and k not in handled and v not in (None, [], {}, "")]
        sem = element.get("semanticId")
        if sem is not None and not self.is_ours(sem):
            names.append("semanticId")
        display, _ = lang_text(element.get("displayName"))
        if display is not None and "idShort" in element and not _is_rename(
                display, element["idShort"]):
            names.append("displayName")
        if any(not q.get("type", "").startswith("sitewise:") for q in
               element.get("qualifiers", [])):
            names.append("qualifiers")
        if any(not e.get("name", "").startswith(EXT) for e in element.get("extensions", [])):
            names.append("extensions")
        if "description" in element and "description" not in handled:
            names.append("description")
        if element.get("category") == "CONSTANT":
            names.append("category")
        if names:
            self.lossy(Code.DROPPED, f"SiteWise has no place for {', '.join(sorted(names))} "
                                     f"of this {element.get('modelType', 'element')}", target)

    def is_ours(self, reference: dict[str, Any]) -> bool:
        """Whether a semanticId is one this converter writes when reading SiteWise."""
        keys = reference.get("keys") or [{}]
        value = str(keys[0].get("value", ""))
        return value.startswith((self.ours, COMPOSITE_PREFIX)) or \
            value == HIERARCHY_SEMANTIC

    def name_of(self, element: dict[str, Any], exts: dict[str, Any]) -> str:
        """The SiteWise name: kept original, a display name that was a rename, else idShort."""
        if isinstance(exts.get("name"), str):
            return str(exts["name"])
        display, _ = lang_text(element.get("displayName"))
        short = element.get("idShort", "")
        if display is not None and _is_rename(display, short) and PRINTABLE.match(display):
            return display[:256]
        return str(short) or "Element"

    def description_of(self, element: dict[str, Any], exts: dict[str, Any], target: str
                       ) -> str | None:
        """The description (English, else the first language)."""
        if isinstance(exts.get("description"), str):
            return str(exts["description"])
        text, more = lang_text(element.get("description"))
        if more:
            self.lossy(Code.DROPPED, "only one language of the description is kept", target)
        if text is not None and not PRINTABLE.match(text):
            text = " ".join(text.split())
        return text[:2048] if text else None

    # -- models ----------------------------------------------------------------------------

    def model(self, shell: dict[str, Any], submodels: list[dict[str, Any]], used: set[str],
              *, tags: bool = True) -> AssetModel:
        """The asset model of a Type shell (or of submodels or an instance without one)."""
        target = shell["id"]
        exts = ext_map(shell) if tags else {}
        info = shell.get("assetInformation", {})
        specific = {s.get("name"): s.get("value") for s in info.get("specificAssetIds", [])}
        planned = self.refs.get(target) if tags else None
        if planned is None:
            planned = (specific.get("sitewise:assetModelId") if tags else None,
                       specific.get("sitewise:assetModelExternalId") if tags else None)
            if planned == (None, None):
                planned = (None, unique_name(external_id(shell.get("idShort", "model")), used))
        model = AssetModel(name=self.name_of(shell, exts),
                           description=self.description_of(shell, exts, target),
                           id=planned[0], external_id=planned[1])
        used.update(r for r in (model.id, model.external_id) if r)
        self.current_paths = {}
        self.paths[target] = self.current_paths
        asset_type = info.get("assetType")
        if asset_type in ("ASSET_MODEL", "COMPONENT_MODEL"):
            model.model_type = asset_type
        elif asset_type:
            self.lossy(Code.DROPPED, f"assetType {asset_type!r} has no SiteWise counterpart",
                       target)
        model.tags = list(exts.pop("tags", []) or [])
        if tags:
            self._identity_tags(model, shell, submodels[:1])
        if submodels and submodels[0].get("idShort") != sanitize_id_short(model.name):
            self.lossy(Code.DROPPED, f"the submodel idShort {submodels[0].get('idShort')!r} is "
                                     "not kept (read back as the model's name)",
                       submodels[0]["id"])
        for key, value in exts.items():
            if key not in STRING_ATTRIBUTES:
                model.extra[key] = value
        lost = {k for k in ("administration", "embeddedDataSpecifications", "category")
                if shell.get(k)}
        if shell.get("derivedFrom"):
            lost.add("derivedFrom")
        if info.get("defaultThumbnail"):
            lost.add("assetInformation.defaultThumbnail")
        if any(not str(k).startswith("sitewise:") for k in specific):
            lost.add("specificAssetIds")
        if info.get("assetKind") == "NotApplicable":
            lost.add("assetKind NotApplicable (read back as Type)")
        display, _ = lang_text(shell.get("displayName"))
        if display is not None and not _is_rename(display, shell.get("idShort", "")):
            lost.add("displayName")
        if any(not e.get("name", "").startswith(EXT) for e in shell.get("extensions", [])):
            lost.add("extensions")
        if lost:
            self.lossy(Code.DROPPED, f"SiteWise has no place for {', '.join(sorted(lost))} "
                                     "of this shell", target)
        for index, submodel in enumerate(submodels):
            self._submodel(model, submodel, index == 0)
        return model

    def _identity_tags(self, model: AssetModel, shell: dict[str, Any],
                       submodels: list[dict[str, Any]]) -> None:
        """Model tags ``aas:*`` for identities the reader would not derive by itself."""
        ref = model.ref or ""
        derived = derive_id(self.base, "sitewise", "assetModel", ref)
        wanted = [("aas:id", shell["id"], derived),
                  ("aas:globalAssetId", shell.get("assetInformation", {}).get("globalAssetId"),
                   derived + "/asset")]
        if submodels:
            sm = submodels[0]
            sm_id = sm["id"]
            wanted.append(("aas:submodelId", sm_id, derived + "/submodel"))
            sem = (sm.get("semanticId") or {}).get("keys", [{}])[0].get("value")
            wanted.append(("aas:submodelSemanticId", sem, sm_id))
        existing = {t.get("key") for t in model.tags}
        for key, value, default in wanted:
            if value is None or value == default or key in existing:
                continue
            if len(value) > 256:
                self.lossy(Code.DROPPED, f"{key} {value[:60]!r}... is longer than a SiteWise "
                                         "tag value (256 characters)", shell["id"], value)
                continue
            model.tags.append({"key": key, "value": value})

    def _submodel(self, model: AssetModel, submodel: dict[str, Any], first: bool) -> None:
        sm_id = submodel["id"]
        handled = frozenset({"id", "submodelElements", "kind"})
        self.lost({k: v for k, v in submodel.items() if k != "semanticId"}, handled, sm_id)
        if submodel.get("kind", "Instance") != "Template" and first:
            self.lossy(Code.DROPPED, "the submodel is read back as a template (kind Template)",
                       sm_id)
        elements = submodel.get("submodelElements", [])
        if first:
            for element in elements:
                self._member(model, element, sm_id, element.get("idShort", ""))
            return
        composite = CompositeModel(name=submodel.get("idShort", "Submodel"), type="CUSTOM",
                                   external_id=external_id(submodel.get("idShort", "sm")))
        self.lossy(Code.DROPPED, f"a second submodel becomes the composite model "
                                 f"{composite.name!r} (read back as a collection)", sm_id)
        self._flatten(composite.properties, elements, sm_id, "", "")
        model.composites.append(composite)

    def _member(self, model: AssetModel, element: dict[str, Any], sm_id: str, path: str
                ) -> None:
        kind = element.get("modelType")
        target = f"{sm_id}#{path}"
        if kind == "SubmodelElementList" and self._is_hierarchy(element):
            model.hierarchies.append(self._hierarchy(element, target))
        elif kind in ("SubmodelElementCollection", "SubmodelElementList"):
            model.composites.append(self._composite(element, sm_id, path))
        else:
            prop = self.property(element, target, path)
            if prop is not None:
                model.properties.append(prop)

    @staticmethod
    def _is_hierarchy(element: dict[str, Any]) -> bool:
        return element.get("typeValueListElement") == "Entity"

    def _hierarchy(self, element: dict[str, Any], target: str) -> Hierarchy:
        from omp_models.formats.sitewise._from_aas_assets import child_model_ref

        exts = ext_map(element)
        self.lost(element, frozenset({"value", "typeValueListElement", "orderRelevant",
                                      "semanticIdListElement"}), target)
        hierarchy = Hierarchy(name=self.name_of(element, exts), id=exts.get("id"),
                              external_id=exts.get("externalId"))
        if hierarchy.id is None and hierarchy.external_id is None:
            hierarchy.external_id = external_id(element.get("idShort", "hierarchy"))
        items = element.get("value", [])
        if items:
            key, ref = child_model_ref(self, items[0])
            if key == "id":
                hierarchy.child_model_id = ref
            else:
                hierarchy.child_model_external_id = ref
        else:
            self.lossy(Code.DROPPED, "the hierarchy list has no Entity naming its child model",
                       target)
        hierarchy.extra = {k: v for k, v in exts.items() if k not in STRING_ATTRIBUTES}
        return hierarchy

    def _composite(self, element: dict[str, Any], sm_id: str, path: str) -> CompositeModel:
        target = f"{sm_id}#{path}"
        exts = ext_map(element)
        sem = (element.get("semanticId") or {}).get("keys", [{}])[0].get("value", "")
        ctype = sem[len(COMPOSITE_PREFIX):] if str(sem).startswith(COMPOSITE_PREFIX) \
            else "CUSTOM"
        composite = CompositeModel(
            name=self.name_of(element, exts), type=ctype, id=exts.get("id"),
            external_id=exts.get("externalId"),
            description=self.description_of(element, exts, target),
            composed_model_id=exts.get("composedAssetModelId"),
            composed_model_external_id=exts.get("composedAssetModelExternalId"))
        if composite.id is None and composite.external_id is None:
            composite.external_id = external_id(path)
        composite.extra = {k: v for k, v in exts.items() if k not in STRING_ATTRIBUTES}
        self.lost(element, frozenset({"value", "description", "typeValueListElement",
                                      "valueTypeListElement", "orderRelevant",
                                      "semanticIdListElement"}), target)
        self._flatten(composite.properties, element.get("value", []), sm_id, path, "")
        return composite

    def _flatten(self, out: list[ModelProperty], elements: list[dict[str, Any]], sm_id: str,
                 path: str, prefix: str) -> None:
        """Properties of a composite model; deeper containers become dotted names."""
        for index, element in enumerate(elements):
            short = element.get("idShort") or str(index)
            sub = f"{path}[{index}]" if "idShort" not in element else (
                f"{path}.{short}" if path else short)
            name = prefix + (self.name_of(element, ext_map(element)) if "idShort" in element
                             else short)
            if element.get("modelType") in ("SubmodelElementCollection", "SubmodelElementList"):
                self.lossy(Code.DROPPED, f"nesting below the first collection level is "
                                         f"flattened into property names ({name}.*)",
                           f"{sm_id}#{sub}")
                self.lost(element, frozenset({"value", "typeValueListElement",
                                              "valueTypeListElement", "orderRelevant",
                                              "semanticIdListElement"}), f"{sm_id}#{sub}")
                self._flatten(out, element.get("value", []), sm_id, sub, name + ".")
                continue
            prop = self.property(element, f"{sm_id}#{sub}", sub, name)
            if prop is not None:
                out.append(prop)

    def property(self, element: dict[str, Any], target: str, path: str,
                 name: str | None = None) -> ModelProperty | None:
        """A model property from a Property (or a data element SiteWise can hold as one)."""
        from omp_models.formats.sitewise._from_aas_props import convert_property

        prop = convert_property(self, element, target, path, name)
        if prop is not None:
            self.current_paths[path] = prop
        return prop


def unique_name(candidate: str, used: set[str]) -> str:
    out, n = candidate, 1
    while out in used:
        n += 1
        out = f"{candidate}_{n}"
    return out

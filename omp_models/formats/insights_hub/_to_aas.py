"""Insights Hub intermediate form -> AAS (JSON form), at type level.

An aspect type becomes a submodel template; its variables become Properties (static ->
category PARAMETER with the default value as value, dynamic -> VARIABLE) with a
ConceptDescription carrying the unit. An asset type becomes a shell of kind Type with a
``Variables`` submodel and one submodel per aspect (the aspect type's variables, resolved
from the document, the search paths or embedded), ``derivedFrom`` its parent type's shell;
the parent chain is flattened: inherited variables and aspects are copied in and marked
(Extension ``src:insights-hub:inheritedFrom``), so writing back restores the original type.
"""

from __future__ import annotations

from typing import Any

from omp_models.formats._registry import ConvertOptions
from omp_models.formats._report import Code, IssueSeverity
from omp_models.formats.insights_hub._common import (
    EXT,
    MAX_NAME,
    MAX_TEXT,
    Issues,
    concept_description,
    extension,
    global_ref,
    lang,
    model_ref,
    qualifier,
    value_fits,
)
from omp_models.formats.insights_hub._ir import AspectType, AssetType, Bundle, Variable
from omp_models.formats.insights_hub._resolve import Library
from omp_models.ids import IdShortAllocator, derive_id

__all__ = ["KEY", "VALUE_TYPES", "Mapper"]

KEY = "insights-hub"
VALUE_TYPES = {"BOOLEAN": "xs:boolean", "INT": "xs:int", "LONG": "xs:long",
               "DOUBLE": "xs:double", "STRING": "xs:string", "BIG_STRING": "xs:string",
               "TIMESTAMP": "xs:dateTime"}
CATEGORIES = {"static": "PARAMETER", "dynamic": "VARIABLE"}


def _lexical(value: Any) -> str | None:
    """A JSON default value as an XSD lexical value."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Mapper:
    """Maps one document's types; :meth:`environment` gives the AAS JSON form."""

    def __init__(self, bundle: Bundle, library: Library, options: ConvertOptions,
                 issues: Issues) -> None:
        self.bundle = bundle
        self.library = library
        self.base = options.base_iri
        self.issues = issues
        self.strict_units = options.extra.get("unknown-units", "keep") == "error"
        self.shells: list[dict[str, Any]] = []
        self.submodels: list[dict[str, Any]] = []
        self.concepts: dict[str, dict[str, Any]] = {}
        #: Aspect types already mapped to a submodel template.
        self.emitted: set[str] = set()

    def aspect_id(self, type_id: str) -> str:
        """The submodel template id of an aspect type."""
        return derive_id(self.base, KEY, "aspecttype", type_id)

    def asset_id(self, type_id: str) -> str:
        """The shell id of an asset type."""
        return derive_id(self.base, KEY, "assettype", type_id)

    def environment(self) -> dict[str, Any]:
        """Map every type of the document."""
        for aspect in self.bundle.aspect_types:
            self.emitted.add(aspect.id)
            self.submodels.append(self.aspect_submodel(aspect))
        cycles: set[frozenset[str]] = set()
        for asset in self.bundle.asset_types:
            chain = self.library.ancestors(asset, self.issues, cycles)
            if chain is not None:
                self._asset_type(asset, chain)
        out: dict[str, Any] = {}
        if self.shells:
            out["assetAdministrationShells"] = self.shells
        if self.submodels:
            out["submodels"] = self.submodels
        if self.concepts:
            out["conceptDescriptions"] = [self.concepts[k] for k in sorted(self.concepts)]
        return out

    # -- helpers ---------------------------------------------------------------------------

    def preserved(self, pointer: str, attribute: str, target: str) -> None:
        """Report that ``attribute`` was kept as an Extension."""
        self.issues.add(Code.PRESERVED_AS_EXTENSION, IssueSeverity.PRESERVED,
                        f"{attribute!r} has no AAS counterpart; kept as Extension "
                        f"{EXT}{attribute}", pointer=pointer, target=target)

    def keep(self, exts: list[dict[str, Any]], pointer: str, target: str,
             items: dict[str, Any]) -> None:
        """Keep attributes (and unmodelled keys) as Extensions, reported."""
        for key in sorted(items):
            if items[key] is not None:
                exts.append(extension(key, items[key]))
                self.preserved(f"{pointer}/{key}", key, target)

    def named(self, element: dict[str, Any], exts: list[dict[str, Any]], names: IdShortAllocator,
              name: str, pointer: str, target: str, report: bool = True) -> str:
        """Allocate the idShort; keep the name as displayName when it had to change."""
        short, renamed = names.allocate(name)
        element["idShort"] = short
        if renamed:
            if report:
                self.issues.add(Code.IDSHORT_RENAMED, IssueSeverity.INFO,
                                f"{name!r} is not a valid idShort; it became {short!r} (the "
                                "name is kept as displayName)", pointer=f"{pointer}/name",
                                target=short, original=name)
            if len(name) <= MAX_NAME:
                element["displayName"] = lang(name)
            else:
                exts.append(extension("name", name))
                if report:
                    self.preserved(f"{pointer}/name", "name", target)
        return short

    def describe(self, element: dict[str, Any], exts: list[dict[str, Any]],
                 description: str | None, pointer: str, target: str) -> None:
        """Description (longer texts than the AAS allows go to an Extension)."""
        if description is None:
            return
        if len(description) <= MAX_TEXT:
            element["description"] = lang(description)
        else:
            exts.append(extension("description", description))
            self.preserved(f"{pointer}/description", "description", target)

    # -- variables -------------------------------------------------------------------------

    def variable(self, var: Variable, category: str, names: IdShortAllocator, scope: list[str],
                 sm_id: str, inherited_from: str | None = None, *, report: bool = True
                 ) -> dict[str, Any]:
        """A Property for one variable (and its ConceptDescription).

        ``report=False`` for copies (inherited variables, aspect variables in a shell).
        """
        value_type = VALUE_TYPES[var.data_type]
        element: dict[str, Any] = {"modelType": "Property", "category": CATEGORIES[category],
                                   "valueType": value_type}
        exts: list[dict[str, Any]] = []
        short = self.named(element, exts, names, var.name, var.pointer, var.name, report)
        target = f"{sm_id}#{short}"
        cd_id = derive_id(self.base, KEY, *scope, "variable", var.name)
        element["semanticId"] = global_ref(cd_id)
        self._concept(cd_id, short, var, value_type, target, " ".join(scope))
        default = _lexical(var.default_value)
        kept: dict[str, Any] = dict(var.extra)
        if default == "" and value_type != "xs:string":
            kept["defaultValue"] = ""  # an empty default of a typed variable: keep as is
        elif default is not None:
            if value_fits(default, value_type):
                element["value"] = default
            else:
                self.issues.error(f"{var.pointer}/defaultValue",
                                  f"default value {default!r} is not a valid {var.data_type}")
        quals = []
        for key, value, vtype in (("searchable", var.searchable, "xs:boolean"),
                                  ("qualityCode", var.quality_code, "xs:boolean"),
                                  ("length", var.length, "xs:int")):
            if value is not None:
                quals.append(qualifier(f"{KEY}:{key}", _lexical(value) or "", vtype))
        if quals:
            element["qualifiers"] = quals
        if var.data_type == "BIG_STRING":
            kept["dataType"] = "BIG_STRING"
        if var.default_value is not None and not isinstance(var.default_value, str):
            kept["defaultValue"] = var.default_value
        if inherited_from is None and report:
            self.keep(exts, var.pointer, target, kept)
        else:
            exts.extend(extension(k, kept[k]) for k in sorted(kept))
        if inherited_from is not None:
            exts.append(extension("inheritedFrom", inherited_from))
        if exts:
            element["extensions"] = exts
        return element

    def _concept(self, cd_id: str, short: str, var: Variable, value_type: str, target: str,
                 scope: str) -> None:
        unit_text = var.unit or None
        cd, unit = concept_description(cd_id, short, var.name, unit_text, value_type,
                                       f"Insights Hub variable {var.name!r} of {scope}")
        self.concepts[cd_id] = cd
        if unit_text and unit is None:
            if self.strict_units:
                self.issues.error(f"{var.pointer}/unit", f"unit {unit_text!r} is not a known "
                                  "unit (UNECE Rec 20 code, symbol or alias)")
            else:
                self.issues.add(Code.UNIT_UNRESOLVED, IssueSeverity.LOSSY,
                                f"unit {unit_text!r} has no UNECE Rec 20 code; the text is kept "
                                "as the concept's unit, without unitId",
                                pointer=f"{var.pointer}/unit", target=target,
                                original=unit_text)

    # -- aspect types ----------------------------------------------------------------------

    def aspect_submodel(self, aspect: AspectType) -> dict[str, Any]:
        """The submodel template of an aspect type."""
        sm_id = self.aspect_id(aspect.id)
        submodel: dict[str, Any] = {"modelType": "Submodel", "id": sm_id, "kind": "Template",
                                    "semanticId": global_ref(sm_id)}
        exts: list[dict[str, Any]] = []
        self.named(submodel, exts, IdShortAllocator(), aspect.name, aspect.pointer, sm_id)
        self.describe(submodel, exts, aspect.description, aspect.pointer, sm_id)
        names = IdShortAllocator()
        elements = [self.variable(v, aspect.category, names, ["aspecttype", aspect.id], sm_id)
                    for v in aspect.variables]
        if elements:
            submodel["submodelElements"] = elements
        self.keep(exts, aspect.pointer, sm_id, {"id": aspect.id, "category": aspect.category,
                                                "scope": aspect.scope, **aspect.extra})
        submodel["extensions"] = exts
        return submodel

    # -- asset types -----------------------------------------------------------------------

    def _asset_type(self, asset: AssetType, chain: list[AssetType]) -> None:
        from omp_models.formats.insights_hub._to_aas_assets import map_asset_type

        map_asset_type(self, asset, chain)


def shell_ref(mapper: Mapper, type_id: str) -> dict[str, Any]:
    """A model reference to the shell of an asset type."""
    return model_ref(("AssetAdministrationShell", mapper.asset_id(type_id)))

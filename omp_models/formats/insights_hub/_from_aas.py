"""AAS (JSON form) -> Insights Hub types: shells become asset types, submodels aspect types.

Shells read from Insights Hub are written back as they were (inherited variables and
aspects left to the parent, aspect types referenced by id). Any other shell becomes an asset
type whose submodels become aspects of aspect types made from them (ids ``<tenant>.<name>``,
tenant from ``--option tenant=NAME``). What Insights Hub cannot hold is reported per element:
semanticIds, qualifiers, descriptions, nesting (flattened into ``Parent_Child`` names), value
types it does not have, and elements that are not data elements.
"""

from __future__ import annotations

import json
import re
from typing import Any

from omp_models.formats._registry import ConvertOptions
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.insights_hub._common import EXT
from omp_models.formats.insights_hub._ir import AspectType, Bundle, Variable
from omp_models.ids import derive_id, sanitize_id_short
from omp_models.units import units

__all__ = [
    "NARROWED",
    "STRING_EXTS",
    "TO_HUB",
    "WIDENED",
    "HubWriter",
    "ext_map",
    "first_key",
    "lang_text",
    "unique_name",
    "write_bundle",
]

TO_HUB = {"xs:boolean": "BOOLEAN", "xs:int": "INT", "xs:long": "LONG", "xs:double": "DOUBLE",
          "xs:string": "STRING", "xs:dateTime": "TIMESTAMP"}
WIDENED = {"xs:short": "INT", "xs:byte": "INT", "xs:unsignedShort": "INT",
            "xs:unsignedByte": "INT", "xs:unsignedInt": "LONG", "xs:float": "DOUBLE",
            "xs:decimal": "DOUBLE"}
NARROWED = {"xs:integer": "LONG", "xs:unsignedLong": "LONG", "xs:nonNegativeInteger": "LONG",
             "xs:positiveInteger": "LONG", "xs:negativeInteger": "LONG",
             "xs:nonPositiveInteger": "LONG"}
STRING_EXTS = frozenset({"id", "name", "description", "category", "scope", "dataType",
                          "parentTypeId", "aspectTypeId", "inheritedFrom"})
_BASE_KEYS = frozenset({"modelType", "idShort", "extensions", "semanticId", "displayName",
                        "qualifiers", "category"})
_DATA = ("Property", "MultiLanguageProperty", "File")


def ext_map(element: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for ext in element.get("extensions", []):
        name = str(ext.get("name", ""))
        if name.startswith(EXT):
            key, text = name[len(EXT):], ext.get("value", "")
            if key in STRING_EXTS:
                out[key] = text
            else:
                try:
                    out[key] = json.loads(text)
                except ValueError:
                    out[key] = text
    return out


def lang_text(strings: list[dict[str, str]] | None) -> tuple[str | None, bool]:
    if not strings:
        return None, False
    chosen = next((s for s in strings if s.get("language", "").lower().startswith("en")),
                  strings[0])
    return chosen.get("text"), len(strings) > 1


def _is_rename(name: str, short: str) -> bool:
    base = sanitize_id_short(name)
    return short == base or re.fullmatch(re.escape(base) + r"_\d+", short) is not None


def first_key(reference: dict[str, Any] | None) -> str | None:
    keys = (reference or {}).get("keys") or []
    return str(keys[-1].get("value")) if keys else None


def unique_name(name: str, used: set[str], limit: int) -> str:
    out, n = name[:limit], 1
    while out.casefold() in used:
        n += 1
        out = f"{name[:limit - len(str(n)) - 1]}_{n}"
    used.add(out.casefold())
    return out


class HubWriter:
    def __init__(self, env: dict[str, Any], options: ConvertOptions,
                 report: ConversionReport) -> None:
        self.env = env
        self.report = report
        self.tenant = options.extra.get("tenant", "tenant")
        self.ours = derive_id(options.base_iri, "insights-hub", "")
        self.submodels = {s["id"]: s for s in env.get("submodels", [])}
        self.concepts = {c["id"]: c for c in env.get("conceptDescriptions", [])}
        self.bundle = Bundle()
        self.aspect_ids: set[str] = set()

    def lossy(self, code: Code, message: str, target: str, original: str | None = None) -> None:
        self.report.add(code, IssueSeverity.LOSSY, message, target=target, original=original)

    def lost(self, element: dict[str, Any], handled: frozenset[str], target: str) -> None:
        names = [k for k, v in element.items()
                 if k not in _BASE_KEYS and k not in handled and v not in (None, [], {}, "")]
        sem = first_key(element.get("semanticId"))
        if sem is not None and not sem.startswith(self.ours):
            names.append("semanticId")
        display, _ = lang_text(element.get("displayName"))
        if display is not None and not _is_rename(display, str(element.get("idShort", ""))):
            names.append("displayName")
        if any(not str(q.get("type", "")).startswith("insights-hub:")
               for q in element.get("qualifiers", [])):
            names.append("qualifiers")
        if any(not str(e.get("name", "")).startswith(EXT) for e in element.get("extensions", [])):
            names.append("extensions")
        if names:
            self.lossy(Code.DROPPED, f"Insights Hub has no place for "
                                     f"{', '.join(sorted(names))} of this "
                                     f"{element.get('modelType', 'element')}", target)

    def name_of(self, element: dict[str, Any], exts: dict[str, Any]) -> str:
        if isinstance(exts.get("name"), str):
            return str(exts["name"])
        display, _ = lang_text(element.get("displayName"))
        short = str(element.get("idShort", "") or "Element")
        return display if display is not None and _is_rename(display, short) else short

    def description_of(self, element: dict[str, Any], exts: dict[str, Any], target: str
                       ) -> str | None:
        if isinstance(exts.get("description"), str):
            return str(exts["description"])
        text, more = lang_text(element.get("description"))
        if more:
            self.lossy(Code.DROPPED, "only one language of the description is kept", target)
        return text

    # -- aspect types ----------------------------------------------------------------------

    def aspect_type(self, submodel: dict[str, Any], generic_name: str | None = None
                    ) -> AspectType:
        sm_id = submodel["id"]
        exts = ext_map(submodel)
        name = self.name_of(submodel, exts)
        type_id = exts.get("id")
        if type_id is None:
            type_id = f"{self.tenant}.{re.sub(r'[^A-Za-z0-9_]', '_', generic_name or name)}"
            type_id = unique_name(type_id, self.aspect_ids, 128)
            self.report.add(Code.ID_DERIVED, IssueSeverity.INFO,
                            f"aspect type id {type_id!r} derived from the tenant and the "
                            "submodel's idShort", target=sm_id)
        self.aspect_ids.add(type_id.casefold())
        elements = submodel.get("submodelElements", [])
        category = exts.get("category")
        if category not in ("static", "dynamic"):
            category = "dynamic" if any(_categories(elements, "VARIABLE")) else "static"
        self.lost(submodel, frozenset({"id", "submodelElements", "kind", "description"}),
                  sm_id)
        aspect = AspectType(id=type_id, name=re.sub(r"[^A-Za-z0-9_]", "_", name)[:128],
                            category=category, description=self.description_of(
                                submodel, exts, sm_id),
                            scope=exts.get("scope"),
                            extra={k: v for k, v in exts.items() if k not in STRING_EXTS})
        aspect.variables = self.variables(elements, sm_id, category, "", "", set())
        return aspect

    def variables(self, elements: list[dict[str, Any]], sm_id: str, category: str | None,
                  path: str, prefix: str, used: set[str]) -> list[Variable]:
        from omp_models.formats.insights_hub._from_aas_vars import variable

        out: list[Variable] = []
        for index, element in enumerate(elements):
            short = element.get("idShort")
            sub = (f"{path}.{short}" if path else str(short)) if short else f"{path}[{index}]"
            kind = element.get("modelType")
            if kind in ("SubmodelElementCollection", "SubmodelElementList"):
                self.lossy(Code.DROPPED, "Insights Hub variables are flat: the nesting is "
                                         f"flattened into names ({prefix}{short or index}_*)",
                           f"{sm_id}#{sub}")
                self.lost(element, frozenset({"value", "typeValueListElement", "orderRelevant",
                                              "valueTypeListElement", "semanticIdListElement",
                                              "description"}), f"{sm_id}#{sub}")
                out.extend(self.variables(element.get("value", []), sm_id, category, sub,
                                          f"{prefix}{short or index}_", used))
            elif kind in _DATA:
                var = variable(self, element, f"{sm_id}#{sub}", prefix, used, category)
                if var is not None:
                    out.append(var)
            else:
                self.lossy(Code.DROPPED, f"a {kind} has no Insights Hub counterpart; dropped",
                           f"{sm_id}#{sub}")
        return out

    def unit_of(self, element: dict[str, Any]) -> str | None:
        cd = self.concepts.get(first_key(element.get("semanticId")) or "")
        for spec in (cd or {}).get("embeddedDataSpecifications", []):
            content = spec.get("dataSpecificationContent", {})
            if content.get("unit"):
                return str(content["unit"])
            code = str(first_key(content.get("unitId")) or "").rsplit(":", 1)[-1]
            found = units().by_code(code) if code else None
            if found is not None:
                return found.symbol
        return None


def _categories(elements: list[dict[str, Any]], wanted: str) -> list[bool]:
    out = []
    for element in elements:
        if element.get("modelType") in ("SubmodelElementCollection", "SubmodelElementList"):
            out.extend(_categories(element.get("value", []), wanted))
        else:
            out.append(element.get("category") == wanted)
    return out


def write_bundle(env: dict[str, Any], options: ConvertOptions, report: ConversionReport
                 ) -> Bundle:
    """The Insights Hub types of an AAS environment (JSON form)."""
    from omp_models.formats.insights_hub._from_aas_types import asset_type

    writer = HubWriter(env, options, report)
    shells = sorted(env.get("assetAdministrationShells", []), key=lambda s: str(s["id"]))
    referenced = {first_key(r) for s in shells for r in s.get("submodels", [])}
    for sm_id in sorted(writer.submodels):
        if sm_id not in referenced:
            writer.bundle.aspect_types.append(writer.aspect_type(writer.submodels[sm_id]))
    for shell in shells:
        if shell.get("assetInformation", {}).get("assetKind") == "Instance":
            writer.lossy(Code.DROPPED, "Insights Hub types only: a shell of kind Instance (an "
                                       "asset) is not written", shell["id"])
            continue
        writer.bundle.asset_types.append(asset_type(writer, shell))
    _break_cycles(writer)
    for cd_id in sorted(writer.concepts):
        if not cd_id.startswith(writer.ours):
            writer.lossy(Code.DROPPED, "Insights Hub has no concept descriptions; only units "
                                       "are carried (in the variables)", cd_id)
    return writer.bundle


def _break_cycles(writer: HubWriter) -> None:
    """Parents made from ``derivedFrom`` chains must not loop (Insights Hub refuses it)."""
    parents = {t.id: t.parent_type_id for t in writer.bundle.asset_types}
    for asset in writer.bundle.asset_types:
        seen = {asset.id}
        current = asset.parent_type_id
        while current in parents:
            if current in seen:
                writer.lossy(Code.DROPPED, f"the parent {asset.parent_type_id!r} would make the "
                                           "parent types cyclic; core.basicasset is used",
                             asset.id)
                asset.parent_type_id = "core.basicasset"
                parents[asset.id] = asset.parent_type_id
                break
            seen.add(current)
            current = parents[current]


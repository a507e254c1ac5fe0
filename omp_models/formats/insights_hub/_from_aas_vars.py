"""One AAS data element -> one Insights Hub variable."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from omp_models.formats._report import Code
from omp_models.formats.insights_hub._from_aas import (
    NARROWED,
    STRING_EXTS,
    TO_HUB,
    WIDENED,
    ext_map,
    lang_text,
    unique_name,
)
from omp_models.formats.insights_hub._ir import Variable

if TYPE_CHECKING:
    from omp_models.formats.insights_hub._from_aas import HubWriter

__all__ = ["variable"]

_CATEGORY = {"static": "PARAMETER", "dynamic": "VARIABLE"}


def _data_type(writer: HubWriter, element: dict[str, Any], exts: dict[str, Any],
               target: str) -> str:
    if exts.get("dataType") == "BIG_STRING":
        return "BIG_STRING"
    if element.get("modelType") != "Property":
        return "STRING"
    value_type = str(element.get("valueType", "xs:string"))
    if value_type in TO_HUB:
        return TO_HUB[value_type]
    if value_type in WIDENED:
        writer.lossy(Code.TYPE_WIDENED, f"{value_type} became {WIDENED[value_type]}",
                     target, value_type)
        return WIDENED[value_type]
    if value_type in NARROWED:
        writer.lossy(Code.TYPE_NARROWED, f"{value_type} became the 64-bit LONG", target,
                     value_type)
        return NARROWED[value_type]
    writer.lossy(Code.TYPE_WIDENED, f"{value_type} has no Insights Hub data type; it became "
                                    "STRING", target, value_type)
    return "STRING"


def _qualifiers(element: dict[str, Any]) -> dict[str, str]:
    return {str(q["type"])[len("insights-hub:"):]: str(q.get("value", ""))
            for q in element.get("qualifiers", [])
            if str(q.get("type", "")).startswith("insights-hub:")}


def _flag(text: str | None) -> bool | None:
    return None if text is None else text in ("true", "1")


def variable(writer: HubWriter, element: dict[str, Any], target: str, prefix: str,
             used: set[str], category: str | None) -> Variable | None:
    """The variable for ``element`` (a Property, MultiLanguageProperty or File)."""
    exts = ext_map(element)
    kind = element.get("modelType")
    raw_name = prefix + writer.name_of(element, exts)
    clean = re.sub(r"[^A-Za-z0-9_]", "_", raw_name)
    name = unique_name(clean, used, 64)
    if name != raw_name and not prefix:
        writer.lossy(Code.ID_ESCAPED, f"the name {raw_name!r} became {name!r} (Insights Hub "
                                      "variable names: letters, digits, _; at most 64)",
                     target, raw_name)
    quals = _qualifiers(element)
    length = quals.get("length")
    var = Variable(name=name, data_type=_data_type(writer, element, exts, target),
                   unit=writer.unit_of(element), searchable=_flag(quals.get("searchable")),
                   quality_code=_flag(quals.get("qualityCode")),
                   length=int(length) if length and length.isdigit() else None,
                   extra={k: v for k, v in exts.items()
                          if k not in STRING_EXTS and k != "defaultValue"})
    writer.lost(element, frozenset({"value", "valueType", "contentType"}), target)
    if kind == "MultiLanguageProperty":
        text, more = lang_text(element.get("value"))
        writer.lossy(Code.DROPPED, "a MultiLanguageProperty becomes a STRING variable"
                     + (" holding one language" if more else ""), target)
        value: Any = text
    elif kind == "File":
        writer.lossy(Code.DROPPED, "a File becomes a STRING variable holding its path "
                                   "(contentType is not kept)", target)
        value = element.get("value")
    else:
        value = element.get("value")
    if "defaultValue" in exts:
        value = exts["defaultValue"]
    if value is not None:
        var.default_value = value
    wanted = _CATEGORY.get(category or "")
    if wanted and element.get("category") not in (None, wanted) and kind == "Property":
        writer.lossy(Code.DROPPED, f"category {element.get('category')} is read back as "
                                   f"{wanted} (the aspect's category)", target)
    return var

"""What a mapping rule did, counted over the payload and reported once per rule.

A telemetry payload can hold thousands of values per rule; the report gets one entry per
rule and kind (converted, transformed, missing, renamed...), located at the rule in the
mapping file, instead of one per value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from omp_models.formats._aasjson import SEMANTIC_ID_MISSING, UNIT_CONVERTED, VALUE_NORMALISED
from omp_models.formats._report import Code, IssueSeverity
from omp_models.formats.mapping._spec import Rule, YamlPath

__all__ = ["MAX_ERRORS_PER_RULE", "Stats", "collect_rules", "summarise"]

#: Value problems reported per rule before the rest are only counted.
MAX_ERRORS_PER_RULE = 5

#: ``(code, severity, message, where, *, key=..., target=...)`` -> report entry.
AtRule = Callable[..., None]


@dataclass
class Stats:
    """Counters of one rule."""

    seen: int = 0
    missing: int = 0
    converted: int = 0
    transformed: int = 0
    changed: int = 0
    mapped: int = 0
    commas: int = 0
    renamed: list[tuple[str, str]] = field(default_factory=list)
    errors: int = 0
    no_semantic: bool = False
    target: str = ""


def collect_rules(rules: list[Rule], out: dict[YamlPath, Rule]) -> None:
    """Every rule (items and children included) by its place in the mapping file."""
    for rule in rules:
        out[rule.where] = rule
        if rule.item is not None:
            collect_rules([rule.item], out)
        collect_rules(rule.children, out)


def summarise(rule: Rule, stats: Stats, at_rule: AtRule) -> None:
    """Report what ``rule`` did (one entry per kind of thing it did)."""
    target = stats.target
    info = IssueSeverity.INFO
    if stats.errors > MAX_ERRORS_PER_RULE:
        at_rule(Code.VALUE_UNCONVERTIBLE, IssueSeverity.ERROR,
                f"{stats.errors - MAX_ERRORS_PER_RULE} more values of this rule could not be "
                "used", rule.where, target=target)
    if stats.missing:
        at_rule(Code.DEFAULTED, info,
                f"{stats.missing} of {stats.seen} values were missing in the payload: those "
                "elements have no value", rule.where, target=target)
    if stats.converted and rule.convert is not None:
        at_rule(UNIT_CONVERTED, info,
                f"converted {stats.converted} values ({rule.convert.describe()})",
                (*rule.where, "convert"), key=True, target=target)
    if stats.transformed and rule.transform:
        code = {"round": Code.TYPE_NARROWED, "string": Code.TYPE_WIDENED}.get(
            rule.transform, VALUE_NORMALISED)
        lossy = rule.transform == "round" and stats.changed
        at_rule(code, IssueSeverity.LOSSY if lossy else info,
                f"{rule.transform}: {stats.transformed} values ({stats.changed} changed)",
                (*rule.where, "transform"), key=True, target=target)
    if stats.mapped:
        at_rule(VALUE_NORMALISED, info, f"replaced {stats.mapped} values by the rule's map",
                (*rule.where, "map"), key=True, target=target)
    if stats.commas:
        at_rule(VALUE_NORMALISED, info,
                f"read {stats.commas} numbers written with a decimal comma", rule.where,
                target=target)
    if stats.renamed:
        first, made = stats.renamed[0]
        at_rule(Code.IDSHORT_RENAMED, info,
                f"{len(stats.renamed)} idShorts were renamed to be valid and unique (first: "
                f"{first!r} -> {made!r})", (*rule.where, "idShort"), key=True, target=target)
    if stats.no_semantic:
        at_rule(SEMANTIC_ID_MISSING, info, "the rule gives no semanticId", rule.where,
                target=target)

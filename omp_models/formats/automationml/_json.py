"""Small builders for the AAS JSON form, and the reading context of the AML reader."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from omp_models.formats._registry import ConvertOptions
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.automationml._caex import line_of, xml_path

__all__ = ["FORMAT", "IEC61360", "Context", "Json", "Keys", "extension", "external_ref",
           "model_ref"]

FORMAT = "aml"
IEC61360 = "https://admin-shell.io/DataSpecificationTemplates/DataSpecificationIEC61360/3/0"

Json = dict[str, Any]
Keys = list[tuple[str, str]]


def external_ref(value: str) -> Json:
    """An ExternalReference with one GlobalReference key."""
    return {"type": "ExternalReference", "keys": [{"type": "GlobalReference", "value": value}]}


def model_ref(keys: Keys) -> Json:
    """A ModelReference from (type, value) keys."""
    return {"type": "ModelReference", "keys": [{"type": t, "value": v} for t, v in keys]}


def extension(name: str, value: str) -> Json:
    """A preserved source attribute (``src:aml:<name>``; the JSON form of ``ids.preserve``)."""
    return {"name": f"src:{FORMAT}:{name}", "valueType": "xs:string", "value": value}


@dataclass
class Context:
    """One AML -> AAS conversion: options, report, aggregated preservation counts."""

    source: str
    options: ConvertOptions
    report: ConversionReport
    _preserved: Counter[str] = field(default_factory=Counter)
    _preserved_at: dict[str, str] = field(default_factory=dict)
    _once: set[str] = field(default_factory=set)

    def issue(self, code: Code, severity: IssueSeverity, message: str,
              el: etree._Element | None = None, *, target: str | None = None,
              original: str | None = None) -> None:
        """Report an issue located at a source element."""
        self.report.add(code, severity, message, source=xml_path(el) if el is not None else None,
                        target=target, original=original, file=self.source,
                        line=line_of(el))

    def once(self, key: str, code: Code, severity: IssueSeverity, message: str,
             el: etree._Element | None = None, *, target: str | None = None,
             original: str | None = None) -> None:
        """Report an issue only the first time ``key`` is seen."""
        if key not in self._once:
            self._once.add(key)
            self.issue(code, severity, message, el, target=target, original=original)

    def preserve(self, element: Json, name: str, value: str, el: etree._Element) -> None:
        """Keep a source attribute as an Extension (names unique per element)."""
        existing = {e["name"] for e in element.get("extensions", [])}
        candidate, n = name, 1
        while f"src:{FORMAT}:{candidate}" in existing:
            n += 1
            candidate = f"{name}.{n}"
        element.setdefault("extensions", []).append(extension(candidate, value))
        self._preserved[name] += 1
        self._preserved_at.setdefault(name, xml_path(el))

    def flush(self) -> None:
        """One PRESERVED_AS_EXTENSION entry per preserved attribute name."""
        for name in sorted(self._preserved):
            self.report.add(
                Code.PRESERVED_AS_EXTENSION, IssueSeverity.PRESERVED,
                f"{self._preserved[name]} value(s) of {name!r} kept as Extension "
                f"src:{FORMAT}:{name}", source=self._preserved_at[name], file=self.source)

"""AWS IoT SiteWise: bulk metadata-transfer JSON <-> AAS, for types and instances.

Reading: asset models become shells of kind Type with one submodel template (properties,
composite models, hierarchies) and ConceptDescriptions carrying names, data types and units;
assets become shells of kind Instance ``derivedFrom`` their model's shell, with the asset's
attribute values, aliases and child assets. Transform and metric expressions are carried as
opaque text (``EXPRESSION_OPAQUE``); SiteWise attributes with no AAS home are kept as
Extensions ``src:sitewise:*``, so writing the AAS back gives the same SiteWise document.

Writing: any AAS environment becomes a metadata-transfer document; what SiteWise cannot
hold is reported element by element. Format-specific option: ``unknown-units=error`` makes a
unit without a UNECE Rec 20 code an error instead of a lossy entry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import orjson

from omp_models.aas.io import (
    AasEnvironment,
    AasReadError,
    environment_from_jsonable,
    environment_to_jsonable,
)
from omp_models.formats._registry import ConvertOptions, Source
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.limits import Limits

# The mapping machinery is imported when a document is read or written: every
# `omp convert` builds the format registry, which imports this package.
if TYPE_CHECKING:
    from omp_models.formats.sitewise._ir import Document

__all__ = ["FORMATS", "SiteWiseFormat"]

_HINTS = ('"assetModels"', '"assetModelExternalId"', '"assetModelName"', '"assetName"',
          '"assetExternalId"', '"iotSiteWiseConfiguration"')


def _empty() -> AasEnvironment:
    from basyx.aas.model import DictIdentifiableStore

    return AasEnvironment(store=DictIdentifiableStore())


def parse(data: bytes, name: str, report: ConversionReport) -> Document | None:
    """Parse and check a metadata-transfer document; problems go to ``report``."""
    from omp_models.formats.sitewise._common import Issues
    from omp_models.formats.sitewise._parse import parse_document

    issues = Issues()
    if len(data) > Limits().max_file_size:
        report.add(Code.INVALID_INPUT, IssueSeverity.ERROR,
                   f"the file is larger than {Limits().max_file_size} bytes", file=name)
        return None
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, f"not JSON: {exc.msg}", file=name,
                   line=exc.lineno, column=exc.colno)
        return None
    doc = parse_document(value, issues)
    issues.flush(report, name, data)
    return doc if not report.has_errors else None


class SiteWiseFormat:
    """AWS IoT SiteWise bulk metadata-transfer JSON (asset models and assets)."""

    name: ClassVar[str] = "sitewise"
    title: ClassVar[str] = "AWS IoT SiteWise metadata-transfer JSON (asset models, assets)"
    patterns: ClassVar[tuple[str, ...]] = ("*.json",)
    can_read: ClassVar[bool] = True
    can_write: ClassVar[bool] = True
    extension: ClassVar[str] = ".json"

    def sniff(self, name: str, head: bytes) -> bool:
        """A JSON object with SiteWise keys (and no AAS ``modelType``)."""
        text = head[:8192].decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
        return text.startswith("{") and '"modelType"' not in text and any(
            hint in text for hint in _HINTS)

    def read(self, source: Source, options: ConvertOptions
             ) -> tuple[AasEnvironment, ConversionReport]:
        """Convert a metadata-transfer document into an AAS environment."""
        from omp_models.formats.sitewise._common import Issues
        from omp_models.formats.sitewise._to_aas import Mapper

        report = ConversionReport(source_format=self.name)
        doc = parse(source.data, source.name, report)
        if doc is None:
            return _empty(), report
        issues = Issues()
        for key in sorted(doc.extra):
            issues.add(Code.DROPPED, IssueSeverity.LOSSY,
                       f"the top-level key {key!r} is not part of a metadata-transfer "
                       "document; dropped", pointer="/" + key)
        jsonable = Mapper(doc, options, issues).environment()
        issues.flush(report, source.name, source.data)
        report.meta["sitewise"] = {"assetModels": len(doc.models), "assets": len(doc.assets)}
        if report.has_errors:
            return _empty(), report
        try:
            env = environment_from_jsonable(jsonable)
        except AasReadError as exc:  # a mapping bug must not pass silently
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, str(exc), file=source.name)
            return _empty(), report
        return env, report

    def write(self, env: AasEnvironment, options: ConvertOptions
              ) -> tuple[bytes, ConversionReport]:
        """Write an AAS environment as a metadata-transfer document."""
        from omp_models.formats.sitewise._from_aas_assets import write_document
        from omp_models.formats.sitewise._ir import document_to_json

        report = ConversionReport(target_format=self.name)
        doc = write_document(environment_to_jsonable(env), options, report)
        data = orjson.dumps(document_to_json(doc), option=orjson.OPT_INDENT_2) + b"\n"
        check = ConversionReport()
        parse(data, "(written)", check)
        for issue in check.issues:
            if issue.severity is IssueSeverity.ERROR:
                report.add(Code.INVALID_INPUT, IssueSeverity.ERROR,
                           f"the SiteWise document would be invalid: {issue.message}",
                           target=issue.source)
        return data, report


#: The formats this package provides (found by the registry).
FORMATS = (SiteWiseFormat,)

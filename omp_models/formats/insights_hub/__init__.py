"""Siemens Insights Hub (MindSphere) asset types and aspect types <-> AAS, at type level.

Reading: an aspect type becomes a submodel template (variables -> Properties; static ->
PARAMETER with default values, dynamic -> VARIABLE; units in ConceptDescriptions); an asset
type becomes a shell of kind Type with a ``Variables`` submodel and one submodel per aspect,
its parent chain (``parentTypeId``) flattened into it. Referenced types are found in the
document, in the JSON files of the search paths (default: the input's folder), or among the
platform's basic types.

Writing: ``{"aspectTypes": [...], "assetTypes": [...]}``; shells read from Insights Hub are
written back as they were, other shells become asset types with aspect types made from their
submodels. Options: ``tenant=NAME`` (prefix of derived type ids; default ``tenant``),
``unknown-units=error``.
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
    from omp_models.formats.insights_hub._ir import Bundle

__all__ = ["FORMATS", "InsightsHubFormat"]

_HINTS = ('"aspectTypeId"', '"parentTypeId"', '"aspectTypes"', '"assetTypes"')


def _empty() -> AasEnvironment:
    from basyx.aas.model import DictIdentifiableStore

    return AasEnvironment(store=DictIdentifiableStore())


def parse(data: bytes, name: str, report: ConversionReport, tenant: str | None
          ) -> Bundle | None:
    """Parse and check a type document; problems go to ``report``."""
    from omp_models.formats.insights_hub._common import Issues
    from omp_models.formats.insights_hub._parse import parse_bundle

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
    issues = Issues()
    bundle = parse_bundle(value, issues, tenant)
    issues.flush(report, name, data)
    return None if report.has_errors else bundle


class InsightsHubFormat:
    """Siemens Insights Hub asset types and aspect types (Asset Management API JSON)."""

    name: ClassVar[str] = "insights-hub"
    title: ClassVar[str] = "Siemens Insights Hub asset types and aspect types (JSON)"
    patterns: ClassVar[tuple[str, ...]] = ("*.json",)
    can_read: ClassVar[bool] = True
    can_write: ClassVar[bool] = True
    extension: ClassVar[str] = ".json"

    def sniff(self, name: str, head: bytes) -> bool:
        """JSON with Insights Hub type keys.

        An aspect type has ``category`` and variables with ``dataType``; an asset type has
        ``parentTypeId`` or ``aspects``.
        """
        text = head[:8192].decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
        if not text.startswith(("{", "[")) or '"modelType"' in text:
            return False
        if any(hint in text for hint in _HINTS):
            return True
        return '"category"' in text and '"dataType"' in text and '"variables"' in text

    def read(self, source: Source, options: ConvertOptions
             ) -> tuple[AasEnvironment, ConversionReport]:
        """Convert asset types and aspect types into an AAS environment."""
        from omp_models.formats.insights_hub._common import Issues
        from omp_models.formats.insights_hub._resolve import Library
        from omp_models.formats.insights_hub._to_aas import Mapper

        report = ConversionReport(source_format=self.name)
        bundle = parse(source.data, source.name, report, options.extra.get("tenant"))
        if bundle is None:
            return _empty(), report
        issues = Issues()
        library = Library(bundle, options.search_paths, source.path)
        jsonable = Mapper(bundle, library, options, issues).environment()
        issues.flush(report, source.name, source.data)
        report.meta["insightsHub"] = {"aspectTypes": len(bundle.aspect_types),
                                      "assetTypes": len(bundle.asset_types),
                                      "resolvedFromSearchPaths": dict(sorted(
                                          library.external.items()))}
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
        """Write the asset types and aspect types of an AAS environment."""
        from omp_models.formats.insights_hub._from_aas import write_bundle
        from omp_models.formats.insights_hub._ir import bundle_to_json

        report = ConversionReport(target_format=self.name)
        bundle = write_bundle(environment_to_jsonable(env), options, report)
        data = orjson.dumps(bundle_to_json(bundle), option=orjson.OPT_INDENT_2) + b"\n"
        check = ConversionReport()
        parse(data, "(written)", check, None)
        for issue in check.issues:
            if issue.severity is IssueSeverity.ERROR:
                report.add(Code.INVALID_INPUT, IssueSeverity.ERROR,
                           f"the Insights Hub document would be invalid: {issue.message}",
                           target=issue.source)
        return data, report


#: The formats this package provides (found by the registry).
FORMATS = (InsightsHubFormat,)

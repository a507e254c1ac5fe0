"""AAS in RDF: ``aas-turtle`` and ``aas-jsonld`` (the official RDF mapping, 3.0 and 3.1).

Both formats hold the same triples (:mod:`omp_models.rdf`): ``omp convert env.json --to
aas-turtle`` writes them, and reading either gives the environment back. Writing produces
the namespace of ``--aas-version`` (``https://admin-shell.io/aas/3/0/`` or ``…/3/1/``) and
refuses content that version cannot hold, like the other AAS formats. Reading reports every
triple outside the mapping (dropped), every literal read as another type, and every node
that could not be read; the content is then checked by aas-core as any AAS document is.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar

import orjson

from omp_models.aas._core import engine
from omp_models.aas._paths import tokens_from_core_path
from omp_models.aas.io import (
    AasEnvironment,
    AasReadError,
    environment_from_jsonable,
    environment_to_jsonable,
    serialize_environment,
)
from omp_models.formats._registry import ConvertOptions, Source
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.limits import Limits
from omp_models.locate import pointer_from_tokens

if TYPE_CHECKING:  # rdflib is imported when an RDF file is read or written, not on lookup
    from omp_models.rdf import RdfIssue, RdfSyntax

__all__ = ["FORMATS", "AasJsonLdFormat", "AasTurtleFormat"]

_ISSUES: dict[str, tuple[Code, IssueSeverity]] = {
    "invalid": (Code.INVALID_INPUT, IssueSeverity.ERROR),
    "dropped": (Code.DROPPED, IssueSeverity.LOSSY),
    "defaulted": (Code.DEFAULTED, IssueSeverity.INFO),
    "retyped": (Code.TYPE_WIDENED, IssueSeverity.INFO),
}


def _empty() -> AasEnvironment:
    from basyx.aas.model import DictIdentifiableStore

    return AasEnvironment(store=DictIdentifiableStore())


def _add(report: ConversionReport, issue: RdfIssue, file: str) -> None:
    code, severity = _ISSUES[issue.kind]
    report.add(code, severity, issue.message, source=issue.source, target=issue.target,
               file=file)


class _AasRdf(ABC):
    can_read: ClassVar[bool] = True
    can_write: ClassVar[bool] = True
    name: ClassVar[str]
    syntax: ClassVar[RdfSyntax]

    def read(self, source: Source, options: ConvertOptions
             ) -> tuple[AasEnvironment, ConversionReport]:
        """Read the environment the triples describe (AAS 3.0 or 3.1 by namespace)."""
        report = ConversionReport(source_format=self.name)
        if len(source.data) > Limits().max_file_size:
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR,
                       f"the file is larger than {Limits().max_file_size} bytes",
                       file=source.name)
            return _empty(), report
        from omp_models.rdf import RdfReadError, read_rdf

        try:
            result = read_rdf(source.data, self.syntax)
        except RdfReadError as exc:
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, str(exc), file=source.name)
            return _empty(), report
        for issue in result.issues:
            _add(report, issue, source.name)
        if not result.ok:
            return _empty(), report
        report.meta.setdefault("sourceVersions", []).append(result.version)
        core = engine(result.version)
        try:
            instance = core.jsonization.environment_from_jsonable(result.jsonable)
        except core.jsonization.DeserializationException as exc:
            pointer = pointer_from_tokens(tokens_from_core_path(exc.path))
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR,
                       f"not an AAS {result.version} environment: {exc.cause}",
                       target=pointer, file=source.name)
            return _empty(), report
        try:
            env = environment_from_jsonable(dict(core.jsonization.to_jsonable(instance)),
                                            result.version)
        except AasReadError as exc:
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, str(exc), file=source.name)
            return _empty(), report
        return env, report

    def write(self, env: AasEnvironment, options: ConvertOptions
              ) -> tuple[bytes, ConversionReport]:
        """Serialise as the RDF mapping of AAS ``options.aas_version``."""
        report = ConversionReport(target_format=self.name)
        result = serialize_environment(environment_to_jsonable(env, copy=False),
                                       options.aas_version, "json",
                                       fast_check=options.fast_check)
        for pointer, message in result.problems:
            report.add(
                Code.VERSION_DOWNGRADE if options.aas_version == "3.0" else Code.INVALID_INPUT,
                IssueSeverity.ERROR, f"not valid AAS {options.aas_version}: {message}",
                target=pointer)
        for path in sorted(env.files):
            report.add(Code.DROPPED, IssueSeverity.LOSSY,
                       f"the supplementary file {path} cannot be carried by RDF "
                       "(convert to aasx to keep it)", target=path)
        if not result.data:
            return b"", report
        jsonable: dict[str, Any] = orjson.loads(result.data)
        from omp_models.rdf import RdfMappingError

        try:
            text = self._serialise(jsonable, options)
        except RdfMappingError as exc:
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, str(exc),
                       target=pointer_from_tokens(exc.tokens))
            return b"", report
        return text.encode("utf-8"), report

    @abstractmethod
    def _serialise(self, jsonable: dict[str, Any], options: ConvertOptions) -> str:
        ...


class AasTurtleFormat(_AasRdf):
    """AAS in RDF as Turtle (IDTA-01001-3-0 RDF mapping; 3.1 in its own namespace)."""

    name: ClassVar[str] = "aas-turtle"
    title: ClassVar[str] = "AAS in RDF, Turtle (official mapping; 3.0, 3.1)"
    patterns: ClassVar[tuple[str, ...]] = ("*.ttl",)
    extension: ClassVar[str] = ".ttl"
    syntax: ClassVar[RdfSyntax] = "turtle"

    def sniff(self, name: str, head: bytes) -> bool:
        """Turtle that uses the AAS 3.x namespace."""
        text = head[:8192].decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
        return not text.startswith(("{", "[", "<?xml")) and (
            "https://admin-shell.io/aas/3/" in text) and ("@prefix" in text or "rdf:type"
                                                          in text or "PREFIX" in text)

    def _serialise(self, jsonable: dict[str, Any], options: ConvertOptions) -> str:
        from omp_models.rdf import to_turtle

        return to_turtle(jsonable, options.aas_version)


class AasJsonLdFormat(_AasRdf):
    """AAS in RDF as JSON-LD (the same triples as ``aas-turtle``)."""

    name: ClassVar[str] = "aas-jsonld"
    title: ClassVar[str] = "AAS in RDF, JSON-LD (official mapping; 3.0, 3.1)"
    patterns: ClassVar[tuple[str, ...]] = ("*.jsonld", "*.json-ld")
    extension: ClassVar[str] = ".jsonld"
    syntax: ClassVar[RdfSyntax] = "json-ld"

    def sniff(self, name: str, head: bytes) -> bool:
        """JSON with an ``@context`` and the AAS 3.x namespace."""
        text = head[:8192].decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
        return text.startswith(("{", "[")) and '"@context"' in text and (
            "https://admin-shell.io/aas/3/" in text)

    def _serialise(self, jsonable: dict[str, Any], options: ConvertOptions) -> str:
        from omp_models.rdf import to_jsonld

        return to_jsonld(jsonable, options.aas_version)


#: The formats this module provides (found by the registry).
FORMATS = (AasTurtleFormat, AasJsonLdFormat)

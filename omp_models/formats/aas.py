"""The AAS formats themselves: ``aas-json``, ``aas-xml`` and ``aasx`` (3.0 and 3.1).

Reading accepts either metamodel version (detected per document); writing produces the
version of ``--aas-version``. This is also the 3.0 <-> 3.1 bridge: ``omp convert x.aasx
--to aasx --aas-version 3.1``. A downgrade reports what 3.0 cannot hold and refuses to
write an invalid document.
"""

from __future__ import annotations

from typing import Any, ClassVar

from omp_models.aas.io import (
    AasEnvironment,
    AasReadError,
    DocKind,
    environment_from_jsonable,
    environment_to_jsonable,
    read_aas_json,
    read_aas_xml,
    serialize_environment,
)
from omp_models.diagnostics import Severity, Where
from omp_models.formats._registry import ConvertOptions, Source
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.limits import Limits

__all__ = ["FORMATS", "AasJsonFormat", "AasXmlFormat", "AasxFormat"]


def _read_document(source: Source, kind: DocKind, report: ConversionReport,
                   member: str | None = None) -> dict[str, Any] | None:
    try:
        if kind == "json":
            jsonable, version = read_aas_json(source.data)
        else:
            jsonable, version = read_aas_xml(source.data)
    except AasReadError as exc:
        where = f"{member}#{exc.path}" if member and exc.path else (member or exc.path)
        report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, str(exc), source=where,
                   file=source.name)
        return None
    report.meta.setdefault("sourceVersions", []).append(version)
    return jsonable


def _to_environment(jsonable: dict[str, Any], source: Source, report: ConversionReport
                    ) -> AasEnvironment | None:
    try:
        return environment_from_jsonable(jsonable)
    except AasReadError as exc:
        report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, str(exc), file=source.name)
        return None


def _empty() -> AasEnvironment:
    return AasEnvironment(jsonable={})


def _serialize(env: AasEnvironment, options: ConvertOptions, kind: DocKind,
               report: ConversionReport) -> bytes:
    result = serialize_environment(environment_to_jsonable(env, copy=False),
                                   options.aas_version, kind, fast_check=options.fast_check,
                                   ordered=env.ordered)
    for pointer, message in result.problems:
        report.add(
            Code.VERSION_DOWNGRADE if options.aas_version == "3.0" else Code.INVALID_INPUT,
            IssueSeverity.ERROR,
            f"not valid AAS {options.aas_version}: {message}",
            target=pointer,
        )
    return result.data


class _AasDocument:
    name: ClassVar[str]
    can_read: ClassVar[bool] = True
    can_write: ClassVar[bool] = True
    kind: ClassVar[DocKind]

    def read(self, source: Source, options: ConvertOptions
             ) -> tuple[AasEnvironment, ConversionReport]:
        """Read an AAS document (3.0 or 3.1) into the object model."""
        report = ConversionReport(source_format=self.name)
        jsonable = _read_document(source, self.kind, report)
        env = _to_environment(jsonable, source, report) if jsonable is not None else None
        return env or _empty(), report

    def write(self, env: AasEnvironment, options: ConvertOptions) -> tuple[bytes, ConversionReport]:
        """Serialise as AAS ``options.aas_version``."""
        report = ConversionReport(target_format=self.name)
        data = _serialize(env, options, self.kind, report)
        for path in sorted(env.files):
            report.add(Code.DROPPED, IssueSeverity.LOSSY,
                       f"the supplementary file {path} cannot be carried by a single "
                       f"{self.kind.upper()} document (convert to aasx to keep it)",
                       target=path)
        return data, report


class AasJsonFormat(_AasDocument):
    """AAS JSON (IDTA-01001 Part 1 JSON serialisation)."""

    name: ClassVar[str] = "aas-json"
    title: ClassVar[str] = "AAS JSON (3.0, 3.1)"
    patterns: ClassVar[tuple[str, ...]] = ("*.json",)
    extension: ClassVar[str] = ".json"
    kind: ClassVar[DocKind] = "json"

    def sniff(self, name: str, head: bytes) -> bool:
        """JSON whose first keys look like an AAS environment or identifiable."""
        text = head[:4096].decode("utf-8", errors="ignore")
        return text.lstrip("\ufeff \t\r\n").startswith("{") and any(
            key in text
            for key in ('"assetAdministrationShells"', '"submodels"', '"conceptDescriptions"',
                        '"modelType"')
        )


class AasXmlFormat(_AasDocument):
    """AAS XML (IDTA-01001 Part 1 XML serialisation)."""

    name: ClassVar[str] = "aas-xml"
    title: ClassVar[str] = "AAS XML (3.0, 3.1)"
    patterns: ClassVar[tuple[str, ...]] = ("*.xml",)
    extension: ClassVar[str] = ".xml"
    kind: ClassVar[DocKind] = "xml"

    def sniff(self, name: str, head: bytes) -> bool:
        """XML in an AAS 3.x namespace."""
        return b"https://admin-shell.io/aas/3/" in head[:4096]


class AasxFormat:
    """AASX packages (IDTA-01005 Part 5) with supplementary files."""

    name: ClassVar[str] = "aasx"
    title: ClassVar[str] = "AASX package (3.0, 3.1)"
    patterns: ClassVar[tuple[str, ...]] = ("*.aasx",)
    extension: ClassVar[str] = ".aasx"
    can_read: ClassVar[bool] = True
    can_write: ClassVar[bool] = True

    def sniff(self, name: str, head: bytes) -> bool:
        """A zip archive named ``.aasx``."""
        return head.startswith(b"PK\x03\x04") and name.lower().endswith(".aasx")

    def read(self, source: Source, options: ConvertOptions
             ) -> tuple[AasEnvironment, ConversionReport]:
        """Read every spec part (merged) and the files their File elements name."""
        from omp_models.aas.package import read_package

        report = ConversionReport(source_format=self.name)
        content = read_package(source.data, Where(source.name), Limits())
        for finding in content.findings:
            if finding.severity is Severity.ERROR:
                report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, finding.message,
                           source=finding.location.member, file=source.name)
        merged: dict[str, list[Any]] = {}
        files: dict[str, tuple[bytes, str]] = {}
        for member, kind, data in content.spec_parts:
            part = Source(f"{source.name}!{member}", data)
            jsonable = _read_document(part, kind, report, member)
            if jsonable is None:
                continue
            for key, items in jsonable.items():
                merged.setdefault(key, []).extend(items)
            for value in _file_values(jsonable):
                found = content.read_file(member, value)
                if found is None:
                    report.add(Code.DROPPED, IssueSeverity.LOSSY,
                               f"the File value {value!r} names no file in the package",
                               source=f"{member}", file=source.name)
                else:
                    files["/" + found[0]] = (found[1], "application/octet-stream")
        if not content.spec_parts and not report.has_errors:
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR,
                       "the package has no AAS spec part", file=source.name)
        env = _to_environment(merged, source, report) if merged else None
        result = env or _empty()
        result.files = files
        return result, report

    def write(self, env: AasEnvironment, options: ConvertOptions) -> tuple[bytes, ConversionReport]:
        """A package with one XML spec part and the supplementary files."""
        from omp_models.aas.package import write_package

        report = ConversionReport(target_format=self.name)
        spec = _serialize(env, options, "xml", report)
        return write_package("data.xml", spec, dict(sorted(env.files.items()))), report


def _file_values(jsonable: Any) -> list[str]:
    """Values of File elements that look like package paths (not URLs)."""
    out: list[str] = []
    stack = [jsonable]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            value = current.get("value")
            if current.get("modelType") == "File" and isinstance(value, str) and value and (
                    "://" not in value):
                out.append(value)
            stack.extend(v for v in current.values() if isinstance(v, dict | list))
        elif isinstance(current, list):
            stack.extend(v for v in current if isinstance(v, dict | list))
    return sorted(set(out))


#: The formats this module provides (found by the registry).
FORMATS = (AasJsonFormat, AasXmlFormat, AasxFormat)

"""AutomationML (CAEX 2.15 and 3.0) <-> AAS.

Reading: AML written in the AAS-in-AML profile (``omp convert x.json --to aml``) is read
back exactly; any other AML is read with the general mapping (instance hierarchies ->
Entities, attributes with types and units -> Properties, class libraries -> submodel
templates with inheritance resolved, interfaces and InternalLinks -> relationships,
external data references -> File elements). Inputs are checked against the bundled CAEX
schemas; violations are located ``INVALID_INPUT`` entries (``--option schema=error`` makes
them fatal, ``schema=off`` skips the check), a document that is not well-formed is an error
with its line and column. Writing always produces the profile (CAEX 3.0). The mapping
tables are in docs/formats/automationml.md.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from omp_models.aas.io import (
    AasEnvironment,
    AasReadError,
    environment_from_jsonable,
    environment_to_jsonable,
)
from omp_models.formats._registry import ConvertOptions, Source
from omp_models.formats._report import Code, ConversionReport, IssueSeverity

if TYPE_CHECKING:  # the CAEX machinery is imported when AML is read or written
    from omp_models.formats.automationml._json import Context, Json

#: The format's name (also ``_json.FORMAT``).
FORMAT = "aml"

__all__ = ["FORMATS", "AmlFormat"]

_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?CAEXFile[\s/>]")
#: Schema violations reported per document (the rest are counted).
MAX_VIOLATIONS = 50


class AmlFormat:
    """AutomationML files (``.aml``, CAEX 2.15 / 3.0)."""

    name: ClassVar[str] = "aml"
    title: ClassVar[str] = "AutomationML (CAEX 2.15, 3.0)"
    patterns: ClassVar[tuple[str, ...]] = ("*.aml",)
    can_read: ClassVar[bool] = True
    can_write: ClassVar[bool] = True
    extension: ClassVar[str] = ".aml"

    def sniff(self, name: str, head: bytes) -> bool:
        """An XML document whose root is ``CAEXFile``."""
        return bool(_ROOT.search(head[:8192]))

    def read(self, source: Source, options: ConvertOptions
             ) -> tuple[AasEnvironment, ConversionReport]:
        """Read an AML file (profile documents exactly, other AML by the general mapping)."""
        from omp_models.formats.automationml._caex import caex_version, parse_caex
        from omp_models.formats.automationml._classes import ClassIndex
        from omp_models.formats.automationml._general import read_general
        from omp_models.formats.automationml._json import Context
        from omp_models.formats.automationml._profile import is_profile, read_profile

        report = ConversionReport(source_format=FORMAT)
        ctx = Context(source.name, options, report)
        root, error = parse_caex(source.data)
        if root is None:
            assert error is not None
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, error.message,
                       file=source.name, line=error.line, column=error.column)
            return _empty(), report
        version = caex_version(root)
        report.meta["caexVersion"] = version
        _check_schema(root, version, ctx)
        if report.has_errors:
            return _empty(), report
        env: Json
        if is_profile(root):
            report.meta["profile"] = "aas-in-aml"
            env = read_profile(root, report, source.name)
        else:
            report.meta["profile"] = "general"
            folder = Path(source.path).parent if source.path else None
            index = ClassIndex.build(root, ctx, folder)
            file_key = root.get("FileName") or PurePath(source.name).name
            env = read_general(root, ctx, index, file_key)
            ctx.flush()
        env = {k: v for k, v in _prune(env).items() if v}
        try:
            return environment_from_jsonable(env), report
        except AasReadError as exc:
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, str(exc), file=source.name)
            return _empty(), report

    def write(self, env: AasEnvironment, options: ConvertOptions
              ) -> tuple[bytes, ConversionReport]:
        """Write the environment in the AAS-in-AML profile (CAEX 3.0)."""
        from importlib.metadata import PackageNotFoundError, version

        from omp_models.formats.automationml._profile import write_profile

        report = ConversionReport(target_format=FORMAT)
        try:
            origin = version("omp-toolkit")
        except PackageNotFoundError:
            origin = "0"
        name = options.extra.get("file-name", "aas-environment.aml")
        data = write_profile(environment_to_jsonable(env), name, origin)
        for path in sorted(env.files):
            report.add(Code.DROPPED, IssueSeverity.LOSSY,
                       f"the supplementary file {path} cannot be carried by an AML document "
                       "(convert to aasx to keep it)", target=path)
        return data, report


def _check_schema(root: object, version: str, ctx: Context) -> None:
    from lxml import etree

    from omp_models.formats.automationml._caex import validate_caex

    assert isinstance(root, etree._Element)
    mode = ctx.options.extra.get("schema", "warn")
    if mode not in ("warn", "error", "off"):
        ctx.report.add(Code.DEFAULTED, IssueSeverity.INFO,
                       f"--option schema={mode} is not warn, error or off; warn is used",
                       file=ctx.source)
        mode = "warn"
    if mode == "off":
        return
    violations = validate_caex(root, version)
    severity = IssueSeverity.ERROR if mode == "error" else IssueSeverity.LOSSY
    for violation in violations[:MAX_VIOLATIONS]:
        message = re.sub(r"\{[^}]*\}", "", violation.message)
        ctx.report.add(Code.INVALID_INPUT, severity,
                       f"not valid against CAEX {version}: {message}", file=ctx.source,
                       line=violation.line, column=violation.column)
    if len(violations) > MAX_VIOLATIONS:
        ctx.report.add(Code.INVALID_INPUT, severity,
                       f"{len(violations) - MAX_VIOLATIONS} more schema violation(s) not listed",
                       file=ctx.source)


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if not (isinstance(v, list) and not v)}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def _empty() -> AasEnvironment:
    from basyx.aas.model import DictIdentifiableStore

    return AasEnvironment(store=DictIdentifiableStore())


#: The formats this package provides (found by the registry).
FORMATS = (AmlFormat,)

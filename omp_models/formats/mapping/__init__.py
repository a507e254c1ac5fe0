"""Declarative OEM mappings: an OEM's own JSON, JSON Lines or CSV payload -> submodels.

A YAML mapping file (schema: ``mapping.schema.json`` beside this module, reference:
``docs/formats/mapping.md``) says where each value of a submodel of a chosen template is
in the payload (JSON Pointer, a JSONPath-like selector or a CSV column), which unit and
value type it has, which explicit conversions apply, and which values are constants::

    omp convert line.jsonl --from mapping --option mapping=line.yaml --to aas-json

Every problem in the mapping file is located in it (line and column); problems with
values are located in the payload. Nothing is written after an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from omp_models.aas.io import AasEnvironment, AasReadError, environment_from_jsonable
from omp_models.formats._registry import ConvertOptions, Source
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.limits import Limits

if TYPE_CHECKING:  # the mapping machinery is imported when a mapping is used
    from omp_models.formats.mapping._spec import Mapping

__all__ = ["FORMATS", "MappingFormat", "load_mapping", "mapping_schema"]

_KINDS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "csv"}


def _empty() -> AasEnvironment:
    from basyx.aas.model import DictIdentifiableStore

    return AasEnvironment(store=DictIdentifiableStore())


def _find(spec: str, options: ConvertOptions) -> Path | None:
    path = Path(spec)
    if path.is_file():
        return path
    for folder in options.search_paths:
        candidate = Path(folder) / spec
        if candidate.is_file():
            return candidate
    return None


def mapping_schema() -> dict[str, Any]:
    """The JSON Schema of mapping files (package data ``mapping.schema.json``)."""
    from omp_models.formats.mapping._spec import mapping_schema as schema

    return schema()


def load_mapping(spec: str, options: ConvertOptions, report: ConversionReport
                 ) -> Mapping | None:
    """Read, check and compile a mapping file; every problem goes into ``report``.

    Args:
        spec: The file as the user named it (found as given, else in the search paths).
        options: The conversion options (search paths).
        report: Where problems go, located at line and column of the mapping file.
    """
    from omp_models.formats.mapping._spec import compile_mapping
    from omp_models.formats.mapping._yaml import YamlError, load_located

    path = _find(spec, options)
    if path is None:
        report.add(Code.INVALID_INPUT, IssueSeverity.ERROR,
                   f"the mapping file {spec!r} does not exist", file=spec)
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        report.add(Code.INVALID_INPUT, IssueSeverity.ERROR,
                   f"cannot read the mapping file: {exc}", file=spec)
        return None
    try:
        located = load_located(text)
    except YamlError as exc:
        report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, str(exc), file=spec,
                   line=exc.line, column=exc.column)
        return None
    mapping, errors = compile_mapping(located, spec)
    for error in errors:
        line, column = located.at(error.where, key=error.key)
        report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, f"mapping file: {error.message}",
                   source="/" + "/".join(map(str, error.where)), file=spec, line=line,
                   column=column)
    return mapping


class MappingFormat:
    """An OEM payload read through a YAML mapping file (``--option mapping=FILE``)."""

    name: ClassVar[str] = "mapping"
    title: ClassVar[str] = "OEM payload (JSON, JSON Lines, CSV) through a YAML mapping file"
    patterns: ClassVar[tuple[str, ...]] = ("*.json", "*.jsonl", "*.ndjson", "*.csv")
    can_read: ClassVar[bool] = True
    can_write: ClassVar[bool] = False
    extension: ClassVar[str] = ".json"

    def sniff(self, name: str, head: bytes) -> bool:
        """Never: a payload is only a mapping input when the user names the mapping."""
        return False

    def read(self, source: Source, options: ConvertOptions
             ) -> tuple[AasEnvironment, ConversionReport]:
        """Apply the mapping file of ``options.extra["mapping"]`` to the payload."""
        report = ConversionReport(source_format=self.name)
        spec = options.extra.get("mapping")
        if not spec:
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR,
                       "the mapping format needs a mapping file: --option mapping=FILE",
                       file=source.name)
            return _empty(), report
        mapping = load_mapping(spec, options, report)
        if mapping is None:
            return _empty(), report
        report.meta["mapping"] = mapping.name
        kind = mapping.source.get("format") or _KINDS.get(Path(source.name).suffix.lower(),
                                                          "json")
        from omp_models.formats.mapping._build import Builder
        from omp_models.formats.mapping._payload import PayloadError, read_payload

        try:
            payload = read_payload(source.data, kind, mapping.source, Limits())
        except PayloadError as exc:
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, f"payload ({kind}): {exc}",
                       source=exc.source, file=source.name, line=exc.line, column=exc.column)
            return _empty(), report
        jsonable = Builder(mapping, payload, source.name, options, report).run()
        if report.has_errors:
            return _empty(), report
        try:
            return environment_from_jsonable(jsonable), report
        except AasReadError as exc:
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, str(exc), file=source.name)
            return _empty(), report

    def write(self, env: AasEnvironment, options: ConvertOptions
              ) -> tuple[bytes, ConversionReport]:
        """Not supported: mappings read payloads only."""
        raise NotImplementedError("the mapping format cannot be written")


#: The formats this package provides (found by the registry).
FORMATS = (MappingFormat,)

"""Tables: CSV and Excel (XLSX) as a projection of submodels, and back.

One row per submodel element, addressed by its idShortPath (profile ``aas``), or a flat
datasheet of grouped properties (profile ``technical-data``, or a custom profile file
given with ``--option profile=FILE``). Every coercion (decimal commas, units without
codes, renamed idShorts, values that look like lists, missing semanticIds) is in the
conversion report, located at its cell; everything a table cannot hold is reported when
writing one.

Options (``--option key=value``): ``profile`` (``aas``, ``technical-data`` or a YAML/JSON
file), ``delimiter`` and ``encoding`` (reading CSV), ``units=lenient`` (keep units the
registry does not know as text instead of failing).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar

from omp_models._lazy import load_lazy
from omp_models.aas.io import (
    AasEnvironment,
    AasReadError,
    environment_from_jsonable,
    environment_to_jsonable,
)
from omp_models.formats._registry import ConvertOptions, Source
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.limits import Limits

# The table machinery (CSV and XLSX codecs, profiles) is imported when a table is read or
# written: every `omp convert` builds the format registry, which imports this package.
if TYPE_CHECKING:
    from omp_models.formats.table._grid import Grid, TableError
    from omp_models.formats.table._profile import BUILTIN, Profile
    from omp_models.formats.table._write import TableWriter

__all__ = ["BUILTIN", "FORMATS", "CsvFormat", "Profile", "XlsxFormat"]


#: Public names imported on first use (see :mod:`omp_models._lazy`).
_LAZY: dict[str, str] = {
    "BUILTIN": "omp_models.formats.table._profile",
    "Profile": "omp_models.formats.table._profile",
}


def __getattr__(name: str) -> Any:
    return load_lazy(__name__, _LAZY, name)


def _empty() -> AasEnvironment:
    from basyx.aas.model import DictIdentifiableStore

    return AasEnvironment(store=DictIdentifiableStore())


def _table_error(report: ConversionReport, exc: TableError, file: str) -> None:
    loc = exc.loc
    report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, str(exc),
               source=loc.source if loc else None, file=file,
               line=loc.line if loc else None, column=loc.column if loc else None)


class _Table(ABC):
    name: ClassVar[str]
    can_read: ClassVar[bool] = True
    can_write: ClassVar[bool] = True

    @abstractmethod
    def _grids(self, source: Source, options: ConvertOptions) -> list[Grid]:
        ...

    @abstractmethod
    def _encode(self, writer: TableWriter, env: dict[str, Any]) -> bytes:
        ...

    def _profile(self, grid: Grid, options: ConvertOptions) -> Profile:
        from omp_models.formats.table._grid import TableError
        from omp_models.formats.table._profile import BUILTIN, detect, load_profile

        spec = options.extra.get("profile")
        if spec:
            return load_profile(spec, options.search_paths)
        found = detect(grid.header)
        if found is None:
            raise TableError(
                "cannot tell the column profile: the header has neither an idShortPath nor "
                "an idShort column (give --option profile=NAME|FILE; built in: "
                f"{', '.join(BUILTIN)})", grid.loc(None))
        return found

    def read(self, source: Source, options: ConvertOptions
             ) -> tuple[AasEnvironment, ConversionReport]:
        """Read the table(s) of one file into submodels."""
        from omp_models.formats.table._grid import TableError
        from omp_models.formats.table._read import TableReader

        report = ConversionReport(source_format=self.name)
        reader = TableReader(self.name, source.name, options, report)
        try:
            grids = self._grids(source, options)
            profiles = []
            for grid in grids:
                profile = self._profile(grid, options)
                profiles.append(profile.name)
                reader.read(grid, profile)
        except TableError as exc:
            _table_error(report, exc, source.name)
            return _empty(), report
        report.meta["profile"] = ",".join(dict.fromkeys(profiles))
        if report.has_errors:
            return _empty(), report
        try:
            return environment_from_jsonable(reader.environment()), report
        except AasReadError as exc:
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, str(exc), file=source.name)
            return _empty(), report

    def write(self, env: AasEnvironment, options: ConvertOptions
              ) -> tuple[bytes, ConversionReport]:
        """Project the environment's submodels onto a table."""
        from omp_models.formats.table._grid import TableError
        from omp_models.formats.table._profile import load_profile
        from omp_models.formats.table._write import TableWriter

        report = ConversionReport(target_format=self.name)
        try:
            profile = load_profile(options.extra.get("profile", "aas"),
                                   options.search_paths)
        except TableError as exc:
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, str(exc))
            return b"", report
        report.meta["profile"] = profile.name
        writer = TableWriter(profile, report)
        data = self._encode(writer, environment_to_jsonable(env))
        for path in sorted(env.files):
            report.add(Code.DROPPED, IssueSeverity.LOSSY,
                       f"the supplementary file {path} cannot be carried by a table",
                       target=path)
        return data, report


class CsvFormat(_Table):
    """CSV tables (RFC 4180; any delimiter and encoding when read)."""

    name: ClassVar[str] = "csv"
    title: ClassVar[str] = "CSV table of submodel elements"
    patterns: ClassVar[tuple[str, ...]] = ("*.csv", "*.tsv")
    extension: ClassVar[str] = ".csv"

    def sniff(self, name: str, head: bytes) -> bool:
        """A file named ``.csv`` or ``.tsv`` that is text."""
        return name.lower().endswith((".csv", ".tsv")) and b"\x00" not in head[:4096]

    def _grids(self, source: Source, options: ConvertOptions) -> list[Grid]:
        from omp_models.formats.table._grid import read_csv

        extra = dict(options.extra)
        if source.name.lower().endswith(".tsv"):
            extra.setdefault("delimiter", "\t")
        return [read_csv(source.data, source.name, extra, Limits())]

    def _encode(self, writer: TableWriter, env: dict[str, Any]) -> bytes:
        from omp_models.formats.table._grid import write_csv

        projections = writer.project(env, single=writer.flat)
        columns = writer.columns(projections)
        rows = [writer.cells(row, columns) for p in projections for row in p.rows]
        return write_csv([name for name, _ in columns], rows)


class XlsxFormat(_Table):
    """Excel workbooks (one sheet per submodel)."""

    name: ClassVar[str] = "xlsx"
    title: ClassVar[str] = "Excel workbook of submodel elements"
    patterns: ClassVar[tuple[str, ...]] = ("*.xlsx", "*.xlsm")
    extension: ClassVar[str] = ".xlsx"

    def sniff(self, name: str, head: bytes) -> bool:
        """A zip archive named ``.xlsx`` or ``.xlsm``."""
        return head.startswith(b"PK\x03\x04") and name.lower().endswith((".xlsx", ".xlsm"))

    def _grids(self, source: Source, options: ConvertOptions) -> list[Grid]:
        from omp_models.formats.table._xlsx import read_xlsx

        return read_xlsx(source.data, source.name, Limits())

    def _encode(self, writer: TableWriter, env: dict[str, Any]) -> bytes:
        from omp_models.formats.table._write import Projection
        from omp_models.formats.table._xlsx import sheet_titles, write_xlsx

        projections = writer.project(env, single=False)
        if not projections:
            projections = [Projection("Submodels")]
        titles = sheet_titles([p.title for p in projections])
        sheets = []
        for title, projection in zip(titles, projections, strict=True):
            columns = writer.columns([projection])
            rows = [writer.cells(row, columns) for row in projection.rows]
            sheets.append((title, [name for name, _ in columns], rows))
        return write_xlsx(sheets)


#: The formats this package provides (found by the registry).
FORMATS = (CsvFormat, XlsxFormat)

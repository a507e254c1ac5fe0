"""``omp convert`` and ``omp formats``: convert between the AAS and other formats."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from omp_validators.cli.validate import write_atomic

if TYPE_CHECKING:
    from omp_models.aas.io import AasEnvironment
    from omp_models.formats import ConversionReport, ConvertOptions, Format

__all__ = ["convert", "formats"]


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
def formats(fmt: str) -> None:
    """List the formats `omp convert` reads and writes (and plugins that failed to load)."""
    import json

    from omp_models.formats import available_formats, broken_formats

    found = available_formats()
    broken = broken_formats()
    if fmt == "json":
        click.echo(json.dumps({
            "formats": [
                {"name": f.name, "title": f.title, "read": f.can_read, "write": f.can_write,
                 "patterns": list(f.patterns)}
                for f in found.values()
            ],
            "broken": broken,
        }, indent=2))
        return
    width = max((len(n) for n in found), default=4)
    for name, f in found.items():
        direction = ("read" if f.can_read else "    ") + ("+write" if f.can_write else "")
        click.echo(f"{name:<{width}}  {direction:<10}  {f.title}  ({', '.join(f.patterns)})")
    for name, reason in broken.items():
        click.echo(f"{name:<{width}}  BROKEN      {reason}")


def _inputs(sources: tuple[str, ...]) -> list[Path]:
    """Files to convert; a folder contributes the files a readable format claims by name."""
    import fnmatch
    import glob

    from omp_models.formats import available_formats

    patterns = {p for f in available_formats().values() if f.can_read for p in f.patterns}
    out: list[Path] = []
    for item in sources:
        path = Path(item)
        if path.is_dir():
            out.extend(sorted(
                p for p in path.rglob("*")
                if p.is_file() and any(fnmatch.fnmatch(p.name.lower(), pat) for pat in patterns)
            ))
        elif path.is_file():
            out.append(path)
        elif glob.has_magic(item) and (matches := sorted(glob.glob(item, recursive=True))):
            out.extend(Path(m) for m in matches if Path(m).is_file())
        else:
            raise click.UsageError(f"no such file or directory: {item!r}")
    if not out:
        raise click.UsageError("nothing to convert")
    return list(dict.fromkeys(out))


def _parse_extra(values: tuple[str, ...]) -> dict[str, str]:
    extra: dict[str, str] = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{value!r} is not KEY=VALUE", param_hint="--option")
        extra[key] = val
    return extra


@click.command()
@click.argument("sources", nargs=-1, required=True, metavar="SRC...")
@click.option("--to", "to_format", required=True, metavar="FORMAT",
              help="Target format (see `omp formats`).")
@click.option("--from", "from_format", metavar="FORMAT",
              help="Source format (default: detected per file from content and name).")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Output file, or an existing directory (default: standard output).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the conversion report as JSON.")
@click.option("--aas-version", type=click.Choice(["3.0", "3.1"]), default="3.1",
              show_default=True, help="Metamodel version of the AAS written.")
@click.option("--strict", is_flag=True, help="Exit 1 when anything was lost (lossy entries).")
@click.option("--search-path", "--nodeset-dir", "search_paths", multiple=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder to resolve dependencies from (nodesets, models); repeatable.")
@click.option("--mapping", "mapping", type=click.Path(dir_okay=False, path_type=Path),
              help="Read the inputs through this mapping file "
                   "(= --from mapping --option mapping=FILE).")
@click.option("--aspect", metavar="PATH|URN",
              help="SAMM aspect model of the payloads (= --from samm-payload "
                   "--option aspect=...; with --to samm-payload: the way back).")
@click.option("--models-dir", "models_dir", type=click.Path(file_okay=False),
              help="Folder with SAMM models for --aspect.")
@click.option("--option", "extra", multiple=True, metavar="KEY=VALUE",
              help="Format-specific option; repeatable.")
@click.option("--base-iri", default="urn:omp-toolkit:", show_default=True,
              help="Base of the identifiers the converter derives.")
@click.option("--traceback", "show_traceback", is_flag=True,
              help="Print the full traceback when the tool itself fails.")
def convert(**kw: Any) -> None:
    """Convert SRC files (or every file in SRC folders) to another format.

    Several inputs become one environment. Nothing is written when an input cannot be
    read or the result would be invalid; every renamed, preserved or lost item is in the
    conversion report (printed on standard error, and as JSON with --report).

    Exit codes: 0 converted (maybe with info entries); 1 input errors, or lossy with
    --strict; 2 usage error; 3 the tool failed.
    """
    import gc

    # Conversions build large object graphs of long-lived objects: the cyclic garbage
    # collector cost 20-30 % of the CPU time on large NodeSets and finds nothing to free.
    gc.disable()
    try:
        code = _convert(**kw)
    except click.ClickException:
        raise
    except KeyboardInterrupt:
        click.echo("omp: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if kw["show_traceback"]:
            traceback.print_exc()
        click.echo(f"omp: internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("omp: run again with --traceback and please report it.", err=True)
        sys.exit(3)
    finally:
        gc.enable()
    sys.exit(code)


def _read_all(paths: list[Path], from_format: str | None, options: ConvertOptions,
              report: ConversionReport) -> AasEnvironment:
    from omp_models.formats import (
        Code,
        FormatError,
        IssueSeverity,
        Source,
        get_format,
        sniff_format,
    )

    merged: AasEnvironment | None = None
    seen: set[str] = set()
    names: list[str] = []
    for path in paths:
        data = path.read_bytes()
        try:
            fmt: Format | None = (get_format(from_format, direction="read") if from_format
                                  else sniff_format(path.name, data[:65536]))
        except FormatError as exc:
            raise click.UsageError(str(exc)) from exc
        if fmt is None:
            raise click.UsageError(f"cannot tell the format of {str(path)!r}; give --from")
        names.append(fmt.name)
        env, part = fmt.read(Source(str(path), data, path), options)
        report.extend(part)
        if part.meta:
            report.meta.setdefault("inputs", {})[str(path)] = part.meta
        if merged is None:
            merged = env
        else:
            for identifiable in list(env.store):
                if identifiable.id in seen:
                    report.add(Code.DUPLICATE, IssueSeverity.LOSSY,
                               f"{identifiable.id!r} is defined by an earlier input; this "
                               "one was not used", source=str(path), file=str(path))
                    continue
                merged.store.add(identifiable)
            merged.files.update(env.files)
        seen.update(env.ids())  # without building objects from a reader's JSON form
    report.source_format = ",".join(dict.fromkeys(names))
    assert merged is not None
    return merged


def _convert(**kw: Any) -> int:
    from omp_models.formats import ConversionReport, ConvertOptions, FormatError, get_format

    extra = _parse_extra(kw["extra"])
    if kw["mapping"]:
        kw["from_format"] = kw["from_format"] or "mapping"
        extra["mapping"] = str(kw["mapping"])
    if kw["aspect"]:
        extra["aspect"] = kw["aspect"]
        if kw["to_format"] != "samm-payload":
            kw["from_format"] = kw["from_format"] or "samm-payload"
    if kw["models_dir"]:
        extra["models-dir"] = str(kw["models_dir"])
    try:
        target = get_format(kw["to_format"], direction="write")
        if kw["from_format"]:
            get_format(kw["from_format"], direction="read")
    except FormatError as exc:
        raise click.UsageError(str(exc)) from exc
    paths = _inputs(kw["sources"])
    options = ConvertOptions(
        aas_version=kw["aas_version"],
        strict=kw["strict"],
        base_iri=kw["base_iri"],
        search_paths=tuple(kw["search_paths"]) or tuple(
            dict.fromkeys(p.parent for p in paths)),
        extra=extra,
        fast_check=_fast_check(),
    )
    report = ConversionReport(target_format=target.name)
    report.meta["aasVersion"] = options.aas_version
    env = _read_all(paths, kw["from_format"], options, report)
    data = b""
    if not report.has_errors:
        data, written = target.write(env, options)
        report.extend(written)
    _emit_report(report, kw["report_path"], paths[0])
    if report.has_errors:
        click.echo("omp: nothing written (see the errors above)", err=True)
        return 1
    output: Path | None = kw["output"]
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        if output.is_dir():
            output = output / (paths[0].stem + target.extension)
        _write_bytes_atomic(output, data)
    return 1 if (options.strict and report.is_lossy) else 0


def _emit_report(report: ConversionReport, path: Path | None, first: Path) -> None:
    from omp_validators.report import FileResult, Report
    from omp_validators.reporters.text import render

    if path is not None:
        try:
            write_atomic(path, report.to_json())
        except OSError as exc:
            raise click.UsageError(f"cannot write report {path}: {exc.strerror}") from exc
    if report.issues:
        findings = tuple(i.to_finding(str(first)) for i in report.issues)
        text = render(Report(files=(FileResult(str(first), "convert", findings=findings),)))
        # The summary line of the text reporter speaks of validation; keep the findings.
        sys.stderr.write("".join(text.splitlines(keepends=True)[:-1]))


def _write_bytes_atomic(path: Path, data: bytes) -> None:
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise click.UsageError(f"cannot write {path}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _fast_check() -> Any:
    """The fast metamodel check for the writers (``None`` without jsonschema-rs).

    What it accepts is written without aas-core's verification; anything else is verified
    by aas-core as before (see ``serialize_environment``).
    """
    from omp_validators.checks import _fast

    return _fast.accepts_shared if _fast.available() else None

"""``omp samm``: validate SAMM aspect models and generate from them.

``omp samm validate`` checks models (fast structural rules; ``--shacl`` adds the official
shapes) and reports like ``omp validate``. The generators (``schema``, ``example``, ``aas``,
``pydantic``) take one ``ASPECT.ttl`` and write to standard output unless ``-o FILE``.
Imports are resolved from ``--models-dir`` roots (default: the tree the file sits in).
"""

from __future__ import annotations

import glob
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from omp_validators.cli.validate import write_atomic

if TYPE_CHECKING:
    from omp_models.samm import AspectModel

__all__ = ["samm"]

_FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab")


def _guard(run: Callable[..., int]) -> Callable[..., None]:
    """Exit codes: 0 ok, 1 findings, 2 usage (click), 3 internal error, 130 interrupted."""

    def wrapper(**kw: Any) -> None:
        show = bool(kw.pop("show_traceback", False))
        try:
            code = run(**kw)
        except click.ClickException:
            raise
        except KeyboardInterrupt:
            click.echo("omp: interrupted", err=True)
            sys.exit(130)
        except Exception as exc:
            if show:
                traceback.print_exc()
            click.echo(f"omp: internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("omp: run again with --traceback and please report it.", err=True)
            sys.exit(3)
        sys.exit(code)

    wrapper.__name__ = run.__name__
    wrapper.__doc__ = run.__doc__
    return wrapper


_models_dir = click.option(
    "--models-dir", "models_dirs", multiple=True, type=click.Path(file_okay=False, exists=True),
    help="Root of models laid out <namespace>/<version>/<Name>.ttl; repeatable "
         "(default: the tree the file sits in).")
_traceback = click.option("--traceback", "show_traceback", is_flag=True,
                          help="Print the full traceback when the tool itself fails.")
_output = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                       help="Write to this file (default: standard output).")
_aspect = click.argument("aspect", metavar="ASPECT.ttl")


@click.group()
def samm() -> None:
    """SAMM aspect models: validate, and generate schema, example, AAS, pydantic."""


# -- validate ---------------------------------------------------------------------------------
def _ttl_files(items: tuple[str, ...]) -> list[Path]:
    out: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*.ttl") if p.is_file()))
        elif path.is_file():
            out.append(path)
        elif glob.has_magic(item) and (found := sorted(glob.glob(item, recursive=True))):
            out.extend(Path(f) for f in found if Path(f).is_file())
        else:
            raise click.UsageError(f"no such file or directory: {item!r}")
    if not out:
        raise click.UsageError("no .ttl file to validate")
    return list(dict.fromkeys(out))


@samm.command("validate")
@click.argument("inputs", nargs=-1, required=True, metavar="MODEL.ttl|DIR...")
@_models_dir
@click.option("--shacl", is_flag=True,
              help="Also run the official SAMM SHACL shapes (pyshacl; ~20 s per model, cached).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where SHACL results are cached [default: $XDG_CACHE_HOME/omp-toolkit].")
@click.option("--no-cache", is_flag=True, help="Neither read nor write cached SHACL results.")
@click.option("-o", "--output-format", type=click.Choice(_FORMATS), default="text",
              show_default=True, help="Report format on standard output.")
@click.option("--report", "reports", multiple=True, metavar="FORMAT:PATH",
              help="Also write a report file; repeatable (e.g. --report sarif:samm.sarif).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              default="error", show_default=True,
              help="Exit 1 when a finding is at or above this severity.")
@_traceback
@_guard
def validate_models(inputs: tuple[str, ...], models_dirs: tuple[str, ...], shacl: bool,
                    cache_dir: Path | None, no_cache: bool, output_format: str,
                    reports: tuple[str, ...], fail_on: str) -> int:
    """Validate SAMM/BAMM aspect models (files, or every .ttl under a folder).

    Structural checks run by default (a whole model repository in seconds); --shacl adds
    the official SAMM shapes. Every file is checked with its imports.
    """
    from omp_models.diagnostics import Finding
    from omp_models.samm import ShaclUnavailable, load_aspect, validate_model
    from omp_validators import __version__
    from omp_validators.cli.validate import _parse_reports
    from omp_validators.report import FileResult, Report
    from omp_validators.reporters import get_reporter
    from omp_validators.rules import hint_for

    targets = _ttl_files(inputs)
    parsed_reports = _parse_reports(reports)
    results: list[FileResult] = []
    for path in targets:
        model = load_aspect(path, models_dirs)
        try:
            findings = validate_model(model, str(path), shacl=shacl, cache_dir=cache_dir,
                                      use_cache=not no_cache)
        except ShaclUnavailable as exc:
            raise click.UsageError(str(exc)) from exc
        hinted = tuple(sorted(
            (f if f.hint else Finding(f.rule, f.severity, f.message, f.location,
                                      hint_for(f.rule)) for f in _dedupe(findings)),
            key=Finding.sort_key))
        version = model.meta_model_version
        label = model.urn or ("shared elements" if model.elements else None)
        results.append(FileResult(str(path), "ttl", f"SAMM {version}" if version else None,
                                  None, label, hinted))
    report = Report(files=tuple(results), tool_version=__version__)
    for fmt, target in parsed_reports:
        try:
            write_atomic(target, get_reporter(fmt)(report))
        except OSError as exc:
            raise click.UsageError(f"cannot write report {target}: {exc.strerror}") from exc
    sys.stdout.write(get_reporter(output_format)(report))
    sys.stdout.flush()
    code: int = report.exit_code(fail_on)  # type: ignore[arg-type]  # click checked the choice
    return code


def _dedupe(findings: list[Any]) -> list[Any]:
    seen: set[str] = set()
    out = []
    for finding in findings:
        if finding.fingerprint not in seen:
            seen.add(finding.fingerprint)
            out.append(finding)
    return out


# -- generators -------------------------------------------------------------------------------
def _load(aspect: str, models_dirs: tuple[str, ...]) -> AspectModel:
    """Load the aspect; print load problems; exit 1 when it cannot be used."""
    from omp_models.samm import find_aspect

    try:
        model = find_aspect(aspect, models_dirs)
    except FileNotFoundError as exc:
        raise click.UsageError(str(exc)) from exc
    for finding in model.findings:
        loc = finding.location
        line = f":{loc.line}" if loc.line else ""
        click.echo(f"{loc.file}{line}: {finding.rule} {finding.message} "
                   f"({finding.severity.value})", err=True)
    if not model.ok:
        click.echo("omp: nothing written (the model has errors; see `omp samm validate`)",
                   err=True)
        sys.exit(1)
    if model.aspect is None:
        click.echo(f"omp: {aspect} defines no Aspect (a file of shared elements); nothing "
                   "written", err=True)
        sys.exit(1)
    return model


def _emit(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    except OSError as exc:
        raise click.UsageError(f"cannot write {output}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).replace(output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _json(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@samm.command("schema")
@_aspect
@_models_dir
@_output
@click.option("--language", default="en", show_default=True,
              help="Language of the descriptions.")
@_traceback
@_guard
def schema(aspect: str, models_dirs: tuple[str, ...], output: Path | None, language: str) -> int:
    """The payload JSON Schema of an aspect (draft-04, as samm-cli writes it)."""
    from omp_models.samm import aspect_schema

    model = _load(aspect, models_dirs)
    assert model.aspect is not None
    _emit(_json(aspect_schema(model.aspect, language)), output)
    return 0


@samm.command("example")
@_aspect
@_models_dir
@_output
@click.option("--seed", type=int,
              help="A random valid variant (reproducible) instead of the canonical example.")
@_traceback
@_guard
def example(aspect: str, models_dirs: tuple[str, ...], output: Path | None,
            seed: int | None) -> int:
    """An example payload of an aspect (valid against its schema)."""
    from omp_models.samm import PayloadValidator, aspect_schema, example_payload

    model = _load(aspect, models_dirs)
    assert model.aspect is not None
    payload = example_payload(model.aspect, seed=seed)
    errors = PayloadValidator(aspect_schema(model.aspect)).errors(payload)
    for error in errors:
        click.echo(f"omp: warning: the example breaks the schema at {error.pointer or '/'}: "
                   f"{error.message}", err=True)
    _emit(_json(payload), output)
    return 0


@samm.command("aas")
@_aspect
@_models_dir
@_output
@click.option("--aas-version", type=click.Choice(["3.0", "3.1"]), default="3.1",
              show_default=True, help="Metamodel version of the AAS written.")
@click.option("--format", "kind", type=click.Choice(["json", "xml", "aasx"]), default="json",
              show_default=True, help="Serialisation.")
@_traceback
@_guard
def aas(aspect: str, models_dirs: tuple[str, ...], output: Path | None, aas_version: str,
        kind: str) -> int:
    """The AAS submodel template of an aspect (SMT/Cardinality qualifiers included)."""
    from omp_models.samm import aas_template

    model = _load(aspect, models_dirs)
    assert model.aspect is not None
    result = aas_template(model.aspect, aas_version, kind)  # type: ignore[arg-type]
    for note in result.notes:
        click.echo(f"omp: {note.severity}: {note.message}", err=True)
    if result.problems:
        for pointer, message in result.problems:
            click.echo(f"omp: not valid AAS {aas_version} at {pointer}: {message}", err=True)
        click.echo("omp: nothing written", err=True)
        return 1
    _emit(result.data, output)
    return 0


@samm.command("pydantic")
@_aspect
@_models_dir
@_output
@_traceback
@_guard
def pydantic(aspect: str, models_dirs: tuple[str, ...], output: Path | None) -> int:
    """Python source of pydantic v2 models for an aspect's payloads."""
    from omp_models.samm import pydantic_source

    model = _load(aspect, models_dirs)
    assert model.aspect is not None
    _emit(pydantic_source(model.aspect, Path(aspect).name).encode("utf-8"), output)
    return 0

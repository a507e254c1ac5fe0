"""``omp validate``: check AAS JSON, XML and AASX files for CI."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

__all__ = ["validate", "write_atomic"]

_FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab")


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename.

    Readers never see a partial report, and a failed write leaves no file behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _split_rules(values: Sequence[str]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return tuple(out)


def _parse_reports(values: Sequence[str]) -> list[tuple[str, Path]]:
    out: list[tuple[str, Path]] = []
    for value in values:
        fmt, sep, path = value.partition(":")
        if not sep or not path:
            raise click.BadParameter(f"{value!r} is not FORMAT:PATH", param_hint="--report")
        if fmt not in _FORMATS:
            raise click.BadParameter(
                f"unknown format {fmt!r} (choose from {', '.join(_FORMATS)})",
                param_hint="--report",
            )
        out.append((fmt, Path(path)))
    return out


def _parse_jobs(value: str | int | None) -> int | str | None:
    if value is None or value == "auto":
        return value
    try:
        jobs = int(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a number or 'auto'", param_hint="--jobs"
        ) from None
    if jobs < 1:
        raise click.BadParameter("must be at least 1", param_hint="--jobs")
    return jobs


def _use_color(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


@click.command()
@click.argument("inputs", nargs=-1, metavar="[PATH|DIR|GLOB|-]...")
@click.option("--aas-version", type=click.Choice(["3.0", "3.1"]),
              help="Check strictly against this metamodel version (default: detect per file).")
@click.option("--model-type", metavar="CLASS",
              help="Metamodel class of every document (Environment, Submodel, Property, ...). "
                   "Default: detect from modelType / the XML root element.")
@click.option("--template", metavar="NAME|SEMANTIC_ID",
              help="Validate value-only ($value) payloads against this submodel template.")
@click.option("--templates", "template_dirs", multiple=True,
              type=click.Path(file_okay=False, exists=True),
              help="Folder with more submodel templates (AASX/JSON/XML); repeatable.")
@click.option("--strict-templates", is_flag=True,
              help="Elements that a submodel template does not define are errors.")
@click.option("--aspect", metavar="PATH|URN",
              help="Validate payloads against this SAMM aspect model.")
@click.option("--models-dir", "models_dirs", multiple=True,
              type=click.Path(file_okay=False, exists=True),
              help="Folder with SAMM models (<namespace>/<version>/<Name>.ttl); repeatable.")
@click.option("--engine", type=click.Choice(["fast", "reference"]), default="fast",
              show_default=True,
              help="Metamodel engine for JSON: 'fast' (the official JSON Schema plus the "
                   "invariants; aas-core reports whatever it does not accept) or "
                   "'reference' (aas-core for every document). Same findings.")
@click.option("--check", "checks", multiple=True, metavar="LAYER",
              help="Turn on an opt-in check layer (e.g. shacl); repeatable.")
@click.option("-o", "--output-format", type=click.Choice(_FORMATS),
              help="Report format on standard output.  [default: text]")
@click.option("--report", "reports", multiple=True, metavar="FORMAT:PATH",
              help="Also write a report file; repeatable (e.g. --report sarif:omp.sarif).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              help="Exit 1 when a finding is at or above this severity.  [default: error]")
@click.option("--select", multiple=True, metavar="RULES",
              help="Report only these rule ids or prefixes (comma-separated, repeatable).")
@click.option("--ignore", multiple=True, metavar="RULES",
              help="Never report these rule ids or prefixes (comma-separated, repeatable).")
@click.option("--max-findings-per-file", type=click.IntRange(min=1),
              help="Report at most N findings per file.  [default: 200]")
@click.option("--max-file-size", type=click.IntRange(min=1), metavar="BYTES",
              help="Refuse JSON/XML files larger than this.  [default: 512 MiB]")
@click.option("-j", "--jobs", metavar="N|auto", help="Worker processes.  [default: 1]")
@click.option("--dask", "dask_scheduler", metavar="sync|processes|local|tcp://HOST:PORT",
              help="Validate JSONL/Parquet record files (local paths or fsspec URLs) on a "
                   "Dask scheduler, one result per record (extra `dask`).")
@click.option("--dask-column", default="payload", show_default=True, metavar="COLUMN",
              help="Parquet column that holds the documents (with --dask).")
@click.option("--stdin-filename", default="-", metavar="NAME",
              help="Name to report for standard input (its extension sets the format).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Configuration file (default: nearest omp.toml or pyproject.toml [tool.omp]).")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on standard error.  [default: only on a terminal]")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour in text output (NO_COLOR is honoured).")
@click.option("--traceback", "show_traceback", is_flag=True,
              help="Print the full traceback when the tool itself fails.")
def validate(**kwargs: Any) -> None:
    """Validate AAS JSON, XML and AASX files (metamodel 3.0 and 3.1).

    Inputs may be files, directories (searched recursively for .json, .xml and .aasx),
    glob patterns, or - for standard input. Every finding of every file is reported in
    one pass.

    Exit codes: 0 nothing at or above --fail-on; 1 findings; 2 usage or configuration
    error; 3 the tool could not run; 130 interrupted.
    """
    show_traceback = bool(kwargs["show_traceback"])
    try:
        code = _run(**kwargs)
    except click.ClickException:
        raise
    except KeyboardInterrupt:
        click.echo("omp: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if show_traceback:
            import traceback

            traceback.print_exc()
        click.echo(f"omp: internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("omp: run again with --traceback and please report it.", err=True)
        sys.exit(3)
    sys.exit(code)


def _run(**kw: Any) -> int:
    from omp_models.aas import canonical_class_name
    from omp_validators.config import ConfigError, find_config, load_config
    from omp_validators.engine import InputError
    from omp_validators.engine import validate as run_validation
    from omp_validators.options import Limits, ValidateOptions
    from omp_validators.reporters import get_reporter

    try:
        config, _ = load_config(kw["config_path"] or find_config())
    except ConfigError as exc:
        raise click.UsageError(f"configuration: {exc}") from exc

    inputs: tuple[str, ...] = kw["inputs"]
    if not inputs:
        raise click.UsageError("give at least one PATH, DIR, GLOB or -")
    model_type = kw["model_type"] or config.model_type
    if model_type is not None:
        canonical = canonical_class_name(model_type)
        if canonical is None:
            raise click.BadParameter(f"unknown metamodel class {model_type!r}",
                                     param_hint="--model-type")
        model_type = canonical
    limits = Limits()
    max_file_size = kw["max_file_size"] or config.max_file_size
    if max_file_size:
        limits = Limits(max_file_size=max_file_size)
    options = ValidateOptions(
        aas_version=kw["aas_version"] or config.aas_version,
        model_type=model_type,
        select=_split_rules(kw["select"]) or tuple(config.select),
        ignore=_split_rules(kw["ignore"]) or tuple(config.ignore),
        max_findings_per_file=kw["max_findings_per_file"] or config.max_findings_per_file
        or 200,
        limits=limits,
        template=kw["template"],
        template_dirs=tuple(kw["template_dirs"]),
        strict_templates=kw["strict_templates"],
        aspect=kw["aspect"],
        models_dirs=tuple(kw["models_dirs"]),
        checks=_split_rules(kw["checks"]),
        engine=kw["engine"],
    )
    if options.template is not None and options.aspect is not None:
        raise click.UsageError("give --template or --aspect, not both")
    fail_on = kw["fail_on"] or config.fail_on or "error"
    output_format = kw["output_format"] or config.output_format or "text"
    if output_format not in _FORMATS:
        raise click.UsageError(f"configuration: unknown output-format {output_format!r}")
    reports = _parse_reports(kw["reports"] or config.reports)
    jobs = _parse_jobs(kw["jobs"] if kw["jobs"] is not None else config.jobs) or 1

    show_progress = kw["progress"]
    if show_progress is None:
        show_progress = sys.stderr.isatty()

    if kw["dask_scheduler"]:
        return _run_dask(inputs, options, kw, reports, output_format, fail_on)
    try:
        if show_progress:
            report = _with_progress(run_validation, inputs, options, jobs, kw["stdin_filename"])
        else:
            report = run_validation(
                inputs, options, jobs=jobs, stdin_filename=kw["stdin_filename"]
            )
    except InputError as exc:
        raise click.UsageError(str(exc)) from exc

    for fmt, path in reports:
        try:
            write_atomic(path, get_reporter(fmt)(report))
        except OSError as exc:
            raise click.UsageError(f"cannot write report {path}: {exc.strerror}") from exc
    rendered = get_reporter(output_format)(report, color=_use_color(kw["color"])
                                           and output_format == "text")
    sys.stdout.write(rendered)
    sys.stdout.flush()
    code: int = report.exit_code(fail_on)
    return code


def _run_dask(inputs: tuple[str, ...], options: Any, kw: dict[str, Any],
              reports: list[tuple[str, Path]], output_format: str, fail_on: Any) -> int:
    try:
        from omp_validators.distributed import validate_paths
    except ImportError as exc:  # pragma: no cover - the dask extra is missing
        raise click.UsageError(f"--dask needs the dask extra: {exc}") from exc
    from omp_validators.reporters import get_reporter

    report = validate_paths(list(inputs), options, scheduler=kw["dask_scheduler"],
                            column=kw["dask_column"])
    for fmt, path in reports:
        write_atomic(path, get_reporter(fmt)(report))
    sys.stdout.write(get_reporter(output_format)(report))
    code: int = report.exit_code(fail_on)
    return code


def _with_progress(run: Any, inputs: Any, options: Any, jobs: Any, stdin_filename: str) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("validating", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return run(inputs, options, jobs=jobs, stdin_filename=stdin_filename, progress=advance)

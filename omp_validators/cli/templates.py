"""``omp templates``: list the known submodel templates, lint them, instantiate one."""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

if TYPE_CHECKING:
    from omp_models.aas import AasVersion

__all__ = ["templates"]

_FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab")

_TEMPLATES_OPTION = click.option(
    "--templates", "template_dirs", multiple=True,
    type=click.Path(exists=True), metavar="DIR",
    help="Folder (or file) with more submodel templates; repeatable. They win over the "
         "bundled ones.")


def _guarded(func: Callable[..., int | None]) -> Callable[..., None]:
    """Exit codes as ``omp validate``: 2 usage, 3 internal error (no traceback unless asked)."""

    @wraps(func)
    def run(*args: Any, **kwargs: Any) -> None:
        show = bool(kwargs.pop("show_traceback", False))
        try:
            code = func(*args, **kwargs)
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
        sys.exit(code or 0)

    return click.option("--traceback", "show_traceback", is_flag=True,
                        help="Print the full traceback when the tool itself fails.")(run)


@click.group()
def templates() -> None:
    """Submodel templates: list, lint, instantiate.

    omp-toolkit ships the key IDTA templates (Digital Nameplate, Technical Data, Contact
    Information, Carbon Footprint, Time Series Data, Hierarchical Structures, Handover
    Documentation); --templates DIR and the omp.templates entry point add more.
    """


def _registry(template_dirs: tuple[str, ...]) -> Any:
    from omp_models.templates import default_registry

    return default_registry(template_dirs)


def _problems(registry: Any) -> int:
    for problem in registry.problems:
        click.echo(f"omp: {problem.source}: {problem.message}", err=True)
    return 1 if registry.problems else 0


@templates.command("list")
@_TEMPLATES_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--all", "show_all", is_flag=True,
              help="Also list templates hidden by another with the same semanticId.")
@_guarded
def list_templates(template_dirs: tuple[str, ...], fmt: str, show_all: bool) -> int:
    """List the known templates: name, version, IDTA number, semanticId, source.

    Exit codes: 0 listed; 1 a template file could not be read (named on stderr).
    """
    registry = _registry(template_dirs)
    rows = [(t, None) for t in registry]
    if show_all:
        rows += [(hidden, by) for hidden, by in registry.shadowed()]
    if fmt == "json":
        click.echo(json.dumps([
            {"name": t.name, "idShort": t.id_short, "version": t.version, "idta": t.idta,
             "semanticId": t.semantic_id, "id": t.id, "source": t.source,
             "member": t.member, "elements": sum(1 for _ in t.walk()),
             "hiddenBy": by.source if by is not None else None}
            for t, by in rows], indent=2))
    else:
        for template, by in rows:
            hidden = f"  (hidden by {by.source})" if by is not None else ""
            click.echo(f"{template.name}  {template.version or '-'}  "
                       f"IDTA {template.idta or '-'}  {template.semantic_id or '-'}  "
                       f"{template.source}{hidden}")
    return _problems(registry)


@templates.command("show")
@click.argument("template")
@_TEMPLATES_OPTION
@_guarded
def show(template: str, template_dirs: tuple[str, ...]) -> int:
    """Print a template's elements: cardinality, model type, value type, semanticId.

    TEMPLATE is a name (Digital Nameplate, nameplate, 02006), a semanticId or a template
    file.
    """
    found = _resolve(template, template_dirs)
    click.echo(found.label)
    for element in found.walk():
        depth = len(element.path) - 1
        kind = element.model_type + (f" {element.value_type}" if element.value_type else "")
        click.echo(f"{'  ' * depth}{element.path[-1]}  [{element.cardinality.name}]  {kind}"
                   f"  {element.semantic_id or '-'}")
    return 0


def _resolve(query: str, template_dirs: tuple[str, ...]) -> Any:
    from omp_models.templates import TemplateLoadError, load_templates

    path = Path(query)
    if path.is_file():
        try:
            found = load_templates(path)
        except TemplateLoadError as exc:
            raise click.UsageError(str(exc)) from exc
        kinds = [t for t in found if t.kind == "Template"] or found
        if len(kinds) > 1:
            names = ", ".join(repr(t.id_short) for t in kinds)
            raise click.UsageError(f"{query} holds several templates ({names}); pass the "
                                   "file with --templates and name one by semanticId")
        return kinds[0]
    template = _registry(template_dirs).resolve(query)
    if template is None:
        raise click.UsageError(f"no template {query!r}; see `omp templates list`")
    return template


@templates.command("instantiate")
@click.argument("template")
@click.option("--minimal", "mode", flag_value="minimal", default=True,
              help="Mandatory elements only (the default).")
@click.option("--maximal", "mode", flag_value="maximal",
              help="Every element; repeatable ones twice where they can be told apart.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the instance here (default: standard output).")
@click.option("--format", "fmt", type=click.Choice(["json", "xml"]),
              help="Serialisation (default: from the output's extension, else json).")
@click.option("--aas-version", type=click.Choice(["3.0", "3.1"]),
              help="Metamodel version of the output (default: the template's).")
@click.option("--id", "submodel_id", metavar="ID", help="The submodel's id.")
@click.option("--id-short", metavar="NAME", help="The submodel's idShort.")
@_TEMPLATES_OPTION
@_guarded
def instantiate(template: str, mode: str, output: Path | None, fmt: str | None,
                aas_version: str | None, submodel_id: str | None, id_short: str | None,
                template_dirs: tuple[str, ...]) -> int:
    """Turn a template into an instance skeleton (an Environment with the submodel).

    TEMPLATE is a name (Digital Nameplate, nameplate, 02006), a semanticId or a template
    file. The instance is of kind Instance, has no template qualifiers (AASd-129), has
    {00} counters expanded and holds the template's example or default values where they
    fit the value type (else a literal of the value type).

    Exit codes: 0 written; 1 the instance is not valid AAS because the template is not
    (the problems are listed; see `omp templates lint`); 2 usage error.
    """
    from omp_models.aas.io import serialize_environment
    from omp_models.templates import instantiate as make
    from omp_validators.cli.validate import write_atomic

    found = _resolve(template, template_dirs)
    version: AasVersion = cast("AasVersion", aas_version or found.aas_version or "3.1")
    fmt = fmt or ("xml" if output is not None and output.suffix.lower() == ".xml" else "json")
    instance = make(found, "maximal" if mode == "maximal" else "minimal", id=submodel_id,
                    id_short=id_short, version=version)
    result = serialize_environment(instance.environment(), version,
                                   "xml" if fmt == "xml" else "json")
    if not result.data:
        for pointer, message in result.problems:
            click.echo(f"omp: not an AAS {version} document: {pointer}: {message}", err=True)
        return 1
    text = result.data.decode("utf-8")
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
    else:
        try:
            write_atomic(output, text)
        except OSError as exc:
            raise click.UsageError(f"cannot write {output}: {exc.strerror}") from exc
    for pointer, message in result.problems:
        click.echo(f"omp: warning: {pointer}: {message} (a defect of the template; see "
                   "`omp templates lint`)", err=True)
    return 1 if result.problems else 0


@templates.command("lint")
@click.argument("paths", nargs=-1, metavar="[PATH|DIR]...")
@click.option("-o", "--output-format", type=click.Choice(_FORMATS), default="text",
              show_default=True, help="Report format on standard output.")
@click.option("--report", "reports", multiple=True, metavar="FORMAT:PATH",
              help="Also write a report file; repeatable (e.g. --report sarif:lint.sarif).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              default="error", show_default=True,
              help="Exit 1 when a finding is at or above this severity.")
@click.option("--select", multiple=True, metavar="RULES",
              help="Report only these rule ids or prefixes (comma-separated, repeatable).")
@click.option("--ignore", multiple=True, metavar="RULES",
              help="Never report these rule ids or prefixes (comma-separated, repeatable).")
@_guarded
def lint(paths: tuple[str, ...], output_format: str, reports: tuple[str, ...], fail_on: str,
         select: tuple[str, ...], ignore: tuple[str, ...]) -> int:
    """Check templates themselves: metamodel validity and SMT consistency.

    PATHs are template files (AAS JSON/XML, AASX, forms files) or folders; without one,
    the bundled templates are linted. Besides every rule of `omp validate`, the smt-lint/
    rules report how qualifiers are written (cardinality spellings and values, qualifier
    kinds, allowed values and ranges), missing semanticIds, example values that do not fit
    their value type, odd lists and either-or groups.

    Exit codes: 0 nothing at or above --fail-on; 1 findings; 2 usage error.
    """
    from omp_models.diagnostics import Where
    from omp_models.templates import bundled_templates
    from omp_validators import __version__
    from omp_validators.checks._template_lint import lint_bytes
    from omp_validators.cli.validate import _parse_reports, _split_rules, write_atomic
    from omp_validators.engine import InputError, expand_inputs
    from omp_validators.options import ValidateOptions
    from omp_validators.report import FailOn, FileResult, Report
    from omp_validators.reporters import get_reporter

    targets = list(paths) or sorted(str(item.path) for item in bundled_templates())
    try:
        files = expand_inputs(targets)
    except InputError as exc:
        raise click.UsageError(str(exc)) from exc
    if "-" in files:
        raise click.UsageError("omp templates lint reads files, not standard input")
    written = _parse_reports(reports)
    options = ValidateOptions(select=_split_rules(select), ignore=_split_rules(ignore))
    limit = max(options.limits.max_file_size, options.limits.max_aasx_size)
    results = []
    for name in files:
        size = Path(name).stat().st_size
        if size > limit:
            finding = Where(name).finding(
                "limits/size", f"The file has {size} bytes; the limit is {limit}.", None)
            results.append(FileResult(name, "unknown", findings=(finding,)))
            continue
        results.append(lint_bytes(Path(name).read_bytes(), name, options))
    report = Report(files=tuple(results), tool_version=__version__)
    for fmt, path in written:
        try:
            write_atomic(path, get_reporter(fmt)(report))
        except OSError as exc:
            raise click.UsageError(f"cannot write report {path}: {exc.strerror}") from exc
    sys.stdout.write(get_reporter(output_format)(report))
    code: int = report.exit_code(cast("FailOn", fail_on))
    return code

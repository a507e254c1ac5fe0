"""``omp schemas``: the vendored schemas and the value-only schemas of submodel templates."""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from omp_models.templates import Template, TemplateRegistry

__all__ = ["schemas"]

#: Prefix of the ids of generated value-only schemas.
VALUE_ONLY = "value-only:"

_TEMPLATES_OPTION = click.option(
    "--templates", "template_dirs", multiple=True, type=click.Path(exists=True),
    metavar="DIR", help="Folder (or file) with more submodel templates; repeatable.")


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
def schemas() -> None:
    """Bundled and generated schemas: list, show, export.

    The vendored schemas (AAS JSON Schema, XSD, SHACL, SAMM shapes) are listed from
    schemas/catalog.toml; the value-only JSON Schemas are generated from the submodel
    templates (bundled, and --templates DIR).
    """


def _registry(template_dirs: tuple[str, ...]) -> TemplateRegistry:
    from omp_models.templates import default_registry

    return default_registry(template_dirs)


def _value_only_id(template: Template) -> str:
    from omp_models.submodels._export import template_slug

    return f"{VALUE_ONLY}{template_slug(template)}@{template.version or 'unversioned'}"


def _templates(registry: TemplateRegistry, names: tuple[str, ...]) -> list[Template]:
    if not names:
        return [t for t in registry if t.semantic_id is not None]
    chosen: list[Template] = []
    for name in names:
        found = registry.resolve(name.removeprefix(VALUE_ONLY).replace("@", "@", 1))
        if found is None:
            raise click.UsageError(f"unknown submodel template {name!r}; see `omp schemas "
                                   "list`")
        chosen.append(found)
    return chosen


@schemas.command("list")
@_TEMPLATES_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@_guarded
def list_schemas(template_dirs: tuple[str, ...], fmt: str) -> int:
    """List the vendored schemas and the value-only schemas of the known templates."""
    from omp_models.resources import catalog, schemas_root
    from omp_models.submodels import schema_path_for

    rows: list[dict[str, str]] = []
    root = schemas_root()
    for entry in catalog().values():
        rows.append({"id": entry.id, "kind": entry.kind, "version": entry.version,
                     "file": entry.path.relative_to(root).as_posix(),
                     "source": entry.upstream})
    for template in _templates(_registry(template_dirs), ()):
        rows.append({"id": _value_only_id(template), "kind": "json-schema (value-only)",
                     "version": template.version or "",
                     "file": f"submodels/{schema_path_for(template)}",
                     "source": f"generated from {template.label}"})
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    width = max(len(r["id"]) for r in rows)
    kind_width = max(len(r["kind"]) for r in rows)
    for row in rows:
        click.echo(f"{row['id']:<{width}}  {row['kind']:<{kind_width}}  {row['file']}")
    return 0


@schemas.command("show")
@click.argument("schema_id", metavar="ID")
@_TEMPLATES_OPTION
@click.option("--strict", is_flag=True,
              help="Value-only schemas: elements the template does not define are invalid.")
@_guarded
def show(schema_id: str, template_dirs: tuple[str, ...], strict: bool) -> int:
    """Print a schema: a vendored one by id, or the value-only schema of a template.

    ID is a catalogue id (aas-3.1-json) or a template (value-only:digital-nameplate@3.0.1,
    a name, semanticId or IDTA number).
    """
    from omp_models.resources import catalog
    from omp_models.submodels._export import schema_text

    entry = catalog().get(schema_id)
    if entry is not None:
        sys.stdout.write(entry.path.read_text(encoding="utf-8"))
        return 0
    (template,) = _templates(_registry(template_dirs), (schema_id,))
    sys.stdout.write(schema_text(template, strict=strict))
    return 0


@schemas.command("example")
@click.argument("template_name", metavar="TEMPLATE")
@_TEMPLATES_OPTION
@click.option("--minimal", "mode", flag_value="minimal", default=True,
              help="Mandatory elements only (default).")
@click.option("--maximal", "mode", flag_value="maximal", help="Every element.")
@_guarded
def example(template_name: str, template_dirs: tuple[str, ...], mode: str) -> int:
    """Print a value-only payload of TEMPLATE that its schema accepts.

    It is the value-only form of `omp templates instantiate TEMPLATE`: a starting point
    to fill in.
    """
    from omp_models.submodels import value_only
    from omp_models.templates import instantiate

    (template,) = _templates(_registry(template_dirs), (template_name,))
    payload = value_only(instantiate(template, "maximal" if mode == "maximal" else "minimal"
                                     ).submodel, keep_empty=True)
    click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    return 0


@schemas.command("export")
@click.argument("directory", required=False, default="schemas/submodels",
                type=click.Path(file_okay=False, path_type=Path))
@_TEMPLATES_OPTION
@click.option("--template", "names", multiple=True, metavar="TEMPLATE",
              help="Export only this template (repeatable; default: every known one).")
@click.option("--strict", is_flag=True,
              help="Elements the templates do not define are invalid.")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 when a file is missing or differs.")
@_guarded
def export(directory: Path, template_dirs: tuple[str, ...], names: tuple[str, ...],
           strict: bool, check: bool) -> int:
    """Write one value-only JSON Schema per template version.

    Files go to DIRECTORY/<template>/<version>/value-only.schema.json (DIRECTORY:
    schemas/submodels). Unchanged files are left alone.
    """
    from omp_models.submodels import export_schemas, schema_files

    templates = _templates(_registry(template_dirs), names)
    if check:
        stale = []
        for relative, text in schema_files(templates, strict=strict).items():
            path = directory.joinpath(*relative.parts)
            if not path.is_file():
                stale.append(f"{path}: missing")
            elif path.read_text(encoding="utf-8") != text:
                stale.append(f"{path}: out of date")
        for line in stale:
            click.echo(line)
        if not stale:
            click.echo(f"{len(templates)} schema(s) up to date in {directory}")
        return 1 if stale else 0
    try:
        written = export_schemas(directory, templates, strict=strict)
    except OSError as exc:
        raise click.UsageError(f"cannot write to {directory}: {exc.strerror}") from exc
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"{len(templates)} schema(s), {len(written)} written, "
               f"{len(templates) - len(written)} unchanged")
    return 0

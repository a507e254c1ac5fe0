"""The ``omp`` command line: a thin click layer over the library.

Each command lives in its own module and is imported only when it runs (``omp --help``
imports none of them), so start-up stays fast. Exit codes: 0 clean, 1 findings at or
above ``--fail-on``, 2 usage or configuration error, 3 the tool could not run.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import importlib.util
import os
import sys

import click

from omp_validators import __version__

__all__ = ["COMMANDS", "cli", "main"]

#: Command name -> ("module:attribute", one-line help). A module that is not there (yet)
#: hides its command.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("omp_validators.cli.validate:validate",
                 "Validate AAS JSON, XML and AASX files (metamodel 3.0 and 3.1)."),
    "convert": ("omp_validators.cli.convert:convert",
                "Convert between the AAS and other formats."),
    "formats": ("omp_validators.cli.convert:formats",
                "List the formats `omp convert` reads and writes."),
    "templates": ("omp_validators.cli.templates:templates",
                  "Submodel templates: list, lint, instantiate."),
    "schemas": ("omp_validators.cli.schemas:schemas",
                "Bundled and generated schemas: list, export."),
    "samm": ("omp_validators.cli.samm:samm",
             "SAMM aspect models: validate, and generate schema, example, AAS, pydantic."),
    "rules": ("omp_validators.cli.rules:rules",
              "List the rules the validator checks, or explain one."),
}


def _available(target: str) -> bool:
    module = target.partition(":")[0]
    return importlib.util.find_spec(module) is not None


class _LazyGroup(click.Group):
    """A group whose commands are imported when invoked, not when listed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, (target, _) in COMMANDS.items() if _available(target)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None or not _available(entry[0]):
            return None
        module, _, attr = entry[0].partition(":")
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(
    cls=_LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", prog_name="omp-toolkit")
def cli() -> None:
    """omp: validate Asset Administration Shells (AAS 3.0/3.1) and manufacturing models.

    Start with `omp validate PATH...`; `omp rules list` shows every rule it checks.
    """


#: Allocations between two runs of the cyclic garbage collector's youngest generation.
_GC_THRESHOLD = 50_000

#: Commands after which the process ends without freeing its objects one by one.
_HARD_EXIT = frozenset({"convert", "validate"})


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point.

    ``omp convert`` builds object graphs of millions of objects; freeing them one by one
    when the interpreter shuts down took a seventh of a NodeSet conversion, and the
    teardown of the modules, compiled schemas and patterns of ``omp validate`` costs as
    much as validating 100 small files. After these commands (their output written and
    closed, their reports printed) the streams are flushed and the process exits at once
    with the command's exit code. Only the console script does this: ``cli`` itself
    (used by tests and embedding code) returns normally.
    """
    args = sys.argv[1:] if argv is None else argv
    # A command run is short-lived and makes few reference cycles (parsed documents are
    # trees), but millions of objects: with the default threshold (700) the cyclic
    # collector ran ~30 times in a 1,000-file validation for nothing. A larger first
    # generation keeps memory bounded and skips that work (cli() alone is left as is).
    gc.set_threshold(_GC_THRESHOLD, *gc.get_threshold()[1:])
    try:
        cli.main(args=argv, prog_name="omp")
    except SystemExit as exc:
        if not args or args[0] not in _HARD_EXIT:
            raise
        code = exc.code
        if not isinstance(code, int):
            if code is not None:
                print(code, file=sys.stderr)
            code = 0 if code is None else 1
        for stream in (sys.stdout, sys.stderr):
            # A closed pipe or stream: nothing more can be written, the code still counts.
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(code)
    raise SystemExit(0)  # pragma: no cover - click always exits in standalone mode


if __name__ == "__main__":  # pragma: no cover
    main()

"""The ``omp`` command line: a thin click layer over the library.

Heavy modules (aas-core, lxml, rich) are imported inside the commands, so ``omp --help``
starts fast. Exit codes: 0 clean, 1 findings at or above ``--fail-on``, 2 usage or
configuration error, 3 the tool could not run.
"""

from __future__ import annotations

import click

from omp_validators import __version__
from omp_validators.cli.rules import rules
from omp_validators.cli.validate import validate

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="omp-toolkit")
def cli() -> None:
    """omp: validate Asset Administration Shells (AAS 3.0/3.1) and manufacturing models.

    Start with `omp validate PATH...`; `omp rules list` shows every rule it checks.
    """


cli.add_command(validate)
cli.add_command(rules)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv, prog_name="omp")


if __name__ == "__main__":  # pragma: no cover
    main()

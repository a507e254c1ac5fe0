"""Text reporter: ``file:line:col: RULE message`` lines and a summary.

Colour (via rich) only when asked for, which the CLI does only on a terminal.
"""

from __future__ import annotations

from omp_models.diagnostics import Finding, Severity
from omp_validators.report import Report

__all__ = ["render"]

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _line(finding: Finding) -> str:
    loc = finding.location
    where = loc.render()
    level = "" if finding.severity is Severity.ERROR else f" ({finding.severity.value})"
    path = f" [{loc.path}]" if loc.path else ""
    return f"{where}: {finding.rule} {finding.message}{level}{path}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render(report: Report, *, color: bool = False) -> str:
    """Render ``report`` as text, one finding per line, then a summary line."""
    lines: list[str] = []
    for result in report.files:
        for finding in result.findings:
            lines.append(_line(finding))
            if finding.hint:
                lines.append(f"    hint: {finding.hint}")
    counts = report.counts()
    failed = sum(1 for f in report.files if not f.ok)
    summary = (
        f"{_plural(len(report.files), 'file')} checked, {failed} with errors: "
        f"{_plural(counts[Severity.ERROR], 'error')}, "
        f"{_plural(counts[Severity.WARNING], 'warning')}, "
        f"{_plural(counts[Severity.INFO], 'info')}."
    )
    lines.append(summary)
    text = "\n".join(lines) + "\n"
    if not color:
        return text
    return _colorize(report, text)


def _colorize(report: Report, plain: str) -> str:
    from rich.console import Console
    from rich.text import Text

    console = Console(force_terminal=True, color_system="standard", width=10_000,
                      soft_wrap=True, highlight=False)
    with console.capture() as capture:
        for result in report.files:
            for finding in result.findings:
                line = Text(_line(finding))
                line.stylize(_STYLE[finding.severity], 0, len(finding.location.render()) + 1)
                console.print(line)
                if finding.hint:
                    console.print(Text(f"    hint: {finding.hint}", style="dim"))
        console.print(Text(plain.rstrip("\n").rsplit("\n", 1)[-1], style="bold"))
    return capture.get()

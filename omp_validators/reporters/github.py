r"""GitHub Actions reporter: one workflow command per finding, shown as an annotation.

``::error file=F,line=L,col=C,title=RULE::message`` (``::warning`` for warnings,
``::notice`` for infos). ``line`` and ``col`` are left out when unknown. The message is
the finding's message, its path in brackets and, on a second line, the fix hint. Values
are escaped as ``@actions/core`` does: data ``%`` ``\r`` ``\n``; properties also ``:``
and ``,``, so no message can end a command early or start another one.

AASX members: ``file`` is the package (the file in the repository) and ``line``/``col``
are omitted, because they count inside the member; the message starts with
``member:line:col:`` instead.

There is no summary line. GitHub shows only the first ten annotations of each kind per
step, and a summary notice would take one of those places; the exit code and the text
reporter already say how the run went. With no findings the output is empty.
"""

from __future__ import annotations

from omp_models.diagnostics import Finding, Severity
from omp_validators.report import Report
from omp_validators.reporters._common import display_path, hint_text, with_member

__all__ = ["command", "escape_data", "escape_property", "render"]

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape the message part of a workflow command (``%``, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value of a workflow command (data escapes plus ``:`` and ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, *, color: bool = False) -> str:
    """Render ``report`` as GitHub Actions workflow commands, one line per finding.

    Args:
        report: The validation report.
        color: Ignored (the runner colours annotations itself).

    Returns:
        The commands, each ending with a newline; empty without findings.
    """
    del color
    return "".join(command(finding) + "\n" for finding in report.findings())


def command(finding: Finding) -> str:
    """The workflow command for one finding (without the trailing newline)."""
    loc = finding.location
    props = [("file", display_path(loc.file))]
    if not loc.member and loc.line is not None:
        props.append(("line", str(max(1, loc.line))))
        if loc.column is not None:
            props.append(("col", str(max(1, loc.column))))
    props.append(("title", finding.rule))
    message = with_member(finding)
    if loc.path:
        message += f" [{loc.path}]"
    hint = hint_text(finding)
    if hint:
        message += "\n" + hint
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{_COMMAND[finding.severity]} {rendered}::{escape_data(message)}"

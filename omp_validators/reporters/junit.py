r"""JUnit XML reporter, for GitLab's test report and Jenkins' ``junit`` step.

Each input file is one test case (``classname="omp.validate"``, ``name`` = the file path)
in one suite called ``omp validate``. A file with error findings has exactly one
``<failure>`` (the classic JUnit schema allows one per test case, and Jenkins shows only
the first): ``type`` is the first error's rule id, ``message`` says how many errors there
are and names the first, and the text lists every error with its location and hint.
Warnings and infos do not fail the test and are listed in its ``<system-out>``. Files
without findings are passing test cases. ``failures`` counts failing files, so it never
exceeds ``tests``.

Text that XML 1.0 cannot hold (control characters, lone surrogates) is replaced by a
visible escape such as ``\x1b``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from omp_models.diagnostics import Finding, Severity
from omp_validators.report import FileResult, Report
from omp_validators.reporters._common import display_path, hint_text, member_where

__all__ = ["CLASSNAME", "SUITE_NAME", "render", "xml_safe"]

#: Name of the one test suite.
SUITE_NAME = "omp validate"
#: ``classname`` of every test case.
CLASSNAME = "omp.validate"

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    r"""Replace characters XML 1.0 cannot represent by ``\xNN`` / ``\uNNNN`` escapes."""
    return _ILLEGAL.sub(_escape_char, text)


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def render(report: Report, *, color: bool = False) -> str:
    """Render ``report`` as a JUnit XML document.

    Args:
        report: The validation report.
        color: Ignored.

    Returns:
        The XML document (UTF-8 declaration, two-space indent), ending with a newline.
    """
    del color
    failing = sum(1 for r in report.files if r.count(Severity.ERROR))
    counts = {
        "tests": str(len(report.files)),
        "failures": str(failing),
        "errors": "0",
        "skipped": "0",
    }
    root = ET.Element("testsuites", {"name": SUITE_NAME, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE_NAME, **counts})
    for result in report.files:
        _testcase(suite, result)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _testcase(suite: ET.Element, result: FileResult) -> None:
    path = xml_safe(display_path(result.file))
    case = ET.SubElement(
        suite, "testcase", {"classname": CLASSNAME, "name": path, "file": path}
    )
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    others = [_other_line(f) for f in result.findings if f.severity is not Severity.ERROR]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        failure = ET.SubElement(case, "failure", {
            "message": xml_safe(f"{first.rule} {first.message}{more}"),
            "type": xml_safe(first.rule),
        })
        failure.text = xml_safe(
            "\n\n".join(f"{f.rule} {f.message}\n{_details(f)}" for f in errors)
        )
    if others:
        out = ET.SubElement(case, "system-out")
        out.text = xml_safe("\n".join(others))


def _where(finding: Finding) -> str:
    """``file:line:col`` (or ``file`` plus ``member:line:col``) and the path, if any."""
    loc = finding.location
    member = member_where(loc)
    out = display_path(loc.file)
    if member:
        out += f" (AASX part {member})"
    elif loc.line is not None:
        out += f":{loc.line}" + (f":{loc.column}" if loc.column is not None else "")
    if loc.path:
        out += f" at {loc.path}"
    return out


def _details(finding: Finding) -> str:
    hint = hint_text(finding)
    return _where(finding) + (f"\n{hint}" if hint else "")


def _other_line(finding: Finding) -> str:
    line = f"{finding.severity.value}: {finding.rule} {finding.message}\n  {_where(finding)}"
    hint = hint_text(finding)
    return line + (f"\n  {hint}" if hint else "")

r"""JUnit XML reporter, for GitLab's test report and Jenkins' ``junit`` step.

Each input file is one test case (``classname="omp.validate"``, ``name`` = the file path)
in one suite called ``omp validate``. Every error finding is a ``<failure>`` of its file's
test case (``type`` = rule id, ``message`` = ``RULE message``, text = location and hint);
warnings and infos do not fail the test and are listed in its ``<system-out>``. Files
without findings are passing test cases.

The suite's ``failures`` attribute counts ``<failure>`` elements, that is error findings
(the reading of xunitparser and most generators), so it can exceed ``tests``. Jenkins and
GitLab count from the elements themselves; Jenkins shows only the first failure of a test
case in detail, the others remain in the XML.

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
    errors = sum(r.count(Severity.ERROR) for r in report.files)
    counts = {
        "tests": str(len(report.files)),
        "failures": str(errors),
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
    others: list[str] = []
    for finding in result.findings:
        if finding.severity is Severity.ERROR:
            failure = ET.SubElement(case, "failure", {
                "message": xml_safe(f"{finding.rule} {finding.message}"),
                "type": xml_safe(finding.rule),
            })
            failure.text = xml_safe(_details(finding))
        else:
            others.append(_other_line(finding))
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

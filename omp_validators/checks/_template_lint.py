"""``omp templates lint`` as a library function: one template file -> one FileResult.

A template file gets every layer of ``omp validate`` (syntax, metamodel, environment,
AASX packaging) plus the template layer's own rules (:mod:`omp_models.templates._lint`),
located in the file (and, for AASX, in its spec part) with line and column.
"""

from __future__ import annotations

from dataclasses import replace

from omp_models.diagnostics import Finding, Severity, Where
from omp_models.locate import JsonLocator, XmlLocator
from omp_models.templates import LoadOptions, TemplateFile, read_template_file
from omp_models.templates._lint import lint_template
from omp_validators.engine import validate_bytes
from omp_validators.options import ValidateOptions
from omp_validators.report import FileResult
from omp_validators.rules import hint_for

__all__ = ["lint_bytes"]


def _located(findings: list[Finding], file: TemplateFile) -> list[Finding]:
    """Line and column for lint findings, per document of the file."""
    out: list[Finding] = []
    by_member = {doc.member: doc for doc in file.documents}
    for member in sorted({f.location.member or "" for f in findings}):
        doc = by_member.get(member or None)
        group = [f for f in findings if (f.location.member or "") == member]
        if doc is None:
            out.extend(group)
            continue
        paths = sorted({f.location.path for f in group if f.location.path is not None})
        locator = XmlLocator(doc.data) if doc.kind == "xml" else JsonLocator(doc.data)
        positions = locator.locate_many(paths)
        for finding in group:
            position = positions.get(finding.location.path or "")
            out.append(finding if position is None
                       else finding.located(position.line, position.column))
    return out


def _hinted(finding: Finding) -> Finding:
    hint = finding.hint or hint_for(finding.rule)
    return finding if hint == finding.hint else replace(finding, hint=hint)


def lint_bytes(data: bytes, name: str, options: ValidateOptions | None = None,
               load: LoadOptions | None = None, file: TemplateFile | None = None
               ) -> FileResult:
    """Lint one template file given as bytes.

    Args:
        data: AAS JSON or XML, an AASX package, or a forms file.
        name: The name to report.
        options: Options of the validation layers (select/ignore apply to lint rules too).
        load: How to read the templates.
        file: The file as already read by
            :func:`~omp_models.templates.read_template_file` (read here otherwise).

    Returns:
        The file's result: validation findings and template-lint findings, sorted.
    """
    options = options or ValidateOptions()
    result = validate_bytes(data, name, options)
    if file is None:
        file = read_template_file(data, name, load, options.limits)
    findings: list[Finding] = []
    for member, message in file.problems:
        findings.append(Where(name, member).finding(
            "smt-lint/unreadable", f"No template can be read: {message}.", None))
    if not file.problems and not file.templates:
        findings.append(Where(name).finding(
            "smt-lint/no-template", "The file holds no submodel.", None, Severity.WARNING))
    for template in file.templates:
        findings.extend(lint_template(template, Where(name, template.member)))
    findings = [_hinted(f) for f in _located(findings, file) if options.wants(f.rule)]
    merged = tuple(sorted((*result.findings, *findings), key=Finding.sort_key))
    return replace(result, findings=merged)


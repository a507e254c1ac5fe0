"""JSON reporter: the whole report as one JSON document (stable key order)."""

from __future__ import annotations

import json

from omp_models.diagnostics import Severity
from omp_validators.report import Report

__all__ = ["render"]


def render(report: Report, *, color: bool = False) -> str:
    """Render ``report`` as JSON.

    The document has ``tool``, ``summary`` (files, failed files, findings per severity)
    and ``files`` (one entry per input with its findings).
    """
    del color
    counts = report.counts()
    doc = {
        "tool": {"name": "omp-toolkit", "version": report.tool_version},
        "summary": {
            "files": len(report.files),
            "filesWithErrors": sum(1 for f in report.files if not f.ok),
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "infos": counts[Severity.INFO],
        },
        "files": [f.to_dict() for f in report.files],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

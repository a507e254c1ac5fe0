"""Helpers shared by the CI reporters (SARIF, JUnit, GitHub, GitLab).

All of them are pure string functions: no file system access, no environment.
"""

from __future__ import annotations

from omp_models.diagnostics import Finding, Location

__all__ = ["display_path", "doc_kind", "hint_text", "member_where", "with_member"]


def display_path(file: str) -> str:
    r"""The input path as CI systems want it: forward slashes, no leading ``./``.

    Args:
        file: The path as the user named it (``examples\a.json``, ``./b.xml``...).

    Returns:
        The same path with ``/`` separators and without leading ``./`` segments.
    """
    path = file.replace("\\", "/")
    while path.startswith("./") and len(path) > 2:
        path = path[2:]
    return path


def member_where(loc: Location) -> str | None:
    """Where in an AASX package a finding is: ``member[:line[:col]]``, or ``None``.

    Line and column of a finding in a package member count inside that member, never
    inside the package file, so reporters that can only point at the package show them
    in the message instead.
    """
    if not loc.member:
        return None
    out = loc.member
    if loc.line is not None:
        out += f":{loc.line}"
        if loc.column is not None:
            out += f":{loc.column}"
    return out


def with_member(finding: Finding) -> str:
    """The finding's message, prefixed with ``member:line:col: `` for AASX members."""
    where = member_where(finding.location)
    return f"{where}: {finding.message}" if where else finding.message


def hint_text(finding: Finding) -> str | None:
    """The fix hint as a sentence line (``Hint: ...``), or ``None``."""
    return f"Hint: {finding.hint}" if finding.hint else None


def doc_kind(loc: Location, file_format: str | None = None) -> str:
    """Whether ``loc.path`` is a JSON Pointer (``json``) or an XML path (``xml``).

    Args:
        loc: The finding's location.
        file_format: The ``format`` of the file's result (``json``, ``xml``, ``aasx``...),
            if known.

    Returns:
        ``json`` for JSON documents and ``.json`` members; ``xml`` for XML documents and
        every other member (``.xml``, ``_rels/.rels``, ``[Content_Types].xml``).
    """
    if loc.member:
        return "json" if loc.member.lower().endswith(".json") else "xml"
    if file_format in ("json", "xml"):
        return file_format
    return "xml" if loc.file.lower().endswith((".xml", ".rels")) else "json"

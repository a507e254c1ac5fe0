"""Read one MTConnect document: parse safely, check it against its schema, map it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import etree

from omp_models.aas._xml import has_doctype, safe_parser
from omp_models.aas.io import AasEnvironment, AasReadError, environment_from_jsonable
from omp_models.formats._registry import ConvertOptions, Source
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.mtconnect._aas import FORMAT, Context, Json
from omp_models.formats.mtconnect._devices import build_devices, children, local, resolve_pending
from omp_models.formats.mtconnect._schema import validate_document
from omp_models.formats.mtconnect._streams import DevicesLoader, build_streams

__all__ = ["read_mtconnect"]

_NAMESPACE = re.compile(r"^urn:mtconnect\.(?:org|com):MTConnect(\w+):(\d+\.\d+)$")
#: Schema violations reported per document (the rest are counted).
MAX_VIOLATIONS = 50


def _parse(data: bytes, name: str, report: ConversionReport) -> etree._Element | None:
    if has_doctype(data):
        report.add(Code.INVALID_INPUT, IssueSeverity.ERROR,
                   "the document has a <!DOCTYPE> declaration (refused)", file=name, line=1)
        return None
    try:
        return etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, None)
        report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, f"not well-formed XML: {exc.msg}",
                   file=name, line=line or None, column=column or None)
        return None


def _kind_and_version(root: etree._Element) -> tuple[str, str | None]:
    qname = etree.QName(root)
    match = _NAMESPACE.match(qname.namespace or "")
    version = match.group(2) if match else None
    if version is None:
        header = next((c for c in children(root) if local(c) == "Header"), None)
        text = header.get("version") if header is not None else None
        version = text if text and re.match(r"^\d+\.\d+", text) else None
    kind = qname.localname.removeprefix("MTConnect") if qname.localname.startswith(
        "MTConnect") else ""
    return kind, version


def read_mtconnect(source: Source, options: ConvertOptions
                   ) -> tuple[AasEnvironment, ConversionReport]:
    """Read an MTConnect Devices or Streams document into an AAS environment."""
    report = ConversionReport(source_format=FORMAT)
    ctx = Context(source.name, options, report)
    root = _parse(source.data, source.name, report)
    if root is None:
        return _empty(), report
    kind, version = _kind_and_version(root)
    report.meta.update({"document": f"MTConnect{kind}", "mtconnectVersion": version})
    if kind not in ("Devices", "Streams"):
        ctx.issue(Code.INVALID_INPUT, IssueSeverity.ERROR,
                  f"<{local(root)}> is not an MTConnect Devices or Streams document", root)
        return _empty(), report
    _check_schema(root, kind, version, ctx)
    if report.has_errors:
        return _empty(), report
    if kind == "Devices":
        shells, submodels = build_devices(root, ctx, version)
    else:
        def parse(data: bytes, name: str) -> etree._Element | None:
            return _parse(data, name, report)

        path = Path(source.path) if source.path is not None else None
        shells, submodels = build_streams(root, ctx, DevicesLoader(ctx, path, parse))
    resolve_pending(ctx)
    ctx.flush_preserved()
    env: Json = {"assetAdministrationShells": shells, "submodels": submodels}
    used = _semantic_ids(env)
    env["conceptDescriptions"] = [cd for cd in ctx.concepts.to_json() if cd["id"] in used]
    env = {k: v for k, v in _prune(env).items() if v}
    try:
        return environment_from_jsonable(env), report
    except AasReadError as exc:
        report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, str(exc), file=source.name)
        return _empty(), report


def _check_schema(root: etree._Element, kind: str, version: str | None, ctx: Context) -> None:
    mode = ctx.options.extra.get("schema", "warn")
    if mode not in ("warn", "error", "off"):
        ctx.report.add(Code.DEFAULTED, IssueSeverity.INFO,
                       f"--option schema={mode} is not warn, error or off; warn is used",
                       file=ctx.source)
        mode = "warn"
    if mode == "off":
        return
    used, violations = validate_document(root, kind, version)
    ctx.report.meta["schema"] = f"MTConnect{kind}_{used}.xsd"
    severity = IssueSeverity.ERROR if mode == "error" else IssueSeverity.LOSSY
    against = f"MTConnect{kind} {used}" + (
        "" if version == used else f" (nearest bundled schema for version {version or '?'})")
    for violation in violations[:MAX_VIOLATIONS]:
        ctx.report.add(Code.INVALID_INPUT, severity,
                       f"not valid against {against}: {_short(violation.message)}",
                       file=ctx.source, line=violation.line, column=violation.column)
    if len(violations) > MAX_VIOLATIONS:
        ctx.report.add(Code.INVALID_INPUT, severity,
                       f"{len(violations) - MAX_VIOLATIONS} more schema violation(s) not listed",
                       file=ctx.source)


def _short(message: str) -> str:
    """libxml2 messages name elements in Clark notation; keep the local names."""
    return re.sub(r"\{[^}]*\}", "", message)


def _semantic_ids(value: Any) -> set[str]:
    found: set[str] = set()
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for key in ("semanticId", "supplementalSemanticIds"):
                refs = current.get(key)
                for ref in refs if isinstance(refs, list) else [refs] if refs else []:
                    found.update(k["value"] for k in ref["keys"])
            stack.extend(v for v in current.values() if isinstance(v, dict | list))
        elif isinstance(current, list):
            stack.extend(v for v in current if isinstance(v, dict | list))
    return found


def _prune(value: Any) -> Any:
    """Drop empty lists (AAS lists are absent or non-empty) everywhere."""
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if not (isinstance(v, list) and not v)}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def _empty() -> AasEnvironment:
    from basyx.aas.model import DictIdentifiableStore

    return AasEnvironment(store=DictIdentifiableStore())

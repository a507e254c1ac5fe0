"""Metamodel layer: structure and every constraint, via aas-core3.0 / aas-core3.1.

A document is deserialised by aas-core (which stops at its first structural error: that
error is one finding) and then verified (every constraint violation is a finding). Paths
are converted from aas-core's attribute space to JSON Pointers or XML paths; lines and
columns are added later, only for documents with findings.

The metamodel version comes from ``--aas-version``, else from the XML namespace; a JSON
document does not say, so it is checked under 3.0 and, if that fails, under 3.1, and the
report names the version it matched (the lowest one that accepts it).
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from omp_models.aas._core import (
    MODEL_TYPE_CLASSES,
    NAMESPACES,
    SUPPORTED_VERSIONS,
    UNTAGGED_CLASSES,
    AasVersion,
    class_for_xml_element,
    engine,
)
from omp_models.aas._paths import (
    Token,
    tokens_from_core_path,
    xml_path_from_core_xml_path,
    xml_path_from_tokens,
)
from omp_models.diagnostics import Finding, Severity, Where
from omp_validators.checks._classify import deserialization_rule, verification_rule
from omp_validators.locate import escape_pointer_token, pointer_from_tokens

if TYPE_CHECKING:  # lxml is imported by the XML functions, when a run reads XML
    from lxml import etree

__all__ = ["Outcome", "Target", "check_json_value", "check_xml_bytes"]

_ENV_KEYS = frozenset({"assetAdministrationShells", "submodels", "conceptDescriptions"})


class Target(NamedTuple):
    """What the user pinned: metamodel version and class (``None``: detect)."""

    version: AasVersion | None = None
    model_type: str | None = None
    #: Let the fast path (:mod:`._fast`) accept valid JSON documents before aas-core runs.
    fast: bool = True


class Outcome:
    """What the metamodel layer found out about one document.

    A plain class rather than a dataclass: generating a dataclass's methods costs about a
    millisecond at every start of ``omp validate``.
    """

    __slots__ = ("document", "dropped", "findings", "model_type", "truncated", "version",
                 "version_source")

    def __init__(
        self,
        findings: list[Finding] | None = None,
        version: AasVersion | None = None,
        version_source: str | None = None,
        model_type: str | None = None,
        document: dict[str, Any] | None = None,
        dropped: int = 0,
        truncated: bool = False,
    ) -> None:
        self.findings: list[Finding] = [] if findings is None else findings
        self.version = version
        #: ``pinned``, ``namespace`` (XML), ``matched`` (JSON, valid in this version) or
        #: ``closest`` (JSON, valid in neither; findings of the closer version reported).
        self.version_source = version_source
        self.model_type = model_type
        #: The document in JSON form (any class), when it could be deserialised.
        self.document = document
        #: Findings dropped by the caller's cap (counted, not kept).
        self.dropped = dropped
        #: Verification stopped at its limit: there may be more findings than counted.
        self.truncated = truncated

    @property
    def environment(self) -> dict[str, Any] | None:
        """The document in JSON form, when it is a deserialisable Environment."""
        return self.document if self.model_type == "Environment" else None

    @property
    def error_count(self) -> int:
        """Number of error findings."""
        if not self.findings:
            return 0
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)


def _verify(
    out: Outcome, version: AasVersion, instance: Any, where: Where, path_of: Any, limit: int
) -> None:
    verification = engine(version).verification
    try:
        for count, error in enumerate(verification.verify(instance)):
            if count >= limit:
                out.truncated = True
                return
            tokens = tokens_from_core_path(error.path)
            out.findings.append(
                where.finding(verification_rule(error.cause), error.cause, path_of(tokens))
            )
    except ValueError:
        # aas-core converts lexical numbers with int(), which refuses more than 4,300
        # digits (sys.get_int_max_str_digits): that value, and whatever verification had
        # not reached yet, stay unchecked.
        out.findings.append(
            where.finding(
                "limits/digits",
                "A value has more than 4,300 digits and cannot be checked against its "
                "value type; the rest of the document was not verified.",
                "",
            )
        )


# --- JSON ---------------------------------------------------------------------------------


def _detect_json_class(
    obj: dict[str, Any], version: AasVersion, where: Where
) -> tuple[str | None, list[Finding]]:
    """The class of a JSON object that carries no pinned model type."""
    if "modelType" in obj:
        model_type = obj["modelType"]
        if isinstance(model_type, str) and model_type in MODEL_TYPE_CLASSES:
            return model_type, []
        return None, [
            where.finding(
                "aas/model-type",
                f"Unknown modelType {model_type!r} at the top level of the document.",
                "/modelType",
            )
        ]
    if _ENV_KEYS.intersection(obj):
        return "Environment", []
    core = engine(version)
    fits: list[str] = []
    for cls in UNTAGGED_CLASSES:
        try:
            core.from_jsonable(cls, obj)
        except (core.jsonization.DeserializationException, RecursionError):
            continue
        fits.append(cls)
    if not fits:
        return None, [
            where.finding(
                "aas/model-type",
                "Cannot tell which metamodel class this document is: it has no modelType "
                "and fits no class without one.",
                "",
            )
        ]
    if len(fits) > 1:
        return fits[0], [
            where.finding(
                "aas/model-type-ambiguous",
                f"The document fits {', '.join(fits)}; it was checked as {fits[0]}.",
                "",
                Severity.INFO,
            )
        ]
    return fits[0], []


def _quick_class(obj: dict[str, Any]) -> str | None:
    """The class a JSON object names by its ``modelType`` or Environment keys, if any."""
    model_type = obj.get("modelType")
    if isinstance(model_type, str):
        return model_type if model_type in MODEL_TYPE_CLASSES else None
    return None if _ENV_KEYS.isdisjoint(obj) else "Environment"


#: ``omp_validators.checks._fast.accepts`` once imported (``None``: not yet; ``False``:
#: jsonschema-rs is missing). Imported on first use: XML-only runs never load it.
_FAST_ACCEPTS: Any = None


def _fast_accepts(obj: dict[str, Any], cls: str | None, version: AasVersion) -> bool:
    global _FAST_ACCEPTS
    if cls is None:
        return False
    if _FAST_ACCEPTS is None:
        from omp_validators.checks import _fast

        _FAST_ACCEPTS = _fast.accepts if _fast.available() else False
    return bool(_FAST_ACCEPTS) and bool(_FAST_ACCEPTS(obj, cls, version))


def _bad_base64(node: Any, pointer: str = "") -> tuple[str, str] | None:
    """The first bytes-valued member aas-core's reader cannot decode: pointer and reason.

    Those are a Blob's ``value`` and an EventPayload's ``payload`` (base64 in JSON).
    """
    if isinstance(node, dict):
        key = "value" if node.get("modelType") == "Blob" else (
            "payload" if "timeStamp" in node else None
        )
        value = node.get(key) if key else None
        if isinstance(value, str):
            try:
                base64.b64decode(value.encode("ascii"))
            except ValueError as exc:
                return f"{pointer}/{key}", str(exc)
        items: Iterable[tuple[str, Any]] = node.items()
    elif isinstance(node, list):
        items = ((str(i), v) for i, v in enumerate(node))
    else:
        return None
    for key, child in items:
        found = _bad_base64(child, f"{pointer}/{escape_pointer_token(key)}")
        if found is not None:
            return found
    return None


def _attempt_json(
    obj: dict[str, Any], version: AasVersion, target: Target, where: Where, limit: int
) -> Outcome:
    out = Outcome(version=version)
    cls = target.model_type
    if target.fast:
        quick = cls or _quick_class(obj)
        if _fast_accepts(obj, quick, version):
            # Certainly valid: aas-core would find nothing (omp_validators.checks._fast).
            out.model_type = quick
            out.document = obj
            return out
    if cls is None:
        cls, notes = _detect_json_class(obj, version, where)
        out.findings.extend(notes)
        if cls is None:
            return out
    out.model_type = cls
    core = engine(version)
    try:
        instance = core.from_jsonable(cls, obj)
    except core.jsonization.DeserializationException as exc:
        pointer = pointer_from_tokens(tokens_from_core_path(exc.path))
        out.findings.append(where.finding(deserialization_rule(exc.cause), exc.cause, pointer))
        return out
    except RecursionError:
        out.findings.append(_too_deep(where))
        return out
    except ValueError:
        # aas-core's reader lets binascii.Error / UnicodeEncodeError out of a Blob value
        # that is not base64; it is a finding about the data like any other.
        found = _bad_base64(obj)
        pointer, reason = found if found is not None else ("", "undecodable value")
        out.findings.append(
            where.finding("aas/type", f"The value is not valid base64: {reason}.", pointer)
        )
        return out
    try:
        _verify(out, version, instance, where, pointer_from_tokens, limit)
    except RecursionError:
        out.findings.append(_too_deep(where))
        return out
    out.document = obj
    return out


def _too_deep(where: Where) -> Finding:
    return where.finding(
        "limits/depth", "The document is nested too deeply to be checked.", ""
    )


def check_json_value(obj: Any, where: Where, target: Target, limit: int = 1000) -> Outcome:
    """Check a parsed JSON document against the metamodel.

    Args:
        obj: The parsed JSON value.
        where: The document's file (and AASX part).
        target: The pinned version and class, if any.
        limit: Stop verifying after this many findings.

    Returns:
        The findings, the version and class the document was checked as, and the
        environment (JSON form) for the environment-level rules.
    """
    if not isinstance(obj, dict):
        kind = type(obj).__name__.replace("dict", "object").replace("list", "array")
        return Outcome(
            findings=[
                where.finding(
                    "aas/structure",
                    f"The top-level JSON value is {kind}; an Environment or a single "
                    "metamodel instance (an object) is expected.",
                    "",
                )
            ]
        )
    if target.version is not None:
        out = _attempt_json(obj, target.version, target, where, limit)
        out.version_source = "pinned"
        return out
    attempts: list[Outcome] = []
    # The lowest version that accepts the document is named. (Trying 3.0 first also spares
    # 3.0 batches the import of the second engine.)
    for version in ("3.0", "3.1"):
        out = _attempt_json(obj, version, target, where, limit)
        if out.error_count == 0:
            out.version_source = "matched"
            return out
        attempts.append(out)
    best = min(attempts, key=lambda o: o.error_count)
    other = next(o for o in attempts if o is not best)
    best.version_source = "closest"
    if best.model_type is None or any(f.rule == "limits/depth" for f in best.findings):
        return best  # not a version question
    best.findings.insert(
        0,
        where.finding(
            "aas/version-undetermined",
            f"The document is valid under neither AAS 3.0 nor 3.1; reporting the "
            f"{best.error_count} finding(s) under {best.version} "
            f"({other.error_count} under {other.version}).",
            "",
            Severity.INFO,
        ),
    )
    return best


# --- XML ----------------------------------------------------------------------------------

_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"


def _without_xsi(events: Iterator[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
    """Drop ``xsi:*`` attributes (``schemaLocation`` ...): XML Schema hints, not AAS data.

    aas-core rejects every attribute; tools such as AAS4J write ``xsi:schemaLocation`` on
    the root element of otherwise valid documents.
    """
    for event, element in events:
        if event == "start" and element.attrib:
            for name in [n for n in element.attrib if n.startswith(_XSI)]:
                del element.attrib[name]
        yield event, element


def syntax_finding(where: Where, exc: etree.XMLSyntaxError) -> Finding:
    """A located ``syntax/xml`` (or ``limits/depth``) finding for an lxml error."""
    from lxml import etree

    line: int | None
    column: int | None
    line, column = exc.position if exc.position else (None, None)
    message = str(exc.msg if hasattr(exc, "msg") else exc)
    entries: list[Any] = [
        e for e in cast(Iterable[Any], exc.error_log)
        if e.level >= etree.ErrorLevels.ERROR and e.domain_name == "PARSER"
    ]
    first = entries[-1] if entries else None  # the parser's own, most recent error
    if first is not None and (not line or first.message != message):
        # libxml2's own first error is more precise than the iterparse summary
        # (e.g. "Entity 'x' not defined" instead of "no element found" at 0:0).
        line, column, message = int(first.line), int(first.column), str(first.message)
    if not line:
        line, column = None, None
    rule = "limits/depth" if "depth" in message.lower() else "syntax/xml"
    return where.finding(rule, message, None, line=line, column=column)


def check_xml_bytes(data: bytes, where: Where, target: Target, limit: int = 1000) -> Outcome:
    """Check an XML document against the metamodel.

    Args:
        data: The document's bytes.
        where: The document's file (and AASX part).
        target: The pinned version and class, if any.
        limit: Stop verifying after this many findings.

    Returns:
        As :func:`check_json_value`.
    """
    from lxml import etree

    from omp_models.aas._xml import has_doctype, safe_iterparse

    out = Outcome()
    if has_doctype(data):
        out.findings.append(
            where.finding(
                "xml/doctype",
                "The document has a <!DOCTYPE> declaration; it was not parsed.",
                None,
                line=1,
            )
        )
        return out
    events = safe_iterparse(data)
    try:
        first = next(events, None)
    except etree.XMLSyntaxError as exc:
        out.findings.append(syntax_finding(where, exc))
        return out
    if first is None:
        out.findings.append(where.finding("syntax/xml", "The document is empty.", None))
        return out
    root = first[1]
    qname = etree.QName(root)
    root_path = "/" + qname.localname
    version = NAMESPACES.get(qname.namespace or "")
    if version is None:
        out.findings.append(
            where.finding(
                "aas/namespace",
                f"The root element's namespace {qname.namespace!r} is not "
                "https://admin-shell.io/aas/3/0 or https://admin-shell.io/aas/3/1.",
                root_path,
                line=root.sourceline,
            )
        )
        return out
    out.version, out.version_source = version, "namespace"
    if target.version is not None and target.version != version:
        out.findings.append(
            where.finding(
                "aas/version-mismatch",
                f"The document is AAS {version} (by its namespace), but --aas-version "
                f"{target.version} was requested.",
                root_path,
                line=root.sourceline,
            )
        )
        return out
    cls = class_for_xml_element(qname.localname)
    if cls is None or (target.model_type is not None and cls != target.model_type):
        expected = target.model_type or "a metamodel class"
        out.findings.append(
            where.finding(
                "aas/model-type",
                f"The root element <{qname.localname}> is not {expected}.",
                root_path,
                line=root.sourceline,
            )
        )
        return out
    out.model_type = cls
    core = engine(version)
    try:
        instance = core.from_iterparse(cls, _without_xsi(itertools.chain([first], events)))
        for _ in events:  # trailing content after the root element
            pass
    except core.xmlization.DeserializationException as exc:
        segments = exc.path.segments
        line = segments[-1].element.sourceline if segments else None
        out.findings.append(
            where.finding(
                deserialization_rule(exc.cause),
                exc.cause,
                xml_path_from_core_xml_path(exc.path),
                line=line,
            )
        )
        return out
    except etree.XMLSyntaxError as exc:
        out.findings.append(syntax_finding(where, exc))
        return out
    except RecursionError:
        out.findings.append(_too_deep(where))
        return out

    def path_of(tokens: list[Token]) -> str:
        return xml_path_from_tokens(cls, tokens)

    try:
        _verify(out, version, instance, where, path_of, limit)
    except RecursionError:
        out.findings.append(_too_deep(where))
        return out
    out.document = core.jsonization.to_jsonable(instance)
    return out


def supported_versions() -> tuple[AasVersion, ...]:
    """The metamodel versions this layer checks."""
    return SUPPORTED_VERSIONS

r"""``samm-payload``: a SAMM aspect's JSON payload <-> the AAS submodel instance holding it.

Reading builds the submodel instance of a payload (what samm-cli's ``--aspect-data`` does);
writing reads the payload back out of such a submodel. Both need the aspect model::

    omp convert payload.json --from samm-payload --to aas-json \\
        --option aspect=Aspect.ttl [--option models-dir=DIR]
    omp convert instance.json --to samm-payload --option aspect=Aspect.ttl

``aspect`` is a Turtle file or an aspect URN found under ``models-dir`` (several folders are
separated by the platform's path separator); when writing, the aspect can also be found
from the submodel's semanticId under ``models-dir``. The payload is validated against the
aspect first: an invalid payload is not converted. Keys the model does not define are kept
as Extensions ``src:samm-payload:<key>``, so the round trip gives back the same payload.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any, ClassVar

import orjson

from omp_models.aas.io import (
    AasEnvironment,
    AasReadError,
    environment_from_jsonable,
    environment_to_jsonable,
    serialize_environment,
)
from omp_models.formats._registry import ConvertOptions, Source
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.ids import derive_id

__all__ = ["FORMATS", "SammPayloadFormat"]

_SEVERITY = {"info": IssueSeverity.INFO, "preserved": IssueSeverity.PRESERVED,
             "lossy": IssueSeverity.LOSSY, "error": IssueSeverity.ERROR}


def _roots(options: ConvertOptions) -> list[str]:
    given = options.extra.get("models-dir", "")
    roots = [r for r in given.split(os.pathsep) if r]
    return roots + [str(p) for p in options.search_paths]


def _empty() -> AasEnvironment:
    from basyx.aas.model import DictIdentifiableStore

    return AasEnvironment(store=DictIdentifiableStore())


def _aspect(spec: str, options: ConvertOptions, report: ConversionReport, file: str) -> Any:
    from omp_models.diagnostics import Severity
    from omp_models.samm import find_aspect

    try:
        model = find_aspect(spec, _roots(options))
    except FileNotFoundError as exc:
        report.add(Code.DEPENDENCY_MISSING, IssueSeverity.ERROR, str(exc), file=file)
        return None
    errors = [f for f in model.findings if f.severity is Severity.ERROR]
    for finding in errors:
        report.add(Code.DEPENDENCY_MISSING, IssueSeverity.ERROR,
                   f"the aspect model has an error: {finding.rule} {finding.message}",
                   source=finding.location.path, file=finding.location.file)
    if errors:
        return None
    if model.aspect is None:
        report.add(Code.DEPENDENCY_MISSING, IssueSeverity.ERROR,
                   f"{spec} defines no Aspect", file=file)
        return None
    return model.aspect


def _origin(pointer: str, origins: dict[str, str]) -> str | None:
    """The payload pointer of the deepest mapped AAS element containing ``pointer``."""
    best = ""
    for aas in origins:
        if (pointer == aas or pointer.startswith(aas + "/")) and len(aas) > len(best):
            best = aas
    return origins.get(best)


class SammPayloadFormat:
    """A SAMM aspect payload (JSON), as an AAS submodel instance."""

    name: ClassVar[str] = "samm-payload"
    title: ClassVar[str] = "SAMM aspect payload (JSON), needs --option aspect=..."
    patterns: ClassVar[tuple[str, ...]] = ("*.json",)
    extension: ClassVar[str] = ".json"
    can_read: ClassVar[bool] = True
    can_write: ClassVar[bool] = True

    def sniff(self, name: str, head: bytes) -> bool:
        """Never: a payload has no marker of its own; name the format with ``--from``."""
        return False

    def read(self, source: Source, options: ConvertOptions
             ) -> tuple[AasEnvironment, ConversionReport]:
        """The AAS submodel instance of the payload in ``source``."""
        report = ConversionReport(source_format=self.name)
        spec = options.extra.get("aspect")
        if not spec:
            report.add(Code.DEPENDENCY_MISSING, IssueSeverity.ERROR,
                       "reading a SAMM payload needs the aspect model: --option "
                       "aspect=Aspect.ttl (or a URN with --option models-dir=DIR)",
                       file=source.name)
            return _empty(), report
        try:
            data = source.data[3:] if source.data.startswith(b"\xef\xbb\xbf") else source.data
            payload = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, f"not JSON: {exc.msg}",
                       file=source.name, line=exc.lineno, column=exc.colno)
            return _empty(), report
        aspect = _aspect(spec, options, report, source.name)
        if aspect is None:
            return _empty(), report
        from omp_models.samm import PayloadValidator, aspect_schema, submodel_environment

        for error in PayloadValidator(aspect_schema(aspect)).errors(payload):
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR,
                       f"the payload does not match the aspect: {error.message}",
                       source=error.pointer, file=source.name)
        if report.has_errors:
            return _empty(), report
        digest = hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()
        submodel_id = options.extra.get("submodel-id") or derive_id(
            options.base_iri, "samm", aspect.urn or aspect.name, digest[:16])
        environment, notes, origins = submodel_environment(aspect, payload=payload,
                                                           submodel_id=submodel_id)
        for note in notes:
            report.add(Code(note.code), _SEVERITY[note.severity], note.message,
                       source=note.pointer, file=source.name)
        checked = serialize_environment(environment, options.aas_version, "json")
        for pointer, message in checked.problems:
            report.add(Code.VALUE_UNCONVERTIBLE, IssueSeverity.ERROR,
                       f"not valid AAS {options.aas_version}: {message}",
                       source=_origin(pointer, origins), target=pointer, file=source.name)
        if checked.problems:
            return _empty(), report
        try:
            env = environment_from_jsonable(environment, options.aas_version)
        except AasReadError as exc:
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, str(exc), file=source.name)
            return _empty(), report
        return env, report

    def write(self, env: AasEnvironment, options: ConvertOptions
              ) -> tuple[bytes, ConversionReport]:
        """The payload of the (one) submodel instance of the aspect in ``env``."""
        report = ConversionReport(target_format=self.name)
        jsonable = environment_to_jsonable(env)
        submodels = [s for s in jsonable.get("submodels", []) if isinstance(s, dict)]
        spec = options.extra.get("aspect")
        if not spec:
            semantic = {str(((s.get("semanticId") or {}).get("keys") or [{}])[0].get("value"))
                        for s in submodels}
            found = [v for v in sorted(semantic) if v.startswith(("urn:samm:", "urn:bamm:"))]
            if len(found) != 1:
                report.add(Code.DEPENDENCY_MISSING, IssueSeverity.ERROR,
                           "writing a SAMM payload needs the aspect model: --option "
                           "aspect=Aspect.ttl (or --option models-dir=DIR to find it from "
                           "the submodel's semanticId)")
                return b"", report
            spec = found[0]
        aspect = _aspect(spec, options, report, spec)
        if aspect is None:
            return b"", report
        matching = [(i, s) for i, s in enumerate(submodels)
                    if ((s.get("semanticId") or {}).get("keys") or [{}])[0].get("value")
                    == aspect.urn]
        if len(matching) != 1:
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR,
                       f"expected one submodel with the semanticId {aspect.urn}, found "
                       f"{len(matching)}")
            return b"", report
        from omp_models.samm import payload_of_submodel

        index, submodel = matching[0]
        for other, _ in enumerate(submodels):
            if other != index:
                report.add(Code.DROPPED, IssueSeverity.LOSSY,
                           f"the submodel {submodels[other].get('id')!r} is not an instance of "
                           "the aspect and is not written", source=f"/submodels/{other}")
        if jsonable.get("assetAdministrationShells") or jsonable.get("conceptDescriptions"):
            report.add(Code.DROPPED, IssueSeverity.INFO,
                       "shells and concept descriptions are not part of a payload")
        payload, notes = payload_of_submodel(aspect, submodel, f"/submodels/{index}")
        for note in notes:
            report.add(Code(note.code), _SEVERITY[note.severity], note.message,
                       source=note.pointer)
        text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
        return text.encode("utf-8"), report


#: The formats this module provides (found by the registry).
FORMATS = (SammPayloadFormat,)

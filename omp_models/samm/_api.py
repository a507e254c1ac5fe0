"""The package's functions that combine the modules: find, validate, serialise."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from omp_models.diagnostics import Finding
from omp_models.samm._aas import AasNote, submodel_environment
from omp_models.samm._checks import check_model
from omp_models.samm._loader import AspectModel, load_aspect, resolve_urn
from omp_models.samm._model import Aspect
from omp_models.samm._shacl import shacl_findings
from omp_models.samm._vocab import element_urn_parts

__all__ = ["AasKind", "AasOutput", "aas_template", "find_aspect", "payload_to_aas",
           "validate_model"]

AasKind = Literal["json", "xml", "aasx"]


def find_aspect(spec: str, models_dirs: Sequence[str | os.PathLike[str]] = ()) -> AspectModel:
    """Load an aspect given as a file path or as a URN found in the models directories.

    Raises:
        FileNotFoundError: When the file does not exist or the URN is found nowhere.
    """
    if element_urn_parts(spec) is not None and not Path(spec).exists():
        roots = [Path(d) for d in models_dirs]
        found = resolve_urn(spec, roots)
        if found is None:
            where = ", ".join(str(r) for r in roots) or "no models directory (--models-dir)"
            raise FileNotFoundError(f"the aspect {spec} is not found under {where}")
        return load_aspect(found[0], models_dirs)
    if not Path(spec).is_file():
        raise FileNotFoundError(f"no such aspect model file: {spec}")
    return load_aspect(spec, models_dirs)


def validate_model(model: AspectModel, name: str | None = None, *, shacl: bool = False,
                   cache_dir: Path | None = None, use_cache: bool = True) -> list[Finding]:
    """Every finding for a loaded model: loading, structural checks, and SHACL if asked.

    Raises:
        ShaclUnavailable: ``shacl=True`` without pyshacl installed.
    """
    shown = name or str(model.path)
    findings = list(model.findings)
    findings.extend(check_model(model, shown))
    if shacl:
        findings.extend(shacl_findings(model, shown, cache_dir=cache_dir, use_cache=use_cache))
    return findings


@dataclass
class AasOutput:
    """A serialised AAS environment and what to say about it.

    Attributes:
        data: The document (JSON, XML) or package (AASX) bytes.
        problems: ``(JSON Pointer, message)`` of everything the AAS version cannot hold
            (the document is not valid AAS when this is not empty).
        notes: What the mapping shortened, renamed, preserved or left out.
        origins: AAS JSON Pointer -> payload JSON Pointer (instances).
    """

    data: bytes
    problems: list[tuple[str, str]] = field(default_factory=list)
    notes: list[AasNote] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)


def _serialise(environment: dict[str, Any], version: Literal["3.0", "3.1"],
               kind: AasKind) -> tuple[bytes, list[tuple[str, str]]]:
    from omp_models.aas.io import serialize_environment
    from omp_models.aas.package import write_package

    result = serialize_environment(environment, version, "json" if kind == "json" else "xml")
    if kind == "aasx":
        return write_package("data.xml", result.data, {}), result.problems
    return result.data, result.problems


def aas_template(aspect: Aspect, version: Literal["3.0", "3.1"] = "3.1",
                 kind: AasKind = "json") -> AasOutput:
    """The aspect's AAS submodel template (with SMT/Cardinality qualifiers)."""
    environment, notes, origins = submodel_environment(aspect)
    data, problems = _serialise(environment, version, kind)
    return AasOutput(data, problems, notes, origins)


def payload_to_aas(aspect: Aspect, payload: Any, version: Literal["3.0", "3.1"] = "3.1",
                   kind: AasKind = "json", submodel_id: str | None = None) -> AasOutput:
    """The AAS submodel instance holding a payload's values."""
    environment, notes, origins = submodel_environment(aspect, payload=payload,
                                                       submodel_id=submodel_id)
    data, problems = _serialise(environment, version, kind)
    return AasOutput(data, problems, notes, origins)

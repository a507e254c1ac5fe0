"""The ``dtdl`` format: read DTDL (and ADT Explorer exports) into AAS, write AAS as DTDL."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

from omp_models.formats._registry import ConvertOptions, Source
from omp_models.formats._report import Code, ConversionReport, IssueSeverity

if TYPE_CHECKING:  # the DTDL machinery is imported when DTDL is read or written
    from omp_models.aas.io import AasEnvironment
    from omp_models.formats.dtdl._model import DtdlModel, Element

__all__ = ["DtdlFormat"]


def _flag(options: ConvertOptions, key: str) -> bool | None:
    value = options.extra.get(key)
    if value is None:
        return None
    return value.strip().lower() in ("1", "true", "yes", "allow", "on")


def _empty() -> AasEnvironment:
    from basyx.aas.model import DictIdentifiableStore

    from omp_models.aas.io import AasEnvironment

    return AasEnvironment(store=DictIdentifiableStore())


def own_interfaces(model: DtdlModel, source: str) -> list[Element]:
    """The Interfaces a document defines (nested ones included), in document order."""
    return [e for e in model.elements.values()
            if e.cls == "Interface" and e.source == source and not e.standard]


class DtdlFormat:
    """DTDL v2/v3 models (and Azure Digital Twins Explorer exports)."""

    name: ClassVar[str] = "dtdl"
    title: ClassVar[str] = "DTDL v2/v3 (Digital Twins Definition Language)"
    patterns: ClassVar[tuple[str, ...]] = ("*.json", "*.dtdl", "*.dtdl.json")
    extension: ClassVar[str] = ".json"
    can_read: ClassVar[bool] = True
    can_write: ClassVar[bool] = True

    def sniff(self, name: str, head: bytes) -> bool:
        """JSON naming a DTDL context, or an ADT Explorer export."""
        text = head[:65536].decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
        if not text.startswith(("{", "[")):
            return False
        return "dtmi:dtdl:context;" in text or any(
            marker in text for marker in ('"digitalTwinsModels"', '"digitalTwinsFileInfo"',
                                          '"digitalTwinsGraph"'))

    def read(self, source: Source, options: ConvertOptions
             ) -> tuple[AasEnvironment, ConversionReport]:
        """Validate the DTDL and map its Interfaces (and twins) to AAS."""
        from omp_models.aas.io import AasReadError, environment_from_jsonable
        from omp_models.formats.dtdl._jsonld import JsonError, JsonObject, load_json
        from omp_models.formats.dtdl._resolve import FolderResolver
        from omp_models.formats.dtdl._twins import twins_to_aas
        from omp_models.formats.dtdl._validate import read_dtdl, to_findings

        report = ConversionReport(source_format=self.name)
        try:
            parsed = load_json(source.data)
        except JsonError as exc:
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, str(exc), source="",
                       file=source.name, line=exc.line, column=exc.column)
            return _empty(), report
        resolver = None
        folders = list(options.search_paths)
        if source.path is not None:
            folders.append(source.path.parent)
        if folders:
            resolver = FolderResolver(list(dict.fromkeys(folders)),
                                      exclude=[source.path] if source.path else [])
        document = parsed if isinstance(parsed, list) else source.data
        model = read_dtdl([(source.name, document)],
                          allow_undefined_extensions=_flag(options, "undefined-extensions"),
                          resolver=resolver)
        errors = [p for p in model.problems if p.code != "unresolvedReference"]
        if errors:
            contents: dict[str, bytes | str] = {source.name: source.data}
            for finding in to_findings(errors, contents):
                loc = finding.location
                report.add(Code.INVALID_INPUT, IssueSeverity.ERROR,
                           f"{finding.message} ({finding.rule})", source=loc.path,
                           file=loc.file, line=loc.line, column=loc.column)
            return _empty(), report
        interfaces = own_interfaces(model, source.name)
        env_json = self._to_aas(model, interfaces, report, source.name, options)
        if _flag(options, "twins") is not False and isinstance(parsed, JsonObject):
            graph = parsed.get("digitalTwinsGraph")
            if isinstance(graph, JsonObject):
                twins_to_aas(model, graph, env_json, report, source.name, options.base_iri)
        report.meta["dtdl"] = {
            "interfaces": len(interfaces),
            "versions": sorted({i.version for i in interfaces}),
        }
        try:
            env = environment_from_jsonable(env_json)
        except AasReadError as exc:
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR,
                       f"the converted content is not valid AAS: {exc}", file=source.name)
            return _empty(), report
        return env, report

    def _to_aas(self, model: DtdlModel, interfaces: list[Element], report: ConversionReport,
                name: str, options: ConvertOptions) -> dict[str, Any]:
        from omp_models.formats.dtdl._restore import annotation_of, restore_submodel
        from omp_models.formats.dtdl._to_aas import model_to_aas

        plain = [i for i in interfaces if (annotation_of(i) or {}).get("t") != "Submodel"]
        env = model_to_aas(model, plain, report, name, options.base_iri)
        restored = [restore_submodel(model, i, annotation_of(i) or {})
                    for i in interfaces if (annotation_of(i) or {}).get("t") == "Submodel"]
        if restored:
            env["submodels"] = env.get("submodels", []) + restored
        return env

    def write(self, env: AasEnvironment, options: ConvertOptions
              ) -> tuple[bytes, ConversionReport]:
        """The submodels as DTDL Interfaces (one JSON array)."""
        from omp_models.aas.io import environment_to_jsonable
        from omp_models.formats.dtdl._from_aas import aas_to_dtdl
        from omp_models.formats.dtdl._validate import read_dtdl

        report = ConversionReport(target_format=self.name)
        version_text = options.extra.get("dtdl-version", "3")
        version = 2 if version_text.strip() == "2" else 3
        interfaces = aas_to_dtdl(environment_to_jsonable(env), report, version)
        for path in sorted(env.files):
            report.add(Code.DROPPED, IssueSeverity.LOSSY, f"the supplementary file {path} "
                       "cannot be carried by DTDL", target=path)
        text = json.dumps(interfaces, indent=2, ensure_ascii=False)
        # what is written must be valid DTDL: check it with the validator
        check = read_dtdl([("written", text)],
                          allow_undefined_extensions=_flag(options, "undefined-extensions"))
        for problem in check.problems:
            if problem.code == "unresolvedReference":
                report.add(Code.DEPENDENCY_MISSING, IssueSeverity.LOSSY, problem.message,
                           target=problem.pointer)
                continue
            report.add(Code.INVALID_INPUT, IssueSeverity.ERROR,
                       f"the DTDL written would be invalid: {problem.message}",
                       target=problem.pointer)
        return (text + "\n").encode("utf-8"), report

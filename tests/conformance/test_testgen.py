"""Conformance over the aas-core test-gen corpora (AAS 3.0 and 3.1), JSON and XML.

Every ``Expected`` file must pass with no error, every ``Unexpected`` file must get at least
one error, each checked with its metamodel version and class pinned (as the corpus intends).
For 3.0 the expected errors of each negative case (``X.json.errors`` / ``X.exception`` from
aas-core3.0-python) must be reported with the same message at the same location: the
corpus gives paths in aas-core's attribute space, which this module converts on its own
(independently of the code under test) into JSON Pointers and XML paths.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from omp_models.diagnostics import Severity, Where
from omp_validators.checks.metamodel import Target, check_json_value, check_xml_bytes
from omp_validators.engine import check_document
from omp_validators.options import ValidateOptions
from tests.conftest import CORPUS

TESTGEN_30 = CORPUS / "aas" / "testgen-3.0" / "test_data"
TESTGEN_31 = CORPUS / "aas" / "testgen-3.1" / "dev" / "test_data"
EXPECTED_30 = CORPUS / "aas" / "testgen-3.0-expected-errors" / "test_data"

_CLASS_NAMES = {
    name.lower(): name
    for name in (
        "AdministrativeInformation",
        "AnnotatedRelationshipElement",
        "AssetAdministrationShell",
        "AssetInformation",
        "BasicEventElement",
        "Blob",
        "Capability",
        "ConceptDescription",
        "DataSpecificationIec61360",
        "EmbeddedDataSpecification",
        "Entity",
        "Environment",
        "EventPayload",
        "Extension",
        "File",
        "Key",
        "LangStringDefinitionTypeIec61360",
        "LangStringNameType",
        "LangStringPreferredNameTypeIec61360",
        "LangStringShortNameTypeIec61360",
        "LangStringTextType",
        "LevelType",
        "MultiLanguageProperty",
        "Operation",
        "OperationVariable",
        "Property",
        "Qualifier",
        "Range",
        "Reference",
        "ReferenceElement",
        "RelationshipElement",
        "Resource",
        "SpecificAssetId",
        "Submodel",
        "SubmodelElementCollection",
        "SubmodelElementList",
        "ValueList",
        "ValueReferencePair",
    )
}


def _cases(version: str, fmt: str) -> Iterator[object]:
    """(path, version, class, expected_ok) for every corpus file of one version and format."""
    if version == "3.0":
        roots = [TESTGEN_30 / fmt / "ContainedInEnvironment", TESTGEN_30 / fmt / "SelfContained"]
    else:
        roots = [TESTGEN_31 / fmt]
    suffix = ".json" if fmt == "Json" else ".xml"
    for root in roots:
        if not root.exists():
            continue
        for path in sorted(root.rglob(f"*{suffix}")):
            rel = path.relative_to(root).parts
            expected_ok = rel[0] == "Expected"
            if root.name == "ContainedInEnvironment":
                cls = "Environment"
            else:
                folder = rel[1] if expected_ok else rel[3]
                cls = _CLASS_NAMES[folder.lower()]
            case_id = f"{version}-{fmt}-{'/'.join(rel)}"
            yield pytest.param(path, version, cls, expected_ok, id=case_id)


def _corpus_or_skip() -> None:
    if not TESTGEN_30.exists() or not TESTGEN_31.exists():
        pytest.skip(f"test-gen corpus not available under {CORPUS}")


def _check(path: Path, version: str, cls: str) -> list:
    where = Where(str(path))
    options = ValidateOptions(aas_version=version, model_type=cls)  # type: ignore[arg-type]
    kind = "json" if path.suffix == ".json" else "xml"
    return check_document(path.read_bytes(), kind, where, options).findings


ALL_CASES = [
    case
    for version in ("3.0", "3.1")
    for fmt in ("Json", "Xml")
    for case in _cases(version, fmt)
]


@pytest.mark.parametrize(("path", "version", "cls", "expected_ok"), ALL_CASES)
def test_verdict(path: Path, version: str, cls: str, expected_ok: bool) -> None:
    _corpus_or_skip()
    findings = _check(path, version, cls)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if expected_ok:
        assert errors == [], [f"{f.rule} {f.location.path}: {f.message}" for f in errors]
    else:
        assert errors, "no error for a negative case"
        # Every error is located in the file.
        for finding in errors:
            assert finding.location.line is not None, finding


def test_corpus_is_complete() -> None:
    """Guard against a silently shrunken corpus: the counts the issue names."""
    _corpus_or_skip()
    counts: dict[str, int] = {}
    for case in ALL_CASES:
        path, version, _cls, ok = case.values  # type: ignore[attr-defined]
        fmt = "json" if path.suffix == ".json" else "xml"
        key = f"{version}-{fmt}-{'ok' if ok else 'bad'}"
        counts[key] = counts.get(key, 0) + 1
    assert counts == {
        "3.0-json-ok": 2558 + 16,
        "3.0-json-bad": 1994 + 43,
        "3.0-xml-ok": 2558 + 16,
        "3.0-xml-bad": 1745 + 38,
        "3.1-json-ok": 2441,
        "3.1-json-bad": 1792,
        "3.1-xml-ok": 2441,
        "3.1-xml-bad": 1456,
    }


# --- 3.0: the exact errors ----------------------------------------------------------------

_ATTR_TOKEN = re.compile(r"\.([A-Za-z_0-9]+)|\[(\d+)\]")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def _attr_tokens(path: str) -> list[str | int]:
    tokens: list[str | int] = []
    for name, index in _ATTR_TOKEN.findall(path if path.startswith((".", "[")) else "." + path):
        tokens.append(int(index) if index else _camel(name))
    return tokens


def _to_pointer(tokens: list[str | int]) -> str:
    return "".join(f"/{t}" for t in tokens)


def _to_xml_path(root: str, tokens: list[str | int]) -> str:
    steps = [root]
    for i, token in enumerate(tokens):
        if isinstance(token, int):
            steps.append(f"*[{token + 1}]")
            continue
        steps.append(token)
        wraps = token == "dataSpecificationContent" or (
            token == "value" and i >= 2 and str(tokens[i - 2]).endswith("Variables")
        )
        if wraps and i + 1 < len(tokens):
            steps.append("*[1]")
    return "/" + "/".join(steps)


def _xml_exception_path(path: str) -> str:
    return "/" + re.sub(r"\*\[(\d+)\]", lambda m: f"*[{int(m.group(1)) + 1}]", path)


def _expected_cases() -> Iterator[object]:
    if not EXPECTED_30.exists():
        return
    for oracle in sorted(EXPECTED_30.rglob("*")):
        if oracle.suffix not in (".errors", ".exception"):
            continue
        rel = oracle.relative_to(EXPECTED_30)
        source = TESTGEN_30 / rel.with_suffix("")
        yield pytest.param(oracle, source, id="/".join(rel.parts))


EXPECTED_CASES = list(_expected_cases())


def _root_class(source: Path) -> str:
    rel = source.relative_to(TESTGEN_30).parts
    return "Environment" if rel[1] == "ContainedInEnvironment" else _CLASS_NAMES[rel[5].lower()]


@pytest.mark.parametrize(("oracle", "source"), EXPECTED_CASES)
def test_expected_errors_30(oracle: Path, source: Path) -> None:
    """Same message at the same location as the reference verifier."""
    _corpus_or_skip()
    cls = _root_class(source)
    target = Target("3.0", cls)
    where = Where(str(source))
    data = source.read_bytes()
    if source.suffix == ".json":
        import orjson

        outcome = check_json_value(orjson.loads(data), where, target)
    else:
        outcome = check_xml_bytes(data, where, target)
    got = {(f.location.path, f.message) for f in outcome.findings if f.severity is Severity.ERROR}
    lines = [ln for ln in oracle.read_text(encoding="utf-8").splitlines() if ln.strip()]
    assert lines
    for line in lines:
        path, _, message = line.partition(": ")
        if source.suffix == ".json":
            where_str = _to_pointer(_attr_tokens(path)) if path else ""
        elif oracle.suffix == ".exception":
            where_str = _xml_exception_path(path)
        else:
            where_str = _to_xml_path("environment" if cls == "Environment" else
                                     cls[:1].lower() + cls[1:], _attr_tokens(path))
        assert (where_str, message) in got, (line, sorted(got))
        constraint = re.search(r"Constraint (AAS[a-z]-[\w-]+?):", message)
        if constraint:
            rules = {f.rule for f in outcome.findings if f.location.path == where_str}
            assert constraint.group(1) in rules


def test_expected_error_oracle_is_complete() -> None:
    _corpus_or_skip()
    assert len(EXPECTED_CASES) == 2980 + 840


AUTO_CASES = [case for case in ALL_CASES if case.values[3]]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("path", "version", "cls", "expected_ok"), AUTO_CASES)
def test_expected_passes_without_pins(
    path: Path, version: str, cls: str, expected_ok: bool
) -> None:
    """Detection: a valid document passes with neither version nor class given."""
    _corpus_or_skip()
    where = Where(str(path))
    kind = "json" if path.suffix == ".json" else "xml"
    outcome = check_document(path.read_bytes(), kind, where, ValidateOptions())
    errors = [f"{f.rule} {f.location.path}: {f.message}" for f in outcome.findings
              if f.severity is Severity.ERROR]
    assert errors == []
    if kind == "xml":
        assert outcome.version == version
        assert outcome.model_type == cls
    else:
        assert outcome.version_source == "matched"
        ambiguous = any(f.rule == "aas/model-type-ambiguous" for f in outcome.findings)
        assert outcome.model_type == cls or ambiguous, outcome.model_type

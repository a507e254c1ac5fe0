"""Loading SAMM models: typed objects, versions, BAMM, imports, units, hostile files."""

from __future__ import annotations

import hashlib
import re
import shutil
import socket
import sys
from pathlib import Path

import pytest

from omp_models import samm
from omp_models.diagnostics import Severity
from omp_models.samm import load_aspect
from omp_models.samm._metamodel import UNITS_FILE, samm_file, units
from tests.conftest import CORPUS, ROOT, corpus_path

# The Eclipse ESMF SDK's test models (MPL-2.0) are public data that belongs in the shared
# corpus (../shared/corpus/samm-esmf, laid out as upstream: valid/, invalid/, payloads/);
# without it this module is skipped, with this reason.
ESMF = CORPUS / "samm-esmf"
pytestmark = pytest.mark.skipif(
    not ESMF.exists(), reason=f"ESMF SDK test models not in the shared corpus: {ESMF}"
)
VALID = ESMF / "valid" / "org.eclipse.esmf.test" / "1.0.0"
HEAD = """@prefix samm: <urn:samm:org.eclipse.esmf.samm:meta-model:2.1.0#> .
@prefix samm-c: <urn:samm:org.eclipse.esmf.samm:characteristic:2.1.0#> .
@prefix unit: <urn:samm:org.eclipse.esmf.samm:unit:2.1.0#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <urn:samm:org.example:1.0.0#> .
"""


def _write(root: Path, text: str, name: str = "Test.ttl", namespace: str = "org.example",
           version: str = "1.0.0") -> Path:
    folder = root / namespace / version
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _load(name: str) -> samm.AspectModel:
    model = load_aspect(VALID / f"{name}.ttl")
    assert model.ok, model.findings
    assert model.aspect is not None
    return model


def _char(model: samm.AspectModel, index: int = 0) -> samm.Characteristic:
    assert model.aspect is not None
    char = model.aspect.properties[index].property.characteristic
    assert char is not None
    return char


# -- the bundled meta model --------------------------------------------------------------------
def test_vendored_meta_model_files_are_pinned() -> None:
    readme = (ROOT / "schemas" / "samm" / "README.md").read_text(encoding="utf-8")
    pinned = dict(re.findall(r"\| `([^`]+\.ttl)` \| `([0-9a-f]{64})` \|", readme))
    assert len(pinned) == 12
    for relative, digest in pinned.items():
        assert hashlib.sha256(samm_file(relative).read_bytes()).hexdigest() == digest
    assert (ROOT / "schemas" / "samm" / "LICENSE.txt").read_text().startswith("Mozilla Public")


def test_unit_catalog_reads_like_rdflib() -> None:
    from rdflib import Graph, URIRef

    graph = Graph().parse(samm_file(UNITS_FILE), format="turtle")
    base = "urn:samm:org.eclipse.esmf.samm:meta-model:2.2.0#"
    unit_type = URIRef(base + "Unit")
    expected = {}
    for node in graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                               unit_type):
        symbol = graph.value(node, URIRef(base + "symbol"))
        code = graph.value(node, URIRef(base + "commonCode"))
        kinds = sorted(str(k).rsplit("#", 1)[1]
                       for k in graph.objects(node, URIRef(base + "quantityKind")))
        expected[str(node).rsplit("#", 1)[1]] = (
            None if symbol is None else str(symbol), None if code is None else str(code), kinds)
    catalog = units()
    assert len(catalog) == len(expected) > 1700
    for name, (symbol, code, kinds) in expected.items():
        unit = catalog[name]
        assert (unit.symbol, unit.common_code, sorted(unit.quantity_kinds)) == (
            symbol, code, kinds), name
    assert catalog["metre"].symbol == "m" and catalog["metre"].common_code == "MTR"


def test_nothing_is_downloaded_and_the_esmf_loader_is_never_used(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("network access")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    path = corpus_path("samm", "io.catenax.batch", "1.0.2", "Batch.ttl")  # BAMM 1.0.0
    model = load_aspect(path)
    assert model.aspect is not None
    assert not any(name.startswith("esmf_aspect") for name in sys.modules)


def test_importing_the_package_is_cheap() -> None:
    import subprocess

    code = ("import sys, omp_models.samm, omp_validators.checks.samm; "
            "print('rdflib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


# -- typed objects -----------------------------------------------------------------------------
def test_aspect_property_and_trait() -> None:
    model = _load("AspectWithConstraints")
    assert model.meta_model_version == "2.2.0"
    aspect = model.aspect
    assert aspect is not None
    assert aspect.urn == "urn:samm:org.eclipse.esmf.test:1.0.0#AspectWithConstraints"
    trait = _char(model)
    assert isinstance(trait, samm.Trait)
    assert isinstance(trait.base, samm.Characteristic) and trait.base.name == "Text"
    (regex,) = trait.constraints
    assert isinstance(regex, samm.RegularExpressionConstraint) and regex.is_anonymous
    assert regex.value == r"^[a-zA-Z]\.[0-9]"
    assert trait.preferred_name() == "Test Regular Expression Constraint"
    ranges = [c for u in aspect.properties for c in getattr(u.property.characteristic,
                                                            "constraints", [])
              if isinstance(c, samm.RangeConstraint)]
    decimal = ranges[0]
    assert decimal.min_value is not None and decimal.min_value.value == 2.3
    assert (decimal.lower_bound, decimal.upper_bound) == ("AT_LEAST", "AT_MOST")
    lengths = [c for u in aspect.properties for c in getattr(u.property.characteristic,
                                                             "constraints", [])
               if isinstance(c, samm.LengthConstraint)]
    assert lengths and all(isinstance(c.min_value, int | None) for c in lengths)


@pytest.mark.parametrize(("name", "kind"), [
    ("AspectWithEither", samm.Either), ("AspectWithState", samm.State),
    ("AspectWithTimeSeries", samm.TimeSeries), ("AspectWithDuration", samm.Duration),
    ("AspectWithStructuredValue", samm.StructuredValue), ("AspectWithCode", samm.Code),
    ("AspectWithList", samm.List), ("AspectWithSet", samm.Set),
    ("AspectWithSortedSet", samm.SortedSet), ("AspectWithCollection", samm.Collection),
    ("AspectWithMeasurement", samm.Measurement), ("AspectWithAbstractEntity", samm.SingleEntity),
    ("AspectWithQuantifiableWithUnit", samm.Quantifiable),
])
def test_every_characteristic_class(name: str, kind: type) -> None:
    assert type(_char(_load(name))) is kind


def test_characteristic_details() -> None:
    either = _char(_load("AspectWithEither"))
    assert isinstance(either, samm.Either)
    assert either.left is not None and either.left.name == "Text"
    assert either.right is not None and either.right.name == "Boolean"
    state = _char(_load("AspectWithState"))
    assert isinstance(state, samm.State) and isinstance(state.default_value, samm.ScalarValue)
    assert state.default_value.value == "In Progress"
    assert [v.value for v in state.values if isinstance(v, samm.ScalarValue)] == [
        "Success", "Error", "In Progress"]
    duration = _char(_load("AspectWithDuration"))
    assert isinstance(duration, samm.Duration) and duration.unit is not None
    assert duration.unit.name == "kilosecond" and "time" in duration.unit.quantity_kinds
    structured = _char(_load("AspectWithStructuredValue"))
    assert isinstance(structured, samm.StructuredValue)
    assert structured.deconstruction_rule == r"(\d{4})-(\d{2})-(\d{2})"
    assert [e if isinstance(e, str) else e.name for e in structured.elements] == [
        "year", "-", "month", "-", "day"]
    series = _char(_load("AspectWithTimeSeries"))
    assert isinstance(series, samm.TimeSeries) and isinstance(series.data_type, samm.Entity)
    assert series.data_type.extends is not None and series.data_type.extends.is_abstract
    assert series.data_type.extends.urn == (
        "urn:samm:org.eclipse.esmf.samm:entity:2.2.0#TimeSeriesEntity")
    names = [u.key for u in series.data_type.all_properties()]
    assert names == ["timestamp", "value"]


def test_entities_abstract_extends_and_payload_names() -> None:
    model = _load("AspectWithAbstractEntity")
    entity = _char(model).data_type
    assert isinstance(entity, samm.Entity) and not entity.is_abstract
    assert entity.extends is not None and entity.extends.is_abstract
    assert entity in entity.extends.extending
    assert [u.key for u in entity.all_properties()] == ["abstractTestProperty", "entityProperty"]
    named = _load("AspectWithPropertyWithPayloadName")
    assert named.aspect is not None
    use = named.aspect.properties[0]
    assert use.payload_name is not None and use.key == use.payload_name != use.property.name


def test_operations_events_and_units() -> None:
    aspect = _load("AspectWithOperation").aspect
    assert aspect is not None
    first, second = aspect.operations
    assert [u.key for u in second.input] == ["input", "input2"]
    assert first.output is not None and first.output.key == "output"
    events = _load("AspectWithEvent").aspect
    assert events is not None
    (event,) = events.events
    assert [u.key for u in event.parameters] == ["testProperty"]
    custom = _char(_load("AspectWithCustomUnit"))
    assert isinstance(custom, samm.Quantifiable) and custom.unit is not None
    assert custom.unit.urn is not None and not custom.unit.urn.startswith(
        "urn:samm:org.eclipse.esmf.samm:unit")
    measured = _char(_load("AspectWithMeasurement"))
    assert isinstance(measured, samm.Measurement) and measured.unit is not None
    assert (measured.unit.name, measured.unit.symbol, measured.unit.common_code) == (
        "kelvin", "K", "KEL")


def test_elements_know_where_they_are_defined() -> None:
    model = _load("AspectWithEither")
    assert model.aspect is not None and model.aspect.origin is not None
    assert model.aspect.origin.file.endswith("AspectWithEither.ttl")
    text = (VALID / "AspectWithEither.ttl").read_text(encoding="utf-8").splitlines()
    line = model.aspect.origin.line
    assert line is not None and text[line - 1].startswith(":AspectWithEither a samm:Aspect")


# -- versions and BAMM -------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "version"), [
    ("io.catenax.batch/1.0.2/Batch.ttl", "bamm-1.0.0"),
    ("io.catenax.bom_as_specified/1.0.1/BomAsSpecified.ttl", "bamm-2.0.0"),
    ("io.catenax.batch/2.0.0/Batch.ttl", "2.0.0"),
    ("io.catenax.batch/4.0.0/Batch.ttl", "2.1.0"),
])
def test_meta_model_versions(path: str, version: str) -> None:
    model = load_aspect(corpus_path("samm", *path.split("/")))
    assert model.meta_model_version == version
    assert model.ok and model.aspect is not None and model.aspect.urn is not None
    assert model.aspect.urn.startswith("urn:samm:io.catenax.")  # urn:bamm: read as urn:samm:
    legacy = [f for f in model.findings if f.rule == "samm/bamm-legacy"]
    if version.startswith("bamm-"):
        (finding,) = legacy
        assert finding.severity is Severity.WARNING
        assert "Migrate it to SAMM" in finding.message and finding.hint
        line = finding.location.line
        assert line is not None
        source = model.path.read_text(encoding="utf-8").splitlines()
        assert "urn:bamm:io.openmanufacturing:meta-model" in source[line - 1]
    else:
        assert legacy == []


def test_samm_2_2_0_in_the_corpus() -> None:
    model = load_aspect(corpus_path("samm", "io.catenax.shared.business_partner_number", "3.0.0",
                                    "BusinessPartnerNumber.ttl"))
    assert model.meta_model_version == "2.2.0" and model.ok and model.aspect is None
    assert "urn:samm:io.catenax.shared.business_partner_number:3.0.0#BpnsCharacteristic" in (
        model.elements)


def test_unsupported_and_mixed_versions(tmp_path: Path) -> None:
    text = HEAD.replace("meta-model:2.1.0", "meta-model:3.0.0") + (
        ":A a samm:Aspect ; samm:properties ( :p ) .\n"
        ":p a samm:Property ; samm:characteristic samm-c:Text .\n")
    model = load_aspect(_write(tmp_path, text))
    assert {f.rule for f in model.findings} >= {"samm/unsupported-version",
                                                "samm/mixed-versions"}
    assert not model.ok


# -- imports -----------------------------------------------------------------------------------
def _copy(src: Path, root: Path) -> Path:
    target = root / src.parent.parent.name / src.parent.name / src.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, target)
    return target


def test_imports_from_models_directories(tmp_path: Path) -> None:
    source = corpus_path("samm")
    aspect = _copy(source / "io.catenax.serial_part" / "3.0.1" / "SerialPart.ttl", tmp_path / "a")
    alone = load_aspect(aspect)
    unresolved = [f for f in alone.findings if f.rule == "samm/unresolved-import"]
    assert len(unresolved) == 3 and not alone.ok
    uuid = next(f for f in unresolved if "shared.uuid" in (f.location.path or ""))
    assert uuid.location.path == "urn:samm:io.catenax.shared.uuid:2.0.0#UuidV4Trait"
    assert uuid.location.line is not None
    assert "ext-uuid:UuidV4Trait" in aspect.read_text(encoding="utf-8").splitlines()[
        uuid.location.line - 1]
    for ns, version, name in (
            ("io.catenax.shared.uuid", "2.0.0", "Uuid.ttl"),
            ("io.catenax.shared.part_classification", "1.0.0", "PartClassification.ttl"),
            ("io.catenax.shared.part_site_information_as_built", "2.0.0",
             "PartSiteInformationAsBuilt.ttl"),
            ("io.catenax.shared.business_partner_number", "2.0.0",
             "BusinessPartnerNumber.ttl")):
        _copy(source / ns / version / name, tmp_path / "shared")
    model = load_aspect(aspect, [tmp_path / "shared"])
    assert model.ok, model.findings
    assert {p.name for p in model.files} == {
        "SerialPart.ttl", "Uuid.ttl", "PartClassification.ttl",
        "PartSiteInformationAsBuilt.ttl", "BusinessPartnerNumber.ttl"}
    # by URN
    found = samm.find_aspect("urn:samm:io.catenax.serial_part:3.0.1#SerialPart",
                             [tmp_path / "a", tmp_path / "shared"])
    assert found.ok and found.urn == "urn:samm:io.catenax.serial_part:3.0.1#SerialPart"
    with pytest.raises(FileNotFoundError):
        samm.find_aspect("urn:samm:io.catenax.serial_part:9.9.9#SerialPart", [tmp_path])


def test_elements_split_over_files_of_one_namespace(tmp_path: Path) -> None:
    _write(tmp_path, HEAD + ":A a samm:Aspect ; samm:properties ( :p ) .\n", "A.ttl")
    _write(tmp_path, HEAD + ":p a samm:Property ; samm:characteristic :C .\n", "Shared.ttl")
    _write(tmp_path, HEAD + ":C a samm:Characteristic ; samm:dataType xsd:int .\n", "Other.ttl")
    model = load_aspect(tmp_path / "org.example" / "1.0.0" / "A.ttl")
    assert model.ok, model.findings
    assert model.aspect is not None
    char = model.aspect.properties[0].property.characteristic
    assert char is not None and char.data_type is not None
    assert char.data_type.urn == "http://www.w3.org/2001/XMLSchema#int"


# -- broken and hostile files ------------------------------------------------------------------
@pytest.mark.parametrize(("text", "rule", "line"), [
    (HEAD + ":A a samm:Aspect ;\n  samm:properties ( :p \n", "samm/syntax", None),
    ("", "samm/no-elements", None),
    (HEAD + ":A a samm:Aspect ; samm:properties ( :p ) .\n", "samm/unresolved-import", 6),
    (HEAD + ":A a samm:Aspect ; samm:properties ( :p ) .\n:p a samm:Property .\n",
     "samm/missing-characteristic", 7),
    (HEAD + ":A a samm:Aspect ; samm:properties ( :p ) .\n:p a samm:Property ; "
     "samm:characteristic :C .\n:C a samm-c:Measurement ; samm:dataType xsd:float ; "
     "samm-c:unit unit:noSuchUnit .\n", "samm/unknown-unit", None),
    (HEAD + ":A a samm:Aspect ; samm:properties ( :p ) .\n:p a samm:Property ; "
     "samm:characteristic :C .\n:C a samm:Characteristic .\n", "samm/missing-datatype", 8),
    (HEAD + ":A a samm:Aspect ; samm:properties ( ) .\n:B a samm:Aspect ; "
     "samm:properties ( ) .\n", "samm/multiple-aspects", 7),
])
def test_broken_models_are_findings(tmp_path: Path, text: str, rule: str,
                                    line: int | None) -> None:
    model = load_aspect(_write(tmp_path, text))
    assert not model.ok
    hits = [f for f in model.findings if f.rule == rule]
    assert hits, model.findings
    if line is not None:
        assert hits[0].location.line == line


def test_syntax_error_has_its_line(tmp_path: Path) -> None:
    model = load_aspect(_write(tmp_path, HEAD + ':A a samm:Aspect ;\n   samm:description "x .\n'))
    (finding,) = model.findings
    assert finding.rule == "samm/syntax" and finding.location.line == 7


def test_not_utf8_is_reported_and_still_read(tmp_path: Path) -> None:
    path = _write(tmp_path, HEAD + ':A a samm:Aspect ; samm:preferredName "x"@en ; '
                                   "samm:properties ( ) .\n")
    path.write_bytes(path.read_bytes().replace(b'"x"', b'"\xe4"'))
    model = load_aspect(path)
    assert [f.rule for f in model.findings] == ["samm/encoding"]
    assert model.aspect is not None and model.aspect.preferred_name() == "\u00e4"


def test_deeply_nested_turtle_is_refused(tmp_path: Path) -> None:
    text = HEAD + ":A a samm:Aspect ; samm:see " + "[ samm:see " * 5000 + "1" + " ]" * 5000 + " .\n"
    model = load_aspect(_write(tmp_path, text))
    assert not model.ok
    assert model.findings[0].rule == "samm/syntax"


def test_load_from_bytes_names_the_file(tmp_path: Path) -> None:
    data = (VALID / "AspectWithEither.ttl").read_bytes()
    model = load_aspect(tmp_path / "nowhere.ttl", data=data, name="given.ttl")
    assert model.ok and model.aspect is not None and model.aspect.name == "AspectWithEither"

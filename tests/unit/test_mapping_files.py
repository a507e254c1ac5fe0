"""Mapping files: the JSON Schema, and every invalid file located at its mistake."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest

from omp_models.formats import ConversionReport, ConvertOptions, IssueSeverity
from omp_models.formats.mapping import load_mapping, mapping_schema
from omp_models.formats.mapping._yaml import YamlError, load_located
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "mapping"
INVALID = sorted((DATA / "invalid").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\d+):(\d+) (.+)$")
EXAMPLES = sorted((ROOT / "examples" / "mappings").rglob("*.yaml"))


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = mapping_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["mapping"] == {
        "const": 1, "description": "Version of the mapping file format."}


def test_the_schema_is_package_data() -> None:
    from importlib import resources

    files = resources.files("omp_models.formats.mapping")
    assert files.joinpath("mapping.schema.json").is_file()


@pytest.mark.parametrize("path", [*EXAMPLES, DATA / "machine.yaml"],
                         ids=lambda p: p.name)
def test_valid_mapping_files_load(path: Path) -> None:
    report = ConversionReport()
    mapping = load_mapping(str(path), ConvertOptions(), report)
    assert mapping is not None, [i.message for i in report.issues]
    assert not report.issues
    jsonschema.validate(load_located(path.read_text(encoding="utf-8")).doc, mapping_schema())


def test_there_is_an_invalid_file_for_every_kind_of_mistake() -> None:
    assert len(INVALID) >= 20


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_mapping_files_are_located(path: Path) -> None:
    expect = EXPECT.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert expect is not None, f"{path.name}: first line must be '# expect: L:C message'"
    report = ConversionReport()
    assert load_mapping(str(path), ConvertOptions(), report) is None
    first = report.issues[0]
    assert first.severity is IssueSeverity.ERROR and first.file == str(path)
    assert (first.line, first.column) == (int(expect[1]), int(expect[2])), first
    assert expect[3] in first.message


def test_every_schema_violation_is_reported_not_only_the_first(tmp_path: Path) -> None:
    bad = tmp_path / "m.yaml"
    bad.write_text("mapping: 1\nsubmodels:\n  - idShort: Data\n    elements:\n"
                   "      - {path: Ab, form: $.a}\n      - {path: Cd, valueType: xs:nope}\n")
    report = ConversionReport()
    load_mapping(str(bad), ConvertOptions(), report)
    assert [(i.line, i.column) for i in report.issues] == [(5, 20), (6, 31)]


def test_semantic_errors_are_all_reported(tmp_path: Path) -> None:
    bad = tmp_path / "m.yaml"
    bad.write_text("mapping: 1\nsubmodels:\n  - idShort: Data\n    elements:\n"
                   "      - {path: Ab, from: '@.a'}\n"
                   "      - {path: Cd, from: $.c, unit: furlongs}\n"
                   "      - {path: Ef, from: '$.e[?(1)]'}\n")
    report = ConversionReport()
    load_mapping(str(bad), ConvertOptions(), report)
    assert [i.line for i in report.issues] == [5, 6, 7]


def test_a_missing_mapping_file_is_an_error() -> None:
    report = ConversionReport()
    assert load_mapping("no/such/file.yaml", ConvertOptions(), report) is None
    assert "does not exist" in report.issues[0].message


def test_mapping_files_are_found_on_the_search_path() -> None:
    report = ConversionReport()
    options = ConvertOptions(search_paths=(DATA,))
    assert load_mapping("machine.yaml", options, report) is not None


def test_positions_of_values_and_keys() -> None:
    located = load_located("a: 1\nb:\n  - x: [1, 2]\n    'y': \"text\"\n")
    assert located.doc == {"a": 1, "b": [{"x": [1, 2], "y": "text"}]}
    assert located.at(("b", 0, "x", 1)) == (3, 12)
    assert located.at(("b", 0, "y"), key=True) == (4, 5)
    assert located.at(("b", 0, "y")) == (4, 10)
    assert located.at(("b", 0, "missing")) == (3, 5)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("", "empty"), ("a: 1\n---\nb: 2\n", "not valid YAML"),
     ("a: &x 1\nb: *x\n", "anchors and aliases"), ("<<: {a: 1}\n", "merge keys"),
     ("? [a]\n: 1\n", "keys must be plain text"), ("a: " + "[" * 80 + "]" * 80, "nested"),
     ("a: !custom 1\n", "not supported")],
)
def test_unsafe_or_broken_yaml_is_refused(text: str, fragment: str) -> None:
    with pytest.raises(YamlError, match=fragment):
        load_located(text)


def test_dates_stay_text() -> None:
    assert load_located("d: 2024-03-01\n").doc == {"d": "2024-03-01"}


def test_the_published_schema_is_the_packaged_one() -> None:
    published = ROOT / "docs" / "formats" / "mapping.schema.json"
    assert published.read_text(encoding="utf-8") == (
        ROOT / "omp_models" / "formats" / "mapping" / "mapping.schema.json").read_text(
            encoding="utf-8"), "copy the schema to docs/formats/ after changing it"

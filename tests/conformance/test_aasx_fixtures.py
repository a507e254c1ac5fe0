"""Conformance of the AASX packaging layer against public fixtures and published packages.

- aas-test-engines ships 14 *unpacked* AASX fixtures (``valid/`` and ``invalid/``, one
  directory per package) and basyx-python-sdk's compliance tool four more. Each directory
  is zipped here, in memory, with member names relative to it (``.keep`` placeholders left
  out, so ``invalid/empty`` becomes a package without members). A valid fixture gives no
  error from the packaging layer; an invalid one gives the specific finding expected for
  its case.
- The published IDTA submodel templates (AASX, AAS 3.0 and 3.1) and the AASX files
  generated from Catena-X SAMM aspect models are real packages: they must never crash the
  check, and their packaging findings are pinned (they are real problems of those files).
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from omp_models.diagnostics import Severity
from omp_validators.engine import validate_bytes
from omp_validators.report import FileResult
from tests.conftest import CORPUS, corpus_path

ATE = ("aas", "aas-test-engines-fixtures", "test", "fixtures", "aasx")
BASYX = ("aas", "basyx-fixtures", "compliance_tool", "test", "files")
TEMPLATES = CORPUS / "templates" / "published"
SAMM = CORPUS / "samm"


def zip_directory(directory: Path) -> bytes:
    """The unpacked package in ``directory`` as zip bytes (sorted, deterministic)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(directory.rglob("*")):
            if path.is_file() and path.name != ".keep":
                archive.write(path, path.relative_to(directory).as_posix())
    return buffer.getvalue()


def check_directory(*parts: str) -> FileResult:
    directory = corpus_path(*parts)
    return validate_bytes(zip_directory(directory), directory.name + ".aasx")


def aasx_rules(result: FileResult) -> set[str]:
    return {f.rule for f in result.findings if f.rule.startswith("aasx/")}


def no_crash(result: FileResult) -> None:
    crashes = [f for f in result.findings if f.rule.startswith("tool/")]
    assert not crashes, [f.message for f in crashes]


# --- aas-test-engines: valid -----------------------------------------------------------------

#: The packaging warnings each valid fixture gets. Most have parts without a content type
#: (the fixtures' [Content_Types].xml has no Default for json or svg).
VALID = {
    "deprecated_rel": {"aasx/legacy-relationship-uri", "aasx/missing-content-type"},
    "json": {"aasx/missing-content-type"},
    "no_aas1": {"aasx/missing-origin"},
    "no_aas2": {"aasx/no-spec"},
    "recursive": {"aasx/recursive-relationship", "aasx/missing-content-type"},
    "relative_paths": {"aasx/missing-content-type"},
    "xml": {"aasx/missing-content-type"},
}


@pytest.mark.parametrize("case", sorted(VALID))
def test_valid_fixture_has_no_error(case: str) -> None:
    result = check_directory(*ATE, "valid", case)
    no_crash(result)
    assert [f for f in result.findings if f.severity is Severity.ERROR] == []
    assert aasx_rules(result) == VALID[case]


def test_relative_targets_reach_both_parts() -> None:
    result = check_directory(*ATE, "valid", "relative_paths")
    assert result.model_type == "Environment" and result.aas_version is not None


def test_deprecated_relationship_is_still_followed() -> None:
    result = check_directory(*ATE, "valid", "deprecated_rel")
    assert result.aas_version is not None
    finding = next(f for f in result.findings if f.rule == "aasx/legacy-relationship-uri")
    assert finding.location.member == "aasx/_rels/aasx-origin.rels"
    assert finding.location.line == 3


def test_every_valid_fixture_is_covered() -> None:
    cases = {p.name for p in corpus_path(*ATE, "valid").iterdir() if p.is_dir()}
    assert cases == set(VALID)


# --- aas-test-engines: invalid ---------------------------------------------------------------

#: The error findings (rule, member) each invalid fixture must get.
INVALID: dict[str, set[tuple[str, str | None]]] = {
    # <displayName> holds text instead of language strings: a metamodel error in the part.
    "Invalid_xml": {("aas/type", "aasx/the_aas.xml")},
    "empty": {("aasx/content-types", None), ("aasx/missing-rels", None)},
    # A Property without its required valueType.
    "invalid_json": {("aas/required", "aasx/the_aas.json")},
    # The aasx-origin target /aasx/aasx-origin does not exist (nor anything below it).
    "invalid_rels": {("aasx/missing-part", "_rels/.rels")},
    "no_rels": {("aasx/missing-rels", None)},
    # The origin part is missing although its relationships (and the spec part) exist.
    "rel_target_not_exists": {("aasx/missing-part", "_rels/.rels")},
    "unknown_filetype": {("aasx/unknown-part-type", "aasx/the_aas.invalid")},
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_fixture_gets_the_expected_error(case: str) -> None:
    result = check_directory(*ATE, "invalid", case)
    no_crash(result)
    found = {
        (f.rule, f.location.member) for f in result.findings if f.severity is Severity.ERROR
    }
    assert INVALID[case] <= found, found
    assert not result.ok


def test_every_invalid_fixture_is_covered() -> None:
    cases = {p.name for p in corpus_path(*ATE, "invalid").iterdir() if p.is_dir()}
    assert cases == set(INVALID)


# --- basyx compliance tool -------------------------------------------------------------------

#: basyx writes the aas-suppl target in lower case (/testfile.pdf) while the member is
#: TestFile.pdf: valid OPC (names compare case-insensitively), a warning here. The
#: metamodel layer reports content errors in the three example packages (a 3.0 part with
#: an empty <value/>; a JSON dataSpecificationContent with valueId): not packaging issues.
BASYX_CASES = {
    "test_demo_full_example_json_aasx": {"aasx/case-mismatch"},
    "test_demo_full_example_xml_aasx": {"aasx/case-mismatch"},
    "test_demo_full_example_xml_wrong_attribute_aasx": {"aasx/case-mismatch"},
    "test_empty_aasx": {"aasx/no-spec"},
}


@pytest.mark.parametrize("case", sorted(BASYX_CASES))
def test_basyx_packages_have_no_packaging_error(case: str) -> None:
    result = check_directory(*BASYX, case)
    no_crash(result)
    assert aasx_rules(result) == BASYX_CASES[case]
    assert not [
        f for f in result.findings
        if f.rule.startswith("aasx/") and f.severity is Severity.ERROR
    ]


def test_basyx_supplementary_file_is_found_despite_case() -> None:
    result = check_directory(*BASYX, "test_demo_full_example_xml_aasx")
    finding = next(f for f in result.findings if f.rule == "aasx/case-mismatch")
    assert finding.location.member == "aasx/_rels/data.xml.rels"
    assert "TestFile.pdf" in finding.message


# --- published packages ----------------------------------------------------------------------

#: Packaging findings of the published IDTA templates; every other template has none.
#: The File elements of these templates name sample files the packages do not contain;
#: the Digital Product Passport (written with AAS4J) marks its origin and spec
#: relationships TargetMode="External".
TEMPLATE_FINDINGS: dict[str, dict[str, int]] = {
    "DEXPI/1/0/IDTA 02012-1-0_Template_DEXPI.aasx": {"aasx/missing-supplementary-file": 2},
    "Digital Product Passport/Digital Product Passport Part-1/1/0/0/"
    "IDTA 02099-1_Template Digital Product Passport - Part 1.aasx": {"aasx/external-target": 2},
    "Digital Product Passport/Digital Product Passport Part-1/1/0/1/"
    "IDTA 02099-1_Template Digital Product Passport - Part 1.aasx": {"aasx/external-target": 2},
    "Factory Automation Data for Plant Planning/1/0/"
    "IDTA 02075_Template_FactoryAutomationDataForPlantPlanning.aasx": {
        "aasx/missing-supplementary-file": 1},
    "Handover Documentation/2/0/1/"
    "IDTA 02004-2-0-1_Template_sample_HandoverDocumentation_forAASMetamodelV3.1.aasx": {
        "aasx/missing-supplementary-file": 7},
    "Handover Documentation/2/0/1/IDTA 02004-2-0_Template_sample_HandoverDocumentation.aasx": {
        "aasx/missing-supplementary-file": 7},
    "MTP/1/0/1/IDTA_02001-1-0-1_Submodel_MTPv1.0-rc2-with-documentation1_en.aasx": {
        "aasx/missing-supplementary-file": 16},
    "MTP/1/0/1/"
    "IDTA_02001-1-0-1_Submodel_MTPv1.0-rc2-with-documentation1_en_forAASMetamodelV3.1.aasx": {
        "aasx/missing-supplementary-file": 16},
    "OPC UA Server Datasheet/1/0/IDTA 02009-1-0-Template-OPCUA-Server Datasheet.aasx": {
        "aasx/missing-supplementary-file": 1},
    "Provision of Simulation Models/1/1/IDTA 02005_Template_ProvisionOfSimulationModel.aasx": {
        "aasx/missing-supplementary-file": 7},
}


def _packages(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.aasx"))


def _check_published(path: Path) -> tuple[FileResult, Counter[str]]:
    result = validate_bytes(path.read_bytes(), path.name)
    no_crash(result)
    assert not [f for f in result.findings if f.rule.startswith(("syntax/", "xml/"))]
    assert result.aas_version in ("3.0", "3.1")
    assert result.model_type == "Environment"
    return result, Counter(f.rule for f in result.findings if f.rule.startswith("aasx/"))


@pytest.mark.slow
@pytest.mark.parametrize("name", _packages(TEMPLATES))
def test_published_template(name: str) -> None:
    _, counts = _check_published(corpus_path("templates", "published", *name.split("/")))
    assert dict(counts) == TEMPLATE_FINDINGS.get(name, {})


def test_template_expectations_name_existing_files() -> None:
    root = corpus_path("templates", "published")
    assert all((root / name).is_file() for name in TEMPLATE_FINDINGS)


@pytest.mark.parametrize("name", _packages(SAMM))
def test_samm_generated_package(name: str) -> None:
    result, counts = _check_published(corpus_path("samm", *name.split("/")))
    # AAS4J (92 of the 94) writes TargetMode="External" on the origin and spec relationships.
    assert dict(counts) in ({}, {"aasx/external-target": 2})
    assert result.aas_version == "3.0"

"""The AASX packaging layer: hostile zips, OPC structure, relationships, File elements.

Every package is built in memory. Hostile inputs must each give a located finding with the
expected rule id, never an exception, and a zip bomb must not raise memory use.
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
import struct
import tracemalloc
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from omp_models.aas.package._opc import classify, resolve_target
from omp_models.aas.package._zip import read_bounded, unsafe_name_reason
from omp_models.diagnostics import Finding, Severity, Where
from omp_validators.checks import aasx
from omp_validators.checks.aasx import PackageOutcome, check_package
from omp_validators.engine import check_document, validate_bytes
from omp_validators.options import Limits, ValidateOptions
from omp_validators.rules import get_rule

ROOT = Path(__file__).resolve().parents[2]
GiB = 1 << 30

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
ORIGIN = "http://admin-shell.io/aasx/relationships/aasx-origin"
SPEC = "http://admin-shell.io/aasx/relationships/aas-spec"
SUPPL = "http://admin-shell.io/aasx/relationships/aas-suppl"
THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"

CONTENT_TYPES = (
    f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CT_NS}">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="json" ContentType="application/json"/>'
    '<Default Extension="pdf" ContentType="application/pdf"/>'
    '<Default Extension="png" ContentType="image/png"/>'
    '<Override PartName="/aasx/aasx-origin" ContentType="text/plain"/></Types>'
)
XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    "<r>&x;</r>"
)
EMPTY_ENV_30 = '<environment xmlns="https://admin-shell.io/aas/3/0"/>'
EMPTY_ENV_31 = '<environment xmlns="https://admin-shell.io/aas/3/1"/>'


def rels(*entries: tuple[str, str] | tuple[str, str, str]) -> str:
    """A ``.rels`` part from (type, target[, target mode]) entries."""
    items = "".join(
        f'<Relationship Id="R{i}" Type="{e[0]}" Target="{e[1]}"'
        + (f' TargetMode="{e[2]}"' if len(e) > 2 else "")
        + "/>"
        for i, e in enumerate(entries)
    )
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    return f'{head}<Relationships xmlns="{REL_NS}">{items}</Relationships>'


def zip_bytes(members: dict[str, str | bytes] | list[tuple[str, str | bytes]],
              method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive of the members, in the order given."""
    items = list(members.items()) if isinstance(members, dict) else members
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are on purpose
        with zipfile.ZipFile(buffer, "w", method) as archive:
            for name, content in items:
                archive.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)),
                                 content.encode() if isinstance(content, str) else content,
                                 compress_type=method)
    return buffer.getvalue()


def package(
    specs: dict[str, str | bytes] | None = None,
    *,
    extra: dict[str, str | bytes] | None = None,
    root: tuple[tuple[str, str] | tuple[str, str, str], ...] | None = None,
    origin_rels: str | None = None,
    content_types: str | None = CONTENT_TYPES,
) -> dict[str, str | bytes]:
    """The members of a package whose origin lists ``specs`` (member -> content)."""
    specs = {"aasx/data.xml": EMPTY_ENV_30} if specs is None else specs
    members: dict[str, str | bytes] = {}
    if content_types is not None:
        members["[Content_Types].xml"] = content_types
    members["_rels/.rels"] = rels(*(root or ((ORIGIN, "/aasx/aasx-origin"),)))
    members["aasx/aasx-origin"] = ""
    members["aasx/_rels/aasx-origin.rels"] = (
        origin_rels if origin_rels is not None
        else rels(*((SPEC, "/" + name) for name in specs))
    )
    members.update(specs)
    members.update(extra or {})
    return members


def check(data: bytes | dict[str, str | bytes], options: ValidateOptions | None = None
          ) -> PackageOutcome:
    raw = zip_bytes(data) if isinstance(data, dict) else data
    return check_package(raw, Where("p.aasx"), options or ValidateOptions(), check_document)


def rules_of(outcome: PackageOutcome) -> set[str]:
    return {f.rule for f in outcome.findings}


def only(outcome: PackageOutcome, rule: str) -> list[Finding]:
    found = [f for f in outcome.findings if f.rule == rule]
    assert found, f"no {rule} in {[(f.rule, f.message) for f in outcome.findings]}"
    return found


def errors(outcome: PackageOutcome) -> list[Finding]:
    return [f for f in outcome.findings if f.severity is Severity.ERROR]


def env_with_file(value: str) -> dict[str, Any]:
    return {
        "submodels": [{
            "modelType": "Submodel", "id": "urn:x:sm", "idShort": "Docs",
            "submodelElements": [{
                "modelType": "File", "idShort": "Manual",
                "contentType": "application/pdf", "value": value,
            }],
        }]
    }


# --- a well-formed package ------------------------------------------------------------------


def test_minimal_package_is_clean_and_reports_the_part_version() -> None:
    outcome = check(package())
    assert outcome.findings == []
    assert (outcome.aas_version, outcome.version_source, outcome.model_type) == (
        "3.0", "namespace", "Environment")


def test_versions_of_several_parts_are_joined() -> None:
    outcome = check(package({"aasx/a.xml": EMPTY_ENV_31, "aasx/b.xml": EMPTY_ENV_30}))
    assert outcome.findings == []
    assert outcome.aas_version == "3.0,3.1"
    assert outcome.model_type == "Environment"


def test_spec_part_findings_carry_the_member() -> None:
    bad = json.dumps({"submodels": [{"modelType": "Submodel", "id": "urn:x", "idShort": "a b"}]})
    outcome = check(package({"aasx/data.json": bad}))
    finding = only(outcome, "AASd-002")[0]
    assert finding.location.member == "aasx/data.json"
    assert finding.location.line is not None


# --- hostile zips ---------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"hello, world", b'{"submodels": []}', b"\x00" * 100])
def test_not_a_zip(data: bytes) -> None:
    outcome = check(data)
    assert rules_of(outcome) == {"aasx/not-a-zip"}


def test_truncated_zip() -> None:
    data = zip_bytes(package())
    for cut in (len(data) // 2, len(data) - 10, 40):
        outcome = check(data[:cut])
        assert rules_of(outcome) == {"aasx/corrupt-zip"}


def test_corrupt_member_is_located_and_the_rest_is_checked() -> None:
    data = bytearray(zip_bytes(package({"aasx/data.xml": EMPTY_ENV_30 + " " * 500}),
                               zipfile.ZIP_STORED))
    at = data.find(b"<environment")
    data[at + 3] ^= 0x20
    outcome = check(bytes(data))
    finding = only(outcome, "aasx/corrupt-zip")[0]
    assert finding.location.member == "aasx/data.xml"
    assert "CRC" in finding.message


def _raw_zip(entries: list[dict[str, Any]]) -> bytes:
    """A zip archive written by hand, so that headers can lie.

    Each entry: name, payload (already compressed), method, crc, size (declared
    uncompressed size), csize (declared compressed size; default len(payload)).
    """
    out = io.BytesIO()
    central = io.BytesIO()
    for entry in entries:
        name = entry["name"].encode()
        payload = entry["payload"]
        csize = entry.get("csize", len(payload))
        offset = out.tell()
        fields = (20, 0x800, entry["method"], 0, 0x5C21, entry["crc"], csize, entry["size"],
                  len(name), 0)
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + name + payload)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields[:-1], 0, 0,
                                  0, 0, 0, offset) + name)
    cd_offset, cd = out.tell(), central.getvalue()
    out.write(cd)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                          len(cd), cd_offset, 0))
    return out.getvalue()


def _stored(name: str, content: str | bytes) -> dict[str, Any]:
    data = content.encode() if isinstance(content, str) else content
    return {"name": name, "payload": data, "method": 0, "crc": zlib.crc32(data),
            "size": len(data)}


@pytest.fixture(scope="module")
def gigabyte_of_zeros() -> tuple[bytes, int]:
    """A raw deflate stream of 1 GiB of zeros (about 1 MB) and its CRC-32."""
    chunk = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    # After a full flush the compressor starts afresh, so every MiB compresses the same.
    stream = block * 1024 + compressor.flush()
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(chunk, crc)
    return stream, crc


def _bomb_package(stream: bytes, crc: int, size: int) -> bytes:
    members = package({"aasx/bomb.xml": ""})
    entries = [_stored(n, c) for n, c in members.items() if n != "aasx/bomb.xml"]
    entries.append({"name": "aasx/bomb.xml", "payload": stream, "method": 8, "crc": crc,
                    "size": size})
    return _raw_zip(entries)


def _peak_memory(fn: Any) -> tuple[Any, int]:
    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("limits", "rule"),
    [
        (Limits(), "aasx/member-too-large"),
        (Limits(max_member_size=2 * GiB, max_total_size=4 * GiB), "aasx/compression-ratio"),
    ],
)
def test_zip_bomb_is_refused_with_bounded_memory(
    gigabyte_of_zeros: tuple[bytes, int], limits: Limits, rule: str
) -> None:
    stream, crc = gigabyte_of_zeros
    data = _bomb_package(stream, crc, GiB)
    outcome, peak = _peak_memory(lambda: check(data, ValidateOptions(limits=limits)))
    finding = only(outcome, rule)[0]
    assert finding.location.member == "aasx/bomb.xml"
    assert "aasx/missing-part" not in rules_of(outcome)  # it exists; it is just not read
    assert peak < 300 * (1 << 20), f"peak {peak / (1 << 20):.0f} MiB"


def test_header_that_understates_the_size_does_not_unleash_the_bomb(
    gigabyte_of_zeros: tuple[bytes, int],
) -> None:
    stream, crc = gigabyte_of_zeros
    data = _bomb_package(stream, crc, 1000)  # claims 1000 bytes
    outcome, peak = _peak_memory(lambda: check(data))
    finding = only(outcome, "aasx/corrupt-zip")[0]
    assert finding.location.member == "aasx/bomb.xml"
    assert peak < 300 * (1 << 20)


def test_reading_is_bounded_whatever_the_stream_produces() -> None:
    class Endless(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            buffer[:] = bytes(len(buffer))
            return len(buffer)

    stream = io.BufferedReader(Endless())
    assert read_bounded(stream, 10 << 20, 1 << 30, 200) == (None, "size")
    assert read_bounded(stream, 1 << 30, 10_000, 200) == (None, "ratio")
    assert read_bounded(io.BytesIO(b"x" * 10), 100, 1, 200) == (b"x" * 10, None)


def test_too_many_members() -> None:
    members = package(extra={f"aasx/files/{i}.png": b"x" for i in range(10)})
    outcome = check(members, ValidateOptions(limits=Limits(max_members=5)))
    assert rules_of(outcome) == {"aasx/too-many-members"}
    assert "15 members" in outcome.findings[0].message


def test_total_size_limit() -> None:
    members = package(extra={"aasx/files/big.bin": b"\x01" * 5000})
    outcome = check(members, ValidateOptions(limits=Limits(max_total_size=4000)))
    assert rules_of(outcome) == {"aasx/package-too-large"}


@pytest.mark.parametrize(
    "name", ["../evil.xml", "aasx/../../evil.xml", "/abs.xml", "C:\\evil.xml", "C:/evil.xml",
             "aasx\\data.xml"],
)
def test_unsafe_member_names(name: str) -> None:
    outcome = check(package(extra={name: "<x/>"}))
    finding = only(outcome, "aasx/unsafe-member-name")[0]
    assert finding.location.member == name
    assert finding.severity is Severity.ERROR
    # The rest of the package is still checked.
    assert outcome.aas_version == "3.0"
    assert rules_of(outcome) == {"aasx/unsafe-member-name"}


def test_unsafe_name_reasons() -> None:
    assert unsafe_name_reason("aasx/data.xml") is None
    assert unsafe_name_reason("aasx/..data.xml") is None  # not a '..' segment
    assert "traversal" in (unsafe_name_reason("a/../../b") or "")


def test_duplicate_member_names() -> None:
    members = [*package().items(), ("aasx/data.xml", "<not-checked/>")]
    outcome = check(zip_bytes(members))
    finding = only(outcome, "aasx/duplicate-member")[0]
    assert finding.location.member == "aasx/data.xml"
    assert outcome.aas_version == "3.0"  # the first one was checked


def test_member_names_that_differ_only_in_case() -> None:
    outcome = check(package(extra={"aasx/DATA.xml": EMPTY_ENV_30}))
    finding = only(outcome, "aasx/duplicate-member")[0]
    assert finding.location.member == "aasx/DATA.xml"


def test_unsupported_compression_method() -> None:
    data = zip_bytes(package(), zipfile.ZIP_BZIP2)
    outcome = check(data)
    assert {f.location.member for f in only(outcome, "aasx/unsupported-member")} >= {
        "aasx/data.xml", "_rels/.rels"}


@pytest.mark.parametrize("member", ["[Content_Types].xml", "_rels/.rels",
                                    "aasx/_rels/aasx-origin.rels", "aasx/data.xml"])
def test_doctype_is_refused_everywhere(member: str) -> None:
    members = package()
    members[member] = XXE
    outcome = check(members)
    finding = only(outcome, "xml/doctype")[0]
    assert finding.location.member == member
    assert "root:" not in " ".join(f.message for f in outcome.findings)


def test_hostile_inputs_never_become_internal_errors(gigabyte_of_zeros: tuple[bytes, int]
                                                      ) -> None:
    stream, crc = gigabyte_of_zeros
    inputs = [b"", b"PK\x03\x04garbage", zip_bytes(package())[:60],
              _bomb_package(stream, crc, GiB), _bomb_package(stream, crc, 10),
              zip_bytes(package(extra={"../x": "", "/y": ""})),
              zip_bytes({"[Content_Types].xml": XXE, "_rels/.rels": XXE})]
    for data in inputs:
        result = validate_bytes(data, "hostile.aasx")
        assert result.format == "aasx"
        assert not [f for f in result.findings if f.rule.startswith("tool/")]
        assert not result.ok


# --- OPC structure ---------------------------------------------------------------------------


def test_missing_content_types_and_rels() -> None:
    outcome = check(zip_bytes({"aasx/data.xml": EMPTY_ENV_30}))
    assert rules_of(outcome) == {"aasx/content-types", "aasx/missing-rels"}


def test_broken_content_types() -> None:
    outcome = check(package(content_types="<Types"))
    finding = only(outcome, "aasx/content-types")[0]
    assert finding.location.member == "[Content_Types].xml"
    assert finding.location.line == 1
    outcome = check(package(content_types='<Types xmlns="urn:wrong"/>'))
    assert "aasx/content-types" in rules_of(outcome)


def test_part_without_content_type() -> None:
    outcome = check(package(extra={"aasx/files/model.step": b"ISO-10303-21;"}))
    finding = only(outcome, "aasx/missing-content-type")[0]
    assert finding.location.member == "aasx/files/model.step"
    assert finding.severity is Severity.WARNING


def test_broken_rels() -> None:
    outcome = check(package(origin_rels="<Relationships"))
    assert only(outcome, "aasx/invalid-rels")[0].location.member == "aasx/_rels/aasx-origin.rels"
    entry = f'<Relationships xmlns="{REL_NS}"><Relationship Type="{SPEC}"/></Relationships>'
    finding = only(check(package(origin_rels=entry)), "aasx/invalid-rels")[0]
    assert finding.location.path == "/Relationships/*[1]"


def test_missing_origin_is_a_warning() -> None:
    outcome = check(package(root=((THUMBNAIL, "/aasx/data.xml"),)))
    assert rules_of(outcome) == {"aasx/missing-origin"}
    assert not errors(outcome)


def test_origin_without_spec_is_a_warning() -> None:
    outcome = check(package({}, origin_rels=rels()))
    assert rules_of(outcome) == {"aasx/no-spec"}
    assert not errors(outcome)


def test_multiple_origins() -> None:
    root = ((ORIGIN, "/aasx/aasx-origin"), (ORIGIN, "/aasx/aasx-origin"))
    assert "aasx/multiple-origins" in rules_of(check(package(root=root)))


@pytest.mark.parametrize("legacy", [
    "http://www.admin-shell.io/aasx/relationships/aasx-origin",
    "https://admin-shell.io/aasx/relationships/aasx-origin",
])
def test_legacy_origin_uri_is_accepted_with_a_warning(legacy: str) -> None:
    outcome = check(package(root=((legacy, "/aasx/aasx-origin"),)))
    finding = only(outcome, "aasx/legacy-relationship-uri")[0]
    assert finding.severity is Severity.WARNING
    assert (finding.location.member, finding.location.path) == ("_rels/.rels",
                                                                 "/Relationships/*[1]")
    assert outcome.aas_version == "3.0"  # still followed


def test_legacy_spec_uri() -> None:
    legacy = rels(("http://www.admin-shell.io/aasx/relationships/aas-spec", "/aasx/data.xml"))
    outcome = check(package(origin_rels=legacy))
    assert rules_of(outcome) == {"aasx/legacy-relationship-uri"}
    assert outcome.aas_version == "3.0"


def test_wrong_looking_official_uri_is_not_accepted() -> None:
    wrong = "http://admincontent-shell.io/aasx/relationships/aasx-origin"
    assert classify(wrong) == ("other", False)
    outcome = check(package(root=((wrong, "/aasx/aasx-origin"),)))
    assert "aasx/missing-origin" in rules_of(outcome)


def test_relationship_classification() -> None:
    assert classify(ORIGIN) == ("origin", False)
    assert classify(SPEC) == ("spec", False)
    assert classify("http://www.admin-shell.io/aasx/relationships/aas-suppl") == ("suppl", True)
    assert classify(THUMBNAIL) == ("thumbnail", False)


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("aasx/aasx-origin", "data.xml", "aasx/data.xml"),
        ("aasx/aasx-origin", "/aasx/data.xml", "aasx/data.xml"),
        ("aasx/aasx-origin", "../aasx/data.xml", "aasx/data.xml"),
        ("aasx/aasx-origin", "./sub/data.xml", "aasx/sub/data.xml"),
        ("aasx/aasx-origin", "../../../data.xml", "data.xml"),
        ("", "aasx/aasx-origin", "aasx/aasx-origin"),
        ("aasx/data.xml", "files/my%20manual.pdf", "aasx/files/my manual.pdf"),
        ("aasx/data.xml", "/files/x.pdf#page=2", "files/x.pdf"),
    ],
)
def test_targets_resolve_relative_to_the_source_part(source: str, target: str,
                                                      expected: str) -> None:
    assert resolve_target(source, target)[0] == expected


def test_relative_spec_targets() -> None:
    origin = rels((SPEC, "data.xml"), (SPEC, "../aasx/more.xml"))
    outcome = check(package({"aasx/data.xml": EMPTY_ENV_30, "aasx/more.xml": EMPTY_ENV_31},
                            origin_rels=origin))
    assert outcome.findings == []
    assert outcome.aas_version == "3.0,3.1"


def test_percent_encoded_target() -> None:
    origin = rels((SPEC, "/aasx/my%20data.xml"))
    outcome = check(package({"aasx/my data.xml": EMPTY_ENV_30}, origin_rels=origin))
    assert outcome.findings == [] and outcome.aas_version == "3.0"


def test_missing_spec_part() -> None:
    outcome = check(package({}, origin_rels=rels((SPEC, "data.xml"))))
    finding = only(outcome, "aasx/missing-part")[0]
    assert finding.location.member == "aasx/_rels/aasx-origin.rels"
    assert finding.location.line == 1 and "/aasx/data.xml" in finding.message


def test_target_matching_only_in_another_case() -> None:
    origin = rels((SPEC, "/aasx/Data.xml"))
    outcome = check(package({"aasx/data.xml": EMPTY_ENV_30}, origin_rels=origin))
    finding = only(outcome, "aasx/case-mismatch")[0]
    assert finding.severity is Severity.WARNING and "'aasx/data.xml'" in finding.message
    assert "aasx/missing-part" not in rules_of(outcome)
    assert outcome.aas_version == "3.0"  # resolved, and checked


def test_spec_pointing_to_the_origin_is_not_followed() -> None:
    origin = rels((SPEC, "/aasx/data.xml"), (SPEC, "/aasx/aasx-origin"), (SPEC, "data.xml"))
    outcome = check(package(origin_rels=origin))
    found = only(outcome, "aasx/recursive-relationship")
    assert len(found) == 2 and not errors(outcome)


def test_unknown_spec_part_type() -> None:
    outcome = check(package({"aasx/data.bin": "INVALID"}))
    assert only(outcome, "aasx/unknown-part-type")[0].location.member == "aasx/data.bin"


def test_spec_part_type_from_content_type() -> None:
    types = CONTENT_TYPES.replace(
        "</Types>", '<Override PartName="/aasx/environment" ContentType="application/json"/>'
        "</Types>")
    outcome = check(package({"aasx/environment": "{}"}, content_types=types))
    assert outcome.findings == [] and outcome.model_type == "Environment"


def test_external_target_mode_is_followed_with_a_warning() -> None:
    outcome = check(package(root=((ORIGIN, "/aasx/aasx-origin", "External"),)))
    finding = only(outcome, "aasx/external-target")[0]
    assert finding.severity is Severity.WARNING
    assert outcome.aas_version == "3.0"
    url = rels((SPEC, "https://example.com/data.xml"))
    assert "aasx/external-target" in rules_of(check(package({}, origin_rels=url)))


def test_thumbnail() -> None:
    root = ((ORIGIN, "/aasx/aasx-origin"), (THUMBNAIL, "/thumb.png"))
    assert rules_of(check(package(root=root, extra={"thumb.png": b"png"}))) == set()
    finding = only(check(package(root=root)), "aasx/missing-thumbnail")[0]
    assert finding.severity is Severity.WARNING and finding.location.member == "_rels/.rels"


def test_supplementary_relationships() -> None:
    spec_rels = rels((SUPPL, "files/manual.pdf"), (SUPPL, "/aasx/files/gone.pdf"))
    members = package(extra={"aasx/_rels/data.xml.rels": spec_rels,
                             "aasx/files/manual.pdf": b"%PDF"})
    finding = only(check(members), "aasx/missing-part")[0]
    assert finding.location.member == "aasx/_rels/data.xml.rels"
    assert "gone.pdf" in finding.message


# --- File elements ---------------------------------------------------------------------------


def test_missing_supplementary_file_is_located_in_json() -> None:
    spec = json.dumps(env_with_file("/aasx/files/missing.pdf"), indent=2)
    outcome = check(package({"aasx/data.json": spec}))
    finding = only(outcome, "aasx/missing-supplementary-file")[0]
    loc = finding.location
    assert (loc.member, loc.path) == ("aasx/data.json",
                                      "/submodels/0/submodelElements/0/value")
    assert loc.line == spec.splitlines().index(
        next(line for line in spec.splitlines() if "missing.pdf" in line)) + 1


def test_missing_supplementary_file_is_located_in_xml() -> None:
    spec = (
        '<environment xmlns="https://admin-shell.io/aas/3/0">\n<submodels>\n<submodel>\n'
        "<idShort>Docs</idShort>\n<id>urn:x:sm</id>\n<submodelElements>\n<file>\n"
        "<idShort>Manual</idShort>\n<value>/aasx/files/missing.pdf</value>\n"
        "<contentType>application/pdf</contentType>\n</file>\n</submodelElements>\n"
        "</submodel>\n</submodels>\n</environment>\n"
    )
    outcome = check(package({"aasx/data.xml": spec}))
    finding = only(outcome, "aasx/missing-supplementary-file")[0]
    assert finding.location.path == "/environment/submodels/*[1]/submodelElements/*[1]/value"
    assert finding.location.line == 9


@pytest.mark.parametrize(
    ("value", "present"),
    [
        ("/aasx/files/manual.pdf", "aasx/files/manual.pdf"),
        ("files/manual.pdf", "aasx/files/manual.pdf"),  # relative to the spec part
        ("aasx/files/manual.pdf", "aasx/files/manual.pdf"),  # relative to the root
        ("/aasx/files/my%20manual.pdf", "aasx/files/my manual.pdf"),
        ("https://example.com/manual.pdf", None),  # a URL is not checked
        ("file:///C:/manual.pdf", None),
    ],
)
def test_present_or_external_files_are_fine(value: str, present: str | None) -> None:
    extra: dict[str, str | bytes] = {present: b"%PDF"} if present else {}
    spec = json.dumps(env_with_file(value))
    outcome = check(package({"aasx/data.json": spec}, extra=extra))
    assert outcome.findings == []


def test_file_value_in_another_case_and_windows_path() -> None:
    spec = json.dumps(env_with_file("/aasx/files/Manual.PDF"))
    outcome = check(package({"aasx/data.json": spec}, extra={"aasx/files/manual.pdf": b"x"}))
    assert rules_of(outcome) == {"aasx/case-mismatch"}
    spec = json.dumps(env_with_file("C:\\docs\\manual.pdf"))
    finding = only(check(package({"aasx/data.json": spec})), "aasx/missing-supplementary-file")
    assert "backslash" in finding[0].message


def test_select_and_ignore_apply_to_package_findings() -> None:
    members = package(extra={"aasx/files/model.step": b"x"})
    assert check(members, ValidateOptions(ignore=("aasx/missing-content-type",))).findings == []
    assert check(members, ValidateOptions(select=("AASd",))).findings == []


# --- rules and the example -------------------------------------------------------------------


def test_rules_are_registered_documented_and_used() -> None:
    ids = [rule.id for rule in aasx.RULES]
    assert len(ids) == len(set(ids))
    for rule in aasx.RULES:
        assert re.fullmatch(r"aasx/[a-z]+(?:-[a-z]+)*", rule.id), rule.id
        assert rule.source == "aasx" and rule.title and rule.description and rule.hint
        assert get_rule(rule.id) == rule
    sources = "".join(
        (ROOT / "omp_models" / "aas" / "package" / name).read_text()
        for name in ("_walk.py", "_opc.py", "_zip.py"))
    used = set(re.findall(r'"(aasx/[a-z-]+)"', sources))
    assert used == set(ids)


def _example_builder() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_example_aasx", ROOT / "scripts" / "make_example_aasx.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_example_package_is_current_and_clean() -> None:
    builder = _example_builder()
    data = builder.build()
    assert data == builder.build()  # deterministic
    assert builder.OUT.read_bytes() == data, "run scripts/make_example_aasx.py"
    result = validate_bytes(data, "press-line-3.0.aasx")
    assert result.findings == ()
    assert result.model_type == "Environment"
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names == sorted(names)
    assert "aasx/files/maintenance-notes.txt" in names

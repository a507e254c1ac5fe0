"""Hostile JSON and XML: each case gives a located finding, no crash, bounded memory.

(AASX zip bombs and path traversal are in test_aasx.py.)
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from omp_validators import Limits, ValidateOptions, validate, validate_bytes
from tests.conftest import PEAK_RSS_KIB

XXE_FILE = b"""<?xml version="1.0"?>
<!DOCTYPE environment [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<environment xmlns="https://admin-shell.io/aas/3/0"><submodels><submodel>
<id>&xxe;</id></submodel></submodels></environment>"""

XXE_NETWORK = b"""<?xml version="1.0"?>
<!DOCTYPE environment SYSTEM "http://127.0.0.1:9/evil.dtd">
<environment xmlns="https://admin-shell.io/aas/3/0"/>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<environment xmlns="https://admin-shell.io/aas/3/0"><submodels><submodel>
<id>&lol9;</id></submodel></submodels></environment>"""


def rules_of(data: bytes, name: str, options: ValidateOptions | None = None) -> list[str]:
    result = validate_bytes(data, name, options)
    return [f.rule for f in result.findings]


@pytest.mark.parametrize("data", [XXE_FILE, XXE_NETWORK, BILLION_LAUGHS],
                         ids=["xxe-file", "xxe-network", "billion-laughs"])
def test_doctype_is_refused_before_parsing(data: bytes) -> None:
    result = validate_bytes(data, "evil.xml")
    assert [f.rule for f in result.findings] == ["xml/doctype"]
    finding = result.findings[0]
    assert finding.location.line == 1
    assert "passwd" not in finding.message and "root:" not in finding.message


def test_doctype_after_comments_and_in_utf16_is_refused() -> None:
    data = b'<?xml version="1.0"?>\n<!-- hi -->\n' + BILLION_LAUGHS.split(b"\n", 1)[1]
    assert rules_of(data, "a.xml") == ["xml/doctype"]
    utf16 = BILLION_LAUGHS.replace(b'<?xml version="1.0"?>', b"").decode().encode("utf-16")
    assert rules_of(utf16, "b.xml") == ["xml/doctype"]


def test_entity_reference_without_doctype_is_a_syntax_error() -> None:
    data = (b'<environment xmlns="https://admin-shell.io/aas/3/0"><submodels><submodel>'
            b"<id>&ent;</id></submodel></submodels></environment>")
    result = validate_bytes(data, "e.xml")
    assert [f.rule for f in result.findings] == ["syntax/xml"]
    assert result.findings[0].location.line == 1


def test_billion_laughs_memory_is_bounded() -> None:
    """Run in a fresh process and measure its peak RSS (< 300 MB)."""
    code = textwrap.dedent(
        f"""
        from omp_validators import validate_bytes
        data = {BILLION_LAUGHS!r}
        for _ in range(20):
            validate_bytes(data, "x.xml")
        print({PEAK_RSS_KIB})
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    peak_kib = int(out.stdout.strip())
    assert peak_kib < 300 * 1024


def test_deep_json_nesting() -> None:
    data = b'{"submodels": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    result = validate_bytes(data, "deep.json")
    assert [f.rule for f in result.findings] == ["limits/depth"]
    assert result.findings[0].location.line == 1


def test_deep_aas_nesting_within_the_parser_limit() -> None:
    """500 nested collections: parseable JSON, but too deep for the recursive engine."""
    inner: str = '{"modelType": "Property", "idShort": "p", "valueType": "xs:string"}'
    for _ in range(500):
        inner = ('{"modelType": "SubmodelElementCollection", "idShort": "c", "value": ['
                 + inner + "]}")
    data = ('{"submodels": [{"modelType": "Submodel", "id": "urn:x", "submodelElements": ['
            + inner + "]}]}").encode()
    result = validate_bytes(data, "deep-aas.json")
    rules = [f.rule for f in result.findings]
    assert "tool/internal-error" not in rules
    assert rules == ["limits/depth"] or all(r != "limits/depth" for r in rules)


def test_deep_xml_nesting() -> None:
    data = (b'<environment xmlns="https://admin-shell.io/aas/3/0">' + b"<a>" * 20000
            + b"</a>" * 20000 + b"</environment>")
    result = validate_bytes(data, "deep.xml")
    rules = [f.rule for f in result.findings]
    assert len(rules) == 1 and rules[0] != "tool/internal-error", rules
    assert rules[0].startswith(("limits/", "aas/", "syntax/"))
    assert result.findings[0].location.line is not None


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b'{"submodels": []}' + b" " * 5000)
    options = ValidateOptions(limits=Limits(max_file_size=1000))
    report = validate([str(path)], options)
    assert [f.rule for f in report.files[0].findings] == ["limits/size"]


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs named pipes")
def test_size_limit_holds_for_input_whose_size_is_not_known_upfront(tmp_path: Path) -> None:
    """A pipe (size 0 to stat) that delivers more than the limit: a finding, and reading
    stops at the limit instead of taking everything in."""
    import contextlib
    import os
    import threading

    path = tmp_path / "stream.json"
    os.mkfifo(path)
    payload = b'{"submodels": []}' + b" " * 1_000_000

    def feed() -> None:
        # BrokenPipeError: the reader stopped at the limit, as it should.
        with path.open("wb", buffering=0) as pipe, contextlib.suppress(BrokenPipeError):
            pipe.write(payload)

    writer = threading.Thread(target=feed)
    writer.start()
    report = validate([str(path)], ValidateOptions(limits=Limits(max_file_size=1000)))
    writer.join(timeout=10)
    findings = report.files[0].findings
    assert [f.rule for f in findings] == ["limits/size"]
    assert "more than 1000 bytes" in findings[0].message


def test_invalid_utf8_is_located() -> None:
    data = b'{\n  "submodels": [\n    {"id": "\xff"}\n  ]\n}'
    result = validate_bytes(data, "bad.json")
    assert [f.rule for f in result.findings] == ["syntax/encoding"]
    loc = result.findings[0].location
    assert (loc.line, loc.column) == (3, 13)


@pytest.mark.parametrize("data", [b"", b"   ", b"\x00\x01\x02garbage"])
def test_empty_or_binary_input(data: bytes) -> None:
    result = validate_bytes(data, "x.json")
    assert result.findings and not result.ok


def test_unknown_format_from_stdin() -> None:
    assert rules_of(b"hello world", "-") == ["syntax/unknown-format"]


def test_batch_continues_after_hostile_files(tmp_path: Path) -> None:
    (tmp_path / "1.xml").write_bytes(BILLION_LAUGHS)
    (tmp_path / "2.json").write_bytes(b"[" * 3000)
    (tmp_path / "3.json").write_bytes(b'{"submodels": [{"modelType": "Submodel", "id": "x"}]}')
    report = validate([str(tmp_path)])
    assert [r.ok for r in report.files] == [False, False, True]


def test_memory_of_a_large_valid_file_stays_reasonable(tmp_path: Path) -> None:
    """A 20 MB environment in a fresh process stays well under 300 MB peak RSS."""
    props = ",".join(
        f'{{"modelType": "Property", "idShort": "p{i}", "valueType": "xs:int", "value": "{i}"}}'
        for i in range(150_000)
    )
    path = tmp_path / "large.json"
    path.write_text('{"submodels": [{"modelType": "Submodel", "id": "urn:x", '
                    f'"submodelElements": [{props}]}}]}}')
    code = ("from omp_validators import validate\n"
            f"r = validate([{str(path)!r}])\nassert r.files[0].ok, r.files[0].findings\n"
            f"print({PEAK_RSS_KIB})")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    peak_kib = int(out.stdout.strip())
    assert path.stat().st_size > 10_000_000
    assert peak_kib < 1024 * 1024, f"peak {peak_kib} KiB"


def test_syntax_error_position_is_not_taken_from_an_earlier_document() -> None:
    """libxml2's error log is process-wide; an earlier failure must not leak in."""
    import contextlib

    from lxml import etree

    # Leave unrelated errors (another document, line 3; a schema violation) in the log.
    with contextlib.suppress(etree.XMLSyntaxError):
        etree.fromstring(b"<a>\n\n<b></a>")
    schema = etree.XMLSchema(etree.fromstring(
        b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        b'<xs:element name="a" type="xs:int"/></xs:schema>'))
    assert not schema.validate(etree.fromstring(b"<a>\n\nx</a>"))
    test_entity_reference_without_doctype_is_a_syntax_error()


@pytest.mark.parametrize("engine", ["fast", "reference"])
@pytest.mark.parametrize(
    ("value_type", "value"),
    [("xs:date", "1" * 5000 + "-01-01"), ("xs:dateTime", "1" * 5000 + "-01-01T00:00:00")],
)
def test_numbers_beyond_int_conversion_limit_are_a_finding(
    engine: str, value_type: str, value: str
) -> None:
    """Regression: aas-core's int() of a 5,000-digit year raised ValueError (exit 3)."""
    doc = (
        '{"modelType": "Property", "idShort": "p", '
        f'"valueType": "{value_type}", "value": "{value}"}}'
    ).encode()
    result = validate_bytes(doc, "big.json", ValidateOptions(aas_version="3.0", engine=engine))
    rules = [f.rule for f in result.findings]
    assert rules == ["limits/digits"], rules


@pytest.mark.parametrize(
    "prolog",
    [b" " * 60_000, b"\n\t " * 20_000, b"<!-- x -->" * 6_000, b"<?pi x?>\n" * 6_000],
    ids=["spaces", "mixed-whitespace", "comments", "processing-instructions"],
)
def test_long_prolog_is_scanned_in_linear_time(prolog: bytes) -> None:
    """Regression: the DOCTYPE check backtracked exponentially on leading whitespace.

    Run in a child process with a deadline, so a regression fails instead of hanging.
    """
    code = textwrap.dedent(f"""
        from omp_models.aas._xml import has_doctype
        prolog = {prolog!r}
        assert not has_doctype(prolog + b"<environment/>")
        assert has_doctype(prolog + b"<!DOCTYPE x []><environment/>")
        assert not has_doctype(prolog)
    """)
    subprocess.run([sys.executable, "-c", code], check=True, timeout=20)

"""Model validation: the fast structural rules, and the SAMM SHACL shapes (few models)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from omp_models.diagnostics import Severity
from omp_models.samm import MODEL_RULES, check_model, load_aspect, shacl_findings
from omp_models.samm import _shacl as shacl_module
from omp_validators.rules import get_rule
from tests.conftest import CORPUS

# The Eclipse ESMF SDK's test models (MPL-2.0) are public data that belongs in the shared
# corpus (../shared/corpus/samm-esmf, laid out as upstream: valid/, invalid/, payloads/);
# without it this module is skipped, with this reason.
ESMF = CORPUS / "samm-esmf"
pytestmark = pytest.mark.skipif(
    not ESMF.exists(), reason=f"ESMF SDK test models not in the shared corpus: {ESMF}"
)
VALID = ESMF / "valid" / "org.eclipse.esmf.test" / "1.0.0"
INVALID = ESMF / "invalid" / "org.eclipse.esmf.test" / "1.0.0"
HEAD = """@prefix samm: <urn:samm:org.eclipse.esmf.samm:meta-model:2.1.0#> .
@prefix samm-c: <urn:samm:org.eclipse.esmf.samm:characteristic:2.1.0#> .
@prefix unit: <urn:samm:org.eclipse.esmf.samm:unit:2.1.0#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <urn:samm:org.example:1.0.0#> .
"""


def _findings(path: Path) -> list[tuple[str, str]]:
    model = load_aspect(path)
    return sorted((f.rule, f.severity.value) for f in model.findings + check_model(model))


def _model(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "org.example" / "1.0.0"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "Test.ttl"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def test_rules_are_registered() -> None:
    assert len(MODEL_RULES) >= 30
    for rule in MODEL_RULES:
        assert rule.id.startswith("samm/") and get_rule(rule.id) == rule
    assert get_rule("samm/payload-required") is not None


@pytest.mark.parametrize("path", sorted(VALID.glob("*.ttl")), ids=lambda p: p.stem)
def test_valid_esmf_models_have_no_findings(path: Path) -> None:
    assert _findings(path) == []


#: The upstream negative set: each model and the rule that catches it.
INVALID_MODELS = {
    "ActuallyJson": "samm/syntax",
    "AspectWithInvalidAnonymousRegexConstraint": "samm/invalid-regex",
    "AspectWithInvalidBlankStructuredValue": "samm/missing-attribute",
    "AspectWithInvalidRegexConstraint": "samm/invalid-regex",
    "AspectWithInvalidVersion": "samm/unsupported-version",
    "AspectWithRecursiveProperty": "samm/recursive-property",
    "InvalidAspectWithTwoAspects": "samm/multiple-aspects",
    "InvalidCharacteristicDatatype": "samm/missing-datatype",
    "InvalidEncoding": "samm/encoding",
    "InvalidExampleValueDatatype": "samm/example-datatype",
    "InvalidPreferredNameDatatype": "samm/language-tag",
    "InvalidSyntax": "samm/syntax",
    "InvalidUri": "samm/example-datatype",
    "ModelWithCycles": "samm/recursive-property",
    "RangeConstraintWithWrongType": "samm/constraint",
}


@pytest.mark.parametrize(("name", "rule"), sorted(INVALID_MODELS.items()))
def test_invalid_esmf_models_are_caught(name: str, rule: str) -> None:
    found = _findings(INVALID / f"{name}.ttl")
    assert (rule, "error") in found


def test_the_valid_model_of_the_negative_set() -> None:
    assert _findings(INVALID / "ValidAspect.ttl") == []


CASES = [
    (':A a samm:Aspect ; samm:preferredName "a"@en, "b"@en ; samm:properties ( ) .\n',
     "samm/language-tag"),
    (':A a samm:Aspect ; samm:see "not an IRI" ; samm:properties ( ) .\n',
     "samm/invalid-value"),
    (":A a samm:Aspect ; samm:properties ( :p [ samm:property :q ; samm:payloadName \"p\" ] ) .\n"
     ":p a samm:Property ; samm:characteristic samm-c:Text .\n"
     ":q a samm:Property ; samm:characteristic samm-c:Text .\n", "samm/payload-name-clash"),
    (":A a samm:Aspect ; samm:properties ( :p :p ) .\n"
     ":p a samm:Property ; samm:characteristic samm-c:Text .\n", "samm/duplicate-property"),
    (":A a samm:Aspect ; samm:properties ( :p ) .\n"
     ":p a samm:Property ; samm:characteristic :T .\n"
     ":T a samm-c:Trait ; samm-c:baseCharacteristic samm-c:Text ; samm-c:constraint "
     "[ a samm-c:LengthConstraint ; samm-c:minValue 5 ; samm-c:maxValue 2 ] .\n",
     "samm/constraint"),
    (":A a samm:Aspect ; samm:properties ( :p ) .\n"
     ":p a samm:Property ; samm:characteristic :T .\n"
     ":T a samm-c:Trait ; samm-c:baseCharacteristic :N ; samm-c:constraint "
     "[ a samm-c:RangeConstraint ; samm-c:minValue \"9\"^^xsd:int ; "
     "samm-c:maxValue \"2\"^^xsd:int ] .\n"
     ":N a samm:Characteristic ; samm:dataType xsd:int .\n", "samm/constraint"),
    (":A a samm:Aspect ; samm:properties ( :p ) .\n"
     ":p a samm:Property ; samm:characteristic :E .\n"
     ":E a samm-c:Either ; samm-c:left samm-c:Text ; samm-c:right samm-c:Text .\n",
     "samm/either"),
    (":A a samm:Aspect ; samm:properties ( :p ) .\n"
     ":p a samm:Property ; samm:characteristic :S .\n"
     ":S a samm-c:State ; samm:dataType xsd:string ; samm-c:values ( \"a\" \"b\" ) ; "
     "samm-c:defaultValue \"c\" .\n", "samm/enumeration-value"),
    (":A a samm:Aspect ; samm:properties ( :p ) .\n"
     ":p a samm:Property ; samm:characteristic :D .\n"
     ":D a samm-c:Duration ; samm:dataType xsd:int ; samm-c:unit unit:metre .\n",
     "samm/duration-unit"),
    (":A a samm:Aspect ; samm:properties ( :p ) .\n"
     ":p a samm:Property ; samm:characteristic :S .\n"
     ":S a samm-c:SingleEntity ; samm:dataType xsd:string .\n", "samm/entity-datatype"),
    (":A a samm:Aspect ; samm:properties ( :p ) .\n"
     ":p a samm:Property ; samm:characteristic :T ; samm:exampleValue \"abc\" .\n"
     ":T a samm-c:Trait ; samm-c:baseCharacteristic samm-c:Text ; samm-c:constraint "
     "[ a samm-c:RegularExpressionConstraint ; samm:value \"^[0-9]+$\" ] .\n",
     "samm/example-value"),
]


@pytest.mark.parametrize(("body", "rule"), CASES, ids=[c[1] for c in CASES])
def test_structural_rules(tmp_path: Path, body: str, rule: str) -> None:
    path = _model(tmp_path, body)
    model = load_aspect(path)
    hits = [f for f in check_model(model) if f.rule == rule]
    assert hits, check_model(model)
    finding = hits[0]
    assert finding.location.file == str(path)
    assert finding.location.line is not None and finding.location.line > 5


def test_example_breaking_only_the_payload_schema_is_a_warning(tmp_path: Path) -> None:
    path = _model(tmp_path, ":A a samm:Aspect ; samm:properties ( :p ) .\n"
                            ":p a samm:Property ; samm:characteristic :C ; "
                            "samm:exampleValue \"c\" .\n"
                            ":C a samm-c:Enumeration ; samm:dataType xsd:string ; "
                            "samm-c:values ( \"a\" \"b\" ) .\n")
    findings = check_model(load_aspect(path))
    assert [(f.rule, f.severity) for f in findings] == [("samm/example-value",
                                                         Severity.WARNING)]


def test_cycles_outside_the_aspect_are_not_reported() -> None:
    rules = [r for r, _ in _findings(VALID / "ModelWithBrokenCycles.ttl")]
    assert "samm/recursive-property" not in rules


# -- SHACL -------------------------------------------------------------------------------------
SHACL_MODEL = """:Bad a samm:Aspect ;
   samm:preferredName "Bad"@en ;
   samm:properties ( :noChar :temp ) ;
   samm:operations ( ) .

:noChar a samm:Property ;
   samm:see "not-an-iri" .

:temp a samm:Property ;
   samm:characteristic :TempTrait ;
   samm:exampleValue "abc" .

:TempTrait a samm-c:Trait ;
   samm-c:baseCharacteristic samm-c:Text ;
   samm-c:constraint [ a samm-c:RegularExpressionConstraint ; samm:value "^[0-9]+$" ] .
"""


def test_shacl_shapes_and_their_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _model(tmp_path, SHACL_MODEL)
    model = load_aspect(path)
    cache = tmp_path / "cache"
    findings = shacl_findings(model, "Test.ttl", cache_dir=cache)
    # exactly the three defects: the valid elements (aspect, trait, ...) raise nothing
    assert len(findings) == 3
    messages = {(f.location.path, f.location.line, f.message) for f in findings}
    assert all(f.rule == "samm/shacl" and f.severity is Severity.ERROR for f in findings)
    assert any("noChar" in (p or "") and line == 11 and "characteristic" in m
               for p, line, m in messages)
    assert any("Node Kind sh:IRI" in m for _, _, m in messages)
    regex = [m for p, _, m in messages if "does not match the pattern" in m]
    assert regex and "anonymous element of TempTrait" in regex[0]
    assert len(list(cache.glob("*.json"))) == 1
    # the second run reads the cache: pyshacl is not called again
    monkeypatch.setattr(shacl_module, "_results", lambda _model: pytest.fail("not cached"))
    started = time.monotonic()
    again = shacl_findings(model, "Test.ttl", cache_dir=cache)
    assert again == findings and time.monotonic() - started < 2
    # another content, another key
    path.write_text(path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    monkeypatch.undo()
    changed = load_aspect(path)
    assert shacl_module._cache_key(changed, "x") != shacl_module._cache_key(model, "x")


def test_shacl_without_pyshacl(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real = builtins.__import__

    def refuse(name: str, *args: object, **kwargs: object) -> object:
        if name == "pyshacl":
            raise ImportError("no pyshacl")
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", refuse)
    with pytest.raises(shacl_module.ShaclUnavailable, match="omp-toolkit\\[shacl\\]"):
        shacl_findings(load_aspect(VALID / "AspectWithEither.ttl"))


def test_findings_serialise() -> None:
    model = load_aspect(INVALID / "InvalidSyntax.ttl")
    (finding,) = model.findings
    data = finding.to_dict()
    assert json.loads(json.dumps(data))["location"]["line"] == finding.location.line

"""The vocabulary data (``_vocab.json``) agrees with the published DTDL v3 files.

``_vocab.json`` is generated from the reference parser's metamodel digest (see
``omp_models/formats/dtdl/_make_vocab.py``); these tests check it against the DTDL v3
context, quantitativeTypes context and quantitativeTypes elements of the shared corpus.
"""

from __future__ import annotations

import json
from typing import Any

from omp_models.formats.dtdl._validate import _standard
from omp_models.formats.dtdl._vocab import vocabulary
from tests.conftest import corpus_path

#: Where the reference parser's digest corrects the published elements file (unit id ->
#: (published symbol, digest symbol)): the published file gives cubic metre per hour the
#: symbol of cubic foot per hour.
CORRECTED_SYMBOLS = {
    "dtmi:dtdl:extension:quantitativeTypes:v1:unit:cubicMetrePerHour": ("ft³/h", "m³/h"),
}


def _load(*parts: str) -> Any:
    return json.loads(corpus_path(*parts).read_text(encoding="utf-8-sig"))


def _context_ids(context: dict[str, Any]) -> dict[str, str]:
    return {term: value["@id"] for term, value in context.items()
            if isinstance(value, dict) and isinstance(value.get("@id"), str)
            and value["@id"].startswith("dtmi:")}


def test_v3_terms_match_the_published_context() -> None:
    published = _context_ids(_load("formats", "dtdl", "opendigitaltwins-dtdl", "DTDL", "v3",
                                   "context", "DTDL.v3.context.json"))
    ours = vocabulary().contexts["dtmi:dtdl:context;3"]
    shared = set(published) & set(ours)
    assert len(shared) >= 60
    assert {t: published[t] for t in shared} == {t: ours[t] for t in shared}


def test_quantitative_types_match_the_published_extension() -> None:
    base = ("formats", "dtdl", "opendigitaltwins-dtdl", "DTDL", "v3")
    published = _context_ids(_load(*base, "context",
                                   "DTDL.FeatureExtension.quantitativeTypes.v1.context.json"))
    ours = vocabulary().contexts["dtmi:dtdl:extension:quantitativeTypes;1"]
    assert published == ours
    standard = _standard()
    elements = _load(*base, "metamodel", "DTDL.FeatureExtension.quantitativeTypes.v1.Elements.json")
    checked = 0
    for enum in elements:
        for value in enum["enumValues"]:
            unit = standard[value["@id"]]
            assert unit.parent == enum["@id"]
            assert unit.literals["enumValue"] == value["enumValue"]
            if "symbol" in value:
                ours = unit.supplemental["dtmi:dtdl:property:symbol;3"]
                expected = CORRECTED_SYMBOLS.get(value["@id"], (value["symbol"], ours))
                assert (value["symbol"], ours) == expected
            checked += 1
    assert checked > 250


def test_every_supported_version_and_context_is_there() -> None:
    vocab = vocabulary()
    assert sorted(vocab.versions) == [2, 3]
    assert vocab.versions[3].classes["NamedEntity"].properties["name"].max_length == 512
    assert vocab.versions[2].classes["NamedEntity"].properties["name"].max_length == 64
    assert "dtmi:dtdl:extension:quantitativeTypes;1" in vocab.contexts
    assert vocab.source["repository"].endswith("DTDLParser")

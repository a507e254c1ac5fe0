"""The JSON form of a basyx environment equals what basyx's own JSON text reads back as.

:func:`omp_models.aas.io.environment_to_jsonable` builds the plain JSON values directly
(no text in between, one method lookup per class, references and language strings written
directly). These tests compare it, key order included, with the plain route: basyx's
encoder (with its own handling of the abstract classes) to JSON text, ``json.loads``, empty
lists removed, identifiables and set-valued properties sorted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from basyx.aas import model
from basyx.aas.adapter.json import AASToJsonEncoder, object_store_to_json
from basyx.aas.examples.data import (
    create_example,
    example_aas_mandatory_attributes,
    example_aas_missing_attributes,
    example_submodel_template,
)

from omp_models.aas._jsonable import _encoder, _Plain
from omp_models.aas.io import AasEnvironment, environment_to_jsonable
from omp_models.formats import ConvertOptions, Source, get_format
from tests.conftest import ROOT, corpus_path


def _stock_encoder() -> type:
    """Our encoder with basyx's own method for the abstract classes."""
    base: Any = _encoder()

    class Stock(base):  # type: ignore[misc]
        _abstract_classes_to_json = AASToJsonEncoder.__dict__["_abstract_classes_to_json"]

    return Stock


def _drop_empty_lists(value: Any) -> None:
    if isinstance(value, dict):
        for key in [k for k, v in value.items() if v == []]:
            del value[key]
        for child in value.values():
            _drop_empty_lists(child)
    elif isinstance(value, list):
        for child in value:
            _drop_empty_lists(child)


def _sort_set(obj: dict[str, Any], key: str) -> None:
    if isinstance(obj.get(key), list):
        obj[key] = sorted(obj[key], key=lambda item: json.dumps(item, sort_keys=True))


def _sort_sets(value: Any) -> None:
    if isinstance(value, dict):
        if "refersTo" in value and "name" in value:
            _sort_set(value, "refersTo")
        if "valueReferencePairs" in value:
            _sort_set(value, "valueReferencePairs")
        if "specificAssetIds" in value and value.get("modelType") == "Entity":
            _sort_set(value, "specificAssetIds")
        for child in value.values():
            _sort_sets(child)
    elif isinstance(value, list):
        for child in value:
            _sort_sets(child)


def _through_text(store: Any) -> dict[str, Any]:
    """The environment's JSON form the plain way (JSON text and back)."""
    data: dict[str, Any] = json.loads(object_store_to_json(store, encoder=_stock_encoder()))
    _drop_empty_lists(data)
    for key in ("assetAdministrationShells", "submodels", "conceptDescriptions"):
        if key in data:
            data[key] = sorted(data[key], key=lambda item: str(item.get("id", "")))
    for shell in data.get("assetAdministrationShells", []):
        _sort_set(shell, "submodels")
    for concept in data.get("conceptDescriptions", []):
        _sort_set(concept, "isCaseOf")
    _sort_sets(data)
    return data


def _same(store: Any) -> dict[str, Any]:
    direct = environment_to_jsonable(AasEnvironment(store=store))
    # json.dumps without sort_keys: the key order must be the same too
    assert json.dumps(direct) == json.dumps(_through_text(store))
    return direct


@pytest.mark.parametrize("make", [
    create_example,
    example_aas_mandatory_attributes.create_full_example,
    example_aas_missing_attributes.create_full_example,
    example_submodel_template.create_example_submodel_template,
], ids=["full", "mandatory", "missing", "template"])
def test_basyx_examples_give_the_same_json(make: Any) -> None:
    built = make()
    store = built if isinstance(built, model.DictIdentifiableStore) else \
        model.DictIdentifiableStore([built])
    data = _same(store)
    assert data  # (the examples are not empty)


def test_every_class_of_the_full_example_is_covered() -> None:
    data = _same(create_example())
    text = json.dumps(data)
    for model_type in ("AssetAdministrationShell", "Submodel", "ConceptDescription", "Entity",
                       "Operation", "AnnotatedRelationshipElement", "BasicEventElement",
                       "SubmodelElementList", "Blob", "File", "Range", "Capability",
                       "MultiLanguageProperty", "ReferenceElement", "DataSpecificationIec61360"):
        assert f'"modelType": "{model_type}"' in text, model_type
    assert '"referredSemanticId"' in text and '"valueReferencePairs"' in text


def test_an_aas_document_read_back_gives_the_same_json() -> None:
    path = ROOT / "examples" / "valid" / "press-line-3.0.json"
    env, report = get_format("aas-json").read(Source(str(path), path.read_bytes(), path),
                                              ConvertOptions())
    assert not report.has_errors
    data = _same(env.store)
    assert data["submodels"]


def test_a_converted_nodeset_gives_the_same_json() -> None:
    path = corpus_path("formats", "opcua-nodeset", "DI", "Opc.Ua.Di.NodeSet2.xml")
    env, report = get_format("opcua-nodeset").read(
        Source(str(path), path.read_bytes(), path),
        ConvertOptions(search_paths=(path.parents[1],)))
    assert not report.has_errors
    data = _same(env.store)
    assert data["submodels"] and data["conceptDescriptions"]


def test_falsy_values_are_kept_and_empty_lists_dropped() -> None:
    submodel = model.Submodel("urn:x:sm", [model.Property(
        "Count", model.datatypes.Int, 0,
        qualifier=[model.Qualifier("Flag", model.datatypes.Boolean, False)],
        extension=[model.Extension("Zero", model.datatypes.Int, 0)])])
    data = _same(model.DictIdentifiableStore([submodel]))
    prop = data["submodels"][0]["submodelElements"][0]
    assert prop["value"] == "0"
    assert prop["qualifiers"][0]["value"] == "false"
    assert prop["extensions"][0]["value"] == "0"
    assert "supplementalSemanticIds" not in prop  # (empty: left out)


def test_set_valued_properties_do_not_depend_on_insertion_order() -> None:
    def build(names: list[str]) -> dict[str, Any]:
        entity = model.Entity("Part", model.EntityType.SELF_MANAGED_ENTITY,
                              global_asset_id="urn:x:asset",
                              specific_asset_id=[model.SpecificAssetId(n, "v") for n in names])
        refs = [model.ModelReference((model.Key(model.KeyTypes.SUBMODEL, f"urn:x:{n}"),),
                                     model.Submodel) for n in names]
        entity.extension.add(model.Extension("Links", refers_to=refs))
        return _same(model.DictIdentifiableStore([model.Submodel("urn:x:sm", [entity])]))

    names = [f"n{i}" for i in range(12)]
    assert build(names) == build(names[::-1])


def test_subclasses_of_json_types_become_the_json_types() -> None:
    class Text(str):
        pass

    class Number(int):
        pass

    class Real(float):
        pass

    plain = _Plain(_encoder()).value(
        {"a": Text("x"), "b": Number(3), "c": (Real(1.5), True, None), "d": [], 1: "one"})
    assert plain == {"a": "x", "b": 3, "c": [1.5, True, None], "1": "one"}
    assert [type(v) for v in plain.values()] == [str, int, list, str]
    assert json.loads(json.dumps({"a": Text("x"), "b": Number(3), 1: "one"})) == {
        k: v for k, v in plain.items() if k != "c"}


def test_an_object_basyx_cannot_write_is_refused() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        _Plain(_encoder()).value({"a": object()})


def test_the_reference_route_itself_is_what_basyx_writes(tmp_path: Path) -> None:
    """(The comparison above is against basyx's own output, not against itself.)"""
    store = create_example()
    text = object_store_to_json(store, encoder=_stock_encoder())
    assert json.loads(text)["submodels"]
    assert _stock_encoder()._abstract_classes_to_json.__func__ is (  # type: ignore[attr-defined]
        AASToJsonEncoder._abstract_classes_to_json.__func__)  # type: ignore[attr-defined]

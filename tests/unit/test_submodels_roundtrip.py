"""Property-based round trips of every typed submodel model.

For generated field values (hypothesis, derived from each model's field specs):

- model -> basyx Submodel -> AAS JSON (``omp_models.aas.io``, serialised and verified by
  aas-core 3.1) -> basyx Submodel -> model is the same model;
- model -> value-only payload (through JSON text) -> model is the same model, and the
  payload is valid against the template's value-only schema (both validators agree);
- the submodel a model writes passes the template check with no error.
"""

from __future__ import annotations

import datetime
import json
import string
from decimal import Decimal
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omp_models.aas.io import (
    AasEnvironment,
    environment_from_jsonable,
    environment_to_jsonable,
    read_aas_json,
    serialize_environment,
)
from omp_models.diagnostics import Severity, Where
from omp_models.submodels import (
    BlobValue,
    ElementModel,
    FileValue,
    Key,
    Range,
    Reference,
    Relationship,
    SpecificAssetId,
    SubmodelModel,
    models,
    value_only_schema,
)
from omp_models.submodels._fields import fields, inner_model
from omp_models.submodels._spec import ElementSpec
from omp_models.submodels._values import INTEGER_BOUNDS, to_lexical
from omp_models.templates import default_registry
from omp_validators.checks.template import check_submodel

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_SAFE = st.characters(codec="utf-8", categories=("L", "N", "P", "Zs"),
                      exclude_characters="\u2028\u2029")
TEXT = st.text(_SAFE, min_size=1, max_size=12)
LANGS = st.dictionaries(st.sampled_from(["en", "de", "fr", "en-US"]), TEXT, min_size=1,
                        max_size=2)
SAFE_INT = 2**53
URLS = st.builds(lambda s: f"https://example.com/{s}",
                 st.text(string.ascii_letters + string.digits, min_size=1, max_size=8))


def _integers(value_type: str) -> st.SearchStrategy[int]:
    low, high = INTEGER_BOUNDS[value_type]
    return st.integers(max(low, -SAFE_INT) if low is not None else -SAFE_INT,
                       min(high, SAFE_INT) if high is not None else SAFE_INT)


def scalar(value_type: str | None) -> st.SearchStrategy[Any]:
    """A Python value of a field typed by ``value_type``."""
    if value_type in INTEGER_BOUNDS:
        return _integers(value_type)
    if value_type == "xs:decimal":
        return st.decimals(min_value=Decimal(-10**6), max_value=Decimal(10**6), places=4,
                           allow_nan=False, allow_infinity=False)
    if value_type in ("xs:double", "xs:float"):
        return st.floats(allow_nan=False, allow_infinity=False, width=32)
    if value_type == "xs:boolean":
        return st.booleans()
    if value_type == "xs:date":
        return st.dates(min_value=datetime.date(1000, 1, 1))
    if value_type == "xs:dateTime":
        return st.datetimes(min_value=datetime.datetime(1000, 1, 1),
                            timezones=st.none() | st.just(datetime.UTC))
    if value_type == "xs:time":
        return st.times()
    if value_type == "xs:anyURI":
        return URLS
    if value_type in LITERALS:
        return st.sampled_from(LITERALS[value_type])
    return TEXT


#: Valid literals of the string-typed value types with a lexical form.
LITERALS = {
    "xs:duration": ["PT1H", "P1Y2M", "-P3D"], "xs:gYear": ["2024", "1999"],
    "xs:gYearMonth": ["2024-05"], "xs:gMonth": ["--05"], "xs:gMonthDay": ["--05-31"],
    "xs:gDay": ["---31"], "xs:hexBinary": ["00ff", ""], "xs:base64Binary": ["AA==", ""],
}


def _reference() -> st.SearchStrategy[Reference]:
    return st.one_of(
        st.builds(Reference.to, URLS),
        st.builds(lambda s: Reference(type="ModelReference",
                                      keys=[Key(type="Submodel", value=s)]), URLS))


def _extra() -> st.SearchStrategy[dict[str, Any]]:
    """Elements for Arbitrary placeholders, in the form value-only reading gives back."""
    return st.one_of(
        st.builds(lambda v: {"modelType": "Property", "valueType": "xs:string", "value": v},
                  TEXT),
        st.builds(lambda v: {"modelType": "Property", "valueType": "xs:integer",
                             "value": str(v)}, st.integers(-1000, 1000)),
        st.builds(lambda v: {"modelType": "Property", "valueType": "xs:boolean",
                             "value": "true" if v else "false"}, st.booleans()),
        st.builds(lambda d: {"modelType": "MultiLanguageProperty", "value": [
            {"language": k, "text": t} for k, t in d.items()]}, LANGS),
    )


def _extras(spec: ElementSpec) -> st.SearchStrategy[list[dict[str, Any]]]:
    allowed = set(spec.kinds) or {"Property", "MultiLanguageProperty"}
    items = _extra().filter(lambda e: e["modelType"] in allowed)
    return st.lists(items, max_size=2).map(
        lambda xs: [{"idShort": f"OmpExtra{i}", **x} for i, x in enumerate(xs)])


def value(cls: type[Any], name: str, spec: ElementSpec) -> st.SearchStrategy[Any]:
    """One instance's value of a field."""
    kind = spec.model_type
    if kind == "Property" and (spec.allowed_values or spec.form_choices):
        literals = [p.strip() for entry in (*spec.allowed_values, *spec.form_choices)
                    for p in entry.split(";")]
        choices = [v for v in literals if v and spec.check_value(v) is None]
        assert choices, spec
        return st.sampled_from(choices)
    if kind == "Property":
        return scalar(spec.value_type).filter(
            lambda v: spec.check_value(to_lexical(v, spec.value_type)) is None)
    if kind == "MultiLanguageProperty":
        return LANGS
    if kind == "Range":
        bound = st.none() | scalar(spec.value_type)
        return st.builds(lambda a, b: Range[Any](min=a, max=b), bound, bound)
    if kind == "File":
        return st.builds(FileValue, content_type=st.sampled_from(["application/pdf",
                                                                  "image/png"]),
                         value=st.none() | st.builds(lambda s: f"/aasx/files/{s}.pdf",
                                                     st.text(string.ascii_lowercase,
                                                             min_size=1, max_size=6)))
    if kind == "Blob":
        return st.builds(BlobValue, content_type=st.just("application/octet-stream"),
                         value=st.none() | st.binary(min_size=1, max_size=8))
    if kind == "ReferenceElement":
        return _reference()
    if kind == "RelationshipElement":
        return st.builds(Relationship, first=_reference(), second=_reference())
    if kind == "SubmodelElementList":
        assert spec.item is not None
        low = spec.item.min
        high = min(spec.item.max if spec.item.max is not None else 2, low + 2)
        item = value(cls, name, spec.item)
        if spec.item.model_type in ("Property", "MultiLanguageProperty", "ReferenceElement"):
            item = st.none() | item  # an item without a value
        return st.lists(item, min_size=low, max_size=max(low, high))
    model = inner_model(cls, name)
    assert model is not None, name
    return model_strategy(model)


def field_strategy(cls: type[Any], name: str, spec: ElementSpec) -> st.SearchStrategy[Any]:
    """A field's value: optional, one, or a list by the element's cardinality."""
    if spec.arbitrary:
        return _extras(spec)
    one = value(cls, name, spec)
    if spec.repeatable and spec.model_type != "SubmodelElementList":
        high = min(spec.max if spec.max is not None else 2, spec.min + 2)
        return st.lists(one, min_size=spec.min, max_size=max(spec.min, high))
    return one if spec.min >= 1 else st.none() | one


def _entity(kwargs: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    # AASd-014 (3.1): a self-managed entity has a global asset id or specific ones.
    self_managed = st.fixed_dictionaries({
        "entity_type": st.just("SelfManagedEntity"), "global_asset_id": URLS}) | (
        st.fixed_dictionaries({
            "entity_type": st.just("SelfManagedEntity"),
            "specific_asset_ids": st.lists(st.builds(
                SpecificAssetId, name=st.just("serialNumber"), value=TEXT), min_size=1,
                max_size=2, unique_by=lambda s: s.value)}))
    co_managed = st.fixed_dictionaries({"entity_type": st.just("CoManagedEntity")})
    return st.tuples(st.fixed_dictionaries(kwargs), self_managed | co_managed).map(
        lambda pair: {**pair[0], **pair[1]})


def model_strategy(cls: type[Any]) -> st.SearchStrategy[Any]:
    """Instances of a typed model with generated field values."""
    kwargs = {name: field_strategy(cls, name, spec) for name, spec in fields(cls)}
    if getattr(cls, "OMP_ENTITY", False):
        return _entity(kwargs).map(lambda kw: cls(**kw))
    if issubclass(cls, SubmodelModel):
        kwargs["id"] = st.none() | st.builds(lambda s: f"urn:example:submodel:{s}", URLS)
    return st.fixed_dictionaries(kwargs).map(lambda kw: cls(**kw))


MODELS = list(models())
IDS = [m.__name__ for m in MODELS]


def _through_aas_json(model: SubmodelModel) -> SubmodelModel:
    from basyx.aas import model as basyx

    submodel = model.to_submodel()
    env = AasEnvironment(store=basyx.DictIdentifiableStore([submodel]))
    serialised = serialize_environment(environment_to_jsonable(env), "3.1", "json")
    assert serialised.problems == [], serialised.problems[:3]
    jsonable, version = read_aas_json(serialised.data)
    assert version == "3.1"
    store = environment_from_jsonable(jsonable, version).store
    (again,) = list(store)
    return type(model).from_submodel(again)


@pytest.mark.parametrize("model_cls", MODELS, ids=IDS)
def test_model_submodel_aas_json_round_trip(model_cls: type[SubmodelModel]) -> None:
    template = default_registry(plugins=False).get(model_cls.TEMPLATE.semantic_id)
    assert template is not None

    @SETTINGS
    @given(model_strategy(model_cls))
    def round_trip(model: SubmodelModel) -> None:
        assert _through_aas_json(model) == model
        errors = [f for f in check_submodel(model.to_json(), template, Where("model"))
                  if f.severity is Severity.ERROR]
        assert errors == []

    round_trip()


@pytest.mark.parametrize("model_cls", MODELS, ids=IDS)
def test_model_value_only_round_trip(model_cls: type[SubmodelModel]) -> None:
    import jsonschema_rs

    template = default_registry(plugins=False).get(model_cls.TEMPLATE.semantic_id)
    assert template is not None
    # Not strict: the elements of a collection the template leaves empty (a drop-in such
    # as the nameplate's AddressInformation) are warnings of the check, not errors.
    schema = value_only_schema(template)
    reference = jsonschema.Draft202012Validator(schema)
    fast = jsonschema_rs.validator_for(schema)

    @SETTINGS
    @given(model_strategy(model_cls))
    def round_trip(model: SubmodelModel) -> None:
        payload = json.loads(json.dumps(model.to_value_only()))
        assert model_cls.from_value_only(payload, id=model.id) == model
        assert reference.is_valid(payload), next(iter(reference.iter_errors(payload)))
        assert fast.is_valid(payload)

    round_trip()


def test_strategies_reach_every_field_kind() -> None:
    """The generated values cover every model type the bundled templates use."""
    kinds: set[str] = set()

    def walk(cls: type[Any]) -> None:
        for name, spec in fields(cls):
            kinds.add("arbitrary" if spec.arbitrary else spec.model_type)
            inner = inner_model(cls, name)
            if inner is not None and issubclass(inner, ElementModel):
                walk(inner)

    for model_cls in MODELS:
        walk(model_cls)
    assert {"Property", "MultiLanguageProperty", "File", "ReferenceElement",
            "RelationshipElement", "SubmodelElementCollection", "SubmodelElementList",
            "Entity", "arbitrary"} <= kinds

"""The typed submodel models: generated code, registry, AAS and value-only forms, errors."""

from __future__ import annotations

import datetime
import importlib.util
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import ValidationError

from omp_models.aas.io import read_aas_json
from omp_models.diagnostics import Severity, Where
from omp_models.submodels import (
    BlobValue,
    CarbonFootprintV1_0,
    ContactInformationV1_0,
    DigitalNameplateV3_0,
    FileValue,
    HandoverDocumentationV2_0,
    HierarchicalStructuresBomV1_1,
    Reference,
    SubmodelModelError,
    TechnicalDataV2_0,
    TimeSeriesDataV1_1,
    carbon_footprint_1_0,
    contact_information_1_0,
    digital_nameplate_3_0,
    hierarchical_structures_bom_1_1,
    model_for,
    models,
    resolve_model,
    time_series_data_1_1,
    value_only,
)
from omp_models.submodels._fields import fields
from omp_models.templates import Mode, bundled_templates, default_registry, instantiate
from omp_validators.checks.template import check_submodel
from tests.conftest import corpus_path

ROOT = Path(__file__).resolve().parents[2]


def _generator() -> ModuleType:
    name = "omp_generate_submodels"
    if name in sys.modules:
        return sys.modules[name]
    path = ROOT / "scripts" / "generate_submodels.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _nameplate() -> DigitalNameplateV3_0:
    return DigitalNameplateV3_0(
        uri_of_the_product="https://example.com/pump/4711",
        manufacturer_name={"en": "Example Pumps Ltd", "de": "Beispielpumpen GmbH"},
        manufacturer_product_designation={"en": "Centrifugal pump CP-40"},
        address_information=digital_nameplate_3_0.AddressInformation(),
        order_code_of_manufacturer="CP-40-A",
        serial_number="SN-0001",
        date_of_manufacture=datetime.date(2024, 5, 31),
        markings=[digital_nameplate_3_0.Marking(
            marking_name="CE", marking_file=FileValue(content_type="image/png",
                                                      value="/aasx/files/ce.png"))],
    )


def _errors(submodel: dict[str, Any], model: type[Any]) -> list[str]:
    template = default_registry(plugins=False).get(model.TEMPLATE.semantic_id)
    assert template is not None
    return [f"{f.rule} {f.location.path}" for f in check_submodel(submodel, template,
                                                                   Where("m"))
            if f.severity is Severity.ERROR]


# --- generated code --------------------------------------------------------------------------


def test_regenerating_changes_nothing() -> None:
    stale = _generator().check()
    assert stale == [], "run `python scripts/generate_submodels.py`:\n" + "\n".join(stale)


def test_generator_names_fields_and_classes() -> None:
    _generator()  # puts scripts/ on sys.path
    import _submodel_render as generator

    assert generator.snake("URIOfTheProduct") == "uri_of_the_product"
    assert generator.snake("IPCommunication__00__") == "ip_communication"
    assert generator.snake("PcfCO2eq") == "pcf_co2eq"
    assert generator.camel("digital-nameplate") == "DigitalNameplate"
    assert generator.singular("GuidelineSpecificProperties") == "GuidelineSpecificProperty"
    assert generator.singular("Markings") == "Marking"


def test_one_model_per_bundled_template() -> None:
    assert [m.TEMPLATE.semantic_id for m in models()] == [
        b.semantic_id for b in bundled_templates()]
    assert [m.TEMPLATE.version for m in models()] == [b.version for b in bundled_templates()]


def test_fields_are_typed_and_documented() -> None:
    info = DigitalNameplateV3_0.model_fields
    assert "legally valid designation" in (info["manufacturer_name"].description or "")
    assert info["date_of_manufacture"].annotation == datetime.date | None
    assert info["manufacturer_name"].annotation == dict[str, str]
    pcf = carbon_footprint_1_0.ProductCarbonFootprint.model_fields["pcf_co2eq"]
    assert pcf.description
    assert DigitalNameplateV3_0.__doc__ is not None
    assert "02006" in DigitalNameplateV3_0.__doc__
    # {00} counters and repeated elements are lists.
    contact = contact_information_1_0.ContactInformation.model_fields
    assert "list[" in str(contact["ip_communication"].annotation)
    assert "list[" in str(ContactInformationV1_0.model_fields["contact_information"].annotation)


def test_every_field_has_the_template_element_it_stands_for() -> None:
    template = default_registry(plugins=False).get(
        TimeSeriesDataV1_1.TEMPLATE.semantic_id)
    assert template is not None
    specs = dict(fields(time_series_data_1_1.Record))
    assert specs["time"].allowed_id_short == r"Time\d{2,3}"
    assert specs["time"].value_type == "xs:long"
    assert specs["time"].unit == "s"
    assert (specs["time"].min, specs["time"].max) == (1, None)
    element = template.find("Metadata/Record/Time")
    assert element is not None and element.semantic_id == specs["time"].semantic_id


# --- registry --------------------------------------------------------------------------------


def test_models_by_semantic_id_and_name() -> None:
    for model in models():
        assert model_for(model.TEMPLATE.semantic_id) is model
    assert model_for("https://admin-shell.io/zvei/nameplate/3/0/Nameplate") is (
        DigitalNameplateV3_0)  # zvei for idta: a near miss
    assert model_for("https://example.com/unknown") is None
    assert resolve_model("Digital Nameplate for Industrial Equipment") is DigitalNameplateV3_0
    assert resolve_model("nameplate@3.0") is DigitalNameplateV3_0
    assert resolve_model("nameplate@2.0") is None
    assert resolve_model("02011") is HierarchicalStructuresBomV1_1
    assert resolve_model("TechnicalDataV2_0") is TechnicalDataV2_0


# --- AAS form --------------------------------------------------------------------------------


def test_to_json_writes_the_template_structure() -> None:
    submodel = _nameplate().to_json()
    assert submodel["semanticId"]["keys"][0]["value"] == (
        "https://admin-shell.io/idta/nameplate/3/0/Nameplate")
    assert submodel["kind"] == "Instance"
    assert submodel["id"] == "urn:omp-toolkit:submodel:Nameplate"
    assert submodel["administration"] == {
        "templateId": "https://admin-shell.io/idta/SubmodelTemplate/DigitalNameplate/3/0"}
    by_id = {e["idShort"]: e for e in submodel["submodelElements"]}
    assert by_id["ManufacturerName"]["value"] == [
        {"language": "en", "text": "Example Pumps Ltd"},
        {"language": "de", "text": "Beispielpumpen GmbH"}]
    assert by_id["DateOfManufacture"] == {
        "idShort": "DateOfManufacture",
        "semanticId": {"type": "ExternalReference", "keys": [
            {"type": "GlobalReference", "value": "0112/2///61987#ABB757#007"}]},
        "modelType": "Property", "valueType": "xs:date", "value": "2024-05-31"}
    markings = by_id["Markings"]
    assert markings["typeValueListElement"] == "SubmodelElementCollection"
    assert "idShort" not in markings["value"][0]  # AASd-120: list items have none
    assert _errors(submodel, DigitalNameplateV3_0) == []


def test_counters_are_expanded_and_units_written() -> None:
    contact = ContactInformationV1_0(contact_information=[
        contact_information_1_0.ContactInformation(ip_communication=[
            contact_information_1_0.IPCommunication(address_of_additional_link="a"),
            contact_information_1_0.IPCommunication(address_of_additional_link="b")])])
    submodel = contact.to_json()
    first = submodel["submodelElements"][0]
    assert [e["idShort"] for e in first["value"]] == ["IPCommunication01", "IPCommunication02"]
    assert _errors(submodel, ContactInformationV1_0) == []
    record = time_series_data_1_1.Record(time=[10, 20])
    segment = TimeSeriesDataV1_1(metadata=time_series_data_1_1.Metadata(
        name={"en": "Vibration"}, record=record),
        segments=time_series_data_1_1.Segments()).to_json()
    times = segment["submodelElements"][0]["value"][1]["value"]
    assert [t["idShort"] for t in times] == ["Time01", "Time02"]
    unit = times[0]["embeddedDataSpecifications"][0]["dataSpecificationContent"]
    assert unit["unit"] == "s"
    assert "embeddedDataSpecifications" not in TimeSeriesDataV1_1(
        metadata=time_series_data_1_1.Metadata(name={"en": "x"}, record=record),
        segments=time_series_data_1_1.Segments()).to_json(units=False)[
            "submodelElements"][0]["value"][1]["value"][0]


@pytest.mark.parametrize("mode", ["minimal", "maximal"])
@pytest.mark.parametrize("model", list(models()), ids=lambda m: m.__name__)
def test_reads_the_generated_instances(model: Any, mode: Mode) -> None:
    template = default_registry(plugins=False).get(model.TEMPLATE.semantic_id)
    assert template is not None
    instance = instantiate(template, mode).submodel
    typed = model.from_json(instance)
    assert _errors(typed.to_json(), model) == []
    assert model.from_json(typed.to_json()) == typed
    assert value_only(typed.to_json(units=False)) == typed.to_value_only()


def test_reads_a_published_sample() -> None:
    path = corpus_path("templates", "published", "Technical_Data", "2", "0",
                       "IDTA 02003_Sample_TechnicalData.json")
    env, _ = read_aas_json(path.read_bytes())
    (submodel,) = env["submodels"]
    typed = TechnicalDataV2_0.from_json(submodel)
    assert typed.id == "https://admin-shell.io/idta/SubmodelTemplate/TechnicalData/2/0"
    assert typed.general_information.manufacturer_name == "Manufacturer AG"
    assert typed.general_information.company_logo == FileValue(
        content_type="image/jpeg", value="/aasx/files/companyLogo.jpg")
    areas = typed.technical_property_areas or []
    assert areas and areas[0].extra_elements  # the Arbitrary sections, kept as AAS JSON
    assert TechnicalDataV2_0.from_json(typed.to_json()) == typed
    assert TechnicalDataV2_0.from_value_only(typed.to_value_only(), id=typed.id
                                             ).general_information == typed.general_information


def test_reading_reports_what_the_template_does_not_define() -> None:
    submodel = _nameplate().to_json()
    submodel["submodelElements"].append({"idShort": "Colour", "modelType": "Property",
                                         "valueType": "xs:string", "value": "red"})
    with pytest.raises(SubmodelModelError, match="'Colour' is not an element") as caught:
        DigitalNameplateV3_0.from_json(submodel)
    assert caught.value.path == f"/submodelElements/{len(submodel['submodelElements']) - 1}"
    wrong = _nameplate().to_json()
    wrong["submodelElements"][0]["modelType"] = "MultiLanguageProperty"
    with pytest.raises(SubmodelModelError, match="is a MultiLanguageProperty"):
        DigitalNameplateV3_0.from_json(wrong)
    twice = _nameplate().to_json()
    twice["submodelElements"].append(dict(twice["submodelElements"][0]))
    with pytest.raises(SubmodelModelError, match="a second 'URIOfTheProduct'"):
        DigitalNameplateV3_0.from_json(twice)
    other = _nameplate().to_json()
    other["semanticId"] = Reference.to("https://example.com/other").to_json()
    with pytest.raises(SubmodelModelError, match="is not the template's") as caught:
        DigitalNameplateV3_0.from_json(other)
    assert caught.value.path == "/semanticId"


def test_hd_example_with_items_without_value() -> None:
    template = default_registry(plugins=False).get(
        HandoverDocumentationV2_0.TEMPLATE.semantic_id)
    assert template is not None
    instance = instantiate(template, "maximal").submodel
    typed = HandoverDocumentationV2_0.from_json(instance)
    entities = typed.documents[0].documented_entities or []
    assert entities and entities[0] is None  # a ReferenceElement without a value
    assert HandoverDocumentationV2_0.from_value_only(typed.to_value_only(),
                                                     id=typed.id) == typed


def test_values_are_validated_against_the_template() -> None:
    with pytest.raises(ValidationError, match="not one of the choices Full, OneDown, OneUp"):
        HierarchicalStructuresBomV1_1(
            entry_node=hierarchical_structures_bom_1_1.EntryNode(
                global_asset_id="https://example.com/asset",
                node=[hierarchical_structures_bom_1_1.Node(entity_type="CoManagedEntity")]),
            arche_type="Sideways")
    with pytest.raises(ValidationError, match="not a valid xs:anyURI"):
        DigitalNameplateV3_0(**{**_nameplate().model_dump(exclude_none=True),
                                "uri_of_the_product": "not a uri with spaces"})
    with pytest.raises(ValidationError):
        carbon_footprint_1_0.ProductCarbonFootprint.model_validate({
            "pcf_calculation_methods": ["ISO 14067"], "pcf_co2eq": "NaN",
            "reference_impact_unit_for_calculation": "piece",
            "quantity_of_measure_for_calculation": 1.0, "life_cycle_phases": ["A1-A3"],
            "publication_date": "2024-01-01T00:00:00Z"})


def test_value_types_in_both_forms() -> None:
    footprint = carbon_footprint_1_0.ProductCarbonFootprint(
        pcf_calculation_methods=["ISO 14067"], pcf_co2eq=Decimal("12.50"),
        reference_impact_unit_for_calculation="piece",
        quantity_of_measure_for_calculation=1.0, life_cycle_phases=["A1-A3"],
        publication_date=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC))
    model = CarbonFootprintV1_0(product_carbon_footprints=[footprint])
    item = model.to_json()["submodelElements"][0]["value"][0]["value"]
    values = {e["idShort"]: e.get("value") for e in item}
    assert values["PcfCO2eq"] == "12.50"
    assert values["PublicationDate"] == "2024-01-02T03:04:05+00:00"
    payload = model.to_value_only()["ProductCarbonFootprints"][0]
    assert payload["PcfCO2eq"] == 12.5
    assert payload["QuantityOfMeasureForCalculation"] == 1.0
    assert payload["PcfCalculationMethods"] == ["ISO 14067"]
    assert CarbonFootprintV1_0.from_value_only(model.to_value_only()) == model


def test_blobs_and_references() -> None:
    blob = BlobValue(content_type="application/json", value=b'{"a": 1}')
    segment = time_series_data_1_1.ExternalSegment(blob=blob)
    model = TimeSeriesDataV1_1(
        metadata=time_series_data_1_1.Metadata(name={"en": "x"},
                                               record=time_series_data_1_1.Record(time=[1])),
        segments=time_series_data_1_1.Segments(external_segment=[segment]))
    written = model.to_json()["submodelElements"][1]["value"][0]["value"][0]
    assert written["value"] == "eyJhIjogMX0="
    assert model.to_value_only()["Segments"]["ExternalSegment"]["Blob"] == {
        "contentType": "application/json", "value": "eyJhIjogMX0="}
    assert TimeSeriesDataV1_1.from_value_only(model.to_value_only()) == model


def test_basyx_objects() -> None:
    submodel = _nameplate().to_submodel()
    assert submodel.id_short == "Nameplate"
    assert submodel.semantic_id.key[0].value == (
        "https://admin-shell.io/idta/nameplate/3/0/Nameplate")
    assert DigitalNameplateV3_0.from_submodel(submodel) == _nameplate()


def test_default_ids_read_back_as_none() -> None:
    named = _nameplate().model_copy(update={"id": "urn:example:np:1", "id_short": "Plate"})
    again = DigitalNameplateV3_0.from_json(named.to_json())
    assert (again.id, again.id_short) == ("urn:example:np:1", "Plate")
    assert DigitalNameplateV3_0.from_json(_nameplate().to_json()).id is None

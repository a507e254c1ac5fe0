"""MTConnect Streams documents (current and sample) -> values and Time Series Data.

For each ``DeviceStream`` the reader looks for the device model (a Devices document with
the same ``uuid``: ``--option devices=FILE``, else the ``*.xml`` files of the search paths)
and writes, per data item, the latest observation into the model as the element's value.
Without a device model, the model is inferred from the stream (component streams and
observation element names). Every observation also goes into an IDTA Time Series Data
(02008 1.1) submodel: one ``InternalSegment`` whose records group the observations that
share a timestamp. Each record has the two times IDTA 02008 defines that fit: ``Time01``
(RelativePointInTime, whole seconds since the segment start, as the template has it) and
``UtcTime`` (the exact MTConnect timestamp).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from omp_models.formats._report import Code, IssueSeverity
from omp_models.formats.mtconnect._aas import (
    Context,
    Json,
    add_extension,
    allocate,
    external_ref,
    model_ref,
    prop,
    smc,
)
from omp_models.formats.mtconnect._devices import build_devices, children, local
from omp_models.formats.mtconnect._semantics import (
    component_id_from_name,
    condition_field_id,
    data_item_id_from_names,
    device_id,
    type_from_element_name,
)
from omp_models.ids import IdShortAllocator, derive_id, sanitize_id_short

__all__ = ["DevicesLoader", "build_streams"]

TSD = "https://admin-shell.io/idta/TimeSeries/"
_CATEGORIES = {"Samples": "SAMPLE", "Events": "EVENT", "Condition": "CONDITION"}
_SUFFIXES = (("TimeSeries", "TIME_SERIES"), ("DataSet", "DATA_SET"), ("Table", "TABLE"))
_DATETIME = re.compile(
    r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
#: The record time the IDTA template prescribes: whole seconds since the segment start (the
#: exact instant is the record's ``UtcTime``).
_RELATIVE = "Time01"
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_CONDITION_FIELDS = (("nativeCode", "NativeCode"), ("nativeSeverity", "NativeSeverity"),
                     ("qualifier", "Qualifier"), ("conditionId", "ConditionId"),
                     ("message", "Message"))
_MAX_SCAN = 2000
_Parse = Callable[[bytes, str], "etree._Element | None"]
_MAX_SIZE = 64 << 20


@dataclass(frozen=True, slots=True)
class _Obs:
    el: etree._Element
    component: etree._Element
    category: str
    item: str
    sequence: int
    order: int

    @property
    def unavailable(self) -> bool:
        return self.category != "CONDITION" and (self.el.text or "").strip() == "UNAVAILABLE"

    @property
    def representation(self) -> str:
        name = local(self.el)
        return next((r for s, r in _SUFFIXES if name.endswith(s)), "VALUE")

    @property
    def type_name(self) -> str:
        if self.category == "CONDITION":
            return self.el.get("type") or "CONDITION"
        name = local(self.el)
        for suffix, _ in _SUFFIXES:
            if name.endswith(suffix) and name != suffix:
                name = name[: -len(suffix)]
        return type_from_element_name(name)


class DevicesLoader:
    """Finds the Devices document that describes a device (by uuid), once per stream."""

    def __init__(self, ctx: Context, source_path: Path | None, parse: _Parse) -> None:
        self._ctx = ctx
        self._source = source_path.resolve() if source_path else None
        self._parse = parse
        self._done: set[Path] = set()
        self._missing: set[str] = set()

    def candidates(self) -> list[Path]:
        """Files to look in: ``--option devices=FILE`` or the search paths' ``*.xml``."""
        explicit = self._ctx.options.extra.get("devices")
        if explicit:
            if not Path(explicit).is_file() and explicit not in self._missing:
                self._missing.add(explicit)
                self._ctx.report.add(Code.DEPENDENCY_MISSING, IssueSeverity.LOSSY,
                                     f"--option devices={explicit}: no such file",
                                     file=self._ctx.source)
            return [Path(explicit)]
        found: list[Path] = []
        for folder in self._ctx.options.search_paths:
            path = Path(folder)
            if path.is_dir():
                found.extend(sorted(path.glob("*.xml"))[:_MAX_SCAN])
        return [p for p in dict.fromkeys(found) if p.resolve() != self._source]

    def load(self, uuid: str) -> bool:
        """Build the device model of ``uuid`` into the context; whether one was found."""
        if uuid in self._ctx.devices:
            return True
        needle = [f'uuid="{uuid}"'.encode(), f"uuid='{uuid}'".encode()]
        for path in self.candidates():
            if path in self._done or not path.is_file() or path.stat().st_size > _MAX_SIZE:
                continue
            with path.open("rb") as handle:
                if b"MTConnectDevices" not in handle.read(4096):
                    continue
            data = path.read_bytes()
            if not any(n in data for n in needle):
                continue
            self._done.add(path)
            root = self._parse(data, str(path))
            if root is None:
                continue
            ctx = self._ctx
            sub = Context(str(path), ctx.options, ctx.report, concepts=ctx.concepts,
                          by_id=ctx.by_id, data_items=ctx.data_items, devices=ctx.devices,
                          pending=ctx.pending, models=ctx.models)
            build_devices(root, sub, None)
            sub.flush_preserved()
            if uuid in self._ctx.devices:
                return True
        return False


def build_streams(root: etree._Element, ctx: Context, loader: DevicesLoader
                  ) -> tuple[list[Json], list[Json]]:
    """The shells and submodels (device model with values, time series) of a Streams doc."""
    header = next((c for c in children(root) if local(c) == "Header"), None)
    created = header.get("creationTime") if header is not None else None
    streams = [ds for s in children(root) if local(s) == "Streams"
               for ds in children(s) if local(ds) == "DeviceStream"]
    shells: list[Json] = []
    submodels: list[Json] = []
    for ds in streams:
        uuid = ds.get("uuid") or ds.get("name") or "device"
        observations = list(_observations(ds))
        if loader.load(uuid):
            aas_id = ctx.devices[uuid]
            shell, model = next((s, m) for s, m in ctx.models if s["id"] == aas_id)
        else:
            ctx.issue(Code.DEFAULTED, IssueSeverity.INFO,
                      f"no Devices document with uuid {uuid!r} in the search paths; the "
                      "device model is inferred from the stream", ds)
            shell, model = _inferred(ds, uuid, observations, ctx)
        if any(s["id"] == shell["id"] for s in shells):
            ctx.issue(Code.DUPLICATE, IssueSeverity.LOSSY,
                      f"a second DeviceStream for {uuid!r} is not used", ds)
            continue
        _set_current(observations, ctx)
        series = _time_series(ds, uuid, str(shell["idShort"]), observations, ctx, created)
        shell["submodels"].append(model_ref([("Submodel", series["id"])]))
        shells.append(shell)
        submodels.extend([model, series])
        if observations:
            ctx.issue(Code.TELEMETRY_AS_SNAPSHOT, IssueSeverity.INFO,
                      f"{len(observations)} observation(s): the latest of each data item "
                      "is its element's value (sequence and buffer semantics are not kept); "
                      "all are records of the TimeSeries submodel", ds,
                      target=str(series["id"]))
    if not streams:
        ctx.issue(Code.INVALID_INPUT, IssueSeverity.LOSSY,
                  "the document has no DeviceStream", root)
    return shells, submodels


def _observations(ds: etree._Element) -> Iterator[_Obs]:
    order = 0
    for cs in children(ds):
        if local(cs) != "ComponentStream":
            continue
        for group in children(cs):
            category = _CATEGORIES.get(local(group))
            if category is None:
                continue
            for obs in children(group):
                order += 1
                seq = obs.get("sequence") or ""
                yield _Obs(obs, cs, category, obs.get("dataItemId") or local(obs),
                           int(seq) if seq.isdigit() else 0, order)


def _inferred(ds: etree._Element, uuid: str, observations: list[_Obs], ctx: Context
              ) -> tuple[Json, Json]:
    """A device model made from the stream alone."""
    base = ctx.options.base_iri
    aas_id = derive_id(base, "mtconnect", "device", uuid)
    sm_id = derive_id(base, "mtconnect", "device", uuid, "model")
    ctx.devices[uuid] = aas_id
    ctx.concepts.note(device_id(), "MTConnect Device")
    model: Json = {"modelType": "Submodel", "id": sm_id, "idShort": "MTConnectDevice",
                   "kind": "Instance", "semanticId": external_ref(device_id()),
                   "submodelElements": []}
    names = IdShortAllocator()
    components: dict[int, tuple[Json, IdShortAllocator]] = {}
    multi = {o.item for o in observations
             if not o.unavailable and len((o.el.text or "").split()) > 1}
    for obs in observations:
        if obs.item in ctx.data_items:
            continue
        key = id(obs.component)
        if key not in components:
            cs = obs.component
            kind = cs.get("component") or "Component"
            semantic_id = component_id_from_name(kind)
            ctx.concepts.note(semantic_id, kind)
            comp = smc(allocate(names, ctx, cs.get("name") or cs.get("componentId") or kind,
                                cs, report=False), semantic_id)
            model["submodelElements"].append(comp)
            components[key] = (comp, IdShortAllocator())
        comp, inner = components[key]
        semantic_id, plain = data_item_id_from_names(obs.category, obs.type_name,
                                                     obs.el.get("subType"))
        ctx.concepts.note(semantic_id, obs.type_name)
        element = _shape(obs, semantic_id, obs.item in multi, ctx)
        element["idShort"] = allocate(inner, ctx, obs.el.get("name") or obs.item, obs.el)
        if plain:
            element["supplementalSemanticIds"] = [external_ref(plain)]
        add_extension(element, "dataItemId", obs.item)
        comp["value"].append(element)
        ctx.data_items[obs.item] = element
    shell: Json = {
        "modelType": "AssetAdministrationShell", "id": aas_id,
        "idShort": sanitize_id_short(ds.get("name") or "Device"),
        "assetInformation": {"assetKind": "Instance", "globalAssetId": uuid},
        "submodels": [model_ref([("Submodel", sm_id)])],
    }
    ctx.models.append((shell, model))
    return shell, model


def _shape(obs: _Obs, semantic_id: str, multi: bool, ctx: Context) -> Json:
    if obs.category == "CONDITION":
        element = smc("", semantic_id)
        element["value"] = [prop("State", "xs:string", None, condition_field_id("state"))]
        ctx.concepts.note(condition_field_id("state"), "Condition state")
        return element
    if obs.representation in ("DATA_SET", "TABLE"):
        return smc("", semantic_id)
    value_type = "xs:double" if obs.category == "SAMPLE" else "xs:string"
    if obs.representation == "TIME_SERIES" or (multi and obs.category == "SAMPLE"):
        return {"modelType": "SubmodelElementList", "idShort": "", "orderRelevant": True,
                "semanticId": external_ref(semantic_id), "typeValueListElement": "Property",
                "valueTypeListElement": value_type}
    return prop("", value_type, None, semantic_id)


def _set_current(observations: list[_Obs], ctx: Context) -> None:
    latest: dict[str, _Obs] = {}
    for obs in observations:
        best = latest.get(obs.item)
        if best is None or (obs.sequence, obs.order) >= (best.sequence, best.order):
            latest[obs.item] = obs
    for item, obs in latest.items():
        element = ctx.data_items.get(item)
        if element is None:
            ctx.issue(Code.DROPPED, IssueSeverity.LOSSY,
                      f"data item {item!r} is not in the device model; its observations are "
                      "only in the time series", obs.el)
            continue
        _fill(element, obs, ctx)
        for attr, value in obs.el.attrib.items():
            name = etree.QName(str(attr)).localname
            if name not in ("dataItemId", "name", "subType", "type", *dict(_CONDITION_FIELDS)):
                ctx.preserve(element, f"observation@{name}", str(value), obs.el)


def _fill(element: Json, obs: _Obs, ctx: Context) -> None:
    text = (obs.el.text or "").strip()
    kind = element["modelType"]
    if obs.unavailable:
        add_extension(element, "value", "UNAVAILABLE")
    elif kind == "SubmodelElementCollection" and obs.category == "CONDITION":
        parts: list[tuple[str, str, str | None]] = [("state", "State", local(obs.el))]
        parts += [(attr, label, obs.el.get(attr)) for attr, label in _CONDITION_FIELDS
                  if attr != "message"]
        parts.append(("message", "Message", text or None))
        element["value"] = []
        for attr, label, value in parts:
            if value is not None:
                ctx.concepts.note(condition_field_id(attr), f"Condition {attr}")
                element["value"].append(prop(label, "xs:string", value,
                                             condition_field_id(attr)))
    elif kind == "SubmodelElementCollection":
        element["value"] = _entries(obs.el, ctx)
    elif kind == "SubmodelElementList":
        value_type = element["valueTypeListElement"]
        tokens = text.split()
        if value_type == "xs:double" and not all(_NUMBER.match(t) for t in tokens):
            _unconvertible(element, obs, ctx, text)
            return
        element["value"] = [{"modelType": "Property", "valueType": value_type, "value": t}
                            for t in tokens]
    elif element.get("valueType") == "xs:double" and not _NUMBER.match(text):
        _unconvertible(element, obs, ctx, text)
    else:
        element["value"] = text


def _unconvertible(element: Json, obs: _Obs, ctx: Context, text: str) -> None:
    ctx.issue(Code.VALUE_UNCONVERTIBLE, IssueSeverity.LOSSY,
              f"{text!r} is not a number; kept as an Extension", obs.el,
              target=str(element["idShort"]), original=text)
    add_extension(element, "value", text)


def _entries(el: etree._Element, ctx: Context) -> list[Json]:
    out: list[Json] = []
    names = IdShortAllocator()
    for entry in children(el):
        key = entry.get("key") or "Entry"
        if entry.get("removed") == "true":
            continue
        cells = [c for c in children(entry) if local(c) == "Cell"]
        item: Json
        if cells:
            item = smc("")
            inner = IdShortAllocator()
            item["value"] = [prop(inner.allocate(c.get("key") or "Cell")[0], "xs:string",
                                  (c.text or "").strip()) for c in cells]
        else:
            item = prop("", "xs:string", (entry.text or "").strip())
        item["idShort"] = allocate(names, ctx, key, entry, report=False)
        if item["idShort"] != key:
            add_extension(item, "key", key)
        out.append(item)
    return out


def _time_series(ds: etree._Element, uuid: str, name: str, observations: list[_Obs],
                 ctx: Context, created: str | None) -> Json:
    """The IDTA Time Series Data submodel: one internal segment, records by timestamp."""
    sm_id = derive_id(ctx.options.base_iri, "mtconnect", "device", uuid, "timeseries")
    names = IdShortAllocator()
    names.allocate(_RELATIVE)
    names.allocate("UtcTime")
    variables: dict[str, Json] = {}
    not_numeric = {o.item for o in observations if o.category != "SAMPLE" or (
        not o.unavailable and not _NUMBER.match((o.el.text or "").strip()))}
    for obs in observations:
        if obs.item in variables:
            continue
        model = ctx.data_items.get(obs.item) or {}
        if model.get("semanticId"):
            semantic = model["semanticId"]
        else:
            semantic = external_ref(data_item_id_from_names(
                obs.category, obs.type_name, obs.el.get("subType"))[0])
            ctx.concepts.note(semantic["keys"][0]["value"], obs.type_name)
        variable = prop(allocate(names, ctx, str(model.get("idShort") or obs.item), obs.el,
                                 report=False),
                        "xs:string" if obs.item in not_numeric else "xs:double")
        variable["semanticId"] = semantic
        variables[obs.item] = variable
    records: list[Json] = []
    as_text: set[str] = set()
    current: Json | None = None
    current_time: str | None = None
    parsed = {o.order: _parse_time(o.el.get("timestamp") or "") for o in observations}
    known = [t for t in parsed.values() if t is not None]
    start = min(known) if known else None
    for obs in sorted(observations, key=lambda o: (o.sequence, o.order)):
        stamp = obs.el.get("timestamp") or ""
        variable = variables[obs.item]
        if current is None or stamp != current_time or any(
                v["idShort"] == variable["idShort"] for v in current["value"]):
            current = smc(f"Record{len(records) + 1}", f"{TSD}Record/1/1")
            moment = parsed[obs.order]
            if moment is None:
                ctx.issue(Code.VALUE_UNCONVERTIBLE, IssueSeverity.LOSSY,
                          f"timestamp {stamp!r} is not an xs:dateTime", obs.el)
            seconds = (moment - start).total_seconds() if moment and start else None
            current["value"] += [
                prop(_RELATIVE, "xs:long", None if seconds is None else str(int(seconds)),
                     f"{TSD}RelativePointInTime/1/1"),
                prop("UtcTime", "xs:dateTime", stamp if moment else None, f"{TSD}UtcTime/1/1"),
            ]
            current_time = stamp
            records.append(current)
        current["value"].append(_record_value(variable, obs))
        if list(children(obs.el)) and obs.item not in as_text:
            as_text.add(obs.item)
            ctx.issue(Code.TELEMETRY_AS_SNAPSHOT, IssueSeverity.LOSSY,
                      f"the entries of data set {obs.item!r} are written as 'key=value' text "
                      "in the time series records", obs.el, target=str(variable["idShort"]))
    segment = smc("InternalSegment", f"{TSD}Segments/InternalSegment/1/1")
    segment["value"] = [
        _mlp("Name", f"{TSD}Segment/Name/1/1", f"MTConnect observations of {name}"),
        prop("RecordCount", "xs:long", str(len(records)), f"{TSD}Segment/RecordCount/1/1"),
    ]
    if start is not None:
        first = min((o for o in observations if parsed[o.order] is not None),
                    key=lambda o: (parsed[o.order], o.order))
        last = max((o for o in observations if parsed[o.order] is not None),
                   key=lambda o: (parsed[o.order], o.order))
        segment["value"] += [
            prop("StartTime", "xs:string", first.el.get("timestamp"),
                 f"{TSD}Segment/StartTime/1/1"),
            prop("EndTime", "xs:string", last.el.get("timestamp"),
                 f"{TSD}Segment/EndTime/1/1"),
        ]
    segment["value"].append(prop("State", "xs:string", "completed", f"{TSD}Segment/State/1/1"))
    if created:
        segment["value"].append(prop("LastUpdate", "xs:string", created,
                                     f"{TSD}Segment/LastUpdate/1/1"))
    records_smc = smc("Records", f"{TSD}Records/1/1")
    records_smc["value"] = records
    segment["value"].append(records_smc)
    record = smc("Record", f"{TSD}Record/1/1")
    record["value"] = [prop(_RELATIVE, "xs:long", None, f"{TSD}RelativePointInTime/1/1"),
                       prop("UtcTime", "xs:dateTime", None, f"{TSD}UtcTime/1/1"),
                       *[dict(v) for v in variables.values()]]
    metadata = smc("Metadata", f"{TSD}Metadata/1/1")
    metadata["value"] = [_mlp("Name", f"{TSD}Metadata/Name/1/1",
                              f"MTConnect observations of {name}"), record]
    segments = smc("Segments", f"{TSD}Segments/1/1")
    segments["value"] = [segment]
    return {"modelType": "Submodel", "id": sm_id, "idShort": "TimeSeries", "kind": "Instance",
            "semanticId": external_ref(f"{TSD}1/1"), "submodelElements": [metadata, segments]}


def _parse_time(stamp: str) -> datetime | None:
    """An MTConnect timestamp as an aware datetime (no offset: UTC, as MTConnect says)."""
    if not _DATETIME.match(stamp):
        return None
    text = re.sub(r"(\.\d{6})\d+", r"\1", stamp.replace("Z", "+00:00"))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _record_value(variable: Json, obs: _Obs) -> Json:
    out: Json = {k: v for k, v in variable.items() if k != "value"}
    text = (obs.el.text or "").strip()
    if obs.category == "CONDITION":
        out["value"] = local(obs.el)
    elif obs.unavailable:
        pass
    elif list(children(obs.el)):
        out["value"] = " ".join(f"{e.get('key')}={(e.text or '').strip()}"
                                for e in children(obs.el))
    elif variable["valueType"] != "xs:double" or _NUMBER.match(text):
        out["value"] = text
    return out


def _mlp(id_short: str, semantic_id: str, text: str) -> Json:
    return {"modelType": "MultiLanguageProperty", "idShort": id_short,
            "semanticId": external_ref(semantic_id),
            "value": [{"language": "en", "text": text}]}

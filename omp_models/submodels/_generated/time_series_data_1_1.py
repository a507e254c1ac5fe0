"""Typed model of the submodel template time-series-data 1.1.1.

Time Series Data (IDTA 02008), semanticId ``https://admin-shell.io/idta/TimeSeries/1/1``. Generated
by ``scripts/generate_submodels.py`` from ``time-series-data-1.1.1.json``; do not edit.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from omp_models.submodels._base import SubmodelModel
from omp_models.submodels._fields import ElementModel
from omp_models.submodels._spec import ElementSpec as E
from omp_models.submodels._spec import TemplateInfo
from omp_models.submodels._values import BlobValue, FileValue, Long

__all__ = [
    "ExternalSegment",
    "InternalSegment",
    "LinkedSegment",
    "Metadata",
    "Record",
    "Records",
    "RecordsRecord",
    "Segments",
    "TimeSeriesDataV1_1",
]


class Record(ElementModel):
    """The collection ``Record`` of the template.

    A time series record is unique by its ID within the time series and contains the timestamps
    and variable values referenced to the ID. Similar to a row in a table

    Template element ``Metadata/Record`` (SubmodelElementCollection, semanticId
    ``https://admin-shell.io/idta/TimeSeries/Record/1/1``).
    """

    time: Annotated[
        Annotated[list[Long], Field(min_length=1)],
        E(
            "Time",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/RelativePointInTime/1/1",
            value_type="xs:long",
            max=None,
            allowed_id_short="Time\\d{2,3}",
            unit="s",
            preferred_name="Timestamp",
        ),
    ] = Field(description=(
        "Point of Time in seconds. Time points refer to the start time of the time series "
        "segment."
    ))

    sample_acceleration_x: Annotated[
        Long | None,
        E(
            "sampleAccelerationX",
            "Property",
            semantic_id="https://sample.com/AccelerationX/1/1",
            value_type="xs:long",
            min=0,
        ),
    ] = Field(None)

    sample_acceleration_y: Annotated[
        Long | None,
        E(
            "sampleAccelerationY",
            "Property",
            semantic_id="https://sample.com/AccelerationY/1/1",
            value_type="xs:long",
            min=0,
        ),
    ] = Field(None)

    sample_acceleration_z: Annotated[
        Long | None,
        E(
            "sampleAccelerationZ",
            "Property",
            semantic_id="https://sample.com/AccelerationZ/1/1",
            value_type="xs:long",
            min=0,
        ),
    ] = Field(None)


class Metadata(ElementModel):
    """A set of data describing and providing information about the time series.

    Template element ``Metadata`` (SubmodelElementCollection, semanticId
    ``https://admin-shell.io/idta/TimeSeries/Metadata/1/1``).
    """

    name: Annotated[
        dict[str, str],
        E(
            "Name",
            "MultiLanguageProperty",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Metadata/Name/1/1",
        ),
    ] = Field(description=(
        "Meaningful name for labeling"
    ))

    description: Annotated[
        dict[str, str] | None,
        E(
            "Description",
            "MultiLanguageProperty",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Metadata/Description/1/1",
            min=0,
        ),
    ] = Field(None, description=(
        "Short description of the time series"
    ))

    record: Annotated[
        Record,
        E(
            "Record",
            "SubmodelElementCollection",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Record/1/1",
        ),
    ] = Field(description=(
        "A time series record is unique by its ID within the time series and contains the "
        "timestamps and variable values referenced to the ID. Similar to a row in a table"
    ))


class ExternalSegment(ElementModel):
    """Reference to a file of data points in sequential order over a period of time.

    Template element ``Segments/ExternalSegment`` (SubmodelElementCollection, semanticId
    ``https://admin-shell.io/idta/TimeSeries/Segments/ExternalSegment/1/1``).
    """

    name: Annotated[
        dict[str, str] | None,
        E(
            "Name",
            "MultiLanguageProperty",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/Name/1/1",
            min=0,
        ),
    ] = Field(None, description=(
        "Meaningful name for labeling."
    ))

    description: Annotated[
        dict[str, str] | None,
        E(
            "Description",
            "MultiLanguageProperty",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/Description/1/1",
            min=0,
        ),
    ] = Field(None, description=(
        "Short description of the time series segment."
    ))

    record_count: Annotated[
        Long | None,
        E(
            "RecordCount",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/RecordCount/1/1",
            value_type="xs:long",
            min=0,
        ),
    ] = Field(None, description=(
        "Indicates how many records are present in a segment."
    ))

    start_time: Annotated[
        str | None,
        E(
            "StartTime",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/StartTime/1/1",
            value_type="xs:string",
            min=0,
        ),
    ] = Field(None, description=(
        "Contains the first recorded timestamp of the time series segment and thus represents the"
        " beginning of a time series. Time format and scale corresponds to that of the time "
        "series."
    ))

    end_time: Annotated[
        str | None,
        E(
            "EndTime",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/EndTime/1/1",
            value_type="xs:string",
            min=0,
        ),
    ] = Field(None, description=(
        "Contains the last recorded timestamp of the time series segment and thus represents the "
        "end of a time series. Time format and scale corresponds to that of the time series."
    ))

    duration: Annotated[
        str | None,
        E(
            "Duration",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/Duration/1/1",
            value_type="xs:string",
            min=0,
        ),
    ] = Field(None, description=(
        "Period covered by the segment, represented according to ISO 8601 by the format "
        "P[n]Y[n]M[n]DT[n]H[n]M[n]S"
    ))

    sampling_interval: Annotated[
        Long | None,
        E(
            "SamplingInterval",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/SamplingInterval/1/1",
            value_type="xs:long",
            min=0,
            unit="s",
            preferred_name="Sampling interval",
        ),
    ] = Field(None, description=(
        "The time period between two time series records (Length of cycle)."
    ))

    sampling_rate: Annotated[
        Long | None,
        E(
            "SamplingRate",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/SamplingRate/1/1",
            value_type="xs:long",
            min=0,
            unit="Hz",
            preferred_name="Sampling rate",
        ),
    ] = Field(None, description=(
        "Defines the number of samples per second for a regular time series in Hz."
    ))

    state: Annotated[
        str | None,
        E(
            "State",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/State/1/1",
            value_type="xs:string",
            min=0,
        ),
    ] = Field(None, description=(
        "State of the time series related to its progress"
    ))

    last_update: Annotated[
        str | None,
        E(
            "LastUpdate",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/LastUpdate/1/1",
            value_type="xs:string",
            min=0,
        ),
    ] = Field(None, description=(
        "Time of the last chance"
    ))

    file: Annotated[
        FileValue | None,
        E(
            "File",
            "File",
            semantic_id="https://admin-shell.io/idta/TimeSeries/File/1/1",
            min=0,
            content_type="application/json",
        ),
    ] = Field(None, description=(
        "Sequence of data points in sequential order over a period of time within a paged data "
        "file"
    ))

    blob: Annotated[
        BlobValue | None,
        E(
            "Blob",
            "Blob",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Blob/1/1",
            min=0,
            content_type="application/json",
        ),
    ] = Field(None, description=(
        "Sequence of data points in sequential order over a period of time within a BLOB"
    ))


class LinkedSegment(ElementModel):
    """Reference to an endpoint of data points in sequential order over a period of time.

    Template element ``Segments/LinkedSegment`` (SubmodelElementCollection, semanticId
    ``https://admin-shell.io/idta/TimeSeries/Segments/LinkedSegment/1/1``).
    """

    name: Annotated[
        dict[str, str] | None,
        E(
            "Name",
            "MultiLanguageProperty",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/Name/1/1",
            min=0,
        ),
    ] = Field(None, description=(
        "Meaningful name for labeling."
    ))

    description: Annotated[
        dict[str, str] | None,
        E(
            "Description",
            "MultiLanguageProperty",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/Description/1/1",
            min=0,
        ),
    ] = Field(None, description=(
        "Short description of the time series segment."
    ))

    record_count: Annotated[
        Long | None,
        E(
            "RecordCount",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/RecordCount/1/1",
            value_type="xs:long",
            min=0,
        ),
    ] = Field(None, description=(
        "Indicates how many records are present in a segment."
    ))

    start_time: Annotated[
        str | None,
        E(
            "StartTime",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/StartTime/1/1",
            value_type="xs:string",
            min=0,
        ),
    ] = Field(None, description=(
        "Contains the first recorded timestamp of the time series segment and thus represents the"
        " beginning of a time series. Time format and scale corresponds to that of the time "
        "series."
    ))

    end_time: Annotated[
        str | None,
        E(
            "EndTime",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/EndTime/1/1 ",
            value_type="xs:string",
            min=0,
        ),
    ] = Field(None)

    duration: Annotated[
        str | None,
        E(
            "Duration",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/Duration/1/1",
            value_type="xs:string",
            min=0,
        ),
    ] = Field(None, description=(
        "Period covered by the segment, represented according to ISO 8601 by the format "
        "P[n]Y[n]M[n]DT[n]H[n]M[n]S"
    ))

    sampling_interval: Annotated[
        Long | None,
        E(
            "SamplingInterval",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/SamplingInterval/1/1",
            value_type="xs:long",
            min=0,
            unit="s",
            preferred_name="Sampling interval",
        ),
    ] = Field(None, description=(
        "The time period between two time series records (Length of cycle)."
    ))

    sampling_rate: Annotated[
        Long | None,
        E(
            "SamplingRate",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/SamplingRate/1/1",
            value_type="xs:long",
            min=0,
            unit="Hz",
            preferred_name="Sampling rate",
        ),
    ] = Field(None, description=(
        "Defines the number of samples per second for a regular time series in Hz."
    ))

    state: Annotated[
        str | None,
        E(
            "State",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/State/1/1",
            value_type="xs:string",
            min=0,
        ),
    ] = Field(None, description=(
        "State of the time series related to its progress"
    ))

    last_update: Annotated[
        str | None,
        E(
            "LastUpdate",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/LastUpdate/1/1",
            value_type="xs:string",
            min=0,
        ),
    ] = Field(None, description=(
        "Time of the last chance"
    ))

    endpoint: Annotated[
        str,
        E(
            "Endpoint",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Endpoint/1/1",
            value_type="xs:string",
        ),
    ] = Field(description=(
        "Specifies a location of a resource on an API server through which time series can be "
        "requested"
    ))

    query: Annotated[
        str,
        E(
            "Query",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Query/1/1",
            value_type="xs:string",
        ),
    ] = Field(description=(
        "generic query component to read time series data from an API"
    ))


class RecordsRecord(ElementModel):
    """The collection ``Record`` of the template.

    A time series record is unique by its ID within the time series and contains the timestamps
    and variable values referenced to the ID. Similar to a row in a table

    Template element ``Segments/InternalSegment/Records/Record`` (SubmodelElementCollection,
    semanticId ``https://admin-shell.io/idta/TimeSeries/Record/1/1``).
    """

    time: Annotated[
        Annotated[list[Long], Field(min_length=1)],
        E(
            "Time",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/RelativePointInTime/1/1",
            value_type="xs:long",
            max=None,
            allowed_id_short="Time\\d{2,3}",
            unit="s",
            preferred_name="Timestamp",
        ),
    ] = Field(description=(
        "Point of Time in seconds. Time points refer to the start time of the time series "
        "segment."
    ))

    sample_acceleration_x: Annotated[
        Long | None,
        E(
            "sampleAccelerationX",
            "Property",
            semantic_id="https://sample.com/AccelerationX/1/1",
            value_type="xs:long",
            min=0,
        ),
    ] = Field(None)

    sample_acceleration_y: Annotated[
        Long | None,
        E(
            "sampleAccelerationY",
            "Property",
            semantic_id="https://sample.com/AccelerationY/1/1",
            value_type="xs:long",
            min=0,
        ),
    ] = Field(None)

    sample_acceleration_z: Annotated[
        Long | None,
        E(
            "sampleAccelerationZ",
            "Property",
            semantic_id="https://sample.com/AccelerationZ/1/1",
            value_type="xs:long",
            min=0,
        ),
    ] = Field(None)


class Records(ElementModel):
    """Group of data points in successive order over a specified period of time.

    Template element ``Segments/InternalSegment/Records`` (SubmodelElementCollection, semanticId
    ``https://admin-shell.io/idta/TimeSeries/Records/1/1``).
    """

    record: Annotated[
        list[RecordsRecord],
        E(
            "Record",
            "SubmodelElementCollection",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Record/1/1",
            min=0,
            max=None,
        ),
    ] = Field(default_factory=list, description=(
        "A time series record is unique by its ID within the time series and contains the "
        "timestamps and variable values referenced to the ID. Similar to a row in a table"
    ))


class InternalSegment(ElementModel):
    """Grouped sequence of data points in successive order over a specified period of time.

    Template element ``Segments/InternalSegment`` (SubmodelElementCollection, semanticId
    ``https://admin-shell.io/idta/TimeSeries/Segments/InternalSegment/1/1``).
    """

    name: Annotated[
        dict[str, str] | None,
        E(
            "Name",
            "MultiLanguageProperty",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/Name/1/1",
            min=0,
        ),
    ] = Field(None, description=(
        "Meaningful name for labeling."
    ))

    description: Annotated[
        dict[str, str] | None,
        E(
            "Description",
            "MultiLanguageProperty",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/Description/1/1",
            min=0,
        ),
    ] = Field(None, description=(
        "Short description of the time series segment."
    ))

    record_count: Annotated[
        Long | None,
        E(
            "RecordCount",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/RecordCount/1/1",
            value_type="xs:long",
            min=0,
        ),
    ] = Field(None, description=(
        "Indicates how many records are present in a segment."
    ))

    start_time: Annotated[
        str | None,
        E(
            "StartTime",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/StartTime/1/1",
            value_type="xs:string",
            min=0,
        ),
    ] = Field(None, description=(
        "Contains the first recorded timestamp of the time series segment and thus represents the"
        " beginning of a time series. Time format and scale corresponds to that of the time "
        "series."
    ))

    end_time: Annotated[
        str | None,
        E(
            "EndTime",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/EndTime/1/1",
            value_type="xs:string",
            min=0,
        ),
    ] = Field(None, description=(
        "Contains the last recorded timestamp of the time series segment and thus represents the "
        "end of a time series. Time format and scale corresponds to that of the time series."
    ))

    duration: Annotated[
        str | None,
        E(
            "Duration",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/Duration/1/1",
            value_type="xs:string",
            min=0,
        ),
    ] = Field(None, description=(
        "Period covered by the segment, represented according to ISO 8601 by the format "
        "P[n]Y[n]M[n]DT[n]H[n]M[n]S"
    ))

    sampling_interval: Annotated[
        Long | None,
        E(
            "SamplingInterval",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/SamplingInterval/1/1",
            value_type="xs:long",
            min=0,
            unit="s",
            preferred_name="Sampling interval",
        ),
    ] = Field(None, description=(
        "The time period between two time series records (Length of cycle)."
    ))

    sampling_rate: Annotated[
        Long | None,
        E(
            "SamplingRate",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/SamplingRate/1/1",
            value_type="xs:long",
            min=0,
            unit="Hz",
            preferred_name="Sampling rate",
        ),
    ] = Field(None, description=(
        "Defines the number of samples per second for a regular time series in Hz."
    ))

    state: Annotated[
        str | None,
        E(
            "State",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/State/1/1",
            value_type="xs:string",
            min=0,
        ),
    ] = Field(None, description=(
        "State of the time series related to its progress"
    ))

    last_update: Annotated[
        str | None,
        E(
            "LastUpdate",
            "Property",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segment/LastUpdate/1/1",
            value_type="xs:string",
            min=0,
        ),
    ] = Field(None, description=(
        "Time of the last chance"
    ))

    records: Annotated[
        Records,
        E(
            "Records",
            "SubmodelElementCollection",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Records/1/1",
        ),
    ] = Field(description=(
        "Group of data points in successive order over a specified period of time"
    ))


class Segments(ElementModel):
    """Contains segments of a time series.

    Template element ``Segments`` (SubmodelElementCollection, semanticId
    ``https://admin-shell.io/idta/TimeSeries/Segments/1/1``).
    """

    external_segment: Annotated[
        list[ExternalSegment],
        E(
            "ExternalSegment",
            "SubmodelElementCollection",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segments/ExternalSegment/1/1",
            min=0,
            max=None,
        ),
    ] = Field(default_factory=list, description=(
        "Reference to a file of data points in sequential order over a period of time"
    ))

    linked_segment: Annotated[
        list[LinkedSegment],
        E(
            "LinkedSegment",
            "SubmodelElementCollection",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segments/LinkedSegment/1/1",
            min=0,
            max=None,
        ),
    ] = Field(default_factory=list, description=(
        "Reference to an endpoint of data points in sequential order over a period of time"
    ))

    internal_segment: Annotated[
        list[InternalSegment],
        E(
            "InternalSegment",
            "SubmodelElementCollection",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segments/InternalSegment/1/1",
            min=0,
            max=None,
        ),
    ] = Field(default_factory=list, description=(
        "Grouped sequence of data points in successive order over a specified period of time"
    ))


class TimeSeriesDataV1_1(SubmodelModel):
    """Time Series Data 1.1.1 (IDTA 02008).

    Contains time series data and references to time series data to discover and semantically
    describe them along the asset lifecycle.

    semanticId ``https://admin-shell.io/idta/TimeSeries/1/1``; generated from the bundled
    template ``time-series-data-1.1.1.json``.
    """

    TEMPLATE: ClassVar[TemplateInfo] = TemplateInfo(
        name="Time Series Data",
        version="1.1.1",
        semantic_id="https://admin-shell.io/idta/TimeSeries/1/1",
        id_short="TimeSeries",
        template_id="https://admin-shell.io/idta/SubmodelTemplate/TimeSeries/1/1",
        slug="time-series-data",
        idta="02008",
        semantic_id_type="ModelReference",
        semantic_id_key="Submodel",
    )

    metadata: Annotated[
        Metadata,
        E(
            "Metadata",
            "SubmodelElementCollection",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Metadata/1/1",
        ),
    ] = Field(description=(
        "A set of data describing and providing information about the time series"
    ))

    segments: Annotated[
        Segments,
        E(
            "Segments",
            "SubmodelElementCollection",
            semantic_id="https://admin-shell.io/idta/TimeSeries/Segments/1/1",
        ),
    ] = Field(description=(
        "Contains segments of a time series"
    ))

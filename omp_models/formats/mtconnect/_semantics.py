"""The one semanticId scheme for MTConnect types (see docs/formats/mtconnect.md).

MTConnect publishes no per-type IRIs. Every semanticId the reader writes is a URN under the
MTConnect Devices XML namespace *without* its version, so that the same type read from a
1.3 and a 2.7 document gets the same id::

    urn:mtconnect.org:MTConnectDevices:Device
    urn:mtconnect.org:MTConnectDevices:Component:Linear
    urn:mtconnect.org:MTConnectDevices:DataItem:SAMPLE:POSITION
    urn:mtconnect.org:MTConnectDevices:DataItem:SAMPLE:POSITION:ACTUAL
    urn:mtconnect.org:MTConnectDevices:Composition:MOTOR
    urn:mtconnect.org:MTConnectDevices:Element:CoordinateSystem
    urn:mtconnect.org:MTConnectDevices:Element:CoordinateSystem@type

Types from an extension schema (``x:Pump``, ``type="x:FLOW"``) use the extension's
namespace URI in place of the MTConnect base.
"""

from __future__ import annotations

import re

from lxml import etree

__all__ = [
    "BASE",
    "attribute_id",
    "component_id",
    "component_id_from_name",
    "composition_id",
    "condition_field_id",
    "data_item_id",
    "data_item_id_from_names",
    "device_id",
    "element_id",
    "is_mtconnect_namespace",
    "type_from_element_name",
]

BASE = "urn:mtconnect.org:MTConnectDevices"
_MTC_NS = re.compile(r"^urn:mtconnect\.(org|com):MTConnect(Devices|Streams|Assets|Error):")


def is_mtconnect_namespace(namespace: str | None) -> bool:
    """Whether a namespace is MTConnect's (any version; ``None`` for no namespace)."""
    return namespace is None or bool(_MTC_NS.match(namespace))


def _base_of(el: etree._Element) -> str:
    namespace = etree.QName(el).namespace
    return BASE if is_mtconnect_namespace(namespace) else str(namespace)


def _typed(value: str, el: etree._Element) -> tuple[str, str]:
    """(base, name) of a possibly prefixed type value (``x:FLOW``)."""
    prefix, sep, name = value.partition(":")
    if sep and prefix in (el.nsmap or {}):
        namespace = el.nsmap[prefix]
        if not is_mtconnect_namespace(namespace):
            return str(namespace), name
    return BASE, value if not sep else name


def device_id(kind: str = "Device") -> str:
    """The semanticId of a Device (or Agent) and of its device-model submodel."""
    return f"{BASE}:{kind}"


def component_id(el: etree._Element) -> str:
    """The semanticId of a component element (``Linear``, ``Controller``, ...)."""
    return f"{_base_of(el)}:Component:{etree.QName(el).localname}"


def data_item_id(el: etree._Element, category: str, type_: str, sub_type: str | None
                 ) -> tuple[str, str | None]:
    """(semanticId, the id without subType or ``None``) of a DataItem."""
    base, name = _typed(type_, el)
    plain = f"{base}:DataItem:{category}:{name}"
    if sub_type:
        _, sub = _typed(sub_type, el)
        return f"{plain}:{sub}", plain
    return plain, None


def composition_id(el: etree._Element, type_: str) -> str:
    """The semanticId of a Composition."""
    base, name = _typed(type_, el)
    return f"{base}:Composition:{name}"


def element_id(el: etree._Element) -> str:
    """The semanticId of any other element (configuration, description, ...)."""
    return f"{_base_of(el)}:Element:{etree.QName(el).localname}"


def attribute_id(el: etree._Element, attribute: str) -> str:
    """The semanticId of an attribute of an element mapped generically."""
    return f"{element_id(el)}@{etree.QName(attribute).localname}"


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def type_from_element_name(local_name: str) -> str:
    """The DataItem type of a Streams observation element name.

    Example:
        >>> type_from_element_name("PathFeedrate")
        'PATH_FEEDRATE'
    """
    return _CAMEL.sub("_", local_name).upper()


def component_id_from_name(name: str) -> str:
    """The semanticId of a component known only by its element name (Streams)."""
    return f"{BASE}:Component:{name}"


def data_item_id_from_names(category: str, type_: str, sub_type: str | None
                            ) -> tuple[str, str | None]:
    """Like :func:`data_item_id`, for a type known only by name (Streams)."""
    plain = f"{BASE}:DataItem:{category}:{type_}"
    return (f"{plain}:{sub_type}", plain) if sub_type else (plain, None)


def condition_field_id(field: str) -> str:
    """The semanticId of a part of a condition (``state``, ``nativeCode``, ``message``...)."""
    return f"{BASE}:Element:Condition@{field}"

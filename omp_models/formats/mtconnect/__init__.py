"""MTConnect Devices and Streams documents (1.x to 2.7) -> AAS (read-only).

``omp convert Devices.xml --to aas-json`` makes one shell per device with its device model
(components, data items by category, units as IEC 61360 concept descriptions with UNECE
Rec 20 codes, compositions, configuration, references and relationships);
``omp convert current.xml --to aas-json`` adds the observed values and an IDTA Time Series
Data submodel. Inputs are checked against the bundled MTConnect XSDs; violations are
``INVALID_INPUT`` entries with their line (``--option schema=error`` makes them fatal,
``schema=off`` skips the check). The semanticId scheme and the mapping table are in
docs/formats/mtconnect.md.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from omp_models.aas.io import AasEnvironment
    from omp_models.formats._registry import ConvertOptions, Source
    from omp_models.formats._report import ConversionReport

__all__ = ["FORMATS", "MTConnectFormat"]

_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?MTConnect(?:Devices|Streams)[\s/>]")


class MTConnectFormat:
    """MTConnect Devices (probe) and Streams (current, sample) documents."""

    name: ClassVar[str] = "mtconnect"
    title: ClassVar[str] = "MTConnect Devices and Streams (1.x to 2.7, read-only)"
    patterns: ClassVar[tuple[str, ...]] = ("*.xml",)
    can_read: ClassVar[bool] = True
    can_write: ClassVar[bool] = False
    extension: ClassVar[str] = ".xml"

    def sniff(self, name: str, head: bytes) -> bool:
        """An XML document whose root is ``MTConnectDevices`` or ``MTConnectStreams``."""
        return bool(_ROOT.search(head[:8192]))

    def read(self, source: Source, options: ConvertOptions
             ) -> tuple[AasEnvironment, ConversionReport]:
        """Read a Devices or Streams document (see the module docstring)."""
        # Imported when used: every `omp convert` builds the format registry.
        from omp_models.formats.mtconnect._reader import read_mtconnect

        return read_mtconnect(source, options)

    def write(self, env: AasEnvironment, options: ConvertOptions
              ) -> tuple[bytes, ConversionReport]:
        """Not supported: MTConnect is read-only.

        Raises:
            NotImplementedError: Always.
        """
        raise NotImplementedError("MTConnect is read-only")


#: The formats this package provides (found by the registry).
FORMATS = (MTConnectFormat,)

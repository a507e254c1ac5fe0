"""OPC UA information models (NodeSet2 XML) <-> AAS.

Reading loads the NodeSet with its ``RequiredModel`` closure (found in the search folders,
``--search-path``), maps ObjectTypes to submodel templates, types and declarations to
ConceptDescriptions (IEC 61360) and instances to submodels. Writing produces a NodeSet2
that validates against ``UANodeSet.xsd``: submodel templates become ObjectTypes, instances
Objects, ConceptDescriptions dictionary entries; what OPC UA cannot say is kept in the
nodes' ``<Extensions>`` so that reading the file back restores the AAS.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

from omp_models.aas.io import AasEnvironment
from omp_models.formats._registry import ConvertOptions, Source
from omp_models.formats._report import ConversionReport

__all__ = ["FORMATS", "NodeSetFormat"]


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a conversion builds its object graph.

    Building tens of thousands of long-lived objects triggers full collections that scan
    every one of them again and again (a third of the reading time of the core NodeSet);
    nothing built here becomes garbage before the conversion ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class NodeSetFormat:
    """OPC UA NodeSet2 XML (OPC 10000-6 Annex F), companion specifications included."""

    name: ClassVar[str] = "opcua-nodeset"
    title: ClassVar[str] = "OPC UA NodeSet2 XML (with RequiredModel dependencies)"
    #: (matched against the lower-cased file name)
    patterns: ClassVar[tuple[str, ...]] = ("*.nodeset2.xml", "*.xml")
    extension: ClassVar[str] = ".NodeSet2.xml"
    can_read: ClassVar[bool] = True
    can_write: ClassVar[bool] = True

    def sniff(self, name: str, head: bytes) -> bool:
        """XML whose root is a ``UANodeSet``."""
        return b"<UANodeSet" in head[:65536] and (
            b"http://opcfoundation.org/UA/2011/03/UANodeSet.xsd" in head[:65536])

    def read(self, source: Source, options: ConvertOptions
             ) -> tuple[AasEnvironment, ConversionReport]:
        """Read a NodeSet2 file and the NodeSets it requires."""
        from omp_models.formats.opcua._read import read_nodeset

        with _no_gc():
            return read_nodeset(source, options)

    def write(self, env: AasEnvironment, options: ConvertOptions
              ) -> tuple[bytes, ConversionReport]:
        """Write the environment as a NodeSet2 file."""
        from omp_models.formats.opcua._write import write_nodeset

        with _no_gc():
            return write_nodeset(env, options)


#: The formats this package provides (found by the registry).
FORMATS = (NodeSetFormat,)

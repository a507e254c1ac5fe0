"""The check layers: syntax and metamodel (``metamodel``), ``environment``, ``aasx``."""

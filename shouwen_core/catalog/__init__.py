"""The catalog: model, loading, validation and importers."""

from .errors import CatalogError
from .load import detect_format, load_catalog, read_catalog_dict
from .model import FORMAT, Case, Catalog, Department, Hall, Material, Matter, Package

__all__ = [
    "FORMAT",
    "Case",
    "Catalog",
    "CatalogError",
    "Department",
    "Hall",
    "Material",
    "Matter",
    "Package",
    "detect_format",
    "load_catalog",
    "read_catalog_dict",
]

"""The exercise catalogue as shipped: one YAML file per exercise, and the loader that checks them."""

from backcoach.catalogue.loader import load_catalogue, load_catalogue_from

__all__ = ["load_catalogue", "load_catalogue_from"]

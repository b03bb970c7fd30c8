"""Places in any script or romanization, read into a gazetteer of entries with parents (a pure core)."""

from .gazetteer import Entry, Gazetteer, GazetteerError, load_gazetteer
from .parse import Place, Relation, compare_places, parse_place, place_reading, resolve_places

__all__ = ["Entry", "Gazetteer", "GazetteerError", "Place", "Relation", "compare_places", "load_gazetteer",
           "parse_place", "place_reading", "resolve_places"]

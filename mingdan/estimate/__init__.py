"""Multiple systems estimation: how many victims no list recorded (a pure core: numpy/scipy only)."""

from .base import EstimationError, Estimator
from .dga import DGA
from .loglinear import LogLinear
from .table import CaptureTable, TableError

__all__ = ["DGA", "CaptureTable", "EstimationError", "Estimator", "LogLinear", "TableError"]

"""Multiple systems estimation: how many victims no list recorded (a pure core: numpy/scipy only)."""

from .api import estimate_table
from .base import EstimationError, Estimator
from .dga import DGA
from .lcmcr import LCMCR
from .loglinear import LogLinear
from .strata import StratifiedEstimate
from .table import CaptureTable, TableError

__all__ = ["DGA", "LCMCR", "CaptureTable", "EstimationError", "Estimator", "LogLinear", "StratifiedEstimate",
           "TableError", "estimate_table"]

"""Uncertain dates (EDTF levels 0-1, and the Chinese and English forms lists write) and ISO 8601
durations; a pure core."""

from .core import DateError, Duration, UncertainDate, from_edtf, normalize_digits, parse_duration, parse_edtf
from .points import DATE_ORDERS, ERAS, Context
from .written import by_formats, check_format, parse_date

__all__ = ["DATE_ORDERS", "ERAS", "Context", "DateError", "Duration", "UncertainDate", "by_formats", "check_format",
           "from_edtf", "normalize_digits", "parse_date", "parse_duration", "parse_edtf"]

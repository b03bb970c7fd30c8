"""The search's filters as typed: each is read in a documented form or refused with a reason naming it.

A date filter is a year (1989), a month (1989-06) or a day (1989-06-04); `from` takes the first
day of a year or month and `to` the last, so `from=1970&to=1980` means 1970-01-01 to 1980-12-31.
Anything else — `2020-13-45`, `%00`, `1989/06/04` — is refused (400) rather than ignored, which
returned every record as if no filter had been given.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.utils.translation import gettext as _

#: Custody statuses a search can filter on (today's status, from every event this reader may read).
CUSTODY_STATUSES = ("held", "released", "deceased", "unknown")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class FilterError(ValueError):
    """A filter that cannot be read; the message names the parameter and the forms it takes."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter


def date_bound(params, parameter: str) -> dt.date | None:
    """The first (`from`) or last (`to`) day a date filter stands for; None when it is not given."""
    text = params.get(parameter, "").strip()
    if not text:
        return None
    found = _DATE.fullmatch(text)
    try:
        if found is None:
            raise ValueError(text)
        year, month, day = int(found[1]), int(found[2] or 0), int(found[3] or 0)
        if day:
            return dt.date(year, month, day)
        last = parameter == "to"
        if month:
            return dt.date(year, month, calendar.monthrange(year, month)[1] if last else 1)
        return dt.date(year, 12, 31) if last else dt.date(year, 1, 1)
    except ValueError:
        raise FilterError(parameter, _("The filter “%(parameter)s” must be a year (1989), a month (1989-06) or a "
                                       "day (1989-06-04).") % {"parameter": parameter}) from None


def date_range(params) -> tuple[dt.date | None, dt.date | None]:
    """The `from` and `to` filters as days; refused when `from` is after `to`."""
    start, end = date_bound(params, "from"), date_bound(params, "to")
    if start and end and start > end:
        raise FilterError("from", _("The filter “from” is after the filter “to”."))
    return start, end


def check_choices(params) -> None:
    """Refuse a custody status or a `linked` value the search does not know (it was ignored before)."""
    status = params.get("status", "")
    if status and status not in CUSTODY_STATUSES:
        raise FilterError("status", _("The filter “status” must be one of: %(choices)s.")
                          % {"choices": ", ".join(CUSTODY_STATUSES)})
    if params.get("linked", "") not in ("", "no"):
        raise FilterError("linked", _("The filter “linked” takes only the value “no” (records not linked to a person)."))

"""Sentence arithmetic rules, explicit and configurable per jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass

from mingdan.dates import Duration


@dataclass(frozen=True)
class RuleSet:
    """How a jurisdiction counts terms; every choice the calculation makes is named here."""

    name: str
    #: A fixed term runs from the first day in custody: pre-trial detention is credited day for day.
    credit_pretrial_detention: bool = True
    #: The reprieve of a death sentence with reprieve, when the judgment gives none.
    default_reprieve: Duration = Duration(2, 0, 0)
    #: A fixed term given by commutation runs from the commutation ruling ("ruling"), or, when
    #: it replaces a death sentence with reprieve, from the end of the reprieve ("reprieve_end").
    commuted_term_from: str = "ruling"
    reprieve_commuted_term_from: str = "reprieve_end"
    #: An expected release this many days past with no confirmed release raises a flag.
    overdue_days: int = 90
    #: A status not confirmed by any event for this many years raises a flag.
    unconfirmed_years: int = 5
    citation: str = ""


#: People's Republic of China, Criminal Law (1997 revision): art. 47 (pre-trial custody credited
#: one day for one day of fixed-term imprisonment), art. 50 and 51 (death with a two-year
#: reprieve; a fixed term commuted from it runs from the end of the reprieve), art. 78-80
#: (reductions; a fixed term commuted from life runs from the date of the ruling).
PRC_RULES = RuleSet(
    name="PRC",
    citation="Criminal Law of the PRC (1997), arts. 47, 50, 51, 78-80",
)

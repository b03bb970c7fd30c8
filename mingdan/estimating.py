"""Estimates from a case: capture tables per category from the linked people, fitted and stored."""

from __future__ import annotations

import datetime as dt
import getpass
from collections import defaultdict
from pathlib import Path

from mingdan.store.case import Case
from mingdan.store.categories import CATEGORY_EVENTS
from mingdan.store.lens import Lens, event_types_q
from mingdan.version import code_version


def capture_rows(category: str) -> tuple[list[str], list[tuple[int, ...]], bool]:
    """The lists (sources) naming anyone in the category, one 0/1 row per person, and whether linked."""
    from mingdan.store.models import Event, Record

    # Estimates are computed by whoever holds the case key: restricted and secret event types count too.
    events = (Event.objects.filter(event_types_q(Lens.everything(), CATEGORY_EVENTS[category]),
                                   superseded_in__isnull=True)
              .values_list("record__source__name", "record__record_id", "record__person__person_id"))
    people: dict[str, set[str]] = defaultdict(set)
    for source, record_id, person_id in events.iterator(chunk_size=5000):
        people[person_id or f"{source}:{record_id}"].add(source)
    lists = sorted({source for sources in people.values() for source in sources})
    rows = [tuple(int(name in sources) for name in lists) for sources in people.values()]
    linked = Record.objects.filter(person__isnull=False).exists()
    return lists, rows, linked


def estimate_case(case: Case, category: str, method: str = "lcmcr", seed: int | None = None,
                  store: bool = True, allow_unlinked: bool = False, **settings) -> dict:
    """Fit the method to the category's capture table; store the result as an Estimate.

    Unlinked records would count one person once per list that names them, so an estimate
    from them is refused unless asked for, and is then never stored.
    """
    from mingdan.estimate import CaptureTable, EstimationError, estimate_table

    if category not in CATEGORY_EVENTS:
        raise ValueError(f"category {category!r} is not one of {', '.join(CATEGORY_EVENTS)}")
    lists, rows, linked = capture_rows(category)
    if not linked and not allow_unlinked:
        raise EstimationError("the records are not linked into people yet, so every person named by several lists "
                              "would be counted several times and the estimate would be far too high; run "
                              "`mingdan link` first (or --allow-unlinked to see the inflated number, never stored)")
    if not rows:
        raise EstimationError(f"no record in the case is in the category {category!r}")
    table = CaptureTable.from_individuals(lists, rows)
    result = estimate_table(table, method, seed=seed, keep_draws=True, **settings)
    result["category"] = category
    result["linked"] = linked
    result["lists"] = lists
    if not linked:
        result.setdefault("warnings", []).append(
            "records are not linked into people: each record counts as a person, so people named by several "
            "lists are counted several times and the estimate is too high; run `mingdan link` first")
    if store and linked:
        from mingdan.store.models import Estimate

        same = Estimate.objects.filter(category=category, method=method, input_sha256=table.sha256(),
                                       settings=result.get("settings", {})).order_by("-id").first()
        # The same table and settings again: the stored estimate stands (seeded runs give the same draws).
        result["estimate_id"] = same.pk if same else _store(result, table, category, method)
    return result


def _store(result: dict, table, category: str, method: str) -> int:
    from mingdan.store.models import Estimate

    summary = {k: v for k, v in result.items()
               if k not in ("estimate", "lower", "upper", "observed", "method", "settings", "table_sha256")}
    saved = Estimate.objects.create(
        category=category, method=method, settings=result.get("settings", {}),
        input_sha256=table.sha256(), table={"lists": list(table.lists), "counts": [int(c) for c in table.counts]},
        code_version=code_version(), observed=int(result["observed"]), estimate=float(result["estimate"]),
        lower=float(result["lower"]), upper=float(result["upper"]), summary=_jsonable(summary),
        created_by=_user(),
    )
    return saved.pk


def posterior_figure(result: dict, claims: list[dict], path: Path) -> Path:
    """The posterior (or sampling distribution) of N with the published count claims marked."""
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    values = [v for c in claims for v in (c["best"], c["minimum"], c["maximum"]) if v is not None]
    right = max([result["upper"] * 1.25, *(v * 1.08 for v in values)])
    figure, axes = plt.subplots(figsize=(8.5, 4.6), dpi=110)
    draws = result.get("draws")
    if draws:
        axes.hist(np.asarray(draws), bins=np.linspace(0, right, 80), color="#8aa6c1", edgecolor="none", density=True,
                  label="posterior of N")
    axes.axvspan(result["lower"], result["upper"], color="#8aa6c1", alpha=0.18, label="95% interval")
    axes.axvline(result["estimate"], color="#1f4e79", linewidth=2, label=f"estimate {result['estimate']:,.0f}")
    axes.axvline(result["observed"], color="black", linestyle=":", label=f"named {result['observed']:,}")
    axes.set_xlim(0, right)
    top = axes.get_ylim()[1]
    for index, claim in enumerate(claims):
        low = claim["minimum"] if claim["minimum"] is not None else claim["best"]
        high = claim["maximum"] if claim["maximum"] is not None else claim["best"]
        point = claim["best"] if claim["best"] is not None else (low if low is not None else high)
        retracted = claim["verification"] == "retracted"
        color = "#999999" if retracted else "#b03a2e"
        height = top * (0.93 - 0.09 * (index % 7))
        if low is not None and high is not None and low != high:
            axes.plot([low, high], [height, height], color=color, linewidth=3, solid_capstyle="butt")
        axes.axvline(point, color=color, linestyle="--", linewidth=1)
        label = f"{claim['figure']} ({claim['source']}{', retracted' if retracted else ''})"
        near_right = point > right * 0.6
        axes.text(point, height, f" {label} " if not near_right else f"{label} ", fontsize=7, color=color,
                  va="bottom", ha="right" if near_right else "left")
    axes.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: f"{x:,.0f}"))
    axes.set_xlabel(f"total number {result.get('category', '')} (N), named and unnamed")
    axes.set_yticks([])
    axes.set_title(f"{result.get('category', '').capitalize()}: {result['method']} estimate {result['estimate']:,.0f} "
                   f"(95% {result['lower']:,.0f}–{result['upper']:,.0f}); published figures in red")
    axes.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=4, frameon=False)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, metadata={"Software": None})
    plt.close(figure)
    return path


def _jsonable(value):
    import numpy as np

    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items() if k != "draws"}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""

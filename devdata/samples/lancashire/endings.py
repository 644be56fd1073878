"""Why each plan ended: most are ceased at a review conference; short plans often end because
the child became looked after or moved away; long neglect cases go into proceedings (§6.3.2)."""

import random

from .specs import GroupSpec

NO_LONGER_AT_RISK = "no_longer_at_risk"
LOOKED_AFTER = "looked_after"
MOVED_AWAY = "moved_away"
SHORTEST_AT_REVIEW = 42  # days
# band (or "ni64") -> weights of end reasons
REASONS = {
    "A": {NO_LONGER_AT_RISK: 40, LOOKED_AFTER: 40, MOVED_AWAY: 20},
    "ni64": {NO_LONGER_AT_RISK: 60, LOOKED_AFTER: 36, MOVED_AWAY: 4},
    "other": {NO_LONGER_AT_RISK: 82, LOOKED_AFTER: 12, MOVED_AWAY: 6},
}


def choose_end_reasons(rng: random.Random, groups: list[GroupSpec]) -> None:
    for group in groups:
        if group.end is None or group.first.end_reason:
            continue
        key = "ni64" if group.first.cohort == "ni64" else group.first.band
        weights = dict(REASONS.get(key, REASONS["other"]))
        if (group.end - group.start).days < SHORTEST_AT_REVIEW:
            del weights[NO_LONGER_AT_RISK]  # no review conference this soon after the start
        reason = rng.choices(list(weights), weights=list(weights.values()))[0]
        for plan in group.plans:
            plan.end_reason = reason
            plan.ends_at_review = reason == NO_LONGER_AT_RISK

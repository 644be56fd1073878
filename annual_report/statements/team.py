"""Sentences about the IRO team: caseloads against the Handbook's band, posts, experience
(report §5, §10)."""

from datetime import date

from django.conf import settings

from .. import formatting as fmt
from .words import counted, join


def band_comparison(data: dict, printed: dict) -> str:
    """Each IRO's caseload against the IRO Handbook's band, worded from the bands the
    caseloads table shows: above, within or below, never a word the figures contradict."""
    low, high = settings.IRO_CASELOAD_BAND
    band = f"the {low} to {high} children the IRO Handbook recommends"
    rows = [row for row in data["caseloads"] if row["iro_id"] is not None and row["children"]]
    if not rows:
        return (
            "At the year end no IRO had children on plans recorded against them, so caseloads "
            f"cannot be compared with {band}."
        )
    children = [row["children"] for row in rows]
    if len(rows) == 1:
        who, had = (
            "the one IRO with children on plans",
            f"had {counted(children[0], 'child', 'children')}",
        )
    else:
        who = f"the {fmt.count(len(rows))} IROs with children on plans"
        had = (
            f"each had {counted(children[0], 'child', 'children')}"
            if min(children) == max(children)
            else f"had from {fmt.count(min(children))} to {fmt.count(max(children))} children each"
        )
    counts = {b: sum(1 for row in rows if row["band"] == b) for b in ("above", "within", "below")}
    if max(counts.values()) == len(rows):
        where = next(b for b, n in counts.items() if n)
        every = "" if len(rows) == 1 else "all "
        return f"At the year end {who} {had}, {every}{where} {band}."
    (first, where), *rest = [(n, b) for b, n in counts.items() if n]
    split = [f"{fmt.count(first)} {'was' if first == 1 else 'were'} {where} it"]
    split += [f"{fmt.count(n)} {b} it" for n, b in rest]
    return f"At the year end {who} {had}, against {band}: {join(split)}."


def _team(data: dict) -> list[dict]:
    return (data.get("staffing") or {}).get("team", [])


def in_post(data: dict, printed: dict) -> str:
    staffing = data.get("staffing") or {}
    members, vacant = len(_team(data)), staffing.get("vacant_fte") or 0
    if not members:
        vacancy = (
            f"{printed['staffing.vacant_fte']} FTE was vacant" if vacant else "no post was vacant"
        )
        return (
            f"At {printed['period.end']} no member of the team was recorded in post, and {vacancy}."
        )
    vacancy = f"{printed['staffing.vacant_fte']} FTE vacant" if vacant else "no post vacant"
    fte = staffing.get("fte_in_post") or 0
    posts = f"{printed['staffing.fte_in_post']} full-time equivalent post{'' if fte == 1 else 's'}"
    return (
        f"At {printed['period.end']} the team had {counted(members, 'member')} in post, {posts}, "
        f"with {vacancy}."
    )


def experience(data: dict, printed: dict) -> str:
    members = _team(data)
    years = sorted(m["qualification_year"] for m in members if m["qualification_year"])
    if not years:
        return (
            "The records do not give the year any member of the team qualified as a social worker."
        )
    who = (
        "Members of the team"
        if len(years) == len(members)
        else f"The {counted(len(years), 'member')} of the team whose year of qualifying is recorded"
    )
    if len(years) == 1:
        who = "The one member of the team whose year of qualifying is recorded"
    when = f"in {years[0]}" if years[0] == years[-1] else f"between {years[0]} and {years[-1]}"
    end_year = date.fromisoformat(data["period"]["end"]).year
    since = end_year - years[-1]
    qualified = "qualified as a social worker" if len(years) == 1 else "qualified as social workers"
    sentence = f"{who} {qualified} {when}"
    if since >= 1 and len(years) > 1:
        sentence += f", so each had qualified at least {counted(since, 'year')} before the year end"
    return sentence + "."


def cover(data: dict, printed: dict) -> str:
    kinds = [
        ("agency IROs", "staffing.agency_fte"),
        ("temporary posts", "staffing.temporary_fte"),
        ("secondments", "staffing.secondment_fte"),
    ]
    held = [
        f"{words} ({printed[name]} FTE)"
        for words, name in kinds
        if printed.get(name, "0") not in ("0", fmt.NOT_AVAILABLE)
    ]
    if not held:
        return "No agency, temporary or seconded IRO was in the team at the year end."
    return f"At the year end the team included {join(held)}."


def signature(data: dict, printed: dict) -> str:
    name = printed.get("staffing.senior_iro", fmt.NOT_AVAILABLE)
    role = "Senior IRO (Safeguarding)"
    return role if name == fmt.NOT_AVAILABLE else f"{name}, {role}"

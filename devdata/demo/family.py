"""The demo's parents and carers, and each child's social worker and team manager: the people
invitations and report requests go to (households.py calls these).

Drawn from a generator seeded by the household's reference, not the demo's own, so that adding
them leaves every other invented record as it was."""

import random

from children.models import Child, FamilyMember, Household

from .base import Demo
from .names import BOYS, GIRLS, SURNAMES
from .organisation import EMAIL_DOMAIN

FATHER_OR_PARTNER = 0.6  # households with a second parent or carer recorded
HAS_EMAIL = 0.7  # parents and carers who gave an email address (the rest get letters)
SOCIAL_WORKERS_PER_DISTRICT = 6
PARENT_EMAIL_DOMAIN = "mail.example"  # invented: .example is reserved for examples


def _rng(household: Household) -> random.Random:
    return random.Random(f"family-{household.reference}")


def _person(rng: random.Random, names) -> tuple[str, str]:
    return rng.choice(names), rng.choice(SURNAMES)


def _email(first: str, last: str, domain: str) -> str:
    return f"{first}.{last}@{domain}".lower().replace(" ", "").replace("'", "")


def social_workers(district_name: str) -> list[dict]:
    """The district's social workers, each with their team manager (invented)."""
    rng = random.Random(f"social-workers-{district_name}")
    first, last = _person(rng, GIRLS + BOYS)
    manager = {
        "team_manager_name": f"{first} {last}",
        "team_manager_email": _email(first, last, EMAIL_DOMAIN),
    }
    workers = []
    for _ in range(SOCIAL_WORKERS_PER_DISTRICT):
        first, last = _person(rng, GIRLS + BOYS)
        workers.append(
            {
                "social_worker_name": f"{first} {last}",
                "social_worker_team": f"{district_name} social work team",
                "social_worker_email": _email(first, last, EMAIL_DOMAIN),
                **manager,
            }
        )
    return workers


def allocate_social_worker(child: Child, household: Household) -> None:
    """Siblings share a social worker, as they would."""
    worker = _rng(household).choice(social_workers(household.district.name))
    for name, value in worker.items():
        setattr(child, name, value)


def add_family(demo: Demo, household: Household, surname: str, *, by, when) -> None:
    rng = _rng(household)
    rng.random()  # the first draw chose the social worker
    members = [(rng.choice(GIRLS), surname, FamilyMember.Relationship.MOTHER)]
    if rng.random() < FATHER_OR_PARTNER:
        relationship = rng.choice(
            [FamilyMember.Relationship.FATHER, FamilyMember.Relationship.PARTNER]
        )
        last = surname if relationship == FamilyMember.Relationship.FATHER else rng.choice(SURNAMES)
        members.append((rng.choice(BOYS), last, relationship))
    for first, last, relationship in members:
        member = FamilyMember(
            household=household,
            name=f"{first} {last}",
            relationship=relationship,
            has_parental_responsibility=relationship != FamilyMember.Relationship.PARTNER,
            email=_email(first, last, PARENT_EMAIL_DOMAIN) if rng.random() < HAS_EMAIL else "",
        )
        demo.store.add(member, when=when, by=by, reason="Parent or carer added")

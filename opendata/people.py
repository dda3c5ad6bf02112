"""The people the public pages show, and which of their roles: the open data's rule.

A person is public when a published page names them: a role at a published
centre or a network role without a centre (national or axis coordination),
or the coordination, secretariat or a seat of a published RCP.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from centres.models import Person, Role
from rcp.models import Rcp, RcpMember


def public_roles() -> QuerySet:
    """Roles shown on the site: at a published centre, or without a centre."""
    return Role.objects.filter(Q(centre__isnull=True) | Q(centre__is_published=True))


def public_people() -> QuerySet:
    """People a published page names (see the module docstring)."""
    published_rcps = Rcp.objects.published()
    return Person.objects.filter(
        Exists(public_roles().filter(person=OuterRef("pk")))
        | Exists(published_rcps.filter(coordinator=OuterRef("pk")))
        | Exists(published_rcps.filter(secretary=OuterRef("pk")))
        | Exists(RcpMember.objects.filter(person=OuterRef("pk"), rcp__is_published=True))
    )

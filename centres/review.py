"""The centre side of the review desk and of the reminders: centres past their
update rhythm, people with no way to reach them, centres without usable
coordinates, and who the pilot staff are.

Each function takes ``centre_ids``: the centres whose rows to list (a centre
editor's), or None for the whole network (the pilot staff).
"""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from core.geo import france_area

from .admin_scoping import NETWORK_GROUP
from .freshness import overdue_condition
from .models import Centre, Person


def _in(queryset: QuerySet, lookup: str, centre_ids: Iterable[int] | None) -> QuerySet:
    return queryset if centre_ids is None else queryset.filter(**{f"{lookup}__in": centre_ids})


def overdue_centres(centre_ids=None, *, today: date | None = None) -> QuerySet:
    """Published centres whose last update and last check are older than their rhythm."""
    centres = Centre.objects.filter(is_published=True).filter(overdue_condition(today))
    return _in(centres, "pk", centre_ids).order_by("name")


def people_without_contact(centre_ids=None) -> QuerySet:
    """People with neither a phone nor an e-mail (with a role at these centres)."""
    people = Person.objects.filter(phone="", email="")
    if centre_ids is not None:
        people = people.filter(
            pk__in=Person.objects.filter(roles__centre__in=centre_ids).values("pk")
        )
    return people.order_by("last_name", "first_name")


def centres_without_coordinates(centre_ids=None) -> list[Centre]:
    """Centres whose map point is missing (0, 0) or lies outside France and its
    overseas departments: they are not on the map, or in the wrong place."""
    centres = _in(Centre.objects.all(), "pk", centre_ids).only(
        "pk", "name", "short_name", "latitude", "longitude"
    )
    return [
        centre
        for centre in centres.order_by("name")
        if centre.latitude is None
        or centre.longitude is None
        or (centre.latitude == 0 and centre.longitude == 0)
        or france_area(centre.latitude, centre.longitude) is None
    ]


def pilot_staff() -> QuerySet:
    """Active members of « Pilotage du réseau » with an e-mail address."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=NETWORK_GROUP)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def centre_editors(centre: Centre) -> QuerySet:
    """The centre's active editors with an e-mail address."""
    return centre.editors.filter(is_active=True).exclude(email="").order_by("pk")

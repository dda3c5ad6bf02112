"""Two centres, A and B, each with its editor, and the pilot centre's staff: the
world in which the admin's rights are checked (tests/admin)."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group

from centres.admin_scoping import CENTRE_GROUP, NETWORK_GROUP
from centres.models import Centre, CentreAxis, Person, Role
from rcp.models import Rcp, RcpActivity, RcpException
from tests.factories import make_centre, make_person, make_role
from tests.rcp.factories import make_activity, make_exception, make_rcp
from tests.trials.factories import make_site, make_trial
from trials.models import Trial, TrialSite

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 11, 24, 10, 15, tzinfo=PARIS)


@dataclass
class Side:
    """One centre and what belongs to it."""

    centre: Centre
    editor: object
    person: Person
    role: Role
    centre_axis: CentreAxis
    rcp: Rcp
    exception: RcpException
    activity: RcpActivity
    trial: Trial  # a draft with a site at this centre only
    site: TrialSite


@dataclass
class World:
    a: Side
    b: Side
    pilot: object
    published_trial: Trial  # published, with no site at A or B


def make_staff(django_user_model, username, group=None, centres=()):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", None)
    user.is_staff = True
    user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    for centre in centres:
        centre.editors.add(user)
    return user


def _side(django_user_model, letter, axis, **centre_fields) -> Side:
    centre = make_centre(
        name=f"Centre {letter}", slug=f"centre-{letter}", axes=[axis], **centre_fields
    )
    editor = make_staff(django_user_model, f"editeur-{letter}", CENTRE_GROUP, [centre])
    person = make_person(first_name="Claude", last_name=f"Soignant{letter.upper()}")
    role = make_role(person, centre=centre, kind=Role.Kind.SECRETARY)
    rcp = make_rcp(name=f"RCP {letter}", slug=f"rcp-{letter}", organiser=centre, is_published=False)
    trial = make_trial(
        plain_title=f"Essai brouillon {letter}",
        is_published=False,
        review_note=f"Note interne {letter}",
    )
    return Side(
        centre=centre,
        editor=editor,
        person=person,
        role=role,
        centre_axis=centre.axis_links.get(),
        rcp=rcp,
        exception=make_exception(rcp, datetime.date(2026, 12, 1)),
        activity=make_activity(rcp, datetime.date(2026, 11, 17)),
        trial=trial,
        site=make_site(trial, centre),
    )


def build_world(django_user_model, axes) -> World:
    """Centres A and B with everything that hangs on them, their editors, the pilot."""
    return World(
        a=_side(django_user_model, "a", axes["pancreas"]),
        b=_side(
            django_user_model,
            "b",
            axes["foie-voies-biliaires"],
            city="Paris",
            postcode="75013",
            department_code="75",
            latitude=48.84,
            longitude=2.36,
        ),
        pilot=make_staff(django_user_model, "pilote", NETWORK_GROUP),
        published_trial=make_trial(plain_title="Essai publié ailleurs", is_published=True),
    )


@pytest.fixture
def world(django_user_model, axes) -> World:
    return build_world(django_user_model, axes)


@pytest.fixture
def as_a(client, world):
    """A client logged in as centre A's editor."""
    client.force_login(world.a.editor)
    return client


@pytest.fixture
def as_pilot(client, world):
    client.force_login(world.pilot)
    return client

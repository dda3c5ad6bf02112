"""Saving an admin page without changing it changes nothing in the database.

For a centre's coordinator and for a network manager, every change page they
can open is loaded, its form read from the HTML as a browser would
(tests/html_forms.py: what the page shows, not what Django holds) and posted
back with « Enregistrer ». Every row of the apps, their many-to-many and
historical tables and the admin's log is the same afterwards.

The pages come from the admin's registry: a model registered tomorrow fails
here until it has an object to open for each group, or a stated reason why
that group opens none (checked: its list is refused).
"""

from datetime import date, time

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from centres.admin_scoping import CENTRE_GROUP, NETWORK_GROUP
from centres.models import Centre, CentreAxis, Department, Region, Role
from content.models import Document, NewsItem, Page
from demo.rcps import demo_case_form_pdf
from rcp.models import AxisCaseGuide, QuorumRule, RcpException, RcpMember
from search.models import MissedSearch
from tests import factories
from tests.db_snapshot import differences, snapshot
from tests.html_forms import as_post_data, submit_buttons, submitted_entries
from tests.rcp.factories import make_activity, make_exception, make_rcp
from tests.trials.factories import load_fixture, make_site, make_trial
from trials.models import FacilityAlias, GlossaryTerm, Trial, UnmatchedSite
from trials.services import ImportReport, import_document

MARKDOWN = "Premier paragraphe.\n\nUne liste :\n- consultation le mardi ;\n- avis sous huit jours."

# The objects each user opens (names of the `world` fixture), by model.
PAGES = {
    "coordinator": {
        "centres.Centre": ["own"],
        "centres.CentreAxis": ["own_axis"],
        "centres.Person": ["person_own"],
        "centres.Role": ["role_own"],
        "centres.Axis": ["pancreas"],
        "centres.Service": ["service"],
        "centres.Region": ["region"],
        "centres.Department": ["department"],
        "rcp.Rcp": ["own_rcp", "weekly_rcp"],
        "rcp.RcpActivity": ["activity"],
        "rcp.QuorumRule": ["quorum"],
        "rcp.AxisCaseGuide": ["pancreas_guide"],
        "trials.Trial": ["imported"],
        "trials.TrialSite": ["registry_site", "manual_site"],
        "content.NewsItem": ["news"],
        "content.Document": ["document"],
        "content.Page": ["about_page"],
    },
    "manager": {
        "centres.Centre": ["own", "pitie"],
        "centres.CentreAxis": ["own_axis"],
        "centres.Person": ["person_own", "person_shared"],
        "centres.Role": ["role_own", "national"],
        "centres.Axis": ["pancreas"],
        "centres.Service": ["service"],
        "centres.Region": ["region"],
        "centres.Department": ["department"],
        "rcp.Rcp": ["own_rcp", "weekly_rcp"],
        "rcp.RcpActivity": ["activity"],
        "rcp.QuorumRule": ["quorum"],
        "rcp.AxisCaseGuide": ["pancreas_guide"],
        "trials.Trial": ["imported", "manual"],
        "trials.TrialSite": ["registry_site", "manual_site", "pitie_site"],
        "trials.UnmatchedSite": ["unmatched"],
        "trials.FacilityAlias": ["alias"],
        "content.NewsItem": ["news"],
        "content.Document": ["document"],
        "content.Page": ["about_page"],
        "search.MissedSearch": ["missed_search"],
        "trials.GlossaryTerm": ["glossary_term"],
        "axes.AccessAttempt": ["login_attempt"],
        "axes.AccessLog": ["login_log"],
        "axes.AccessFailureLog": ["login_failure"],
        "auth.User": ["coordinator"],
        "otp_totp.TOTPDevice": ["totp_device"],
        "otp_static.StaticDevice": ["backup_codes"],
    },
}

# The pages among them that the user may only view (no « Enregistrer » button).
VIEW_ONLY = {
    "coordinator": {
        "pancreas",
        "service",
        "region",
        "department",
        "imported",
        "quorum",
        "pancreas_guide",
        "news",
        "document",
        "about_page",
    },
    # Searches that found nothing are a record, read and cleared, never edited.
    # Login records: read, and a lockout lifted (deleted), by the pilot centre.
    # Accounts and second-factor devices: listed, and a device removed (accounts/admin.py).
    "manager": {
        "missed_search",
        "login_attempt",
        "login_log",
        "login_failure",
        "coordinator",
        "totp_device",
        "backup_codes",
    },
}

LOGIN = {"user_agent": "Firefox", "http_accept": "text/html", "path_info": "/admin/login/"}
NO_PERMISSION = "no permission on this model: its list is refused"
ACCOUNTS = "user accounts and login records are the superusers' (no group is given them)"

# Models a user opens no object of, and why.
SKIPPED = {
    "coordinator": {
        "auth.User": ACCOUNTS,
        "auth.Group": ACCOUNTS,
        "axes.AccessAttempt": ACCOUNTS,
        "axes.AccessLog": ACCOUNTS,
        "axes.AccessFailureLog": ACCOUNTS,
        "otp_totp.TOTPDevice": ACCOUNTS,
        "otp_static.StaticDevice": ACCOUNTS,
        "trials.UnmatchedSite": NO_PERMISSION + " (matching sites is the network's)",
        "trials.FacilityAlias": NO_PERMISSION + " (aliases are the network's)",
        "search.MissedSearch": NO_PERMISSION + " (what the whole site's visitors searched)",
        "trials.GlossaryTerm": NO_PERMISSION + " (the glossary is the network's)",
    },
    "manager": {
        "auth.Group": ACCOUNTS,
    },
}


def _cases():
    for who in PAGES:
        for model in admin.site._registry:
            label = model._meta.label
            names = PAGES[who].get(label)
            if names is None:
                yield pytest.param(who, label, None, id=f"{who}-{label}-skipped")
            for name in names or ():
                yield pytest.param(who, label, name, id=f"{who}-{label}-{name}")


def _staff(django_user_model, username, group=None, centres=(), **fields):
    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", None, is_staff=True, **fields
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    for centre in centres:
        centre.editors.add(user)
    return user


@pytest.fixture
def world(axes, django_user_model, settings, tmp_path):
    """A coordinator's centre with everything that hangs on it, shared with six
    other centres: what a real centre's pages hold, multi-line text included
    (stored with LF newlines, as imports and the demo data write it)."""
    settings.MEDIA_ROOT = tmp_path
    service = factories.make_service(description=MARKDOWN)
    own = factories.make_centre(
        name="CHU de Brest — Hôpital Morvan",
        short_name="CHU de Brest",
        slug="chu-brest",
        kind=Centre.Kind.PILOT,
        description=MARKDOWN,
        referral="Écrire au secrétariat :\nsecretariat@chu-brest.example.org",
        email="contact@chu-brest.example.org",
        website="https://chu-brest.example.org/",
        services=[service, factories.make_service()],
        last_reviewed=date(2026, 3, 2),
    )
    link = CentreAxis.objects.create(
        centre=own, axis=axes["oesophage"], details="Le mardi.\nAppeler avant.", phone="0298000001"
    )
    CentreAxis.objects.create(centre=own, axis=axes["pancreas"])
    pitie = factories.make_centre(
        name="CHU Pitié-Salpêtrière, AP-HP",
        short_name="Pitié-Salpêtrière",
        slug="chu-pitie-salpetriere",
        postcode="75013",
        city="Paris",
        department_code="75",
        latitude=48.8381,
        longitude=2.3635,
    )
    others = [pitie] + [factories.make_centre(name=f"Centre partenaire {n}") for n in range(5)]
    axes["pancreas"].referent_centre = pitie
    axes["pancreas"].save()

    coordinator = _staff(django_user_model, "coordination", CENTRE_GROUP, [own])
    manager = _staff(django_user_model, "pilotage", NETWORK_GROUP)
    former = _staff(django_user_model, "ancien-editeur", centres=[own], is_active=False)

    person_own = factories.make_person(first_name="Anne", last_name="Lebreton", phone="0298000002")
    person_elsewhere = factories.make_person(first_name="Paul", last_name="Parisien")
    person_shared = factories.make_person(first_name="Inès", last_name="Partout")
    role_own = factories.make_role(person_own, centre=own, kind=Role.Kind.CENTRE_REFERENT)
    # Network roles at the centre, which its coordinators neither see nor change.
    national = factories.make_role(person_own, centre=own, kind=Role.Kind.NATIONAL_COORDINATOR)
    factories.make_role(
        person_own, centre=own, kind=Role.Kind.AXIS_COORDINATOR, axis=axes["pancreas"]
    )
    factories.make_role(person_elsewhere, centre=pitie, kind=Role.Kind.CENTRE_REFERENT)
    factories.make_role(person_shared, centre=own, kind=Role.Kind.RESEARCH_CONTACT, label="HPB")
    factories.make_role(person_shared, centre=pitie, kind=Role.Kind.RESEARCH_CONTACT)

    own_rcp = make_rcp(
        name="RCP digestive Bretagne occidentale",
        organiser=own,
        participants=[own, *others],
        axes=[axes["pancreas"], axes["oesophage"]],
        rrule="FREQ=MONTHLY;BYDAY=1TU,3TU",
        description=MARKDOWN,
        submission="Fiche à envoyer la veille.\nJoindre l’imagerie.",
        mode="hybrid",
        place="Salle de staff, 3e étage",
        video_url="https://visio.example.org/rcp",
        coordinator=person_own,
        secretary=person_elsewhere,
        secretariat_phone="0298000003",
        secretariat_email="rcp@chu-brest.example.org",
    )
    own_rcp.case_form.save("fiche.pdf", ContentFile(demo_case_form_pdf("Fiche RCP")))
    make_exception(own_rcp, date(2026, 12, 1), note="Congrès")
    make_exception(
        own_rcp,
        date(2026, 12, 15),
        kind=RcpException.Kind.MOVED,
        new_date=date(2026, 12, 16),
        new_start_time=time(15, 0),
    )
    # A rule written outside the admin, whose days the admin would list in another order.
    weekly_rcp = make_rcp(organiser=own, rrule="FREQ=WEEKLY;BYDAY=TH,TU", axes=[axes["pancreas"]])
    make_rcp(name="RCP de Paris", organiser=pitie, participants=[pitie, own])
    activity = make_activity(own_rcp, date(2025, 11, 4), specialties="surgery,oncology,radiology")
    # Members from the centre and from elsewhere; the guide keeps a default form.
    RcpMember.objects.create(rcp=own_rcp, person=person_own, specialty="surgery")
    RcpMember.objects.create(
        rcp=own_rcp, person=person_elsewhere, specialty="radiotherapy", order=2
    )
    pancreas_guide = AxisCaseGuide.objects.get(axis=axes["pancreas"])
    pancreas_guide.case_form.save("fiche-pancreas.pdf", ContentFile(demo_case_form_pdf("Fiche")))

    import_document(load_fixture("pancreas_study.json"), source="t", report=ImportReport())
    imported = Trial.objects.get(nct_number="NCT09900101")
    registry_site = imported.sites.get(centre=own)
    pitie_site = make_site(imported, pitie, status="RECRUITING", investigator="Dr Paul Parisien")
    manual = make_trial(
        plain_title="Essai saisi à la main",
        plain_summary=MARKDOWN,
        key_eligibility="- adulte ;\n- tumeur résécable.",
        axes=[axes["oesophage"]],
    )
    manual_site = make_site(
        manual, own, status="RECRUITING", contact_name="ARC", contact_email="arc@example.org"
    )
    make_site(manual, others[1])
    unmatched = UnmatchedSite.objects.filter(trial=imported, centre__isnull=True).first()
    alias = FacilityAlias.objects.create(
        facility_name="Hôpital Pitié", facility_city="Paris", centre=pitie
    )

    news = NewsItem.objects.create(
        title="Nouvelle RCP",
        slug="nouvelle-rcp",
        summary="Une RCP ouvre.",
        body=MARKDOWN,
        published_on=date(2026, 11, 20),
        is_published=True,
    )
    news.axes.set([axes["pancreas"]])
    document = Document(
        title="Fiche d’adressage",
        slug="fiche-adressage",
        category=Document.Category.REFERRAL,
        axis=axes["pancreas"],
        description=MARKDOWN,
        is_published=True,
    )
    document.file.save("fiche.pdf", ContentFile(demo_case_form_pdf("Fiche")), save=False)
    document.save()

    return {
        "news": news,
        "document": document,
        "about_page": Page.objects.get(slug="a-propos"),
        "missed_search": MissedSearch.objects.create(words="zebulon", count=3),
        "login_attempt": AccessAttempt.objects.create(
            username="inconnu", ip_address="192.0.2.10", failures_since_start=5, **LOGIN
        ),
        "login_log": AccessLog.objects.create(username="coord", ip_address="192.0.2.11", **LOGIN),
        "login_failure": AccessFailureLog.objects.create(
            username="inconnu", ip_address="192.0.2.10", locked_out=True, **LOGIN
        ),
        "glossary_term": GlossaryTerm.objects.get(key="pancreatic cancer"),
        # Devices of a user who does not log in here (a device is then asked).
        "totp_device": TOTPDevice.objects.create(user=former, name="Application"),
        "backup_codes": StaticDevice.objects.create(user=former, name="Codes de secours"),
        "coordinator": coordinator,
        "manager": manager,
        "own": own,
        "pitie": pitie,
        "own_axis": link,
        "person_own": person_own,
        "person_elsewhere": person_elsewhere,
        "person_shared": person_shared,
        "role_own": role_own,
        "national": national,
        "pancreas": axes["pancreas"],
        "service": service,
        "region": Region.objects.get(code="53"),
        "department": Department.objects.get(code="29"),
        "own_rcp": own_rcp,
        "weekly_rcp": weekly_rcp,
        "activity": activity,
        "quorum": QuorumRule.objects.get(pk=1),
        "pancreas_guide": pancreas_guide,
        "imported": imported,
        "manual": manual,
        "registry_site": registry_site,
        "manual_site": manual_site,
        "pitie_site": pitie_site,
        "unmatched": unmatched,
        "alias": alias,
    }


def _errors(response) -> str:
    if response.context is None or "errors" not in response.context:
        return response.content.decode()[:2000]
    return str(response.context["errors"])


@pytest.mark.parametrize(("who", "label", "name"), list(_cases()))
def test_an_unchanged_save_changes_nothing(client, world, who, label, name):
    client.force_login(world[who])
    model = next(m for m in admin.site._registry if m._meta.label == label)
    if name is None:
        reason = SKIPPED[who].get(label)
        assert reason, f"{label}: name an object {who} opens in PAGES, or a reason in SKIPPED"
        changelist = reverse(admin_urlname(model._meta, "changelist"))
        # Nothing this user may save there: the list itself is refused.
        assert client.get(changelist).status_code == 403, reason
        return

    obj = world[name]
    assert type(obj) is model
    url = reverse(admin_urlname(model._meta, "change"), args=[obj.pk])
    form_id = f"{model._meta.model_name}_form"
    before = snapshot()
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    view_only = name in VIEW_ONLY[who]
    assert ("_save" not in submit_buttons(html, form_id)) == view_only
    if not view_only:
        response = client.post(url, as_post_data(submitted_entries(html, form_id, "_save")))
        assert response.status_code == 302, _errors(response)
    else:  # a forged save is refused
        response = client.post(
            url, {**as_post_data(submitted_entries(html, form_id)), "_save": "1"}
        )
        assert response.status_code == 403
    changes = differences(before, snapshot())
    assert not changes, "\n".join(changes)


def test_the_lists_of_pages_name_registered_models_only():
    registered = {model._meta.label for model in admin.site._registry}
    for who in PAGES:
        assert set(PAGES[who]) <= registered
        assert set(SKIPPED[who]) <= registered
        assert not set(PAGES[who]) & set(SKIPPED[who])

"""The trials back-office: pages render, filters and search, read-only registry
fields, review actions, the unmatched-site review with its one-click alias,
and least privilege for a centre's coordinators."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from centres.admin_scoping import CENTRE_GROUP, NETWORK_GROUP
from tests.centres.test_admin import change_form_data
from tests.factories import make_centre
from trials.models import FacilityAlias, Trial, TrialSite
from trials.services import ImportReport, import_document

from .factories import load_fixture, make_site, make_trial


def staff(django_user_model, username, group, centres=()):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", None)
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=group))
    for centre in centres:
        centre.editors.add(user)
    return user


@pytest.fixture
def network(axes):
    brest = make_centre(
        name="CHU de Brest — Hôpital Morvan", short_name="CHU de Brest", slug="chu-brest"
    )
    pitie = make_centre(
        name="CHU Pitié-Salpêtrière, AP-HP",
        short_name="Pitié-Salpêtrière",
        slug="chu-pitie-salpetriere",
        address="47-83 boulevard de l’Hôpital",
        postcode="75013",
        city="Paris",
        department_code="75",
        latitude=48.8381,
        longitude=2.3635,
    )
    # A partner centre the registry names after its clinic (never matched by name:
    # a private clinic is never taken for a public centre, staff decide).
    cedres = make_centre(
        name="Pôle de santé de Cornebarrieu",
        slug="pole-sante-cornebarrieu",
        kind="partner",
        address="1 avenue Jean-Dieudonné",
        postcode="31700",
        city="Cornebarrieu",
        department_code="31",
        latitude=43.6495,
        longitude=1.3241,
    )
    import_document(load_fixture("pancreas_study.json"), source="t", report=ImportReport())
    imported = Trial.objects.get(nct_number="NCT09900101")
    manual = make_trial(
        plain_title="Essai saisi à la main", axes=[axes["oesophage"]], sites=[pitie]
    )
    return {
        "brest": brest,
        "pitie": pitie,
        "cedres": cedres,
        "imported": imported,
        "manual": manual,
    }


@pytest.mark.parametrize(
    "name",
    ["trial", "trialsite", "unmatchedsite", "facilityalias", "glossaryterm"],
)
def test_changelists_and_add_pages_render(admin_client, network, name):
    assert admin_client.get(reverse(f"admin:trials_{name}_changelist")).status_code == 200
    add = admin_client.get(reverse(f"admin:trials_{name}_add"))
    assert add.status_code == (403 if name == "unmatchedsite" else 200)


def test_change_pages_and_history_render(admin_client, network):
    trial = network["imported"]
    for url in (
        reverse("admin:trials_trial_change", args=[trial.pk]),
        reverse("admin:trials_trial_history", args=[trial.pk]),
        reverse("admin:trials_trialsite_change", args=[trial.sites.first().pk]),
    ):
        assert admin_client.get(url).status_code == 200


def listed_nct_numbers(response) -> set[str]:
    """The NCT numbers in the changelist's result table, as staff see them."""
    html = response.content.decode()
    start = html.index('<table id="result_list">')
    return set(re.findall(r"NCT\d{8}", html[start : html.index("</table>", start)]))


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"status__exact": "RECRUITING"}, {"imported", "manual"}),
        ({"status__exact": "NOT_YET_RECRUITING"}, {"second_line"}),
        ({"phase__exact": "PHASE3"}, {"imported", "manual"}),
        ({"phase__exact": "PHASE2"}, {"second_line"}),
        ({"setting__exact": "neoadjuvant"}, {"imported"}),
        ({"needs_review__exact": "1"}, {"second_line"}),
        ({"needs_review__exact": "0"}, {"imported", "manual"}),
        ({"q": "paneo"}, {"imported"}),  # acronym, any case
        ({"q": "pancreatic adenocarcinoma"}, {"imported"}),  # registry title
        ({"q": "NCT09900101"}, {"imported"}),
        ({"q": "2099-503311-27-00"}, {"imported"}),  # EU CT number
        ({"q": "deuxieme ligne"}, {"second_line"}),  # French title, without accents
    ],
)
def test_trial_filters_and_search(admin_client, network, params, expected):
    Trial.objects.filter(pk=network["imported"].pk).update(setting="neoadjuvant")
    trials = {
        **network,
        "second_line": make_trial(
            plain_title="Essai de deuxième ligne",
            brief_title="Second-Line Gastric Cancer Study",
            nct_number="NCT09870001",
            status="NOT_YET_RECRUITING",
            phase="PHASE2",
            setting="metastatic_2l",
            needs_review=True,
            review_note="Statut changé dans le registre",
        ),
    }

    response = admin_client.get(reverse("admin:trials_trial_changelist"), params)

    assert response.status_code == 200
    assert listed_nct_numbers(response) == {trials[name].nct_number for name in expected}


def test_search_finds_by_identifier_and_without_accents(admin_client, network):
    url = reverse("admin:trials_trial_changelist")
    found = admin_client.get(url, {"q": "NCT09900101"}).context["cl"].result_list
    assert list(found) == [network["imported"]]
    found = admin_client.get(url, {"q": "saisi a la main"}).context["cl"].result_list
    assert list(found) == [network["manual"]]


def test_filters_by_axis_and_centre(admin_client, network, axes):
    url = reverse("admin:trials_trial_changelist")
    by_axis = admin_client.get(url, {"axes__id__exact": axes["oesophage"].pk})
    assert list(by_axis.context["cl"].result_list) == [network["manual"]]
    by_centre = admin_client.get(url, {"sites__centre__id__exact": network["brest"].pk})
    assert list(by_centre.context["cl"].result_list) == [network["imported"]]


def test_registry_fields_are_read_only_on_an_imported_trial(admin_client, network):
    imported = admin_client.get(reverse("admin:trials_trial_change", args=[network["imported"].pk]))
    form = imported.context["adminform"].form
    assert "status" not in form.fields and "nct_number" not in form.fields
    assert "plain_title" in form.fields and "axes" in form.fields
    manual = admin_client.get(reverse("admin:trials_trial_change", args=[network["manual"].pk]))
    assert "status" in manual.context["adminform"].form.fields


def test_mark_reviewed_clears_the_flag(admin_client, network):
    Trial.objects.filter(pk=network["imported"].pk).update(
        needs_review=True, review_note="statut changé"
    )
    admin_client.post(
        reverse("admin:trials_trial_changelist"),
        {"action": "mark_reviewed", "_selected_action": [network["imported"].pk]},
    )
    trial = Trial.objects.get(pk=network["imported"].pk)
    assert (trial.needs_review, trial.review_note) == (False, "")
    assert trial.last_reviewed is not None


def test_publish_action(admin_client, network):
    admin_client.post(
        reverse("admin:trials_trial_changelist"),
        {"action": "publish", "_selected_action": [network["imported"].pk]},
    )
    assert Trial.objects.get(pk=network["imported"].pk).is_published


def test_unmatched_list_shows_only_sites_without_centre(admin_client, network):
    response = admin_client.get(reverse("admin:trials_unmatchedsite_changelist"))
    listed = {site.facility_city for site in response.context["cl"].result_list}
    assert listed == {"Lyon Cedex 03", "Cornebarrieu", "Saint-Denis"}  # Paris: Pitié
    assert "Choisir le centre" in response.content.decode()


def test_one_click_links_the_site_and_remembers_an_alias(admin_client, network):
    clinic = TrialSite.objects.get(facility_city="Cornebarrieu")
    url = reverse("admin:trials_unmatchedsite_match", args=[clinic.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    candidates = [centre for centre, _km, _score in page.context["candidates"]]
    assert candidates[0] == network["cedres"]  # same city first
    assert "C’est ce centre" in page.content.decode()

    response = admin_client.post(url, {"centre": network["cedres"].pk})
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert (clinic.centre, clinic.centre_confirmed) == (network["cedres"], True)
    assert FacilityAlias.objects.get().centre == network["cedres"]
    # The next import of another study naming the facility matches it at once.
    other = load_fixture("pancreas_study.json")
    other["protocolSection"]["identificationModule"]["nctId"] = "NCT09900188"
    other["protocolSection"]["identificationModule"]["secondaryIdInfos"] = []
    import_document(other, source="t", report=ImportReport())
    assert (
        TrialSite.objects.get(trial__nct_number="NCT09900188", facility_city="Cornebarrieu").centre
        == network["cedres"]
    )


@pytest.mark.parametrize("value", ["", "abc", "999999", "\x00"])
def test_match_with_a_bad_centre_is_refused_politely(admin_client, network, value):
    clinic = TrialSite.objects.get(facility_city="Cornebarrieu")
    url = reverse("admin:trials_unmatchedsite_match", args=[clinic.pk])
    response = admin_client.post(url, {"centre": value})
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.centre is None


def test_match_of_an_already_matched_site_is_404(admin_client, network):
    brest_site = TrialSite.objects.get(facility_city="Brest")
    url = reverse("admin:trials_unmatchedsite_match", args=[brest_site.pk])
    assert admin_client.get(url).status_code == 404


def test_network_staff_can_review_unmatched_sites(client, django_user_model, network):
    client.force_login(staff(django_user_model, "pilotage", NETWORK_GROUP))
    clinic = TrialSite.objects.get(facility_city="Cornebarrieu")
    url = reverse("admin:trials_unmatchedsite_match", args=[clinic.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"centre": network["cedres"].pk})
    clinic.refresh_from_db()
    assert clinic.centre == network["cedres"]


def test_coordinators_see_their_centres_trials_and_change_none(client, django_user_model, network):
    user = staff(django_user_model, "coord-brest", CENTRE_GROUP, [network["brest"]])
    client.force_login(user)
    listing = client.get(reverse("admin:trials_trial_changelist"))
    assert list(listing.context["cl"].result_list) == [network["imported"]]
    change = client.get(reverse("admin:trials_trial_change", args=[network["imported"].pk]))
    assert change.status_code == 200
    assert "plain_title" not in change.context["adminform"].form.fields  # view only
    other = client.get(reverse("admin:trials_trial_change", args=[network["manual"].pk]))
    assert other.status_code in (302, 404)  # not theirs
    assert client.get(reverse("admin:trials_trial_add")).status_code == 403


def test_coordinators_keep_their_own_sites_only(client, django_user_model, network):
    user = staff(django_user_model, "coord-brest", CENTRE_GROUP, [network["brest"]])
    client.force_login(user)
    sites = client.get(reverse("admin:trials_trialsite_changelist")).context["cl"].result_list
    assert {s.centre for s in sites} == {network["brest"]}
    pitie_site = TrialSite.objects.get(trial=network["manual"])
    url = reverse("admin:trials_trialsite_change", args=[pitie_site.pk])
    assert client.get(url).status_code in (302, 404)
    # Adding a site offers their own centres only.
    add = client.get(reverse("admin:trials_trialsite_add"))
    centre_field = add.context["adminform"].form.fields["centre"]
    assert list(centre_field.queryset) == [network["brest"]]


def test_coordinators_cannot_review_unmatched_sites_or_aliases(client, django_user_model, network):
    user = staff(django_user_model, "coord-brest", CENTRE_GROUP, [network["brest"]])
    client.force_login(user)
    assert client.get(reverse("admin:trials_unmatchedsite_changelist")).status_code == 403
    clinic = TrialSite.objects.get(facility_city="Cornebarrieu")
    url = reverse("admin:trials_unmatchedsite_match", args=[clinic.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"centre": network["brest"].pk}).status_code == 403
    assert client.get(reverse("admin:trials_facilityalias_changelist")).status_code == 403


def test_admin_search_refuses_nul_bytes(admin_client, network):
    response = admin_client.get(reverse("admin:trials_trial_changelist"), {"q": "\x00"})
    assert response.status_code == 400


def test_trial_changelist_queries_do_not_grow(admin_client, network, django_assert_max_num_queries):
    url = reverse("admin:trials_trial_changelist")
    with django_assert_max_num_queries(20) as few:
        admin_client.get(url)
    for _ in range(15):
        make_trial(sites=[network["brest"]])
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(url)


def test_registry_rows_of_the_sites_inline_are_read_only(admin_client, network):
    """Only the centre of a registry row can change in the trial's form, as in
    the site's own admin page; a manual row stays editable."""
    trial = network["imported"]
    manual = make_site(trial, network["pitie"], status="RECRUITING")
    url = reverse("admin:trials_trial_change", args=[trial.pk])
    page = admin_client.get(url)
    inline = page.context["inline_admin_formsets"][0].formset
    forms = {form.instance.pk: form for form in inline.forms}
    brest = trial.sites.get(facility_city="Brest")
    paris = trial.sites.get(facility_city="Paris")
    assert forms[brest.pk].fields["status"].disabled
    assert not forms[brest.pk].fields["centre"].disabled
    assert not forms[manual.pk].fields["status"].disabled

    data = change_form_data(page)
    prefix = {form.instance.pk: form.prefix for form in inline.forms}
    data[f"{prefix[brest.pk]}-status"] = "RECRUITING" if brest.status != "RECRUITING" else ""
    data[f"{prefix[brest.pk]}-contact_name"] = "Nom changé à la main"
    data[f"{prefix[paris.pk]}-centre"] = str(network["pitie"].pk)
    data[f"{prefix[manual.pk]}-status"] = "SUSPENDED"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]

    before = brest.status, brest.contact_name
    brest.refresh_from_db()
    assert (brest.status, brest.contact_name) == before
    paris.refresh_from_db()
    assert paris.centre == network["pitie"]
    manual.refresh_from_db()
    assert manual.status == "SUSPENDED"


def test_the_match_page_puts_the_best_scored_centre_first(admin_client, network):
    lyon = TrialSite.objects.get(facility_city="Lyon Cedex 03")  # no Lyon centre here
    # As if the registry had named a spelling an import missed.
    lyon.facility_name, lyon.facility_city, lyon.facility_postcode = "CHRU Brest", "Brest", ""
    lyon.save()
    page = admin_client.get(reverse("admin:trials_unmatchedsite_match", args=[lyon.pk]))
    centre, _km, score = page.context["candidates"][0]
    assert centre == network["brest"] and score == 100
    assert "100 / 100" in page.content.decode()


def test_staff_can_say_a_facility_is_outside_the_network(admin_client, network):
    clinic = TrialSite.objects.get(facility_city="Cornebarrieu")
    url = reverse("admin:trials_unmatchedsite_match", args=[clinic.pk])
    response = admin_client.post(url, {"hors_reseau": "1"}, follow=True)
    assert "est noté hors du réseau : 1 lieu" in response.content.decode()
    clinic.refresh_from_db()
    assert (clinic.centre, clinic.centre_confirmed) == (None, True)
    alias = FacilityAlias.objects.get()
    assert alias.centre is None and str(alias).endswith("→ hors réseau")
    listing = admin_client.get(reverse("admin:trials_unmatchedsite_changelist"))
    assert clinic not in listing.context["cl"].result_list
    # The next import of another study naming the clinic follows the decision.
    other = load_fixture("pancreas_study.json")
    other["protocolSection"]["identificationModule"]["nctId"] = "NCT09900177"
    other["protocolSection"]["identificationModule"]["secondaryIdInfos"] = []
    report = ImportReport()
    import_document(other, source="t", report=report)
    assert not any("Cèdres" in place for place in report.unmatched)


def _site_form(site, **changes):
    data = {
        "trial": site.trial_id,
        "centre": site.centre_id or "",
        "facility_name": site.facility_name,
        "facility_city": site.facility_city,
        "facility_postcode": site.facility_postcode,
        "facility_country": site.facility_country,
        "status": site.status,
        "investigator": site.investigator,
        "contact_name": site.contact_name,
        "contact_phone": site.contact_phone,
        "contact_email": site.contact_email,
        "source": site.source,
    }
    data.update(changes)
    return data


def test_a_centre_set_on_a_registry_site_is_remembered_for_the_next_imports(admin_client, network):
    clinic = TrialSite.objects.get(facility_city="Cornebarrieu")
    url = reverse("admin:trials_trialsite_change", args=[clinic.pk])
    response = admin_client.post(url, _site_form(clinic, centre=network["cedres"].pk))
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert (clinic.centre, clinic.centre_confirmed) == (network["cedres"], True)
    assert FacilityAlias.objects.get().centre == network["cedres"]
    import_document(load_fixture("pancreas_study.json"), source="t", report=ImportReport())
    clinic.refresh_from_db()
    assert clinic.centre == network["cedres"]


def test_a_coordinators_centre_choice_holds_for_their_site_only(client, django_user_model, network):
    user = staff(django_user_model, "coord", CENTRE_GROUP, [network["brest"], network["cedres"]])
    client.force_login(user)
    brest = TrialSite.objects.get(facility_city="Brest")
    url = reverse("admin:trials_trialsite_change", args=[brest.pk])
    response = client.post(url, _site_form(brest, centre=network["cedres"].pk))
    assert response.status_code == 302
    brest.refresh_from_db()
    assert (brest.centre, brest.centre_confirmed) == (network["cedres"], True)
    assert not FacilityAlias.objects.exists()  # other trials are not theirs to decide
    import_document(load_fixture("pancreas_study.json"), source="t", report=ImportReport())
    brest.refresh_from_db()
    assert brest.centre == network["cedres"]  # confirmed: the import keeps it

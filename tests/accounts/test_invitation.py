"""Pilot staff invite a centre's editor: account without password, French e-mail,
a one-time link to choose the password, then the centre's pages and only them."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from centres.admin_scoping import CENTRE_GROUP
from centres.models import Centre
from tests.centres.test_admin import change_form_data

from .conftest import PASSWORD, log_in

INVITE = "/admin/auth/user/inviter/"
EMAIL = "marie.dupont@chu-test.fr"
NOW = datetime.datetime(2027, 3, 9, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def pilot(client, pilot_user):
    client.force_login(pilot_user)
    return client


def invite(client, centre, email=EMAIL):
    return client.post(
        INVITE, {"email": email, "first_name": "Marie", "last_name": "Dupont", "centre": centre.pk}
    )


def link_in(message) -> str:
    match = re.search(r"http://testserver(/admin/mot-de-passe/[\w-]+/[\w-]+/)", message.body)
    assert match, message.body
    return match.group(1)


def choose_password(client, link, password=PASSWORD):
    """Open the e-mailed link (Django moves the token to the session) and send the form."""
    response = client.get(link, follow=True)
    assert "Choisir un mot de passe" in response.content.decode()
    return client.post(
        response.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )


def test_pilot_invites_an_editor_who_gets_a_french_email_and_no_password(
    client, pilot_user, centres, django_user_model, time_machine
):
    time_machine.move_to(NOW, tick=False)  # before logging in: a session lasts 30 minutes
    pilot = client
    pilot.force_login(pilot_user)
    response = invite(pilot, centres["a"])

    assert response.status_code == 302
    user = django_user_model.objects.get(email=EMAIL)
    assert user.username == EMAIL and user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert list(user.groups.all()) == [Group.objects.get(name=CENTRE_GROUP)]
    assert list(user.edited_centres.all()) == [centres["a"]]

    [message] = mail.outbox
    assert message.to == [EMAIL]
    assert message.subject == "PAN-TOGETHER\u00a0: votre compte d’éditeur pour CHU de Brest"
    assert not message.alternatives  # plain text only
    assert message.body.startswith("Bonjour Marie,")
    assert "valable 3\u00a0jours" in message.body
    assert f"Votre identifiant\u00a0: {EMAIL}" in message.body
    assert "http://testserver/admin/login/" in message.body
    link_in(message)

    page = pilot.get(response["Location"]).content.decode()
    assert f"Invitation envoyée à {EMAIL}" in page


def test_invitation_link_sets_the_password_once(pilot, centres, client, django_user_model):
    invite(pilot, centres["a"])
    link = link_in(mail.outbox[0])
    client.logout()

    response = choose_password(client, link)

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    assert "Mot de passe enregistré" in client.get(response["Location"]).content.decode()
    assert django_user_model.objects.get(email=EMAIL).check_password(PASSWORD)
    # The same link again: the password changed, so the token no longer matches.
    again = client.get(link, follow=True).content.decode()
    assert "Ce lien n’est plus valable\u00a0: il a déjà servi, ou il a expiré." in again
    assert "new_password1" not in again


def test_invitation_link_expires_after_password_reset_timeout(
    client, pilot_user, centres, django_user_model, time_machine
):
    time_machine.move_to(NOW, tick=False)
    client.force_login(pilot_user)
    invite(client, centres["a"])
    link = link_in(mail.outbox[0])
    client.logout()

    time_machine.move_to(NOW + datetime.timedelta(days=3, minutes=1), tick=False)
    page = client.get(link, follow=True).content.decode()

    assert "Ce lien n’est plus valable" in page
    assert not django_user_model.objects.get(email=EMAIL).has_usable_password()


def test_weak_password_is_refused_in_french(pilot, centres, client, django_user_model):
    invite(pilot, centres["a"])
    client.logout()
    response = choose_password(client, link_in(mail.outbox[0]), password="court")

    assert response.status_code == 200
    assert "Ce mot de passe est trop court" in response.content.decode()
    assert not django_user_model.objects.get(email=EMAIL).has_usable_password()


def test_invited_editor_logs_in_and_edits_only_their_centre(pilot, centres, client):
    invite(pilot, centres["a"])
    client.logout()
    choose_password(client, link_in(mail.outbox[0]))

    response = log_in(client, EMAIL)
    assert response.status_code == 302 and response["Location"] == "/admin/"

    listing = client.get(reverse("admin:centres_centre_changelist")).content.decode()
    assert "CHU de Brest" in listing and "CHU de Rennes" not in listing
    a_url = reverse("admin:centres_centre_change", args=[centres["a"].pk])
    data = change_form_data(client.get(a_url))
    data["phone"] = "02 98 00 00 01"
    assert client.post(a_url, data).status_code == 302
    assert Centre.objects.get(pk=centres["a"].pk).phone == "02 98 00 00 01"

    b_url = reverse("admin:centres_centre_change", args=[centres["b"].pk])
    assert client.get(b_url).status_code == 404
    assert client.post(b_url, {**data, "phone": "02 99 00 00 02"}).status_code == 404
    assert Centre.objects.get(pk=centres["b"].pk).phone == "02 98 22 33 33"


def test_an_existing_address_is_refused_in_french_and_nothing_is_sent(
    pilot, centres, editor_user, django_user_model
):
    response = invite(pilot, centres["b"], email=editor_user.email.upper())

    assert response.status_code == 400
    assert "Un compte existe déjà pour cette adresse" in response.content.decode()
    assert mail.outbox == []
    assert django_user_model.objects.count() == 2
    assert not centres["b"].editors.exists()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("pas une adresse\x00", "Saisissez une adresse e-mail valide"),
        (f"{'a' * 140}@example.org", "comporte au plus 150"),
    ],
)
def test_a_bad_address_is_refused_with_a_400(pilot, centres, django_user_model, email, message):
    response = invite(pilot, centres["a"], email=email)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert mail.outbox == []
    assert django_user_model.objects.count() == 1


def test_pilot_sees_the_invite_button_and_a_centre_editor_cannot_invite(
    pilot, client, centres, editor_user
):
    listing = pilot.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "Inviter un éditeur de centre" in listing
    form = pilot.get(INVITE).content.decode()
    assert "Créer le compte et envoyer l’invitation" in form

    client.force_login(editor_user)
    assert client.get(INVITE).status_code == 403
    assert invite(client, centres["a"], email="intrus@example.org").status_code == 403
    assert mail.outbox == []


def test_forgotten_password_is_linked_from_the_login_page_and_finds_an_invitation(
    pilot, centres, client
):
    invite(pilot, centres["a"])
    client.logout()
    mail.outbox.clear()

    login_page = client.get("/admin/login/").content.decode()
    assert '<a href="/admin/mot-de-passe/">Mot de passe oublié\u00a0?</a>' in login_page
    response = client.post("/admin/mot-de-passe/", {"email": EMAIL}, follow=True)
    assert "Consultez votre messagerie" in response.content.decode()
    [message] = mail.outbox
    assert message.subject == "PAN-TOGETHER\u00a0: choisir un nouveau mot de passe"
    assert choose_password(client, link_in(message)).status_code == 302

    # An unknown address: the same page, and no e-mail.
    mail.outbox.clear()
    response = client.post("/admin/mot-de-passe/", {"email": "inconnu@example.org"}, follow=True)
    assert "Consultez votre messagerie" in response.content.decode()
    assert mail.outbox == []

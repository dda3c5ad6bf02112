"""Inviting a centre's editor: the account, its rights and the invitation e-mail."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from centres.admin_scoping import CENTRE_GROUP
from centres.models import Centre


def validity_text(seconds: int) -> str:
    """PASSWORD_RESET_TIMEOUT in French words (« 3\u00a0jours », « 12\u00a0heures »)."""
    days, rest = divmod(seconds, 86400)
    if days and not rest:
        return f"{days}\u00a0jour{'s' if days > 1 else ''}"
    hours = max(1, round(seconds / 3600))
    return f"{hours}\u00a0heure{'s' if hours > 1 else ''}"


def invitation_link(*, user, base_url: str) -> str:
    """The one-time link to choose a password (Django's password-reset token):
    it stops working once the password is set, or after PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{base_url}{path}"


def invite_editor(
    *,
    email: str,
    centre: Centre,
    base_url: str,
    first_name: str = "",
    last_name: str = "",
    invited_by=None,
):
    """Create a staff account without a password, editor of ``centre``, and e-mail
    it a link to choose its password. Returns the new user.

    The e-mail is sent once the account is committed: if sending fails (the
    error propagates), the account stays and the link can be asked again from
    « Mot de passe oublié\u00a0? » on the login page.
    """
    User = get_user_model()
    with transaction.atomic():
        user = User(
            **{User.USERNAME_FIELD: email},
            email=email,
            first_name=first_name,
            last_name=last_name,
            is_staff=True,
        )
        user.set_unusable_password()
        user.full_clean()
        user.save()
        user.groups.add(Group.objects.get(name=CENTRE_GROUP))
        centre.editors.add(user)
    context = {
        "user": user,
        "centre": centre,
        "link": invitation_link(user=user, base_url=base_url),
        "login_url": f"{base_url}{reverse('admin:login')}",
        "validity": validity_text(settings.PASSWORD_RESET_TIMEOUT),
        "invited_by": invited_by,
    }
    subject = render_to_string("accounts/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/invitation_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=False)
    return user

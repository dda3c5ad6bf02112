"""The forms of the accounts app: invitation, one-time codes, password reset."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from centres.models import Centre


class InviteEditorForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=150,  # it is also the user name, which Django limits to 150
        help_text=_("Elle sert d’identifiant\u00a0; l’invitation y est envoyée."),
    )
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    centre = forms.ModelChoiceField(
        label=_("Centre"),
        queryset=Centre.objects.order_by("name"),
        help_text=_("Le compte pourra modifier les contenus de ce centre, et seulement eux."),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        User = get_user_model()
        if (
            User.objects.filter(email__iexact=email).exists()
            or User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": email}).exists()
        ):
            raise forms.ValidationError(
                _(
                    "Un compte existe déjà pour cette adresse\u00a0: ajoutez-le aux éditeurs "
                    "du centre depuis la fiche du centre."
                )
            )
        return email


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code à usage unique"),
        max_length=16,
        help_text=_("Les 6 chiffres affichés par l’application, ou un code de secours."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not token.isalnum():
            raise forms.ValidationError(_("Le code ne contient que des chiffres et des lettres."))
        return token


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, which also answers an invited user who never chose a password.

    Django leaves out users with an unusable password (for sites whose accounts
    live elsewhere); here an account without one is an invitation not yet
    accepted, and asking for the link again is how a lost invitation is found.
    """

    def get_users(self, email):
        User = get_user_model()
        email_field = User.get_email_field_name()
        return User._default_manager.filter(
            **{f"{email_field}__iexact": email, "is_active": True}
        ).iterator()

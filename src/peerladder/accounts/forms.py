"""Forms of the account pages; the rules themselves live in accounts.services."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from peerladder.errors import InvalidInput
from peerladder.lexicon import lookup


class SignUpForm(forms.Form):
    username = forms.CharField(
        max_length=150, label=_("Username"), help_text=_("Letters, digits and @.+-_")
    )
    email = forms.EmailField(
        required=False, label=_("Email"), help_text=_("Only for password resets")
    )
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class LoginForm(AuthenticationForm):
    """Django's login form (the page adds the rate limit)."""


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, required=False, label=_("Name"), help_text=_("What the token is for")
    )


def add_service_errors(form: forms.Form, exc: InvalidInput, fields: dict[str, str]) -> None:
    """Put each refusal of a service next to its form field (``fields`` maps the
    service's field names to the form's), or above the form when it has none."""
    for error in exc.errors:
        name = fields.get(error.field or "", error.field or "")
        if name in form.fields:
            label = form.fields[name].label
            form.add_error(name, error.shown(lookup(), field_label=str(label) if label else None))
        else:
            form.add_error(None, error.shown(lookup()))

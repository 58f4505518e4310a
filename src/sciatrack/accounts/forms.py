from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User


class SignUpForm(UserCreationForm):
    """A personal account: a login plus the Patient record their data will belong to."""

    display_name = forms.CharField(
        label="What should we call you?",
        max_length=200,
        help_text="Shown on your pages and on handouts you print. A first name is enough.",
    )
    email = forms.EmailField(
        label="Email (optional)",
        required=False,
        help_text="Only used to reset your password.",
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "display_name", "email")

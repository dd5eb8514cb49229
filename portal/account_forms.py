"""Forms of company accounts: sign-up, sign-in (throttled), password reset by the outbox, claiming."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.translation import gettext_lazy as _

from core.throttle import throttle_failure, throttle_locked, throttle_success
from portal.ratelimit import client_key
from portal.services.accounts import email_normalise
from registry.services.mail import mail_enqueue

LOCKED_MESSAGE = _(
    "Too many failed attempts. For your security, please wait 15 minutes before you try again."
)


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), max_length=150, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self):
        return email_normalise(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") != cleaned.get("password1"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class SignInForm(AuthenticationForm):
    """Sign in with the e-mail address; refused for 15 minutes after 5 failures (address or IP)."""

    username = forms.EmailField(
        label=_("E-mail address"), max_length=150, widget=forms.EmailInput(attrs={"autofocus": True})
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail address or the password is wrong."),
        "not_verified": _(
            "Please verify your e-mail address first: open the link we sent you. "
            "You can ask for a new link below."
        ),
        "locked": LOCKED_MESSAGE,
    }

    def clean(self):
        email = email_normalise(self.cleaned_data.get("username") or "")
        self.cleaned_data["username"] = email
        ip = client_key(self.request) if self.request else ""
        if throttle_locked("login", email=email, ip=ip):
            raise ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle_failure("login", email=email, ip=ip)
            user = get_user_model()._default_manager.filter(username=email, is_active=False).first()
            password = self.cleaned_data.get("password") or ""
            if user is not None and user.check_password(password):
                raise ValidationError(self.error_messages["not_verified"], code="not_verified") from None
            raise
        throttle_success("login", email=email)
        return cleaned


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, its mail queued in the outbox (retried until sent)."""

    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        mail_enqueue(to=to_email, subject=subject, body=body)


class ClaimForm(forms.Form):
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        min_length=18,
        help_text=_("The 18-character code on the business licence."),
    )
    code = forms.CharField(
        label=_("Activation code"),
        max_length=40,
        help_text=_("From the letter the registration authority sent to your registered address."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_uscc(self):
        return self.cleaned_data["uscc"].strip().upper()


class FollowForm(forms.Form):
    action = forms.ChoiceField(choices=[("follow", "follow"), ("unfollow", "unfollow")])

"""Company accounts: sign-up, e-mail verification, sign-in and out, password reset, the dashboard,
claiming an enterprise, its members, the inbox, and following an enterprise."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import EnterpriseMembership
from accounts.permissions import acts_for
from accounts.selectors import enterprise_for_actor
from accounts.services import ClaimRefused, enterprise_claim, membership_remove
from core.identifiers import uscc_has_valid_shape
from core.throttle import throttle_failure, throttle_locked, throttle_success
from portal.account_forms import (
    LOCKED_MESSAGE,
    ClaimForm,
    OutboxPasswordResetForm,
    ResendVerificationForm,
    SignInForm,
    SignupForm,
)
from portal.models import Follow, Notice
from portal.ratelimit import client_key
from portal.services.accounts import account_signup, account_verification_resend, account_verify
from portal.services.notices import follow_create, follow_delete, notice_title_local, notices_mark_read
from registry.models import Enterprise

INBOX_PAGE_SIZE = 50


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


# --- sign-up and verification -----------------------------------------------------------------------


def signup(request):
    if request.user.is_authenticated:
        return redirect("portal:account")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_signup(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                base_url=_base_url(request),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error("password1" if field == "password" else field, errors)
        else:
            return redirect("portal:signup-done")
    return render(request, "portal/account/signup.html", {"form": form})


def signup_done(request):
    return render(request, "portal/account/signup_done.html")


def verify_email(request, token: str):
    try:
        account_verify(token=token)
    except ValidationError as exc:
        return render(request, "portal/account/verify_failed.html", {"message": exc.messages[0]}, status=400)
    messages.success(request, _("Your e-mail address is verified. You can sign in now."))
    return redirect("portal:login")


def verify_resend(request):
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_key(request)
        if throttle_locked("verify-resend", ip=ip):
            form.add_error(None, LOCKED_MESSAGE)
        else:
            throttle_failure("verify-resend", ip=ip)  # every request counts: at most 5 per 15 minutes
            account_verification_resend(email=form.cleaned_data["email"], base_url=_base_url(request))
            # The same answer whether or not such an account exists.
            return render(request, "portal/account/signup_done.html", {"resent": True})
    return render(request, "portal/account/verify_resend.html", {"form": form})


# --- sign-in, sign-out, password reset (Django's views with our templates and forms) ----------------


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "portal/account/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


class ResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("portal:password-reset-done")


class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("portal:password-reset-complete")


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


# --- dashboard, claim, members ------------------------------------------------------------------------


@login_required
def dashboard(request):
    memberships = (
        EnterpriseMembership.objects.filter(user=request.user)
        .select_related("enterprise")
        .order_by("enterprise__name")
    )
    follows = (
        Follow.objects.filter(user=request.user).select_related("enterprise").order_by("enterprise__name")
    )
    unread = Notice.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(
        request,
        "portal/account/dashboard.html",
        {"memberships": memberships, "follows": follows, "unread": unread},
    )


@login_required
def claim(request):
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_key(request)
        email = request.user.get_username()
        if throttle_locked("claim", email=email, ip=ip):
            form.add_error(None, LOCKED_MESSAGE)
        else:
            try:
                membership = enterprise_claim(
                    user=request.user, uscc=form.cleaned_data["uscc"], code=form.cleaned_data["code"]
                )
            except ClaimRefused as exc:
                throttle_failure("claim", email=email, ip=ip)
                form.add_error("code", exc.messages[0])
            else:
                throttle_success("claim", email=email)
                messages.success(
                    request,
                    _("You now act for %(name)s as %(role)s.")
                    % {"name": membership.enterprise.name, "role": membership.get_role_display()},
                )
                return redirect("portal:company", uscc=membership.enterprise.uscc)
    return render(request, "portal/account/claim.html", {"form": form})


@login_required
def members(request, uscc: str):
    enterprise = enterprise_for_actor(request.user, uscc)
    is_admin = acts_for(request.user, enterprise, role=EnterpriseMembership.Role.ADMINISTRATOR)
    rows = (
        EnterpriseMembership.objects.filter(enterprise=enterprise)
        .select_related("user")
        .order_by("-role", "user__email")
    )
    return render(
        request,
        "portal/account/members.html",
        {"enterprise": enterprise, "members": rows, "is_admin": is_admin},
    )


@login_required
@require_POST
def member_remove(request, uscc: str, pk: int):
    enterprise = enterprise_for_actor(request.user, uscc, role=EnterpriseMembership.Role.ADMINISTRATOR)
    membership = get_object_or_404(
        EnterpriseMembership.objects.select_related("user"), pk=pk, enterprise=enterprise
    )
    try:
        membership_remove(membership=membership, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(
            request, _("%(email)s no longer acts for this enterprise.") % {"email": membership.user.email}
        )
    return redirect("portal:company-members", uscc=enterprise.uscc)


# --- inbox and following ------------------------------------------------------------------------------


@login_required
def inbox(request):
    notices = list(
        Notice.objects.filter(user=request.user)
        .select_related("enterprise", "event")
        .order_by(F("read_at").desc(nulls_first=True), "-created_at", "-id")[:INBOX_PAGE_SIZE]
    )
    for notice in notices:
        notice.display_title = notice_title_local(notice)
    return render(request, "portal/account/inbox.html", {"notices": notices})


@login_required
@require_POST
def notice_read(request, pk: int):
    notice = get_object_or_404(Notice, pk=pk, user=request.user)
    notices_mark_read(user=request.user, notice_ids=[notice.pk])
    if request.POST.get("open") and notice.url.startswith("/"):
        return redirect(notice.url)
    return redirect("portal:inbox")


@login_required
@require_POST
def inbox_read_all(request):
    count = notices_mark_read(user=request.user)
    messages.success(request, _("%(n)d notices marked as read.") % {"n": count})
    return redirect("portal:inbox")


@login_required
@require_POST
def follow(request, uscc: str):
    code = uscc.strip().upper()
    enterprise = get_object_or_404(Enterprise, uscc=code) if uscc_has_valid_shape(code) else None
    if enterprise is None:
        raise Http404(_("No enterprise with this code is registered."))
    if request.POST.get("action") == "unfollow":
        follow_delete(user=request.user, enterprise=enterprise)
        messages.success(request, _("You no longer follow %(name)s.") % {"name": enterprise.name})
    else:
        follow_create(user=request.user, enterprise=enterprise)
        messages.success(
            request,
            _("You follow %(name)s: you will be told when anything is published about it.")
            % {"name": enterprise.name},
        )
    return redirect(reverse("portal:enterprise", kwargs={"uscc": enterprise.uscc}))

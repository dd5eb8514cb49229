"""Shared set-up for the company-account tests."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from accounts.models import EnterpriseMembership

PASSWORD = "correct-horse-battery-9"


def make_user(email: str, *, active: bool = True):
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    if not active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    return user


def member(user, enterprise, role: str = "filer") -> EnterpriseMembership:
    return EnterpriseMembership.objects.create(user=user, enterprise=enterprise, role=role)

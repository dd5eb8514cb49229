"""The admin's own-agency scope, walked over every registered model (config/admin_scope.py).

A clerk of agency B, given every permission there is, tries every admin page of every model
(the change list, the add form, and an object of agency A's change, history and delete pages, by
GET and by POST): the change list shows no row of A, every page of A's object answers 403 or 404,
and nothing changes. The data: the demo generators on a small scale, and by hand the rows they do
not make.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import ActivationCode, AgencyMembership
from blacklists.models import ApiClient
from casework.models import AbnormalRemovalApplication
from casework.services import objection_submit
from config.admin_scope import AGENCY_SCOPE, LOOK_UP, SCOPED_BY_THEIR_ADMIN, SHARED, model_key
from config.admin_site import INTERNAL_MODELS
from filings.models import AnnualReportFiling
from government.models import FeedbackStatistic
from imports.models import ImportRun
from inspections.models import DeclaredConflict, DrawnTarget, Exclusion, Inspector
from registry.models import AdministrativePenalty, Agency, Document
from tests.factories import (
    AbnormalListingFactory,
    AgencyFactory,
    AnnualReportFactory,
    AwardFactory,
    BranchFactory,
    ChangeRecordFactory,
    ContributionRecordFactory,
    DishonestyRecordFactory,
    EnterpriseFactory,
    GovernmentBodyFactory,
    InspectionFactory,
    InstantDisclosureFactory,
    KeyPersonnelFactory,
    LicenceFactory,
    PenaltyFactory,
    ShareholderFactory,
    TaxRecordFactory,
    UtilityArrearFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

SCOPED = {**AGENCY_SCOPE, **SCOPED_BY_THEIR_ADMIN}


def registered() -> dict[str, type]:
    return {model_key(model): model for model in admin.site._registry}


def test_every_registered_model_is_in_exactly_one_class():
    classes = [set(AGENCY_SCOPE), set(SCOPED_BY_THEIR_ADMIN), set(LOOK_UP), set(SHARED), set(INTERNAL_MODELS)]
    keys = set(registered())
    for number, one in enumerate(classes):
        for other in classes[number + 1 :]:
            assert not (one & other), one & other
    unclassified = keys - set().union(*classes)
    assert unclassified == set(), f"say whose rows these are in config/admin_scope.py: {unclassified}"


def _registry_records(agency: Agency) -> None:
    """One of each credit-file record kept by ``agency`` (the demo spreads them over many)."""
    enterprise = EnterpriseFactory(registration_authority=agency)
    for factory in (
        AnnualReportFactory,
        BranchFactory,
        ChangeRecordFactory,
        KeyPersonnelFactory,
        ShareholderFactory,
    ):
        factory(enterprise=enterprise, source_agency=agency)
    for factory in (ContributionRecordFactory, TaxRecordFactory, UtilityArrearFactory):
        factory(enterprise=enterprise, source_agency=agency)
    PenaltyFactory(enterprise=enterprise, deciding_agency=agency)
    LicenceFactory(enterprise=enterprise, issuing_agency=agency)
    InspectionFactory(enterprise=enterprise, inspecting_agency=agency)
    AwardFactory(enterprise=enterprise, awarding_agency=agency)
    AbnormalListingFactory(enterprise=enterprise, listing_agency=agency)


@pytest.fixture
def world(django_user_model):
    call_command("generate_demo_data", enterprises=40, persons=60, seed=5, verbosity=0)
    for command, options in (
        ("generate_demo_list_entries", {"entries": 20, "per_list": 4, "seed": 5}),
        ("generate_demo_commitments", {"count": 20, "seed": 5}),
        ("generate_demo_agency_grades", {"count": 20, "seed": 5}),
        ("generate_demo_scoring", {}),
        ("generate_demo_inspections", {"seed": 5}),
    ):
        call_command(command, stdout=_Null(), **options)
    for agency in Agency.objects.order_by("pk")[:3]:
        _registry_records(agency)
    _rows_the_demo_does_not_make(Agency.objects.order_by("pk").first())


def _rows_the_demo_does_not_make(agency: Agency) -> None:
    """Casework, imports, accounts and a recusal: made by hand for one agency."""
    enterprise = EnterpriseFactory(registration_authority=agency)
    filer = member_of(enterprise, "scope-filer")
    now = timezone.now()
    ActivationCode.objects.create(
        enterprise=enterprise, code_hash="a" * 64, expires_at=now + dt.timedelta(days=30)
    )
    AgencyMembership.objects.create(
        user=User.objects.create_user("scope-member", is_staff=True), agency=agency
    )
    ApiClient.objects.create(name="某购票系统", agency=agency, token_prefix="abcd1234", token_hash="f" * 64)
    AnnualReportFiling.objects.create(enterprise=enterprise, year=2024)
    InstantDisclosureFactory(enterprise=enterprise)
    penalty = PenaltyFactory(enterprise=enterprise, deciding_agency=agency)
    objection_submit(
        enterprise=enterprise,
        record_type="penalty",
        record_id=penalty.pk,
        reason="处罚决定书中的违法事实与实际情况不符，请予更正。",
        documents=[],
        actor=filer,
        via="form",
    )
    listing = AbnormalListingFactory(enterprise=enterprise, listing_agency=agency)
    AbnormalRemovalApplication.objects.create(
        listing=listing,
        enterprise=enterprise,
        agency=agency,
        report_year=2024,
        submitted_by=filer,
        submitted_at=now,
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )
    document = Document.objects.create(
        kind=Document.Kind.IMPORT_FILE, file="scope.csv", content_type="text/csv", size=1, sha256="0" * 64
    )
    ImportRun.objects.create(kind="enterprises", agency=agency, document=document, created_at=now)
    court = DishonestyRecordFactory().recording_agency
    FeedbackStatistic.objects.create(
        subject=GovernmentBodyFactory(),
        month=dt.date(2026, 4, 1),
        channel="website",
        count=7,
        source_agency=court,
    )
    target = DrawnTarget.objects.order_by("pk").first()
    inspector = Inspector.objects.filter(agency=target.task.plan.agency).order_by("pk").first()
    DeclaredConflict.objects.create(inspector=inspector, enterprise=target.enterprise, reason="亲属任职")
    # A draw's rows are written by the draw only (a trigger refuses any later insert); the demo's draw
    # excluded nobody, so this one is written with the triggers off for the insert.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        Exclusion.objects.create(
            task=target.task, enterprise=target.enterprise, reason=Exclusion.Reason.NO_ELIGIBLE_INSPECTOR
        )
        cursor.execute("SET LOCAL session_replication_role = origin")


class _Null:
    def write(self, text):
        return len(text)

    def flush(self):
        pass


def clerk_of(agency: Agency, username: str) -> User:
    """A staff user of ``agency`` with every permission of every model."""
    user = User.objects.create_user(username, password="pw-scope-123456", is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    AgencyMembership.objects.create(user=user, agency=agency)
    return user


def one_row_of_some_agency(model, path: str):
    row = model._default_manager.filter(**{f"{path}__isnull": False}).order_by("pk").first()
    if row is None:
        return None, None
    agency_id = model._default_manager.filter(pk=row.pk).values_list(f"{path}_id", flat=True).get()
    return row, agency_id


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_a_clerk_of_another_agency_reaches_no_row_of_an_agency_in_admin(world, client):
    models = registered()
    problems: list[str] = []
    untested: list[str] = []
    clerks: dict[int, User] = {}
    for key, path in sorted(SCOPED.items()):
        model = models[key]
        row, owner_id = one_row_of_some_agency(model, path)
        if row is None:
            untested.append(key)
            continue
        other = Agency.objects.exclude(pk=owner_id).order_by("pk").first()
        if other.pk not in clerks:
            clerks[other.pk] = clerk_of(other, f"scope-clerk-{other.pk}")
        client.force_login(clerks[other.pk])

        changelist = client.get(admin_url(model, "changelist"))
        if changelist.status_code == 200:
            shown = changelist.context["cl"].result_list
            theirs = shown.filter(Q(**{f"{path}_id": owner_id}))
            if theirs.exists():
                problems.append(f"{key}: the change list shows {theirs.count()} row(s) of another agency")
        elif changelist.status_code not in (403, 404):
            problems.append(f"{key}: change list answered {changelist.status_code}")

        before = model._default_manager.filter(pk=row.pk).values().get()
        for view in ("change", "history", "delete"):
            url = admin_url(model, view, row.pk)
            for method in ("get", "post"):
                data = {"post": "yes"} if view == "delete" else {}
                # A redirect is followed (the imports' change page leads to their own detail page).
                if method == "post":
                    response = client.post(url, data, follow=True)
                else:
                    response = client.get(url, follow=True)
                if response.status_code not in (403, 404):
                    problems.append(
                        f"{key}: {method.upper()} {view} of another agency's row: {response.status_code}"
                    )
        after = model._default_manager.filter(pk=row.pk).values().first()
        if after != before:
            problems.append(f"{key}: another agency's row changed")
        client.logout()
    assert untested == [], f"no row of these models to walk: {untested}"
    assert problems == []


def test_look_up_models_are_seen_by_every_clerk_and_changed_by_their_own_only(world, client):
    models = registered()
    problems: list[str] = []
    untested: list[str] = []
    for key, path in sorted(LOOK_UP.items()):
        model = models[key]
        row, owner_id = one_row_of_some_agency(model, path)
        if row is None:
            untested.append(key)
            continue
        other = Agency.objects.exclude(pk=owner_id).order_by("pk").first()
        client.force_login(clerk_of(other, f"lookup-clerk-{key}"))
        before = model._default_manager.filter(pk=row.pk).values().get()
        if client.get(admin_url(model, "change", row.pk)).status_code != 200:
            problems.append(f"{key}: a clerk cannot look up another agency's row")
        for view in ("change", "delete"):
            response = client.post(admin_url(model, view, row.pk), {"post": "yes"})
            if response.status_code != 403:
                problems.append(f"{key}: POST {view} of another agency's row: {response.status_code}")
        if model._default_manager.filter(pk=row.pk).values().first() != before:
            problems.append(f"{key}: another agency's row changed")
        client.logout()
    assert untested == [], f"no row of these models to walk: {untested}"
    assert problems == []


def test_a_clerk_cannot_add_a_row_for_another_agency(client):
    mine, theirs = AgencyFactory(), AgencyFactory()
    enterprise = EnterpriseFactory(registration_authority=mine)
    client.force_login(clerk_of(mine, "adding-clerk"))
    form = client.get(admin_url(registered()["registry.administrativepenalty"], "add"))
    offered = form.context["adminform"].form.fields["deciding_agency"].queryset
    assert list(offered) == [mine]
    response = client.post(
        admin_url(registered()["registry.administrativepenalty"], "add"),
        {
            "enterprise": enterprise.pk,
            "source_agency": theirs.pk,
            "deciding_agency": theirs.pk,
            "decision_number": "合市监罚〔2026〕99号",
            "violation": "虚假宣传",
            "content": "罚款",
            "fine_amount": "1000",
            "decided_on": "2026-11-01",
        },
    )
    assert response.status_code in (200, 403)
    assert not AdministrativePenalty.objects.filter(enterprise=enterprise).exists()


def test_a_clerk_keeps_their_own_agencys_rows(client):
    mine = AgencyFactory()
    penalty = PenaltyFactory(deciding_agency=mine)
    PenaltyFactory(deciding_agency=AgencyFactory())
    client.force_login(clerk_of(mine, "own-clerk"))
    model = registered()["registry.administrativepenalty"]
    listed = client.get(admin_url(model, "changelist"))
    assert list(listed.context["cl"].result_list) == [penalty]
    assert client.get(admin_url(model, "change", penalty.pk)).status_code == 200

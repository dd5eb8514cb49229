"""Shared set-up of the agency grade tests: clerks, files and grades relative to the test clock."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import AgencyMembership
from registry.models import Agency
from scoring.models import AgencyGrade, AgencyGradeScheme

TAX, CUSTOMS = "sta-tax-credit", "gac-enterprise-credit"


def today() -> dt.date:
    return timezone.localdate()


def last_year() -> int:
    return today().year - 1


def month_ago() -> dt.date:
    return today() - dt.timedelta(days=30)


def scheme(code: str = TAX) -> AgencyGradeScheme:
    return AgencyGradeScheme.objects.get(code=code)


def clerk(short_code: str, username: str) -> User:
    user = User.objects.create_user(username, password="pw-123456789", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["scoring", "registry"]))
    AgencyMembership.objects.create(user=user, agency=Agency.objects.get(short_code=short_code))
    return user


def csv_text(rows: list[dict]) -> str:
    header = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def upload(rows: list[dict], name: str = "grades.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_text(rows).encode("utf-8"), content_type="text/csv")


def write(tmp_path, rows: list[dict], name: str = "grades.csv"):
    path = tmp_path / name
    path.write_text(csv_text(rows), encoding="utf-8")
    return path


def row(enterprise, **overrides) -> dict:
    values = {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "grade": "A",
        "year": str(last_year()),
        "valid_from": month_ago().isoformat(),
        "decision_number": f"税信评〔{today().year}〕1号",
    }
    values.update(overrides)
    return values


def grade(enterprise, code: str = "A", *, scheme_code: str = TAX, year: int | None = None, **fields):
    the_scheme = scheme(scheme_code)
    values = {
        "valid_from": month_ago(),
        "issuing_agency": the_scheme.issuing_agency,
        "decision_number": "",
    }
    values.update(fields)
    return AgencyGrade.objects.create(
        enterprise=enterprise,
        scheme=the_scheme,
        level=the_scheme.levels.get(code=code),
        year=year or last_year(),
        **values,
    )

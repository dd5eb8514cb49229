import datetime as dt
from decimal import Decimal

from django.utils import timezone

from registry.models import Agency
from tests.factories import AgencyFactory, AnnualReportFactory, EnterpriseFactory, PenaltyFactory


def today():
    return timezone.localdate()


def reported(enterprise):
    """Annual reports for every closed year, so only the records under test count."""
    for year in range(today().year - 6, today().year):
        AnnualReportFactory(
            enterprise=enterprise, year=year, submitted_at=dt.datetime(year + 1, 3, 1, tzinfo=dt.UTC)
        )
    return enterprise


def company(**kwargs):
    bureau = kwargs.pop("registration_authority", None) or AgencyFactory(level=Agency.Level.COUNTY)
    return reported(
        EnterpriseFactory(established=dt.date(2010, 1, 1), registration_authority=bureau, **kwargs)
    )


def penalise(enterprise, fine: str, *, agency=None, days_ago: int = 30):
    extra = {"source_agency": agency} if agency else {}
    return PenaltyFactory(
        enterprise=enterprise,
        fine_amount=Decimal(fine),
        decided_on=today() - dt.timedelta(days=days_ago),
        **extra,
    )


def three_areas(enterprise, days_ago=30):
    penalise(enterprise, "5000", agency=AgencyFactory(kind=Agency.Kind.MARKET_REGULATION), days_ago=days_ago)
    penalise(enterprise, "5000", agency=AgencyFactory(kind=Agency.Kind.TAX), days_ago=days_ago)
    penalise(enterprise, "5000", agency=AgencyFactory(kind=Agency.Kind.BUREAU), days_ago=days_ago)

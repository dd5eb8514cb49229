import pytest

from blacklists.models import ListType

pytestmark = pytest.mark.django_db

FIG_13B = {
    "court-defaulters",
    "consumption-restriction",
    "ndrc-finance",
    "sta-major-tax-violations",
    "gac-dishonest",
    "samr-food-drug",
    "mohrss-wage-arrears",
    "caac-no-fly",
    "rail-no-ride",
}
FIG_13C = {
    "mnr-survey-units",
    "haikou-property-services",
    "spb-express-delivery",
    "weifang-fire-safety",
    "nanning-qingxiu-training",
    "cac-online-content",
}


def test_seed_lists_are_shipped_with_their_owners():
    codes = set(ListType.objects.values_list("code", flat=True))
    assert codes >= FIG_13B
    assert codes >= FIG_13C
    assert {"gac-advanced-certified", "sta-grade-a"} <= codes
    assert ListType.objects.get(code="court-defaulters").owner.short_code == "spc"
    assert ListType.objects.get(code="court-defaulters").default_period_days == 730
    assert ListType.objects.get(code="gac-advanced-certified").kind == "redlist"
    assert ListType.objects.get(code="weifang-fire-safety").region_id == "370700"
    assert not ListType.objects.get(code="caac-no-fly").holds_enterprises

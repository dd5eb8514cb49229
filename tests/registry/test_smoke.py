from registry.models import Agency, Region


def test_reference_data_is_shipped(db):
    assert Region.objects.filter(level="province").count() == 31
    assert Region.objects.filter(level="prefecture").count() > 300
    assert Agency.objects.filter(short_code="samr", level="national").exists()

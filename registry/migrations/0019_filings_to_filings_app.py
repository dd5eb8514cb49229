"""The company's own filings move to the ``filings`` app: annual report filings and their versions,
instant disclosures and their versions, credit commitments. The tables and their rows stay."""

from django.db import migrations

from core.migration_tools import move_content_types


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0018_agencymembership_to_accounts"),
        ("filings", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                # The versions first: they refer to their filing and disclosure.
                migrations.DeleteModel(name="AnnualReportFilingVersion"),
                migrations.DeleteModel(name="AnnualReportFiling"),
                migrations.DeleteModel(name="InstantDisclosureVersion"),
                migrations.DeleteModel(name="InstantDisclosure"),
                migrations.DeleteModel(name="CreditCommitment"),
            ]
        ),
        move_content_types(
            "registry",
            "filings",
            "annualreportfiling",
            "annualreportfilingversion",
            "instantdisclosure",
            "instantdisclosureversion",
            "creditcommitment",
        ),
    ]

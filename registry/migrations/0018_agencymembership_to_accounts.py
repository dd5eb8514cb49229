"""Clerks' agency memberships move to the ``accounts`` app: the table and its rows stay."""

from django.db import migrations

from core.migration_tools import move_content_types


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0017_searchdocument_to_search"),
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="AgencyMembership")]),
        move_content_types("registry", "accounts", "agencymembership"),
    ]

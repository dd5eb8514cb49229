"""Objections and removal applications move to the ``casework`` app: the tables and rows stay."""

from django.db import migrations

from core.migration_tools import move_content_types


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0019_filings_to_filings_app"),
        ("casework", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Objection"),
                migrations.DeleteModel(name="AbnormalRemovalApplication"),
            ]
        ),
        move_content_types("registry", "casework", "objection", "abnormalremovalapplication"),
    ]

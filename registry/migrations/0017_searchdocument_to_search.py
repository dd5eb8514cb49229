"""The search engine's documents move to the ``search`` app: the table and its rows stay."""

from django.db import migrations

from core.migration_tools import move_content_types


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0016_document_reads"),
        ("search", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="SearchDocument")]),
        move_content_types("registry", "search", "searchdocument"),
    ]

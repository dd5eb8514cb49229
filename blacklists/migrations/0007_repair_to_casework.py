"""Credit repair applications move to the ``casework`` app: the table and its rows stay."""

from django.db import migrations

from core.migration_tools import move_content_types


class Migration(migrations.Migration):
    dependencies = [
        ("blacklists", "0006_lighter_write_indexes"),
        ("casework", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="RepairApplication")]),
        move_content_types("blacklists", "casework", "repairapplication"),
    ]

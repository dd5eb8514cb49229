"""Enterprise memberships and activation codes move to the ``accounts`` app: the tables and rows stay."""

from django.db import migrations

from core.migration_tools import move_content_types


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_accounts_notices"),
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="EnterpriseMembership"),
                migrations.DeleteModel(name="ActivationCode"),
            ]
        ),
        move_content_types("portal", "accounts", "enterprisemembership", "activationcode"),
    ]

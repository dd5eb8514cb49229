"""An exact B-tree index on the masked ID number, which the defaulter search looks up."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0020_casework_to_casework_app"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["id_masked"], name="person_id_masked_idx"),
        ),
    ]

"""Operations for migrations that move a model from one app to another, keeping its table and rows.

The table stays where it is (the model names it in ``Meta.db_table``); only Django's picture of
the app changes, with ``SeparateDatabaseAndState``. The model's content type moves with it, so
audit entries, admin log entries and permissions that point at it keep pointing at the model.
"""

from __future__ import annotations

from django.db import migrations


def move_content_types(old_app: str, new_app: str, *models: str) -> migrations.RunPython:
    """Relabel the content types of ``models`` from ``old_app`` to ``new_app`` (and back)."""

    def relabel(source: str, target: str):
        def run(apps, schema_editor):
            content_type = apps.get_model("contenttypes", "ContentType")
            for model in models:
                if content_type.objects.filter(app_label=target, model=model).exists():
                    continue  # already there (a database that ran this once)
                content_type.objects.filter(app_label=source, model=model).update(app_label=target)

        return run

    return migrations.RunPython(relabel(old_app, new_app), relabel(new_app, old_app), elidable=False)

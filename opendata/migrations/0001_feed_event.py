from django.db import migrations, models

from opendata.feed.triggers import (
    FUNCTION_DROP_SQL,
    FeedTarget,
    feed_triggers_drop_sql,
    feed_triggers_install_sql,
)

# The datasets whose tables carry the feed triggers when this migration was written; a later
# migration re-installs them for a changed list (opendata/feed/triggers.py).
TARGETS = [
    FeedTarget("enterprises", "registry_enterprise", "id", ()),
    FeedTarget("officers", "registry_keypersonnel", "id", ()),
    FeedTarget("shareholders", "registry_shareholder", "id", ()),
    FeedTarget("licences", "registry_administrativelicence", "id", ()),
    FeedTarget("penalties", "registry_administrativepenalty", "id", ()),
    FeedTarget("abnormal-operations", "registry_abnormaloperationlisting", "id", ()),
    FeedTarget("inspection-results", "registry_inspectionrecord", "id", ()),
    FeedTarget("list-entries", "blacklists_listentry", "id", ()),
    FeedTarget("court-defaulters", "blacklists_courtdefaulterdetail", "entry_id", ()),
    FeedTarget("commitments", "registry_creditcommitment", "id", ()),
    FeedTarget("disclosures", "registry_instantdisclosure", "id", ()),
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("registry", "0025_government_bodies"),
        ("blacklists", "0009_api_scope_evaluations"),
        ("filings", "0002_plain_english_choice_labels"),
        ("government", "0002_dashboard_rows_index"),
        ("inspections", "0002_results"),
    ]

    operations = [
        migrations.CreateModel(
            name="FeedPruning",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("pruned_through", models.BigIntegerField(verbose_name="pruned through timepoint")),
                ("pruned_at", models.DateTimeField(verbose_name="pruned")),
                ("deleted", models.PositiveBigIntegerField(verbose_name="events deleted")),
            ],
            options={
                "verbose_name": "feed pruning",
                "verbose_name_plural": "feed prunings",
                "ordering": ["-pruned_through"],
            },
        ),
        migrations.CreateModel(
            name="FeedEvent",
            fields=[
                (
                    "timepoint",
                    models.BigIntegerField(primary_key=True, serialize=False, verbose_name="timepoint"),
                ),
                ("published_at", models.DateTimeField(verbose_name="published")),
                (
                    "op",
                    models.CharField(
                        choices=[
                            ("created", "created"),
                            ("changed", "changed"),
                            ("ended", "ended"),
                            ("withdrawn", "withdrawn"),
                        ],
                        max_length=16,
                        verbose_name="operation",
                    ),
                ),
                ("dataset", models.CharField(max_length=64, verbose_name="dataset")),
                ("key", models.CharField(max_length=64, verbose_name="source row")),
                ("row", models.JSONField(verbose_name="row")),
                (
                    "previous_row",
                    models.JSONField(blank=True, null=True, verbose_name="row before an update"),
                ),
            ],
            options={
                "verbose_name": "feed event",
                "verbose_name_plural": "feed events",
                "ordering": ["timepoint"],
                "indexes": [
                    models.Index(fields=["dataset", "timepoint"], name="feedevent_dataset_timepoint"),
                    models.Index(fields=["published_at"], name="feedevent_published_at"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("op__in", ["created", "changed", "withdrawn"])),
                        name="feedevent_recorded_op",
                        violation_error_message="The trigger records created, changed or withdrawn only.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("op", "changed"), ("previous_row__isnull", False)),
                            models.Q(
                                models.Q(("op", "changed"), _negated=True), ("previous_row__isnull", True)
                            ),
                            _connector="OR",
                        ),
                        name="feedevent_previous_row_only_for_changes",
                        violation_error_message="Only a change keeps the row as it was before.",
                    ),
                ],
            },
        ),
        migrations.RunSQL(
            feed_triggers_install_sql(TARGETS),
            reverse_sql=feed_triggers_drop_sql(TARGETS) + FUNCTION_DROP_SQL,
        ),
        # Rows written before the triggers existed have no events: the feed's first timepoint is
        # recorded as already pruned, so a client starts from a snapshot, never from nothing.
        migrations.RunSQL(
            "INSERT INTO opendata_feedpruning (pruned_through, pruned_at, deleted) "
            "VALUES (nextval('opendata_feed_timepoint'), now(), 0)",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]

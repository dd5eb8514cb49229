from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, OrderBy, Q
from django.db.models.functions import Collate
from django.db.models.indexes import IndexExpression
from django.utils.translation import gettext_lazy as _

from core.classification import Classification
from search.frequent_runs import MAX_RUN, MIN_RUN

# Render ``OpClass`` inside a multi-column expression index as ``"col" varchar_pattern_ops``
# rather than ``("col" varchar_pattern_ops)``: exactly what django.contrib.postgres's AppConfig
# does in ready(); repeated here because that app is not in INSTALLED_APPS.
IndexExpression.register_wrappers(OrderBy, OpClass, Collate)


class SearchDocument(models.Model):
    """The search key of one subject: an enterprise, a person or a list entry.

    Derived data: written only by ``search.services`` (on every create/update of the
    subject, or in bulk by ``rebuild_search_index``) and read only by ``search.query``.
    ``document`` holds the tokens of ``search.normalise.tokens`` as a ``simple``
    tsvector; ``identifiers`` the exact keys (USCC, organisation code, registration number,
    case numbers, keyed hashes of ID numbers) normalised by ``normalise_identifier``.
    """

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("enterprise")
        PERSON = "person", _("person")
        LIST_ENTRY = "list_entry", _("list entry")

    classification = Classification.PUBLIC
    # Matched, never shown: holds keyed hashes of ID numbers.
    field_classification = {"identifiers": Classification.GOVERNMENT}

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    object_id = models.BigIntegerField(_("object id"))
    name = models.CharField(_("name"), max_length=300)
    name_normalised = models.CharField(_("normalised name"), max_length=300)
    document = SearchVectorField(_("search tokens"))
    identifiers = ArrayField(
        models.TextField(), verbose_name=_("exact identifiers"), default=list, blank=True
    )
    province = models.CharField(_("province code"), max_length=6, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    extra = models.JSONField(_("display fields"), default=dict, blank=True)

    class Meta:
        db_table = "registry_searchdocument"  # created by the register before the engine had an app
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_kind_object_uniq"),
            models.CheckConstraint(
                condition=Q(province="") | Q(province__regex=r"^[1-9][0-9]0000$"),
                name="search_document_province_code",
                violation_error_message=_("The province is a six-digit division code ending in 0000."),
            ),
        ]
        indexes = [
            # Exact name (equality) and name prefix (LIKE 'q%'), each already in rank order.
            models.Index(
                OpClass("name_normalised", name="varchar_pattern_ops"),
                F("published_on").desc(nulls_last=True),
                F("id").desc(),
                name="search_doc_name_prefix_idx",
            ),
            GinIndex(fields=["document"], name="search_doc_document_gin"),
            GinIndex(fields=["identifiers"], name="search_doc_identifiers_gin"),
            # "Most recent first" for common queries: walk this index and stop at the page. The
            # name and the kind are carried along so that the in-order pass checks the newest
            # names in the index alone (an index-only scan, also when a search is narrowed to
            # some kinds, as the enterprise search always is), without a heap page per row.
            models.Index(
                F("published_on").desc(nulls_last=True),
                F("id").desc(),
                name="search_doc_recent_kind_idx",
                include=["name_normalised", "kind"],
            ),
            models.Index(
                "province",
                F("published_on").desc(nulls_last=True),
                F("id").desc(),
                name="search_doc_province_recent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.name}"


class FrequentRun(models.Model):
    """A run of Chinese characters held by many names, with the share of documents holding it.

    Derived data, like the planner's statistics: counted on a sample of the documents by
    ``search.services.search_frequent_runs_refresh`` (after a rebuild of the index, then daily)
    and read by ``search.query.statistics``. Only runs held by enough documents to prove a
    query's "1000+" are kept.
    """

    classification = Classification.PUBLIC  # counts of public names

    run = models.CharField(_("run of characters"), max_length=MAX_RUN, unique=True)
    share = models.FloatField(_("share of documents"))
    counted_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("frequent run of characters")
        verbose_name_plural = _("frequent runs of characters")
        constraints = [
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=1),
                name="search_frequent_run_share",
                violation_error_message=_("The share of documents is above 0 and at most 1."),
            ),
            models.CheckConstraint(
                condition=Q(run__regex=rf"^.{{{MIN_RUN},}}$"),
                name="search_frequent_run_length",
                violation_error_message=_("A frequent run has at least three characters."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run} {self.share:.4%}"

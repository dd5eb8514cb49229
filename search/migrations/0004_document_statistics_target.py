from django.db import migrations

# ANALYZE keeps ten times the statistics target of a tsvector column's most common lexemes. At the
# default (100) that is 1,000 lexemes, down to about 0.65 % of documents: a romanised word in 0.2 to
# 0.65 % of them (dehua, shihang at 2 million documents) had no share to prove "1000+" from and was
# counted through the GIN index. At 1,000 the list holds about 6,500 lexemes, down to about 0.03 %
# (docs/performance.md, "Forgiving name search"); ANALYZE samples 300,000 rows instead of 30,000.
TARGET = 1000


class Migration(migrations.Migration):
    dependencies = [("search", "0003_recent_index_with_kind")]

    operations = [
        migrations.RunSQL(
            f"ALTER TABLE registry_searchdocument ALTER COLUMN document SET STATISTICS {TARGET}",
            "ALTER TABLE registry_searchdocument ALTER COLUMN document SET STATISTICS -1",
        )
    ]

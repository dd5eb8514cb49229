from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0002_recent_index_with_name'),
    ]

    operations = [
        # The new index first, so that the walk always has one.
        migrations.AddIndex(
            model_name='searchdocument',
            index=models.Index(models.OrderBy(models.F('published_on'), descending=True, nulls_last=True), models.OrderBy(models.F('id'), descending=True), include=('name_normalised', 'kind'), name='search_doc_recent_kind_idx'),
        ),
        migrations.RemoveIndex(
            model_name='searchdocument',
            name='search_doc_recent_name_idx',
        ),
    ]

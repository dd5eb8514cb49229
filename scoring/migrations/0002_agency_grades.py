import json
from pathlib import Path

import django.db.models.deletion
from django.db import migrations, models

DATA = Path(__file__).resolve().parent.parent / "data" / "agency_grade_schemes.json"

# A grade's level must be one of its scheme's levels: a composite key the ORM cannot declare.
LEVEL_IN_SCHEME = (
    "ALTER TABLE scoring_agencygrade ADD CONSTRAINT agency_grade_level_in_scheme "
    "FOREIGN KEY (level_id, scheme_id) REFERENCES scoring_agencygradelevel (id, scheme_id)",
    "ALTER TABLE scoring_agencygrade DROP CONSTRAINT agency_grade_level_in_scheme",
)


def load_schemes(apps, schema_editor):
    """The shipped schemes (tax credit, Customs credit, environmental credit) and their grades."""
    Agency = apps.get_model("registry", "Agency")
    Scheme = apps.get_model("scoring", "AgencyGradeScheme")
    Level = apps.get_model("scoring", "AgencyGradeLevel")
    for row in json.loads(DATA.read_text(encoding="utf-8")):
        agency = Agency.objects.filter(short_code=row["issuing_agency"]).first()
        if agency is None:  # a database without the reference agencies (none ships without them)
            continue
        scheme, _created = Scheme.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_zh": row["name_zh"],
                "name_en": row["name_en"],
                "issuing_agency": agency,
                "issuer_kind": row["issuer_kind"],
                "legal_basis": row["legal_basis"],
                "validity_months": row["validity_months"],
            },
        )
        for rank, level in enumerate(row["levels"], start=1):
            Level.objects.update_or_create(
                scheme=scheme,
                code=level["code"],
                defaults={
                    "rank": rank,
                    "name_zh": level["name_zh"],
                    "name_en": level["name_en"],
                    "meaning": level["meaning"],
                },
            )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('registry', '0022_jobs_and_import_files'),
        ('scoring', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='AgencyGradeScheme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=64, unique=True, verbose_name='code')),
                ('name_zh', models.CharField(max_length=128, verbose_name='Chinese name')),
                ('name_en', models.CharField(max_length=256, verbose_name='English name')),
                ('issuer_kind', models.CharField(blank=True, choices=[('court', 'court'), ('ministry', 'ministry or commission'), ('bureau', 'bureau or administration'), ('market_regulation', 'market regulation authority'), ('tax', 'tax authority'), ('customs', 'customs'), ('government', "people's government"), ('association', 'industry association'), ('state_enterprise', 'state-owned enterprise acting for the state'), ('other', 'other')], help_text='Agencies of this kind grade enterprises too (the provincial tax services for the tax credit grade); empty when only the issuing agency grades.', max_length=32, verbose_name='also issued by agencies of kind')),
                ('legal_basis', models.CharField(blank=True, max_length=300, verbose_name='legal basis')),
                ('validity_months', models.PositiveSmallIntegerField(blank=True, help_text='How long a grade holds when the file gives no end; empty: until the next grade.', null=True, verbose_name='valid for (months)')),
                ('issuing_agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='agency_grade_schemes', to='registry.agency', verbose_name='issuing agency')),
            ],
            options={
                'verbose_name': 'agency grading scheme',
                'verbose_name_plural': 'agency grading schemes',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='AgencyGradeLevel',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='As the agency writes it in its files (A, M, advanced).', max_length=32, verbose_name='code')),
                ('rank', models.PositiveSmallIntegerField(help_text='1 is the best grade.', verbose_name='rank')),
                ('name_zh', models.CharField(max_length=128, verbose_name='Chinese name')),
                ('name_en', models.CharField(max_length=256, verbose_name='English name')),
                ('meaning', models.CharField(choices=[('positive', 'positive'), ('neutral', 'neutral'), ('negative', 'negative')], max_length=16, verbose_name='meaning')),
                ('scheme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='levels', to='scoring.agencygradescheme', verbose_name='scheme')),
            ],
            options={
                'verbose_name': 'grade of a scheme',
                'verbose_name_plural': 'grades of a scheme',
                'ordering': ['scheme', 'rank'],
            },
        ),
        migrations.CreateModel(
            name='AgencyGrade',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year graded')),
                ('valid_from', models.DateField(verbose_name='valid from')),
                ('valid_until', models.DateField(blank=True, help_text='The last day; empty: until the next grade.', null=True, verbose_name='valid until')),
                ('decision_number', models.CharField(blank=True, max_length=128, verbose_name='decision document number')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('enterprise', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='agency_grades', to='registry.enterprise', verbose_name='enterprise')),
                ('issuing_agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.agency', verbose_name='issuing agency')),
                ('level', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='grades', to='scoring.agencygradelevel', verbose_name='grade')),
                ('scheme', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='grades', to='scoring.agencygradescheme', verbose_name='scheme')),
            ],
            options={
                'verbose_name': 'agency grade',
                'verbose_name_plural': 'agency grades',
                'ordering': ['enterprise', 'scheme', '-year'],
            },
        ),
        migrations.AddConstraint(
            model_name='agencygradescheme',
            constraint=models.CheckConstraint(condition=models.Q(('code', ''), _negated=True), name='agency_grade_scheme_code_named'),
        ),
        migrations.AddConstraint(
            model_name='agencygradescheme',
            constraint=models.CheckConstraint(condition=models.Q(('validity_months__isnull', True), ('validity_months__gte', 1), _connector='OR'), name='agency_grade_scheme_validity_positive', violation_error_message='A grade is valid for at least one month.'),
        ),
        migrations.AddConstraint(
            model_name='agencygradelevel',
            constraint=models.UniqueConstraint(fields=('scheme', 'code'), name='agency_grade_level_code_unique'),
        ),
        migrations.AddConstraint(
            model_name='agencygradelevel',
            constraint=models.UniqueConstraint(fields=('scheme', 'rank'), name='agency_grade_level_rank_unique'),
        ),
        migrations.AddConstraint(
            model_name='agencygradelevel',
            constraint=models.UniqueConstraint(fields=('id', 'scheme'), name='agency_grade_level_id_scheme_unique'),
        ),
        migrations.AddConstraint(
            model_name='agencygradelevel',
            constraint=models.CheckConstraint(condition=models.Q(('code', ''), _negated=True), name='agency_grade_level_code_named'),
        ),
        migrations.AddConstraint(
            model_name='agencygradelevel',
            constraint=models.CheckConstraint(condition=models.Q(('rank__gte', 1)), name='agency_grade_level_rank_positive'),
        ),
        migrations.AddConstraint(
            model_name='agencygradelevel',
            constraint=models.CheckConstraint(condition=models.Q(('meaning__in', ['positive', 'neutral', 'negative'])), name='agency_grade_level_meaning_known'),
        ),
        migrations.AddIndex(
            model_name='agencygrade',
            index=models.Index(fields=['scheme', '-year'], name='agency_grade_scheme_year_idx'),
        ),
        migrations.AddConstraint(
            model_name='agencygrade',
            constraint=models.UniqueConstraint(fields=('enterprise', 'scheme', 'year'), name='agency_grade_one_per_year', violation_error_message='The enterprise already has a grade in this scheme for this year.'),
        ),
        migrations.AddConstraint(
            model_name='agencygrade',
            constraint=models.CheckConstraint(condition=models.Q(('valid_until__isnull', True), ('valid_until__gt', models.F('valid_from')), _connector='OR'), name='agency_grade_valid_until_after_from', violation_error_message="A grade's validity must end after it starts."),
        ),
        migrations.AddConstraint(
            model_name='agencygrade',
            constraint=models.CheckConstraint(condition=models.Q(('year__gte', 1990), ('year__lte', 2999)), name='agency_grade_year_plausible'),
        ),
        migrations.AddConstraint(
            model_name='agencygrade',
            constraint=models.CheckConstraint(condition=models.Q(('valid_from__year__gte', models.F('year'))), name='agency_grade_valid_from_in_or_after_year', violation_error_message='A grade cannot hold before the year it grades begins.'),
        ),
        migrations.RunSQL(*LEVEL_IN_SCHEME),
        migrations.RunPython(load_schemes, migrations.RunPython.noop),
    ]

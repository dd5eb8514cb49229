from django.core.management.base import BaseCommand

from scoring.services.defaults import rule_sets_load_defaults


class Command(BaseCommand):
    help = (
        "Create the default rule sets (public evaluation, credit-risk classes, alert-list thresholds) "
        "that do not exist yet. See docs/scoring.md."
    )

    def handle(self, *args, **options):
        created = rule_sets_load_defaults()
        for rule_set in created:
            self.stdout.write(
                f"Created {rule_set.code} v{rule_set.version} ({rule_set.get_scheme_display()})."
            )
        if not created:
            self.stdout.write("The default rule sets exist already.")

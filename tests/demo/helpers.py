from io import StringIO

from django.core.management import call_command

COURT_CASES, PER_LIST = 100, 8


def generate(seed: int = 5) -> str:
    """A small demo: the register, then its list entries; returns what the second command said."""
    out = StringIO()
    call_command("generate_demo_data", enterprises=150, persons=300, seed=seed, workers=1, verbosity=0)
    call_command("generate_demo_list_entries", entries=COURT_CASES, per_list=PER_LIST, seed=seed, stdout=out)
    return out.getvalue()

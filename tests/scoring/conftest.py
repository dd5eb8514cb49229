import pytest

from scoring.services.defaults import rule_sets_load_defaults


@pytest.fixture
def default_rule_sets(db):
    return {rule_set.code: rule_set for rule_set in rule_sets_load_defaults()}

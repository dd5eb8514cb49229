"""When the browser tests run: never skipped in CI, skipped on request elsewhere, failing loudly."""

import pytest

from tests.browser.support import axe_check, browser_tests_decision, describe_violations, has_visible_focus


def test_browser_tests_run_when_chromium_is_there():
    assert browser_tests_decision(environ={}, chromium_exists=True).action == "run"
    assert browser_tests_decision(environ={"CI": "true"}, chromium_exists=True).action == "run"


def test_missing_chromium_fails_with_install_instructions():
    decision = browser_tests_decision(environ={}, chromium_exists=False)
    assert decision.action == "fail"
    assert "apt-get install chromium" in decision.reason and "BROWSER_TESTS=skip" in decision.reason
    assert browser_tests_decision(environ={"CI": "true"}, chromium_exists=False).action == "fail"


def test_developers_may_skip_but_ci_may_not():
    assert browser_tests_decision(environ={"BROWSER_TESTS": "skip"}, chromium_exists=False).action == "skip"
    in_ci = browser_tests_decision(environ={"BROWSER_TESTS": "skip", "CI": "true"}, chromium_exists=True)
    assert in_ci.action == "fail" and "not allowed in CI" in in_ci.reason


def test_focus_is_visible_only_with_an_outline_or_a_shadow():
    base = {"visible": True, "outlineStyle": "none", "outlineWidth": "0px", "boxShadow": "none"}
    assert not has_visible_focus(base)
    assert has_visible_focus({**base, "outlineStyle": "solid", "outlineWidth": "3px"})
    assert has_visible_focus({**base, "boxShadow": "rgb(11, 87, 208) 0px 0px 0px 3px"})
    assert not has_visible_focus({**base, "boxShadow": "rgb(0, 0, 0) 0px 0px 0px 3px", "visible": False})


@pytest.mark.browser
def test_axe_check_reports_serious_violations_with_the_element(browser):
    page = browser.new_page()
    try:
        page.set_content('<html lang="en"><title>t</title><main><img src="x.png"></main></html>')
        violations = axe_check(page)
    finally:
        page.close()
    assert [v["id"] for v in violations] == ["image-alt"]
    report = describe_violations(violations)
    assert "image-alt (critical)" in report and '<img src="x.png">' in report

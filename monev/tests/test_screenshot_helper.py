"""The screenshot helper retries Chromium's transient "Unable to capture screenshot" only."""

import pytest
from playwright.sync_api import Error

from monev import testing


class FlakyPage:
    """Stands in for a Playwright page: the first `failures` captures fail with `message`."""

    def __init__(self, failures, message):
        self.failures = failures
        self.message = message
        self.captures = []
        self.waits = []

    def screenshot(self, path, full_page):
        self.captures.append((path, full_page))
        if len(self.captures) <= self.failures:
            raise Error(self.message)

    def wait_for_timeout(self, milliseconds):
        self.waits.append(milliseconds)


@pytest.fixture(autouse=True)
def screenshots_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setattr(testing, "SCREENSHOTS", tmp_path)


def test_a_missed_frame_is_captured_again():
    page = FlakyPage(2, "Protocol error (Page.captureScreenshot): Unable to capture screenshot")
    testing.screenshot(page, "x", full_page=False)
    assert len(page.captures) == 3
    assert page.captures[-1][1] is False
    assert page.waits == [500, 1000]


def test_a_third_miss_is_raised():
    page = FlakyPage(3, "Unable to capture screenshot")
    with pytest.raises(Error, match="Unable to capture"):
        testing.screenshot(page, "x")
    assert len(page.captures) == 3


def test_any_other_error_is_raised_at_once():
    page = FlakyPage(1, "Target page, context or browser has been closed")
    with pytest.raises(Error, match="closed"):
        testing.screenshot(page, "x")
    assert len(page.captures) == 1
    assert page.waits == []

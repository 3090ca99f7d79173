"""Debian's Chromium driven by Playwright, which cannot download its own browsers here:
where it is ($CHROMIUM, else /usr/bin/chromium) and how it starts, for the browser tests
and the browser benchmark (bench_operator_journey)."""

import os

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch_chromium(playwright):
    """A headless Chromium from a started `sync_playwright()`."""
    return playwright.chromium.launch(
        executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), headless=True, args=ARGS
    )

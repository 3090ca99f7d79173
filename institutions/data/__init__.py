"""Files the project ships for institutions: the demo's coat of arms (an original emblem,
drawn by make_demo_logo.py; not a real region's lambang).

The demo sets it through the same service as the settings page:

    update_settings(institution, by=<its administrator>, values={}, logo=demo_logo_upload())
"""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

DEMO_LOGO = Path(__file__).resolve().parent / "demo_logo.png"


def demo_logo_upload():
    """The demo's coat of arms as an uploaded file, for institutions.services.settings."""
    return SimpleUploadedFile("lambang.png", DEMO_LOGO.read_bytes(), content_type="image/png")

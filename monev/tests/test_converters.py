"""Ids in URLs and query parameters: a number past 64 bits is no row (404, or a 400 naming
the API filter), never a database error — on SQLite the driver cannot bind it."""

import pytest
from django.urls import reverse

from monev.converters import MAX_ID, IdConverter, parse_id
from monev.testing import api_client

TOO_BIG = "9" * 19  # 19 digits, past 2**63 - 1


def test_converter_bounds_ids():
    converter = IdConverter()
    assert converter.to_python(str(MAX_ID)) == MAX_ID
    with pytest.raises(ValueError):
        converter.to_python(TOO_BIG)
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert [parse_id(v) for v in (TOO_BIG, "", "-1", "1.0", "²", None)] == [None] * 6


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("cycle_detail", {"pk": 0}),
        ("portal", {"cycle_pk": 0, "agency_pk": 0}),
        ("submission_edit", {"cycle_pk": 0, "agency_pk": 0, "node_pk": 0}),
        ("evidence_download", {"pk": 0}),
    ],
)
def test_page_with_an_id_past_64_bits_is_404(client, coordinator, name, kwargs):
    client.force_login(coordinator)
    url = reverse(name, kwargs=kwargs).replace("/0/", f"/{TOO_BIG}/")
    assert client.get(url).status_code == 404


def test_api_filter_past_64_bits_is_400_naming_it(coordinator):
    response = api_client(coordinator).get(f"/api/v1/meetings/?cycle={TOO_BIG}")
    assert response.status_code == 400
    assert response.json()["errors"] == {"cycle": ["Isi dengan nomor id."]}
    assert api_client(coordinator).get(f"/api/v1/submissions/{TOO_BIG}/").status_code == 404

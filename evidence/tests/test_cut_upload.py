"""An upload cut off half-way (the connection drops): a real multipart request over a socket
to the live server, declaring more than it sends. Nothing may be left: no row, no stored file,
no temporary file."""

import socket
import time
from urllib.parse import urlsplit

from django.urls import reverse

from evidence.models import Evidence, EvidenceRevision
from evidence.tests.helpers import MB, image_bytes

BOUNDARY = "----monev-potongan"


def multipart(file_content, *, title):
    head = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="title"\r\n\r\n'
        f"{title}\r\n"
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="pindaian.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode()
    return head + file_content + f"\r\n--{BOUNDARY}--\r\n".encode()


def wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_an_upload_cut_off_half_way_leaves_nothing(
    live_server, client, agency_user, submission, settings, tmp_path
):
    upload_tmp = tmp_path / "upload-tmp"
    upload_tmp.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(upload_tmp)
    # A scan of 6 MB: over FILE_UPLOAD_MAX_MEMORY_SIZE, so it is spooled to a temporary file.
    body = multipart(image_bytes("PNG") + b"\x00" * (6 * MB), title="Pindaian SK")
    client.force_login(agency_user)
    client.get(reverse("evidence_submission", args=[submission.pk]))
    cookies = f"sessionid={client.cookies['sessionid'].value}; " + (
        f"csrftoken={client.cookies['csrftoken'].value}"
    )
    address = urlsplit(live_server.url)
    request_head = (
        f"POST {reverse('evidence_upload', args=[submission.pk])} HTTP/1.1\r\n"
        f"Host: {address.netloc}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Cookie: {cookies}\r\n"
        f"X-CSRFToken: {client.cookies['csrftoken'].value}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()

    with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
        sock.sendall(request_head + body[: len(body) // 2])
        # The server is receiving it: half a scan is in a temporary file.
        wait_for(lambda: any(upload_tmp.iterdir()))
        # The connection drops: the server reads the end of the stream where the rest should be.
        sock.shutdown(socket.SHUT_WR)
        response = b""
        while chunk := sock.recv(65536):
            response += chunk

    # The request ended as a form without a file: back to the answer's page, nothing stored.
    head = response.decode().split("\r\n")
    assert head[0] == "HTTP/1.1 302 Found"
    assert f"Location: {reverse('evidence_submission', args=[submission.pk])}" in head
    assert (Evidence.objects.count(), EvidenceRevision.objects.count()) == (0, 0)
    media = settings.MEDIA_ROOT
    assert not media.exists() or [p for p in media.rglob("*") if p.is_file()] == []
    assert list(upload_tmp.iterdir()) == []

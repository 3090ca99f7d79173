"""A real S3-protocol server for the tests of STORAGE=s3: moto's S3 server on 127.0.0.1 (one
per test process), a fresh private bucket per test, and the default storage configured
exactly as monev/settings.py configures it from the S3_* variables."""

import logging
import os
import runpy
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from moto.moto_server.threaded_moto_server import ThreadedMotoServer

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "settings.py"
REGION = "us-east-1"
KEY_ID = "monev-test"
SECRET = "monev-test-secret"
PREFIX = "monev"


@dataclass
class Bucket:
    client: object
    name: str
    prefix: str

    def object_keys(self):
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, name):
        """The bytes stored for the storage name `name` (under the prefix)."""
        key = f"{self.prefix}/{name}"
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture(scope="session")
def s3_endpoint():
    # Its request log (werkzeug) would fill every failure report.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3_storage_setting(**variables):
    """STORAGES["default"] as monev/settings.py builds it from these environment variables
    (the settings file run again, the process environment left as it was)."""
    saved = {name: os.environ.get(name) for name in variables}
    try:
        os.environ.update(variables)
        return runpy.run_path(str(SETTINGS_FILE))["STORAGES"]["default"]
    finally:
        for name, value in saved.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value


@pytest.fixture
def s3_bucket(s3_endpoint, settings, tmp_path):
    """A new empty bucket, made the default storage. MEDIA_ROOT points at an empty folder
    that the test may check stays empty (nothing written to the local disk)."""
    name = f"monev-{uuid.uuid4().hex[:16]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
    )
    client.create_bucket(Bucket=name)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage_setting(
            STORAGE="s3",
            S3_BUCKET=name,
            S3_ENDPOINT_URL=s3_endpoint,
            S3_REGION=REGION,
            S3_ACCESS_KEY_ID=KEY_ID,
            S3_SECRET_ACCESS_KEY=SECRET,
            S3_PREFIX=PREFIX,
        ),
    }
    return Bucket(client, name, PREFIX)

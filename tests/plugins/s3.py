"""A local S3-compatible server (moto's server mode) for the shared-storage tests (SYS-10).

`s3_server` starts one `moto_server` per test session on 127.0.0.1 and a free port and stops it by its PID;
`s3_files` gives a test a fresh bucket of its own and points Django's default storage at it, as
KONTORA_FILES_URL=s3://… does; its `url` is that variable's value for a `kontora` child process.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

KEY = "kontora-test-key"
SECRET = "kontora-test-secret"
REGION = "us-east-1"


@dataclass(frozen=True)
class S3Server:
    endpoint: str

    def client(self) -> Any:
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=KEY, aws_secret_access_key=SECRET,
                            region_name=REGION)


@dataclass(frozen=True)
class S3Files:
    """A bucket with a prefix, as the tests' storage."""

    server: S3Server
    bucket: str
    prefix: str

    @property
    def url(self) -> str:
        return f"s3://{KEY}:{SECRET}@{self.bucket}/{self.prefix}?endpoint_url={self.server.endpoint}&region={REGION}"

    def options(self) -> dict[str, Any]:
        return {"bucket_name": self.bucket, "location": self.prefix, "file_overwrite": False, "default_acl": None,
                "querystring_auth": True, "endpoint_url": self.server.endpoint, "region_name": REGION,
                "access_key": KEY, "secret_key": SECRET}

    def key(self, name: str) -> str:
        return f"{self.prefix}/{name}"

    def names(self) -> set[str]:
        """The stored names in the bucket under the prefix (what boto3, not Django, sees)."""
        listed = self.server.client().list_objects_v2(Bucket=self.bucket, Prefix=self.prefix + "/")
        return {item["Key"][len(self.prefix) + 1:] for item in listed.get("Contents", [])}

    def read(self, name: str) -> bytes:
        return bytes(self.server.client().get_object(Bucket=self.bucket, Key=self.key(name))["Body"].read())

    def delete(self, name: str) -> None:
        self.server.client().delete_object(Bucket=self.bucket, Key=self.key(name))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    moto = Path(sys.executable).with_name("moto_server")
    command = [str(moto)] if moto.exists() else [sys.executable, "-m", "moto.server"]
    process = subprocess.Popen([*command, "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(endpoint + "/moto-api/", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto_server did not start on port {port}") from None
                time.sleep(0.2)
        yield S3Server(endpoint)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def s3_files(s3_server: S3Server, settings: Any, tmp_path: Path) -> S3Files:
    """A fresh bucket as Django's default storage; the local files folder is only a scratch place."""
    files = S3Files(s3_server, f"kontora-{uuid.uuid4().hex[:12]}", "office")
    s3_server.client().create_bucket(Bucket=files.bucket)
    settings.FILES_DIR = tmp_path / "scratch"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage",
                                                          "OPTIONS": files.options()}}
    return files

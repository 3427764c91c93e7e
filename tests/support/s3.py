"""A real S3 endpoint on loopback (moto's server mode) and stores on it, for the storage tests.

The app speaks to it as to any S3 implementation, over HTTP with signed requests; nothing in
the app knows it is moto. One server for the whole session, one bucket, and a prefix of its
own for each store made, so tests never see each other's objects.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request

from support.servers import free_port

BUCKET = "wardapp-test"
REGION = "ap-southeast-1"
# Credentials the standard boto3 way (the environment); a fake pair the server accepts.
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "wardapp-test-key",
    "AWS_SECRET_ACCESS_KEY": "wardapp-test-secret",
    "AWS_EC2_METADATA_DISABLED": "true",
}


class S3Server:
    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            env={**os.environ, **CREDENTIALS},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        give_up = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=2)
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > give_up:
                    self.stop()
                    raise RuntimeError("the S3 server did not start") from None
                time.sleep(0.1)
        self.client().create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )

    def client(self):
        import boto3

        return boto3.session.Session().client("s3", endpoint_url=self.endpoint, region_name=REGION)

    def settings(self, prefix: str | None = None) -> dict:
        """App settings for a store of its own in the bucket."""
        return {
            "STORAGE": "s3",
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": REGION,
            "S3_PREFIX": prefix or f"t-{secrets.token_hex(6)}",
        }

    def store(self):
        from wardapp.media.s3 import connect

        s = self.settings()
        return connect(
            bucket=BUCKET, endpoint_url=self.endpoint, region=REGION, prefix=s["S3_PREFIX"]
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)

"""The shop's object-storage adapter: documents in one S3-compatible bucket, through boto3.

It writes and reads objects and says how that failed; keeping a document until storage takes it is
the business of shop/documents.py. Works against AWS S3, MinIO and moto's server alike: the endpoint,
bucket, region and keys come from the shop's settings (S3_ENDPOINT_URL, S3_BUCKET, AWS_*).
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

log = logging.getLogger(__name__)


class StorageUnavailable(Exception):
    """Storage did not do what was asked (unreachable, timed out, refused); trying later may work."""


class ObjectMissing(LookupError):
    """No object under that key."""


@dataclass(frozen=True)
class StoredObject:
    content_type: str
    size: int
    chunks: Iterator[bytes]


class DocumentStorage:
    def __init__(self, bucket: str, *, endpoint_url: str = "", region: str = "us-east-1", access_key_id: str = "",
                 secret_access_key: str = "", connect_timeout: float = 2.0, read_timeout: float = 10.0):
        self.bucket = bucket
        keys = {"aws_access_key_id": access_key_id, "aws_secret_access_key": secret_access_key} if access_key_id else {}
        self._client = boto3.session.Session().client(
            "s3", endpoint_url=endpoint_url or None, region_name=region, **keys,
            config=Config(
                connect_timeout=connect_timeout, read_timeout=read_timeout,
                # One try per call: the document outbox is the retry, so a payment never waits on backoff.
                retries={"mode": "standard", "max_attempts": 1},
                # Path-style addressing works with every S3-compatible server, whatever its host name.
                s3={"addressing_style": "path"},
            ),
        )

    def put_new(self, key: str, body: bytes, content_type: str, metadata: dict[str, str], md5: str) -> str:
        """Write the object unless the key is taken: "stored", or "already stored" when an earlier try wrote
        these very bytes (its answer was lost). Raises StorageUnavailable otherwise, also when the key
        holds something else."""
        try:
            self._client.put_object(
                Bucket=self.bucket, Key=key, Body=body, ContentType=content_type, Metadata=metadata,
                IfNoneMatch="*",  # a conditional write: never a second copy, whatever retries happen
            )
            return "stored"
        except ClientError as error:
            if _code(error) not in ("PreconditionFailed", "412"):
                raise StorageUnavailable(_describe(error)) from None
        except BotoCoreError as error:
            raise StorageUnavailable(_describe(error)) from None
        etag = self._etag(key)
        if etag != md5:
            raise StorageUnavailable(f"{key} already holds another object (etag {etag}, expected {md5})")
        return "already stored"

    def open(self, key: str) -> StoredObject:
        """The object's bytes as a stream of chunks; ObjectMissing or StorageUnavailable."""
        try:
            answer = self._client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if _code(error) in ("NoSuchKey", "404"):
                raise ObjectMissing(key) from None
            raise StorageUnavailable(_describe(error)) from None
        except BotoCoreError as error:
            raise StorageUnavailable(_describe(error)) from None
        return StoredObject(answer["ContentType"], answer["ContentLength"], answer["Body"].iter_chunks(65536))

    def _etag(self, key: str) -> str:
        try:
            return self._client.head_object(Bucket=self.bucket, Key=key)["ETag"].strip('"')
        except (ClientError, BotoCoreError) as error:
            raise StorageUnavailable(_describe(error)) from None

    def close(self) -> None:
        self._client.close()


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"

"""The suite's own view of the shop's object storage, straight to the server (never through the shop's
relay): what is stored (keys, sizes, content types, metadata, how many times each was written, who may
read it), and emptying the suite's bucket between scenarios.

The bucket is versioned so that every write leaves a trace: "stored exactly once" is one version.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from support.words import in_words

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    content_type: str
    metadata: dict[str, str]
    versions: int  # how many times it was written
    public_grants: list[str] = field(default_factory=list)  # grants to anyone beyond the owner

    def describe(self) -> str:
        meta = ", ".join(f"{k}={v}" for k, v in sorted(self.metadata.items()))
        shared = f"; shared with {in_words(self.public_grants)}" if self.public_grants else "; private"
        return (f"{self.key}: {self.size} bytes, {self.content_type}, written {self.versions} time(s), "
                f"metadata {{{meta}}}{shared}")


class StorageInspector:
    def __init__(self, endpoint_url: str, bucket: str, access_key: str, secret_key: str, region: str):
        self.bucket = bucket
        self._link = None  # see watch()
        self._emptied_at: int | None = None
        # The whole bucket's last listing, with the link's count when it began (see _versions).
        self._listed: tuple[int, list[dict]] | None = None
        # For `objects`: each object's head and access list asked side by side, not one after another.
        self._askers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="storage-inspector")
        self._s3 = boto3.session.Session().client(
            "s3", endpoint_url=endpoint_url or None, region_name=region,
            aws_access_key_id=access_key, aws_secret_access_key=secret_key,
            config=Config(connect_timeout=3, read_timeout=10, retries={"mode": "standard", "max_attempts": 2},
                          s3={"addressing_style": "path"}),
        )

    def prepare_bucket(self) -> None:
        """The suite's bucket exists, versioned, and empty."""
        try:
            self._s3.create_bucket(Bucket=self.bucket)
        except ClientError as error:
            if error.response["Error"]["Code"] not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise
        self._s3.put_bucket_versioning(Bucket=self.bucket, VersioningConfiguration={"Status": "Enabled"})
        self.empty()

    def watch(self, link) -> None:
        """The shop reaches the bucket only through `link` (a TcpRelay): while nothing crossed it since the
        bucket was last emptied, the bucket is still empty, so neither the reset nor the report needs to ask
        the storage (a listing costs milliseconds on every scenario). The link counts the storage's answers
        too: a request of the shop's counted before a listing began may be done by the storage only after
        it, and then its answer, counted after, makes the next look list again."""
        self._link, self._emptied_at = link, None

    def _untouched(self) -> bool:
        return self._link is not None and self._emptied_at == self._link.carried

    def empty(self) -> int:
        """Delete every object version and delete marker in the suite's bucket (and nothing elsewhere)."""
        if self._untouched():
            return 0
        link = self._link
        before = link.carried if link is not None else None  # read first: later traffic means look again
        doomed = [{"Key": item["Key"], "VersionId": item["VersionId"]} for item in self._versions(reuse=True)]
        for start in range(0, len(doomed), 1000):
            self._s3.delete_objects(Bucket=self.bucket, Delete={"Objects": doomed[start:start + 1000], "Quiet": True})
        if link is not None:
            self._emptied_at = before
        self._listed = None
        return len(doomed)

    def _versions(self, prefix: str = "", *, reuse: bool = False) -> list[dict]:
        """Every object version and delete marker under `prefix`, as S3 lists them, each marked "marker" or
        not. With `reuse`, the whole bucket's last listing when nothing crossed the shop's link since
        that listing began: the report lists the bucket and the reset empties it right after, and
        a listing costs milliseconds."""
        if reuse and self._listed is not None and self._link is not None and self._listed[0] == self._link.carried:
            return self._listed[1]
        began = self._link.carried if self._link is not None else None
        found = [
            {**item, "marker": marker}
            for page in self._s3.get_paginator("list_object_versions").paginate(Bucket=self.bucket, Prefix=prefix)
            for marker, items in ((False, page.get("Versions", [])), (True, page.get("DeleteMarkers", [])))
            for item in items
        ]
        self._listed = (began, found) if began is not None and not prefix else None
        return found

    def objects(self, prefix: str = "") -> list[StoredObject]:
        """Every object under `prefix` as it is now, with how often it was written."""
        versions: dict[str, int] = {}
        for item in self._versions(prefix):
            if not item["marker"]:
                versions[item["Key"]] = versions.get(item["Key"], 0) + 1
        keys = sorted(versions)
        heads = [self._askers.submit(self._head, key) for key in keys]
        grants = [self._askers.submit(self._public_grants, key) for key in keys]
        return [StoredObject(key, head["ContentLength"], head["ContentType"], head.get("Metadata", {}),
                             versions[key], granted.result())
                for key, asked, granted in zip(keys, heads, grants, strict=True) if (head := asked.result())]

    def _head(self, key: str) -> dict | None:
        try:
            return self._s3.head_object(Bucket=self.bucket, Key=key)
        except ClientError:
            return None  # deleted (its newest version is a delete marker)

    def body(self, key: str) -> bytes:
        return self._s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def _public_grants(self, key: str) -> list[str]:
        try:
            grants = self._s3.get_object_acl(Bucket=self.bucket, Key=key)["Grants"]
        except ClientError:
            return []  # deleted (its head says so too)
        return [f"{g['Grantee'].get('URI')}: {g['Permission']}" for g in grants
                if g["Grantee"].get("URI") in (ALL_USERS, AUTHENTICATED_USERS)]

    def report(self) -> str:
        """For the scenario's report: every stored object, one per line."""
        if self._untouched():
            return f"bucket {self.bucket}:\n(nothing stored: the shop did not reach the storage in this scenario)"
        stored = self.objects()
        lines = [obj.describe() for obj in stored] or ["(nothing stored)"]
        return f"bucket {self.bucket}:\n" + "\n".join(lines)

    def close(self) -> None:
        self._askers.shutdown()
        self._s3.close()

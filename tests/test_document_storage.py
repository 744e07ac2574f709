"""The shop's storage adapter against a real S3 server (moto's, as the suite runs it): a document is
written once, a retry after a lost answer is recognised, and a different object under the key is not
mistaken for it."""
import contextlib
import hashlib
import uuid

import pytest

from shop.config import ConfigError, Settings
from shop.providers.storage import DocumentStorage, ObjectMissing, StorageUnavailable
from support.servers.object_storage import start_storage


@pytest.fixture(scope="module")
def storage():
    with contextlib.ExitStack() as resources:
        access, inspector = start_storage("", f"unit-{uuid.uuid4().hex[:8]}", "key", "secret", resources)
        adapter = DocumentStorage(access.bucket, endpoint_url=access.endpoint_url, access_key_id="key",
                                  secret_access_key="secret")
        resources.callback(adapter.close)
        yield adapter, inspector


def _md5(body: bytes) -> str:
    return hashlib.md5(body).hexdigest()


def test_a_document_is_written_once_and_a_retry_finds_it_there(storage):
    adapter, inspector = storage
    body = b"<p>receipt</p>"
    assert adapter.put_new("a/receipt.html", body, "text/html", {"order-id": "a"}, _md5(body)) == "stored"
    assert adapter.put_new("a/receipt.html", body, "text/html", {"order-id": "a"}, _md5(body)) == "already stored"
    [stored] = inspector.objects("a/")
    assert (stored.versions, stored.metadata, stored.content_type) == (1, {"order-id": "a"}, "text/html")


def test_another_object_under_the_key_is_not_taken_for_the_document(storage):
    adapter, _ = storage
    adapter.put_new("b/receipt.html", b"first", "text/html", {}, _md5(b"first"))
    with pytest.raises(StorageUnavailable, match="already holds another object"):
        adapter.put_new("b/receipt.html", b"second", "text/html", {}, _md5(b"second"))


def test_a_stored_document_streams_back_and_a_missing_one_is_told_apart(storage):
    adapter, _ = storage
    adapter.put_new("c/receipt.html", b"x" * 70_000, "text/html", {}, _md5(b"x" * 70_000))
    opened = adapter.open("c/receipt.html")
    assert (opened.size, b"".join(opened.chunks)) == (70_000, b"x" * 70_000)
    with pytest.raises(ObjectMissing):
        adapter.open("nothing/here.html")


def test_unreachable_storage_is_reported_as_unavailable():
    adapter = DocumentStorage("any-bucket", endpoint_url="http://127.0.0.1:9", access_key_id="k",
                              secret_access_key="s", connect_timeout=0.5)
    with pytest.raises(StorageUnavailable):
        adapter.put_new("d/receipt.html", b"x", "text/html", {}, _md5(b"x"))


def test_the_shop_reads_its_storage_from_the_standard_variables():
    settings = Settings.from_env({"S3_ENDPOINT_URL": "http://minio:9000", "S3_BUCKET": "shop-docs",
                                  "AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "secret",
                                  "AWS_DEFAULT_REGION": "eu-west-1", "SHOP_DOCUMENT_LINK_TTL_SECONDS": "60"})
    assert (settings.s3_endpoint_url, settings.s3_bucket, settings.s3_access_key_id, settings.s3_secret_access_key,
            settings.s3_region, settings.document_link_ttl_seconds) == (
        "http://minio:9000", "shop-docs", "id", "secret", "eu-west-1", 60)


@pytest.mark.parametrize("bucket", ["Shop_Docs", "ab", "-shop", "x" * 64])
def test_a_bucket_name_storage_would_refuse_is_refused_at_start(bucket):
    with pytest.raises(ConfigError, match="S3_BUCKET must be an S3 bucket name"):
        Settings.from_env({"S3_BUCKET": bucket})


def test_a_bucket_the_shop_did_not_reach_is_not_listed_again_but_one_it_reached_is_emptied():
    """The reset and the report skip the listing only while nothing crossed the shop's link to storage."""
    from support.wires.relay import TcpRelay

    with contextlib.ExitStack() as resources:
        access, inspector = start_storage("", f"unit-{uuid.uuid4().hex[:8]}", "key", "secret", resources)
        link = TcpRelay.for_url(access.endpoint_url, 80)
        resources.callback(link.close)
        inspector.watch(link)
        shop_side = DocumentStorage(access.bucket, endpoint_url=link.url_instead_of(access.endpoint_url),
                                    access_key_id="key", secret_access_key="secret")
        resources.callback(shop_side.close)
        assert inspector.empty() == 0  # lists once: nothing known yet
        assert "the shop did not reach the storage" in inspector.report()
        shop_side.put_new("c/receipt.html", b"x", "text/html", {}, _md5(b"x"))
        assert "c/receipt.html" in inspector.report(), "after the shop's traffic the bucket is listed"
        assert inspector.empty() == 1, "what the shop stored through its link is emptied"
        assert "the shop did not reach the storage" in inspector.report()


def test_the_storage_server_ends_with_a_run_killed_outright():
    """moto's server is a child of the run: a run killed with SIGKILL (or by a closed pipe) takes it along."""
    import os
    import signal
    import subprocess
    import sys

    from support.polling import eventually

    run = subprocess.Popen([sys.executable, "-c", "from support.servers.object_storage import MotoServer; "
                            "m = MotoServer(); print(m._process.pid, flush=True); input()"],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        server = int(run.stdout.readline())
        os.kill(run.pid, signal.SIGKILL)
        run.wait(10)

        def gone() -> None:
            try:
                os.kill(server, 0)
            except ProcessLookupError:
                return
            with open(f"/proc/{server}/stat") as stat:
                assert stat.read().split()[2] == "Z", f"moto's server (pid {server}) outlived the run"

        eventually(gone, timeout=10, interval=0.1, description="moto's server to end with the run")
    finally:
        if run.poll() is None:
            run.kill()


def test_the_reset_empties_the_bucket_from_the_reports_listing_only_while_the_shop_stored_nothing_since():
    """The report lists the bucket and the reset empties it right after: one listing serves both, unless the
    shop's traffic came in between, which may have stored more."""
    from support.wires.relay import TcpRelay

    with contextlib.ExitStack() as resources:
        access, inspector = start_storage("", f"unit-{uuid.uuid4().hex[:8]}", "key", "secret", resources)
        link = TcpRelay.for_url(access.endpoint_url, 80)
        resources.callback(link.close)
        inspector.watch(link)
        listings = []
        inspector._s3.meta.events.register("before-call.s3.ListObjectVersions", lambda **_: listings.append(1))
        shop_side = DocumentStorage(access.bucket, endpoint_url=link.url_instead_of(access.endpoint_url),
                                    access_key_id="key", secret_access_key="secret")
        resources.callback(shop_side.close)

        shop_side.put_new("a/receipt.html", b"a", "text/html", {}, _md5(b"a"))
        assert "a/receipt.html" in inspector.report()
        assert (inspector.empty(), len(listings)) == (1, 1), "the report's listing served the reset"

        shop_side.put_new("b/receipt.html", b"b", "text/html", {}, _md5(b"b"))
        assert "b/receipt.html" in inspector.report()
        shop_side.put_new("c/receipt.html", b"c", "text/html", {}, _md5(b"c"))  # after the report's listing
        assert (inspector.empty(), len(listings)) == (2, 3), "the shop stored more: the reset listed again"
        assert inspector.objects() == []

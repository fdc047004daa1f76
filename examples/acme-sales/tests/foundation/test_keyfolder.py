"""The key folder picks up key files added after the start, rescanning at most once per interval,
and never loses a key it has because of a file it cannot load."""

from datetime import timedelta
from pathlib import Path

import pytest

from acme_sales.foundation import keyfolder, keystore, logger
from acme_sales.foundation.keyfolder import KeyFolder
from acme_sales.foundation.keystore import KeyNotFoundError, KeyStoreError
from tests.support import keys
from tests.support.logs import CapturedLogs

INTERVAL = timedelta(seconds=5)


class Clock:
    """Seconds that pass only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    keys.write_key(tmp_path, "first", keys.rsa_key())
    return tmp_path


def key_folder(folder: Path, clock: Clock, interval: timedelta = INTERVAL) -> KeyFolder:
    return KeyFolder(folder, log=logger.get_logger(), rescan_interval=interval, clock=clock)


def test_loads_the_folder_at_the_start(folder: Path, clock: Clock) -> None:
    keys_now = key_folder(folder, clock)
    assert keys_now.keys.kids() == ["first"]


def test_a_bad_file_at_the_start_still_stops_the_start(folder: Path, clock: Clock) -> None:
    (folder / "bad.pem").write_text("not a key")
    with pytest.raises(KeyStoreError, match=r"bad\.pem: not a PEM private key"):
        key_folder(folder, clock)


def test_a_key_written_after_the_start_is_found_by_its_kid(folder: Path, clock: Clock) -> None:
    found = key_folder(folder, clock)
    kid = keystore.generate_key(folder)
    clock.advance(INTERVAL.total_seconds())

    assert found.keys.private_key(kid).key_size == keystore.DEFAULT_RSA_BITS
    assert found.keys.public_key(kid) is found.keys.public_key(kid)
    assert found.keys.kids() == sorted(["first", kid])


def test_a_new_key_waits_for_the_interval_since_the_last_scan(folder: Path, clock: Clock) -> None:
    found = key_folder(folder, clock)  # the start counts as a scan
    kid = keystore.generate_key(folder)
    clock.advance(INTERVAL.total_seconds() - 1)

    with pytest.raises(KeyNotFoundError):
        found.keys.private_key(kid)
    clock.advance(1)
    assert found.keys.private_key(kid).key_size == keystore.DEFAULT_RSA_BITS


def test_unknown_kids_rescan_at_most_once_per_interval(
    folder: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = key_folder(folder, clock)
    scans: list[Path] = []
    key_files = keystore.key_files

    def counting_key_files(path: Path) -> dict[str, Path]:
        scans.append(path)
        return key_files(path)

    monkeypatch.setattr(keyfolder, "key_files", counting_key_files)
    clock.advance(INTERVAL.total_seconds())

    with pytest.raises(KeyNotFoundError):
        found.keys.private_key("unknown-1")
    assert len(scans) == 1
    # A flood of other unknown kids within the interval: no more scans.
    for n in range(100):
        with pytest.raises(KeyNotFoundError):
            found.keys.public_key(f"unknown-{n}")
    assert found.refresh() is False
    assert len(scans) == 1

    clock.advance(INTERVAL.total_seconds())
    with pytest.raises(KeyNotFoundError):
        found.keys.private_key("unknown-2")
    assert len(scans) == 2


def test_a_second_unknown_kid_within_the_interval_does_not_find_a_new_file(
    folder: Path, clock: Clock
) -> None:
    found = key_folder(folder, clock)
    clock.advance(INTERVAL.total_seconds())
    with pytest.raises(KeyNotFoundError):
        found.keys.private_key("not-yet")  # scans now
    kid = keystore.generate_key(folder)
    with pytest.raises(KeyNotFoundError):
        found.keys.private_key(kid)  # within the interval of that scan: none
    clock.advance(INTERVAL.total_seconds())
    assert found.keys.private_key(kid).key_size == keystore.DEFAULT_RSA_BITS


def test_refresh_lists_a_key_added_later(folder: Path, clock: Clock) -> None:
    found = key_folder(folder, clock)
    kid = keystore.generate_key(folder)
    assert found.refresh() is False  # within the interval of the start
    assert found.keys.kids() == ["first"]
    clock.advance(INTERVAL.total_seconds())
    assert found.refresh() is True
    assert found.keys.kids() == sorted(["first", kid])


def test_a_bad_file_added_later_keeps_the_old_keys_and_is_logged_once(
    folder: Path, clock: Clock
) -> None:
    logs = CapturedLogs()
    found = key_folder(folder, clock)
    bad = folder / "bad.pem"
    bad.write_text("not a key")
    keys.write_key(folder, "small", keys.rsa_key("small", bits=1024))

    for _ in range(3):
        clock.advance(INTERVAL.total_seconds())
        with pytest.raises(KeyNotFoundError):
            found.keys.private_key("bad")

    assert found.keys.kids() == ["first"]
    assert found.keys.private_key("first").key_size == 2048
    refused = logs.events("key file not loaded; loaded keys kept")
    assert sorted(line["error"] for line in refused) == [
        f"{bad}: not a PEM private key (expected PKCS#1 or PKCS#8, unencrypted)",
        f"{folder / 'small.pem'}: RSA key of 1024 bits; at least 2048 are required",
    ]
    assert all(line["level"] == "warning" for line in refused)


def test_a_bad_file_that_is_fixed_is_loaded(folder: Path, clock: Clock) -> None:
    found = key_folder(folder, clock)
    path = folder / "later.pem"
    path.write_bytes(keys.private_pem(keys.rsa_key("later"))[:100])  # a copy under way
    clock.advance(INTERVAL.total_seconds())
    assert found.refresh() is False

    path.write_bytes(keys.private_pem(keys.rsa_key("later")))  # the copy done
    clock.advance(INTERVAL.total_seconds())
    assert found.keys.public_key("later").public_numbers() == (
        keys.rsa_key("later").public_key().public_numbers()
    )


def test_no_key_material_reaches_the_log(folder: Path, clock: Clock) -> None:
    logs = CapturedLogs()
    found = key_folder(folder, clock)
    keystore.generate_key(folder)
    # A file that is almost a key: its PEM body must not be quoted in the refusal.
    pem = keys.private_pem(keys.rsa_key("leaky"))
    (folder / "broken.pem").write_bytes(pem.replace(b"-----END", b"-----NOPE"))
    clock.advance(INTERVAL.total_seconds())
    assert found.refresh() is True

    output = logs.stream.getvalue()
    body_lines = [line for line in pem.decode().splitlines() if len(line) >= 16]
    assert body_lines
    assert not [line for line in body_lines if line in output]
    assert "PRIVATE KEY" not in output
    assert logs.events("signing key added")


def test_a_removed_file_or_folder_keeps_the_loaded_keys(folder: Path, clock: Clock) -> None:
    logs = CapturedLogs()
    found = key_folder(folder, clock)
    (folder / "first.pem").unlink()
    folder.rmdir()
    for _ in range(2):
        clock.advance(INTERVAL.total_seconds())
        assert found.refresh() is False

    assert found.keys.private_key("first").key_size == 2048
    assert len(logs.events("key folder not rescanned; loaded keys kept")) == 1


def test_a_kid_is_never_a_path(
    folder: Path, clock: Clock, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    keys.write_key(elsewhere, "outside", keys.rsa_key("outside"))
    found = key_folder(folder, clock, interval=timedelta(0))
    for kid in [f"../{elsewhere.name}/outside", str(elsewhere / "outside"), "first.pem"]:
        with pytest.raises(KeyNotFoundError):
            found.keys.private_key(kid)
    assert found.keys.kids() == ["first"]


def test_the_interval_must_not_be_negative(folder: Path, clock: Clock) -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        key_folder(folder, clock, interval=timedelta(seconds=-1))

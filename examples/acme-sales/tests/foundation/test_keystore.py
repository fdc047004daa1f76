"""The key store loads RSA keys from PEM files, refuses every bad file by name, and looks kids up
only in memory."""

import os
import stat
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from acme_sales.foundation import keystore
from acme_sales.foundation.keystore import KeyNotFoundError, KeyStore, KeyStoreError
from tests.support import keys


def load_quickly(folder: Path, timeout: float = 10.0) -> BaseException | KeyStore:
    """Load in a thread, failing the test if loading blocks (reading a device or a FIFO)."""
    outcome: list[BaseException | KeyStore] = []

    def run() -> None:
        try:
            outcome.append(KeyStore.load_folder(folder))
        except BaseException as err:  # noqa: BLE001  (handed to the test to assert on)
            outcome.append(err)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout)
    assert not worker.is_alive(), "loading the key folder blocked"
    return outcome[0]


def test_loads_pkcs1_and_pkcs8_keys(tmp_path: Path) -> None:
    one, two = keys.rsa_key("one"), keys.rsa_key("two")
    keys.write_key(tmp_path, "pkcs1-key", one, fmt="pkcs1")
    keys.write_key(tmp_path, "pkcs8-key", two, fmt="pkcs8")
    assert keys.private_pem(one, "pkcs1").startswith(b"-----BEGIN RSA PRIVATE KEY-----")
    assert keys.private_pem(two, "pkcs8").startswith(b"-----BEGIN PRIVATE KEY-----")

    store = KeyStore.load_folder(tmp_path)

    assert store.kids() == ["pkcs1-key", "pkcs8-key"]
    assert store.private_key("pkcs1-key").private_numbers() == one.private_numbers()
    assert store.private_key("pkcs8-key").private_numbers() == two.private_numbers()
    assert store.public_key("pkcs1-key").public_numbers() == one.public_key().public_numbers()


def test_public_keys_are_derived_once(tmp_path: Path) -> None:
    keys.write_key(tmp_path, "k", keys.rsa_key())
    store = KeyStore.load_folder(tmp_path)
    assert store.public_key("k") is store.public_key("k")
    assert store.public_key_pem("k").encode() == keys.public_pem(keys.rsa_key())


def test_ignores_files_that_are_not_pem_keys_by_name(tmp_path: Path) -> None:
    keys.write_key(tmp_path, "k", keys.rsa_key())
    (tmp_path / "README.md").write_text("not a key")
    (tmp_path / "k.pem.bak").write_text("not a key either")
    (tmp_path / ".pem").write_text("a dot file, not a kid")
    (tmp_path / "sub").mkdir()
    assert KeyStore.load_folder(tmp_path).kids() == ["k"]


def test_follows_kubernetes_secret_symlinks(tmp_path: Path) -> None:
    # A secret volume holds `kid.pem -> ..data/kid.pem` and `..data -> ..<timestamp>/`.
    versioned = tmp_path / "..2024_01_01"
    keys.write_key(versioned, "k", keys.rsa_key())
    (tmp_path / "..data").symlink_to(versioned.name)
    (tmp_path / "k.pem").symlink_to("..data/k.pem")
    assert KeyStore.load_folder(tmp_path).kids() == ["k"]


def test_refuses_a_file_over_one_mebibyte(tmp_path: Path) -> None:
    pem = keys.private_pem(keys.rsa_key())
    padding = b"\n" * (keystore.MAX_KEY_FILE_BYTES + 1 - len(pem))
    (tmp_path / "big.pem").write_bytes(pem + padding)
    with pytest.raises(KeyStoreError, match=r"big\.pem: larger than 1048576 bytes"):
        KeyStore.load_folder(tmp_path)


@pytest.mark.skipif(not Path("/dev/urandom").exists(), reason="needs /dev/urandom")
def test_refuses_a_symlink_to_an_endless_device_without_hanging(tmp_path: Path) -> None:
    (tmp_path / "random.pem").symlink_to("/dev/urandom")
    error = load_quickly(tmp_path)
    assert isinstance(error, KeyStoreError)
    assert "random.pem: not a regular file" in str(error)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_refuses_a_fifo_without_waiting_for_a_writer(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.pem")
    error = load_quickly(tmp_path)
    assert isinstance(error, KeyStoreError)
    assert "pipe.pem: not a regular file" in str(error)


def _truncated_pem() -> bytes:
    return keys.private_pem(keys.rsa_key())[:400]


def _public_key_pem() -> bytes:
    return keys.public_pem(keys.rsa_key())


def _garbled_base64() -> bytes:
    return b"-----BEGIN PRIVATE KEY-----\nnot*base64*at*all\n-----END PRIVATE KEY-----\n"


@pytest.mark.parametrize(
    "content",
    [lambda: b"", lambda: b"hello", _truncated_pem, _public_key_pem, _garbled_base64],
    ids=["empty", "text", "truncated", "public-key", "garbled"],
)
def test_refuses_malformed_pem(tmp_path: Path, content: Callable[[], bytes]) -> None:
    data = content()
    (tmp_path / "bad.pem").write_bytes(data)
    with pytest.raises(KeyStoreError, match=r"bad\.pem: not a PEM private key") as caught:
        KeyStore.load_folder(tmp_path)
    body = [line for line in data.splitlines() if line and not line.startswith(b"-----")]
    assert not any(line.decode(errors="replace") in str(caught.value) for line in body)


def test_refuses_an_encrypted_key(tmp_path: Path) -> None:
    pem = keys.rsa_key().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"secret"),
    )
    (tmp_path / "locked.pem").write_bytes(pem)
    with pytest.raises(KeyStoreError, match=r"locked\.pem: the key is encrypted"):
        KeyStore.load_folder(tmp_path)


def test_refuses_an_ec_key(tmp_path: Path) -> None:
    keys.write_key(tmp_path, "ec", keys.ec_key())
    with pytest.raises(KeyStoreError, match=r"ec\.pem: not an RSA private key"):
        KeyStore.load_folder(tmp_path)


def test_refuses_an_rsa_key_under_2048_bits(tmp_path: Path) -> None:
    keys.write_key(tmp_path, "small", keys.rsa_key("small", bits=1024))
    with pytest.raises(KeyStoreError, match=r"small\.pem: RSA key of 1024 bits; at least 2048"):
        KeyStore.load_folder(tmp_path)


def test_one_bad_file_refuses_the_whole_folder(tmp_path: Path) -> None:
    keys.write_key(tmp_path, "good", keys.rsa_key())
    (tmp_path / "zzz.pem").write_text("junk")
    with pytest.raises(KeyStoreError, match=r"zzz\.pem"):
        KeyStore.load_folder(tmp_path)


def test_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(KeyStoreError, match=r"key folder .*absent does not exist"):
        KeyStore.load_folder(tmp_path / "absent")


def test_refuses_a_file_given_as_the_folder(tmp_path: Path) -> None:
    path = keys.write_key(tmp_path, "k", keys.rsa_key())
    with pytest.raises(KeyStoreError, match=r"is not a directory"):
        KeyStore.load_folder(path)


def test_refuses_a_folder_without_keys(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("keys go here")
    with pytest.raises(KeyStoreError, match=r"holds no \.pem key files"):
        KeyStore.load_folder(tmp_path)


def test_the_constructor_checks_keys_too() -> None:
    with pytest.raises(KeyStoreError, match=r"key 'small': RSA key of 1024 bits"):
        KeyStore({"small": keys.rsa_key("small", bits=1024)})


@pytest.mark.parametrize("kid", ["missing", ""])
def test_unknown_kid_is_key_not_found(tmp_path: Path, kid: str) -> None:
    keys.write_key(tmp_path, "k", keys.rsa_key())
    store = KeyStore.load_folder(tmp_path)
    with pytest.raises(KeyNotFoundError) as caught:
        store.private_key(kid)
    assert caught.value.kid == kid
    with pytest.raises(KeyNotFoundError):
        store.public_key(kid)
    with pytest.raises(KeyNotFoundError):
        store.public_key_pem(kid)


@pytest.mark.parametrize(
    "kid",
    [
        "../outside",
        "../../etc/passwd",
        "/etc/passwd",
        str(Path("..") / "outside"),
        "keys/../outside",
        "./k",
        "k.pem",
        "k\x00",
    ],
)
def test_kids_that_look_like_paths_never_reach_the_filesystem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kid: str
) -> None:
    folder = tmp_path / "keys"
    keys.write_key(folder, "k", keys.rsa_key())
    keys.write_key(tmp_path, "outside", keys.rsa_key("outside"))  # a real key, one level up
    store = KeyStore.load_folder(folder)

    def no_filesystem(*_: object, **__: object) -> None:
        raise AssertionError("a kid lookup touched the filesystem")

    monkeypatch.setattr(os, "open", no_filesystem)
    monkeypatch.setattr(os, "stat", no_filesystem)
    monkeypatch.setattr(Path, "open", no_filesystem)
    with pytest.raises(KeyNotFoundError):
        store.private_key(kid)
    with pytest.raises(KeyNotFoundError):
        store.public_key(kid)


def test_the_kid_shown_in_errors_is_cut_short() -> None:
    message = str(KeyNotFoundError("x" * 10_000))
    assert len(message) < 100


def test_generate_key_writes_a_private_pkcs8_key_under_a_random_kid(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    kid = keystore.generate_key(folder)

    assert uuid.UUID(kid).version == 4
    path = folder / f"{kid}.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    store = KeyStore.load_folder(folder)
    assert store.kids() == [kid]
    assert store.private_key(kid).key_size == 2048


def test_generate_key_adds_to_an_existing_folder(tmp_path: Path) -> None:
    keys.write_key(tmp_path, "old", keys.rsa_key())
    kid = keystore.generate_key(tmp_path)
    assert KeyStore.load_folder(tmp_path).kids() == sorted(["old", kid])


def test_generate_key_refuses_weak_sizes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 2048 bits"):
        keystore.generate_key(tmp_path, bits=1024)
    assert not list(tmp_path.iterdir())


def test_repr_names_kids_only(tmp_path: Path) -> None:
    keys.write_key(tmp_path, "k", keys.rsa_key())
    assert repr(KeyStore.load_folder(tmp_path)) == "KeyStore(kids=['k'])"


def test_add_checks_the_key_and_never_replaces_one() -> None:
    store = KeyStore({"k": keys.rsa_key()})
    store.add("new", keys.rsa_key("new"))
    assert store.kids() == ["k", "new"]
    assert store.public_key("new").public_numbers() == (
        keys.rsa_key("new").public_key().public_numbers()
    )
    with pytest.raises(KeyStoreError, match="'k' is already loaded"):
        store.add("k", keys.rsa_key("other"))
    assert store.private_key("k").private_numbers() == keys.rsa_key().private_numbers()
    with pytest.raises(KeyStoreError, match=r"key 'small': RSA key of 1024 bits"):
        store.add("small", keys.rsa_key("small", bits=1024))
    assert store.kids() == ["k", "new"]


def test_a_miss_asks_the_hook_and_looks_again_only_if_keys_were_added() -> None:
    calls: list[None] = []
    store: KeyStore

    def on_miss() -> bool:
        calls.append(None)
        if len(calls) == 1:
            return False
        store.add("late", keys.rsa_key("late"))
        return True

    store = KeyStore({"k": keys.rsa_key()}, on_miss=on_miss)
    assert store.private_key("k") is keys.rsa_key()
    assert calls == []  # a kid it has: no hook
    with pytest.raises(KeyNotFoundError):
        store.public_key("late")
    assert store.public_key("late").public_numbers() == (
        keys.rsa_key("late").public_key().public_numbers()
    )
    assert len(calls) == 2

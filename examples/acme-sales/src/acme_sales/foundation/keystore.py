"""RSA signing keys loaded from a folder of PEM files, each addressed by its key id (kid).

Each `<kid>.pem` file in the folder holds one unencrypted RSA private key, PKCS#1
(`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE KEY`); files with other names are ignored.
Every file is checked at load time, so a bad key stops a service when it starts rather than
when a token is first signed. Keys are looked up in a dict built then: a kid that arrives in a
token header (`../x`, `/etc/passwd`) is only ever a dict key, never a path. Keys can be added
later (`add`), each checked the same way; a store given an `on_miss` hook calls it when a kid is
not found, and looks again if it reports keys added (see keyfolder.KeyFolder: the hook never sees
the kid, so it cannot be turned into a path there either).

Nothing here logs, and no error message carries key material.
"""

import os
import stat
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PEM_SUFFIX = ".pem"
MAX_KEY_FILE_BYTES = 1024 * 1024  # a 16384-bit PEM key is ~13 KiB: anything near this is wrong
MIN_RSA_BITS = 2048
DEFAULT_RSA_BITS = 2048

# Shown in errors instead of repr(kid): a kid may come from a request, so it is cut short.
_MAX_KID_SHOWN = 64


class KeyStoreError(Exception):
    """A key folder or key file that cannot be used."""


class KeyNotFoundError(KeyStoreError, LookupError):
    """No key has the requested kid."""

    def __init__(self, kid: str) -> None:
        self.kid = kid
        super().__init__(f"no key with id {_shown(kid)!r}")


class KeyStore:
    """RSA private keys by kid, with their public halves derived once."""

    def __init__(
        self,
        keys: Mapping[str, rsa.RSAPrivateKey],
        *,
        on_miss: Callable[[], bool] | None = None,
    ) -> None:
        """`on_miss`: called when a kid is not found; True means keys were added, look again."""
        for kid, key in keys.items():
            _check_rsa(key, source=f"key {kid!r}")
        self._private = dict(keys)
        self._public = {kid: key.public_key() for kid, key in self._private.items()}
        self._on_miss = on_miss

    @classmethod
    def load_folder(cls, folder: Path, *, on_miss: Callable[[], bool] | None = None) -> "KeyStore":
        """Every `*.pem` key in `folder`; raises KeyStoreError naming the first bad file."""
        keys = {kid: read_private_key(path) for kid, path in key_files(folder).items()}
        if not keys:
            raise KeyStoreError(f"key folder {folder} holds no {PEM_SUFFIX} key files")
        return cls(keys, on_miss=on_miss)

    def kids(self) -> list[str]:
        """The key ids, sorted."""
        return sorted(self._private)

    def add(self, kid: str, key: rsa.RSAPrivateKey) -> None:
        """Add a key under a new kid (KeyStoreError if the key is unfit or the kid is taken).

        Keys are only ever added: a kid, once loaded, keeps its key for the store's life.
        """
        _check_rsa(key, source=f"key {kid!r}")
        if kid in self._private:
            raise KeyStoreError(f"key {_shown(kid)!r} is already loaded")
        # New dicts swapped in, public half first: a lookup running meanwhile (another thread)
        # sees the old set or the new one, never a private key without its public half.
        self._public = {**self._public, kid: key.public_key()}
        self._private = {**self._private, kid: key}

    def private_key(self, kid: str) -> rsa.RSAPrivateKey:
        key = self._private.get(kid)
        if key is None and self._on_miss is not None and self._on_miss():
            key = self._private.get(kid)
        if key is None:
            raise KeyNotFoundError(kid)
        return key

    def public_key(self, kid: str) -> rsa.RSAPublicKey:
        key = self._public.get(kid)
        if key is None and self._on_miss is not None and self._on_miss():
            key = self._public.get(kid)
        if key is None:
            raise KeyNotFoundError(kid)
        return key

    def public_key_pem(self, kid: str) -> str:
        """The public key of `kid` as a PEM SubjectPublicKeyInfo, fit to hand to verifiers."""
        return (
            self.public_key(kid)
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode("ascii")
        )

    def __repr__(self) -> str:
        return f"KeyStore(kids={self.kids()!r})"


def key_files(folder: Path) -> dict[str, Path]:
    """The `*.pem` files of `folder` by kid, in kid order; KeyStoreError if it cannot be listed.

    Only names are looked at: nothing is opened, so a bad file shows when it is read.
    """
    if not folder.is_dir():
        raise KeyStoreError(f"key folder {folder} does not exist or is not a directory")
    try:
        paths = sorted(folder.iterdir())
    except OSError as err:
        raise KeyStoreError(f"key folder {folder}: cannot list: {err.strerror}") from None
    # Kubernetes mounts secrets as symlinks (`kid.pem -> ..data/kid.pem`) beside `..data`
    # folders: symlinks are followed, and only `*.pem` names are keys.
    return {
        path.name.removesuffix(PEM_SUFFIX): path
        for path in paths
        if path.name.endswith(PEM_SUFFIX) and path.name != PEM_SUFFIX
    }


def read_private_key(path: Path) -> rsa.RSAPrivateKey:
    """The RSA private key in the PEM file at `path`; raises KeyStoreError naming the file."""
    data = _read_bounded(path, MAX_KEY_FILE_BYTES)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise KeyStoreError(f"{path}: the key is encrypted; store it unencrypted") from None
    except (ValueError, UnsupportedAlgorithm):
        # The library's message says nothing more useful, and never quotes the data.
        raise KeyStoreError(
            f"{path}: not a PEM private key (expected PKCS#1 or PKCS#8, unencrypted)"
        ) from None
    return _check_rsa(key, source=str(path))


def generate_key(folder: Path, *, bits: int = DEFAULT_RSA_BITS) -> str:
    """Write a new RSA key as `<folder>/<uuid4>.pem` (PKCS#8, mode 0600); return its kid."""
    if bits < MIN_RSA_BITS:
        raise ValueError(f"RSA keys must have at least {MIN_RSA_BITS} bits, not {bits}")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    kid = str(uuid.uuid4())
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # Created 0600 from the start (O_EXCL: never over an existing file), so no other user can
    # read it even for a moment; fchmod because the umask may have removed bits but never adds.
    fd = os.open(folder / f"{kid}{PEM_SUFFIX}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write(pem)
    return kid


def _read_bounded(path: Path, limit: int) -> bytes:
    # O_NONBLOCK: opening a FIFO must not wait for a writer. Devices (a symlink to /dev/urandom)
    # are refused before reading; a regular file is read to at most limit + 1 bytes, so a file
    # that grows while it is read still cannot make us read more.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        raise KeyStoreError(f"{path}: cannot open: {err.strerror}") from None
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise KeyStoreError(f"{path}: not a regular file")
        data = file.read(limit + 1)
    if len(data) > limit:
        raise KeyStoreError(f"{path}: larger than {limit} bytes; not a key file")
    return data


def _shown(kid: str) -> str:
    return kid if len(kid) <= _MAX_KID_SHOWN else kid[:_MAX_KID_SHOWN] + "..."


def _check_rsa(key: object, *, source: str) -> rsa.RSAPrivateKey:
    if not isinstance(key, rsa.RSAPrivateKey):
        kind = type(key).__name__.removeprefix("_")
        raise KeyStoreError(f"{source}: not an RSA private key ({kind}); tokens are signed RS256")
    if key.key_size < MIN_RSA_BITS:
        raise KeyStoreError(
            f"{source}: RSA key of {key.key_size} bits; at least {MIN_RSA_BITS} are required"
        )
    return key

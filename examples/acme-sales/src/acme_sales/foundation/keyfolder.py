"""A key store that follows its folder: key files added after the start are used without a restart.

At the start the folder is read whole, as KeyStore.load_folder reads it, so a bad file still stops
the service. Later, when a kid is asked for that is not loaded (a token request for a new key,
a token naming one) or when `refresh` is called (the JWKS listing), the folder is scanned again for
`*.pem` files not yet loaded, at most once per `rescan_interval` in a process: a flood of requests
naming unknown kids costs one directory listing per interval, not one each. The kid asked for
never reaches the scan (the store's hook takes no argument): a scan reads the folder's listing,
and the names it finds become kids, as at the start.

A scan only ever adds keys. A key once loaded stays until the process ends, whatever becomes of its
file, so a half-copied or broken file never takes a working key away; retiring a key is a
restart. A file that does not load is logged once, by name and reason (KeyStoreError messages
never carry key material), and read again only once it changes (inode, size or mtime), such as
when the copy that was under way completes.
"""

import os
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Final

from acme_sales.foundation.keystore import (
    KeyStore,
    KeyStoreError,
    key_files,
    read_private_key,
)
from acme_sales.foundation.logger import Logger

DEFAULT_RESCAN_INTERVAL: Final = timedelta(seconds=5)

# What identifies a version of a file: (inode, size, mtime in ns), or None if it cannot be stat'ed.
_FileVersion = tuple[int, int, int] | None


class KeyFolder:
    """The keys of a folder in a KeyStore (`keys`), rescanned for new files when a kid is missed."""

    def __init__(
        self,
        folder: Path,
        *,
        log: Logger,
        rescan_interval: timedelta = DEFAULT_RESCAN_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Load every key in `folder` (KeyStoreError naming the first bad file, as at any start).

        `clock` gives seconds (monotonic); the load counts as the first scan.
        """
        if rescan_interval < timedelta(0):
            raise ValueError("the rescan interval must not be negative")
        self.folder = folder
        self._log = log
        self._interval = rescan_interval.total_seconds()
        self._clock = clock
        self._lock = threading.Lock()
        self._failed: dict[str, _FileVersion] = {}  # kid -> the version of its file that failed
        self._folder_error: str | None = None
        self.keys = KeyStore.load_folder(folder, on_miss=self.refresh)
        self._last_scan = clock()

    def refresh(self) -> bool:
        """Scan the folder for new key files, unless the last scan was under the interval ago.

        True when keys were added. Never raises: what cannot be read is logged and skipped.
        """
        with self._lock:
            now = self._clock()
            if now - self._last_scan < self._interval:
                return False
            self._last_scan = now
            return self._scan()

    def _scan(self) -> bool:
        try:
            files = key_files(self.folder)
        except KeyStoreError as err:
            if str(err) != self._folder_error:
                self._folder_error = str(err)
                self._log.warning("key folder not rescanned; loaded keys kept", error=str(err))
            return False
        self._folder_error = None
        loaded = set(self.keys.kids())
        added = False
        for kid, path in files.items():
            if kid in loaded:
                continue
            version = _version(path)
            if kid in self._failed and self._failed[kid] == version:
                continue  # the same file that failed before: already logged
            try:
                self.keys.add(kid, read_private_key(path))
            except KeyStoreError as err:
                self._failed[kid] = version
                self._log.warning("key file not loaded; loaded keys kept", error=str(err))
                continue
            self._failed.pop(kid, None)
            added = True
            self._log.info("signing key added", kid=kid)
        return added

    def __repr__(self) -> str:
        return f"KeyFolder({str(self.folder)!r}, kids={self.keys.kids()!r})"


def _version(path: Path) -> _FileVersion:
    try:
        info = os.stat(path)  # follows symlinks: Kubernetes swaps the target, not the link
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)

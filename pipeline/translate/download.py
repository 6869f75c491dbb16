"""A URL in, its bytes streamed into a file out: http, https or file only, within a size cap and a deadline.

Indexes and packages come from servers newsalign does not control, so every transfer is bounded while
it streams: by a size cap (a Content-Length over it is refused before the body is read), by a read
timeout (no byte at all), by a minimum rate over each window (a server dripping a byte every few
seconds), and by a total deadline. urllib's own timeout is per read, so none of these come from it.
A transfer that breaks off is a network failure (NetworkError, exit 1, naming the URL); content that
is too large or not what the index promised is a bad package (ModelError, exit 2).
"""

from __future__ import annotations

import hashlib
import http.client
import stat
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from pipeline.errors import ModelError, NetworkError, shown

SCHEMES = ("http", "https", "file")
Progress = Callable[[int, "int | None"], None]  # bytes done, bytes in all (None when unknown)
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    """How far one transfer may go."""

    max_bytes: int
    deadline: float  # seconds for the whole transfer
    read_timeout: float = 30.0  # seconds without any byte
    window: float = 30.0  # seconds over which at least `window_bytes` must arrive
    window_bytes: int = 4096


# An Argos index is ~30 KB; packages are 30-400 MB (a 400 MB package at 0.5 MB/s takes 14 minutes).
INDEX_LIMITS = Limits(max_bytes=8 * 2**20, deadline=120.0)
PACKAGE_LIMITS = Limits(max_bytes=2 * 2**30, deadline=3600.0)


def check_url(url: str) -> str:
    """The URL's scheme when newsalign may follow it, else ModelError naming the URL."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in SCHEMES:
        raise ModelError(f"{shown(url)}: not an http, https or file URL")
    return scheme


def fetch(
    url: str, sink: BinaryIO, limits: Limits, progress: Progress | None = None, sha256: str | None = None
) -> int:
    """Stream `url` into `sink`; the byte count. With `sha256`, the bytes must have that digest."""
    digest = hashlib.sha256()
    counted = _Counted(sink, digest, limits, url, progress)
    if check_url(url) == "file":
        _copy_file(url, counted, limits)
    else:
        _copy_http(url, counted, limits)
    if sha256 is not None and digest.hexdigest() != sha256.lower():
        raise ModelError(
            f"{shown(url)}: checksum mismatch (sha256 {digest.hexdigest()}, the index says {sha256.lower()})"
        )
    return counted.done


class _Readable(Protocol):
    def read1(self, size: int = ..., /) -> bytes: ...


class _Counted:
    """The sink, fed chunk by chunk, with the caps and the clock checked at every chunk."""

    def __init__(self, sink: BinaryIO, digest, limits: Limits, url: str, progress: Progress | None) -> None:
        self.sink, self.digest, self.limits, self.url, self.progress = sink, digest, limits, url, progress
        self.done = 0
        self.total: int | None = None
        self.started = self.window_start = time.monotonic()
        self.window_done = 0

    def expect(self, total: int | None) -> None:
        """The size the source announces: over the cap, refused before the first byte."""
        if total is not None and total > self.limits.max_bytes:
            raise ModelError(
                f"{shown(self.url)}: {_size(total)}, over the limit of {_size(self.limits.max_bytes)}"
            )
        self.total = total

    def drain(self, source: _Readable) -> None:
        while chunk := source.read1(_CHUNK):
            self.add(chunk)
        self.clock()

    def add(self, chunk: bytes) -> None:
        self.done += len(chunk)
        if self.done > self.limits.max_bytes:
            raise ModelError(f"{shown(self.url)}: larger than the limit of {_size(self.limits.max_bytes)}")
        self.sink.write(chunk)
        self.digest.update(chunk)
        self.window_done += len(chunk)
        self.clock()
        if self.progress is not None:
            self.progress(self.done, self.total)

    def clock(self) -> None:
        now = time.monotonic()
        if now - self.started > self.limits.deadline:
            raise NetworkError(
                f"{shown(self.url)}: download not done after {self.limits.deadline:g} s "
                f"({_size(self.done)} received)"
            )
        if now - self.window_start >= self.limits.window:
            if self.window_done < self.limits.window_bytes:
                raise NetworkError(
                    f"{shown(self.url)}: too slow ({self.window_done} bytes in {self.limits.window:g} s)"
                )
            self.window_start, self.window_done = now, 0


def _copy_file(url: str, counted: _Counted, limits: Limits) -> None:
    """A file: URL, read only when it names a regular file (a pipe or /dev/zero would never end)."""
    parts = urllib.parse.urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise ModelError(f"{shown(url)}: a file URL must name a local file")
    path = Path(urllib.request.url2pathname(parts.path))
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ModelError(f"{shown(url)}: not a regular file")
        counted.expect(info.st_size)
        with path.open("rb") as source:
            counted.drain(source)
    except FileNotFoundError:
        raise NetworkError(f"{shown(url)}: no such file") from None
    except OSError as error:
        raise NetworkError(f"{shown(url)}: cannot be read ({error.strerror or error})") from None


def _copy_http(url: str, counted: _Counted, limits: Limits) -> None:
    try:
        with _OPENER.open(_request(url), timeout=limits.read_timeout) as response:
            counted.expect(_length(response))
            counted.drain(response)
            if counted.total is not None and counted.done < counted.total:
                raise NetworkError(
                    f"{shown(url)}: the connection closed after {counted.done} of {counted.total} bytes"
                )
    except urllib.error.HTTPError as error:
        raise NetworkError(f"{shown(url)}: HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise NetworkError(f"{shown(url)}: {_reason(error.reason)}") from None
    except TimeoutError:
        raise NetworkError(f"{shown(url)}: no data for {limits.read_timeout:g} s") from None
    except (http.client.HTTPException, OSError) as error:
        raise NetworkError(f"{shown(url)}: {_reason(error)}") from None


def _length(response) -> int | None:
    value = response.headers.get("Content-Length", "")
    return int(value) if value.strip().isdigit() else None


class _HttpRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects only to http or https (urllib would also follow one to ftp)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, f"redirect to {newurl!r} refused", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpRedirects)


def _request(url: str) -> urllib.request.Request:
    return urllib.request.Request(url, headers={"User-Agent": "newsalign (ArgosTranslate index client)"})


def _reason(reason: object) -> str:
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    text = str(reason).strip() or type(reason).__name__
    return text.splitlines()[0]


def _size(count: int) -> str:
    return f"{count / 2**20:,.1f} MiB" if count >= 2**20 else f"{count:,} bytes"

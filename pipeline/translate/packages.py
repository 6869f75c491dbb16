"""Argos package files or the Argos index in, installed translation packages (and a listing of them) out."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.errors import ModelError

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
VOCABULARIES = (
    ("shared_vocabulary.json",),
    ("shared_vocabulary.txt",),
    ("source_vocabulary.json", "target_vocabulary.json"),
    ("source_vocabulary.txt", "target_vocabulary.txt"),
)
Progress = Callable[[int, "int | None"], None]  # bytes done, bytes in all (None when unknown)


@dataclass(frozen=True)
class Package:
    """An installed Argos translation package."""

    path: Path
    from_code: str
    to_code: str
    version: str
    size: int  # bytes on disk
    kind: str = "translate"
    target_prefix: str = ""

    @property
    def name(self) -> str:
        """The argospm name with its version, e.g. "translate-bg_en-1_9"."""
        return f"{self.kind}-{self.from_code}_{self.to_code}-{self.version.replace('.', '_')}"


@dataclass(frozen=True)
class Metadata:
    from_code: str
    to_code: str
    version: str
    kind: str
    target_prefix: str


def packages_dir() -> Path:
    """ARGOS_PACKAGES_DIR when set, else models/ of the checkout (or ~/.local/share/newsalign/models)."""
    configured = os.environ.get("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured).expanduser()
    repo = Path(__file__).resolve().parents[2]
    if (repo / "pyproject.toml").exists():
        return repo / "models"
    return Path.home() / ".local" / "share" / "newsalign" / "models"


def installed(folder: Path | None = None) -> list[Package]:
    """Every installed package, sorted by pair and version; broken folders are skipped."""
    folder = packages_dir() if folder is None else folder
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.is_dir() and not path.name.startswith(".") and (path / "metadata.json").is_file():
            try:
                found.append(_package(path))
            except ModelError:
                continue
    return sorted(found, key=lambda p: (p.from_code, p.to_code, _version_key(p.version), p.path.name))


def find(source_lang: str, target_lang: str, folder: Path | None = None) -> Package:
    """The newest installed translate package for the pair, or ModelError saying what is there."""
    candidates = [
        p
        for p in installed(folder)
        if p.kind == "translate" and (p.from_code, p.to_code) == (source_lang, target_lang)
    ]
    if candidates:
        return candidates[-1]
    where = packages_dir() if folder is None else folder
    return _missing(source_lang, target_lang, where)


def _missing(source_lang: str, target_lang: str, where: Path) -> Package:
    others = ", ".join(f"{p.from_code}->{p.to_code}" for p in installed(where)) or "none"
    raise ModelError(
        f"no Argos package for {source_lang}->{target_lang} in {where} (installed: {others}); "
        f"run `newsalign models install {source_lang} {target_lang}`"
    )


def _package(path: Path) -> Package:
    meta = read_metadata(path / "metadata.json")
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return Package(path, meta.from_code, meta.to_code, meta.version, size, meta.kind, meta.target_prefix)


def read_metadata(path: Path, text: bytes | None = None) -> Metadata:
    """metadata.json parsed and checked; `text` when it comes from an archive instead of `path`."""
    try:
        data = json.loads(path.read_bytes() if text is None else text)
    except (OSError, ValueError) as error:
        raise ModelError(f"{path}: metadata.json is not readable JSON ({error})") from None
    if not isinstance(data, dict):
        raise ModelError(f"{path}: metadata.json is not a JSON object")
    from_code, to_code = data.get("from_code"), data.get("to_code")
    if not (isinstance(from_code, str) and from_code and isinstance(to_code, str) and to_code):
        raise ModelError(f"{path}: metadata.json lacks from_code/to_code")
    return Metadata(
        from_code=from_code,
        to_code=to_code,
        version=str(data.get("package_version") or "0"),
        kind=str(data.get("type") or "translate"),
        target_prefix=str(data.get("target_prefix") or ""),
    )


def _version_key(version: str) -> tuple:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version), "")
    except InvalidVersion:
        return (0, Version("0"), version)


# --- installing a file -------------------------------------------------------------------------


def install_file(archive: Path, folder: Path | None = None) -> Package:
    """Check an .argosmodel file and install it; a broken file raises ModelError and leaves nothing behind."""
    folder = packages_dir() if folder is None else folder
    top, meta = check_archive(archive)
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".newsalign-install-", dir=_staging_parent(folder)))
    try:
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(staging)
        _check_loads(staging / top, archive)
        return _move_into_place(staging / top, folder / top)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def check_archive(archive: Path) -> tuple[str, Metadata]:
    """The package's top folder and metadata, or ModelError with a one-line reason."""
    if not archive.is_file():
        raise ModelError(f"{archive}: no such file")
    if not zipfile.is_zipfile(archive):
        raise ModelError(f"{archive}: not an Argos package (not a zip archive)")
    try:
        with zipfile.ZipFile(archive) as zipped:
            names = [n for n in zipped.namelist() if not n.endswith("/")]
            top = _single_top(archive, names)
            _require_members(archive, top, set(names))
            broken = zipped.testzip()
            if broken is not None:
                raise ModelError(f"{archive}: corrupt member {broken}")
            meta = read_metadata(archive, zipped.read(f"{top}/metadata.json"))
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ModelError(f"{archive}: damaged zip archive ({error})") from None
    if meta.kind != "translate":
        raise ModelError(f"{archive}: a {meta.kind!r} package, not a translation package")
    return top, meta


def _single_top(archive: Path, names: list[str]) -> str:
    if not names:
        raise ModelError(f"{archive}: empty archive")
    tops = set()
    for name in names:
        parts = PurePosixPath(name).parts
        if name.startswith("/") or ".." in parts or "\\" in name or len(parts) < 2:
            raise ModelError(f"{archive}: unexpected path {name!r} (files must sit in one package folder)")
        tops.add(parts[0])
    if len(tops) != 1:
        raise ModelError(
            f"{archive}: {len(tops)} top-level folders ({', '.join(sorted(tops))}); expected one"
        )
    return tops.pop()


def _require_members(archive: Path, top: str, names: set[str]) -> None:
    for required in ("metadata.json", "model/model.bin", "sentencepiece.model"):
        if f"{top}/{required}" not in names:
            raise ModelError(f"{archive}: missing {top}/{required}")
    if not any(all(f"{top}/model/{v}" in names for v in group) for group in VOCABULARIES):
        raise ModelError(
            f"{archive}: missing the model vocabulary ({top}/model/shared_vocabulary.json or .txt)"
        )


def _check_loads(path: Path, archive: Path) -> None:
    """SentencePiece and CTranslate2 must load what we are about to install."""
    import ctranslate2
    import sentencepiece

    try:
        sentencepiece.SentencePieceProcessor(model_file=str(path / "sentencepiece.model"))
    except (OSError, RuntimeError) as error:
        raise ModelError(f"{archive}: sentencepiece.model does not load ({first_line(error)})") from None
    try:
        ctranslate2.Translator(str(path / "model"), device="cpu", intra_threads=1)
    except Exception as error:
        # CTranslate2 raises RuntimeError, ValueError, IndexError... on a bad model.bin
        raise ModelError(f"{archive}: model/ does not load in CTranslate2 ({first_line(error)})") from None


def first_line(error: Exception) -> str:
    """The first line of an error's message (library errors can be long), for one-line reports."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _staging_parent(folder: Path) -> Path:
    """Next to the packages folder (same file system, so the final rename is atomic; argostranslate
    lists every sub-folder of the packages folder, so a half-extracted one must never sit there)."""
    parent = folder.resolve().parent
    return parent if os.access(parent, os.W_OK) else Path(tempfile.gettempdir())


def _move_into_place(source: Path, destination: Path) -> Package:
    old = destination.with_name(f".{destination.name}.old-{os.getpid()}")
    if destination.exists():
        destination.rename(old)
    try:
        shutil.move(str(source), str(destination))
    except OSError as error:
        if old.exists():
            old.rename(destination)
        raise ModelError(f"{destination}: cannot install ({error})") from None
    shutil.rmtree(old, ignore_errors=True)
    return _package(destination)


# --- installing from the Argos index ---------------------------------------------------------


def install_from_index(
    source_lang: str,
    target_lang: str,
    *,
    index_url: str | None = None,
    progress: Progress | None = None,
    folder: Path | None = None,
) -> Package:
    """Download the newest package for the pair from the Argos index, check it, install it."""
    url = index_url or index_location()
    links = _links(_fetch_index(url), source_lang, target_lang, url)
    with tempfile.TemporaryDirectory(prefix="newsalign-download-") as tmp:
        archive = Path(tmp) / f"translate-{source_lang}_{target_lang}.argosmodel"
        _download(links, archive, progress)
        return install_file(archive, folder)


def index_location() -> str:
    """The index URL: argostranslate's ARGOS_PACKAGE_INDEX (a base URL) if set, else Argos's public index."""
    base = os.environ.get("ARGOS_PACKAGE_INDEX")
    if not base:
        return DEFAULT_INDEX
    return base if base.endswith(".json") else base.rstrip("/") + "/index.json"


def _fetch_index(url: str) -> list:
    try:
        with urllib.request.urlopen(_request(url), timeout=30) as response:
            index = json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise ModelError(
            f"cannot read the Argos package index {url} ({_reason(error)}); offline? "
            "install a downloaded file with `newsalign models install --file PATH.argosmodel`"
        ) from None
    if not isinstance(index, list):
        raise ModelError(f"{url}: not an Argos package index (expected a JSON list)")
    return index


def _links(index: list, source_lang: str, target_lang: str, url: str) -> list[str]:
    """Download links of the newest index entry for the pair (entries parsed by argostranslate)."""
    from argostranslate.package import AvailablePackage

    entries = [AvailablePackage(e) for e in index if isinstance(e, dict)]
    matching = [
        e
        for e in entries
        if (e.from_code, e.to_code) == (source_lang, target_lang) and e.type == "translate" and e.links
    ]
    if not matching:
        pairs = sorted({f"{e.from_code}->{e.to_code}" for e in entries if e.from_code == source_lang})
        raise ModelError(
            f"the Argos index {url} has no package for {source_lang}->{target_lang}"
            + (f" (from {source_lang}: {', '.join(pairs)})" if pairs else "")
        )
    newest = max(matching, key=lambda e: _version_key(str(e.package_version)))
    return list(newest.links)


def _download(links: list[str], out: Path, progress: Progress | None) -> None:
    reasons = []
    for link in links:
        try:
            _download_one(link, out, progress)
            return
        except (urllib.error.URLError, OSError) as error:
            reasons.append(f"{link}: {_reason(error)}")
    raise ModelError(f"download failed ({'; '.join(reasons)})")


def _download_one(link: str, out: Path, progress: Progress | None) -> None:
    with urllib.request.urlopen(_request(link), timeout=60) as response, out.open("wb") as sink:
        total = response.headers.get("Content-Length")
        total = int(total) if total and total.isdigit() else None
        done = 0
        while chunk := response.read(1 << 16):
            sink.write(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)


def _request(url: str) -> urllib.request.Request:
    return urllib.request.Request(url, headers={"User-Agent": "newsalign (ArgosTranslate index client)"})


def _reason(error: Exception) -> str:
    reason = getattr(error, "reason", None) or error
    return first_line(reason if isinstance(reason, Exception) else Exception(str(reason)))

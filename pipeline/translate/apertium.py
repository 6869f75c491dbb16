"""Sentences in, a rough rule-based translation out: the system's Apertium, direct or via a pivot language.

Bulgarian has no Apertium pair into English, so bg->en runs
`apertium bul-mkd | apertium mkd-eng`. One sentence goes in per line; words
Apertium does not know are kept (without its * # @ marks) and transliterated
to Latin letters, so names like "Аблязов" still match "Ablyazov".
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ModelError, TranslationError
from pipeline.script import CYRILLIC_WORD, to_latin

# ISO 639-1 -> Apertium's ISO 639-3 codes, for languages Apertium has pairs for.
# fmt: off
CODES = {
    "af": "afr", "an": "arg", "ar": "ara", "ast": "ast", "be": "bel", "bg": "bul", "br": "bre", "ca": "cat",
    "cy": "cym", "da": "dan", "de": "deu", "el": "ell", "en": "eng", "eo": "epo", "es": "spa", "eu": "eus",
    "fr": "fra", "ga": "gle", "gl": "glg", "hi": "hin", "id": "ind", "is": "isl", "it": "ita", "kk": "kaz",
    "mk": "mkd", "ms": "msa", "mt": "mlt", "nb": "nob", "nl": "nld", "nn": "nno", "oc": "oci", "pl": "pol",
    "pt": "por", "ro": "ron", "ru": "rus", "sc": "srd", "sh": "hbs", "sl": "slv", "sq": "sqi", "sv": "swe",
    "tr": "tur", "uk": "ukr", "ur": "urd",
}
# fmt: on
TIMEOUT = 600  # seconds for one article
MODES = Path("/usr/share/apertium/modes")
DPKG_STATUS = Path("/var/lib/dpkg/status")
MARKED_WORD = re.compile(r"(?<!\S)[*#@]+(?=\S)")


@dataclass(frozen=True)
class ApertiumTranslator:
    """A chain of installed Apertium modes, e.g. ("bul-mkd", "mkd-eng")."""

    modes: tuple[str, ...]
    source_lang: str
    name: str

    @classmethod
    def load(cls, source_lang: str, target_lang: str) -> ApertiumTranslator:
        """The direct pair if installed, else a pivot via one language; ModelError (one line) otherwise."""
        if shutil.which("apertium") is None:
            raise ModelError(
                "the apertium program is not installed "
                "(Debian: apt-get install apertium apertium-mkd-bul apertium-mkd-eng)"
            )
        source, target = _code(source_lang), _code(target_lang)
        listing = _listing()
        modes = route(source, target, set(listing["modes"]))
        if modes is None:
            raise ModelError(f"Apertium has no installed pair or pivot for {source}->{target}")
        return cls(modes=modes, source_lang=source_lang, name=_name(modes, listing["versions"]))

    @property
    def model_id(self) -> str:
        return self.name

    def translate(self, texts: Sequence[str]) -> list[str]:
        """One translation per text; empty texts stay empty."""
        lines = [" ".join(t.split()) for t in texts]
        if not any(lines):
            return ["" for _ in lines]
        text = "\n".join(lines) + "\n"
        for mode in self.modes:
            text = _run(mode, text)
        out = text.split("\n")
        if len(out) != len(lines) + 1 or out[-1].strip():
            raise TranslationError(f"{self.name}: {len(out) - 1} lines came back for {len(lines)} sentences")
        return [self._clean(o) if line else "" for o, line in zip(out, lines)]

    def _clean(self, line: str) -> str:
        """Drop Apertium's marks and spell leftover Cyrillic words in Latin letters."""
        line = MARKED_WORD.sub("", line).strip()
        return CYRILLIC_WORD.sub(lambda m: to_latin(m.group(0), self.source_lang), line)


def installed_modes() -> set[str]:
    """Modes `apertium -l` lists, e.g. {"bul-mkd", "mkd-eng"}."""
    try:
        listed = subprocess.run(["apertium", "-l"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ModelError(f"apertium -l failed ({error})") from None
    return {line.strip() for line in listed.stdout.splitlines() if line.strip()}


def route(source: str, target: str, modes: set[str]) -> tuple[str, ...] | None:
    """The direct mode, else the first pivot (alphabetical) with both halves installed."""
    if f"{source}-{target}" in modes:
        return (f"{source}-{target}",)
    pivots = sorted(m.split("-", 1)[1] for m in modes if m.startswith(f"{source}-") and m.count("-") == 1)
    for pivot in pivots:
        if f"{pivot}-{target}" in modes:
            return (f"{source}-{pivot}", f"{pivot}-{target}")
    return None


def _code(lang: str) -> str:
    if len(lang) == 3:
        return lang
    if lang not in CODES:
        raise ModelError(f"no Apertium language code known for {lang!r}")
    return CODES[lang]


def _run(mode: str, text: str) -> str:
    try:
        done = subprocess.run(
            ["apertium", "-u", mode],
            input=text,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise TranslationError(f"apertium {mode} failed ({error})") from None
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        raise TranslationError(f"apertium {mode} failed ({reason})")
    return done.stdout


def _name(modes: tuple[str, ...], versions: dict[str, str | None]) -> str:
    """Provenance: the modes and, where dpkg knows them, the versions of the language data packages."""
    known = [v for v in (versions.get(m) for m in modes) if v]
    base = "apertium:" + "|".join(modes)
    return f"{base} ({', '.join(known)})" if known else base


def _listing() -> dict:
    """The installed modes and their packages' versions: `apertium -l` and dpkg-query cost 0.3 s a run, so
    they are kept in the cache folder until a package is installed or removed (the modes folder or dpkg's
    status file changes)."""
    from pipeline.translate.cache import cache_dir

    folder, key = cache_dir(), _installation_key()
    stored = folder / "apertium.json" if folder is not None else None
    if stored is not None and stored.exists():
        with contextlib.suppress(OSError, ValueError):
            kept = json.loads(stored.read_text(encoding="utf-8"))
            if kept.get("key") == key:
                return kept
    modes = sorted(installed_modes())
    listing = {"key": key, "modes": modes, "versions": {m: _package_version(m) for m in modes}}
    if stored is not None:
        with contextlib.suppress(OSError):
            stored.parent.mkdir(parents=True, exist_ok=True)
            temporary = stored.with_name(f".apertium.json.{os.getpid()}")
            temporary.write_text(json.dumps(listing), encoding="utf-8")
            temporary.replace(stored)
    return listing


def _installation_key() -> str:
    stamps = []
    for path in (MODES, DPKG_STATUS, Path(shutil.which("apertium") or "apertium")):
        try:
            stamps.append(f"{path}:{path.stat().st_mtime_ns}")
        except OSError:
            stamps.append(f"{path}:-")
    return "\n".join(stamps)


def _package_version(mode: str) -> str | None:
    if shutil.which("dpkg-query") is None:
        return None
    mode_file = MODES / f"{mode}.mode"
    try:
        owner = subprocess.run(
            ["dpkg-query", "-S", str(mode_file)], capture_output=True, text=True, timeout=10
        )
        package = owner.stdout.split(":", 1)[0].strip()
        if owner.returncode != 0 or not package:
            return None
        version = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Version}", package],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (
        f"{package} {version.stdout.strip()}" if version.returncode == 0 and version.stdout.strip() else None
    )

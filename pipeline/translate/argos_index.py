"""An Argos package index (a URL) in, the newest entry for a language pair out, checked against a schema.

The index comes from the internet, so it is untrusted input: fetched within download.INDEX_LIMITS,
parsed, and validated against schemas/argos-index.schema.json (jsonschema) before any field is read,
so a wrong type ("links": "http://...", a number for a language code) is one line naming the entry
and the field, not a crash deep inside argostranslate.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.errors import ModelError, NetworkError, first_line, shown
from pipeline.translate import download
from pipeline.translate.archive import version_key

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
SCHEMA = Path(__file__).resolve().parent / "schemas" / "argos-index.schema.json"
_JSON_TYPES = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "null",
}


@dataclass(frozen=True)
class Entry:
    """One package of the index: the pair, its version, where to get it and, if given, its digest."""

    from_code: str
    to_code: str
    version: str
    kind: str
    links: tuple[str, ...]
    sha256: str | None = None

    def usable_links(self) -> tuple[str, ...]:
        """The links newsalign follows (http, https, file); the public index also lists ipfs:// ones."""
        return tuple(link for link in self.links if _followable(link))


def index_location() -> str:
    """The index URL: argostranslate's ARGOS_PACKAGE_INDEX (a base URL) if set, else Argos's public index."""
    base = os.environ.get("ARGOS_PACKAGE_INDEX")
    if not base:
        return DEFAULT_INDEX
    return base if base.endswith(".json") else base.rstrip("/") + "/index.json"


def newest(url: str, source_lang: str, target_lang: str) -> Entry:
    """The newest translation package for the pair that has a link newsalign can follow."""
    entries = read_index(url)
    matching = [
        e
        for e in entries
        if (e.from_code, e.to_code) == (source_lang, target_lang) and e.kind == "translate" and e.links
    ]
    if not matching:
        pairs = sorted({f"{e.from_code}->{e.to_code}" for e in entries if e.from_code == source_lang})
        raise ModelError(
            f"the Argos index {shown(url)} has no package for {source_lang}->{target_lang}"
            + (f" (from {source_lang}: {', '.join(pairs)})" if pairs else "")
        )
    usable = [e for e in matching if e.usable_links()]
    if not usable:
        raise ModelError(
            f"the Argos index {shown(url)}: no http, https or file link for {source_lang}->{target_lang} "
            f"({', '.join(shown(link) for e in matching for link in e.links)})"
        )
    return max(usable, key=lambda e: version_key(e.version))


def read_index(url: str) -> list[Entry]:
    """Every entry of the index at `url`, once the whole index has passed the schema."""
    download.check_url(url)
    buffer = io.BytesIO()
    try:
        download.fetch(url, buffer, download.INDEX_LIMITS)
    except NetworkError as error:
        raise NetworkError(
            f"cannot read the Argos package index: {error}; offline? "
            "install a downloaded file with `newsalign models install --file PATH.argosmodel`"
        ) from None
    try:
        data = json.loads(buffer.getvalue())
    except (ValueError, RecursionError) as error:
        raise ModelError(
            f"{shown(url)}: not an Argos package index (not JSON: {first_line(error)})"
        ) from None
    problem = _schema_problem(data)
    if problem:
        raise ModelError(f"{shown(url)}: not a valid Argos package index ({problem})")
    return [_entry(item) for item in data]


def _entry(item: dict) -> Entry:
    return Entry(
        from_code=item["from_code"],
        to_code=item["to_code"],
        version=str(item.get("package_version") or "0"),
        kind=item.get("type") or "translate",
        links=tuple(item.get("links") or ()),
        sha256=item.get("sha256"),
    )


def _schema_problem(data: object) -> str | None:
    """What is wrong with the index, in words (the first problem jsonschema ranks best), or None."""
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(data))
    if error is None:
        return None
    path = list(error.absolute_path)
    where = "the index" if not path else f"entry {int(path[0]) + 1}"
    field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path[1:]).lstrip(".")
    where += f", {field}" if field else ""
    return f"{where}: {_explain(error)}"


def _explain(error) -> str:
    """jsonschema's message without the offending value (which may be megabytes long)."""
    if error.validator == "type":
        expected = (
            error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        )
        wanted = " or ".join(_JSON_TYPES.get(str(t), str(t)) for t in expected)
        return f"expected {wanted}, not {_JSON_TYPES.get(_json_type(error.instance), 'that')}"
    if error.validator in ("maxItems", "maxLength"):
        return f"too long (at most {error.validator_value})"
    if error.validator == "pattern":
        return f"{str(error.instance)[:40]!r} does not match {error.validator_value}"
    return first_line(error.message)[:200]


def _json_type(value: object) -> str:
    for name, kind in (
        ("null", type(None)),
        ("boolean", bool),
        ("integer", int),
        ("number", float),
        ("string", str),
        ("array", list),
        ("object", dict),
    ):
        if isinstance(value, kind):
            return name
    return "that"


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def _followable(link: str) -> bool:
    try:
        download.check_url(link)
    except ModelError:
        return False
    return True

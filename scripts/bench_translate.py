"""Seed sentences in, throughput out: our argos path vs argostranslate's translate() vs bare CTranslate2.

The model is built here at run time with transformer-base arithmetic: 6+6
layers, d=512, FFN 2048, a 32k vocabulary, saved in int8 like Argos's own
packages, with a SentencePiece model trained on the seeds. Its weights are
random (std 1e-3) except for one encoder-attention head, the embeddings and
the output projection, which copy the source (scripts/build_test_model.py
explains how; that head needs 2 heads of 256 instead of 8 of 64, the same
number of multiply-adds). Why not all random: a random model never emits
the end token, so every sentence would decode to the 256-token cap (we
measured 8 tokens/s) instead of to about its own length as real translations
do. A copying model decodes exactly len(source)+1 steps in every path, and
its output checks that all three paths really translated everything.

150 sentences come from ../shared/seeds, all five articles, deduplicated and
cycled with a running number (our path translates duplicates once, which
would flatter it). One round per path and a time limit (NEWSALIGN_BENCH_SECONDS, default 240, from
the section's start, building the model included): (b), the slowest, stops at the limit and is measured
on the sentences it got through, so the section ends in under five minutes even on a loaded machine.
All three paths: same model, beam 4, length penalty 0.2,
int8, NEWSALIGN_BENCH_THREADS CTranslate2 threads (default 1, as
ARGOS_INTRA_THREADS=1 suits argostranslate on a small shared machine), model
loading and a warm-up sentence outside the clock:

  (a) pipeline.translate.argos.ArgosTranslator.translate(sentences)   (tokenize + translate + detokenize)
  (b) argostranslate's translation.translate(s) for each sentence (its own splitter, 32-token batches)
  (c) ctranslate2.Translator.translate_batch on pre-tokenized input, 2048-token batches sorted by length

Throughput is source tokens (SentencePiece pieces) per second of wall time.

    python scripts/bench_translate.py          # prints the table
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEEDS = REPO.parent / "shared" / "seeds"
SENTENCES = 150
VOCAB = 32000
LAYERS, DIM, HEADS, FFN = 6, 512, 2, 2048
NOISE = 1e-3
BEAM = 4
BATCH_TOKENS = 2048
THREADS = int(os.environ.get("NEWSALIGN_BENCH_THREADS", "1"))
# interleaved runs of (a) and (c); the best of each counts
ROUNDS = int(os.environ.get("NEWSALIGN_BENCH_ROUNDS", "1"))
TIME_LIMIT = float(os.environ.get("NEWSALIGN_BENCH_SECONDS", "240"))

sys.path.insert(0, str(HERE))
import build_test_model  # noqa: E402  (scripts/ is not a package)


def seed_sentences(count: int = SENTENCES) -> list[str]:
    """`count` distinct sentences from the seed articles (all languages), cycled with a running number."""
    sentences = []
    for path in sorted(SEEDS.glob("0*.txt")):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if len(s.split()) >= 3]
    sentences = list(dict.fromkeys(sentences))
    if not sentences:
        raise FileNotFoundError(f"no seed sentences in {SEEDS}")
    return [
        s if i < len(sentences) else f"{i // len(sentences)}. {s}"
        for i, s in ((i, sentences[i % len(sentences)]) for i in range(count))
    ]


def build_package(sentences: list[str], out: Path) -> Path:
    """An .argosmodel with the random model, SentencePiece trained on `sentences`, and a MiniSBD splitter."""
    sp_model = build_test_model.train_sentencepiece(tuple(sentences), vocab_size=4000)
    pieces = build_test_model.vocabulary(sp_model)
    vocab = pieces + [f"<filler{i}>" for i in range(VOCAB - len(pieces))]
    shape = build_test_model.Shape(
        layers=LAYERS,
        heads=HEADS,
        token_dim=DIM // 2,
        position_dim=DIM // 2,
        ffn_dim=FFN,
        noise=NOISE,
        position_rows=1024,
    )
    files = build_test_model.model_files(build_test_model.copy_transformer(vocab, shape), quantization="int8")
    files["sentencepiece.model"] = sp_model
    files["minisbd/bg.onnx"] = build_test_model.sentence_splitter_onnx("bg", build_test_model.REQUIRED_CHARS)
    files["metadata.json"] = (
        b'{"package_version": "0.0", "from_code": "bg", "to_code": "en", "type": "translate"}'
    )
    build_test_model.write_package(out, "translate-bg_en-bench", files)
    return out


def timed(run) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def ours(package, sentences: list[str]) -> tuple[float, list[str], str]:
    """(a): the project's argos path, as pipeline.translate.translator uses it (without the cache)."""
    from pipeline.translate.argos import ArgosTranslator, Settings

    translator = ArgosTranslator(
        package, Settings(beam_size=BEAM, threads=THREADS, batch_tokens=BATCH_TOKENS)
    )
    translator.translate(sentences[:1])  # warm-up, like the other two
    seconds, outputs = timed(lambda: translator.translate(sentences))
    return seconds, outputs, translator.compute_type


def reference(sentences: list[str], deadline: float) -> tuple[float, list[str], str]:
    """(b): argostranslate's translate(), one call per sentence, with the same decoding-length cap,
    until the deadline (time.perf_counter()): the outputs are those of the sentences it got through."""
    os.environ.update(ARGOS_INTRA_THREADS=str(THREADS), ARGOS_BEAM_SIZE=str(BEAM))
    from argostranslate import translate

    translation = translate.get_translation_from_codes("bg", "en")
    translation.translate(sentences[0])  # loads the model and the sentence splitter
    model = translation.underlying.translator

    def until_deadline() -> list[str]:
        outputs = []
        for sentence in sentences:
            if outputs and time.perf_counter() > deadline:
                break
            outputs.append(translation.translate(sentence))
        return outputs

    seconds, outputs = timed(until_deadline)
    return seconds, outputs, model.compute_type


def bare(model_dir: Path, pieces: list[list[str]]) -> tuple[float, list[list[str]], str]:
    """(c): CTranslate2 alone on pre-tokenized input: one call, token batches, sorted by length inside."""
    import ctranslate2

    model = ctranslate2.Translator(str(model_dir), compute_type="int8", intra_threads=THREADS)
    options = dict(
        max_batch_size=BATCH_TOKENS,
        batch_type="tokens",
        beam_size=BEAM,
        length_penalty=0.2,
        max_decoding_length=2 * max(map(len, pieces)) + 10,
    )
    model.translate_batch(pieces[:1], **options)
    seconds, results = timed(lambda: model.translate_batch(pieces, **options))
    return seconds, [r.hypotheses[0] for r in results], model.compute_type


def _interleaved(package, sentences: list[str], pieces: list[list[str]]):
    """(a) and (c) alternately, ROUNDS times each, best time of each: load on a shared machine drifts,
    and (a) and (c) make the same CTranslate2 call, so their ratio should not depend on which ran first."""
    a_runs, c_runs = [], []
    for _ in range(ROUNDS):
        a_runs.append(ours(package, sentences))
        c_runs.append(bare(package.path / "model", pieces))
    a_seconds, a_out, a_type = min(a_runs, key=lambda r: r[0])
    c_seconds, _, c_type = min(c_runs, key=lambda r: r[0])
    return a_seconds, a_out, a_type, c_seconds, c_type


def run() -> list[tuple[str, str, str]]:
    """Build the model, time the three paths on the same sentences, and report tokens/s and ratios."""
    import sentencepiece

    from pipeline.translate import packages

    section = "translate"
    if not SEEDS.is_dir():
        return [(section, "skipped", f"{SEEDS} not found")]
    started = time.perf_counter()  # the time limit counts from here: building the model is part of the wait
    sentences = seed_sentences(int(os.environ.get("NEWSALIGN_BENCH_SENTENCES", SENTENCES)))
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="newsalign-bench-") as tmp:
        os.environ["ARGOS_PACKAGES_DIR"] = str(Path(tmp) / "packages")  # read by argostranslate at import
        try:
            package = packages.install_file(build_package(sentences, Path(tmp) / "bench.argosmodel"))
            pieces = sentencepiece.SentencePieceProcessor(
                model_file=str(package.path / "sentencepiece.model")
            ).encode(sentences, out_type=str)
            tokens = sum(map(len, pieces))
            a_seconds, a_out, a_type, c_seconds, c_type = _interleaved(package, sentences, pieces)
            b_seconds, b_out, b_type = reference(sentences, started + TIME_LIMIT)
        finally:
            os.environ.clear()
            os.environ.update(saved)
    b_tokens = sum(map(len, pieces[: len(b_out)]))
    a, b, c = tokens / a_seconds, b_tokens / b_seconds, tokens / c_seconds
    b_share = "" if len(b_out) == len(sentences) else f", {len(b_out)} sentences in the time limit"
    return [
        (
            section,
            "setup",
            f"{len(sentences)} sentences, {tokens} source tokens; 6+6 layers d={DIM} ffn={FFN} "
            f"vocab={VOCAB}; beam {BEAM}; {THREADS} thread(s); int8; "
            f"(a) and (c) best of {ROUNDS} interleaved runs",
        ),
        (section, "(a) newsalign argos path", f"{a:.0f} tokens/s ({a_seconds:.1f} s, {a_type})"),
        (
            section,
            "(b) argostranslate translate()",
            f"{b:.0f} tokens/s ({b_seconds:.1f} s, {b_type}{b_share})",
        ),
        (section, "(c) bare ctranslate2 translate_batch", f"{c:.0f} tokens/s ({c_seconds:.1f} s, {c_type})"),
        (section, "(a)/(c)  target >= 0.9", f"{a / c:.2f}"),
        (section, "(a)/(b)  target >= 1.5", f"{a / b:.2f}"),
        (
            section,
            "outputs equal inputs (copy model)",
            f"(a) {_same(a_out, sentences)}, (b) {_same(b_out, sentences[: len(b_out)])}",
        ),
    ]


def _same(outputs: list[str], inputs: list[str]) -> str:
    return f"{sum(o == i for o, i in zip(outputs, inputs))}/{len(inputs)}"


def main() -> int:
    rows = run()
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    for row in rows:
        print(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A few lines of our own text in, a tiny Argos package out: tests/fixtures/translate-bg_en-copy.argosmodel.

The package is a real, valid Argos Translate package that "translates"
Bulgarian to English by copying its input, so tests can run the whole argos
path (install, SentencePiece, CTranslate2, decoding) offline and check that
the output equals the input:

- sentencepiece.model: trained on the lines below, identity normalisation and
  byte fallback, so any text encodes and decodes back to itself;
- model/: a one-layer CTranslate2 Transformer written with ctranslate2's spec
  API. Its weights copy the input: the decoder at step t attends to source
  position t (orthogonal Hadamard position codes) and emits that token
  (balanced +-1 token codes). It has MAX_POSITIONS position codes, which is the
  model's length limit (long sentences must be split, and tests check that);
- minisbd/bg.onnx: a one-node ONNX sentence splitter (ends a sentence at . ! ?)
  carrying the metadata MiniSBD reads, so argostranslate never downloads one;
- metadata.json, README.md.

No torch: numpy, sentencepiece, ctranslate2 and onnx only. The zip is written
with fixed timestamps, so rebuilding gives the same bytes.

    python scripts/build_test_model.py            # rewrites the fixture
    python scripts/build_test_model.py OUT.argosmodel
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "translate-bg_en-copy.argosmodel"
PACKAGE_DIR = "translate-bg_en-copy"
TOKEN_DIM = 64
POSITION_DIM = 64
MAX_POSITIONS = POSITION_DIM - 1  # Hadamard rows 1..63 are balanced and orthogonal
SEED = 20260123

# Our own sentences (not taken from any publication): enough to give
# SentencePiece some multi-character pieces in both scripts.
TRAINING_LINES = (
    "Правителството обяви нови мерки в понеделник.",
    "Министърът каза, че цените на горивата ще бъдат замразени за шест месеца.",
    "Хиляди хора излязоха по улиците на столицата.",
    "Според агенцията протестите са започнали в началото на януари.",
    "Президентът прие оставката на кабинета и назначи временно правителство.",
    "Това не е потвърдено от независими източници.",
    "В интервю за агенцията той заяви, че е готов да се върне.",
    "Депутатите гласуваха закона на първо четене с 120 гласа „за“.",
    "The government announced new measures on Monday.",
    "The minister said fuel prices would be frozen for six months.",
    "Thousands of people took to the streets of the capital.",
    "According to the agency, the protests began in early January.",
    "The president accepted the cabinet's resignation and appointed an interim government.",
    "This has not been confirmed by independent sources.",
    "In an interview with the agency, he said he was ready to return.",
    "Lawmakers passed the bill at first reading with 120 votes in favour.",
)
REQUIRED_CHARS = (
    "абвгдежзийклмнопрстуфхцчшщъьюяѝАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯЍ"
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    ".,;:!?\"'()[]-–—„“”«»…%$€/&+=*#@_"
)
SENTENCE_ENDS = ".!?"
METADATA = {
    "package_version": "0.1",
    "argos_version": "1.9.0",
    "from_code": "bg",
    "from_name": "Bulgarian",
    "to_code": "en",
    "to_name": "English",
    "type": "translate",
    "links": [],
}
README = (
    "# translate-bg_en-copy (test fixture)\n\n"
    "Not a translation model: a one-layer Transformer whose weights copy the input,\n"
    "built by scripts/build_test_model.py for newsalign's tests. Length limit:\n"
    f"{MAX_POSITIONS} positions (source tokens plus the end token).\n"
)


def train_sentencepiece(lines: tuple[str, ...], vocab_size: int = 480) -> bytes:
    """A SentencePiece model whose decode(encode(text)) == text for any text."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        model_type="unigram",
        character_coverage=1.0,
        required_chars=REQUIRED_CHARS,
        byte_fallback=True,
        normalization_rule_name="identity",
        remove_extra_whitespaces=False,
        num_threads=1,
        minloglevel=2,
    )
    return model.getvalue()


def vocabulary(sp_model: bytes) -> list[str]:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=sp_model)
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def hadamard(n: int) -> np.ndarray:
    matrix = np.ones((1, 1), dtype=np.float32)
    while matrix.shape[0] < n:
        matrix = np.block([[matrix, matrix], [matrix, -matrix]])
    return matrix


def token_codes(size: int, dim: int, rng: np.random.Generator) -> np.ndarray:
    """Distinct balanced +-1 codes: zero mean, so LayerNorm only rescales them."""
    base = np.array([1.0] * (dim // 2) + [-1.0] * (dim // 2), dtype=np.float32)
    codes = np.stack([rng.permutation(base) for _ in range(size)])
    if len({c.tobytes() for c in codes}) != size:
        raise RuntimeError("token codes collide; change SEED")
    return codes


@dataclass(frozen=True)
class Shape:
    """Size of a copy model. `noise` > 0 fills each weight the copy does not need with small random values."""

    layers: int = 1
    heads: int = 1
    token_dim: int = TOKEN_DIM
    position_dim: int = POSITION_DIM
    ffn_dim: int = 4
    noise: float = 0.0
    position_rows: int = 0  # rows of the position table; 0: one per distinct code (position_dim - 1)

    @property
    def dim(self) -> int:
        return self.token_dim + self.position_dim


def copy_transformer(vocab: list[str], shape: Shape = Shape(), seed: int = SEED):
    """A TransformerSpec whose greedy or beam output is its input (see module docstring).

    The residual stream holds a token block and a position block. The decoder
    sees only positions; in its first layer's encoder attention the last head
    (the position block's dimensions) matches its position with the source's
    and carries that source token's code back into the token block, which the
    output projection reads. Everything else adds nothing (or `noise`).
    """
    from ctranslate2.specs import TransformerSpec

    rng = np.random.default_rng(seed)
    dim, tok, pos = shape.dim, slice(0, shape.token_dim), slice(shape.token_dim, shape.dim)
    if shape.heads not in (1, 2) or shape.token_dim != shape.position_dim:
        raise ValueError("the copy head needs 1 or 2 heads and equal token and position blocks")
    codes = np.zeros((len(vocab), dim), dtype=np.float32)
    codes[:, tok] = token_codes(len(vocab), shape.token_dim, rng)
    distinct = shape.position_dim - 1
    positions = np.zeros((max(shape.position_rows, distinct), dim), dtype=np.float32)
    positions[:distinct, pos] = hadamard(shape.position_dim)[1:]  # rows past these copy nothing

    spec = TransformerSpec.from_config(shape.layers, num_heads=shape.heads, pre_norm=True, no_final_norm=True)
    spec.config.add_source_eos = True  # the copied end token stops decoding
    weights = _Weights(rng, shape.noise)
    for side, emb in ((spec.encoder, codes), (spec.decoder, np.zeros_like(codes))):
        side.scale_embeddings = False
        side.position_encodings.encodings = positions
        embedding = side.embeddings[0] if isinstance(side.embeddings, list) else side.embeddings
        embedding.weight = emb + weights.zeros(emb.shape)
        for layer in side.layer:
            _quiet_sublayers(layer, shape, weights)
    for layer in spec.decoder.layer[1:]:
        _quiet_attention(layer.attention, shape, weights)

    head_dim = dim // shape.heads
    sharpness = 40.0 / (np.sqrt(dim / shape.position_dim) * shape.position_dim / np.sqrt(head_dim))
    query, key_value, out = spec.decoder.layer[0].attention.linear
    _layer_norm(spec.decoder.layer[0].attention.layer_norm, dim)
    query.weight = _block(dim, dim, (pos, pos), sharpness) + weights.zeros((dim, dim))
    query.bias = np.zeros(dim, dtype=np.float32)
    key_value.weight = np.concatenate([_block(dim, dim, (pos, pos)), _block(dim, dim, (pos, tok))])
    key_value.bias = np.zeros(2 * dim, dtype=np.float32)
    out.weight = _block(dim, dim, (tok, pos)) + weights.zeros((dim, dim))
    out.bias = np.zeros(dim, dtype=np.float32)
    spec.decoder.projection.weight = codes.copy()
    spec.decoder.projection.bias = np.zeros(len(vocab), dtype=np.float32)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    return spec


class _Weights:
    """Zero matrices, or small random ones when noise > 0."""

    def __init__(self, rng: np.random.Generator, noise: float) -> None:
        self.rng, self.noise = rng, noise

    def zeros(self, shape: tuple[int, ...]) -> np.ndarray:
        if self.noise <= 0:
            return np.zeros(shape, dtype=np.float32)
        return self.rng.normal(0.0, self.noise, shape).astype(np.float32)


def _block(rows: int, cols: int, where: tuple[slice, slice], scale: float = 1.0) -> np.ndarray:
    """A zero matrix with a scaled identity mapping the `where[1]` block onto the `where[0]` block."""
    matrix = np.zeros((rows, cols), dtype=np.float32)
    out, into = where
    matrix[out, into] = scale * np.eye(out.stop - out.start, dtype=np.float32)
    return matrix


def _layer_norm(spec, dim: int) -> None:
    spec.gamma = np.ones(dim, dtype=np.float32)
    spec.beta = np.zeros(dim, dtype=np.float32)


def _linear(spec, rows: int, cols: int, weights: _Weights) -> None:
    spec.weight = weights.zeros((rows, cols))
    spec.bias = np.zeros(rows, dtype=np.float32)


def _quiet_sublayers(layer, shape: Shape, weights: _Weights) -> None:
    """Self-attention and feed-forward that add (next to) nothing to the residual stream."""
    dim = shape.dim
    _layer_norm(layer.self_attention.layer_norm, dim)
    _linear(layer.self_attention.linear[0], 3 * dim, dim, weights)
    _linear(layer.self_attention.linear[1], dim, dim, weights)
    _layer_norm(layer.ffn.layer_norm, dim)
    _linear(layer.ffn.linear_0, shape.ffn_dim, dim, weights)
    _linear(layer.ffn.linear_1, dim, shape.ffn_dim, weights)


def _quiet_attention(attention, shape: Shape, weights: _Weights) -> None:
    dim = shape.dim
    _layer_norm(attention.layer_norm, dim)
    _linear(attention.linear[0], dim, dim, weights)
    _linear(attention.linear[1], 2 * dim, dim, weights)
    _linear(attention.linear[2], dim, dim, weights)


def sentence_splitter_onnx(lang: str, characters: str, ends: str = SENTENCE_ENDS) -> bytes:
    """A MiniSBD model: per character, class 2 (sentence end) for `ends`, else 0 (inside a token).

    MiniSBD feeds `units` (character ids, int64 [batch, length]) and `features`
    (float32 [batch, length, 0] with no feature functions) and takes the argmax
    of the output over 5 classes; config, vocab and lexicon travel as metadata.
    """
    import onnx
    from onnx import TensorProto, helper

    units = ["<PAD>", "<UNK>"] + sorted(set(characters) | {" "})
    logits = np.zeros((len(units), 5), dtype=np.float32)
    logits[:, 0] = 1.0
    for i, unit in enumerate(units):
        if unit in ends:
            logits[i, 2] = 2.0
    graph = helper.make_graph(
        [helper.make_node("Gather", ["table", "units"], ["logits"], axis=0)],
        "sentence_ends",
        [
            helper.make_tensor_value_info("units", TensorProto.INT64, ["batch", "length"]),
            helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", "length", 0]),
        ],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "length", 5])],
        initializer=[helper.make_tensor("table", TensorProto.FLOAT, logits.shape, logits.flatten().tolist())],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="newsalign")
    model.ir_version = 8
    vocab = {
        "lang": lang,
        "idx": 0,
        "cutoff": 0,
        "lower": False,
        "_unit2id": {u: i for i, u in enumerate(units)},
        "_id2unit": units,
    }
    config = {"feat_funcs": [], "max_seqlen": 1000, "batch_size": 32, "use_dictionary": False}
    helper.set_model_props(
        model,
        {
            "lang_code": lang,
            "config": json.dumps(config),
            "vocab": json.dumps(vocab),
            "lexicon": "null",
        },
    )
    onnx.checker.check_model(model)
    return model.SerializeToString()


def write_package(out: Path, top: str, files: dict[str, bytes]) -> None:
    """Zip `files` (relative paths) under one top-level folder, byte-for-byte reproducibly."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{top}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])


def model_files(spec, quantization: str | None = None) -> dict[str, bytes]:
    """The files of a saved CTranslate2 model, keyed `model/<name>`."""
    spec.validate()
    spec.optimize(quantization=quantization)
    with tempfile.TemporaryDirectory() as tmp:
        spec.save(tmp)
        return {f"model/{p.name}": p.read_bytes() for p in sorted(Path(tmp).iterdir())}


def build(out: Path = FIXTURE) -> Path:
    sp_model = train_sentencepiece(TRAINING_LINES)
    files = model_files(copy_transformer(vocabulary(sp_model)), quantization="int8")
    files["sentencepiece.model"] = sp_model
    files["minisbd/bg.onnx"] = sentence_splitter_onnx("bg", REQUIRED_CHARS)
    files["metadata.json"] = (json.dumps(METADATA, indent=2, ensure_ascii=False) + "\n").encode()
    files["README.md"] = README.encode()
    write_package(out, PACKAGE_DIR, files)
    return out


def main(argv: list[str]) -> int:
    out = build(Path(argv[0]) if argv else FIXTURE)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

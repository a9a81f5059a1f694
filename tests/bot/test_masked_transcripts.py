"""The Redis transcript (and so Redis's append-only file) holds every phone and ID number masked,
in whatever form the person wrote it; the Rasa side's logs are masked too."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from urllib.parse import urlparse

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered

from bot.masking_tracker_store import MaskingRedisTrackerStore
from tests.redis_server import redis_server

DOMAIN = Domain.from_yaml("intents: [greet]\nslots: {}\n")
FORMS = [
    "13812345678",
    "+86 138 1234 5678",
    "+86-138-1234-5678",
    "138-1234-5678",
    "137 1357 2468",
    "020-83456789",
    "(020)83456789",
    "0123-86639876",  # a local landline that is not one of the sample catalog's public numbers
    "１３８１２３４５６７８",
    "110101199003071234",
    "110101 19900307 7777",
    "11010519491231002X",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        parts = urlparse(url)
        yield MaskingRedisTrackerStore(DOMAIN, host=parts.hostname, port=parts.port, key_prefix="m", record_exp=600)


@pytest.mark.parametrize("typed", FORMS)
def test_each_form_is_stored_masked(store, typed):
    asyncio.run(_each_form_is_stored_masked(store, typed))


async def _each_form_is_stored_masked(store, typed):
    tracker = await store.create_tracker("s-mask")
    tracker.update(UserUttered(f"我的号码{typed}，社保卡丢了", parse_data={"text": f"号码{typed}"}))
    tracker.update(BotUttered(f"已记下{typed}"))
    await store.save(tracker)
    raw = store.red.get(store.key_prefix + "s-mask")
    store.red.delete(store.key_prefix + "s-mask")
    stored = json.dumps(json.loads(raw), ensure_ascii=False)  # as stored, with Chinese unescaped
    assert typed not in stored and typed not in raw and "社保卡" in stored


# A Rasa process as the CLI starts one: logging set up first, then `bot` imported with the model.
RASA_PROCESS = """
import logging, sys
logging.basicConfig(stream=sys.stderr, format="%(name)s %(message)s")
import bot
import rasa.shared.utils.io
logging.getLogger("sanic.error").warning("bad request from %s", "+86 138 1234 5678")
logging.getLogger("rasa.core.processor").warning("parsed %s", "020-83456789")
rasa.shared.utils.io.raise_warning("Parsed 身份证110101 19900307 7777 as out_of_scope")
"""


def test_a_rasa_process_logs_and_warns_masked():
    run = subprocess.run([sys.executable, "-c", RASA_PROCESS], capture_output=True, text=True, timeout=120, check=True)
    assert "sanic.error bad request from +86 138 **** 5678" in run.stderr
    assert "rasa.core.processor parsed 020-****6789" in run.stderr
    assert "py.warnings" in run.stderr and "身份证110*** ******** 7777" in run.stderr
    assert "1234 5678" not in run.stderr and "83456789" not in run.stderr and "19900307" not in run.stderr

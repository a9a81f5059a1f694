"""The Rasa server's two speed-ups keep Rasa's behaviour: the tracker store saves without
re-reading only a tracker that holds the whole stored transcript, and the compiled action-response
check accepts and rejects what jsonschema.validate does."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlparse

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered

from bot.action_response_check import fast_validator, response_validator
from bot.masking_tracker_store import MaskingRedisTrackerStore
from tests.redis_server import redis_server

DOMAIN = Domain.from_yaml("intents: [greet]\nslots: {}\n")


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def store(redis_url, request):
    url = urlparse(redis_url)
    store = MaskingRedisTrackerStore(DOMAIN, host=url.hostname, port=url.port, key_prefix="t", record_exp=600)
    store.red.flushdb()
    return store


class CountingReads:
    """Wraps the store's Redis client and counts the GETs."""

    def __init__(self, red):
        self.red, self.gets = red, 0

    def get(self, key):
        self.gets += 1
        return self.red.get(key)

    def __getattr__(self, name):
        return getattr(self.red, name)


def stored_texts(store, sender):
    events = json.loads(store.red.get(store.key_prefix + sender))["events"]
    return [e.get("text") for e in events if e["event"] == "user"]


def test_a_new_conversation_is_saved_masked_without_reading_back(store):
    asyncio.run(_a_new_conversation_is_saved_masked_without_reading_back(store))


async def _a_new_conversation_is_saved_masked_without_reading_back(store):
    tracker = await store.create_tracker("s1")
    tracker.update(UserUttered("身份证号110101199003071234丢了"))
    store.red = counting = CountingReads(store.red)
    await store.save(tracker)
    assert counting.gets == 0
    [text] = stored_texts(store, "s1")
    assert "110101199003071234" not in text and text.endswith("1234丢了")


def test_a_one_session_transcript_round_trips_without_a_merge(store):
    asyncio.run(_a_one_session_transcript_round_trips_without_a_merge(store))


async def _a_one_session_transcript_round_trips_without_a_merge(store):
    tracker = await store.create_tracker("s2")
    tracker.update(UserUttered("第一句"))
    await store.save(tracker)
    again = await store.retrieve("s2")
    again.update(UserUttered("第二句"))
    store.red = counting = CountingReads(store.red)
    await store.save(again)
    assert counting.gets == 0
    assert stored_texts(store, "s2") == ["第一句", "第二句"]


def test_an_earlier_session_survives_a_save_of_the_latest_one(store):
    asyncio.run(_an_earlier_session_survives_a_save_of_the_latest_one(store))


async def _an_earlier_session_survives_a_save_of_the_latest_one(store):
    tracker = await store.create_tracker("s3")
    tracker.update(UserUttered("上次问的"))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)
    latest = await store.retrieve("s3")
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == []  # only the latest session
    latest.update(UserUttered("这次问的"))
    await store.save(latest)
    assert stored_texts(store, "s3") == ["上次问的", "这次问的"]
    whole = await store.retrieve_full_tracker("s3")
    assert [e.text for e in whole.events if isinstance(e, UserUttered)] == ["上次问的", "这次问的"]


VALID = {"events": [{"event": "slot", "name": "matter", "value": "m1"}], "responses": [{"text": "好的"}]}
INVALID = [
    {"events": "not a list"},
    {"events": [{"name": "matter"}]},  # an event without its type
    {"events": [{"event": "slot", "name": 3}]},
    {"responses": "text"},
]


def test_the_compiled_check_accepts_a_valid_response():
    assert RemoteAction("action_consult", None)._validate_action_result(VALID) is True


@pytest.mark.parametrize("response", INVALID)
def test_the_compiled_check_rejects_what_jsonschema_rejects_with_the_same_error(response):
    with pytest.raises(jsonschema.ValidationError) as stock:
        jsonschema.validate(response, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError) as ours:
        RemoteAction("action_consult", None)._validate_action_result(response)
    assert ours.value.message.startswith(stock.value.message)
    assert "Failed to validate Action server response" in ours.value.message
    assert list(ours.value.absolute_path) == list(stock.value.absolute_path)


def test_the_schema_is_meta_checked_once():
    assert response_validator() is response_validator()


@pytest.mark.parametrize("response", [VALID, *INVALID])
def test_the_compiled_validator_agrees_with_jsonschema(response):
    fast = fast_validator()
    assert fast is not None, "jsonschema-rs is in requirements/rasa.in"
    assert fast.is_valid(response) == response_validator().is_valid(response)

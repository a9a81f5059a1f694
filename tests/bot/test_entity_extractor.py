"""NumberEntityExtractor: the parse's numbers come from the core's one grammar."""

import pytest
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.entity_extractor import NumberEntityExtractor
from bot.normalizer import ChineseNormalizer
from shouwen_core.progress import find_application_no


def parse(text, model_storage, resource, execution_context):
    """The message after the normaliser and the extractor, as in config.yml."""
    message = Message({TEXT: text})
    for component in (ChineseNormalizer, NumberEntityExtractor):
        component.create(component.get_default_config(), model_storage, resource, execution_context).process([message])
    return message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("受理号SL2026110003到哪了", [("APPLICATION_NO", "sl2026110003", "SL2026110003")]),  # lower-cased text
        ("查一下ｓｌ２０２６１１０００３", [("APPLICATION_NO", "sl2026110003", "SL2026110003")]),
        ("我的电话+86 138 1234 5678", [("PHONE", "+86 138 1234 5678", "13812345678")]),
        ("打020-83456789找我", [("PHONE", "020-83456789", "02083456789")]),
        ("身份证110101 19900307 7777", [("ID_NUMBER", "110101 19900307 7777", "110101199003077777")]),
        (
            "电话13812345678，身份证11010519491231002X",
            [("PHONE", "13812345678", "13812345678"), ("ID_NUMBER", "11010519491231002x", "11010519491231002X")],
        ),
    ],
)
def test_numbers_with_their_offsets_and_values(text, expected, model_storage, resource, execution_context):
    message = parse(text, model_storage, resource, execution_context)
    shown = message.get(TEXT)
    got = [(e["entity"], shown[e["start"] : e["end"]], e["value"]) for e in message.get(ENTITIES)]
    assert got == expected
    assert all(e["extractor"] == "NumberEntityExtractor" for e in message.get(ENTITIES))


@pytest.mark.parametrize("text", ["YWH2026110003到哪了", "打12345问问", "2026-12-03去的", "收费0.5元", "护照过期了"])
def test_what_the_services_would_reject_is_no_entity(text, model_storage, resource, execution_context):
    assert parse(text, model_storage, resource, execution_context).get(ENTITIES, []) == []


def test_an_application_number_in_the_parse_is_one_the_progress_lookup_takes(
    model_storage, resource, execution_context
):
    message = parse("办件编号202604100318现在什么状态", model_storage, resource, execution_context)
    [entity] = message.get(ENTITIES)
    assert find_application_no(entity["value"]) == entity["value"] == "202604100318"

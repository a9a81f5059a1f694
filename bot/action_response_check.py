"""The action server's answer checked against Rasa's schema once compiled, not rebuilt per turn.

Rasa 3.6 checks every action server response with `jsonschema.validate(result, schema)`. That
function first validates the *schema itself* against the JSON Schema 2020-12 meta-schema, every
call: with jsonschema 4.17 (the newest Rasa 3.6 allows) this meta-check was 55 % of the Rasa
server's CPU per chat turn (py-spy, reports/bench.md), more than NLU and the policies together.

`install()` replaces RemoteAction._validate_action_result by the same check done by validators
built once. A valid response (every turn, in practice) is confirmed by jsonschema-rs, a compiled
validator of the same draft (2 µs instead of about 1 ms); a response it rejects is checked again
by the Python validator jsonschema.validate would use — schema meta-checked once, the same error
chosen (best_match), the same message added — so what Rasa rejects is still rejected, with Rasa's
words. Without jsonschema-rs the Python validator does both. The Rasa server imports this through
`bot` (see bot/__init__.py); installing twice is harmless. SHOUWEN_ACTION_CHECK=rasa leaves Rasa's
own check in place: scripts/bench_profile.py measures the turn both ways with it.
"""

from __future__ import annotations

import functools
import os
from typing import Any, Dict

__all__ = ["fast_validator", "install", "response_validator"]


@functools.lru_cache(maxsize=1)
def response_validator() -> Any:
    """The validator of Rasa's action-response schema, meta-checked once."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@functools.lru_cache(maxsize=1)
def fast_validator() -> Any:
    """jsonschema-rs's validator of the same schema, or None where it is not installed."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    from rasa.core.actions.action import RemoteAction

    return jsonschema_rs.validator_for(RemoteAction.action_response_format_spec())


def _validate_action_result(self: Any, result: Dict[str, Any]) -> bool:
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    fast = fast_validator()
    if fast is not None and fast.is_valid(result):
        return True
    error = best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the Action "
        f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Use the compiled check in this process (a no-op where Rasa is not installed, or where
    SHOUWEN_ACTION_CHECK=rasa asks for Rasa's own check)."""
    if os.environ.get("SHOUWEN_ACTION_CHECK") == "rasa":
        return
    try:
        from rasa.core.actions.action import RemoteAction
    except ImportError:  # the gateway's venv imports `bot` helpers without Rasa
        return
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]

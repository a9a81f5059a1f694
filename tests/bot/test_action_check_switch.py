"""SHOUWEN_ACTION_CHECK=rasa leaves Rasa's own action-response check in place (scripts/bench_profile.py
measures the turn both ways); without it, install() puts the compiled check in."""

from __future__ import annotations

from rasa.core.actions.action import RemoteAction

from bot import action_response_check


def _rasas_check(self, result):
    """Stands for Rasa's method (importing `bot` has already replaced the real one)."""
    return True


def test_the_switch_keeps_rasas_check_and_its_absence_installs_ours(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", _rasas_check)
    monkeypatch.setenv("SHOUWEN_ACTION_CHECK", "rasa")
    action_response_check.install()
    assert RemoteAction.__dict__["_validate_action_result"] is _rasas_check
    monkeypatch.delenv("SHOUWEN_ACTION_CHECK")
    action_response_check.install()
    assert RemoteAction.__dict__["_validate_action_result"] is action_response_check._validate_action_result

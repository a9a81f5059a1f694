"""Shouwen's custom actions (rasa-sdk). Thin: read the tracker, call shouwen_core, render.

The action server imports this package once its logging is set up: from here on what it logs
(rasa_sdk's loggers, Sanic's, through the root logger's handlers) has personal data masked."""

from shouwen_core.pii import install_log_masking

install_log_masking("rasa_sdk")

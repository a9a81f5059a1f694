"""Shouwen's Rasa side: the custom NLU components (one per module) and the dialogue data
(domain, rules, stories) that `rasa train` reads.

Every Rasa process loads something from `bot` (the components, the REST channel, the tracker
store), so importing it installs the compiled action-response check (bot.action_response_check)
and masks personal data in what the process logs: the root logger's handlers (where Rasa's own
loggers write), Sanic's loggers, and Rasa's warnings, which go through logging from here on.
"""

import logging

from bot.action_response_check import install as _install_action_response_check
from shouwen_core.pii import install_log_masking

_install_action_response_check()
logging.captureWarnings(True)
install_log_masking("rasa", "sanic.root", "sanic.error", "sanic.access", "py.warnings")

"""Shouwen's Rasa side: the custom NLU components (one per module) and the dialogue data
(domain, rules, stories) that `rasa train` reads.

Every Rasa process loads something from `bot` (the components, the REST channel, the tracker
store), so importing it installs the compiled action-response check (bot.action_response_check).
"""

from bot.action_response_check import install as _install_action_response_check

_install_action_response_check()

"""The WeChat Official Account channel: an adapter from WeChat's XML callbacks to the one
conversation service, and back to passive replies or customer-service messages.

    POST /wechat ── protocol.Codec: signature, plain or safe (AES) mode, XML → Inbound
                      │
                      └─ channel.WeChatChannel.handle(Inbound) → reply text ("" = "success")
                           ├─ ledger.Ledger (Redis): claim each MsgId once, keep its answer for
                           │   WeChat's retries, remember numbered choices per openid
                           ├─ Conversation.turn within the reply budget → passive XML reply
                           └─ over budget or too long → api.CustomerService sends the answer
                               (access token cached in Redis, shared by every gateway)

`render` turns a turn's messages and buttons into WeChat text ("回复数字选择：1. …") and splits it
into pieces WeChat accepts.
"""

from .api import CustomerService, WeChatAPIError
from .channel import WeChatChannel
from .ledger import Ledger
from .protocol import BadMessage, BadSignature, Codec, ConfigError, Inbound

__all__ = [
    "BadMessage",
    "BadSignature",
    "Codec",
    "ConfigError",
    "CustomerService",
    "Inbound",
    "Ledger",
    "WeChatAPIError",
    "WeChatChannel",
]

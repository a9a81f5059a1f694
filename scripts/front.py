"""A small round-robin TCP front for several gateways (`make run` with GATEWAYS=2 or more).

Each new client connection goes to the next gateway; a gateway that refuses the connection is
skipped (and the next one tried), so a dead or restarting gateway costs no request that had not
reached it. Requests already inside a gateway that dies are lost with their connection: clients
repeat them with the same turn id, which the gateways answer once (connectors/conversation.py).
It works at the TCP level (HTTP keep-alive connections stay on one gateway), with no parsing and
no dependencies; for production, docs/deploy.md gives the equivalent nginx configuration.

    python scripts/front.py --listen 127.0.0.1:8000 --backend 127.0.0.1:8101 --backend 127.0.0.1:8102
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import signal

logger = logging.getLogger("front")
CONNECT_TIMEOUT = 2.0


def _addr(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host or "127.0.0.1", int(port)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            writer.close()
        except RuntimeError:
            pass


class Front:
    def __init__(self, backends: list[tuple[str, int]]) -> None:
        self.backends = backends
        self._next = itertools.cycle(range(len(backends)))

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        for _ in range(len(self.backends)):
            host, port = self.backends[next(self._next)]
            try:
                return await asyncio.wait_for(asyncio.open_connection(host, port), CONNECT_TIMEOUT)
            except (OSError, asyncio.TimeoutError):
                logger.warning("gateway %s:%d refused the connection; trying the next", host, port)
        return None

    async def handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        upstream = await self._connect()
        if upstream is None:
            body = b'{"detail": "all gateways are down; call 12345"}'
            client_w.write(
                b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )
            await client_w.drain()
            client_w.close()
            return
        up_r, up_w = upstream
        await asyncio.gather(_pipe(client_r, up_w), _pipe(up_r, client_w))


async def serve(listen: tuple[str, int], backends: list[tuple[str, int]]) -> None:
    front = Front(backends)
    server = await asyncio.start_server(front.handle, *listen)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    logger.warning("front on %s:%d → %s", *listen, ", ".join(f"{h}:{p}" for h, p in backends))
    async with server:
        await stop.wait()


def main() -> None:
    ap = argparse.ArgumentParser(description="round-robin TCP front for several gateways")
    ap.add_argument("--listen", required=True, help="host:port to listen on")
    ap.add_argument("--backend", action="append", required=True, help="host:port of a gateway (repeat)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s front %(levelname)s %(message)s")
    asyncio.run(serve(_addr(args.listen), [_addr(b) for b in args.backend]))


if __name__ == "__main__":
    main()

"""A counting SMTP sink on loopback for `bench send` (aiosmtpd, a dev dependency).

    python -m campaigns.smtp_sink --port 2525 --count-file /tmp/count

Accepts every message and discards it; writes how many it accepted to the count
file on SIGTERM. Runs in its own process so that it does not share the bench's GIL.
"""

from __future__ import annotations

import argparse
import signal
import threading


class CountingHandler:
    def __init__(self) -> None:
        self.count = 0
        self.bytes = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd
        self.count += 1
        self.bytes += len(envelope.original_content or envelope.content)
        return "250 OK"


def main() -> None:
    from aiosmtpd.controller import Controller

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count-file", required=True)
    args = parser.parse_args()
    handler = CountingHandler()
    controller = Controller(
        handler, hostname="127.0.0.1", port=args.port, data_size_limit=0
    )
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("sink ready", flush=True)
    stop.wait()
    controller.stop()
    with open(args.count_file, "w") as out:
        out.write(f"{handler.count} {handler.bytes}\n")


if __name__ == "__main__":
    main()

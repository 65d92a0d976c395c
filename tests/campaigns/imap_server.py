"""A small IMAP4rev1 server on loopback for the bounce-mailbox reader's tests.

It speaks what a mailbox reader uses (CAPABILITY, LOGIN, SELECT, SEARCH UNSEEN,
FETCH RFC822, STORE +FLAGS, EXPUNGE, LOGOUT) over a real socket, so the code under
test runs Python's imaplib unchanged. Messages are stored with their flags; the
test reads what is left in the mailbox afterwards.
"""

from __future__ import annotations

import re
import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class StoredMessage:
    raw: bytes
    flags: set[str] = field(default_factory=set)


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def _send(self, line: str | bytes) -> None:
        data = line if isinstance(line, bytes) else line.encode()
        self.wfile.write(data + b"\r\n")

    def handle(self) -> None:
        self._send("* OK [CAPABILITY IMAP4rev1] fake IMAP ready")
        while line := self.rfile.readline():
            tag, _sp, rest = line.decode().rstrip("\r\n").partition(" ")
            command, _sp, args = rest.partition(" ")
            done = self._command(tag, command.upper(), args)
            if done:
                return

    def _command(self, tag: str, command: str, args: str) -> bool:
        mailbox = self.server.mailbox
        if command == "CAPABILITY":
            self._send("* CAPABILITY IMAP4rev1")
        elif command == "LOGIN":
            user, password = [a.strip('"') for a in args.split(" ", 1)]
            if (user, password) != self.server.credentials:
                self._send(f"{tag} NO [AUTHENTICATIONFAILED] invalid")
                return False
        elif command == "SELECT":
            self._send(f"* {len(mailbox)} EXISTS")
            self._send("* FLAGS (\\Seen \\Deleted)")
            self._send(f"{tag} OK [READ-WRITE] SELECT completed")
            return False
        elif command == "SEARCH":
            numbers = [
                str(n) for n, m in enumerate(mailbox, 1) if "\\Seen" not in m.flags
            ]
            self._send("* SEARCH " + " ".join(numbers))
        elif command == "FETCH":
            number = int(args.split(" ", 1)[0])
            message = mailbox[number - 1]
            message.flags.add("\\Seen")
            self._send(f"* {number} FETCH (RFC822 {{{len(message.raw)}}}".encode())
            self.wfile.write(message.raw)
            self._send(")")
        elif command == "STORE":
            number, _op, flags = args.split(" ", 2)
            message = mailbox[int(number) - 1]
            message.flags.update(re.findall(r"\\\w+", flags))
            self._send(f"* {number} FETCH (FLAGS ({' '.join(sorted(message.flags))}))")
        elif command == "EXPUNGE":
            for number in range(len(mailbox), 0, -1):
                if "\\Deleted" in mailbox[number - 1].flags:
                    del mailbox[number - 1]
                    self._send(f"* {number} EXPUNGE")
        elif command == "LOGOUT":
            self._send("* BYE")
            self._send(f"{tag} OK LOGOUT completed")
            return True
        else:
            self._send(f"{tag} BAD unknown command")
            return False
        self._send(f"{tag} OK {command} completed")
        return False


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    mailbox: list[StoredMessage]
    credentials: tuple[str, str]


class ImapServer:
    def __init__(self, user: str = "bounces", password: str = "secret") -> None:  # noqa: S107 - a test mailbox
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.mailbox = []
        self.server.credentials = (user, password)
        self.port = self.server.server_address[1]
        self.url = f"imap://{user}:{password}@127.0.0.1:{self.port}/INBOX"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def mailbox(self) -> list[StoredMessage]:
        return self.server.mailbox

    def deliver(self, raw: bytes) -> None:
        self.server.mailbox.append(StoredMessage(raw=raw))

    def start(self) -> ImapServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

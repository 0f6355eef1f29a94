"""ClamAV through clamd's socket (INSTREAM command): a file is clean only when clamd says so."""

import socket
import struct

from django.conf import settings

CHUNK = 64 * 1024


class ScanUnavailable(Exception):
    """clamd could not be reached or gave no answer: the file stays « en attente d'analyse »."""


def scan_bytes(data: bytes, *, socket_path: str | None = None, timeout: float = 30) -> tuple[bool, str]:
    """Return (is_clean, clamd's answer). Raise ScanUnavailable when clamd cannot say."""
    socket_path = socket_path or settings.CLAMAV_SOCKET
    if not socket_path:
        raise ScanUnavailable("CLAMAV_SOCKET n’est pas configuré")
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(socket_path)
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                chunk = data[start : start + CHUNK]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                answer += part
    except OSError as exc:
        raise ScanUnavailable(str(exc)) from exc
    text = answer.rstrip(b"\0").decode("utf-8", "replace").strip()
    # "stream: OK", "stream: Eicar-Signature FOUND", or "INSTREAM size limit exceeded. ERROR"
    if text.endswith(" OK"):
        return True, text
    if text.endswith(" FOUND"):
        return False, text.removeprefix("stream: ")
    raise ScanUnavailable(text or "réponse vide de clamd")

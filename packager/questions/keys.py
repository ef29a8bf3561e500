"""Answer keys the quiz players can check but a reader of the page cannot simply read.

The quiz data in a page (site and SCORM) holds no answer in clear:

- a typed answer (short answer, a typed blank) is a *tag*: a salted SHA-256 of its normalised
  text; the player tags the learner's normalised response and compares;
- what goes with an answer (its grade, its feedback) is *sealed*: XORed with a SHA-256 key
  stream derived from the salt and the normalised answer, so only the response that earns it
  opens it;
- a wildcard answer (``Финл*``) is its fixed pieces, each tagged with its length; the player
  finds them in the response in order and, having found them, knows the whole pattern and opens
  its seal. The trade-off: the number and lengths of the pieces show, and a short piece is
  easier to guess than a whole answer;
- a choice, a matching pair or an ordering place is a tag or a seal keyed by the option's
  number: there are few possible responses, so this keeps the key out of sight, not secret;
- numbers (value, tolerance) are sealed under a key from the salt alone: obfuscated only (a
  range cannot be hashed, and a number is quickly guessed anyway).

The salt is derived from the question (its id, kind and text): the same source gives the same
bytes, a changed question new tags. kinds.js does the same in the browser (its normalise, tag
and seal must stay identical to these; tests/test_keys.py runs both).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import unicodedata
from decimal import Decimal

from ..model import Question

VERSION = "k1"  # changes every tag when the scheme changes

# the same characters as JavaScript's \s, so Python and the browser agree
_WS = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_SPACES = re.compile(f"[{_WS}]+")
TRAILING = re.compile(f"[{_WS}.,;:!?\u2026]+$")
_STARS = re.compile(r"\*+")
# typographic quotes and apostrophes as typed on a keyboard
QUOTES = str.maketrans(
    {
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e\uff02", '"'),
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2039\u203a\u2032\uff07", "'"),
    }
)


def normalise(text: str, case_sensitive: bool = False) -> str:
    """A typed answer as it is compared: Unicode NFC, typographic quotes as straight ones,
    runs of spaces as one, no spaces at the ends, no trailing punctuation (. , ; : ! ? …)
    unless nothing else is left, and small letters unless case matters."""
    t = unicodedata.normalize("NFC", text).translate(QUOTES)
    t = _SPACES.sub(" ", t).strip(" ")
    t = TRAILING.sub("", t) or t
    return t if case_sensitive else t.lower()


def salt(q: Question) -> str:
    return hashlib.sha256(_joined(VERSION, q.id, q.kind, q.text)).hexdigest()[:32]


def _joined(*parts: str) -> bytes:
    return "\x1f".join(parts).encode("utf-8")


def _digest(*parts: str) -> bytes:
    return hashlib.sha256(_joined(*parts)).digest()


def tag(salt: str, label: str, text: str) -> str:
    """64 bits of a salted SHA-256: enough to tell a right response from a wrong one."""
    return _digest(salt, "tag", label, text).hex()[:16]


def _stream(salt: str, label: str, text: str, size: int) -> bytes:
    out = b""
    block = 0
    while len(out) < size:
        out += _digest(salt, "key", label, text, str(block))
        block += 1
    return out[:size]


def _xor(data: bytes, stream: bytes) -> bytes:
    """``data`` XORed byte by byte with ``stream`` (as long), as whole numbers at once."""
    mixed = int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")
    return mixed.to_bytes(len(data), "big")


def seal(salt: str, label: str, text: str, payload: object) -> str:
    """``payload`` as JSON, XORed with the key stream of (salt, label, text), in base64."""
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    raw = data.encode("utf-8")
    return base64.b64encode(_xor(raw, _stream(salt, label, text, len(raw)))).decode("ascii")


def unseal(salt: str, label: str, text: str, box: str) -> object:
    """The payload of a seal (tests and tools: the browser has its own)."""
    mixed = base64.b64decode(box)
    raw = _xor(mixed, _stream(salt, label, text, len(mixed)))
    return json.loads(raw.decode("utf-8"))


def typed_answers(
    salt: str, prefix: str, answers: list[tuple[str, dict]], case_sensitive: bool
) -> list[dict]:
    """Typed answers in order (the first that matches counts, as in Moodle), each with what it
    earns (``payload``: fraction and feedback): ``{"t": tag, "b": seal}`` for an exact answer,
    ``{"w": [[length, tag], …], "b": seal}`` for one with ``*`` wildcards."""
    out = []
    for text, payload in answers:
        norm = normalise(text, case_sensitive)
        pieces = _STARS.split(norm)
        if len(pieces) == 1:
            out.append(
                {
                    "t": tag(salt, prefix + "answer", norm),
                    "b": seal(salt, prefix + "answer", norm, payload),
                }
            )
        else:
            spec = [[len(p), tag(salt, f"{prefix}piece{k}", p)] for k, p in enumerate(pieces)]
            out.append({"w": spec, "b": seal(salt, prefix + "answer", "*".join(pieces), payload)})
    return out


def choice_seals(salt: str, prefix: str, payloads: list[object]) -> list[str]:
    """One seal per option, opened by choosing that option."""
    return [seal(salt, prefix + "choice", str(i), p) for i, p in enumerate(payloads)]


def hidden(salt: str, label: str, payload: object) -> str:
    """Sealed under a key from the salt alone: out of sight, not secret (numbers, and the right
    answers the player shows after an attempt)."""
    return seal(salt, label, "", payload)


def order(salt: str, label: str, n: int) -> list[int]:
    """A fixed shuffle of ``range(n)`` for this question, never the identity (when n > 1): the
    order of matching answers and ordering items in the page's HTML."""
    perm = sorted(range(n), key=lambda i: tag(salt, label, str(i)))
    if n > 1 and perm == list(range(n)):
        perm = perm[1:] + perm[:1]
    return perm


def exact(value: float) -> str:
    """A number as written, every digit and no float artefacts: 0.4, 1990, 0.0000001."""
    text = format(Decimal(repr(float(value))).normalize(), "f")
    return "0" if text in ("-0", "0") else text


def bounds(value: float, tolerance: float) -> tuple[str, str]:
    """The range value ± tolerance, exactly in decimal: (0.39, 0.41), not 0.41000000000000003."""
    v, t = Decimal(repr(float(value))), Decimal(repr(float(tolerance)))
    return exact_decimal(v - t), exact_decimal(v + t)


def exact_decimal(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "0") else text

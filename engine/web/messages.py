"""What a phone or the dashboard may send: strict, size-limited pydantic models.

Every WebSocket frame is one JSON object whose ``t`` names the message. Anything else (unknown
keys, wrong types, long strings, a frame over :data:`MAX_FRAME` bytes) is refused before it
reaches the hub, so the hub only ever sees well-formed, bounded values.

====== =========================================== ===============================================
t      fields                                       answer
====== =========================================== ===============================================
peek   code                                         ``team``: name, scenario, roles and who took them
join   code, name, role (optional)                  ``joined`` with the token, then ``view``
hello  token                                        ``view`` (or ``error`` code ``bad_token``)
pick   role ("" = let the host choose)               ``view`` (lobby only)
act    aid, role, choice, node                      ``ack`` (ok or error), then ``view`` to the team
quiz   aid, item, option, phase                     ``ack``; the phone's seat answers the check
sync   --                                           ``view`` again
host   secret                                       ``dash`` with every team
org    op, team, role, name, seat, quiz             ``ack``; the dashboard updates
====== =========================================== ===============================================
"""

from __future__ import annotations

import json
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, TypeAdapter, ValidationError, field_validator

MAX_FRAME = 2048
MAX_NAME = 16

Id = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_\-]{0,63}$")]
Code = Annotated[str, Field(pattern=r"^[0-9A-Za-z]{4,8}$")]
Token = Annotated[str, Field(pattern=r"^[A-Za-z0-9_\-]{16,64}$")]


class BadMessage(ValueError):
    """A frame that is not a valid message; the text says what is wrong (in Chinese)."""


class _Msg(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def clean_name(value: str) -> str:
    """A display name: trimmed, control characters refused, 1..MAX_NAME characters."""
    value = unicodedata.normalize("NFC", value).strip()
    if not value:
        raise ValueError("请填写名字")
    if len(value) > MAX_NAME:
        raise ValueError(f"名字最多 {MAX_NAME} 个字")
    if any(unicodedata.category(ch)[0] == "C" for ch in value):
        raise ValueError("名字里有不可见字符")
    return value


class Peek(_Msg):
    t: Literal["peek"]
    code: Code


class Join(_Msg):
    t: Literal["join"]
    code: Code
    name: str = Field(max_length=64)
    role: Id | Literal[""] = ""

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        return clean_name(v)


class Hello(_Msg):
    t: Literal["hello"]
    token: Token


class Pick(_Msg):
    t: Literal["pick"]
    role: Id | Literal[""] = ""


class Act(_Msg):
    t: Literal["act"]
    aid: Annotated[str, Field(pattern=r"^[A-Za-z0-9_\-]{1,40}$")]
    role: Id
    choice: StrictInt = Field(ge=0, le=8)
    node: Id


class Quiz(_Msg):
    """An answer to the knowledge check (``option``: the index as written, as the view sent it)."""

    t: Literal["quiz"]
    aid: Annotated[str, Field(pattern=r"^[A-Za-z0-9_\-]{1,40}$")]
    item: Id
    option: StrictInt = Field(ge=0, le=8)
    phase: Literal["pre", "post"]


class Sync(_Msg):
    t: Literal["sync"]


class Host(_Msg):
    t: Literal["host"]
    secret: Annotated[str, Field(max_length=64)]


class Org(_Msg):
    t: Literal["org"]
    op: Literal[
        "new_team", "start", "pause", "unpause", "hint", "skip", "abandon", "close", "free_seat", "skip_quiz"
    ]
    team: Annotated[str, Field(pattern=r"^[0-9a-f]{1,16}$")] | Literal[""] = ""
    role: Id | Literal[""] = ""
    seat: Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")] | Literal[""] = ""
    name: str = Field(default="", max_length=64)
    aid: Annotated[str, Field(pattern=r"^[A-Za-z0-9_\-]{0,40}$")] = ""
    quiz: Literal["ask", "skip"] = "ask"  # start: ask the knowledge check, or the organizer skips it


Message = Annotated[Peek | Join | Hello | Pick | Act | Quiz | Sync | Host | Org, Field(discriminator="t")]
_adapter: TypeAdapter[Message] = TypeAdapter(Message)


def parse(frame: str | bytes) -> Message:
    """Decode one frame; raises BadMessage with a short Chinese reason."""
    if len(frame) > MAX_FRAME:
        raise BadMessage("消息太长")
    try:
        data: Any = json.loads(frame)
    except (ValueError, UnicodeDecodeError):
        raise BadMessage("消息不是有效的 JSON") from None
    except RecursionError:  # "[[[[..." nested past the interpreter's limit: no message is that deep
        raise BadMessage("消息嵌套太深") from None
    if not isinstance(data, dict):
        raise BadMessage("消息格式不对")
    try:
        return _adapter.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        reason = first.get("ctx", {}).get("error") or first.get("msg", "")
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise BadMessage(f"消息无效（{where}）：{reason}") from None

"""Response and input schemas shared by the API's routers."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class FieldErrorOut(Schema):
    field: str | None
    received: Any = None
    allowed: list[Any] | None = None
    message: str


class ErrorOut(Schema):
    error: list[FieldErrorOut]


class MessageOut(Schema):
    detail: str

"""Reading a form the class server was sent: only the fields a page has, each at most a few
hundred characters, or a plain 400 saying what was wrong."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from engine.server.security import MAX_BODY

MAX_FIELD = 400  # characters in any one field: ids, codes and tokens are far shorter


class BadForm(HTTPException):
    """A form that cannot be used; `detail` says why, for the error page."""

    def __init__(self, detail: str):
        super().__init__(400, detail)


async def read_form(request: Request, allowed: frozenset[str]) -> dict[str, str]:
    """The form's fields, each once, all of them among `allowed`; raises BadForm otherwise."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise BadForm("the page sent something that is not a form")
    if kind == "application/x-www-form-urlencoded":
        items = url_encoded_fields(await request.body(), len(allowed) + 1)
    else:
        async with request.form(
            max_files=0, max_fields=len(allowed) + 1, max_part_size=MAX_BODY
        ) as form:
            items = list(form.multi_items())
    fields: dict[str, str] = {}
    for name, value in items:
        if name not in allowed:
            shown = name if len(name) <= 40 else name[:40] + "..."
            raise BadForm(f"the form has a field this page does not have ({shown!r})")
        if name in fields:
            raise BadForm(f"the form has the field {name!r} twice")
        if isinstance(value, UploadFile):
            raise BadForm("this page takes no files")
        if len(value) > MAX_FIELD:
            raise BadForm(f"the field {name!r} is too long")
        fields[name] = value
    return fields


def url_encoded_fields(body: bytes, most: int) -> list[tuple[str, str]]:
    """A URL-encoded body's fields, as Starlette's form parser reads them (bytes as Latin-1,
    %-escapes as UTF-8, + as a space, a name without = as an empty value), but with the
    standard library's parser: python-multipart's, called back byte range by byte range,
    was most of a choice's form reading (docs/performance.md). Raises BadForm beyond `most`
    fields. The body's size is bounded before it gets here (`security.Guard`)."""
    try:
        return parse_qsl(
            body.decode("latin-1"),
            keep_blank_values=True,
            max_num_fields=most,
            encoding="utf-8",
            errors="replace",
        )
    except ValueError:  # more fields than `most`
        raise BadForm("the form has more fields than this page has") from None


def whole_number(text: str | None, what: str, most: int = 10**9) -> int:
    """A non-negative whole number from a form field (a step, a player's number)."""
    if text is None or not text.isascii() or not text.isdigit() or len(text) > 10:
        raise BadForm(f"the {what} is missing or not a number")
    number = int(text)
    if number > most:
        raise BadForm(f"the {what} is out of range")
    return number


def time_stamp(text: str | None) -> float | None:
    """When a page was shown, as the server wrote it into the form (seconds since the epoch);
    None when it is missing or not a plausible time (it only times the decision)."""
    if not text or len(text) > 20:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0 < value < 10**11 else None

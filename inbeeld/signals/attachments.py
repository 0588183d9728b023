"""Files a partner attaches to a signal: checked by content, stored encrypted, read audited.

A file's type is decided by what it contains (magic bytes, via puremagic), never by the
name or the type the browser claims; the name's extension must agree with the content, so
that nobody downloads "verslag.pdf" and gets a program. Content lives in the database,
base64 inside an encrypted field (see ``SignalAttachment``).
"""

from __future__ import annotations

import base64
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Protocol

import puremagic
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.accounts.models import Organisation, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.signals import services
from inbeeld.signals.models import Signal, SignalAttachment

MAX_FILES = 5
MAX_BYTES = 5 * 1024 * 1024
MAX_NAME_LENGTH = 200

PDF, JPEG, PNG, TEXT = "application/pdf", "image/jpeg", "image/png", "text/plain"
TYPE_FOR_EXTENSION = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".txt": TEXT}
BINARY_TYPES = frozenset({PDF, JPEG, PNG})
TYPE_NAMES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", TEXT: gettext_lazy("plain text")}
#: For the file picker only; the server decides by content.
ACCEPT = ",".join([*TYPE_FOR_EXTENSION, PDF, JPEG, PNG, TEXT])
FIELD = "attachments"

# Control characters other than tab, newline, carriage return and form feed do not occur in
# plain text; a file holding them is binary whatever its name says.
_TEXT_CONTROLS = frozenset(range(32)) - {9, 10, 12, 13}


class Upload(Protocol):
    """What Django's UploadedFile offers and this module uses."""

    name: str | None
    size: int | None

    def chunks(self, chunk_size: int | None = None) -> Iterable[bytes]: ...


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check: a clean name, its real type and its bytes."""

    name: str
    content_type: str
    content: bytes


def detected_type(content: bytes) -> str | None:
    """PDF, JPEG or PNG by magic bytes, plain text by having only text; otherwise None."""
    try:
        matches = puremagic.magic_string(content)
    except (puremagic.PureError, ValueError):
        matches = []
    if matches:
        best = max(match.confidence for match in matches)
        for match in matches:
            if match.confidence == best and match.offset == 0 and match.mime_type in BINARY_TYPES:
                return str(match.mime_type)
    return TEXT if _is_plain_text(content) else None


def _is_plain_text(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return _TEXT_CONTROLS.isdisjoint(content)  # control characters are single bytes in UTF-8


def clean_name(raw: str) -> str:
    """The base name without directories or control characters, at most 200 characters."""
    base = PurePath(raw.replace("\\", "/")).name
    printable = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    if len(printable) <= MAX_NAME_LENGTH:
        return printable
    suffix = PurePath(printable).suffix[:10]
    return printable[: MAX_NAME_LENGTH - len(suffix)] + suffix


def _problem(name: str, size: int, read: Upload) -> tuple[str, CheckedFile | None]:
    """What is wrong with one file ("" when nothing), and the checked file when nothing is."""
    extension = PurePath(name).suffix.lower()
    if extension not in TYPE_FOR_EXTENSION:
        return _("%(name)s: the name must end in .pdf, .jpg, .jpeg, .png or .txt.") % {
            "name": name
        }, None
    if size > MAX_BYTES:
        return _("%(name)s: the file is larger than 5 MB.") % {"name": name}, None
    content = b"".join(read.chunks())
    if not content:
        return _("%(name)s: the file is empty.") % {"name": name}, None
    if len(content) > MAX_BYTES:  # in case the reported size was wrong
        return _("%(name)s: the file is larger than 5 MB.") % {"name": name}, None
    kind = detected_type(content)
    if kind is None:
        return _(
            "%(name)s: this type of file is not allowed. Allowed are PDF, JPEG, PNG and plain text."
        ) % {"name": name}, None
    if kind != TYPE_FOR_EXTENSION[extension]:
        return _("%(name)s: the content is %(kind)s, which does not match the name.") % {
            "name": name,
            "kind": TYPE_NAMES[kind],
        }, None
    return "", CheckedFile(name=name, content_type=kind, content=content)


def attachments_check(files: Sequence[Upload]) -> list[CheckedFile]:
    """Every file checked; ValidationError on the attachments field naming each bad file."""
    if len(files) > MAX_FILES:
        raise ValidationError(
            {FIELD: [_("Attach at most %(count)d files.") % {"count": MAX_FILES}]}
        )
    problems: list[str] = []
    checked: list[CheckedFile] = []
    for upload in files:
        name = clean_name(upload.name or "") or _("(no name)")
        problem, good = _problem(name, upload.size or 0, upload)
        if good is None:
            problems.append(problem)
        else:
            checked.append(good)
    if problems:
        raise ValidationError({FIELD: problems})
    return checked


@transaction.atomic
def attachments_store(
    *, signal: Signal, files: Sequence[CheckedFile], by: User
) -> list[SignalAttachment]:
    stored = []
    for file in files:
        attachment = SignalAttachment.objects.create(
            signal=signal,
            file_name=file.name,
            content_type=file.content_type,
            size=len(file.content),
            content=base64.b64encode(file.content).decode("ascii"),
            uploaded_by=by,
        )
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=attachment,
            purpose=Purpose.SIGNAL_INTAKE,
            detail={"signal": signal.pk, "type": file.content_type, "size": len(file.content)},
        )
        stored.append(attachment)
    return stored


@transaction.atomic
def signal_create_with_attachments(
    *,
    data: services.SignalInput,
    by: User,
    organisation: Organisation,
    form_token: str,
    files: Sequence[Upload],
) -> tuple[Signal, bool]:
    """The staff form's submission: signal and files together, or nothing at all.

    Files are checked before anything is written. A repeated form token returns the signal
    the first submission made, without storing its files a second time.
    """
    checked = attachments_check(files)
    signal, created = services.signal_create_partner(
        data=data, by=by, organisation=organisation, idempotency_key="form:" + form_token
    )
    if created:
        attachments_store(signal=signal, files=checked, by=by)
    return signal, created


def attachment_content(attachment: SignalAttachment) -> bytes:
    return base64.b64decode(attachment.content)

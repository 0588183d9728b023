"""Files a partner attaches to a signal: checked by content, stored encrypted, read audited.

A file's type is decided by what it contains (magic bytes, via puremagic, and for the
Office formats partners send their structure), never by the name or the type the browser
claims; the name's extension must agree with the content, so that nobody downloads
"verslag.pdf" and gets a program. Content lives in the database, base64 inside an encrypted
field (see ``SignalAttachment``).

Word documents (.docx) and Outlook e-mails (.msg) are what partners actually send:
- a .docx must be a ZIP archive with the parts of a Word document ("[Content_Types].xml"
  and "word/document.xml"); one with macros (a .docm, or a .docx that holds
  "word/vbaProject.bin" or declares macro-enabled content) is refused with the reason:
  macros are programs that run when the file is opened;
- a .msg must be an OLE2 compound file with the streams of an Outlook message
  ("__properties_version1.0" and the message's own "__substg1.0_" properties), so that a
  renamed .doc or .xls is not taken for an e-mail. The files attached inside an e-mail are
  not opened here: like every attachment it is only ever offered as a download.
"""

from __future__ import annotations

import base64
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Protocol

import olefile
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
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MSG = "application/vnd.ms-outlook"
TYPE_FOR_EXTENSION = {
    ".pdf": PDF,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".txt": TEXT,
    ".docx": DOCX,
    ".msg": MSG,
}
BINARY_TYPES = frozenset({PDF, JPEG, PNG})
TYPE_NAMES = {
    PDF: "PDF",
    JPEG: "JPEG",
    PNG: "PNG",
    TEXT: gettext_lazy("plain text"),
    DOCX: gettext_lazy("a Word document"),
    MSG: gettext_lazy("an Outlook e-mail"),
}
#: For the file picker only; the server decides by content.
ACCEPT = ",".join([*TYPE_FOR_EXTENSION, PDF, JPEG, PNG, TEXT, DOCX, MSG])
FIELD = "attachments"
MACRO_EXTENSIONS = frozenset({".docm", ".dotm", ".xlsm", ".pptm"})

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A .docx is read only as far as its list of parts and its (small) content-types part: an
# archive with more parts than this, or that claims to unpack to more, is not a letter.
MAX_ZIP_PARTS = 2000
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_CONTENT_TYPES_BYTES = 1024 * 1024

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


class MacroError(ValueError):
    """A Word document with macros: refused, whatever its name says."""


def detected_type(content: bytes) -> str | None:
    """PDF, JPEG or PNG by magic bytes, a Word document or an Outlook e-mail by structure,
    plain text by having only text; otherwise None. MacroError for a document with macros."""
    if content.startswith(ZIP_MAGIC):
        return DOCX if _is_word_document(content) else None
    if content.startswith(OLE_MAGIC):
        return MSG if _is_outlook_message(content) else None
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


def _is_word_document(content: bytes) -> bool:
    """A ZIP archive with the parts of a Word document; MacroError when it holds macros."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_ZIP_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
                return False
            names = {part.filename for part in parts}
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return False
            types = archive.getinfo("[Content_Types].xml")
            if types.file_size > MAX_CONTENT_TYPES_BYTES:
                return False
            declared = archive.read(types).decode("utf-8", "replace").casefold()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, RuntimeError):
        return False  # damaged, encrypted or otherwise unreadable: not a Word document
    if "word/vbaproject.bin" in {name.casefold() for name in names} or "macroenabled" in declared:
        raise MacroError
    return True


def _is_outlook_message(content: bytes) -> bool:
    """An OLE2 compound file holding the streams of an Outlook message."""
    try:
        ole = olefile.OleFileIO(content)
    except (OSError, ValueError, IndexError, TypeError):
        return False  # an OLE2 header on something olefile cannot read
    try:
        streams = {"/".join(path) for path in ole.listdir(streams=True, storages=False)}
    finally:
        ole.close()
    return "__properties_version1.0" in streams and any(
        stream.startswith("__substg1.0_") for stream in streams
    )


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
    if extension in MACRO_EXTENSIONS:
        return _macro_problem(name), None
    if extension not in TYPE_FOR_EXTENSION:
        return _("%(name)s: the name must end in .pdf, .jpg, .jpeg, .png, .txt, .docx or .msg.") % {
            "name": name
        }, None
    if size > MAX_BYTES:
        return _("%(name)s: the file is larger than 5 MB.") % {"name": name}, None
    content = b"".join(read.chunks())
    if not content:
        return _("%(name)s: the file is empty.") % {"name": name}, None
    if len(content) > MAX_BYTES:  # in case the reported size was wrong
        return _("%(name)s: the file is larger than 5 MB.") % {"name": name}, None
    try:
        kind = detected_type(content)
    except MacroError:
        return _macro_problem(name), None
    if kind is None:
        return _(
            "%(name)s: this type of file is not allowed. Allowed are PDF, JPEG, PNG, plain "
            "text, Word documents (.docx) and Outlook e-mails (.msg)."
        ) % {"name": name}, None
    if kind != TYPE_FOR_EXTENSION[extension]:
        return _("%(name)s: the content is %(kind)s, which does not match the name.") % {
            "name": name,
            "kind": TYPE_NAMES[kind],
        }, None
    return "", CheckedFile(name=name, content_type=kind, content=content)


def _macro_problem(name: str) -> str:
    return _(
        "%(name)s: this Word document contains macros, small programs that run when the "
        "file is opened, so it is not accepted. Save it as a Word document without macros "
        "(.docx) or as PDF and attach that."
    ) % {"name": name}


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

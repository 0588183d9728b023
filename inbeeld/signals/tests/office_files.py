"""Small Office files made in the test, as partners send them: a Word document (.docx, a ZIP
archive) and an Outlook e-mail (.msg, an OLE2 compound file). Fictitious content only."""

from __future__ import annotations

import io
import struct
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="'
    '{main}"/></Types>'
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def word_document(*, macros: bool = False, parts: dict[str, bytes] | None = None) -> bytes:
    """A minimal .docx; ``macros`` adds a VBA project, as Word saves a .docm."""
    if parts is None:
        parts = {
            "[Content_Types].xml": CONTENT_TYPES.format(
                main=DOCM_MAIN if macros else DOCX_MAIN
            ).encode(),
            "word/document.xml": b"<w:document><w:body>Verslag (verzonnen)</w:body></w:document>",
        }
        if macros:
            parts["word/vbaProject.bin"] = b"\x00" * 64
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STREAM_SIZE = 4096  # at the mini-stream cutoff: kept in ordinary sectors, no mini FAT needed


def _entry(name: str, kind: int, *, right: int, child: int, start: int, size: int) -> bytes:
    encoded = name.encode("utf-16-le") + b"\x00\x00" if name else b""
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", NO_STREAM, right, child)
        + b"\x00" * 16  # CLSID
        + struct.pack("<I", 0)  # state bits
        + b"\x00" * 16  # created, modified
        + struct.pack("<IQ", start, size)
    )


def compound_file(stream_names: tuple[str, str]) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) with two 4 KB streams."""
    first, second = stream_names
    per_stream = STREAM_SIZE // 512
    fat = [FAT_SECTOR, END]  # sector 0: this FAT; sector 1: the directory
    for start in (2, 2 + per_stream):
        fat += [*range(start + 1, start + per_stream), END]
    fat += [FREE] * (128 - len(fat))
    directory = (
        _entry("Root Entry", 5, right=NO_STREAM, child=1, start=END, size=0)
        + _entry(first, 2, right=2, child=NO_STREAM, start=2, size=STREAM_SIZE)
        + _entry(
            second, 2, right=NO_STREAM, child=NO_STREAM, start=2 + per_stream, size=STREAM_SIZE
        )
        + _entry("", 0, right=NO_STREAM, child=NO_STREAM, start=0, size=0)
    )
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", FREE) * 108
    )
    streams = b"".join(name.encode("ascii")[:1] * STREAM_SIZE for name in stream_names)
    return header + struct.pack("<128I", *fat) + directory + streams


def outlook_message() -> bytes:
    """A minimal .msg: the property stream and one property (the subject) of a message."""
    return compound_file(("__properties_version1.0", "__substg1.0_0037001F"))


def old_word_document() -> bytes:
    """An OLE2 file that is not an e-mail (a Word 97 .doc has a "WordDocument" stream)."""
    return compound_file(("WordDocument", "1Table"))

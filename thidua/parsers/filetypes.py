"""What a file really is, judged from its bytes only.

Schools rename files, mail clients claim ``application/octet-stream`` for
everything, and a ``.docx`` may be a renamed ``.doc`` or a plain text file; the
name and the claimed MIME type are therefore never consulted.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile

import olefile

TYPES = (
    "docx",
    "docm",
    "xlsx",
    "xlsm",
    "pptx",
    "odt",
    "ods",
    "zip",
    "pdf",
    "doc",
    "xls",
    "ppt",
    "msg",
    "ole_encrypted",
    "ole",
    "rar",
    "7z",
    "gzip",
    "jpeg",
    "png",
    "gif",
    "tiff",
    "bmp",
    "webp",
    "heic",
    "rtf",
    "html",
    "eml",
    "tnef",
    "text",
    "unknown",
)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_MAGIC = (
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"{\\rtf", "rtf"),
    (b"\x78\x9f\x3e\x22", "tnef"),
)
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif"}

# Types that may carry macros: read like their plain forms, the macros never run.
MACRO_ENABLED = frozenset({"docm", "xlsm"})
# Main-part content types of OOXML packages; macro-enabled ones differ only here.
_OOXML_MAIN = (
    ("application/vnd.ms-word.document.macroenabled.main+xml", "docm"),
    ("application/vnd.ms-word.template.macroenabledtemplate.main+xml", "docm"),
    ("wordprocessingml.document.main+xml", "docx"),
    ("wordprocessingml.template.main+xml", "docx"),
    ("application/vnd.ms-excel.sheet.macroenabled.main+xml", "xlsm"),
    ("application/vnd.ms-excel.template.macroenabled.main+xml", "xlsm"),
    ("spreadsheetml.sheet.main+xml", "xlsx"),
    ("spreadsheetml.template.main+xml", "xlsx"),
    ("presentationml.", "pptx"),
    ("application/vnd.ms-powerpoint.", "pptx"),
)
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_CONTENT_TYPES_LIMIT = 1 << 20

_EML_HEADER = re.compile(
    rb"^(?:from|to|cc|subject|date|message-id|received|return-path|mime-version|"
    rb"delivered-to|content-type|reply-to|x-[a-z0-9-]+):",
    re.IGNORECASE | re.MULTILINE,
)
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta)\b", re.IGNORECASE | re.DOTALL
)


def sniff(data: bytes) -> str:
    """One of ``TYPES``. Never raises: anything unrecognisable is ``"unknown"``."""
    try:
        return _sniff(bytes(data))
    except Exception:  # a sniffer that crashes on hostile bytes would lose the mail
        return "unknown"


def _sniff(data: bytes) -> str:
    head = data[:16]
    if head.startswith(_ZIP_MAGICS):
        return _sniff_zip(data)
    if head.startswith(_OLE_MAGIC):
        return _sniff_ole(data)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "heic"
    if head.startswith(b"BM") and len(data) > 26 and data[6:10] == b"\x00\x00\x00\x00":
        return "bmp"
    # After the signatures at offset 0: a stored rar or a winmail.dat whose first file
    # is a PDF holds "%PDF-" early too. Readers accept junk before the header, so do we.
    if b"%PDF-" in data[:1024]:
        return "pdf"
    return _sniff_text(data)


def _sniff_zip(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except Exception:
        return "zip"  # a truncated archive: its kind is unknowable without the directory
    if "[Content_Types].xml" in names:
        return _ooxml_kind(archive, names)
    if "mimetype" in names:
        kind = _odf_kind(archive)
        if kind:
            return kind
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def _ooxml_kind(archive: zipfile.ZipFile, names: set[str]) -> str:
    try:
        info = archive.getinfo("[Content_Types].xml")
        if info.file_size > _CONTENT_TYPES_LIMIT:
            raise ValueError("oversized [Content_Types].xml")
        content_types = archive.read(info).decode("utf-8", "replace").lower()
    except Exception:
        content_types = ""
    for marker, kind in _OOXML_MAIN:
        if marker in content_types:
            return kind
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    # An Office package we cannot read (xlsb, vsdx…): not an archive a person made.
    return "unknown"


def _odf_kind(archive: zipfile.ZipFile) -> str:
    try:
        mimetype = archive.read("mimetype")[:100].strip()
    except Exception:
        return ""
    return _ODF_MIMETYPES.get(mimetype, "")


def _sniff_ole(data: bytes) -> str:
    try:
        with open_compound_file(data) as ole:
            streams = {"/".join(path).lower() for path in ole.listdir(streams=True, storages=True)}
    except Exception:
        return "ole"
    if "encryptedpackage" in streams and "encryptioninfo" in streams:
        return "ole_encrypted"
    if "worddocument" in streams:
        return "doc"
    if "workbook" in streams or "book" in streams:
        return "xls"
    if "powerpoint document" in streams:
        return "ppt"
    if any(name.startswith("__substg1.0_") or name == "__properties_version1.0" for name in streams):
        return "msg"
    return "ole"


def _sniff_text(data: bytes) -> str:
    sample = data[:4096]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"
    if sample.startswith(b"\xef\xbb\xbf"):
        sample = sample[3:]
    if not sample or b"\x00" in sample:
        return "unknown"
    if _HTML_START.match(sample):
        return "html"
    if _looks_like_mail(sample):
        return "eml"
    if _is_text(sample):
        return "html" if b"<html" in sample[:1024].lower() else "text"
    return "unknown"


def _looks_like_mail(sample: bytes) -> bool:
    header_block = re.split(rb"\r?\n\r?\n", sample, maxsplit=1)[0]
    first_line = header_block.split(b"\n", 1)[0]
    if not re.match(rb"^[!-9;-~]+:", first_line) and not first_line.startswith(b"From "):
        return False
    return len(_EML_HEADER.findall(header_block)) >= 2


def _is_text(sample: bytes) -> bool:
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as error:
        if error.start >= len(sample) - 3:  # a character cut at the sample's end
            return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\f")
    return controls == 0 and _decodes(sample, "cp1258")


def _decodes(sample: bytes, encoding: str) -> bool:
    try:
        sample.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


# ---------------------------------------------------------------------------- compound files

_FREE_SECTOR, _END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE
_HEADER_FAT_SECTORS = 109


def open_compound_file(data: bytes) -> olefile.OleFileIO:
    """olefile on a stranger's compound file (.doc, .xls, .msg), within what its size allows.

    olefile reads as many sectors as a count in the header or a directory entry claims,
    following the FAT, and only logs a count the file is too small for: with a FAT that
    loops, a 3 kB file claiming a mini FAT of a billion sectors fills memory. So the
    header's counts, the directory's chain and every entry's size are checked against the
    file first. Raises ValueError for a file that fails them, olefile's errors otherwise.
    """
    data = bytes(data)
    if len(data) < 512 or not data.startswith(_OLE_MAGIC):
        raise ValueError("no compound file header")
    sector_shift, mini_shift = struct.unpack_from("<HH", data, 30)
    if sector_shift not in (9, 12) or mini_shift != 6:
        raise ValueError(f"sector shifts {sector_shift}, {mini_shift}")
    sector = 1 << sector_shift
    sectors = (len(data) - 1) // sector  # the header takes the first one
    (
        directory_sectors,
        fat_sectors,
        first_directory,
        _transaction,
        _cutoff,
        _first_mini_fat,
        mini_fat_sectors,
        first_difat,
        difat_sectors,
    ) = struct.unpack_from("<9I", data, 40)
    for what, count in (
        ("directory", directory_sectors),
        ("FAT", fat_sectors),
        ("mini FAT", mini_fat_sectors),
        ("DIFAT", difat_sectors),
    ):
        if count > sectors:
            raise ValueError(f"{count} {what} sectors in a file of {sectors}")
    fat = _fat(data, sector, sectors, first_difat, difat_sectors)
    _check_chain(fat, first_directory, "directory")
    ole = olefile.OleFileIO(io.BytesIO(data))  # bytes under 1536 would be taken for a path
    if any(entry is not None and entry.size > len(data) for entry in ole.direntries):
        ole.close()
        raise ValueError("a stream larger than the file")
    return ole


def _fat(data: bytes, sector: int, sectors: int, first_difat: int, difat_sectors: int) -> list[int]:
    """The FAT as olefile assembles it: the FAT sectors listed in the header, then those
    listed in each DIFAT sector, each list up to its first free or end mark."""
    lists = [struct.unpack_from(f"<{_HEADER_FAT_SECTORS}I", data, 76)]
    difat, seen = first_difat, set()
    for _ in range(difat_sectors):
        if difat >= sectors or difat in seen:
            raise ValueError("the DIFAT chain loops or leaves the file")
        seen.add(difat)
        entries = struct.unpack_from(f"<{sector // 4}I", data, (difat + 1) * sector)
        lists.append(entries[:-1])
        difat = entries[-1]
    fat: list[int] = []
    for numbers in lists:
        for number in numbers:
            if number in (_FREE_SECTOR, _END_OF_CHAIN):
                break
            if number >= sectors:
                raise ValueError(f"FAT sector {number} beyond the file")
            fat += struct.unpack_from(f"<{sector // 4}I", data, (number + 1) * sector)
    return fat


def _check_chain(fat: list[int], start: int, what: str) -> None:
    seen = set()
    while start != _END_OF_CHAIN:
        if start >= len(fat) or start in seen:
            raise ValueError(f"the {what} chain loops or leaves the FAT")
        seen.add(start)
        start = fat[start]

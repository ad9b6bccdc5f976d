"""The worker's side of OCR (see ocr.py): a school's scan or photo decoded into page
images (Pillow, pdfium), each page read by Tesseract.

Lines come from Tesseract's TSV output (word, line, confidence), one Paragraph
per line as the PDF reader gives them, so "Họ tên người đăng ký: …" stays one
line for the form labels; lines Tesseract itself barely believes (noise,
stamps, photos of people) are dropped.
"""

from __future__ import annotations

import io
import math
import re
import subprocess
import time
import warnings
from collections.abc import Iterator

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageFilter, ImageOps, UnidentifiedImageError

from thidua.parsers.content import DocumentText, Paragraph, UnreadableDocument
from thidua.parsers.tesseract import DEFAULT_LIMITS, LANGUAGE, TESSERACT, OcrLimits, child_env
from thidua.text import clean

_TSV_COLUMNS = 12
# "5, Mục tiêu…": the full stop after an item's number, read as a comma, would hide the label.
_MISREAD_NUMBERING = re.compile(r"^(\d{1,2}),(?= [^\W\d_])")
SMALL_PAGE_SIDE = 2000  # pixels; a page image shorter than this on its long side is enlarged
# A sheet of paper seen by a scanner or a phone: most of the picture is one light tone (the
# sheet, this much of it at least). Photos of classes, events and people, which schools send
# as evidence by the dozen, fail this and are not read: Tesseract would spend seconds on each
# and find nothing.
PAPER_SHARE = 0.4
PAPER_SPREAD = 48  # tones of grey a lit sheet spans from its brightest part (uneven light, shade)
PAPER_SATURATION = 64  # of 255: cream paper and yellow lamplight stay below it
DARKEST_PAPER = 96
_CHECK_SIDE = 256  # pixels; the check looks at a thumbnail


def ocr_image(data: bytes, limits: OcrLimits = DEFAULT_LIMITS) -> DocumentText:
    """The text of a photo or scanned image (every frame of a multi-page TIFF, up to the page cap)."""
    image = _open_image(data)
    frames = _frame_count(image)
    format_ = (image.format or "image").lower()
    if image.format in ("JPEG", "MPO") and not looks_like_paper(_jpeg_thumbnail(data)):
        # decided on a thumbnail the JPEG decoder makes at an eighth of the cost
        return DocumentText(format=format_, blocks=(), is_scan=True, pages=frames, notes=("not a page",))
    pages = (_image_page(image, index, limits) for index in range(min(frames, limits.max_pages)))
    return _recognised(format_, pages, frames, limits)


def looks_like_paper(image: Image.Image) -> bool:
    """Whether ``image`` shows a sheet of paper (see PAPER_SHARE): enough of it is light and
    colourless. Skin, clothes, grass and sky are tinted; paper, even cream or in shade, is not."""
    small = image.copy() if max(image.size) > _CHECK_SIDE else image
    if small is not image:
        small.thumbnail((_CHECK_SIDE, _CHECK_SIDE))
    colour = small.convert("RGB")
    grey = colour.convert("L")
    histogram = grey.histogram()
    total = sum(histogram)
    if not total:
        return False
    seen, paper_tone = 0, 255
    for paper_tone in range(255, -1, -1):  # the brightest tenth of the picture is the paper
        seen += histogram[paper_tone]
        if seen >= total / 10:
            break
    if paper_tone < DARKEST_PAPER:
        return False
    light = grey.point(lambda tone: 255 if tone >= paper_tone - PAPER_SPREAD else 0)
    colourless = colour.convert("HSV").getchannel("S").point(lambda s: 255 if s <= PAPER_SATURATION else 0)
    paper = ImageChops.multiply(light, colourless).histogram()[255]
    return paper / total >= PAPER_SHARE


def _jpeg_thumbnail(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        image.draft("RGB", (_CHECK_SIDE, _CHECK_SIDE))
        return ImageOps.exif_transpose(image)
    except Exception as error:
        raise UnreadableDocument("corrupt", f"{type(error).__name__}: {error}"[:200]) from None


def ocr_pdf(data: bytes, limits: OcrLimits = DEFAULT_LIMITS) -> DocumentText:
    """The text of a PDF whose pages are images, each page rendered at ``limits.dpi``."""
    try:
        document = pdfium.PdfDocument(bytes(data))
    except Exception as error:
        raise UnreadableDocument("corrupt", f"{type(error).__name__}: {error}"[:200]) from None
    try:
        total = len(document)
        pages = (_pdf_page(document, index, limits) for index in range(min(total, limits.max_pages)))
        return _recognised("pdf", pages, total, limits)
    finally:
        document.close()


def _recognised(
    format_: str, pages: Iterator[tuple[Image.Image, int | None]], total: int, limits: OcrLimits
) -> DocumentText:
    """Each page through Tesseract until the pages, the file's time or a broken page run out;
    a later page that fails costs that page and the rest, not the pages already read."""
    deadline = time.monotonic() + limits.file_seconds
    lines: list[str] = []
    read = 0
    try:
        for image, dpi in pages:
            if deadline - time.monotonic() < 1:
                break
            if not looks_like_paper(image):
                read += 1
                continue
            found = _page_lines(image, dpi, limits, deadline)
            if not found and deadline - time.monotonic() > 1:
                # Grain (a dim room, a cheap camera, a fax) can hide every line from the page
                # layout analysis; a median filter removes it at the cost of a second pass.
                found = _page_lines(image.filter(ImageFilter.MedianFilter(3)), dpi, limits, deadline)
            lines += found
            read += 1
    except subprocess.TimeoutExpired:
        if not read:
            raise UnreadableDocument(
                "too_large", f"no page recognised within {limits.page_seconds:g} s"
            ) from None
    except UnreadableDocument:
        if not read:
            raise
    notes = (("ocr",) if lines else ()) + (("truncated",) if read < total else ())
    return DocumentText(
        format=format_, blocks=tuple(map(Paragraph, lines)), is_scan=True, pages=total, notes=notes
    )


def _page_lines(image: Image.Image, dpi: int | None, limits: OcrLimits, deadline: float) -> list[str]:
    timeout = min(limits.page_seconds, deadline - time.monotonic())
    return _text_lines(_tesseract_tsv(_png(image, dpi), timeout), limits.min_line_confidence)


def _text_lines(tsv: str, min_confidence: float) -> list[str]:
    """Tesseract's TSV output as text lines in reading order (NFC), noise lines left out."""
    words_by_line: dict[tuple[str, ...], list[tuple[float, str]]] = {}
    for row in tsv.splitlines()[1:]:
        columns = row.split("\t")
        if len(columns) != _TSV_COLUMNS or columns[0] != "5" or not columns[11].strip():
            continue  # not a word (page, block, paragraph and line rows carry no text)
        try:
            confidence = float(columns[10])
        except ValueError:
            continue
        words_by_line.setdefault(tuple(columns[1:5]), []).append((confidence, columns[11]))
    lines = []
    for words in words_by_line.values():  # dicts keep Tesseract's reading order
        text = _MISREAD_NUMBERING.sub(r"\1.", clean(" ".join(word for _, word in words)), count=1)
        confidence = sum(c for c, _ in words) / len(words)
        if confidence >= min_confidence and any(ch.isalnum() for ch in text):
            lines.append(text)
    return lines


def _tesseract_tsv(png: bytes, timeout: float) -> str:
    try:
        completed = subprocess.run(
            [TESSERACT, "stdin", "stdout", "-l", LANGUAGE, "--psm", "3", "tsv"],
            input=png,
            capture_output=True,
            timeout=timeout,
            env=child_env(),
            check=False,
        )
    except FileNotFoundError:
        raise UnreadableDocument("unsupported", "tesseract is not installed") from None
    if completed.returncode != 0:
        detail = completed.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise UnreadableDocument("corrupt", f"tesseract exit {completed.returncode}: {detail[0]}"[:200])
    return completed.stdout.decode("utf-8", "replace")


def _open_image(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UnreadableDocument("too_large", str(error)[:200]) from None
    except UnidentifiedImageError:
        raise UnreadableDocument("unsupported", "image format Pillow cannot decode (e.g. HEIC)") from None
    except Exception as error:
        raise UnreadableDocument("corrupt", f"{type(error).__name__}: {error}"[:200]) from None


def _frame_count(image: Image.Image) -> int:
    """The pages of an image. Counting walks a TIFF's or GIF's frame headers, where a broken
    later frame raises (TypeError, KeyError, struct.error…): then the first frame is the page,
    and decoding it says whether the file is readable at all."""
    if image.format == "MPO":  # some phones: a second, smaller view of the same scene
        return 1
    try:
        return max(1, getattr(image, "n_frames", 1))
    except Exception:
        return 1


def _image_page(image: Image.Image, index: int, limits: OcrLimits) -> tuple[Image.Image, int | None]:
    """Frame ``index`` as an upright grey page of at most ``limits.page_pixels``; its size is
    checked before a single pixel is decoded. No DPI: Tesseract estimates a photo's own."""
    try:
        image.seek(index)
        if image.format in ("JPEG", "MPO"):  # decode at 1/2, 1/4 or 1/8 scale when that is enough
            scale = _scale_for(image.width * image.height, limits.page_pixels)
            image.draft("L", (math.ceil(image.width * scale), math.ceil(image.height * scale)))
        if image.width * image.height > limits.max_pixels:
            raise UnreadableDocument("too_large", f"{image.width} x {image.height} pixels")
        return _enlarged_if_small(
            _scaled(_grey(ImageOps.exif_transpose(image)), limits.page_pixels), limits
        ), None
    except UnreadableDocument:
        raise
    except Exception as error:
        raise UnreadableDocument("corrupt", f"{type(error).__name__}: {error}"[:200]) from None


def _pdf_page(document, index: int, limits: OcrLimits) -> tuple[Image.Image, int]:
    page = document[index]
    try:
        width, height = page.get_size()  # points
        scale = (limits.dpi / 72) * _scale_for(width * height * (limits.dpi / 72) ** 2, limits.page_pixels)
        bitmap = page.render(scale=scale, grayscale=True)
        return bitmap.to_pil().convert("L"), round(scale * 72)
    except Exception as error:
        raise UnreadableDocument("corrupt", f"{type(error).__name__}: {error}"[:200]) from None
    finally:
        page.close()


def _scale_for(pixels: float, limit: int) -> float:
    return 1.0 if pixels <= limit else math.sqrt(limit / pixels)


def _scaled(image: Image.Image, limit: int) -> Image.Image:
    scale = _scale_for(image.width * image.height, limit)
    if scale >= 1.0:
        return image
    return image.resize(
        (max(1, int(image.width * scale)), max(1, int(image.height * scale))),
        Image.Resampling.BILINEAR,
        reducing_gap=2.0,
    )


def _enlarged_if_small(image: Image.Image, limits: OcrLimits) -> Image.Image:
    """Photos resized by a messaging app (1280 or 1600 pixels long) carry type a dozen pixels
    high, too small for Tesseract's model; twice the size reads them."""
    if max(image.size) >= SMALL_PAGE_SIDE or image.width * image.height * 4 > limits.page_pixels:
        return image
    return image.resize((image.width * 2, image.height * 2), Image.Resampling.LANCZOS)


def _grey(image: Image.Image) -> Image.Image:
    """Grey on white: a transparent background (screenshots, exports) would otherwise turn black."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        white = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(white, image.convert("RGBA"))
    return image.convert("L")


def _png(image: Image.Image, dpi: int | None) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1, **({"dpi": (dpi, dpi)} if dpi else {}))
    return buffer.getvalue()

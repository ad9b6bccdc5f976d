"""Scans and photos of paper forms, made the way a school makes them.

The form is printed (a PDF laid out by reportlab in DejaVu Sans, see ``builders.make_pdf``),
signed and stamped on paper, then scanned or photographed: the page is turned into pixels
by pdfium, and saved as PNG, JPEG or an image-only PDF as scanners and phones do.
Everything returns ``bytes`` or a Pillow image; nothing touches the disk.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

from tests.support.builders import (
    FONT_PATH,
    REGISTRATION_EXAMPLE,
    REGISTRATION_LABELS,
    REGISTRATION_TITLE,
    make_pdf,
)

SCAN_DPI = 200


def registration_lines(**values) -> list[str]:
    """Mẫu gợi ý số 1 filled with REGISTRATION_EXAMPLE updated by ``values``, as printed lines."""
    values = {**REGISTRATION_EXAMPLE, **values}
    lines = [
        str(values["school"]).upper(),
        *REGISTRATION_TITLE,
        f"Thời gian thực hiện: Năm học {values['school_year']}",
    ]
    for key, (number, label) in REGISTRATION_LABELS.items():
        value = values[key]
        if isinstance(value, str) and number <= 3:
            lines.append(f"{number}. {label.rstrip(':')}: {value}")
        else:
            lines.append(f"{number}. {label}")
            lines.extend([value] if isinstance(value, str) else value)
    # room for the signature between the signer's title and name, as on the printed form
    return lines + ["", "Người đăng ký", "(Ký, ghi rõ họ tên)", "", "", "", "", str(values["full_name"])]


def printed_page(lines: Sequence[str], dpi: int = SCAN_DPI) -> Image.Image:
    """The first page of ``lines`` printed as a PDF, as a scanner at ``dpi`` sees it (grey)."""
    return scanned_page(make_pdf(list(lines)), dpi)


def scanned_page(pdf: bytes, dpi: int = SCAN_DPI) -> Image.Image:
    """The first page of a printed ``pdf`` as a scanner at ``dpi`` sees it (grey)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return document[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()


def signed_and_stamped(page: Image.Image) -> Image.Image:
    """The page with a blue signature stroke and the school's red round stamp over it."""
    image = page.convert("RGB")
    draw = ImageDraw.Draw(image)
    width = image.width
    bottom = ImageOps.invert(page.convert("L")).getbbox()[3]  # the signer's name, the last printed line
    x, y = int(width * 0.3), bottom - int(width * 0.05)  # in the room left for the signature
    draw.line(
        [(x - 120, y), (x - 60, y - 40), (x - 10, y + 10), (x + 50, y - 30), (x + 120, y)],
        fill=(30, 50, 160),
        width=5,
    )
    radius = int(width * 0.055)
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=(200, 30, 30), width=8)
    draw.ellipse(
        (x - radius + 24, y - radius + 24, x + radius - 24, y + radius - 24), outline=(200, 30, 30), width=3
    )
    return image


def photographed(page: Image.Image) -> Image.Image:
    """The page as a phone photographs it: slightly turned, on greyish paper, a little soft."""
    image = page.convert("RGB").rotate(
        1.5, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(120, 110, 100)
    )
    paper = Image.new("RGB", image.size, (228, 224, 214))
    image = Image.blend(paper, image, 0.8).filter(ImageFilter.GaussianBlur(0.8))
    return image


def picture_of_text(
    lines: Sequence[str],
    size: tuple[int, int] = (1400, 500),
    *,
    mode: str = "L",
    background: int | tuple = 255,
    ink: int | tuple = 0,
) -> Image.Image:
    """A few lines of text drawn straight onto pixels (a screenshot, a slide)."""
    image = Image.new(mode, size, background)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT_PATH), 36)
    for index, line in enumerate(lines):
        draw.text((60, 60 + index * 60), line, font=font, fill=ink)
    return image


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg(image: Image.Image, quality: int = 75, exif: Image.Exif | None = None) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=quality, **({"exif": exif} if exif else {}))
    return buffer.getvalue()


def image_pdf(*pages: Image.Image) -> bytes:
    """A PDF as a scanner writes it: each page one image over the whole A4 page, no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for page in pages:
        pdf.drawImage(ImageReader(page.convert("RGB")), 0, 0, width=A4[0], height=A4[1])
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def event_photo(seed: int = 1, size: tuple[int, int] = (900, 600)) -> bytes:
    """A phone photo of a school event (no sheet of paper in it): colour, shapes and sensor noise, as JPEG."""
    import random

    rng = random.Random(seed)
    image = Image.new("RGB", size, (rng.randrange(60, 200), rng.randrange(90, 200), rng.randrange(120, 230)))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y, r = rng.randrange(size[0]), rng.randrange(size[1]), rng.randrange(15, 90)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    noise = Image.effect_noise(size, 40).convert("RGB")
    return jpeg(Image.blend(image, noise, 0.25).filter(ImageFilter.GaussianBlur(1)), quality=85)

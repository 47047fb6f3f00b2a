"""Small files for upload tests: a real PDF header, a real PNG, a Windows executable, plain text."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf_file(name: str = "entente.pdf", size: int | None = None) -> SimpleUploadedFile:
    content = PDF_BYTES if size is None else PDF_BYTES + b"0" * max(0, size - len(PDF_BYTES))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def png_file(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def exe_renamed_pdf() -> SimpleUploadedFile:
    # A minimal PE header: 'MZ' then the PE offset pointing at 'PE\0\0'.
    head = bytearray(b"MZ" + b"\x90\x00" * 29 + b"\x00" * 2)
    head += b"\x00" * (0x3C - len(head))
    head += (0x40).to_bytes(4, "little")
    head += b"PE\x00\x00" + b"\x00" * 200
    return SimpleUploadedFile("facture.pdf", bytes(head), content_type="application/pdf")


def text_file(name: str = "notes.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"Ceci n'est qu'un texte.\n" * 10, content_type="application/pdf")


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Argon2 takes a third of a second per user; tests that do not check hashing import this fixture."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

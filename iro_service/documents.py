"""What a document is, from its own bytes: a PDF starts with %PDF-; a Word document (.docx) is
a zip holding [Content_Types].xml and word/document.xml. The name and the type a browser
claims are never trusted (the minutes uploads and the document portal both ask here)."""

import zipfile

PDF = "pdf"
DOCX = "docx"
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
WORD_PARTS = {"[Content_Types].xml", "word/document.xml"}


def kind_of(upload) -> str:
    """PDF, DOCX or "" for anything else; the upload is left at its start."""
    upload.seek(0)
    start = upload.read(8)
    upload.seek(0)
    if start.startswith(b"%PDF-"):
        return PDF
    if not start.startswith(b"PK\x03\x04"):
        return ""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return ""
    finally:
        upload.seek(0)
    return DOCX if WORD_PARTS <= names else ""


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""

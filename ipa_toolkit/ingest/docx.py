"""Word transcripts: body paragraphs in reading order, text inside tables included.

The document XML is walked directly (not through python-docx's paragraph objects) so that
the same walk also yields where Word comments are anchored: transcript text and comment
anchors then come from one reading and cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..safety import check_office
from .document import RawDocument

SUFFIXES = (".docx",)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SKIP = {W + "del", W + "moveFrom", W + "instrText", W + "delText", W + "txbxContent",
         W + "commentReference", W + "footnoteReference", W + "endnoteReference",
         "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
         W + "rPr", W + "pPr"}
_SPACE = {W + "tab", W + "br", W + "cr", W + "ptab"}


@dataclass
class DocxText:
    """Paragraph texts in reading order, and where comment ranges start and end."""

    paragraphs: list[str] = field(default_factory=list)
    containers: list[int] = field(default_factory=list)  # 0 = body, else a table cell
    starts: dict[str, tuple[int, int]] = field(default_factory=dict)  # id -> (para, offset)
    ends: dict[str, tuple[int, int]] = field(default_factory=dict)
    comments: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> text, author...


def _paragraph(p, out: DocxText, container: int) -> None:
    buf: list[str] = []
    index = len(out.paragraphs)

    def visit(el) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == W + "t":
                buf.append(child.text or "")
            elif tag in _SPACE:
                buf.append(" ")
            elif tag == W + "noBreakHyphen":
                buf.append("-")
            elif tag == W + "commentRangeStart":
                out.starts[child.get(W + "id")] = (index, sum(map(len, buf)))
            elif tag == W + "commentRangeEnd":
                out.ends[child.get(W + "id")] = (index, sum(map(len, buf)))
            else:
                visit(child)

    visit(p)
    out.paragraphs.append("".join(buf))
    out.containers.append(container)


def _blocks(parent, out: DocxText, container: int, counter: list[int]) -> None:
    for child in parent:
        tag = child.tag
        if tag == W + "p":
            _paragraph(child, out, container)
        elif tag == W + "tbl":
            for tr in child.iter(W + "tr"):
                if tr.getparent() is not child:
                    continue  # rows of a nested table are walked inside their cell
                for tc in tr.findall(W + "tc"):
                    counter[0] += 1
                    _blocks(tc, out, counter[0], counter)
        elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "smartTag"):
            _blocks(child, out, container, counter)
        elif tag in (W + "commentRangeStart", W + "commentRangeEnd"):
            # a range marker between paragraphs: at the start of the next / end of the last
            where = (len(out.paragraphs), 0) if tag.endswith("Start") else \
                (max(len(out.paragraphs) - 1, 0),
                 len(out.paragraphs[-1]) if out.paragraphs else 0)
            (out.starts if tag.endswith("Start") else out.ends)[child.get(W + "id")] = where


def walk_docx(path: Path) -> DocxText:
    """Read a .docx safely: text in reading order, comment ranges and comment texts.

    A document without comments is read straight from its main part (the bare transcript
    needs nothing else); one with comments goes through python-docx, which reads them.
    """
    parts = check_office(path, ".docx", "word/document.xml", "a Word document",
                         keep=lambda name: name.endswith(".rels") or name.endswith(".xml"))
    try:
        main = _main_part(parts)
        if main is not None and not _has_comments(parts, main):
            return _walk_part(parts[main], path)
        import docx

        document = docx.Document(str(path))
        out = DocxText()
        _blocks(document.element.body, out, 0, [0])
        for c in _comments(document):
            out.comments[str(c["id"])] = c
    except InputError:
        raise
    except Exception as exc:  # python-docx and lxml raise many types on damaged parts
        detail = " ".join(str(exc).split())[:200]
        raise InputError(f"cannot read this .docx ({type(exc).__name__}: {detail})",
                         path=str(path), hint="open and re-save it in Word") from exc
    return out


_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "/officeDocument"


def _rels(parts: dict[str, bytes], name: str) -> list[tuple[str, str, str]]:
    """(type, target, mode) of each relationship in a .rels part (none if it is missing)."""
    data = parts.get(name)
    if data is None:
        return []
    root = _parse(data)
    return [(r.get("Type", ""), r.get("Target", ""), r.get("TargetMode", ""))
            for r in root.iter(_REL)]


def _main_part(parts: dict[str, bytes]) -> str | None:
    """The package's main document part, as its officeDocument relationship names it."""
    for kind, target, mode in _rels(parts, "_rels/.rels"):
        if kind.endswith(_OFFICE_DOCUMENT) and mode != "External":
            name = target.lstrip("/")
            return name if name in parts else None
    return None


def _has_comments(parts: dict[str, bytes], main: str) -> bool:
    folder, _, base = main.rpartition("/")
    rels = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    return any(kind.endswith("/comments") for kind, _, _ in _rels(parts, rels))


def _parse(data: bytes):
    """lxml tree of an already checked part, parsed as python-docx parses it (no entities,
    no network, no DTD, blank text between elements dropped)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_blank_text=True)
    return etree.fromstring(data.lstrip(b"\xef\xbb\xbf").lstrip(), parser)


def _walk_part(data: bytes, path: Path) -> DocxText:
    body = _parse(data).find(W + "body")
    if body is None:
        raise InputError("not a Word document (its main part has no body)", path=str(path),
                         hint="open and re-save it in Word")
    out = DocxText()
    _blocks(body, out, 0, [0])
    return out


def _comments(document) -> list[dict[str, str]]:
    """The comments part, if any: id, author, date and text of each comment."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    part = document.part
    if not any(r.reltype == RT.COMMENTS for r in part.rels.values()):
        return []
    found = []
    for c in document.comments:
        found.append({"id": str(c.comment_id), "author": c.author or "",
                      "date": c.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ") if c.timestamp
                      else "", "text": " ".join(c.text.split())})
    return found


def read(path: Path) -> RawDocument:
    return RawDocument(walk_docx(path).paragraphs, "docx")

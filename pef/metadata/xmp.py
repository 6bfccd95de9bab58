"""XMP packets: pef's properties merged into whatever packet a file already has, and read back.

Only the properties pef writes are replaced (keyword bags are joined with what is there); every other
property, namespace and structure of an existing packet is kept.
"""

from __future__ import annotations

import functools
import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from pef.metadata.plan import MetadataPlan, SureXmp
from pef.metadata.timezone import WallClock
from pef.model.photo import GeoPoint

X = "adobe:ns:meta/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML = "http://www.w3.org/XML/1998/namespace"
DC = "http://purl.org/dc/elements/1.1/"
XMP = "http://ns.adobe.com/xap/1.0/"
EXIF = "http://ns.adobe.com/exif/1.0/"
PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
LR = "http://ns.adobe.com/lightroom/1.0/"

PREFIXES = {
    X: "x",
    RDF: "rdf",
    DC: "dc",
    XMP: "xmp",
    EXIF: "exif",
    PHOTOSHOP: "photoshop",
    IPTC_EXT: "Iptc4xmpExt",
    LR: "lr",
}
MAX_DEPTH = 64  # real packets nest under 10 deep; the serialiser recurses
PACKET_ID = "W5M0MpCehiHzreSzNTczkc9d"  # the fixed id every XMP packet carries
ALBUM_ROOT, PEOPLE_ROOT = "Albums", "People"

Property = tuple[str, str]  # namespace, name
CREATE_DATE, DATE_CREATED = (XMP, "CreateDate"), (PHOTOSHOP, "DateCreated")
DATE_TIME_ORIGINAL = (EXIF, "DateTimeOriginal")
GPS_VERSION, GPS_LATITUDE, GPS_LONGITUDE = (EXIF, "GPSVersionID"), (EXIF, "GPSLatitude"), (EXIF, "GPSLongitude")
GPS_ALTITUDE, GPS_ALTITUDE_REF = (EXIF, "GPSAltitude"), (EXIF, "GPSAltitudeRef")
DESCRIPTION, SUBJECT, PERSON_IN_IMAGE = (DC, "description"), (DC, "subject"), (IPTC_EXT, "PersonInImage")
HIERARCHICAL_SUBJECT, RATING = (LR, "hierarchicalSubject"), (XMP, "Rating")


class XmpUnreadable(ValueError):
    pass


class XmpPacket(NamedTuple):
    """A packet made or merged; a note when the file's own was unreadable and was replaced."""

    data: bytes
    note: str = ""
    sure: SureXmp | None = None  # made afresh, its meaning known as it was made: what a writer hands its check


@dataclass(frozen=True)
class Bag:
    """An unordered list; merged with the items already there."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class LangAlt:
    """A text in the default language; replaces what was there."""

    text: str


Value = str | Bag | LangAlt


def xmp_coordinate(value: float, positive: str, negative: str) -> str:
    """XMP's GPS form "DDD,MM.mmmmmmR" (degrees, decimal minutes, reference letter)."""
    degrees = int(abs(value))
    minutes = (abs(value) - degrees) * 60
    return f"{degrees},{minutes:.6f}{positive if value >= 0 else negative}"


def _altitude(geo: GeoPoint) -> dict[Property, Value]:
    if geo.altitude is None:
        return {}
    return {GPS_ALTITUDE: f"{round(abs(geo.altitude) * 1000)}/1000", GPS_ALTITUDE_REF: "1" if geo.altitude < 0 else "0"}


# the writer asks, then the check of the file it wrote, with the same plan and date: the last answer is kept
_last_properties: list[tuple[MetadataPlan | None, WallClock | None, Mapping[Property, Value]]] = [(None, None, {})]


def xmp_properties(plan: MetadataPlan, when: WallClock | None) -> Mapping[Property, Value]:
    """The XMP properties that carry a plan's date, place and words (not to be changed: they are kept)."""
    last_plan, last_when, last = _last_properties[0]
    if plan is last_plan and when is last_when:
        return last
    props = _properties(plan, when)
    _last_properties[0] = (plan, when, props)
    return props


def _properties(plan: MetadataPlan, when: WallClock | None) -> dict[Property, Value]:
    props: dict[Property, Value] = {}
    if when is not None:
        stamp = when.iso
        props |= {CREATE_DATE: stamp, DATE_CREATED: stamp, DATE_TIME_ORIGINAL: stamp}
    if plan.geo is not None:
        props |= {
            GPS_VERSION: "2.3.0.0",
            GPS_LATITUDE: xmp_coordinate(plan.geo.latitude, "N", "S"),
            GPS_LONGITUDE: xmp_coordinate(plan.geo.longitude, "E", "W"),
            **_altitude(plan.geo),
        }
    if plan.description:
        props[DESCRIPTION] = LangAlt(plan.description)
    if plan.people:
        props[PERSON_IN_IMAGE] = Bag(plan.people)
    if plan.people or plan.albums:
        props[SUBJECT] = Bag(plan.people + plan.albums)
        hierarchy = [f"{PEOPLE_ROOT}|{name}" for name in plan.people] + [f"{ALBUM_ROOT}|{a}" for a in plan.albums]
        props[HIERARCHICAL_SUBJECT] = Bag(tuple(hierarchy))
    if plan.favorite:
        props[RATING] = "5"
    return props


def _qualified(prop: Property) -> str:
    return f"{{{prop[0]}}}{prop[1]}"


def _items(element: ET.Element) -> list[str]:
    """The texts of a property element: its rdf:li items, or its own text."""
    items = [(li.text or "") for li in element.iter(f"{{{RDF}}}li")]
    return items if items else ([element.text.strip()] if element.text and element.text.strip() else [])


def _parse(packet: bytes) -> tuple[ET.Element, dict[str, str]]:
    """The packet's root element and the prefixes it declares (uri → prefix), for a merge that keeps them."""
    parser = ET.XMLPullParser(events=("start-ns", "end"))  # iterparse makes a class each call
    _feed(parser, packet)
    prefixes: dict[str, str] = {}
    root = None
    for event, item in parser.read_events():
        if event == "start-ns":
            prefixes.setdefault(item[1], item[0])
        else:
            root = item
    return _checked(root), prefixes


def _feed(parser: ET.XMLParser | ET.XMLPullParser, packet: bytes) -> ET.Element | None:
    """Parse the whole packet; returns what the parser's `close` does (a pull parser's root is its last event)."""
    data = packet.rstrip(b"\x00 \t\r\n")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # XMP never needs them; they only serve entity bombs
        raise XmpUnreadable("it declares a DOCTYPE or entities")
    try:
        parser.feed(data)
        return parser.close()
    except ET.ParseError as error:
        raise XmpUnreadable(f"it is not well-formed XML ({error})") from error


def _checked(root: ET.Element | None) -> ET.Element:
    """The root, if it nests no deeper than the serialiser recurses and holds an rdf:RDF."""
    level, depth = [root] if root is not None else [], 0
    while level:  # a level at a time: no recursion into what may be a bomb
        depth += 1
        if depth > MAX_DEPTH:
            raise XmpUnreadable(f"its elements nest more than {MAX_DEPTH} deep")
        level = [child for element in level for child in element]
    if root is None or _rdf(root) is None:
        raise XmpUnreadable("it has no rdf:RDF")
    return root


def _rdf(root: ET.Element) -> ET.Element:
    """The first rdf:RDF, the root itself or within it (`iter` looks in C; a `find` path is walked in Python)."""
    return next(root.iter(f"{{{RDF}}}RDF"), None)  # type: ignore[arg-type]


def _take(description: ET.Element, prop: Property) -> list[str]:
    """Remove a property from one rdf:Description (attribute or element form); returns its items."""
    name, found = _qualified(prop), []
    if name in description.attrib:
        found.append(description.attrib.pop(name))
    for child in list(description):
        if child.tag == name:
            found.extend(_items(child))
            description.remove(child)
    return found


def _property_element(prop: Property, value: Value) -> ET.Element:
    element = ET.Element(_qualified(prop))
    if isinstance(value, str):
        element.text = value
        return element
    container = ET.SubElement(element, f"{{{RDF}}}{'Alt' if isinstance(value, LangAlt) else 'Bag'}")
    if isinstance(value, LangAlt):
        ET.SubElement(container, f"{{{RDF}}}li", {f"{{{XML}}}lang": "x-default"}).text = value.text
    else:
        for item in value.items:
            ET.SubElement(container, f"{{{RDF}}}li").text = item
    return element


def _merged(value: Value, before: list[str]) -> Value:
    """A property's new value: a bag joined with the items it had (each once), anything else as it is."""
    return Bag(tuple(dict.fromkeys([*before, *value.items]))) if isinstance(value, Bag) else value


def merge_xmp(existing: bytes | None, props: Mapping[Property, Value]) -> XmpPacket:
    """A packet holding `props` and everything else of `existing`; a note when `existing` was unreadable."""
    if not existing:
        return _fresh_packet(props)
    try:
        root, prefixes = _parse(existing)
    except XmpUnreadable as error:
        return _fresh_packet(props)._replace(note=f"existing XMP was unreadable ({error}) and was replaced")
    return XmpPacket(_merged_packet(root, prefixes, props))


def _xmpmeta(rdf: ET.Element) -> ET.Element:
    """pef's x:xmpmeta around an rdf:RDF."""
    root = ET.Element(f"{{{X}}}xmpmeta", {f"{{{X}}}xmptk": "pef"})
    root.append(rdf)
    return root


def _merged_packet(root: ET.Element, prefixes: dict[str, str], props: Mapping[Property, Value]) -> bytes:
    if root.tag == f"{{{RDF}}}RDF":
        root = _xmpmeta(root)
    rdf = _rdf(root)
    descriptions = rdf.findall(f"{{{RDF}}}Description")
    about = next((d.get(f"{{{RDF}}}about") for d in descriptions if d.get(f"{{{RDF}}}about")), "")
    ours = ET.Element(f"{{{RDF}}}Description", {f"{{{RDF}}}about": about})
    for prop, value in props.items():
        before = [item for description in descriptions for item in _take(description, prop)]
        ours.append(_property_element(prop, _merged(value, before)))
    rdf.append(ours)
    return packet_bytes(root, {**PREFIXES, **prefixes})


_HOLE = re.compile("\x00[0-9]+\x01")  # where a text goes in a packet's template: no tag or namespace holds one
# what XML 1.0 cannot hold at all (a carriage return it can: `_escape` writes it as a reference)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
Shape = tuple[tuple[Property, type, tuple[bool, ...]], ...]  # each property, its kind, which of its texts are filled


def _fresh_packet(props: Mapping[Property, Value]) -> XmpPacket:
    """A packet of `props` alone (most photos come with none): the serialiser's text for a packet of this shape,
    with the texts put in its holes. Sure when the shape's template read back and every text reads as written."""
    shape: list[tuple[Property, type, tuple[bool, ...]]] = []
    texts: list[str] = []
    plain = True  # a plain property reads back stripped: one with blanks around it (never pef's own) is not sure
    for prop, value in props.items():
        if isinstance(value, Bag):
            items = _merged(value, []).items
        elif isinstance(value, LangAlt):
            items = (value.text,)
        else:
            items = (value,)
            plain = plain and value != "" and value == value.strip()
        shape.append((prop, type(value), tuple(map(bool, items))))  # an empty text closes its element
        texts += filter(None, items)
    pieces, read_back = _template(tuple(shape))
    out = [pieces[0]]
    for text, piece in zip(texts, pieces[1:], strict=True):
        out += (_escape(text), piece)
    data = "".join(out).encode("utf-8")
    sure = read_back and plain and not any(_NOT_XML.search(text) for text in texts)
    return XmpPacket(data, sure=SureXmp(data, props) if sure else None)


@functools.lru_cache(maxsize=256)
def _template(shape: Shape) -> tuple[tuple[str, ...], bool]:
    """A fresh packet of this shape as the serialiser writes it, cut at its holes; and whether, filled, it reads
    back as its texts (read once a shape, so a packet made from it needs no parse of its own)."""
    props: dict[Property, Value] = {}
    numbers = itertools.count()  # each hole its own text: a bag's items are kept once each
    for prop, kind, filled in shape:
        holes = tuple(f"\x00{next(numbers)}\x01" if full else "" for full in filled)
        props[prop] = holes[0] if kind is str else LangAlt(holes[0]) if kind is LangAlt else Bag(holes)
    packet = _merged_packet(_xmpmeta(ET.Element(f"{{{RDF}}}RDF")), {}, props).decode("utf-8")
    pieces = tuple(_HOLE.split(packet))
    return pieces, _reads_as_its_texts(pieces, shape)


def _reads_as_its_texts(pieces: tuple[str, ...], shape: Shape) -> bool:
    """Whether a template, its holes filled with texts of its own, reads back as each property's texts."""
    texts = [f"text{number}" for number in range(len(pieces) - 1)]
    filled = "".join(itertools.chain.from_iterable(zip(pieces, [*texts, ""], strict=True)))
    try:
        found = read_xmp(filled.encode("utf-8"))
    except XmpUnreadable:
        return False
    handed = iter(texts)
    for prop, kind, full in shape:
        wanted = tuple(next(handed) if text else "" for text in full)
        if found.get(prop, ()) != (() if kind is str and wanted == ("",) else wanted):  # an empty plain one is none
            return False
    return next(handed, None) is None


def packet_bytes(root: ET.Element, prefixes: dict[str, str]) -> bytes:
    """Serialise with the file's own prefixes (ElementTree would rename them ns0, ns1, …)."""
    used: dict[str, str] = {}

    def name(qualified: str) -> str:
        if not qualified.startswith("{"):
            return qualified
        uri, local = qualified[1:].split("}", 1)
        if uri == XML:
            return f"xml:{local}"
        if uri not in used:
            prefix = prefixes.get(uri) or f"ns{len(used)}"
            while prefix in used.values():
                prefix += "_"
            used[uri] = prefix
        return f"{used[uri]}:{local}"

    def write(element: ET.Element, out: list[str]) -> None:
        tag = name(element.tag)
        out.append("<" + tag)
        for key, value in element.attrib.items():
            out.append(f' {name(key)}="{_escape(value, True)}"')
        text = element.text
        if len(element) or text:
            out.append(">" + _escape(text) if text else ">")
            for child in element:
                write(child, out)
                if child.tail:
                    out.append(_escape(child.tail))
            out.append(f"</{tag}>")
        else:
            out.append("/>")

    body: list[str] = []
    write(root, body)
    declarations = "".join(f' xmlns:{prefix}="{_escape(uri, True)}"' for uri, prefix in used.items())
    first = body[0]
    body[0] = first + declarations
    return (f'<?xpacket begin="\ufeff" id="{PACKET_ID}"?>\n' + "".join(body) + '\n<?xpacket end="w"?>').encode("utf-8")


def _escape(text: str, attribute: bool = False) -> str:
    # a carriage return as a reference, even in a text: XML parsers read a bare one as a line feed
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def read_xmp(packet: bytes) -> dict[Property, tuple[str, ...]]:
    """Every top-level property of every rdf:Description, as its list of texts."""
    root = _checked(_feed(ET.XMLParser(), packet))  # a tree built in C: no events to go through
    found: dict[Property, tuple[str, ...]] = {}
    for description in _rdf(root).findall(f"{{{RDF}}}Description"):
        for key, value in description.attrib.items():
            if key.startswith("{") and not key.startswith(f"{{{RDF}}}"):
                uri, local = key[1:].split("}", 1)
                found[(uri, local)] = (value,)
        for child in description:
            uri, local = child.tag[1:].split("}", 1)
            found[(uri, local)] = tuple(_items(child))
    return found


def xmp_file_packet(plan: MetadataPlan, when: WallClock | None) -> bytes:
    """A stand-alone .xmp file for a format pef does not write into."""
    return merge_xmp(None, xmp_properties(plan, when)).data

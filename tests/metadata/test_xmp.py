"""XMP packets: a packet made afresh is the one the merge would make, for any texts."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from pef.metadata.plan import MetadataPlan
from pef.metadata.timezone import WallClock
from pef.metadata.xmp import (
    _NOT_XML,
    DATE_CREATED,
    DESCRIPTION,
    GPS_LATITUDE,
    HIERARCHICAL_SUBJECT,
    PERSON_IN_IMAGE,
    RATING,
    SUBJECT,
    Bag,
    LangAlt,
    _reads_as_its_texts,
    _template,
    merge_xmp,
    read_xmp,
    xmp_properties,
)
from pef.model.photo import GeoPoint

# a readable packet with nothing in it: merging into it goes through the element tree
EMPTY = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="pef">'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF></x:xmpmeta>'
)
PROPERTIES = (DATE_CREATED, GPS_LATITUDE, DESCRIPTION, SUBJECT, PERSON_IN_IMAGE, HIERARCHICAL_SUBJECT, RATING)


def _props(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[dict]:
    texts = st.text(alphabet, max_size=6)
    values = st.one_of(texts, texts.map(LangAlt), st.lists(texts, max_size=4).map(lambda items: Bag(tuple(items))))
    return st.dictionaries(st.sampled_from(PROPERTIES), values, max_size=len(PROPERTIES))


@settings(max_examples=300, deadline=None)
@given(_props(st.sampled_from(list("a &<>\"'\n\t\x00\x01é日😀0123"))))
def test_a_packet_made_afresh_is_the_one_merged_into_an_empty_packet(props: dict) -> None:
    fresh, merged = merge_xmp(None, props), merge_xmp(EMPTY, props)
    assert (fresh.data, fresh.note) == (merged.data, merged.note) == (fresh.data, "")
    assert merge_xmp(b"<x:xmpmeta><rdf:RDF", props).data == fresh.data  # unreadable: replaced by the same packet


@settings(max_examples=200, deadline=None)
@given(_props(st.sampled_from(list("a &<>\"'é日😀0123"))))
def test_a_packet_made_afresh_reads_back_as_its_texts(props: dict) -> None:
    found = read_xmp(merge_xmp(None, props).data)
    for prop, value in props.items():
        if isinstance(value, Bag):
            assert found[prop] == tuple(dict.fromkeys(value.items))
        elif isinstance(value, LangAlt):
            assert found[prop] == (value.text,)
        else:
            assert found[prop] == ((value.strip(),) if value.strip() else ())


def _read_as(value: object) -> tuple[str, ...]:
    """What the parser must read for a property a fresh packet holds, as the read-back check asks it."""
    if isinstance(value, Bag):
        return tuple(dict.fromkeys(value.items))
    return (value.text,) if isinstance(value, LangAlt) else (str(value),)


@settings(max_examples=400, deadline=None)
@given(_props(st.sampled_from(list("a &<>\"'\r\n\t \x00\x01\x7f\ufffe\uffffé日😀0"))))
def test_a_packet_said_to_be_sure_reads_back_as_its_texts_and_every_other_is_parsed(props: dict) -> None:
    """The check compares a sure packet byte for byte instead of parsing it: that is only right when the
    parser would read each of its texts as written. A text XML cannot hold, or a plain value the parser
    would strip, makes the packet unsure: the check then parses it, as it parses a merged one."""
    packet = merge_xmp(None, props)
    texts = [t for v in props.values() for t in (v.items if isinstance(v, Bag) else [getattr(v, "text", v)])]
    plain = [v for v in props.values() if isinstance(v, str)]
    readable = not any(_NOT_XML.search(text) for text in texts) and all(v and v == v.strip() for v in plain)
    assert (packet.sure is not None) == readable
    if packet.sure is not None:
        assert packet.sure.data == packet.data and packet.sure.meaning == props
        found = read_xmp(packet.data)
        assert {prop: found.get(prop) for prop in props} == {prop: _read_as(value) for prop, value in props.items()}
    assert merge_xmp(EMPTY, props).sure is None  # merged into a packet of the file's own: parsed


def test_a_template_that_would_not_read_back_as_its_shape_is_not_trusted() -> None:
    """Each shape's template is read back once before any packet made from it is called sure."""
    one = ((DATE_CREATED, str, (True,)), (SUBJECT, Bag, (True, True)))
    other = ((SUBJECT, Bag, (True, True)), (DATE_CREATED, str, (True,)))  # the same holes, another order
    pieces, trusted = _template(one)
    assert trusted and _reads_as_its_texts(pieces, one)
    assert not _reads_as_its_texts(pieces, other)
    assert not _reads_as_its_texts((*pieces[:1], "<broken", *pieces[2:]), one)
    assert not _reads_as_its_texts(pieces, ((DATE_CREATED, str, (True,)),))  # a hole left over


def test_each_plan_gets_its_own_properties_whatever_was_asked_before() -> None:
    when = WallClock(datetime(2021, 5, 6, 7, 8, 9), timedelta(hours=2))
    later = WallClock(datetime(2022, 1, 2, 3, 4, 5), timedelta(hours=-5))
    paris = MetadataPlan(1_620_277_689, None, GeoPoint(48.85, 2.35, None), "Paris")
    tokyo = MetadataPlan(1_620_277_689, None, GeoPoint(35.68, 139.69, 40.0), "", ("Ann",), True)
    asked = [(paris, when), (paris, when), (tokyo, when), (tokyo, later), (paris, later), (paris, when)]
    for plan, clock in asked:
        props = xmp_properties(plan, clock)
        assert props[DATE_CREATED] == clock.iso
        assert props[GPS_LATITUDE] == ("48,51.000000N" if plan is paris else "35,40.800000N")
        assert (DESCRIPTION in props, RATING in props) == ((True, False) if plan is paris else (False, True))

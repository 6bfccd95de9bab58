"""XMP packets: a packet made afresh is the one the merge would make, for any texts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pef.metadata.xmp import (
    DATE_CREATED,
    DESCRIPTION,
    GPS_LATITUDE,
    HIERARCHICAL_SUBJECT,
    PERSON_IN_IMAGE,
    RATING,
    SUBJECT,
    Bag,
    LangAlt,
    merge_xmp,
    read_xmp,
)

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
    fresh, note = merge_xmp(None, props)
    assert (fresh, note) == merge_xmp(EMPTY, props)
    assert merge_xmp(b"<x:xmpmeta><rdf:RDF", props)[0] == fresh  # unreadable: replaced by the same packet


@settings(max_examples=200, deadline=None)
@given(_props(st.sampled_from(list("a &<>\"'é日😀0123"))))
def test_a_packet_made_afresh_reads_back_as_its_texts(props: dict) -> None:
    found = read_xmp(merge_xmp(None, props)[0])
    for prop, value in props.items():
        if isinstance(value, Bag):
            assert found[prop] == tuple(dict.fromkeys(value.items))
        elif isinstance(value, LangAlt):
            assert found[prop] == (value.text,)
        else:
            assert found[prop] == ((value.strip(),) if value.strip() else ())

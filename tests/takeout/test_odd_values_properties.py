"""Properties over what a Takeout can hold: any sidecar values, any file names. Never a crash, never a loss."""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pef.metadata.timezone import resolve_zone
from pef.model.outcomes import FileStatus, Reason
from pef.model.photo import Metadata
from pef.model.records import FileTask, RunSettings
from pef.run.copy_file import FileCopier
from pef.takeout.destinations import OutputNamer
from pef.takeout.file_names import MAX_NAME_BYTES, collision_key
from pef.takeout.naming import nfc
from pef.takeout.parts import find_parts
from pef.takeout.parts_source import PartsSource
from pef.takeout.sidecar import SidecarProblem, parse_sidecar
from pef.takeout.source import EntryKind, FolderSource
from tests.promises import unique_jpeg

JPEG = unique_jpeg(1)
json_leaf = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(["--5", "1²", "٣", " 12 ", "-0", "1e3", "0x10", "99999999999999999999", "\ud800", "\x00"])
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
geo = st.fixed_dictionaries({}, optional={"latitude": json_value, "longitude": json_value, "altitude": json_value})
sidecars = st.fixed_dictionaries(
    {"title": json_value},
    optional={
        "photoTakenTime": st.fixed_dictionaries({}, optional={"timestamp": json_value}) | json_value,
        "geoData": geo | json_value,
        "geoDataExif": geo,
        "description": json_value,
        "people": st.lists(st.fixed_dictionaries({"name": json_value}) | json_value, max_size=3) | json_value,
        "favorited": json_value,
    },
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=sidecars, zone=st.sampled_from(["auto", "local", "UTC", "Pacific/Kiritimati", "Etc/GMT+12"]))
def test_any_sidecar_values_give_a_copy_and_a_reason_never_a_crash(document: dict, zone: str) -> None:
    data = json.dumps(document, ensure_ascii=True).encode()  # \ud800 travels as JSON's own escape
    parsed = parse_sidecar(data)
    assert isinstance(parsed, Metadata | SidecarProblem)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "src").mkdir()
        (root / "out" / ".pef-work").mkdir(parents=True)
        (root / "src" / "a.jpg").write_bytes(JPEG)
        (root / "src" / "a.jpg.json").write_bytes(data)
        source = PartsSource(find_parts([root / "src"]))
        list(source.entries())
        processor = FileCopier(source, root / "out", RunSettings(timezone=zone), resolve_zone(zone))
        record = processor.process(FileTask("a.jpg", len(JPEG), "a.jpg", "a.jpg.json", None, None))
        assert record.reason is not Reason.INTERNAL_ERROR, record
        assert record.status in (FileStatus.DONE, FileStatus.UNMATCHED), record
        assert (root / "out" / "a.jpg").stat().st_size >= len(JPEG)
        json.dumps(record.as_json(), ensure_ascii=False).encode("utf-8", "backslashreplace")


name_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1, max_size=80
).map(lambda text: text * (1 + 200 // (len(text.encode()) + 1)))
name_forms = st.tuples(name_text, st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"])).map(
    lambda pair: unicodedata.normalize(pair[1], pair[0]).encode()
) | st.binary(min_size=1, max_size=255).filter(lambda raw: b"/" not in raw and b"\x00" not in raw)


def _fits(raw: bytes) -> bytes | None:
    raw = raw[:255]
    return raw if raw not in (b".", b"..") and raw else None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_names=st.lists(name_forms.map(_fits).filter(bool), min_size=1, max_size=6, unique=True))
def test_any_names_are_each_read_once_and_land_under_distinct_portable_names(raw_names: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        written = {}
        for index, raw in enumerate(raw_names):
            path = os.fsencode(root) + b"/" + raw
            with open(path, "wb") as handle:
                handle.write(b"%d" % index)
            written[raw] = b"%d" % index
        source = FolderSource(root)
        entries = list(source.entries())
        assert len(entries) == len(raw_names) and all(entry.kind is EntryKind.FILE for entry in entries)
        keys = [entry.key for entry in entries]
        assert len(set(keys)) == len(keys), keys
        contents = sorted(source.open(key).read() for key in keys)  # each opened by its real on-disk name
        assert contents == sorted(written.values())
        for key in keys:
            key.encode("utf-8")  # a key is always storable text
            assert nfc(key) == key or nfc(key) in keys
        namer = OutputNamer()
        outputs = [namer.file(key) for key in sorted(keys)]
        assert len({collision_key(name) for name in outputs}) == len(outputs)
        for name in outputs:
            assert len(name.encode()) <= MAX_NAME_BYTES and nfc(name) == name
            assert not set(name) & set('<>:"\\|?*') and not name.endswith((" ", "."))


tree_names = st.text(alphabet="ab-.é_ Z0", min_size=1, max_size=4).filter(lambda name: name not in (".", ".."))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paths=st.lists(st.lists(tree_names, min_size=1, max_size=3), min_size=1, max_size=12))
def test_a_folder_lists_its_entries_in_key_order(paths: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for parts in paths:
            path = root.joinpath(*parts)
            if any(parent.is_file() for parent in path.parents) or path.is_dir():
                continue  # a name already a file, or already a folder
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"x")
        keys = [entry.key for entry in FolderSource(root).entries()]
        assert keys == sorted(keys)

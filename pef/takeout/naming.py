"""Google Takeout's naming rules as pure functions (see docs/takeout-format.md).

Both sides of a pair are reduced to *keys*: a sidecar name yields the keys of the titles it can
stand for, a media name the keys of the titles that can have produced it. A pair is a shared key.
Keys compare NFC text; only the extension part is case-folded (Google keeps the title's case there).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from enum import Enum
from typing import NamedTuple

SUPPLEMENTAL = ".supplemental-metadata"
SIDECAR_HEAD_UNITS = 46
MEDIA_STEM_UNITS = 47

IMAGE_EXTENSIONS = frozenset(
    ".jpg .jpeg .jpe .jfif .png .gif .webp .heic .heif .avif .bmp .tif .tiff .ico "
    ".dng .cr2 .cr3 .crw .nef .nrw .arw .srf .sr2 .orf .rw2 .raf .srw .pef .raw .rwl .3fr .erf .kdc".split()
)
VIDEO_EXTENSIONS = frozenset(
    ".mp4 .m4v .mov .qt .3gp .3g2 .avi .mkv .wmv .mpg .mpeg .mts .m2ts .webm .flv .asf .mp".split()
)
MEDIA_EXTENSIONS = IMAGE_EXTENSIONS | VIDEO_EXTENSIONS

# Spellings of one format that Google may swap between a title, its sidecar and its file.
_EXTENSION_FAMILIES = (
    frozenset({".jpg", ".jpeg", ".jpe", ".jfif"}),
    frozenset({".tif", ".tiff"}),
    frozenset({".heic", ".heif"}),
)
# Google converts some HEIC photos to JPEG and keeps the HEIC title: IMG_1559.jpg ↔ IMG_1559.HEIC.json.
_CONVERTED_FROM = {ext: (".HEIC", ".HEIF") for ext in _EXTENSION_FAMILIES[0]}
_CONVERTED_STILLS = frozenset({".heic", ".heif"})  # IMG_2367.HEIC.jpg: a still converted from IMG_2367.HEIC

EDIT_SUFFIXES: tuple[str, ...] = (
    "-edited",
    "-bearbeitet",
    "-modifié",
    "-modificato",
    "-bewerkt",
    "-edytowane",
    "-編集済み",
    "-ha editado",
    "-editado",
    "-editat",
    "-muokattu",
    "-düzenlendi",
    "-已修改",
    "-已編輯",
    "-编辑",
    "-измененный",
    "-redigeret",
    "-redigert",
    "-redigerad",
    "-upraveno",
    "-upravené",
    "-szerkesztett",
    "-편집됨",
    "-modificată",
    "-diedit",
    "-đã chỉnh sửa",
    "-แก้ไข",
    "-επεξεργασμένο",
    "-відредаговано",
)

# Album description files and other JSON in a Takeout that never describe one photo.
NON_SIDECAR_JSON = frozenset(
    name.casefold()
    for name in (
        "metadata.json",
        "métadonnées.json",
        "metadaten.json",
        "metadati.json",
        "metadatos.json",
        "metadados.json",
        "metadane.json",
        "metadata's.json",
        "metagegevens.json",
        "метаданные.json",
        "метадані.json",
        "メタデータ.json",
        "元数据.json",
        "中繼資料.json",
        "메타데이터.json",
        "metadatok.json",
        "metadatové údaje.json",
        "meta veriler.json",
        "print-subscriptions.json",
        "shared_album_comments.json",
        "user-generated-memory-titles.json",
    )
)

_DUP = re.compile(r"\((\d{1,6})\)$")
_TILDE_COPY = re.compile(r"~\d+$")


class MediaKind(Enum):
    """What a file's extension says it is."""

    IMAGE = "image"
    VIDEO = "video"
    UNKNOWN = "unknown"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def utf16_len(text: str) -> int:
    """Length as Google counts it: UTF-16 code units."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le", "surrogatepass")) // 2


def cut_utf16(text: str, units: int) -> str:
    """The longest prefix of at most `units` UTF-16 units; a pair split by the cut is dropped."""
    if len(text) <= units // 2:
        return text
    if text.isascii():  # a unit a character
        return text[:units]
    count = 0
    for index, char in enumerate(text):
        count += 2 if ord(char) > 0xFFFF else 1
        if count > units:
            return text[:index]
    return text


def split_extension(name: str) -> tuple[str, str]:
    """(stem, extension) where the extension is kept only if it is a known media extension."""
    dot = name.rfind(".")
    if dot > 0 and name[dot:].lower() in MEDIA_EXTENSIONS:
        return name[:dot], name[dot:]
    return name, ""


def media_kind(name: str) -> MediaKind:
    ext = split_extension(name)[1].lower()
    if ext in IMAGE_EXTENSIONS:
        return MediaKind.IMAGE
    if ext in VIDEO_EXTENSIONS:
        return MediaKind.VIDEO
    return MediaKind.UNKNOWN


def extension_variants(ext: str) -> tuple[str, ...]:
    """The extension and the other spellings Google may have used for it."""
    lowered = ext.lower()
    for family in _EXTENSION_FAMILIES:
        if lowered in family:
            return (ext, *sorted(family - {lowered}))
    return (ext,)


def fold_key(text: str) -> str:
    """Key form of a (possibly cut) title: NFC, with the part after the last dot lower-cased."""
    text = text if text.isascii() else nfc(text)
    dot = text.rfind(".")
    if dot < 0:
        return text
    return text[:dot] + text[dot:].lower()


def is_sidecar_name(name: str) -> bool:
    """A .json file that may describe one photo (not an album file or other export JSON)."""
    if name.isascii():  # in NFC, and its lower case is its case fold
        lowered = name.lower()
        return lowered.endswith(".json") and lowered not in NON_SIDECAR_JSON
    return name.lower().endswith(".json") and nfc(name).casefold() not in NON_SIDECAR_JSON


class TitleKey(NamedTuple):
    """What a sidecar or media name says about the photo's title.

    `complete` keys hold the title as its media file would be named (stem cut to 47 units,
    extension folded); cut keys hold the title's first 46 units. `dup` is Google's `(n)`, 0 if none.
    A named tuple, not a dataclass: the matcher hashes millions of them, and a tuple hashes in C.
    """

    text: str
    complete: bool
    dup: int


def _complete_title_key(title: str, dup: int) -> TitleKey:
    stem, ext = split_extension(title)
    if ext and title.isascii():  # in NFC, a unit a character, and the last dot is the extension's
        return _key(stem[:MEDIA_STEM_UNITS] + ext.lower(), True, dup)
    return _key(fold_key(cut_utf16(stem, MEDIA_STEM_UNITS) + ext), True, dup)


def sidecar_keys(name: str) -> frozenset[TitleKey]:
    """Every title key a sidecar file name can stand for (old, new, cut and untruncated styles)."""
    name = name if name.isascii() else nfc(name)
    if name[-5:].lower() != ".json":
        return frozenset()
    core = name[: -len(".json")]
    readings = [(core, 0)]
    if core[-1:] == ")" and (dup := _DUP.search(core)):
        readings.append((core[: dup.start()], int(dup.group(1))))
    keys: set[TitleKey] = set()
    for body, number in readings:
        if not body:
            continue
        lowered = body.lower()
        if lowered.endswith(SUPPLEMENTAL) and len(body) > len(SUPPLEMENTAL):
            keys.add(_complete_title_key(body[: -len(SUPPLEMENTAL)], number))
            continue
        keys.add(_complete_title_key(body, number))
        if utf16_len(body) >= SIDECAR_HEAD_UNITS - 1:
            keys.add(_key(fold_key(body), False, number))
            for cut in range(len(SUPPLEMENTAL) - 1, 0, -1):
                if lowered.endswith(SUPPLEMENTAL[:cut]) and len(body) > cut:
                    keys.add(_complete_title_key(body[:-cut], number))
                    break
    return frozenset(keys)


class MediaReading(NamedTuple):
    """One way to read a media file name: the title stem it came from, its extension and `(n)`.

    A named tuple: a few are made for every media file in the export.
    """

    stem: str
    ext: str
    dup: int
    edited: bool = False


@functools.cache
def _folded_suffixes(suffixes: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[tuple[str, int], ...]]:
    """The suffixes case-folded, and each start of them a cut name may end with (longest first), folded."""
    starts = tuple((suffix[:keep].casefold(), keep) for suffix in suffixes for keep in range(len(suffix) - 1, 2, -1))
    return tuple(suffix.casefold() for suffix in suffixes), starts


def _strip_edit_suffix(stem: str, was_cut: bool, suffixes: tuple[str, ...]) -> str | None:
    folded = stem.casefold()
    whole, starts = _folded_suffixes(suffixes)
    if folded.endswith(whole):  # one call turns away the many names that are no edit
        for suffix, folded_suffix in zip(suffixes, whole, strict=True):
            if folded.endswith(folded_suffix) and len(stem) > len(suffix):
                return stem[: -len(suffix)]
    if was_cut:  # the suffix went in before the 47-unit cut, so only its start may be left
        for start, keep in starts:
            if folded.endswith(start):
                return stem[:-keep]
    return None


def own_readings(name: str) -> tuple[MediaReading, ...]:
    """Ways to read a media name as a title's own file, most likely first: Google's `(n)`, a literal `(n)`."""
    stem, ext = split_extension(name if name.isascii() else nfc(name))
    literal = _new_tuple(MediaReading, (stem, ext, 0, False))
    if stem[-1:] != ")" or not (dup := _DUP.search(stem)) or dup.start() == 0:
        return (literal,)
    duplicate = _new_tuple(MediaReading, (stem[: dup.start()], ext, int(dup.group(1)), False))
    # Google writes its own counter with no space before it; "skytree (2).jpg" is a title.
    return (literal, duplicate) if stem[dup.start() - 1] == " " else (duplicate, literal)


def media_readings(name: str, edit_suffixes: tuple[str, ...] = EDIT_SUFFIXES) -> tuple[MediaReading, ...]:
    """Ways to read a media name, most likely first: its own readings (`own_readings`), then edited copies."""
    readings = list(own_readings(name))
    ext = readings[0].ext
    for reading in tuple(readings):
        was_cut = utf16_len(reading.stem) >= MEDIA_STEM_UNITS
        original = _strip_edit_suffix(reading.stem, was_cut, edit_suffixes)
        if original:
            readings.append(MediaReading(original, ext, reading.dup, edited=True))
        # "IMG_1(1)-edited.jpg": the counter of the original sits inside the edited name
        if original and (inner := _DUP.search(original)) and inner.start() > 0:
            readings.append(MediaReading(original[: inner.start()], ext, int(inner.group(1)), edited=True))
    return tuple(readings)


def reading_keys(
    reading: MediaReading, extensions: tuple[str, ...] = (), present: frozenset[str] | None = None
) -> dict[TitleKey, int]:
    """Title keys of every title that could have been named like this reading, with a rank.

    Rank 0: the title has the file's own extension; 1: another spelling of it (or one of
    `extensions`, for edits saved in another format); 2: the title had no extension at all;
    3: the title was a HEIC that Google converted to this JPEG. Given the extensions `present` at
    the end of the complete keys being looked for (`key_extension`), a short ASCII reading leaves out
    its keys that end with any other: they could find nothing.
    """
    keys: dict[TitleKey, int] = {}
    stem, dup = reading.stem, reading.dup
    ranked, longest = _ranked_extensions(reading.ext, extensions)
    if stem.isascii() and len(stem) + longest < SIDECAR_HEAD_UNITS - 1:  # in NFC, and never cut
        if present is not None:
            ranked = _ranked_among(reading.ext, extensions, present)
        # an extension has one dot: the key is the stem and the folded extension
        for ext, rank, folded in ranked:
            keys.setdefault(_new_tuple(TitleKey, (stem + folded if folded else fold_key(stem + ext), True, dup)), rank)
        return keys
    ascii_stem = stem.isascii()
    for ext, rank, folded in ranked:
        title = stem + ext
        keys.setdefault(_key(stem + folded if ascii_stem and folded else fold_key(title), True, dup), rank)
        if (len(title) if ascii_stem else utf16_len(title)) >= SIDECAR_HEAD_UNITS - 1:  # a shorter title is never cut
            cut = _key(fold_key(cut_utf16(title, SIDECAR_HEAD_UNITS)), False, dup)
            if utf16_len(cut.text) >= SIDECAR_HEAD_UNITS - 1:
                keys.setdefault(cut, rank)
    return keys


def _key(text: str, complete: bool, dup: int) -> TitleKey:
    return _new_tuple(TitleKey, (text, complete, dup))  # without the named tuple's own checks: a few a file


_new_tuple = tuple.__new__


@functools.cache
def _ranked_extensions(ext: str, extensions: tuple[str, ...]) -> tuple[tuple[tuple[str, int, str], ...], int]:
    """The extensions a title named like `ext` may have had, each with its rank (see `reading_keys`) and folded;
    and the length of the longest."""
    ranked = [(variant, 0 if index == 0 else 1) for index, variant in enumerate(extension_variants(ext))]
    ranked += [(variant, 1) for variant in extensions]
    ranked.append(("", 2))
    ranked += [(variant, 3) for variant in _CONVERTED_FROM.get(ext.lower(), ())]
    folded = tuple(
        (variant, rank, variant.lower() if variant[:1] == "." and variant.count(".") == 1 else "")
        for variant, rank in ranked
    )
    return folded, max(len(variant) for variant, _ in ranked)


@functools.lru_cache(maxsize=4096)
def _ranked_among(ext: str, extensions: tuple[str, ...], present: frozenset[str]) -> tuple[tuple[str, int, str], ...]:
    """The ranked extensions of a short ASCII reading whose complete keys can end as one of `present` does."""
    return tuple(item for item in _ranked_extensions(ext, extensions)[0] if not item[2] or item[2] in present)


def key_extension(text: str) -> str:
    """What a complete key's text ends with from its last dot ("" without one): a short ASCII reading's
    key for an extension ends with that extension, folded."""
    return text[text.rfind(".") :] if "." in text else ""


def companion_stems(name: str) -> tuple[str, ...]:
    """Stems of the still photo a video may belong to (live photos, motion photos)."""
    name = nfc(name)
    stem, ext = split_extension(name)
    stems = [stem] if ext else [name]  # PXL_…MP~2 beside PXL_…MP~2.jpg
    whole = _TILDE_COPY.sub("", name)  # else PXL_…MP~2 is a second copy of PXL_…MP
    if not ext or ext.lower() == ".mp":
        stems.append(whole)
    return tuple(dict.fromkeys(stems))


def converted_original(name: str) -> str | None:
    """The HEIC a still was converted from, by its name: IMG_2367.HEIC.jpg → IMG_2367.HEIC."""
    stem, ext = split_extension(nfc(name))
    if ext.lower() not in _CONVERTED_FROM:
        return None
    return stem if split_extension(stem)[1].lower() in _CONVERTED_STILLS else None


def predicted_media_name(title: str, dup: int) -> str:
    """The file name Google gives a title (after its characters were made file-name safe)."""
    stem, ext = split_extension(sanitize_title(nfc(title)))
    counter = f"({dup})" if dup else ""
    return cut_utf16(stem, MEDIA_STEM_UNITS) + counter + ext


def sanitize_title(title: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", title)

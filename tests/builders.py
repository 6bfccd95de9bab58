"""Real media bytes and real Takeout trees for tests (written independently of pef's own code)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples" / "camera"
if not SAMPLES.is_dir():  # CI clones main with shared/ beside it
    SAMPLES = Path(os.environ.get("PEF_SAMPLES", "/work/shared/samples/camera"))


def jpeg_bytes(size: tuple[int, int] = (64, 48), color: tuple[int, int, int] = (200, 30, 30), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=90, **save)
    return buffer.getvalue()


def png_bytes(size: tuple[int, int] = (40, 30), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    color = (10, 120, 200, 128) if mode == "RGBA" else (10, 120, 200)
    Image.new(mode, size, color).save(buffer, "PNG")
    return buffer.getvalue()


def webp_bytes(size: tuple[int, int] = (40, 30), lossless: bool = False, alpha: bool = False) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGBA" if alpha else "RGB", size, (20, 200, 40, 100) if alpha else (20, 200, 40))
    image.save(buffer, "WEBP", lossless=lossless)
    return buffer.getvalue()


def gif_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (16, 16), 3).save(buffer, "GIF")
    return buffer.getvalue()


def heic_bytes() -> bytes:
    import pillow_heif

    buffer = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (64, 64), (90, 60, 30))).save(buffer, quality=60)
    return buffer.getvalue()


def avif_bytes(size: tuple[int, int] = (48, 32), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(buffer, "AVIF", quality=60, **save)
    return buffer.getvalue()


def tiff_bytes(size: tuple[int, int] = (40, 30), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (160, 90, 20)).save(buffer, "TIFF", **save)
    return buffer.getvalue()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4_bytes(created_1904: int = 3_600_000_000, brand: bytes = b"isom") -> bytes:
    """A small, well-formed MP4: ftyp, moov (mvhd, trak/tkhd, mdia/mdhd/hdlr), mdat."""
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd = _box(
        b"mvhd",
        b"\x00\x00\x00\x00"
        + struct.pack(">IIII", created_1904, created_1904, 1000, 2000)
        + struct.pack(">IH", 0x10000, 0x100)
        + b"\x00" * 10
        + matrix
        + b"\x00" * 24
        + struct.pack(">I", 2),
    )
    tkhd = _box(
        b"tkhd",
        b"\x00\x00\x00\x03"
        + struct.pack(">IIIII", created_1904, created_1904, 1, 0, 2000)
        + b"\x00" * 8
        + struct.pack(">HHHH", 0, 0, 0, 0)
        + matrix
        + struct.pack(">II", 320 << 16, 240 << 16),
    )
    mdhd = _box(
        b"mdhd", b"\x00\x00\x00\x00" + struct.pack(">IIIIHH", created_1904, created_1904, 1000, 2000, 0x55C4, 0)
    )
    hdlr = _box(b"hdlr", b"\x00" * 8 + b"vide" + b"\x00" * 12 + b"Video\x00")
    moov = _box(b"moov", mvhd + _box(b"trak", tkhd + _box(b"mdia", mdhd + hdlr)))
    ftyp = _box(b"ftyp", brand + b"\x00\x00\x02\x00" + brand + b"mp41")
    return ftyp + moov + _box(b"mdat", os.urandom(2048))


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def sidecar(
    title: str,
    taken: int | str | None = 1561975200,
    geo: tuple[float, float, float] | None = None,
    description: str = "",
    people: tuple[str, ...] = (),
    favorited: bool = False,
    geo_exif: tuple[float, float, float] | None = None,
    created: int = 1700000000,
) -> dict:
    def geo_field(point: tuple[float, float, float] | None) -> dict:
        lat, lon, alt = point or (0.0, 0.0, 0.0)
        return {"latitude": lat, "longitude": lon, "altitude": alt, "latitudeSpan": 0.0, "longitudeSpan": 0.0}

    document: dict = {
        "title": title,
        "description": description,
        "imageViews": "3",
        "creationTime": {"timestamp": str(created), "formatted": "14 Nov 2023, 22:13:20 UTC"},
        "geoData": geo_field(geo),
        "geoDataExif": geo_field(geo_exif),
        "url": "https://photos.google.com/photo/AF1Qip",
        "googlePhotosOrigin": {"mobileUpload": {"deviceType": "ANDROID_PHONE"}},
    }
    if taken is not None:
        document["photoTakenTime"] = {"timestamp": str(taken), "formatted": "1 Jul 2019, 10:00:00 UTC"}
    if people:
        document["people"] = [{"name": name} for name in people]
    if favorited:
        document["favorited"] = True
    return document


@dataclass
class TakeoutTree:
    """A Takeout folder being built; `expected` maps each media path to its sidecar path (or None)."""

    root: Path
    expected: dict[str, str | None] = field(default_factory=dict)

    @property
    def photos(self) -> Path:
        return self.root / "Google Photos"

    def media(self, relative: str, data: bytes, sidecar_name: str | None = None, meta: dict | None = None) -> None:
        path = self.photos / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        sidecar_rel = None
        if sidecar_name is not None:
            sidecar_rel = str(Path(relative).parent / sidecar_name) if "/" in relative else sidecar_name
            if meta is not None:
                self.write_json(sidecar_rel, meta)
        self.expected[f"Google Photos/{relative}"] = f"Google Photos/{sidecar_rel}" if sidecar_rel else None

    def dated_photos(self, folder: str, count: int, first_taken: int) -> None:
        """IMG_000.jpg … in `folder`, each its own bytes, each with a sidecar a second later than the last."""
        for index in range(count):
            name = f"IMG_{index:03d}.jpg"
            color = (index % 256, 1, 1 + index // 256)
            self.media(f"{folder}/{name}", jpeg_bytes(color=color), f"{name}.json", sidecar(name, first_taken + index))

    def write_json(self, relative: str, document: dict | str) -> None:
        path = self.photos / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False, indent=2)
        path.write_text(text, encoding="utf-8")


def tree_digest(root: Path) -> dict[str, tuple[str, int]]:
    """Content hash and mtime of every file under root: to prove a tree was not changed."""
    digest = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            stat = path.stat()
            digest[str(path.relative_to(root))] = (hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_mtime_ns)
    return digest


def jpeg_scan_data(data: bytes) -> bytes:
    """Everything from the first SOS marker on: the compressed image (a parser of the tests' own)."""
    position = 2
    while position < len(data):
        marker = data[position + 1]
        if marker == 0xDA:
            return data[position:]
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        position += 2 + length
    raise AssertionError("no SOS marker")


def png_image_data(data: bytes) -> bytes:
    """The concatenated IDAT payloads of a PNG (a parser of the tests' own)."""
    position, idat = 8, b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        if kind == b"IDAT":
            idat += data[position + 8 : position + 8 + length]
        position += 12 + length
    return idat


def webp_image_chunks(data: bytes) -> list[bytes]:
    """The VP8/VP8L/ALPH chunks of a WebP, as they are stored."""
    position, chunks = 12, []
    while position + 8 <= len(data):
        kind, size = struct.unpack("<4sI", data[position : position + 8])
        if kind in (b"VP8 ", b"VP8L", b"ALPH"):
            chunks.append(data[position : position + 8 + size])
        position += 8 + size + (size & 1)
    return chunks


FIXTURES = Path(__file__).parent / "fixtures"


def movie_boxes(data: bytes) -> list[tuple[bytes, int, int]]:
    """Top-level boxes of an ISO media file as (type, offset, size) (a parser of the tests' own)."""
    position, boxes = 0, []
    while position + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[position : position + 8])
        if size == 1:
            size = struct.unpack(">Q", data[position + 8 : position + 16])[0]
        elif size == 0:
            size = len(data) - position
        boxes.append((kind, position, size))
        position += size
    return boxes


def movie_media_data(data: bytes) -> list[bytes]:
    """The payloads of the top-level mdat boxes: the audio and video streams as stored."""
    return [data[offset + 8 : offset + size] for kind, offset, size in movie_boxes(data) if kind == b"mdat"]


def heif_pixels(data: bytes) -> list[bytes]:
    """Every image of a HEIC or AVIF, decoded by pillow-heif (HEIC) or Pillow (AVIF), as raw pixels."""
    import pillow_heif

    if data[8:12] in (b"avif", b"avis"):
        with Image.open(io.BytesIO(data)) as image:
            return [image.tobytes()]
    heif = pillow_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=False)
    images = [heif[index] for index in range(len(heif))]
    thumbnails = [image.get_thumbnail(n) for image in images for n in range(len(image.info.get("thumbnails", [])))]
    return [bytes(image.data) for image in images] + [bytes(thumb.data) for thumb in thumbnails]


def movie_chunk_heads(data: bytes) -> list[bytes]:
    """The first 16 bytes at every chunk offset (stco/co64): equal lists mean the offsets still find the data."""
    heads = []
    for kind in (b"stco", b"co64"):
        position = data.find(kind)
        while position > 0:
            count = struct.unpack(">I", data[position + 8 : position + 12])[0]
            form = f">{count}{'Q' if kind == b'co64' else 'I'}"
            for offset in struct.unpack(form, data[position + 12 : position + 12 + struct.calcsize(form)]):
                heads.append(data[offset : offset + 16])
            position = data.find(kind, position + 4)
    return heads


def movie_nested_deep(movie: bytes, depth: int = 3000) -> bytes:
    """The movie with a moov holding `depth` traks each inside the last."""
    inner = b""
    for _ in range(depth):
        inner = (8 + len(inner)).to_bytes(4, "big") + b"trak" + inner
    moov_at = movie.index(b"moov") - 4
    size = int.from_bytes(movie[moov_at : moov_at + 4], "big")
    moov = (size + len(inner)).to_bytes(4, "big") + movie[moov_at + 4 : moov_at + size] + inner
    return movie[:moov_at] + moov + movie[moov_at + size :]

"""pef: Google Photos Takeout → a clean photo library with the metadata inside the files."""

__version__ = "0.2.12"

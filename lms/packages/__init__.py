"""Course packages: safe unpacking, format detection, manifest parsing and the import service."""

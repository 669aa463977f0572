"""The one error a person causes with a package: its message says what is wrong and where."""


class PackageError(Exception):
    """An uploaded or imported package that cannot be accepted; `str()` is the user's message."""

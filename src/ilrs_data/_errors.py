"""Errors a user can catch: every failure of the loader is a ReleaseError, each saying what to do.

ReleaseError subclasses ValueError, so code written before the subclasses existed still works.
"""


class ReleaseError(ValueError):
    """A package or release is unusable: malformed, unsafe, unreachable or not the one asked for."""


class ChecksumError(ReleaseError):
    """Bytes are damaged or altered: a file, an archive or a download does not match its hash."""


class DownloadError(ReleaseError):
    """A download failed: network, HTTP status, size or time limit, or a refused address."""


class DescriptorError(ReleaseError):
    """datapackage.json or a schema lacks what the loader needs (a name, a path, fields)."""


class TableValueError(ReleaseError):
    """A value does not fit its schema field (not in the enum, not a date); names table, column,
    row and value."""


class UnknownTableError(ReleaseError, KeyError):
    """No table of that name; the message suggests the closest names."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class CacheWarning(UserWarning):
    """The cache folder cannot be written; a temporary folder is used instead."""

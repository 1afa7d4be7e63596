"""Errors a user can catch: a release that cannot be trusted or cannot be fetched."""


class ReleaseError(ValueError):
    """A release is unusable: malformed, unsafe, unreachable or not the version asked for."""


class ChecksumError(ReleaseError):
    """A file's bytes do not match the sha256 its datapackage.json declares."""

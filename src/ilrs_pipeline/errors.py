"""The one error base class of the pipeline: every `ilrs` command catches it and prints its
message instead of a traceback, so a message must say what went wrong and what to do."""


class PipelineError(Exception):
    """A stage could not finish for a reason the user can act on; the message says how."""

"""Messages for people, written where the mistake is found and translated where it is shown.

Services have no request, so they cannot know the reader's language: they mark the English with
`N_` (which `pybabel extract` collects into translations/lms/messages.pot) and raise a
`PersonError`; the page shows `gettext(error.message, **error.params)`. `str(error)` stays the
English, for the command line and the log.
"""

from __future__ import annotations


def N_(message: str) -> str:
    return message


class PersonError(ValueError):
    """A mistake a person made or a thing they cannot do; the message says what to do."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params

"""The exception hierarchy. Every error the library raises on purpose is an :class:`ApologyScoreError`.

::

    ApologyScoreError
    ├── InputError        text that cannot be scored (too long), or a batch record that is malformed
    ├── LexiconError      a lexicon file that is unreadable, malformed, or whose examples misbehave
    └── ConfigError       a configuration value or file that is invalid

``TypeError`` (not part of the hierarchy) is raised for a non-``str`` text, as Python does for wrong types.
"""

from __future__ import annotations


class ApologyScoreError(Exception):
    """Base class of every error raised on purpose by apology-score."""


class InputError(ApologyScoreError, ValueError):
    """The input text (or a batch record) cannot be scored."""


class LexiconError(ApologyScoreError):
    """A lexicon file is invalid. The message names the file, the line when known, the rule id and field."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        rule_id: str | None = None,
        field: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.rule_id = rule_id
        self.field = field
        self.reason = message
        where = []
        if file is not None:
            where.append(f"{file}:{line}" if line is not None else file)
        if rule_id is not None:
            where.append(f"rule {rule_id}")
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class ConfigError(ApologyScoreError):
    """A configuration value or file is invalid. The message names the file and the key."""

    def __init__(self, message: str, *, file: str | None = None, key: str | None = None) -> None:
        self.file = file
        self.key = key
        self.reason = message
        where = []
        if file is not None:
            where.append(file)
        if key is not None:
            where.append(f"key {key!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)

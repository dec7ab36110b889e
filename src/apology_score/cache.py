"""The per-user cache: jieba's dictionary, parsed lexicon files, normalized phrases and the compiled lexicon
(cold-start speed).

Everything here is an optimisation. Files are keyed on the content and code that produce them, so a stale file is
never read; they are written atomically (a concurrent reader sees the old file or the whole new one); an
unreadable, corrupt or unwritable cache is ignored and the work is simply done again.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: Cache files unused for this long are removed when a new one of their kind is written (lexicon edits leave the
#: old keys behind); a file read is marked used.
STALE_AFTER_SECONDS = 30 * 24 * 3600
#: At most this many files of a kind are kept (the most recently used): each lexicon edit, extra lexicon or
#: ``select``/``ignore`` choice makes a new key for the whole-ruleset kinds (about 1.5 MB of phrases and 2 MB of
#: compiled lexicon each); parsed lexicons are one small file per lexicon file.
MAX_FILES_PER_KIND = {"phrases": 8, "compiled": 8, "lexicon": 256}


def cache_dir() -> Path:
    """Per-user cache directory: ``$APOLOGY_SCORE_CACHE``, else ``$XDG_CACHE_HOME/apology-score``, else
    ``~/.cache/apology-score``."""
    explicit = os.environ.get("APOLOGY_SCORE_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "apology-score"


def cache_path(kind: str, sources: Iterable[Path], *parts: bytes) -> Path:
    """Where the cached ``kind`` made by the code in ``sources`` from ``parts`` lives (keyed on all of them and on
    the Python version, whose ``marshal`` format it uses)."""
    key = hashlib.sha256()
    for source in sources:
        with contextlib.suppress(OSError):
            key.update(source.read_bytes())
    key.update(sys.version.encode())
    for part in parts:
        key.update(len(part).to_bytes(8, "little"))
        key.update(part)
    return cache_dir() / f"{kind}-{key.hexdigest()[:32]}.marshal"


def load(path: Path) -> Any | None:
    """The value stored at ``path``, or ``None`` when there is none or it cannot be read."""
    with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
        value = marshal.loads(path.read_bytes())
        with contextlib.suppress(OSError):
            os.utime(path)  # used: not stale
        return value
    return None


def store(path: Path, value: Any) -> None:
    """Store ``value`` (plain data: what ``marshal`` writes) at ``path``; silently nothing when it cannot."""
    with contextlib.suppress(OSError, ValueError):  # ValueError: a value marshal cannot write
        blob = marshal.dumps(value)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(blob)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        _remove_stale(path)


def _remove_stale(path: Path) -> None:
    """Remove files of ``path``'s kind that nobody has used for ``STALE_AFTER_SECONDS``, and the least recently
    used beyond the kind's ``MAX_FILES_PER_KIND`` (never ``path`` itself)."""
    kind = path.name.split("-", 1)[0]
    cutoff = time.time() - STALE_AFTER_SECONDS
    kept: list[tuple[float, str, Path]] = []
    with contextlib.suppress(OSError):
        for other in path.parent.glob(f"{kind}-*.marshal"):
            if other == path:
                continue
            with contextlib.suppress(OSError):
                used = other.stat().st_mtime
                if used < cutoff:
                    other.unlink()
                else:
                    kept.append((used, other.name, other))
    if kind not in MAX_FILES_PER_KIND:
        return
    kept.sort(reverse=True)
    for _, _, other in kept[MAX_FILES_PER_KIND[kind] - 1 :]:
        with contextlib.suppress(OSError):
            other.unlink()

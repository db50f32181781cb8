"""Characters that hide or imitate: what makes one name look like another.

Pure functions on strings, used by the schema (names may hold no hidden character and may not
mix look-alike scripts), by `loading` (no two toolkits may share a name or its skeleton) and
by messages (a quoted look-alike is shown with escapes: `'t\\u0435nsorflow'`).
"""

from __future__ import annotations

import unicodedata

HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Control, format (bidirectional overrides, zero-width characters, U+FEFF), surrogate,
private-use and unassigned characters, and the line and paragraph separators."""


def hidden_characters(text: str) -> list[str]:
    """The characters of `text` that do not show as themselves, as escapes (`\\u202e`)."""
    if text.isprintable():
        # Python's printable characters exclude every hidden category and every space but
        # " ": one pass in C settles the common case.
        return []
    return [_escape(ch) for ch in text if _hidden(ch)]


def _hidden(ch: str) -> bool:
    return unicodedata.category(ch) in HIDDEN_CATEGORIES or (
        ch.isspace() and ch != " "  # tabs, line breaks, no-break and other odd spaces
    )


def _escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


MAX_MARKS = 2
"""Most combining marks on one letter: Vietnamese needs two; "Zalgo" text stacks dozens,
spilling over the lines above and below in a table."""


def stacked_marks(text: str) -> int:
    """The longest run of combining marks in `text` when it exceeds MAX_MARKS, else 0."""
    longest = run = 0
    for ch in text:
        run = run + 1 if unicodedata.combining(ch) else 0
        longest = max(longest, run)
    return longest if longest > MAX_MARKS else 0


LOOKALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE")
"""Scripts with letters that pass for each other (a Cyrillic `о` for a Latin `o`)."""


def scripts(text: str) -> list[str]:
    """The look-alike scripts whose letters `text` uses, in order of first use."""
    found: list[str] = []
    for ch in text:
        if not ch.isalpha():
            continue
        script = unicodedata.name(ch, "").split(" ", 1)[0]
        if script in LOOKALIKE_SCRIPTS and script not in found:
            found.append(script)
    return found


def mixed_scripts(text: str) -> list[str]:
    """The scripts of a name that mixes look-alike scripts (empty if it does not)."""
    found = scripts(text)
    return found if len(found) > 1 else []


_PROTOTYPES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j",
        "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y",
        "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ь": "b", "г": "r",
        # Greek
        "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u",
        "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ϲ": "c", "ω": "w",
        # Latin and digits that pass for each other
        "ı": "i", "ɡ": "g", "ℓ": "l", "0": "o", "1": "l", "|": "l", "5": "s",
    }
)  # fmt: skip
"""A small part of Unicode's confusables table: the letters most used to imitate Latin."""


def skeleton(text: str) -> str:
    """What `text` looks like, roughly: compatibility-folded, lower case, accents, hidden
    characters, spaces and punctuation dropped, and look-alike letters mapped to one
    prototype. Two names with one skeleton are confusable: `TensorFlow`, `Tensor Flow`,
    `Tеnsorflow` (Cyrillic е)."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    kept = "".join(
        ch for ch in folded if ch.isalnum() and not unicodedata.combining(ch) and not _hidden(ch)
    )
    return kept.translate(_PROTOTYPES).replace("rn", "m").replace("vv", "w")


def unambiguous(text: str) -> str:
    """`text` with hidden characters, and letters of a look-alike script in a name that
    mixes them, written as escapes: `t\\u0435nsorflow`, `evil\\u202e`."""
    mixed = mixed_scripts(text)
    main = "LATIN" if "LATIN" in mixed else mixed[0] if mixed else ""

    def shown(ch: str) -> str:
        if _hidden(ch) and ch not in "\n":
            return _escape(ch)
        if mixed and ch.isalpha() and unicodedata.name(ch, "").split(" ", 1)[0] != main:
            return _escape(ch)
        return ch

    return "".join(map(shown, text))

"""Text normalisation for search: lower case, accents removed (« Hélène » finds « helene »)."""

import unicodedata


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


#: A person's texts that the directory's search reads, folded into ``Person.search_text``.
PROFILE_TEXTS = ("job_title", "can_share", "wants_to_learn")


def profile_text(*texts: str) -> str:
    """The folded texts of a profile, one a line (a word never spans two of them)."""
    return "\n".join(fold(t) for t in texts if t)

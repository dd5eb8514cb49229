"""Text normalisation and search tokens, shared by documents and queries.

A name is normalised (NFKC, so full-width forms become half-width; lower case; every
character that is not a letter or a digit dropped, Chinese punctuation included) and
then cut into tokens:

* CJK characters: unigrams and bigrams of each run (``合肥测试`` -> 合 肥 测 试 合肥 肥测 测试);
* Latin letters and digits: each word, and each run with the spaces and punctuation
  between words removed (``ABC Trading`` -> abc trading abctrading); a query matches
  their prefixes (``trad:*``);
* pinyin of Chinese characters (no tones): each syllable, each pair of neighbouring
  syllables, and for runs of up to four characters the whole run
  (``张伟`` -> zhang wei zhangwei), so romanised queries match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from itertools import pairwise

# Tokens longer than this are cut, identically for documents and queries.
MAX_TOKEN_LENGTH = 64
# Runs of at most this many Chinese characters also get their whole pinyin as one token.
FULL_PINYIN_MAX_CHARS = 4


# Letters and digits are kept; everything else (spaces, punctuation of any script, symbols,
# the underscore) separates words and is dropped.
_DROPPED = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]+")
# Characters searched by n-grams: Han, kana, hangul and the like (everything from U+2E80 on);
# Latin, Greek, Cyrillic and digits are searched by words.
_CJK_RUN = re.compile(r"[\u2e80-\U0010ffff]+|[^\u2e80-\U0010ffff]+")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).lower()


def normalise(text: str) -> str:
    """NFKC, lower case, only letters and digits: ``（ＡＢＣ）合肥·测试`` -> ``abc合肥测试``."""
    return _DROPPED.sub("", _fold(text))


def normalise_identifier(text: str) -> str:
    """An identifier as stored and looked up: NFKC, letters and digits only, upper case.

    ``91340100-MA2N0XXX`` and ``９１３４０１００ma2n0xxx`` give the same key; a case number
    ``（2019）皖1122执1194号`` becomes ``2019皖1122执1194号``.
    """
    return _DROPPED.sub("", unicodedata.normalize("NFKC", str(text or "")).upper())


def words(text: str) -> list[str]:
    """Normalised chunks of ``text`` as written: split at spaces and punctuation."""
    return _WORD.findall(_fold(text))


def runs(normalised: str) -> Iterator[tuple[bool, str]]:
    """Split normalised text into (is_cjk, run) pieces: ``tcl科技2号`` -> tcl, 科技, 2, 号."""
    for match in _CJK_RUN.finditer(normalised):
        run = match.group()
        yield run[0] >= "\u2e80", run


def han_runs(normalised: str) -> list[str]:
    return _HAN_RUN.findall(normalised)


def bigrams(run: str) -> list[str]:
    return [run[index : index + 2] for index in range(len(run) - 1)]


@lru_cache(maxsize=100_000)
def _word_pinyin(word: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(word))


def pinyin(han: str) -> list[str]:
    """Toneless pinyin of a run of Chinese characters, one syllable per character.

    Same as ``pypinyin.lazy_pinyin`` (phrase-aware, so 银行 is yin hang and 重庆 chong qing),
    but cached per word of pypinyin's own segmentation, which makes bulk indexing ~20x faster.
    """
    from pypinyin.seg.mmseg import seg

    return [syllable for word in seg.cut(han) for syllable in _word_pinyin(word)]


def tokens(text: str) -> list[str]:
    """Every search token of ``text`` (see the module docstring), without duplicates, in order."""
    found: list[str] = []
    normalised = normalise(text)
    for is_cjk, run in runs(normalised):
        if is_cjk:
            found.extend(run)
            found.extend(bigrams(run))
        else:
            found.append(run[:MAX_TOKEN_LENGTH])
    for chunk in words(text):
        found.extend(run[:MAX_TOKEN_LENGTH] for is_cjk, run in runs(chunk) if not is_cjk)
    for han in han_runs(normalised):
        syllables = pinyin(han)
        found.extend(syllables)
        found.extend([a + b for a, b in pairwise(syllables)])
        if 2 < len(syllables) <= FULL_PINYIN_MAX_CHARS:
            found.append("".join(syllables))  # at most 4 x 6 letters, under MAX_TOKEN_LENGTH
    return list(dict.fromkeys(found))

"""Search tokens as PostgreSQL literals: the stored ``tsvector`` and the query ``tsquery``.

Both are built here, in Python, and cast (``%s::tsvector``, ``%s::tsquery``) so PostgreSQL's
text-search parser never re-splits a token: what :func:`search.normalise.tokens`
produced is exactly what is indexed and exactly what is searched. Every lexeme is quoted,
so a quote, a backslash or an operator character can never change the meaning of a literal
(normalisation already drops them; the quoting is a second fence).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from search.normalise import MAX_TOKEN_LENGTH, bigrams, normalise, runs, tokens, words

# Toneless Mandarin syllables as pypinyin writes them (ü as v), without interjections (m, n, ng, hm…).
_SYLLABLES = """
a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu ca cai
can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai
chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di
dia dian diao die din ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng
fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha
hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao
jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan
kuang kui kun kuo la lai lan lang lao le lei len leng li lia lian liang liao lie lin ling liu lo
long lou lu luan lun luo lv lve ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo
mou mu na nai nan nang nao ne nei nen neng ni nia nian niang niao nie nin ning niu nong nou nu nuan
nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian
qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan
rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou
shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te
tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wong wu
xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong
you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng
zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
"""
PINYIN_SYLLABLES = frozenset(_SYLLABLES.split())
_SYLLABLE_PREFIXES = frozenset(s[:i] for s in PINYIN_SYLLABLES for i in range(1, len(s) + 1))
_LONGEST_SYLLABLE = max(map(len, PINYIN_SYLLABLES))
# At most this many readings of one romanised word are tried (``xian`` is xian or xi'an).
MAX_PINYIN_READINGS = 8


def quote_lexeme(token: str) -> str:
    """A lexeme quoted for tsvector/tsquery input: ``'it''s'``, backslashes doubled."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(items: Iterable[str]) -> str:
    """Text that ``::tsvector`` turns into exactly these lexemes (no positions)."""
    lexemes = [item[:MAX_TOKEN_LENGTH] for item in dict.fromkeys(items) if item]
    if not lexemes:
        return ""
    plain = "".join(lexemes)
    if "'" in plain or "\\" in plain:  # never after normalisation; quote one by one
        return " ".join(map(quote_lexeme, lexemes))
    return "'" + "' '".join(lexemes) + "'"


@lru_cache(maxsize=100_000)
def _name_tokens(name: str) -> tuple[str, ...]:
    return tuple(tokens(name))


def document_tokens(name: str, aliases: Iterable[str] = ()) -> list[str]:
    """Tokens of a subject: its name and every other name it is known by.

    A name's tokens are cached: lists repeat common names (王伟) thousands of times.
    """
    if not aliases:
        return list(_name_tokens(name))
    found: dict[str, None] = {}
    for text in (name, *aliases):
        found.update(dict.fromkeys(tokens(text)))
    return list(found)


def pinyin_readings(word: str) -> list[list[str]]:
    """Ways to cut a romanised word into syllables, fewest syllables first.

    The last piece may be the start of a syllable, so ``zhangw`` reads as zhang + w(ei) while
    someone is typing (only when the word has no reading made of whole syllables: ``shiming``
    is shi + ming, not also shi + min + g…). Readings longer than the shortest one plus one
    syllable are dropped (``xian`` reads as xian or xi'an, not xi'a'n). Non-pinyin words
    (``abc``) have no reading.
    """
    if not word.isascii() or not word.isalpha():
        return []
    readings: list[list[str]] = []

    def walk(start: int, pieces: list[str]) -> None:
        if len(readings) >= MAX_PINYIN_READINGS * 4:
            return
        if start == len(word):
            readings.append(list(pieces))
            return
        for end in range(min(len(word), start + _LONGEST_SYLLABLE), start, -1):
            piece = word[start:end]
            last = end == len(word)
            if piece in PINYIN_SYLLABLES or (last and piece in _SYLLABLE_PREFIXES):
                pieces.append(piece)
                walk(end, pieces)
                pieces.pop()

    walk(0, [])
    complete = [reading for reading in readings if reading[-1] in PINYIN_SYLLABLES]
    readings = complete or readings  # a word that reads fully is not also read as unfinished
    if not readings:
        return []
    shortest = min(map(len, readings))
    readings = sorted((r for r in readings if len(r) <= shortest + 1), key=len)
    return readings[:MAX_PINYIN_READINGS]


def _term(token: str, *, prefix: bool = False) -> str:
    return quote_lexeme(token[:MAX_TOKEN_LENGTH]) + (":*" if prefix else "")


def _latin_word_query(word: str) -> str:
    """A Latin/digit word: its prefix, or any reading of it as pinyin syllable pairs.

    A one-letter word matches only itself: as a prefix it would match most of the index.
    """
    if len(word) == 1:
        return _term(word)
    alternatives = [_term(word, prefix=True)]
    for reading in pinyin_readings(word):
        if len(reading) < 2:
            continue
        partial_last = reading[-1] not in PINYIN_SYLLABLES
        pairs = [a + b for a, b in pairwise(reading)]
        terms = list(
            dict.fromkeys(
                _term(pair, prefix=partial_last and index == len(pairs) - 1)
                for index, pair in enumerate(pairs)
            )
        )
        if len(terms) == 1 and terms[0] in (_term(word), _term(word, prefix=True)):
            continue  # the whole word already covers it
        alternatives.append(terms[0] if len(terms) == 1 else "(" + " & ".join(terms) + ")")
    alternatives = list(dict.fromkeys(alternatives))
    return alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")"


def query_words(text: str) -> list[str]:
    """The terms of a query: what spaces separate, each with at least one letter or digit.

    Each term must match, in any order in the name (``天津 水博`` finds 天津市城东新区水博酒店管理商行);
    inside a term, punctuation joins (``天津·水博`` is one term, as the name is normalised).
    """
    return [term for term in unicodedata.normalize("NFKC", str(text or "")).split() if normalise(term)]


def _cjk_runs(text: str) -> list[str]:
    return [run for term in query_words(text) for is_cjk, run in runs(normalise(term)) if is_cjk]


@lru_cache(maxsize=4096)
def query_terms(text: str) -> tuple[tuple[str, str | None], ...]:
    """The parts of a free-text query, all of which must match, as (tsquery fragment, lexeme).

    This is the *contiguous* match. Each Chinese run of each term needs all its bigrams (a
    single character needs itself): a space ends a run, so no bigram spans two terms; Latin and
    digit words match as prefixes or, when they read as pinyin, as pairs of syllables.
    ``lexeme`` is the plain token for a fragment that is exactly one token, else None (prefixes,
    alternatives).
    """
    parts: dict[str, str | None] = {}
    for run in _cjk_runs(text):
        for item in bigrams(run) or [run]:
            parts.setdefault(_term(item), item[:MAX_TOKEN_LENGTH])
    parts.update(_latin_terms(text))
    return tuple(parts.items())


def _latin_terms(text: str) -> dict[str, str | None]:
    parts: dict[str, str | None] = {}
    for chunk in words(text):
        for is_cjk, run in runs(chunk):
            if not is_cjk:
                fragment = _latin_word_query(run)
                parts.setdefault(fragment, run if fragment == _term(run) else None)
    return parts


def single_run(text: str) -> str | None:
    """The query's only run of Chinese characters when it has nothing else (no second term, no
    Latin or digit word): ``市华信`` -> 市华信; otherwise None."""
    cjk = _cjk_runs(text)
    if len(cjk) != 1 or _latin_terms(text):
        return None
    return cjk[0]


@lru_cache(maxsize=4096)
def contiguous_name_patterns(text: str) -> tuple[str, ...] | None:
    """LIKE patterns on ``name_normalised`` (``%信息技术%``, one per Chinese run) that a name
    holding every run of the query as written satisfies, or None when the query has a Latin or
    digit word (matched as a prefix of a word, which a pattern cannot say). A name that matches
    them holds every bigram of every run, so it matches :func:`query_terms` too: counting such
    names gives a lower bound of the hits."""
    if _latin_terms(text):
        return None
    cjk = _cjk_runs(text)
    return tuple(dict.fromkeys("%" + like_escape(run) + "%" for run in cjk)) or None


def like_escape(text: str) -> str:
    """``text`` as a literal inside a LIKE pattern (backslash is LIKE's escape character)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class InOrderQuery:
    """The loose reading of a query: each Chinese run's characters in order, gaps allowed.

    ``terms`` are (tsquery fragment, lexeme) pairs the document must hold: every character of
    every Chinese run (single-character lexemes, found by the GIN index) and the Latin words as
    in :func:`query_terms`. ``run_patterns`` are LIKE patterns on ``name_normalised``, one per
    run of two or more characters (``%天%津%水%博%``): runs may come in any order, as terms may.
    ``pattern`` puts every piece of the whole query in the order typed, for the ranking.
    Every character is escaped, though normalisation leaves none that LIKE treats specially.
    """

    terms: tuple[tuple[str, str | None], ...]
    run_patterns: tuple[str, ...]
    pattern: str
    # The characters the run patterns check (those of runs of two or more characters).
    run_characters: frozenset[str] = frozenset()


def _pieces_pattern(pieces: Iterable[str]) -> str:
    return "%" + "%".join(like_escape(piece) for piece in pieces) + "%"


@lru_cache(maxsize=4096)
def in_order_query(text: str) -> InOrderQuery | None:
    """The in-order reading of ``text``, or None when it would match nothing more than
    :func:`query_terms` (no Chinese run of two or more characters)."""
    cjk = _cjk_runs(text)
    if not any(len(run) > 1 for run in cjk):
        return None
    parts: dict[str, str | None] = {}
    for run in cjk:
        for character in run:
            parts.setdefault(_term(character), character)
    parts.update(_latin_terms(text))
    pieces = [
        piece
        for term in query_words(text)
        for is_cjk, run in runs(normalise(term))
        for piece in (run if is_cjk else [run])
    ]
    return InOrderQuery(
        terms=tuple(parts.items()),
        run_patterns=tuple(dict.fromkeys(_pieces_pattern(run) for run in cjk if len(run) > 1)),
        pattern=_pieces_pattern(pieces),
        run_characters=frozenset(character for run in cjk if len(run) > 1 for character in run),
    )


def tsquery_literal(fragments: Iterable[str]) -> str:
    return " & ".join(fragments)


def query_tsquery(text: str) -> str:
    """The tsquery literal for a free-text query ("" when nothing searchable is left)."""
    return tsquery_literal(fragment for fragment, _lexeme in query_terms(text))

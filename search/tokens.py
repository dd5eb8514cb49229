"""Search tokens as PostgreSQL literals: the stored ``tsvector`` and the query ``tsquery``.

Both are built here, in Python, and cast (``%s::tsvector``, ``%s::tsquery``) so PostgreSQL's
text-search parser never re-splits a token: what :func:`search.normalise.tokens`
produced is exactly what is indexed and exactly what is searched. Every lexeme is quoted,
so a quote, a backslash or an operator character can never change the meaning of a literal
(normalisation already drops them; the quoting is a second fence).
"""

from __future__ import annotations

from collections.abc import Iterable
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


@lru_cache(maxsize=4096)
def query_terms(text: str) -> tuple[tuple[str, str | None], ...]:
    """The parts of a free-text query, all of which must match, as (tsquery fragment, lexeme).

    Chinese runs need all their bigrams (a single character needs itself); Latin and digit
    words match as prefixes or, when they read as pinyin, as pairs of syllables. ``lexeme`` is
    the plain token for a fragment that is exactly one token, else None (prefixes, alternatives).
    """
    parts: dict[str, str | None] = {}
    for is_cjk, run in runs(normalise(text)):
        if is_cjk:
            for item in bigrams(run) or [run]:
                parts.setdefault(_term(item), item[:MAX_TOKEN_LENGTH])
    for chunk in words(text):
        for is_cjk, run in runs(chunk):
            if not is_cjk:
                fragment = _latin_word_query(run)
                parts.setdefault(fragment, run if fragment == _term(run) else None)
    return tuple(parts.items())


def tsquery_literal(fragments: Iterable[str]) -> str:
    return " & ".join(fragments)


def query_tsquery(text: str) -> str:
    """The tsquery literal for a free-text query ("" when nothing searchable is left)."""
    return tsquery_literal(fragment for fragment, _lexeme in query_terms(text))

"""One search engine for every subject: enterprises, persons and list entries.

``normalise`` turns text into search tokens, ``tokens`` turns tokens into PostgreSQL
``tsvector``/``tsquery`` literals, ``query`` runs a search. Documents are written by
``search.services``. See docs/search.md.
"""

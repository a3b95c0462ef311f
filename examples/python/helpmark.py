"""helpmark for Python: a small wrapper of the C API (libhelpmark.so) on ctypes.

No package to install beyond the library itself:

    import helpmark
    with helpmark.Index(".helpmark/index") as index:
        results = index.search("refund late", locale="en", facets=["journey"])
        for hit in results.hits:
            print(hit.title, hit.id)
        answer = index.answer("where is my refund", locale="en")
        if answer.escalate:
            ...  # hand the customer over to a human
    with helpmark.EventStore(".helpmark/events.sqlite") as events:
        events.track("click", session="s-1", article="refund-timing", position=1)

The library is looked up in $HELPMARK_LIBRARY, then by the system (ctypes.util.find_library),
then as libhelpmark.so.0. An Index may be shared by threads (ctypes releases the GIL during
each call, so searches run in parallel); results are plain Python objects.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as _dt
import json
import os
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

__all__ = [
    "Alternative", "Answer", "EventStore", "HelpmarkError", "Hit", "Index", "Recorded",
    "SearchResults", "Suggestion", "library", "version",
]

# Status codes of helpmark.h (stable values).
OK = 0
EINVALID = -1
ENOTFOUND = -2
EIO = -3
EINPUT = -4
ELOCKED = -5
ECORRUPT = -6
ENOMEM = -7
EINTERNAL = -8

_LAYERS = {"synonyms": 1, "spelling": 2, "fallback": 4}
_STORE_READ_ONLY, _STORE_NO_CREATE, _STORE_SYNC_NORMAL = 1, 2, 4


class HelpmarkError(Exception):
    """A helpmark call failed. `code` is the HM_E* status, `status` its name."""

    def __init__(self, code: int, message: str):
        self.code = code
        self.status = _lib().hm_status_name(code).decode() if _library is not None else str(code)
        self.message = message
        super().__init__(f"{message} [{self.status}]")


# ---------------------------------------------------------------------------------------------
# Loading the library and declaring the functions
# ---------------------------------------------------------------------------------------------

_library: Optional[ctypes.CDLL] = None

_P = ctypes.c_void_p
_S = ctypes.c_char_p
_SZ = ctypes.c_size_t
_PSZ = ctypes.POINTER(ctypes.c_size_t)
_I = ctypes.c_int
_D = ctypes.c_double

# name: (restype, argtypes). Strings handed out are read as pointers plus lengths.
_PROTOTYPES = {
    "hm_last_error": (_S, []),
    "hm_last_error_code": (_I, []),
    "hm_status_name": (_S, [_I]),
    "hm_string_free": (None, [_P]),
    "hm_version": (_S, []),
    "hm_version_number": (_I, []),
    "hm_index_open": (_I, [ctypes.POINTER(_P), _S]),
    "hm_index_reopen": (_I, [_P]),
    "hm_index_size": (_I, [_PSZ, _P]),
    "hm_index_close": (None, [_P]),
    "hm_search_request_new": (_I, [ctypes.POINTER(_P)]),
    "hm_search_request_free": (None, [_P]),
    "hm_search_request_set_query": (_I, [_P, _S]),
    "hm_search_request_set_locale": (_I, [_P, _S]),
    "hm_search_request_add_filter": (_I, [_P, _S, _S]),
    "hm_search_request_add_facet": (_I, [_P, _S]),
    "hm_search_request_set_page": (_I, [_P, _SZ, _SZ]),
    "hm_search_request_set_layers": (_I, [_P, ctypes.c_uint]),
    "hm_search_request_set_ranking": (_I, [_P, _I]),
    "hm_search": (_I, [ctypes.POINTER(_P), _P, _P]),
    "hm_search_json": (_I, [ctypes.POINTER(_P), _PSZ, _P, _P]),
    "hm_results_free": (None, [_P]),
    "hm_results_count": (_SZ, [_P]),
    "hm_results_total": (_SZ, [_P]),
    "hm_hit_score": (_D, [_P, _SZ]),
    "hm_hit_audience_count": (_SZ, [_P, _SZ]),
    "hm_hit_audience": (_P, [_P, _SZ, _SZ, _PSZ]),
    "hm_hit_tag_count": (_SZ, [_P, _SZ]),
    "hm_hit_tag": (_P, [_P, _SZ, _SZ, _PSZ]),
    "hm_facet_count": (_SZ, [_P, _S]),
    "hm_facet_value": (_P, [_P, _S, _SZ, _PSZ]),
    "hm_facet_value_count": (_SZ, [_P, _S, _SZ]),
    "hm_results_corrected_query": (_P, [_P, _PSZ]),
    "hm_results_auto_corrected": (_I, [_P]),
    "hm_correction_count": (_SZ, [_P]),
    "hm_correction_from": (_P, [_P, _SZ, _PSZ]),
    "hm_correction_to": (_P, [_P, _SZ, _PSZ]),
    "hm_answer_options_new": (_I, [ctypes.POINTER(_P)]),
    "hm_answer_options_free": (None, [_P]),
    "hm_answer_options_set_threshold": (_I, [_P, _D]),
    "hm_answer_options_set_alternatives": (_I, [_P, _SZ]),
    "hm_answer_options_add_filter": (_I, [_P, _S, _S]),
    "hm_answer_options_set_layers": (_I, [_P, ctypes.c_uint]),
    "hm_answer_options_set_link_template": (_I, [_P, _S]),
    "hm_answer_question": (_I, [ctypes.POINTER(_P), _P, _S, _S, _P]),
    "hm_answer_json": (_I, [ctypes.POINTER(_P), _PSZ, _P, _S, _S, _P]),
    "hm_answer_free": (None, [_P]),
    "hm_answer_found": (_I, [_P]),
    "hm_answer_escalate": (_I, [_P]),
    "hm_answer_confidence": (_D, [_P]),
    "hm_answer_threshold": (_D, [_P]),
    "hm_answer_alternative_count": (_SZ, [_P]),
    "hm_answer_alternative_id": (_P, [_P, _SZ, _PSZ]),
    "hm_answer_alternative_title": (_P, [_P, _SZ, _PSZ]),
    "hm_answer_alternative_locale": (_P, [_P, _SZ, _PSZ]),
    "hm_answer_alternative_confidence": (_D, [_P, _SZ]),
    "hm_answer_matched_term_count": (_SZ, [_P]),
    "hm_answer_matched_term": (_P, [_P, _SZ, _PSZ]),
    "hm_answer_unmatched_term_count": (_SZ, [_P]),
    "hm_answer_unmatched_term": (_P, [_P, _SZ, _PSZ]),
    "hm_suggest": (_I, [ctypes.POINTER(_P), _P, _S, _S, _SZ]),
    "hm_suggest_json": (_I, [ctypes.POINTER(_P), _PSZ, _P, _S, _S, _SZ]),
    "hm_suggestions_free": (None, [_P]),
    "hm_suggestions_count": (_SZ, [_P]),
    "hm_suggestion_score": (_D, [_P, _SZ]),
    "hm_article_json": (_I, [ctypes.POINTER(_P), _PSZ, _P, _S]),
    "hm_event_store_open": (_I, [ctypes.POINTER(_P), _S, ctypes.c_uint, _S, _I]),
    "hm_event_store_close": (None, [_P]),
    "hm_event_new": (_I, [ctypes.POINTER(_P), _S]),
    "hm_event_free": (None, [_P]),
    "hm_event_set": (_I, [_P, _S, _S]),
    "hm_event_set_int": (_I, [_P, _S, ctypes.c_int64]),
    "hm_event_set_bool": (_I, [_P, _S, _I]),
    "hm_event_set_double": (_I, [_P, _S, _D]),
    "hm_event_add_result": (_I, [_P, _S]),
    "hm_event_add_filter": (_I, [_P, _S, _S]),
    "hm_event_store_record": (_I, [ctypes.POINTER(_P), ctypes.POINTER(_I), _P, _P]),
    "hm_event_store_record_json": (_I, [ctypes.POINTER(_P), ctypes.POINTER(_I), _P, _S]),
    "hm_event_store_record_batch": (_I, [ctypes.POINTER(_P), _P, ctypes.POINTER(_P), _SZ]),
    "hm_batch_free": (None, [_P]),
    "hm_batch_count": (_SZ, [_P]),
    "hm_batch_state": (_I, [_P, _SZ]),
    "hm_batch_id": (_P, [_P, _SZ, _PSZ]),
    "hm_batch_error": (_P, [_P, _SZ, _PSZ]),
}
# String accessors of one result item: (object, index, len*) -> const char*.
for _name in ("id", "title", "summary", "snippet", "journey", "subtopic", "locale", "path", "updated"):
    _PROTOTYPES[f"hm_hit_{_name}"] = (_P, [_P, _SZ, _PSZ])
for _name in ("text", "kind", "article_id"):
    _PROTOTYPES[f"hm_suggestion_{_name}"] = (_P, [_P, _SZ, _PSZ])
# String accessors of an answer: (answer, len*) -> const char*.
for _name in ("id", "title", "summary", "locale", "link", "steps", "steps_markdown", "troubleshooting",
              "troubleshooting_markdown"):
    _PROTOTYPES[f"hm_answer_{_name}"] = (_P, [_P, _PSZ])


def library(path: Optional[str] = None) -> ctypes.CDLL:
    """Loads libhelpmark (once). `path` overrides the search described in the module doc."""
    global _library
    if _library is not None:
        return _library
    candidates = [path, os.environ.get("HELPMARK_LIBRARY"), ctypes.util.find_library("helpmark"),
                  "libhelpmark.so.0"]
    errors = []
    for candidate in candidates:
        if not candidate:
            continue
        try:
            lib = ctypes.CDLL(candidate)
        except OSError as e:
            errors.append(f"{candidate}: {e}")
            continue
        for name, (restype, argtypes) in _PROTOTYPES.items():
            fn = getattr(lib, name)
            fn.restype = restype
            fn.argtypes = argtypes
        _library = lib
        return lib
    raise OSError("libhelpmark not found; set HELPMARK_LIBRARY to its path (" + "; ".join(errors) + ")")


def _lib() -> ctypes.CDLL:
    return _library if _library is not None else library()


def version() -> str:
    """The version of the loaded library, e.g. "0.1.0"."""
    return _lib().hm_version().decode()


def _check(rc: int) -> None:
    if rc != OK:
        raise HelpmarkError(rc, _lib().hm_last_error().decode("utf-8", "replace"))


def _bytes(text: Optional[str]) -> Optional[bytes]:
    # surrogateescape keeps undecodable bytes (e.g. from os.fsdecode) as they were, so the
    # library sees and reports invalid UTF-8 instead of Python failing first.
    return None if text is None else text.encode("utf-8", "surrogateescape")


def _str(fn, *args) -> str:
    n = ctypes.c_size_t(0)
    p = fn(*args, ctypes.byref(n))
    return ctypes.string_at(p, n.value).decode("utf-8") if p and n.value else ""


def _owned_json(call, *args) -> Any:
    out, n = ctypes.c_void_p(), ctypes.c_size_t(0)
    _check(call(ctypes.byref(out), ctypes.byref(n), *args))
    try:
        return json.loads(ctypes.string_at(out, n.value).decode("utf-8"))
    finally:
        _lib().hm_string_free(out)


def _values(v: Union[None, str, Iterable[str]]) -> Sequence[str]:
    if v is None:
        return ()
    return (v,) if isinstance(v, str) else tuple(v)


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    summary: str
    snippet: str  # HTML-escaped, matched words in <mark>...</mark>
    journey: str
    subtopic: str
    locale: str
    path: str
    updated: str
    score: float
    audience: tuple = ()
    tags: tuple = ()


@dataclass(frozen=True)
class SearchResults:
    hits: list
    total: int
    facets: dict  # field -> [(value, count), ...], most frequent first
    corrected_query: Optional[str]  # "did you mean"
    auto_corrected: bool  # hits are for corrected_query
    corrections: list  # [(typed, used), ...]


@dataclass(frozen=True)
class Alternative:
    id: str
    title: str
    locale: str
    confidence: float


@dataclass(frozen=True)
class Answer:
    found: bool
    escalate: bool  # hand the customer over to a human
    confidence: float
    threshold: float
    id: str
    title: str
    summary: str
    locale: str
    link: str
    steps: str
    steps_markdown: str
    troubleshooting: str
    troubleshooting_markdown: str
    alternatives: list = field(default_factory=list)
    matched_terms: list = field(default_factory=list)
    unmatched_terms: list = field(default_factory=list)


@dataclass(frozen=True)
class Suggestion:
    text: str
    kind: str  # "title", "question" or "word"
    article_id: str
    score: float


@dataclass(frozen=True)
class Recorded:
    id: str
    duplicate: bool  # it was stored before (a retry): nothing was written


# ---------------------------------------------------------------------------------------------
# Index
# ---------------------------------------------------------------------------------------------

class Index:
    """A search index on disk (built by `helpmark index`). Thread-safe; close() or use `with`."""

    def __init__(self, path: Union[str, os.PathLike]):
        lib = _lib()
        handle = ctypes.c_void_p()
        _check(lib.hm_index_open(ctypes.byref(handle), os.fsencode(path)))
        self._handle = handle
        self.path = os.fspath(path)

    def close(self) -> None:
        handle, self._handle = getattr(self, "_handle", None), None
        if handle:
            _lib().hm_index_close(handle)

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def _h(self) -> ctypes.c_void_p:
        if not self._handle:
            raise HelpmarkError(EINVALID, f"{self.path}: the index is closed")
        return self._handle

    def reopen(self) -> None:
        """Picks up the latest committed version of the index."""
        _check(_lib().hm_index_reopen(self._h()))

    def __len__(self) -> int:
        n = ctypes.c_size_t(0)
        _check(_lib().hm_index_size(ctypes.byref(n), self._h()))
        return n.value

    def _request(self, query, locale, filters, facets, offset, limit, layers, bm25):
        lib = _lib()
        req = ctypes.c_void_p()
        _check(lib.hm_search_request_new(ctypes.byref(req)))
        try:
            _check(lib.hm_search_request_set_query(req, _bytes(query or "")))
            _check(lib.hm_search_request_set_locale(req, _bytes(locale or "")))
            for name, values in filters.items():
                for v in _values(values):
                    _check(lib.hm_search_request_add_filter(req, name.encode(), _bytes(v)))
            for f in _values(facets):
                _check(lib.hm_search_request_add_facet(req, f.encode()))
            _check(lib.hm_search_request_set_page(req, offset, limit))
            if layers is not None:
                _check(lib.hm_search_request_set_layers(req, _layer_flags(layers)))
            if bm25:
                _check(lib.hm_search_request_set_ranking(req, 1))
        except BaseException:
            lib.hm_search_request_free(req)
            raise
        return req

    def search(self, query: str = "", *, locale: Optional[str] = None, journey=None, subtopic=None,
               audience=None, tag=None, status=None, locales=None, facets=None, offset: int = 0,
               limit: int = 10, layers: Optional[Iterable[str]] = None, bm25: bool = False) -> SearchResults:
        """Searches. Filters take a value or a list (OR within a filter, AND across filters);
        `facets` names fields to count: journey, subtopic, audience, locale, tags, status."""
        lib = _lib()
        filters = {"journey": journey, "subtopic": subtopic, "audience": audience, "tag": tag,
                   "status": status, "locale": locales}
        req = self._request(query, locale, filters, facets, offset, limit, layers, bm25)
        res = ctypes.c_void_p()
        try:
            _check(lib.hm_search(ctypes.byref(res), self._h(), req))
        finally:
            lib.hm_search_request_free(req)
        try:
            hits = []
            for i in range(lib.hm_results_count(res)):
                hits.append(Hit(
                    id=_str(lib.hm_hit_id, res, i), title=_str(lib.hm_hit_title, res, i),
                    summary=_str(lib.hm_hit_summary, res, i), snippet=_str(lib.hm_hit_snippet, res, i),
                    journey=_str(lib.hm_hit_journey, res, i), subtopic=_str(lib.hm_hit_subtopic, res, i),
                    locale=_str(lib.hm_hit_locale, res, i), path=_str(lib.hm_hit_path, res, i),
                    updated=_str(lib.hm_hit_updated, res, i), score=lib.hm_hit_score(res, i),
                    audience=tuple(_str(lib.hm_hit_audience, res, i, j)
                                   for j in range(lib.hm_hit_audience_count(res, i))),
                    tags=tuple(_str(lib.hm_hit_tag, res, i, j) for j in range(lib.hm_hit_tag_count(res, i)))))
            facet_counts = {}
            for f in _values(facets):
                key = f.encode()
                facet_counts[f] = [(_str(lib.hm_facet_value, res, key, j), lib.hm_facet_value_count(res, key, j))
                                   for j in range(lib.hm_facet_count(res, key))]
            corrected = _str(lib.hm_results_corrected_query, res)
            return SearchResults(
                hits=hits, total=lib.hm_results_total(res), facets=facet_counts,
                corrected_query=corrected or None, auto_corrected=bool(lib.hm_results_auto_corrected(res)),
                corrections=[(_str(lib.hm_correction_from, res, k), _str(lib.hm_correction_to, res, k))
                             for k in range(lib.hm_correction_count(res))])
        finally:
            lib.hm_results_free(res)

    def search_json(self, query: str = "", *, locale: Optional[str] = None, journey=None, subtopic=None,
                    audience=None, tag=None, status=None, locales=None, facets=None, offset: int = 0,
                    limit: int = 10, layers: Optional[Iterable[str]] = None, bm25: bool = False) -> dict:
        """The same search as the parsed JSON of `helpmark search --json`."""
        lib = _lib()
        filters = {"journey": journey, "subtopic": subtopic, "audience": audience, "tag": tag,
                   "status": status, "locale": locales}
        req = self._request(query, locale, filters, facets, offset, limit, layers, bm25)
        try:
            return _owned_json(lib.hm_search_json, self._h(), req)
        finally:
            lib.hm_search_request_free(req)

    def _answer_options(self, threshold, alternatives, journey, audience, link_template):
        lib = _lib()
        opts = ctypes.c_void_p()
        _check(lib.hm_answer_options_new(ctypes.byref(opts)))
        try:
            if threshold is not None:
                _check(lib.hm_answer_options_set_threshold(opts, float(threshold)))
            _check(lib.hm_answer_options_set_alternatives(opts, alternatives))
            for name, values in (("journey", journey), ("audience", audience)):
                for v in _values(values):
                    _check(lib.hm_answer_options_add_filter(opts, name.encode(), _bytes(v)))
            if link_template is not None:
                _check(lib.hm_answer_options_set_link_template(opts, _bytes(link_template)))
        except BaseException:
            lib.hm_answer_options_free(opts)
            raise
        return opts

    def answer(self, question: str, *, locale: Optional[str] = None, threshold: Optional[float] = None,
               alternatives: int = 3, journey=None, audience=None,
               link_template: Optional[str] = None) -> Answer:
        """The best article for a customer's question, with a calibrated confidence and whether
        to escalate to a human."""
        lib = _lib()
        opts = self._answer_options(threshold, alternatives, journey, audience, link_template)
        a = ctypes.c_void_p()
        try:
            _check(lib.hm_answer_question(ctypes.byref(a), self._h(), _bytes(question), _bytes(locale), opts))
        finally:
            lib.hm_answer_options_free(opts)
        try:
            def s(name):
                return _str(getattr(lib, "hm_answer_" + name), a)
            return Answer(
                found=bool(lib.hm_answer_found(a)), escalate=bool(lib.hm_answer_escalate(a)),
                confidence=lib.hm_answer_confidence(a), threshold=lib.hm_answer_threshold(a),
                id=s("id"), title=s("title"), summary=s("summary"), locale=s("locale"), link=s("link"),
                steps=s("steps"), steps_markdown=s("steps_markdown"), troubleshooting=s("troubleshooting"),
                troubleshooting_markdown=s("troubleshooting_markdown"),
                alternatives=[Alternative(_str(lib.hm_answer_alternative_id, a, i),
                                          _str(lib.hm_answer_alternative_title, a, i),
                                          _str(lib.hm_answer_alternative_locale, a, i),
                                          lib.hm_answer_alternative_confidence(a, i))
                              for i in range(lib.hm_answer_alternative_count(a))],
                matched_terms=[_str(lib.hm_answer_matched_term, a, i)
                               for i in range(lib.hm_answer_matched_term_count(a))],
                unmatched_terms=[_str(lib.hm_answer_unmatched_term, a, i)
                                 for i in range(lib.hm_answer_unmatched_term_count(a))])
        finally:
            lib.hm_answer_free(a)

    def answer_json(self, question: str, *, locale: Optional[str] = None, threshold: Optional[float] = None,
                    alternatives: int = 3, journey=None, audience=None,
                    link_template: Optional[str] = None) -> dict:
        """The same answer as the parsed JSON of `helpmark answer --json`."""
        lib = _lib()
        opts = self._answer_options(threshold, alternatives, journey, audience, link_template)
        try:
            return _owned_json(lib.hm_answer_json, self._h(), _bytes(question), _bytes(locale), opts)
        finally:
            lib.hm_answer_options_free(opts)

    def suggest(self, prefix: str, *, locale: Optional[str] = None, limit: int = 8) -> list:
        """Completions of what is being typed in a search box."""
        lib = _lib()
        s = ctypes.c_void_p()
        _check(lib.hm_suggest(ctypes.byref(s), self._h(), _bytes(prefix), _bytes(locale), limit))
        try:
            return [Suggestion(_str(lib.hm_suggestion_text, s, i), _str(lib.hm_suggestion_kind, s, i),
                               _str(lib.hm_suggestion_article_id, s, i), lib.hm_suggestion_score(s, i))
                    for i in range(lib.hm_suggestions_count(s))]
        finally:
            lib.hm_suggestions_free(s)

    def article(self, article_id: str) -> dict:
        """Every parsed field of one article (the JSON of `helpmark show --json`)."""
        return _owned_json(_lib().hm_article_json, self._h(), _bytes(article_id))


def _layer_flags(layers: Iterable[str]) -> int:
    flags = 0
    for name in layers:
        if name not in _LAYERS:
            raise HelpmarkError(EINVALID, f"unknown layer '{name}'; layers: {', '.join(_LAYERS)}")
        flags |= _LAYERS[name]
    return flags


# ---------------------------------------------------------------------------------------------
# Tracking
# ---------------------------------------------------------------------------------------------

_INT_FIELDS = {"position", "total"}
_BOOL_FIELDS = {"helpful", "escalated", "accepted"}
_FLOAT_FIELDS = {"confidence"}


def _timestamp(value: Union[str, _dt.datetime]) -> str:
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            raise HelpmarkError(EINVALID, "ts: give an aware datetime (with a time zone)")
        return value.astimezone(_dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return value


class EventStore:
    """The durable event store `helpmark track` and `helpmark report` use. Thread-safe."""

    def __init__(self, path: Union[str, os.PathLike], *, read_only: bool = False, create: bool = True,
                 fast: bool = False, privacy_file: Optional[str] = None,
                 busy_timeout_ms: Optional[int] = None):
        """`fast` skips the fsync on each commit (survives a process crash, not a power cut);
        `privacy_file` adds personal-data patterns ("" for none; default as the CLI)."""
        lib = _lib()
        flags = (_STORE_READ_ONLY if read_only else 0) | (0 if create else _STORE_NO_CREATE) | (
            _STORE_SYNC_NORMAL if fast else 0)
        handle = ctypes.c_void_p()
        _check(lib.hm_event_store_open(ctypes.byref(handle), os.fsencode(path), flags,
                                       None if privacy_file is None else os.fsencode(privacy_file),
                                       -1 if busy_timeout_ms is None else busy_timeout_ms))
        self._handle = handle
        self.path = os.fspath(path)

    def close(self) -> None:
        handle, self._handle = getattr(self, "_handle", None), None
        if handle:
            _lib().hm_event_store_close(handle)

    def __enter__(self) -> "EventStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def _h(self) -> ctypes.c_void_p:
        if not self._handle:
            raise HelpmarkError(EINVALID, f"{self.path}: the event store is closed")
        return self._handle

    @staticmethod
    def _event(type: str, fields: Mapping[str, Any]) -> ctypes.c_void_p:
        lib = _lib()
        ev = ctypes.c_void_p()
        _check(lib.hm_event_new(ctypes.byref(ev), type.encode()))
        try:
            for name, value in fields.items():
                if value is None:
                    continue
                key = name.encode()
                if name == "results":
                    for article in _values(value):
                        _check(lib.hm_event_add_result(ev, _bytes(article)))
                elif name == "filters":
                    for fname, fvalues in value.items():
                        for v in _values(fvalues):
                            _check(lib.hm_event_add_filter(ev, _bytes(fname), _bytes(v)))
                elif name in _BOOL_FIELDS:
                    _check(lib.hm_event_set_bool(ev, key, 1 if value else 0))
                elif name in _INT_FIELDS:
                    _check(lib.hm_event_set_int(ev, key, int(value)))
                elif name in _FLOAT_FIELDS:
                    _check(lib.hm_event_set_double(ev, key, float(value)))
                else:
                    _check(lib.hm_event_set(ev, key, _bytes(_timestamp(value) if name == "ts" else value)))
        except BaseException:
            lib.hm_event_free(ev)
            raise
        return ev

    def track(self, type: str, **fields: Any) -> Recorded:
        """Records one event: track("click", session="s-1", article="refund-timing", position=1).
        `ts` (ISO 8601 text or an aware datetime) defaults to now; `results` takes a list of
        article ids and `filters` a dict. A retry of the same event is stored once when
        it carries the same `ts` (or `id`): without one, each call is stamped with the current
        time and is a new event."""
        lib = _lib()
        ev = self._event(type, fields)
        out, dup = ctypes.c_void_p(), ctypes.c_int(0)
        try:
            _check(lib.hm_event_store_record(ctypes.byref(out), ctypes.byref(dup), self._h(), ev))
            return Recorded(ctypes.string_at(out).decode(), bool(dup.value))
        finally:
            lib.hm_string_free(out)
            lib.hm_event_free(ev)

    def track_json(self, event: Union[str, Mapping[str, Any]]) -> Recorded:
        """Records one event given in the JSONL form of `helpmark track import`."""
        lib = _lib()
        text = event if isinstance(event, str) else json.dumps(event)
        out, dup = ctypes.c_void_p(), ctypes.c_int(0)
        try:
            _check(lib.hm_event_store_record_json(ctypes.byref(out), ctypes.byref(dup), self._h(), _bytes(text)))
            return Recorded(ctypes.string_at(out).decode(), bool(dup.value))
        finally:
            lib.hm_string_free(out)

    def track_batch(self, events: Sequence[Mapping[str, Any]]) -> list:
        """Records many events (dicts with a "type") in one transaction. Returns one
        (state, id, error) per event, state being "stored", "duplicate" or "rejected"; invalid
        events never keep the valid ones from being stored."""
        lib = _lib()
        handles = []
        try:
            for e in events:
                fields = dict(e)
                handles.append(self._event(fields.pop("type"), fields))
            array = (ctypes.c_void_p * len(handles))(*handles)
            batch = ctypes.c_void_p()
            _check(lib.hm_event_store_record_batch(ctypes.byref(batch), self._h(), array, len(handles)))
            try:
                states = {0: "stored", 1: "duplicate", 2: "rejected"}
                return [(states[lib.hm_batch_state(batch, i)], _str(lib.hm_batch_id, batch, i),
                         _str(lib.hm_batch_error, batch, i)) for i in range(lib.hm_batch_count(batch))]
            finally:
                lib.hm_batch_free(batch)
        finally:
            for h in handles:
                lib.hm_event_free(h)

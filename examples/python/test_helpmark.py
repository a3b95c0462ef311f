"""Tests of the ctypes wrapper (examples/python/helpmark.py), run by ctest as capi/python.

Environment: HELPMARK_LIBRARY (libhelpmark.so), HELPMARK_TEST_INDEX (an index of
tests/data/kb-small), HELPMARK_BIN (the CLI, to compare JSON with). Exits 77 (skipped) when
they are missing or HELPMARK_SKIP_PYTHON says why not to run.
"""

import json
import os
import subprocess
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

SKIP = 77
if os.environ.get("HELPMARK_SKIP_PYTHON"):
    print("skipped: " + os.environ["HELPMARK_SKIP_PYTHON"])
    sys.exit(SKIP)
if not os.environ.get("HELPMARK_TEST_INDEX"):
    print("skipped: set HELPMARK_TEST_INDEX (and HELPMARK_LIBRARY) to run these tests")
    sys.exit(SKIP)

import helpmark  # noqa: E402

INDEX = os.environ["HELPMARK_TEST_INDEX"]
CLI = os.environ.get("HELPMARK_BIN")


class IndexTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.index = helpmark.Index(INDEX)

    @classmethod
    def tearDownClass(cls):
        cls.index.close()

    def test_version(self):
        self.assertRegex(helpmark.version(), r"^\d+\.\d+\.\d+$")

    def test_search_hits_and_facets(self):
        r = self.index.search("refund", locale="en", facets=["journey", "locale"])
        self.assertGreater(r.total, 0)
        self.assertEqual(r.hits[0].id, "refund-timing")
        self.assertEqual(r.hits[0].title, "How long a refund takes")
        self.assertIn("<mark>", r.hits[0].snippet)
        self.assertIn("refund", r.hits[0].tags)
        self.assertEqual(r.hits[0].audience, ("buyer",))
        journeys = dict(r.facets["journey"])
        self.assertGreaterEqual(journeys["payments"], 1)
        self.assertEqual(sum(journeys.values()), r.total)

    def test_filters_and_pagination(self):
        everything = self.index.search("", limit=100)
        returns = self.index.search("", journey="returns", limit=100)
        self.assertTrue(all(h.journey == "returns" for h in returns.hits))
        self.assertLess(returns.total, everything.total)
        page1 = self.index.search("", limit=2)
        page2 = self.index.search("", offset=2, limit=2)
        self.assertEqual(len(page1.hits), 2)
        self.assertFalse({h.id for h in page1.hits} & {h.id for h in page2.hits})
        both = self.index.search("", journey=["returns", "sellers"], limit=100)
        self.assertTrue({h.journey for h in both.hits} <= {"returns", "sellers"})

    def test_locale_and_translation(self):
        r = self.index.search("reembolso", locale="es")
        self.assertTrue(r.hits)
        self.assertEqual(r.hits[0].locale, "es")

    def test_did_you_mean(self):
        r = self.index.search("refnud", locale="en")
        self.assertEqual(r.corrected_query, "refund")
        self.assertTrue(r.auto_corrected)
        self.assertIn(("refnud", "refund"), r.corrections)

    def test_search_json_equals_cli(self):
        mine = self.index.search_json("refund", locale="en", facets=["journey"], limit=3)
        self.assertEqual(mine["hits"][0]["id"], "refund-timing")
        if not CLI:
            self.skipTest("HELPMARK_BIN not set")
        out = subprocess.run([CLI, "search", "refund", "--index", INDEX, "--locale", "en", "--facet",
                              "journey", "--limit", "3", "--json"], check=True, capture_output=True, text=True)
        self.assertEqual(mine, json.loads(out.stdout))

    def test_answer(self):
        a = self.index.answer("when will i get my money back", locale="en")
        self.assertTrue(a.found)
        self.assertEqual(a.id, "refund-timing")
        self.assertGreater(a.confidence, 0.0)
        self.assertEqual(a.escalate, a.confidence < a.threshold)
        self.assertIn("Refund panel", a.steps)
        self.assertEqual(a.link, "/articles/refund-timing")
        self.assertLessEqual(len(a.alternatives), 3)
        strict = self.index.answer("when will i get my money back", locale="en", threshold=1.0)
        self.assertTrue(strict.escalate)
        linked = self.index.answer("refund", locale="en", link_template="https://help.example.com/{locale}/{id}")
        self.assertEqual(linked.link, "https://help.example.com/en/refund-timing")
        nothing = self.index.answer("zzzqqq xyzzy", locale="en")
        self.assertFalse(nothing.found)
        self.assertTrue(nothing.escalate)

    def test_answer_json_equals_cli(self):
        mine = self.index.answer_json("card declined", locale="en")
        if not CLI:
            self.skipTest("HELPMARK_BIN not set")
        out = subprocess.run([CLI, "answer", "card declined", "--index", INDEX, "--locale", "en", "--json"],
                             check=True, capture_output=True, text=True)
        self.assertEqual(mine, json.loads(out.stdout))

    def test_suggest(self):
        s = self.index.suggest("how long", locale="en")
        self.assertTrue(s)
        self.assertIn("How long a refund takes", [x.text for x in s])
        self.assertEqual(self.index.suggest("", locale="en"), [])

    def test_article_and_size(self):
        self.assertEqual(self.index.article("refund-timing")["title"], "How long a refund takes")
        self.assertGreater(len(self.index), 5)
        self.index.reopen()

    def test_errors(self):
        with self.assertRaises(helpmark.HelpmarkError) as e:
            helpmark.Index(os.path.join(tempfile.gettempdir(), "no-such-helpmark-index"))
        self.assertEqual(e.exception.code, helpmark.ENOTFOUND)
        self.assertEqual(e.exception.status, "not found")
        with tempfile.TemporaryDirectory() as d:
            with self.assertRaises(helpmark.HelpmarkError) as e:
                helpmark.Index(d)
            self.assertEqual(e.exception.code, helpmark.ECORRUPT)
        with self.assertRaises(helpmark.HelpmarkError) as e:
            self.index.search("caf\udce9")  # the byte 0xE9 alone: invalid UTF-8
        self.assertEqual(e.exception.code, helpmark.EINVALID)
        self.assertIn("UTF-8", e.exception.message)
        with self.assertRaises(helpmark.HelpmarkError) as e:
            self.index.search("x", facets=["colour"])
        self.assertEqual(e.exception.code, helpmark.EINVALID)
        with self.assertRaises(helpmark.HelpmarkError) as e:
            self.index.search("x", limit=5000)
        self.assertEqual(e.exception.code, helpmark.EINVALID)
        with self.assertRaises(helpmark.HelpmarkError):
            self.index.article("no-such-article")

    def test_closed_index(self):
        ix = helpmark.Index(INDEX)
        ix.close()
        ix.close()  # twice is fine
        with self.assertRaises(helpmark.HelpmarkError) as e:
            ix.search("refund")
        self.assertEqual(e.exception.code, helpmark.EINVALID)

    def test_threads_share_one_index(self):
        expected = {q: self.index.search_json(q, locale="en") for q in ("refund", "return label", "payout")}
        failures = []

        def work():
            for _ in range(20):
                for q, want in expected.items():
                    if self.index.search_json(q, locale="en") != want:
                        failures.append(q)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(failures, [])


class EventStoreTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "events.sqlite")

    def tearDown(self):
        self.dir.cleanup()

    def test_search_then_click(self):
        with helpmark.EventStore(self.path, privacy_file="") as store:
            search = store.track("search", session="s-1", query="refund for jane@example.com", locale="en",
                                 results=["refund-timing", "card-declined"], filters={"journey": ["payments"]},
                                 ts="2026-11-01T10:00:00Z")
            self.assertFalse(search.duplicate)
            click = store.track("click", session="s-1", article="refund-timing", position=1,
                                search_id=search.id, ts="2026-11-01T10:00:05Z")
            self.assertNotEqual(click.id, search.id)
            again = store.track("click", session="s-1", article="refund-timing", position=1,
                                search_id=search.id, ts="2026-11-01T10:00:05Z")
            self.assertEqual(again, helpmark.Recorded(click.id, True))
            store.track("feedback", session="s-1", article="refund-timing", helpful=True)
            store.track("bot_answer", session="s-2", question="where is my refund", article="refund-timing",
                        confidence=0.8, escalated=False, accepted=True)
            store.track("ticket", session="s-2", journey="payments")
            store.track_json({"type": "view", "ts": "2026-11-01T10:01:00Z", "session": "s-1",
                              "article": "refund-timing", "source": "search"})
        if CLI:
            out = subprocess.run([CLI, "track", "export", "--store", self.path], check=True, capture_output=True,
                                 text=True).stdout
            self.assertNotIn("jane@example.com", out)  # scrubbed before storing
            self.assertEqual(len(out.strip().splitlines()), 6)  # the retried click is stored once

    def test_invalid_events(self):
        with helpmark.EventStore(self.path, privacy_file="") as store:
            with self.assertRaises(helpmark.HelpmarkError) as e:
                store.track("click", session="s-1", article="refund-timing")  # no position
            self.assertEqual(e.exception.code, helpmark.EINPUT)
            with self.assertRaises(helpmark.HelpmarkError) as e:
                store.track("dance", session="s-1")
            self.assertEqual(e.exception.code, helpmark.EINVALID)
            outcomes = store.track_batch([
                {"type": "view", "session": "s-1", "article": "a"},
                {"type": "click", "session": "s-1"},
                {"type": "view", "session": "s-1", "article": "b"},
            ])
            self.assertEqual([o[0] for o in outcomes], ["stored", "rejected", "stored"])
            self.assertTrue(outcomes[1][2])

    def test_read_only_missing_store(self):
        with self.assertRaises(helpmark.HelpmarkError) as e:
            helpmark.EventStore(os.path.join(self.dir.name, "missing.sqlite"), read_only=True)
        self.assertEqual(e.exception.code, helpmark.ENOTFOUND)


if __name__ == "__main__":
    unittest.main()

"""End-to-end tests of the demo help center (`helpmark serve`, GET /) in headless Chromium.

Run by ctest as browser/demo (label "browser"). Indexes the shipped help center (articles/ with
taxonomy/) into a temporary directory, starts `helpmark serve` on a free loopback port and drives
the page with selenium and Debian's chromedriver: a misspelled search and its correction,
highlighted snippets, a journey filter, autocomplete by keyboard, the language switcher, an
article, "Was this helpful?" and "Contact support" (checked in the store with `track export`),
basic accessibility, and no error in the browser console.

Environment: HELPMARK_BIN (the CLI), HELPMARK_SOURCE_DIR (for articles/ and taxonomy/),
HELPMARK_BROWSER_ARTIFACTS (where screenshots go; default: a temporary directory),
HELPMARK_CHROMIUM / HELPMARK_CHROMEDRIVER (default: found on PATH). Exits 77 (skipped) when
chromium, chromedriver or selenium is missing. Nothing is downloaded.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

SKIP = 77
HARD_TIMEOUT_SECONDS = 240  # the whole run; ctest's TIMEOUT is a little longer
WAIT_SECONDS = 15  # one explicit wait


def skip(why):
    print("skipped: " + why)
    sys.exit(SKIP)


CLI = os.environ.get("HELPMARK_BIN")
SOURCE_DIR = os.environ.get("HELPMARK_SOURCE_DIR")
if not CLI or not SOURCE_DIR:
    skip("set HELPMARK_BIN and HELPMARK_SOURCE_DIR to run these tests")
CHROMIUM = os.environ.get("HELPMARK_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = os.environ.get("HELPMARK_CHROMEDRIVER") or shutil.which("chromedriver")
if not CHROMIUM:
    skip("chromium not found (Debian: apt-get install chromium)")
if not CHROMEDRIVER:
    skip("chromedriver not found (Debian: apt-get install chromium-driver)")
try:
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:
    skip("python3 selenium not found (Debian: apt-get install python3-selenium)")

CONTACT_URL = "https://support.example.com/new?topic={journey}&q={query}&article={article}"
ARTIFACTS = os.environ.get("HELPMARK_BROWSER_ARTIFACTS") or tempfile.mkdtemp(prefix="helpmark-browser-")


def hard_timeout(signum, frame):
    raise TimeoutError("the browser tests took longer than %d s" % HARD_TIMEOUT_SECONDS)


class Server:
    """`helpmark serve` on a free port, in its own process group so that all of it is stopped."""

    def __init__(self, index, store):
        self.proc = subprocess.Popen(
            [CLI, "serve", "--index", index, "--store", store, "--listen", "127.0.0.1:0", "--threads", "4",
             "--contact-url", CONTACT_URL],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.stderr = []
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True).start()
        first_line = []
        reader = threading.Thread(target=lambda: first_line.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(WAIT_SECONDS)
        match = re.search(r"listening on (http://\S+/)", first_line[0] if first_line else "")
        if not match:
            self.stop()
            raise RuntimeError("helpmark serve did not print its URL: %r %s" % (first_line, "".join(self.stderr)))
        self.url = match.group(1)

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            except ProcessLookupError:
                pass


def start_chromium(profile_dir):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start. The
    # others keep the run quiet and offline (no updates, sync or first-run pages).
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1200,900", "--lang=en-US", "--user-data-dir=" + profile_dir):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT_SECONDS)
    driver.set_script_timeout(WAIT_SECONDS)
    return driver


class DemoPageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="helpmark-browser-test-")
        cls.index = os.path.join(cls.tmp, "index")
        cls.store = os.path.join(cls.tmp, "events.sqlite")
        subprocess.run([CLI, "index", os.path.join(SOURCE_DIR, "articles"), "--taxonomy",
                        os.path.join(SOURCE_DIR, "taxonomy"), "--index", cls.index, "-q"],
                       check=True, timeout=120)
        cls.server = Server(cls.index, cls.store)
        try:
            cls.driver = start_chromium(os.path.join(cls.tmp, "profile"))
        except Exception:
            cls.server.stop()
            raise
        os.makedirs(ARTIFACTS, exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        try:
            cls.driver.quit()
        finally:
            cls.server.stop()
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.console = []

    def tearDown(self):
        # Every console message is kept in the log; SEVERE ones (uncaught errors, failed
        # requests, CSP violations) fail the test.
        self.console += self.driver.get_log("browser")
        for entry in self.console:
            print("console %s: %s" % (entry["level"], entry["message"]))
        severe = [e["message"] for e in self.console if e["level"] == "SEVERE"]
        self.assertEqual(severe, [], "errors in the browser console")

    # ---- helpers ----------------------------------------------------------------------------

    def wait(self, condition, message):
        try:
            return WebDriverWait(self.driver, WAIT_SECONDS).until(condition)
        except TimeoutException:
            self.screenshot("timeout-" + re.sub(r"\W+", "-", message)[:40])
            raise AssertionError("timed out waiting for " + message) from None

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text_of(self, css):
        return self.driver.execute_script("const n = document.querySelector(arguments[0]); return n ? n.textContent : null;", css)

    def screenshot(self, name):
        self.driver.save_screenshot(os.path.join(ARTIFACTS, name + ".png"))

    def open_home(self):
        self.driver.get(self.server.url)
        # The page is ready once it has asked /healthz whether events are recorded.
        self.wait(lambda d: self.text_of("#events-note"), "the page to start")

    def wait_for_status(self, pattern, message):
        return self.wait(lambda d: re.search(pattern, self.text_of("#status") or ""), message)

    def search(self, query):
        box = self.find("#q")
        box.clear()
        box.send_keys(query)
        self.find("#search-form button[type=submit]").click()
        # The status names the query, so an earlier search's status is not taken for this one's.
        quoted = re.escape("“%s”" % query)
        return self.wait_for_status(r"^(\d+ results? for|No results for) %s" % quoted, "results for " + query)

    def facet_options(self, facet):
        """[(value, count, checkbox)] of a facet's options."""
        out = []
        for label in self.find_all("#facet-%s .options label" % facet):
            match = re.match(r"\s*(\S+)\s+\((\d+)\)", label.text)
            self.assertIsNotNone(match, label.text)
            out.append((match.group(1), int(match.group(2)), label.find_element(By.TAG_NAME, "input")))
        return out

    def total(self):
        return int(re.search(r"(\d+) results?", self.text_of("#status")).group(1))

    def ticket_count(self):
        return len([e for e in self.events() if e["type"] == "ticket"])

    def events(self):
        out = subprocess.run([CLI, "track", "export", "--store", self.store], check=True, timeout=60,
                             capture_output=True, text=True).stdout
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    # ---- tests ------------------------------------------------------------------------------

    def test_search_filter_suggest_locale_article_feedback(self):
        d = self.driver
        earlier_events = len(self.events())  # the other test shares the server and the store
        self.open_home()
        self.assertIn("recorded anonymously", self.text_of("#events-note"))

        # A misspelled query is corrected and said so; snippets highlight the matched words.
        self.search("refnud not recieved")
        correction = self.wait(EC.visibility_of_element_located((By.ID, "correction")), "the correction")
        self.assertRegex(correction.text, r"Showing results for refund not received|Did you mean")
        hits = self.find_all("#results > li")
        self.assertGreater(len(hits), 0)
        self.assertGreater(len(self.find_all("#results .snippet mark")), 0, "no highlighted snippet")
        self.assertTrue(any("refund" in m.text.lower() for m in self.find_all("#results .snippet mark")))
        self.screenshot("01-corrected-search")

        # A misspelling the query finds enough without: "Did you mean", a button that searches it.
        self.search("how long refund takes bankk")
        suggestion = self.wait(lambda d: self.find_all("#correction button"), "Did you mean")[0]
        self.assertTrue(self.find("#correction").text.startswith("Did you mean"))
        self.assertEqual(suggestion.text, "how long refund takes bank")
        suggestion.send_keys(Keys.ENTER)
        self.wait_for_status(r"results? for “how long refund takes bank”", "results for the suggested spelling")
        self.assertFalse(self.find("#correction").is_displayed())
        self.assertEqual(self.find("#q").get_attribute("value"), "how long refund takes bank")
        self.search("refnud not recieved")

        # A journey filter: the results and counts follow it.
        total = self.total()
        journeys = self.facet_options("journey")
        self.assertGreater(len(journeys), 1)
        self.assertEqual(sum(c for _, c, _ in journeys), total)
        value, count, checkbox = min(journeys, key=lambda j: j[1])
        checkbox.send_keys(Keys.SPACE)  # by keyboard: the focus must survive the new counts
        self.wait_for_status(r"^%d results? for" % count, "the filtered total %d" % count)
        self.assertTrue(self.find("#facet-journey input[value='%s']" % value).is_selected())
        self.assertEqual(d.switch_to.active_element.get_attribute("value"), value, "the filter lost the focus")
        for meta in self.find_all("#results .meta"):
            self.assertTrue(meta.text.startswith(value), meta.text)
        audience_total = sum(c for _, c, _ in self.facet_options("audience"))
        self.assertGreaterEqual(audience_total, count)  # an article may have several audiences
        self.screenshot("02-filtered")
        # The same query searched again starts without filters.
        self.search("refnud not recieved")
        self.wait_for_status(r"^%d results" % total, "the unfiltered total again")
        self.assertEqual([c for c in self.find_all("#facet-journey input") if c.is_selected()], [])

        # Autocomplete with the keyboard: arrows move the active option, Enter searches it.
        box = self.find("#q")
        box.clear()
        box.send_keys("refu")
        self.wait(lambda d: self.find_all("#suggestions li") and self.find("#suggestions").is_displayed(),
                  "suggestions")
        self.assertEqual(box.get_attribute("aria-expanded"), "true")
        options = self.find_all("#suggestions li")
        self.assertGreaterEqual(len(options), 2)
        box.send_keys(Keys.ARROW_DOWN)
        self.assertEqual(box.get_attribute("aria-activedescendant"), options[0].get_attribute("id"))
        box.send_keys(Keys.ARROW_DOWN)
        self.assertEqual(box.get_attribute("aria-activedescendant"), options[1].get_attribute("id"))
        self.assertEqual(options[1].get_attribute("aria-selected"), "true")
        self.assertEqual(options[0].get_attribute("aria-selected"), "false")
        chosen = options[1].find_element(By.CSS_SELECTOR, "span").text
        self.screenshot("03-suggestions")
        box.send_keys(Keys.ENTER)
        self.wait_for_status(r"results? for “%s”" % re.escape(chosen), "results for the suggestion")
        self.assertEqual(box.get_attribute("value"), chosen)
        self.assertFalse(self.find("#suggestions").is_displayed())
        self.assertEqual(box.get_attribute("aria-expanded"), "false")
        # Escape closes the list and leaves the text alone.
        box.send_keys(Keys.BACKSPACE)
        self.wait(lambda d: self.find("#suggestions").is_displayed(), "suggestions again")
        box.send_keys(Keys.ESCAPE)
        self.wait(lambda d: not self.find("#suggestions").is_displayed(), "Escape to close the suggestions")
        self.assertEqual(box.get_attribute("value"), chosen[:-1])
        self.assertEqual(box.get_attribute("aria-expanded"), "false")

        # The language switcher: Spanish results, and the page's language follows.
        self.search("refund")
        Select(self.find("#locale")).select_by_value("es")
        # Spanish first; English articles without a translation may follow (the fallback chain).
        self.wait(lambda d: (self.text_of("#results .meta") or "").endswith(" · es"), "Spanish results")
        self.assertFalse(self.find("#suggestions").is_displayed())
        self.assertEqual(d.execute_script("return document.documentElement.lang"), "es")
        self.screenshot("04-spanish")
        Select(self.find("#locale")).select_by_value("en")
        self.wait(lambda d: (self.text_of("#results .meta") or "").endswith(" · en"), "English results")

        # An article: summary, steps, troubleshooting, related articles.
        self.search("how long does a refund take")
        titles = self.find_all("#results .title button")
        target = next(b for b in titles if b.text == "How long a refund takes")
        target.click()
        self.wait(lambda d: self.text_of("#article-title") == "How long a refund takes", "the article")
        self.assertTrue(self.find("#article-view").is_displayed())
        self.assertFalse(self.find("#results-view").is_displayed())
        self.assertIn("Refunds go back to the payment method", self.text_of("#article-summary"))
        self.wait(lambda d: d.switch_to.active_element.get_attribute("id") == "article-title",
                  "the focus on the article's title")
        # Wrapped lines stay in their list item: one list of five steps, as in the Markdown.
        self.assertEqual(len(self.find_all("#article-sections .section-steps ol")), 1)
        steps = self.find_all("#article-sections .section-steps ol li")
        self.assertEqual(len(steps), 5)
        self.assertEqual(steps[0].text, "Go to Account > Orders and open the order.")
        self.assertTrue(steps[1].text.endswith("the amount and the payment method it went back to."), steps[1].text)
        self.assertEqual([th.text for th in self.find_all("#article-sections table th")],
                         ["Paid with", "Time after the refund is issued"])
        self.assertTrue(self.find_all("#article-sections .section-troubleshooting"), "no troubleshooting section")
        related = self.wait(lambda d: self.find_all("#related-list a"), "related articles")
        self.assertIn("You haven't received your refund", [a.text for a in related])
        self.screenshot("05-article")

        # Feedback: a vote can be changed (the store keeps the last), and "No" asks why.
        self.find("#helpful-yes").click()
        self.wait(lambda d: "Thank you" in (self.text_of("#feedback-status") or ""), "the feedback thanks")
        self.assertEqual(self.find("#helpful-yes").get_attribute("aria-pressed"), "true")
        self.assertFalse(self.find("#reason-form").is_displayed())
        self.find("#helpful-no").click()
        self.wait(lambda d: self.find("#reason-form").is_displayed(), "the reasons after No")
        self.assertEqual(self.find("#helpful-yes").get_attribute("aria-pressed"), "false")
        self.assertEqual(self.find("#helpful-no").get_attribute("aria-pressed"), "true")
        self.find("#reason-form input[value=outdated]").click()
        self.find("#reason-text").send_keys("the times changed, write to me at jo@example.com")
        self.find("#reason-form button[type=submit]").click()
        self.wait(lambda d: "helps us improve" in (self.text_of("#feedback-status") or ""), "the thanks for the reason")
        self.screenshot("06-feedback")

        # Contact support links to the configured page with what the visitor was doing; the
        # ticket is recorded when the link is followed (here: clicked, the navigation stopped).
        contact = self.find("#contact")
        self.assertTrue(contact.is_displayed())
        self.assertEqual(contact.get_attribute("href"),
                         "https://support.example.com/new?topic=payments&q=how%20long%20does%20a%20refund%20take"
                         "&article=refund-timing")
        self.assertEqual(contact.get_attribute("target"), "_blank")
        self.assertEqual(self.ticket_count(), 0, "no ticket before the visitor goes")
        d.execute_script("const a = document.getElementById('contact');"
                         "a.addEventListener('click', (e) => e.preventDefault()); a.click();")
        self.wait(lambda d: "contact page opened" in (self.text_of("#contact-status") or ""), "the contact note")

        # A related article opens in the same view; Back returns to it from there.
        next(a for a in self.find_all("#related-list a") if a.text == "You haven't received your refund").click()
        self.wait(lambda d: self.text_of("#article-title") == "You haven't received your refund", "the related article")
        self.assertEqual(self.text_of("#feedback-status"), "")
        self.find("#back").click()
        self.wait(lambda d: self.text_of("#article-title") == "How long a refund takes", "back to the first article")

        # Browsing without a query is recorded as a search for "" (the API needs the field).
        d.get(self.server.url + "#/search?q=")
        self.wait_for_status(r"^\d+ results?\.$", "browsing results")

        events = self.wait(lambda d: [e for e in self.events()[earlier_events:]][-1]["query"] == "" and
                           self.events()[earlier_events:], "the browsing search in the store")
        by_type = {}
        for e in events:
            by_type.setdefault(e["type"], []).append(e)
        votes = [e for e in by_type.get("feedback", []) if e["article"] == "refund-timing"]
        self.assertEqual(len(votes), 1, "one vote per article and visit: the last one")
        self.assertEqual((votes[0]["helpful"], votes[0].get("reason_code"), votes[0].get("reason")),
                         (False, "outdated", "the times changed, write to me at <email>"))
        # Showing the same search in another language is not a search.
        self.assertFalse([e for e in by_type["search"] if e.get("locale") == "es"], "a language switch was recorded")
        self.assertEqual([e.get("journey") for e in by_type.get("ticket", [])], ["payments"])
        queries = [e["query"] for e in by_type.get("search", [])]
        self.assertIn("refnud not recieved", queries)
        self.assertIn(chosen, queries)
        filtered = [e for e in by_type["search"] if e.get("filters")]
        self.assertEqual(filtered[0]["filters"], {"journey": [value]})
        clicks = by_type.get("click", [])
        self.assertEqual([c["article"] for c in clicks], ["refund-timing"])
        self.assertIn(clicks[0]["search_id"], [e["id"] for e in by_type["search"]])
        views = [(v["article"], v.get("source")) for v in by_type.get("view", [])]
        self.assertIn(("refund-timing", "search"), views)
        self.assertIn(("refund-not-received", "link"), views)
        self.assertEqual(len({e["session"] for e in events}), 1, "one tab, one session")
        self.assertTrue(events[0]["session"].startswith("web-"))

    def test_accessibility(self):
        d = self.driver
        self.open_home()
        self.search("refund")
        self.wait(lambda d: self.find_all("#facet-journey input"), "the facets")

        # Every visible form control has a label.
        unlabelled = d.execute_script("""
          return [...document.querySelectorAll('input, select, textarea')]
            .filter((n) => n.offsetParent !== null)
            .filter((n) => !(n.labels && n.labels.length) && !n.getAttribute('aria-label')
                           && !n.getAttribute('aria-labelledby'))
            .map((n) => n.outerHTML);""")
        self.assertEqual(unlabelled, [])
        self.assertEqual(self.find("#q").get_attribute("role"), "combobox")
        self.assertEqual(self.find("#q").get_attribute("aria-controls"), "suggestions")

        # Results are announced: the status line is a polite live region, and it says how many.
        status = self.find("#status")
        self.assertEqual(status.get_attribute("role"), "status")
        self.assertEqual(status.get_attribute("aria-live"), "polite")
        self.assertRegex(status.text, r"^\d+ results for “refund”\.$")

        # Tab, from a freshly loaded page, reaches the skip link first, then the home link, the
        # language, the search box, the filters and the results.
        d.get(self.server.url + "?keyboard#/search?q=refund")
        self.wait_for_status(r"results for “refund”", "results after a reload")
        reached = []
        for _ in range(60):
            ActionChains(d).send_keys(Keys.TAB).perform()
            el = d.switch_to.active_element
            reached.append(el.get_attribute("id") or el.get_attribute("class") or el.tag_name)
            if el.find_elements(By.XPATH, "ancestor::ol[@id='results']"):
                break
        self.assertEqual(reached[0], "skip", reached)
        for expected in ("home-link", "locale", "q"):
            self.assertIn(expected, reached)
        self.assertTrue(any(r.startswith("facet-journey-") for r in reached), reached)
        self.assertIn("link-button", reached[-1])

        # The skip link moves the focus to the content and leaves the results where they are.
        d.get(self.server.url + "?skip#/search?q=refund")
        self.wait_for_status(r"results for “refund”", "results after a reload")
        ActionChains(d).send_keys(Keys.TAB).perform()
        self.assertEqual(d.switch_to.active_element.get_attribute("class"), "skip")
        ActionChains(d).send_keys(Keys.ENTER).perform()
        self.wait(lambda d: d.switch_to.active_element.get_attribute("id") == "main", "the focus on the content")
        self.assertTrue(self.find("#results-view").is_displayed())
        self.assertTrue(d.execute_script("return location.hash").startswith("#/search"))

        # Back to the results and into the first one by keyboard.
        d.get(self.server.url + "?open#/search?q=refund")
        self.wait_for_status(r"results for “refund”", "results after a reload")
        d.execute_script("document.querySelector('#results .link-button').focus()")
        # Enter on a focused result opens the article; the feedback buttons are reachable by Tab.
        ActionChains(d).send_keys(Keys.ENTER).perform()
        self.wait(lambda d: self.find("#article-view").is_displayed() and self.text_of("#article-title"), "the article")
        reached = []
        for _ in range(80):
            ActionChains(d).send_keys(Keys.TAB).perform()
            reached.append(d.switch_to.active_element.get_attribute("id"))
            if reached[-1] == "contact":
                break
        for expected in ("helpful-yes", "helpful-no", "contact"):
            self.assertIn(expected, reached)
        for live in ("feedback-status", "contact-status"):
            self.assertEqual(self.find("#" + live).get_attribute("aria-live"), "polite")
        self.screenshot("07-keyboard")


if __name__ == "__main__":
    signal.signal(signal.SIGALRM, hard_timeout)
    signal.alarm(HARD_TIMEOUT_SECONDS)
    started = time.monotonic()
    result = unittest.main(exit=False, verbosity=2).result
    print("browser tests: %.1f s; screenshots in %s" % (time.monotonic() - started, ARTIFACTS))
    sys.exit(0 if result.wasSuccessful() else 1)

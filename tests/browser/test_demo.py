"""End-to-end tests of the help center page (`helpmark serve`: /, /search, /articles/ID) in
headless Chromium.

Run by ctest as browser/demo (label "browser"). Indexes the shipped help center (articles/ with
taxonomy/) into a temporary directory, starts `helpmark serve` with a --site file on a free
loopback port and drives the page with selenium and Debian's chromedriver: search, correction,
snippets, filters, autocomplete, languages, the home page, breadcrumbs, pages, no results, the
article, "Was this helpful?" and "Contact support" (checked in the store with `track export`),
a 375 px phone, accessibility written as assertions, and no error in the browser console.
test_site_pages also takes the screenshots docs/make-screenshots.sh copies to docs/screenshots/.

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

PRODUCT = "Lumen Market Help"
CONTACT_URL = "https://support.example.com/new?topic={journey}&q={query}&article={article}"
ARTIFACTS = os.environ.get("HELPMARK_BROWSER_ARTIFACTS") or tempfile.mkdtemp(prefix="helpmark-browser-")


def hard_timeout(signum, frame):
    raise TimeoutError("the browser tests took longer than %d s" % HARD_TIMEOUT_SECONDS)


class Server:
    """`helpmark serve` on a free port, in its own process group so that all of it is stopped."""

    def __init__(self, index, store, site):
        self.proc = subprocess.Popen(
            [CLI, "serve", "--index", index, "--store", store, "--listen", "127.0.0.1:0", "--threads", "4",
             "--contact-url", CONTACT_URL, "--site", site],
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
        # A site file as a team would write one: name, logo, colour, footer links.
        site = os.path.join(cls.tmp, "site.yaml")
        with open(os.path.join(cls.tmp, "logo.svg"), "w") as f:
            f.write('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#0b5394"/></svg>\n')
        with open(site, "w") as f:
            f.write('name: %s\nlogo: logo.svg\naccent: "#0b5394"\nfooter_links:\n'
                    '  - {label: Terms, url: "https://lumen.example/terms"}\n' % PRODUCT)
        cls.server = Server(cls.index, cls.store, site)
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
        """[(value, count, checkbox, label)] of a facet's options."""
        out = []
        for label in self.find_all("#facet-%s .options label" % facet):
            match = re.match(r"\s*(.+?)\s+\((\d+)\)$", label.text)
            self.assertIsNotNone(match, label.text)
            checkbox = label.find_element(By.TAG_NAME, "input")
            out.append((checkbox.get_attribute("value"), int(match.group(2)), checkbox, match.group(1)))
        return out

    def total(self):
        return int(re.search(r"(\d+) results?", self.text_of("#status")).group(1))

    def titles(self):
        """The result titles, read in one step (the list may be replaced while it is read)."""
        return self.driver.execute_script(
            "return [...document.querySelectorAll('#results .title a')].map((a) => a.textContent)")

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
        suggestion = self.wait(lambda d: self.find_all("#correction a"), "Did you mean")[0]
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
        self.assertEqual(sum(j[1] for j in journeys), total)
        value, count, checkbox, label = min(journeys, key=lambda j: j[1])
        self.assertNotEqual(label, value, "facet values are shown with the taxonomy's labels")
        checkbox.send_keys(Keys.SPACE)  # by keyboard: the focus must survive the new counts
        self.wait_for_status(r"^%d results? for" % count, "the filtered total %d" % count)
        self.assertTrue(self.find("#facet-journey input[value='%s']" % value).is_selected())
        self.assertEqual(d.switch_to.active_element.get_attribute("value"), value, "the filter lost the focus")
        for meta in self.find_all("#results .meta"):
            self.assertTrue(meta.text.startswith(label), meta.text)
        self.assertIn("journey=" + value, d.current_url, "the filter is in the URL")
        audience_total = sum(a[1] for a in self.facet_options("audience"))
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
        # Spanish first; English articles without a translation may follow (the fallback chain)
        # and say so with lang="en". The page's own words are Spanish now.
        self.wait(lambda d: re.search(r"resultados? para «refund»", self.text_of("#status") or ""), "Spanish results")
        self.assertFalse(self.find("#suggestions").is_displayed())
        self.assertEqual(d.execute_script("return document.documentElement.lang"), "es")
        self.assertIsNone(self.find("#results .title").get_dom_attribute("lang"), "the first result is Spanish")
        self.assertEqual(self.find("#search-form button[type=submit]").text, "Buscar")
        self.assertIn("locale=es", d.current_url)
        self.screenshot("04-spanish")
        Select(self.find("#locale")).select_by_value("en")
        self.wait(lambda d: re.search(r"results? for “refund”", self.text_of("#status") or ""), "English results")

        # An article: summary, steps, troubleshooting, related articles.
        self.search("how long does a refund take")
        titles = self.find_all("#results .title a")
        target = next(b for b in titles if b.text == "How long a refund takes")
        self.assertEqual(target.get_attribute("href"), self.server.url + "articles/refund-timing?locale=en",
                         "a result is a real link")
        target.click()
        self.wait(lambda d: self.text_of("#article-title") == "How long a refund takes", "the article")
        self.assertTrue(self.find("#article-view").is_displayed())
        self.assertFalse(self.find("#results-view").is_displayed())
        self.assertTrue(d.current_url.startswith(self.server.url + "articles/refund-timing"), d.current_url)
        self.assertEqual(d.title, "How long a refund takes – " + PRODUCT)
        self.assertIn("Refunds go back to the payment method", self.text_of("#article-body"))
        self.wait(lambda d: d.switch_to.active_element.get_attribute("id") == "article-title",
                  "the focus on the article's title")
        # The server's cmark-gfm HTML: one list of five steps, bold and links kept, the table.
        lists = [ol for ol in self.find_all("#article-body ol") if len(ol.find_elements(By.TAG_NAME, "li")) == 5]
        self.assertEqual(len(lists), 1)
        steps = lists[0].find_elements(By.TAG_NAME, "li")
        self.assertEqual(steps[0].text, "Go to Account > Orders and open the order.")
        self.assertEqual(steps[0].find_element(By.TAG_NAME, "strong").text, "Account > Orders")
        self.assertTrue(steps[1].text.endswith("the amount and the payment method it went back to."), steps[1].text)
        self.assertEqual(steps[4].find_element(By.TAG_NAME, "a").get_attribute("href"),
                         self.server.url + "articles/refund-not-received?locale=en")
        self.assertEqual([th.text for th in self.find_all("#article-body table th")],
                         ["Paid with", "Time after the refund is issued"])
        self.assertIn("Troubleshooting", [h.text for h in self.find_all("#article-body h3")])
        # Breadcrumbs: Home › journey › sub-topic › the article, with the taxonomy's labels.
        crumbs = [li.text for li in self.find_all("#breadcrumbs li")]
        self.assertEqual(crumbs[0], "Home")
        self.assertEqual(crumbs[1], "Payments")
        self.assertEqual(crumbs[-1], "How long a refund takes")
        self.assertEqual(self.find("#breadcrumbs li:last-child span").get_attribute("aria-current"), "page")
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

        # A link to another article opens it in the same view; Back returns.
        next(a for a in self.find_all("#article-body a") if a.text == "You haven't received your refund").click()
        self.wait(lambda d: self.text_of("#article-title") == "You haven't received your refund", "the related article")
        self.assertEqual(self.text_of("#feedback-status"), "")
        d.back()
        self.wait(lambda d: self.text_of("#article-title") == "How long a refund takes", "back to the first article")

        # Browsing without a query is recorded as a search for "" (the API needs the field).
        d.get(self.server.url + "search?q=")
        self.wait_for_status(r"^\d+ results?\.$", "browsing results")

        # The latest search is the browsing one; a view may still arrive after it.
        def browsed(d):
            new = self.events()[earlier_events:]
            searches = [e for e in new if e["type"] == "search"]
            return new if searches and searches[-1].get("query") == "" else None
        events = self.wait(browsed, "the browsing search in the store")
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

    def test_site_pages(self):
        """Home, journeys, breadcrumbs, one URL per state, pages, no results, languages, phones."""
        d = self.driver
        d.get(self.server.url + "?locale=en")
        self.wait(lambda d: len(self.find_all("#journeys > li")) == 5, "the five journeys on the home page")
        self.wait(lambda d: all(card.find_elements(By.CSS_SELECTOR, ".top-articles a") for card in self.find_all("#journeys > li")),
                  "popular articles in every journey")
        self.assertEqual([h.text for h in self.find_all("#journeys h2")][:2], ["Getting started", "Payments"])
        # The site file: name, logo, colour and footer links, no fork of the page.
        self.assertEqual(d.title, PRODUCT)
        self.assertEqual(self.text_of("#product-name"), PRODUCT)
        self.assertEqual(self.find("#home-link img.logo").get_attribute("src"), self.server.url + "site/logo")
        self.assertEqual(self.find("#search-form button[type=submit]").value_of_css_property("background-color"),
                         "rgba(11, 83, 148, 1)")
        self.assertEqual([(a.text, a.get_attribute("href")) for a in self.find_all("#footer-links a")],
                         [("Terms", "https://lumen.example/terms")])
        self.assertFalse(self.find("#breadcrumbs").is_displayed())
        self.screenshot("home-desktop")

        # A journey: its articles, with breadcrumbs, at a URL of its own.
        next(a for a in self.find_all("#journeys h2 a") if a.text == "Payments").click()
        self.wait_for_status(r"^\d+ results\.$", "the journey's articles")
        self.assertIn("/search?q=&journey=payments", d.current_url)
        self.assertEqual([li.text for li in self.find_all("#breadcrumbs li")], ["Home", "Payments"])
        total = self.total()
        self.assertGreater(total, 10)
        first_page = self.titles()
        self.assertEqual(len(first_page), 10)
        self.assertIsNone(self.find("#prev-page").get_attribute("href"))
        self.find("#next-page").click()
        self.wait(lambda d: "page=2" in d.current_url and self.titles() != first_page,
                  "the second page")
        second_page = self.titles()
        self.assertEqual(self.text_of("#page-of"), "Page 2 of %d" % ((total + 9) // 10))
        self.screenshot("search-desktop")
        # Reload and Back keep the state.
        d.refresh()
        self.wait(lambda d: self.titles() == second_page, "page 2 after a reload")
        self.assertTrue(self.find("#facet-journey input[value=payments]").is_selected())
        d.back()
        self.wait(lambda d: self.titles() == first_page, "page 1 after Back")

        # No results: what to do next.
        self.search("zzqqxxy wvvqk")
        self.assertTrue(self.find("#no-results").is_displayed())
        self.wait(lambda d: self.find_all("#popular-list a"), "popular articles on the no-results page")
        contact = self.find("#no-results a.contact")
        self.assertTrue(contact.is_displayed())
        self.assertIn("q=zzqqxxy%20wvvqk", contact.get_attribute("href"))
        self.screenshot("no-results-desktop")

        # Another language: the page's words, the taxonomy's labels, lang on what is not in it.
        d.get(self.server.url + "?locale=ja")
        self.wait(lambda d: self.find("#search-form button[type=submit]").text == "検索", "the Japanese page")
        self.assertEqual(d.execute_script("return document.documentElement.lang"), "ja")
        self.assertEqual(self.text_of("#home-heading"), "どのようなご用件ですか？")
        self.wait(lambda d: "支払い" in [h.text for h in self.find_all("#journeys h2")], "journey labels in Japanese")
        self.assertEqual(self.find("#locale").get_attribute("value"), "ja")
        d.get(self.server.url + "search?q=refund&locale=th")
        self.wait(lambda d: self.find_all("#results .title"), "Thai results")
        langs = {t.get_dom_attribute("lang") for t in self.find_all("#results .title")}
        self.assertTrue(langs <= {None, "en"}, langs)  # Thai ones carry none, English fallbacks lang="en"

        # Without a choice, the browser's languages choose (navigator.languages), not "all".
        d.execute_script("localStorage.removeItem('helpmark-locale')")
        d.execute_cdp_cmd("Emulation.setLocaleOverride", {"locale": "de-DE"})
        d.execute_cdp_cmd("Network.setUserAgentOverride", {"userAgent": d.execute_script("return navigator.userAgent"),
                                                           "acceptLanguage": "de-DE,de"})
        try:
            d.get(self.server.url)
            self.wait(lambda d: self.find("#search-form button[type=submit]").text == "Suchen", "German from the browser")
            self.assertEqual(self.find("#locale").get_attribute("value"), "de")
        finally:
            d.execute_cdp_cmd("Network.setUserAgentOverride", {"userAgent": d.execute_script("return navigator.userAgent"),
                                                               "acceptLanguage": "en-US,en"})
            d.execute_cdp_cmd("Emulation.setLocaleOverride", {})
        d.execute_script("localStorage.setItem('helpmark-locale', 'en')")

        # A phone, 375 px wide: the first result above the fold, the filters behind a button.
        d.set_window_size(375, 812)
        try:
            viewport = d.execute_script("return window.innerHeight")
            d.get(self.server.url + "?locale=en")
            self.wait(lambda d: self.find_all("#journeys .top-articles a"), "the home page on a phone")
            self.screenshot("home-375")
            self.search("refund")
            first = self.find("#results > li")
            bottom = d.execute_script("return arguments[0].getBoundingClientRect().bottom", first)
            self.assertLess(bottom, viewport, "the first result is below the fold")
            self.assertFalse(self.find("#filters").is_displayed())
            toggle = self.find("#filters-toggle")
            self.assertTrue(toggle.is_displayed())
            self.screenshot("search-375")
            toggle.click()
            self.assertTrue(self.find("#filters").is_displayed())
            self.assertEqual(toggle.get_attribute("aria-expanded"), "true")
            width = d.execute_script("return document.documentElement.scrollWidth")
            self.assertLessEqual(width, d.execute_script("return window.innerWidth"), "the page scrolls sideways")
            d.get(self.server.url + "articles/refund-timing?locale=en")
            self.wait(lambda d: self.text_of("#article-title") == "How long a refund takes", "the article on a phone")
            self.screenshot("article-375")
            self.search("zzqqxxy wvvqk")
            self.wait(lambda d: self.find_all("#popular-list a"), "no results on a phone")
            self.screenshot("no-results-375")
        finally:
            d.set_window_size(1200, 900)
        d.get(self.server.url + "articles/refund-timing?locale=en")
        self.wait(lambda d: self.text_of("#article-title") == "How long a refund takes", "the article")
        self.screenshot("article-desktop")

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

        # Landmarks: one banner, one search, one main, one footer; named navigation.
        landmarks = d.execute_script("""
          const visible = (n) => n.offsetParent !== null || n === document.body;
          return {
            header: document.querySelectorAll('body > header').length,
            main: document.querySelectorAll('main').length,
            search: document.querySelectorAll('[role=search]').length,
            footer: document.querySelectorAll('body > footer').length,
            unnamedNav: [...document.querySelectorAll('nav')].filter(visible).filter((n) => !n.getAttribute('aria-label')).length,
            h1: [...document.querySelectorAll('h1')].filter(visible).length,
          };""")
        self.assertEqual(landmarks, {"header": 1, "main": 1, "search": 1, "footer": 1, "unnamedNav": 0, "h1": 1})

        # Contrast: every visible text is at least 4.5:1 against what is behind it (WCAG AA).
        low = d.execute_script("""
          const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
          const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
            .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
          const background = (n) => {
            for (; n && n.nodeType === 1; n = n.parentElement) {
              const c = rgb(getComputedStyle(n).backgroundColor);
              if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
            }
            return [255, 255, 255];
          };
          const out = [];
          for (const n of document.querySelectorAll('body *')) {
            if (n.offsetParent === null || ![...n.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim())) continue;
            const fg = rgb(getComputedStyle(n).color).slice(0, 3), bg = background(n);
            const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
            const ratio = (a + 0.05) / (b + 0.05);
            if (ratio < 4.5) out.push(n.tagName + '.' + n.className + ' ' + ratio.toFixed(2));
          }
          return out;""")
        self.assertEqual(low, [], "text below 4.5:1 contrast")

        # Results are announced: the status line is a polite live region, and it says how many.
        status = self.find("#status")
        self.assertEqual(status.get_attribute("role"), "status")
        self.assertEqual(status.get_attribute("aria-live"), "polite")
        self.assertRegex(status.text, r"^\d+ results for “refund”\.$")

        # Tab, from a freshly loaded page, reaches the skip link first, then the home link, the
        # language, the search box, the filters and the results.
        d.get(self.server.url + "search?q=refund&keyboard")
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
        self.assertEqual(d.switch_to.active_element.tag_name, "a", "a result is a link")

        # The skip link moves the focus to the content and leaves the results where they are.
        d.get(self.server.url + "search?q=refund&skip")
        self.wait_for_status(r"results for “refund”", "results after a reload")
        ActionChains(d).send_keys(Keys.TAB).perform()
        self.assertEqual(d.switch_to.active_element.get_attribute("class"), "skip")
        ActionChains(d).send_keys(Keys.ENTER).perform()
        self.wait(lambda d: d.switch_to.active_element.get_attribute("id") == "main", "the focus on the content")
        self.assertTrue(self.find("#results-view").is_displayed())
        self.assertEqual(d.execute_script("return location.pathname"), "/search")

        # Back to the results and into the first one by keyboard.
        d.get(self.server.url + "search?q=refund&open")
        self.wait_for_status(r"results for “refund”", "results after a reload")
        d.execute_script("document.querySelector('#results .title a').focus()")
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

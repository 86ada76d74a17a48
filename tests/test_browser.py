"""Browser tests: headless Chromium (tests/browser.py) on the static site and on `lod-unioni serve`.

A person opens a union's page, follows one of its member comuni, comes back; runs a bundled query
on the query page and sees its rows; searches a comune by name. The expected names are those of
the bundled records (records/udm_069.yaml: the Unione dei Miracoli and its comuni Casalbordino,
Pollutri, Scerni, Villalfonsina). Screenshots go to build/screenshots/.
"""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from browser import chromium, screenshot
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait
from serve_server import Server

from lod_unioni.cli import main

MEMBERS = ["Casalbordino", "Pollutri", "Scerni", "Villalfonsina"]


@pytest.fixture(scope="module")
def site(tmp_path_factory, shared_data, publisher_config):
    """The static site of the bundled records, served by a plain static file server on loopback."""
    work = tmp_path_factory.mktemp("browser-site")
    site = ["site", "--dumps", str(work / "dumps"), "--out", str(work / "site"), "--sources", str(shared_data)]
    assert main(["-q", "--config", str(publisher_config), *site]) == 0
    handler = functools.partial(_QuietHandler, directory=str(work / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def driver():
    with chromium() as d:
        yield d


def _h1(driver) -> str:
    return WebDriverWait(driver, 10).until(ec.presence_of_element_located((By.TAG_NAME, "h1"))).text


def test_a_union_page_of_the_site_leads_to_its_members_and_back(site, driver):
    driver.get(site + "data/union/udm_069.html")
    assert _h1(driver) == "Unione dei Miracoli"
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "it"
    links = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "a[href$='.html']")]
    assert all(name in links for name in MEMBERS)
    screenshot(driver, "site-union")
    driver.find_element(By.LINK_TEXT, "Casalbordino").click()
    assert _h1(driver) == "Casalbordino"
    assert driver.current_url == site + "data/comune/069015.html"
    # the comune's page links back to its union
    assert driver.find_elements(By.LINK_TEXT, "Unione dei Miracoli")
    screenshot(driver, "site-comune")
    driver.back()
    assert _h1(driver) == "Unione dei Miracoli"


def test_the_search_of_the_site_finds_a_comune_by_name(site, driver):
    driver.get(site + "cerca.html")
    box = WebDriverWait(driver, 10).until(ec.presence_of_element_located((By.ID, "q")))
    box.send_keys("pollutri", Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results a"))
    found = {a.text: a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#results a")}
    assert any(text.startswith("Pollutri") for text in found), found
    screenshot(driver, "site-search")
    href = next(h for text, h in found.items() if text.startswith("Pollutri"))
    driver.get(href)
    assert _h1(driver) == "Pollutri"


# --- lod-unioni serve -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory, repo):
    """``lod-unioni serve`` on the committed dumps (output/)."""
    server = Server(tmp_path_factory.mktemp("browser-serve"), str(repo / "output"))
    yield server.url
    server.stop()


def test_a_union_iri_of_serve_leads_to_its_members_and_back(served, driver):
    # the IRI's own path: the browser asks for HTML, the server answers 303 to the page
    driver.get(served + "/lod-unioni/data/union/udm_069")
    assert _h1(driver) == "Unione dei Miracoli"
    assert driver.current_url == served + "/lod-unioni/data/union/udm_069.html"
    screenshot(driver, "serve-union")
    driver.find_element(By.LINK_TEXT, "Villalfonsina").click()
    assert _h1(driver) == "Villalfonsina"
    assert driver.find_elements(By.LINK_TEXT, "Unione dei Miracoli")
    driver.back()
    assert _h1(driver) == "Unione dei Miracoli"


def test_the_query_page_runs_a_bundled_query_and_shows_its_rows(served, driver):
    driver.get(served + "/query")
    examples = Select(WebDriverWait(driver, 10).until(ec.presence_of_element_located((By.ID, "examples"))))
    examples.select_by_value("union-members")  # default: the members of the Unione dei Miracoli
    assert "SELECT" in driver.find_element(By.ID, "query").get_attribute("value")
    driver.find_element(By.ID, "run").click()
    rows = WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results tbody tr") or False)
    text = " ".join(r.text for r in rows)
    assert len(rows) == len(MEMBERS) and all(name in text for name in MEMBERS), text
    # the chart of the numeric column (population) labels each bar with the comune's name
    bars = [t.text for t in driver.find_elements(By.CSS_SELECTOR, "#chart svg text.label")]
    assert sorted(bars) == MEMBERS, bars
    screenshot(driver, "serve-query")
    # the permalink reproduces the query: opened, it runs again and shows the same rows
    link = driver.find_element(By.ID, "permalink").get_attribute("href")
    driver.get(link)
    again = WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results tbody tr") or False)
    assert len(again) == len(MEMBERS) and all(name in " ".join(r.text for r in again) for name in MEMBERS)

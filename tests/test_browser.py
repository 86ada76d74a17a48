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
from selenium.webdriver.support.ui import WebDriverWait

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

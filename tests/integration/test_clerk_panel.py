"""The clerk panel in a real headless Chromium against the real stack (gateway, Rasa, action server,
redis, the stack's records database): log in, type a question and see the matters and the card as
you type, print the 一次性告知单, answer a person who asked for a human in the chat, turn an
unanswered question into an alias that the live catalog picks up, and read the dashboard.

Screenshots: reports/clerk-panel.png, clerk-notice.png, clerk-handoffs.png, clerk-dashboard.png.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from shouwen_records import connect  # noqa: E402
from shouwen_records.clerks import create_clerk  # noqa: E402
from shouwen_records.gaps import record_question  # noqa: E402
from shouwen_records.ids import conversation_of  # noqa: E402
from shouwen_records.seed import seed  # noqa: E402
from tests.integration import browser as chromium  # noqa: E402
from tests.integration.browser import screenshot  # noqa: E402
from tests.integration.support import chat  # noqa: E402

browser = chromium.browser  # the fixture: a fresh headless Chromium per test

pytestmark = pytest.mark.skipif(
    not (ROOT / "models" / "shouwen.tar.gz").exists(), reason="no trained model: run `make setup` first"
)

PASSWORD = "window-pass-2024"
ANSWER_WAIT = 90


@pytest.fixture(scope="module")
def clerk_account(stack):
    """A clerk in the stack's records database, and four weeks of demo records for the dashboard."""
    engine = connect(stack.env["DATABASE_URL"])
    seed(engine)
    username = f"clerk-{uuid.uuid4().hex[:6]}"
    create_clerk(engine, username, PASSWORD, "王芳")
    return username


def _wait(driver, seconds: float = 20):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, poll_frequency=0.2)


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as resp:
        return json.loads(resp.read())


def _login(driver, base: str, username: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/clerk")
    _wait(driver).until(lambda d: "/clerk/login" in d.current_url)
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    _wait(driver).until(lambda d: d.find_elements(By.ID, "question"))


def test_suggestions_and_card_appear_as_the_clerk_types(stack, browser, clerk_account):
    from selenium.webdriver.common.by import By

    _login(browser, stack.base, clerk_account)
    box = browser.find_element(By.ID, "question")
    for ch in "身份证丢了怎么补办":  # typed like a person: the panel suggests on the way
        box.send_keys(ch)
        time.sleep(0.05)
    _wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#cands .cand"))
    _wait(browser).until(lambda d: "所需材料" in d.find_element(By.ID, "card").text)
    first = browser.find_element(By.CSS_SELECTOR, "#cands .cand")
    assert "身份证" in first.text and "%" in first.text
    card = browser.find_element(By.ID, "card").text
    assert "办理时限" in card and "收费" in card and "电话" in card
    screenshot(browser, "clerk-panel")

    # A matter with 情形: choosing a case changes the card.
    box.clear()
    box.send_keys("开公司要准备什么材料")
    _wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#card .case"))
    browser.find_element(By.CSS_SELECTOR, "#card .case").click()
    _wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#card .case.on"))

    # The printable notice of the chosen matter.
    href = browser.find_element(By.LINK_TEXT, "打印一次性告知单").get_attribute("href")
    browser.get(href)
    notice = browser.find_element(By.CSS_SELECTOR, "article.notice")
    assert "一次性告知单" in notice.text and "所需材料" in notice.text
    assert browser.find_elements(By.CSS_SELECTOR, "article.notice input[type=checkbox]")
    assert browser.execute_script(
        "return [...document.styleSheets].some(s => [...s.cssRules].some(r => r.media && r.media.mediaText === 'print'))"
    )
    browser.set_window_size(1280, 1400)
    screenshot(browser, "clerk-notice")


def test_a_handoff_from_the_chat_is_answered_into_the_inbox(stack, browser, clerk_account):
    from selenium.webdriver.common.by import By

    sender = f"web:clerk-{uuid.uuid4().hex[:8]}"
    status, _ = chat(stack.base, sender, "护照过期了怎么换")
    assert status == 200
    status, body = chat(stack.base, sender, "转人工")
    assert status == 200 and body["replies"]
    _login(browser, stack.base, clerk_account)
    marker = conversation_of(sender)[:16]
    block = None
    deadline = time.monotonic() + ANSWER_WAIT
    while time.monotonic() < deadline:  # the action server writes the hand-off as it answers
        browser.get(f"{stack.base}/clerk/handoffs")
        found = [s for s in browser.find_elements(By.CSS_SELECTOR, "section.handoff") if marker in s.text]
        if found:
            block = found[0]
            break
        time.sleep(1)
    assert block is not None, "the hand-off did not reach the queue"
    assert "护照" in block.text and "转人工" in block.text  # its history
    block.find_element(By.TAG_NAME, "textarea").send_keys("您好，我是窗口工作人员，护照换发请带身份证到出入境窗口。")
    block.find_element(By.CSS_SELECTOR, "form.grow button[type=submit]").click()
    _wait(browser).until(lambda d: "回复已发送" in d.find_element(By.CSS_SELECTOR, ".flash").text)
    inbox = _get_json(f"{stack.base}/api/inbox/{urllib.parse.quote(sender)}?after=0")
    assert [m["text"] for m in inbox["messages"]] == ["您好，我是窗口工作人员，护照换发请带身份证到出入境窗口。"]
    mine = next(s for s in browser.find_elements(By.CSS_SELECTOR, "section.handoff") if marker in s.text)
    browser.execute_script("arguments[0].scrollIntoView()", mine)
    screenshot(browser, "clerk-handoffs")


def test_a_gap_attached_as_alias_is_found_by_the_live_catalog(stack, browser, clerk_account):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    question = f"蓝鲸{uuid.uuid4().hex[:4]}小卡片怎么弄"
    record_question(connect(stack.env["DATABASE_URL"]), key=f"it-{question}", text=question, sender="web:gap")
    _login(browser, stack.base, clerk_account)
    browser.get(f"{stack.base}/clerk/gaps")
    block = next(s for s in browser.find_elements(By.CSS_SELECTOR, "section.gap") if question in s.text)
    block.find_element(By.CSS_SELECTOR, "input[type=search]").send_keys("护照")
    select = Select(block.find_element(By.TAG_NAME, "select"))
    _wait(browser).until(lambda d: "护照" in select.first_selected_option.text)
    matter_id = select.first_selected_option.get_attribute("value")
    block.find_element(By.CSS_SELECTOR, "form.row button[type=submit]").click()
    _wait(browser).until(lambda d: "已生效" in d.find_element(By.CSS_SELECTOR, ".flash").text)
    deadline = time.monotonic() + 15
    top = None
    while time.monotonic() < deadline:
        found = _get_json(f"{stack.base}/api/matters?q={urllib.parse.quote(question)}")["matters"]
        top = found[0]["id"] if found else None
        if top == matter_id:
            break
        time.sleep(0.5)
    assert top == matter_id


def test_dashboard_shows_charts(stack, browser, clerk_account):
    from selenium.webdriver.common.by import By

    _login(browser, stack.base, clerk_account)
    browser.get(f"{stack.base}/clerk/dashboard")
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) >= 5 and all(c.size["height"] > 50 for c in charts)
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart rect")
    kpis = browser.find_element(By.CSS_SELECTOR, ".kpis").text
    assert "解决率" in kpis and "逾期工单" in kpis
    browser.set_window_size(1280, 1500)
    screenshot(browser, "clerk-dashboard")

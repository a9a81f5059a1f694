"""The website chat widget in a real headless Chromium against the real stack (gateway, Rasa, action
server, redis): the demo page embeds it with one script tag; a person asks, sees the guidance card,
clicks a 情形 button, reloads and still has the conversation; phone layout, keyboard, accessibility,
markup shown as text, network errors, and the clerk inbox after a hand-off.

Where the test needs an answer the stack cannot give on demand (network down, a 503, a clerk's message)
it wraps the page's `fetch`, so that the widget's own code still runs end to end in the browser.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.integration import browser as chromium  # noqa: E402
from tests.integration.browser import PHONE, as_phone, screenshot  # noqa: E402

browser = chromium.browser  # the fixture: a fresh headless Chromium per test

pytestmark = pytest.mark.skipif(
    not (ROOT / "models" / "shouwen.tar.gz").exists(), reason="no trained model: run `make setup` first"
)

# Bot answers can take a while on the first request after start (the stack warms up Rasa).
ANSWER_WAIT = 90


def _wait(driver, seconds: float = ANSWER_WAIT):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, poll_frequency=0.2)


def _open_demo(driver, base: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/demo")
    _wait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".sw-launcher"))
    # The stylesheet is loaded by the script: wait until it applies (the launcher is fixed).
    _wait(driver, 30).until(
        lambda d: (
            d.execute_script("return getComputedStyle(document.querySelector('.sw-launcher')).position") == "fixed"
        )
    )


def _open_widget(driver) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, ".sw-launcher").click()
    _wait(driver, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, "[role=dialog]").is_displayed())


def _rows(driver, who: str = "") -> list:
    from selenium.webdriver.common.by import By

    selector = f".sw-log .sw-row.sw-{who or 'row'}:not(.sw-typing)"
    return driver.find_elements(By.CSS_SELECTOR, selector)


def _idle(driver) -> bool:
    return not driver.execute_script("return document.querySelector('.sw-root').classList.contains('sw-busy')")


def _ask(driver, text: str) -> list[str]:
    """Type a question, press Enter, wait for the answer; the new bot/system texts."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    before = len(_rows(driver))
    box = driver.find_element(By.CSS_SELECTOR, ".sw-input")
    box.send_keys(text)
    box.send_keys(Keys.ENTER)
    return _answer_after(driver, before + 1)


def _answer_after(driver, at_least: int) -> list[str]:
    _wait(driver).until(lambda d: len(_rows(d)) > at_least and _idle(d))
    return [r.text for r in _rows(driver)[at_least:]]


def _click(driver, element) -> None:
    """Click an element in the log; the log scrolls smoothly, so bring it into view at once first
    (as a person would scroll to it) rather than let Selenium click where it is still moving."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


def _settle(driver) -> None:
    """Wait until the log has stopped (smooth) scrolling, for a steady screenshot."""
    import time

    last = None
    for _ in range(30):
        now = driver.execute_script("return document.querySelector('.sw-log').scrollTop")
        if now == last:
            return
        last = now
        time.sleep(0.2)


def _install_fetch_stub(driver, script: str) -> None:
    """Wrap window.fetch: `script` is the body of function(url, init, real) returning a Promise or null
    (null = use the real fetch). Every call is recorded in window.__calls."""
    driver.execute_script(
        """
        window.__calls = [];
        const real = window.fetch.bind(window);
        const stub = new Function('url', 'init', 'real', arguments[0]);
        window.fetch = function (url, init) {
          window.__calls.push({url: String(url), method: (init && init.method) || 'GET'});
          return stub(url, init, real) || real(url, init);
        };
        """,
        script,
    )


# ---- serving -------------------------------------------------------------------------------------


def test_widget_files_are_served_with_their_types_and_cache_headers(stack):
    def head(path: str):
        with urllib.request.urlopen(stack.base + path, timeout=10) as resp:
            return resp.status, resp.headers, resp.read().decode("utf-8")

    status, headers, body = head("/widget.js")
    assert status == 200
    assert headers["Content-Type"].startswith("application/javascript")
    assert "max-age" in headers["Cache-Control"] and headers.get("ETag")
    assert "ShouwenWidget" in body
    _, css_headers, _ = head("/widget.css")
    assert css_headers["Content-Type"].startswith("text/css")
    _, page_headers, page = head("/demo")
    assert page_headers["Content-Type"].startswith("text/html")
    assert "临江市政务服务网" in page
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert len([s for s in scripts if "widget.js" in s]) == 1, scripts
    assert len(scripts) == 1, "the demo page embeds the widget with one script tag and nothing else"


@pytest.mark.parametrize("path", ["/static/../main.py", "/static/%2e%2e/main.py", "/static/.hidden", "/static/nope.js"])
def test_static_folder_serves_nothing_outside_it(stack, path):
    try:
        with urllib.request.urlopen(stack.base + path, timeout=10) as resp:
            status = resp.status
    except urllib.error.HTTPError as err:
        status = err.code
    assert status == 404


# ---- the conversation ----------------------------------------------------------------------------


def test_card_buttons_and_history_across_reload(stack, browser):
    from selenium.webdriver.common.by import By

    _open_demo(browser, stack.base)
    _open_widget(browser)
    assert browser.switch_to.active_element.get_attribute("class") == "sw-input", "opening focuses the input"

    texts = _ask(browser, "身份证丢了怎么补办")
    joined = "\n".join(texts)
    assert "身份证" in joined and "需要准备的材料" in joined, texts
    card = _rows(browser, "bot")[-len(texts) :]
    # The card is formatted: the title and the numbered sections in bold, materials as a numbered list.
    headings = [s.text for row in card for s in row.find_elements(By.CSS_SELECTOR, "strong")]
    assert any(h.startswith("【") for h in headings), headings
    assert any("需要准备的材料" in h for h in headings), headings
    assert any(h.startswith("时限") for h in headings), headings
    # The chat card's buttons: all halls and the process as chips, the printable notice as a link.
    chips = [c.text for c in card[-1].find_elements(By.CSS_SELECTOR, "button.sw-chip")]
    assert chips[:2] == ["全部办理地点", "办理流程"], chips
    link = card[-1].find_element(By.CSS_SELECTOR, "a.sw-chip-link")
    assert link.get_attribute("href").startswith(stack.base + "/notice/") and link.get_attribute("target") == "_blank"
    assert browser.find_elements(By.CSS_SELECTOR, ".sw-bot ol.sw-list li")
    assert browser.find_elements(By.CSS_SELECTOR, ".sw-bot a.sw-tel[href='tel:12345']")
    # Every hotline is tappable (the power company's 95598), an amount never ("120元/本" is a fee).
    _ask(browser, "停电了找谁")
    assert browser.find_elements(By.CSS_SELECTOR, ".sw-bot a.sw-tel[href='tel:95598']")
    _ask(browser, "护照换发要多少钱")
    assert not browser.find_elements(By.CSS_SELECTOR, ".sw-bot a.sw-tel[href='tel:120']")

    # A matter with 情形: the answer comes with buttons; clicking one shows its title as my message
    # and answers with that case's card.
    _ask(browser, "给孩子上户口")
    chips = _rows(browser, "bot")[-1].find_elements(By.CSS_SELECTOR, "button.sw-chip")
    assert len(chips) >= 2, [c.text for c in chips]
    title = chips[0].text
    before = len(_rows(browser))
    _click(browser, chips[0])
    after = _answer_after(browser, before + 1)
    assert _rows(browser, "user")[-1].text.endswith(title), "the button's title is my bubble, not its payload"
    assert "/choose_matter" not in browser.find_element(By.CSS_SELECTOR, ".sw-log").text
    assert any("需要准备的材料" in t for t in after), after
    assert any(title in t for t in after), after
    _settle(browser)
    screenshot(browser, "widget-desktop")

    # The conversation survives a reload: same sender, same history, window still open.
    sender = browser.execute_script("return window.ShouwenWidget.sender()")
    assert re.fullmatch(r"web:[0-9a-f]{24}", sender)
    history = [r.text for r in _rows(browser)]
    browser.refresh()
    _wait(browser, 30).until(lambda d: len(_rows(d)) == len(history))
    assert [r.text for r in _rows(browser)] == history
    assert browser.find_element(By.CSS_SELECTOR, "[role=dialog]").is_displayed()
    assert browser.execute_script("return window.ShouwenWidget.sender()") == sender
    # ...and goes on: the follow-up is about the same matter, so Rasa kept the conversation too.
    follow = "\n".join(_ask(browser, "要多少钱"))
    assert "出生登记" in follow, follow


def test_phone_size_window_fills_the_screen(stack, browser):
    from selenium.webdriver.common.by import By

    as_phone(browser)
    _open_demo(browser, stack.base)
    _open_widget(browser)
    texts = _ask(browser, "护照过期了要带什么")
    assert any("护照" in t for t in texts), texts
    viewport = browser.execute_script("return [window.innerWidth, window.innerHeight]")
    rect = browser.find_element(By.CSS_SELECTOR, "[role=dialog]").rect
    assert tuple(viewport) == PHONE
    assert (rect["x"], rect["y"]) == (0, 0)
    assert abs(rect["width"] - viewport[0]) <= 1 and abs(rect["height"] - viewport[1]) <= 1, (rect, viewport)
    assert not browser.find_element(By.CSS_SELECTOR, ".sw-launcher").is_displayed()
    # Nothing in the window is wider than the screen.
    assert browser.execute_script("return document.querySelector('.sw-log').scrollWidth") <= viewport[0]
    _settle(browser)
    screenshot(browser, "widget-phone")


def test_keyboard_enter_sends_shift_enter_breaks_escape_closes(stack, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open_demo(browser, stack.base)
    launcher = browser.find_element(By.CSS_SELECTOR, ".sw-launcher")
    launcher.send_keys(Keys.ENTER)  # a real <button>: Enter opens it
    dialog = browser.find_element(By.CSS_SELECTOR, "[role=dialog]")
    _wait(browser, 10).until(lambda d: dialog.is_displayed())
    assert launcher.get_attribute("aria-expanded") == "true"
    box = browser.switch_to.active_element
    assert box.get_attribute("class") == "sw-input"

    box.send_keys("你好", Keys.SHIFT, Keys.ENTER, Keys.SHIFT, "在吗")
    assert box.get_attribute("value") == "你好\n在吗", "Shift+Enter is a new line, not a send"
    assert not _rows(browser, "user")
    before = len(_rows(browser))
    box.send_keys(Keys.ENTER)
    _answer_after(browser, before + 1)
    assert _rows(browser, "user")[-1].text.endswith("你好\n在吗")
    assert box.get_attribute("value") == ""

    # Tab stays inside the open window (aria-modal) and the focused control shows a visible outline.
    for _ in range(12):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        focused = browser.switch_to.active_element
        assert browser.execute_script("return arguments[0].closest('[role=dialog]') !== null", focused)
    browser.find_element(By.CSS_SELECTOR, ".sw-close").send_keys("")  # focus the close button
    browser.execute_script("document.querySelector('.sw-input').focus()")
    browser.switch_to.active_element.send_keys(Keys.SHIFT, Keys.TAB, Keys.SHIFT)
    focused = browser.switch_to.active_element
    outline = browser.execute_script(
        "const s = getComputedStyle(arguments[0]); return [s.outlineStyle, parseFloat(s.outlineWidth)]", focused
    )
    assert outline[0] != "none" and outline[1] >= 2, outline

    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    _wait(browser, 5).until(lambda d: not dialog.is_displayed())
    assert launcher.get_attribute("aria-expanded") == "false"
    assert browser.switch_to.active_element == launcher, "closing gives the focus back to the launcher"


def test_markup_in_a_message_is_shown_as_text_and_never_runs(stack, browser):
    from selenium.webdriver.common.by import By

    _open_demo(browser, stack.base)
    _open_widget(browser)
    evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>粗</b>'
    _ask(browser, evil)
    assert _rows(browser, "user")[-1].text.endswith(evil)
    # The bot's text is never HTML either: a reply with markup, a javascript: URL and a real URL.
    _install_fetch_stub(
        browser,
        """
        if (!String(url).endsWith('/api/chat')) return null;
        return Promise.resolve(new Response(JSON.stringify({sender: 'x', replies: [{
          text: '【测试】一次性告知\\n<img src=x onerror="window.__pwned=3">\\n网上办：https://zwfw.linjiang.gov.cn/a?b=1。\\n'
              + 'javascript:window.__pwned=4\\n1. 材料<script>window.__pwned=5</script>',
          buttons: [{title: '<i>按钮</i>', payload: '/x'}]}]}), {status: 200, headers: {'Content-Type': 'application/json'}}));
        """,
    )
    _ask(browser, "测试")
    log = browser.find_element(By.CSS_SELECTOR, ".sw-log")
    assert not log.find_elements(By.CSS_SELECTOR, "img, script, b, i, iframe")
    assert '<img src=x onerror="window.__pwned=3">' in log.text
    links = log.find_elements(By.CSS_SELECTOR, "a.sw-link")
    assert [a.get_attribute("href") for a in links] == ["https://zwfw.linjiang.gov.cn/a?b=1"]
    assert links[0].get_attribute("rel") == "noopener noreferrer nofollow"
    assert _rows(browser, "bot")[-1].find_element(By.CSS_SELECTOR, ".sw-chip").text == "<i>按钮</i>"
    assert browser.execute_script("return window.__pwned") is None


def test_accessible_markup(stack, browser):
    from selenium.webdriver.common.by import By

    _open_demo(browser, stack.base)
    launcher = browser.find_element(By.CSS_SELECTOR, ".sw-launcher")
    assert launcher.tag_name == "button" and launcher.get_attribute("aria-label")
    assert launcher.get_attribute("aria-haspopup") == "dialog"
    _open_widget(browser)
    dialog = browser.find_element(By.CSS_SELECTOR, "[role=dialog]")
    assert dialog.get_attribute("aria-modal") == "true"
    title = browser.find_element(By.ID, dialog.get_attribute("aria-labelledby"))
    assert title.text == "首问 · 政务服务咨询"
    log = dialog.find_element(By.CSS_SELECTOR, "[role=log]")
    assert log.get_attribute("aria-live") == "polite"
    assert dialog.find_element(By.CSS_SELECTOR, "textarea").get_attribute("aria-label")
    # Every control has a name a screen reader can read out.
    nameless = browser.execute_script(
        """return [...document.querySelectorAll('.sw-root button, .sw-root textarea, .sw-root a')]
             .filter(n => !(n.getAttribute('aria-label') || n.textContent.trim()))
             .map(n => n.outerHTML)"""
    )
    assert nameless == []
    # Icons are decoration; the typing indicator says what it is.
    assert all(svg.get_attribute("aria-hidden") == "true" for svg in dialog.find_elements(By.CSS_SELECTOR, "svg"))
    assert "正在输入" in browser.execute_script("return document.querySelector('.sw-typing').textContent")
    assert browser.find_element(By.CSS_SELECTOR, ".sw-handoff").get_attribute("aria-label")


# ---- errors and the clerk ------------------------------------------------------------------------


def test_network_down_points_to_12345_and_retry_works(stack, browser):
    from selenium.webdriver.common.by import By

    _open_demo(browser, stack.base)
    _open_widget(browser)
    _install_fetch_stub(browser, "return window.__offline ? Promise.reject(new TypeError('offline')) : null;")
    browser.execute_script("window.__offline = true")
    texts = _ask(browser, "社保卡丢了怎么办")
    assert any("12345" in t for t in texts), texts
    assert _rows(browser, "system")
    # Back online: 重试 sends the same question again, without a second bubble of mine.
    browser.execute_script("window.__offline = false")
    users = len(_rows(browser, "user"))
    before = len(_rows(browser))
    _click(browser, _rows(browser, "system")[-1].find_element(By.CSS_SELECTOR, ".sw-chip"))
    after = _answer_after(browser, before)
    assert len(_rows(browser, "user")) == users
    assert any("社会保障卡" in t for t in after), after


def test_a_503_shows_the_reply_the_gateway_sent(stack, browser):
    _open_demo(browser, stack.base)
    _open_widget(browser)
    _install_fetch_stub(
        browser,
        """
        if (!String(url).endsWith('/api/chat')) return null;
        return Promise.resolve(new Response(JSON.stringify({sender: 'x', replies: [{
          text: '系统正在维护，请拨打 12345 政务服务便民热线，或回复“转人工”。', buttons: []}]}),
          {status: 503, headers: {'Content-Type': 'application/json'}}));
        """,
    )
    texts = _ask(browser, "护照怎么办")
    assert texts == ["系统正在维护，请拨打 12345 政务服务便民热线，或回复“转人工”。"] or any(
        "系统正在维护" in t for t in texts
    )


def test_clerk_messages_are_polled_only_after_a_handoff(stack, browser):
    from selenium.webdriver.common.by import By

    _open_demo(browser, stack.base)
    _open_widget(browser)
    _install_fetch_stub(
        browser,
        """
        const u = String(url);
        if (!u.includes('/api/inbox/')) return null;
        if (!window.__inbox) return Promise.resolve(new Response('{"detail":"Not Found"}', {status: 404}));
        const after = Number(new URL(u).searchParams.get('after'));
        const messages = window.__inbox.filter(m => m.id > after);
        return Promise.resolve(new Response(JSON.stringify({messages}), {status: 200}));
        """,
    )
    _ask(browser, "护照过期了要带什么")
    assert not [c for c in browser.execute_script("return window.__calls") if "/api/inbox/" in c["url"]]

    before = len(_rows(browser))
    browser.find_element(By.CSS_SELECTOR, ".sw-handoff").click()
    texts = _answer_after(browser, before + 1)
    assert _rows(browser, "user")[-1].text.endswith("转人工")
    assert any("人工" in t for t in texts), texts
    # The inbox is polled (a 404 while the endpoint is missing is tolerated quietly)...
    _wait(browser, 15).until(
        lambda d: any("/api/inbox/" in c["url"] for c in d.execute_script("return window.__calls"))
    )
    sender = browser.execute_script("return window.ShouwenWidget.sender()")
    call = next(c for c in browser.execute_script("return window.__calls") if "/api/inbox/" in c["url"])
    assert call["url"].endswith(f"/api/inbox/{sender.replace(':', '%3A')}?after=0"), call
    assert not _rows(browser, "system")
    # ...and a clerk's message shows as from 窗口工作人员, once.
    browser.execute_script(
        "window.__inbox = arguments[0]",
        [{"id": 7, "text": "您好，我是3号窗口的小王，请问还有什么问题？", "at": "2026-11-23T10:00:00"}],
    )
    _wait(browser, 40).until(lambda d: _rows(d, "clerk"))
    clerk = _rows(browser, "clerk")[-1].text
    assert "窗口工作人员" in clerk and "3号窗口的小王" in clerk
    _wait(browser, 40).until(lambda d: any("after=7" in c["url"] for c in d.execute_script("return window.__calls")))
    assert len(_rows(browser, "clerk")) == 1
    # Closed window: no more polling.
    browser.find_element(By.CSS_SELECTOR, ".sw-close").click()
    count = len(browser.execute_script("return window.__calls"))
    browser.execute_script("return new Promise(r => setTimeout(r, 0))")
    import time

    time.sleep(5)
    assert len(browser.execute_script("return window.__calls")) == count
    stored = json.loads(browser.execute_script("return localStorage.getItem('shouwen.widget.v1')"))
    assert stored["inboxAfter"] == 7 and stored["history"][-1]["who"] == "clerk"

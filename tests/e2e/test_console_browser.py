"""The agents' panel in a real browser: served by `callcenter local api` at /console/, signed in with the
local stand-in, in Turkish first and English one switch away, at the agent's screen sizes.

The whole stack as a newcomer runs it: the embedded AWS (`callcenter local start`, which seeds the units
and the local supervisor `basin`), the API and the built panel (`callcenter local api`), and Debian's
Chromium driven by Playwright. Screenshots go to out/console/ at 1366×768 and 1024×768.

This checks the shell, the sign-in, the languages, the security headers, axe-core's verdict, a referral
refused for a contact that does not exist (the form kept, the field named), and the Amazon Connect SDK in
the browser against a stand-in workspace. The agents' whole flows (a call, its referral, the unit's answer
returned, two agents on one callback, the keyboard alone) are in test_agents_panel_browser.py, which
shares this module's fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.browser import AXE, chromium, local_api, require_chromium
from tests.e2e.conftest import REPO, Operator
from tests.e2e.test_reply_page_browser import UNLABELLED_CONTROLS

pytestmark = pytest.mark.e2e

SHOTS = REPO / "out" / "console"
# axe-core, pinned in console/package.json: evaluated through the devtools protocol (the CSP forbids inline script).
SERIOUS = ("serious", "critical")
SIZES = {"1366": {"width": 1366, "height": 768}, "1024": {"width": 1024, "height": 768}}
QUESTION = "Yaz okulunda alınan dersin notu transkripte ne zaman işlenir?"
# Records what the Content-Security-Policy refused; injected by the browser's devtools, not inline.
RECORD_CSP = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"""


@pytest.fixture(scope="module", autouse=True)
def chromium_path() -> Path:
    return require_chromium(console=True)


@pytest.fixture(scope="module")
def api(operator: Operator, tmp_path_factory) -> Iterator[str]:
    """`callcenter local api` on a free port against the module's embedded AWS; yields its base URL."""
    # An agent beside the seeded supervisor, opened as every agent's account is (directive 7(e)).
    opened = operator.run("agents", "create", "--username", "ayse", "--first-name", "Ayşe", "--last-name", "Yılmaz")
    assert opened.returncode == 0, opened.stderr
    with local_api(operator, tmp_path_factory.mktemp("api")) as base:
        yield base


@pytest.fixture(scope="module")
def browser(chromium_path: Path):
    with chromium(chromium_path) as launched:
        yield launched


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=SIZES["1366"], locale="tr-TR", timezone_id="UTC")
    context.add_init_script(RECORD_CSP)
    opened = context.new_page()
    opened.errors = []  # type: ignore[attr-defined]
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    yield opened
    context.close()


def sign_in(page, username: str, role_label: str) -> None:
    """The local sign-in stand-in: pick the account (or, before the API lists accounts, name it)."""
    page.get_by_role("heading", name="Giriş").wait_for()
    typed = page.get_by_role("textbox", name="Hesap")
    listed = page.get_by_role("button", name="Hesap")
    typed.or_(listed).first.wait_for()
    if typed.is_visible():
        typed.fill(username)
        page.get_by_role("radio", name=role_label).check()
    else:
        listed.click()
        page.get_by_role("option", name=username).click()
    page.get_by_role("button", name="Giriş yap").click()


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.wait_for_timeout(150)  # the layout settles after a resize
        page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=False)
    page.set_viewport_size(SIZES["1366"])


def assert_accessible(page, name: str) -> None:
    """axe-core finds no serious or critical violation on what the page shows now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]
    assert serious == [], f"{name}: {serious}"


def assert_clean(page) -> None:
    assert page.evaluate("window.__csp") == [], "the Content-Security-Policy refused something"
    assert page.errors == [], page.errors  # type: ignore[attr-defined]
    assert page.evaluate(UNLABELLED_CONTROLS) == [], "form controls without a label"


def test_a_supervisor_signs_in_and_the_panel_speaks_turkish_then_english(api: str, page) -> None:
    response = page.goto(f"{api}/console/")
    assert response.status == 200
    headers = response.headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'self' https://*.my.connect.aws https://*.awsapps.com" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"

    assert page.locator("html").get_attribute("lang") == "tr"
    shoot(page, "1-sign-in")
    assert_accessible(page, "sign-in")
    sign_in(page, "basin", "Sorumlu")

    page.get_by_role("heading", level=1, name="Görüşme").wait_for()
    assert page.title() == "Çağrı"
    navigation = page.get_by_role("navigation", name="Panel bölümleri")
    for label in ("Görüşme", "Birime yönlendir", "İşlerim", "Arıza bildir", "Merkez şimdi"):
        assert navigation.get_by_role("link", name=label, exact=True).is_visible(), label
    assert page.get_by_role("main").is_visible()
    assert page.get_by_text("Açık görüşme yok").is_visible()
    shoot(page, "2-contact-tr")
    assert_clean(page)
    assert_accessible(page, "no contact")

    page.get_by_role("button", name="Switch to English").click()
    page.get_by_role("heading", level=1, name="Current contact").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    navigation = page.get_by_role("navigation", name="Panel sections")
    assert navigation.get_by_role("link", name="Refer to a unit", exact=True).is_visible()
    assert navigation.get_by_role("link", name="My work", exact=True).is_visible()
    shoot(page, "3-contact-en")
    assert_accessible(page, "no contact, in English")

    page.get_by_role("button", name="Türkçeye geç").click()
    page.get_by_role("heading", level=1, name="Görüşme").wait_for()
    navigation = page.get_by_role("navigation", name="Panel bölümleri")

    # The supervisors' own section, reached through the navigation (client-side routing).
    navigation.get_by_role("link", name="Merkez şimdi", exact=True).click()
    page.get_by_role("heading", level=1, name="Merkez şimdi").wait_for()
    assert page.url.endswith("/console/supervisor")
    assert_clean(page)
    for label, heading in (("İşlerim", "İşlerim"), ("Arıza bildir", "Arıza bildir")):
        navigation.get_by_role("link", name=label, exact=True).click()
        page.get_by_role("heading", level=1, name=heading).wait_for()
        page.wait_for_timeout(300)  # the lists answer
        assert_accessible(page, label)
    assert_clean(page)


def test_an_agent_cannot_open_the_supervisors_section(api: str, page) -> None:
    page.goto(f"{api}/console/supervisor")
    sign_in(page, "ayse", "Temsilci")
    page.get_by_text("Bu bölüm yalnızca sorumlular içindir.").wait_for()
    navigation = page.get_by_role("navigation", name="Panel bölümleri")
    assert navigation.get_by_role("link", name="İşlerim", exact=True).is_visible()
    assert navigation.get_by_role("link", name="Merkez şimdi").count() == 0


def test_a_referral_for_an_unknown_contact_keeps_the_form_and_names_the_field(api: str, page) -> None:
    """Keyboard only: pick a unit, type the question, choose the category, send; the API's 404 names the
    contact, the panel says so, and nothing typed is lost."""
    page.goto(f"{api}/console/refer?contact=boyle-bir-gorusme-yok")
    sign_in(page, "basin", "Sorumlu")
    page.get_by_role("heading", level=1, name="Birime yönlendir").wait_for()
    unit = page.locator("#refer-unit")  # the form's first control; from here on, keys only
    unit.focus()
    page.keyboard.press("Enter")
    page.keyboard.type("Öğrenci")
    page.get_by_role("option", name="Öğrenci İşleri", exact=False).first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type(QUESTION)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_role("option", name="Bilgi", exact=True).wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert "Öğrenci İşleri" in unit.inner_text()
    assert "Konu seçin" not in page.locator("#refer-category").inner_text()  # a category was chosen
    shoot(page, "4-refer-form")

    page.get_by_role("button", name="Birime gönder").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Görüşme kaydı henüz gelmedi").first.wait_for()
    assert "Görüşme kaydı henüz gelmedi" in page.evaluate("document.activeElement.textContent")
    assert page.get_by_role("textbox", name="Soru").input_value() == QUESTION
    assert "Öğrenci İşleri" in unit.inner_text()
    shoot(page, "5-refer-refused")
    assert_clean(page)
    assert_accessible(page, "refer form with an error")


def test_only_the_agent_workspace_may_frame_the_panel(api: str, page) -> None:
    """frame-ancestors: a page of another origin cannot put the panel in a frame (clickjacking)."""
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "frame-ancestors" in message.text else None)
    page.set_content(f'<iframe title="panel" src="{api}/console/" width="800" height="600"></iframe>')
    page.wait_for_timeout(1500)
    assert refused, "Chromium framed the panel for a foreign page"
    frame = page.frame_locator("iframe")
    assert frame.get_by_role("heading", name="Giriş").count() == 0


# A stand-in for the Amazon Connect agent workspace: it frames the panel and speaks the SDK's side of the
# handshake (acknowledge, the create event with a per-contact scope, answers to requests, contact events).
WORKSPACE = """<!doctype html><html lang="tr"><head><meta charset="utf-8"><title>workspace</title></head><body>
<iframe title="Çağrı" src="/console/" width="1200" height="740"></iframe>
<script>
window.upstream = [];
window.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "connect-app-host-init") return;
  const port = event.ports[0];
  window.publishContact = (key, contactId) => port.postMessage({type: "publish",
    topic: {namespace: "aws.connect.contact", key, parameter: contactId},
    data: {contactId, initialContactId: undefined, type: "voice", subtype: "connect:Telephony"}});
  port.onmessage = (message) => {
    const msg = message.data;
    window.upstream.push(msg.type === "subscribe" ? "subscribe " + msg.topic.key + " " + msg.topic.parameter
                                                   : msg.type + " " + (msg.command || msg.stage || ""));
    if (msg.type === "request") port.postMessage({type: "response", namespace: msg.namespace,
      requestId: msg.requestId, isError: false, data: {type: "voice", subtype: "connect:Telephony"}});
  };
  port.postMessage({type: "acknowledge", connectionId: "workspace-1", status: {initialized: true},
                    healthCheckInterval: 0});
  port.postMessage({type: "appLifecycle", stage: "create", instanceId: "app-1", appInstanceId: "app-1",
    config: {}, appConfig: {}, scope: {type: "contact", contactId: "c-workspace-1"}, region: "eu-central-1"});
});
</script></body></html>"""


def test_in_the_agent_workspace_the_contact_comes_from_amazon_connect(api: str, page) -> None:
    """The real SDK in Chromium, in a frame of a same-origin stand-in workspace: the create event's
    contact opens, and the workspace's contact events keep it current."""
    page.route(f"{api}/workspace-stand-in/", lambda route: route.fulfill(body=WORKSPACE, content_type="text/html"))
    page.goto(f"{api}/workspace-stand-in/")
    panel = page.frame_locator("iframe")
    panel.get_by_role("heading", name="Giriş").wait_for()
    typed = panel.get_by_role("textbox", name="Hesap")
    typed.or_(panel.get_by_role("button", name="Hesap")).first.wait_for()
    if typed.is_visible():
        typed.fill("ayse")
    else:
        panel.get_by_role("button", name="Hesap").click()
        panel.get_by_role("option", name="ayse").click()
    panel.get_by_role("button", name="Giriş yap").click()

    heading = panel.get_by_role("heading", level=1, name="Görüşme")
    heading.wait_for()
    panel.get_by_text("c-workspace-1").first.wait_for()
    # The agent does not pick the contact in the workspace: no "another contact", no contact form.
    assert panel.get_by_role("button", name="Başka görüşme").count() == 0
    assert panel.get_by_role("textbox", name="Görüşme numarası (Contact ID)").count() == 0

    upstream = page.evaluate("window.upstream")
    for key in ("contact/connected", "contact/acw", "contact/cleared"):
        assert f"subscribe {key} c-workspace-1" in upstream, upstream
    assert "appLifecycleHandlerCompleted create" in upstream
    assert "request contact/getChannelType" in upstream

    page.evaluate("publishContact('contact/connected', 'c-workspace-1')")
    panel.get_by_text("Amazon Connect'te: bağlı").wait_for()
    page.evaluate("publishContact('contact/acw', 'c-workspace-1')")
    panel.get_by_text("Amazon Connect'te: görüşme sonrası").wait_for()
    shoot(page, "6-in-the-workspace")

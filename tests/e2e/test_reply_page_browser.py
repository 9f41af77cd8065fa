"""The unit's reply page in a real browser on a phone-sized screen.

The whole way as people use it: the embedded AWS (`callcenter local start`, units seeded), the app
over HTTP (`callcenter local api`: chalice's local server), a contact from a contact-flow invocation
(`callcenter replay`), a referral through the agents' API, the unit's e-mail from the embedded SES,
and the link in it opened in Chromium (Debian's, driven by Playwright) at 375×740.

Chromium must be at /usr/bin/chromium (`scripts/ensure-chromium`, run by `make test`). Without it the
test fails and says so: it is never skipped. Screenshots go to out/browser/.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.embedded.aws import sent_emails
from cli.simulator import shapes as shapes
from tests.e2e.browser import chromium, local_api, require_chromium
from tests.e2e.conftest import Operator, write_jsonl

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}
SHOTS = Path(__file__).resolve().parents[2] / "out" / "browser"
QUESTION = "Yatay geçiş başvurusunda transkript aslı mı isteniyor, e-Devlet çıktısı yeterli mi?"
SECOND_QUESTION = "Kütüphaneden ödünç alınan kitabın iade süresi yaz okulunda uzatılabilir mi?"
ANSWER = "e-Devlet çıktısı yeterlidir. <script>alert(1)</script> Islak imza gerekmez."
NOTE = "Bu soru kütüphanenin konusu; lütfen onlar yanıtlasın."
AGENT = {"X-Agent-Id": "ayse"}

# Every visible form control and its accessible name (label, aria-label/-labelledby, or a button's text).
UNLABELLED_CONTROLS = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter(el => el.type !== 'hidden')
  .filter(el => {
    const byLabel = [...(el.labels || [])].map(l => l.textContent).join(' ');
    const byAria = el.getAttribute('aria-label') || (el.getAttribute('aria-labelledby') || '')
      .split(/\\s+/).map(id => (document.getElementById(id) || {}).textContent || '').join(' ');
    const byText = el.tagName === 'BUTTON' ? el.textContent : '';
    return !(byLabel + byAria + byText).trim();
  })
  .map(el => el.outerHTML.slice(0, 160))"""
HORIZONTAL_OVERFLOW = """() => ({
  scroll: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth,
  wide: [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')).slice(0, 5)})"""

_loopback = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http(base: str, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + path, data=data, method=method, headers={**AGENT, "Content-Type": "application/json"}
    )
    try:
        with _loopback.open(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@pytest.fixture(scope="module", autouse=True)  # first: no embedded AWS started for nothing
def chromium_path() -> Path:
    return require_chromium()


@pytest.fixture(scope="module")
def api(operator: Operator, tmp_path_factory) -> Iterator[str]:
    """`callcenter local api` on a free port, against the module's embedded AWS; yields its base URL."""
    # The agent who refers has an account, opened by the supervisor as every agent's is (directive 7(e)).
    opened = operator.run("agents", "create", "--username", "ayse", "--first-name", "Ayşe", "--last-name", "Yılmaz")
    assert opened.returncode == 0, opened.stderr
    with local_api(operator, tmp_path_factory.mktemp("api")) as base:
        yield base


@pytest.fixture(scope="module")
def browser(chromium_path: Path) -> Iterator[object]:
    with chromium(chromium_path) as launched:
        yield launched


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="tr-TR")
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def a_referral(operator: Operator, api: str, tmp_path: Path, contact_id: str, unit_id: str, question: str) -> dict:
    """A call reaches the flow (the contact exists), then an agent refers its question to a unit."""
    replayed = operator.run(
        "replay", str(write_jsonl(tmp_path / f"{contact_id}.jsonl", [shapes.flow_invocation(contact_id)]))
    )
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    status, referral = http(
        api,
        "POST",
        "/referrals",
        {
            "contact_id": contact_id,
            "unit_id": unit_id,
            "question": question,
            "category": "başvuru",
            "return_channel": "VOICE",
        },
    )
    assert status == 201, referral
    return referral


def link_for(operator: Operator, api: str, reference: str) -> str:
    """The reply link in the e-mail the embedded SES sent for `reference`."""
    [mail] = [m for m in sent_emails(operator.endpoint) if reference in m["subject"]]
    found = re.search(re.escape(api) + r"/reply/[A-Za-z0-9_.~-]+", mail["text"] or "")
    assert found, f"no link to {api} in the e-mail: {mail['text']}"
    return found.group(0)


def assert_fits_a_phone(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    overflow = page.evaluate(HORIZONTAL_OVERFLOW)
    assert overflow["scroll"] <= overflow["viewport"], f"{name}: scrolls sideways on a phone: {overflow}"
    assert page.evaluate(UNLABELLED_CONTROLS) == [], f"{name}: form controls without a label"
    assert page.locator("script").count() == 0, f"{name}: the page carries script"


def test_a_unit_answers_on_a_phone(operator: Operator, api: str, phone, tmp_path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    referral = a_referral(operator, api, tmp_path, "browser-call-1", "ogrenci-isleri", QUESTION)
    link = link_for(operator, api, referral["reference"])

    opened = phone.goto(link)
    assert opened.status == 200
    assert phone.locator("blockquote").inner_text().strip() == QUESTION
    assert referral["reference"] in phone.locator("dl").inner_text()
    assert phone.locator("textarea#answer").is_visible()
    assert_fits_a_phone(phone, "1-question")

    phone.fill("#answer", ANSWER)
    phone.fill("#responder_name", "Ali Veli, Öğrenci İşleri")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Yanıtı gönder / Send answer").click()
    assert phone.title().startswith("Yanıtınız kaydedildi")
    assert "Yanıtınız kaydedildi ve arayana merkez tarafından iletilecek" in phone.locator("[role=status]").inner_text()
    assert_fits_a_phone(phone, "2-thanks")
    assert phone.dialogs == []  # type: ignore[attr-defined]

    again = phone.goto(link)
    assert again.status == 200
    assert "Bu soru yanıtlandı" in phone.locator("main").inner_text()
    assert phone.locator("form").count() == 0 and QUESTION not in phone.content()
    assert_fits_a_phone(phone, "3-already-answered")

    forged = phone.goto(link[:-4] + ("AAAA" if not link.endswith("AAAA") else "BBBB"))
    assert forged.status == 403
    assert phone.locator("h1").inner_text() == "Geçersiz bağlantı"
    assert QUESTION not in phone.content()
    assert_fits_a_phone(phone, "4-forged-link")
    assert phone.dialogs == []  # type: ignore[attr-defined]

    # The agents see the answer exactly as typed: data, not markup.
    status, full = http(api, "GET", f"/referrals/{referral['referral_id']}")
    assert status == 200 and full["status"] == "ANSWERED"
    assert full["answer"] == ANSWER and full["responder_name"] == "Ali Veli, Öğrenci İşleri"


def test_a_unit_forwards_a_question_that_is_not_theirs(operator: Operator, api: str, phone, tmp_path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    referral = a_referral(operator, api, tmp_path, "browser-call-2", "ogrenci-isleri", SECOND_QUESTION)
    phone.goto(link_for(operator, api, referral["reference"]))

    assert not phone.locator("#forward_unit").is_visible()  # folded away until asked for
    phone.get_by_text("Bu soru birimimizle ilgili değil").click()
    assert phone.locator("#forward_unit").is_visible()
    options = phone.locator("#forward_unit option").all_inner_texts()
    assert "Kütüphane ve Dokümantasyon Daire Başkanlığı" in options
    assert "Öğrenci İşleri Daire Başkanlığı" not in options  # not to itself
    phone.select_option("#forward_unit", "kutuphane")
    phone.fill("#forward_note", NOTE)
    assert_fits_a_phone(phone, "5-forward-form")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Doğru birime aktar / Forward").click()
    assert phone.title().startswith("Soru aktarıldı")
    assert (
        "şu birime aktarıldı ve e-postayla gönderildi: Kütüphane ve Dokümantasyon Daire Başkanlığı"
        in phone.locator("[role=status]").inner_text()
    )
    assert_fits_a_phone(phone, "6-forwarded")

    status, original = http(api, "GET", f"/referrals/{referral['referral_id']}")
    assert status == 200 and original["status"] == "FORWARDED"
    to_library = [m for m in sent_emails(operator.endpoint) if "kutuphane@ostimteknik.edu.tr" in m["recipients"]]
    assert len(to_library) == 1 and SECOND_QUESTION in (to_library[0]["text"] or "")

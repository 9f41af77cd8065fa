"""The agents' panel end to end (issue 15, "Tests"): real agent accounts, calls replayed in the shapes
Amazon Connect sends, the panel in Debian's Chromium, the unit's e-mail from the embedded SES and its
reply page, and the state read back through the API and the CLI.

- an agent opens a live call from "recent contacts", sees the card (masked number, the caller's
  history), classifies it, refers the question (answer by e-mail, with consent) and reads the reference;
  the unit answers through the link in its e-mail; when the caller rings again the answer is the first
  thing on the card; the agent claims it under "İşlerim", returns it (the system mails the caller) and
  closes it;
- two agents claim one callback of a lost call: one gets the number in full, the other is told plainly
  and their list refreshes;
- the whole referral flow by keyboard alone, an API refusal naming the return address included;
- a contact that has not arrived yet: the panel says so and retries until its card appears.

axe-core finds no serious or critical violation on each screen visited, every form control has a name,
and the screenshots (1366×768 and 1024×768) go to out/console/agent-*.png.
"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cli.simulator import shapes
from tests.e2e import test_console_browser as console
from tests.e2e.conftest import Operator, write_jsonl
from tests.e2e.test_console_browser import RECORD_CSP, SHOTS, SIZES, assert_accessible, assert_clean, shoot, sign_in
from tests.e2e.test_reply_page_browser import _loopback

# The browser module's fixtures, shared: one embedded AWS (conftest's `operator`), one `callcenter local api`
# and one Chromium for this module, started the same way.
chromium_path = console.chromium_path
api = console.api
browser = console.browser

pytestmark = pytest.mark.e2e

CALLER = "+905321234567"  # the caller of the main flow
CALLER_MASKED = "+905*******67"
LOST_CALLER = "+905329876543"  # the caller whose lost call raises the callback
LOST_MASKED = "+905*******43"
KEYBOARD_CALLER = "+905301112233"
ARRIVING_CALLER = "+905301112299"
ARRIVING_MASKED = "+905*******99"
QUESTION = "Yatay geçişte önceki üniversitede alınan derslerin intibakı ne zaman yapılır?"
ANSWER = "İntibak, kayıttan sonraki ilk iki hafta içinde bölüm komisyonunca yapılır ve OBS'de görünür."
CALLER_EMAIL = "zeynep.kaya@example.com"
REFERENCE = re.compile(r"^ÇİM-\d{4}-\d{6}$")


# --- the world: accounts, calls, the API as another client sees it ------------------------------------


@pytest.fixture(scope="module")
def agents(operator: Operator, api: str) -> tuple[str, str]:
    """Two real agent accounts, opened and trained as the supervisor does it (directive 7(e)): `ayse`
    (opened by the `api` fixture) and `mehmet`."""
    made = operator.run("agents", "create", "--username", "mehmet", "--first-name", "Mehmet", "--last-name", "Demir")
    assert made.returncode == 0, made.stderr
    for username in ("ayse", "mehmet"):
        trained = operator.run("agents", "train", username)
        assert trained.returncode == 0, trained.stderr
    listed = operator.run("agents", "list", "--status", "ACTIVE", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert {"ayse", "mehmet"} <= {row["username"] for row in json.loads(listed.stdout)}
    return "ayse", "mehmet"


def as_agent(api: str, method: str, path: str, agent: str = "ayse", body: dict | None = None) -> tuple[int, dict]:
    """The API as the panel calls it on the local stage (the stand-in's headers)."""
    import urllib.error
    import urllib.request

    data = json.dumps(body).encode() if body is not None else None
    headers = {"X-Agent-Id": agent, "X-Groups": "agents", "Content-Type": "application/json"}
    request = urllib.request.Request(api + path, data=data, method=method, headers=headers)
    try:
        with _loopback.open(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def replay(operator: Operator, tmp_path: Path, name: str, lines: list[dict]) -> None:
    done = operator.run("replay", str(write_jsonl(tmp_path / f"{name}.jsonl", lines)))
    assert done.returncode == 0, done.stdout + done.stderr


def live_call(contact_id: str, number: str, start: datetime) -> list[dict]:
    """A call with an agent now: its contact events so far and the flow's Lambda block (the only input
    of a live call that carries the number); the trace record comes when it ends."""
    q, a = shapes.queue_arn(), shapes.agent_arn()
    enq, conn = start + timedelta(seconds=12), start + timedelta(seconds=40)
    return [
        shapes.contact_event("INITIATED", contact_id, initiation=start, time=start),
        shapes.flow_invocation(contact_id, customer_number=number, queue={"ARN": q, "Name": "Genel"}),
        shapes.contact_event("QUEUED", contact_id, initiation=start, time=enq, queue_arn=q, enqueued=enq),
        shapes.contact_event(
            "CONNECTED_TO_AGENT",
            contact_id,
            initiation=start,
            time=conn,
            queue_arn=q,
            enqueued=enq,
            agent_arn=a,
            connected_to_agent=conn,
        ),
    ]


def ended_call(contact_id: str, number: str, start: datetime, *, answered: bool, category: str | None) -> list[dict]:
    """A finished call as its trace record tells it: answered by `ayse`, or lost after 45 s in the queue."""
    enq = start + timedelta(seconds=12)  # as in live_call
    end = start + timedelta(minutes=4) if answered else enq + timedelta(seconds=45)
    record = shapes.ctr(
        contact_id,
        initiation=start,
        disconnected=end,
        disconnect_reason="AGENT_DISCONNECT" if answered else "CUSTOMER_DISCONNECT",
        customer_number=number,
        queue={"arn": shapes.queue_arn(), "name": "Genel", "enqueue": enq},
        agent={"username": "ayse", "connected": start + timedelta(seconds=40), "interaction": 200}
        if answered
        else None,
        attributes={"category": category} if category else None,
    )
    return [shapes.kinesis_event(record)]


def outbox(operator: Operator) -> list[dict]:
    """What the embedded SES sent, as the operator reads it."""
    listed = operator.run("local", "outbox", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    return json.loads(listed.stdout)


def connect_attributes(operator: Operator, contact_id: str) -> dict[str, str]:
    """What the simulated Amazon Connect holds for a contact (UpdateContactAttributes, one line a change)."""
    held: dict[str, str] = {}
    path = operator.home / "connect-placements.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        record = json.loads(line)
        if record.get("mode") == "contact_attributes" and record.get("initial_contact_id") == contact_id:
            held.update(record["attributes"])
    return held


# --- the browser ------------------------------------------------------------------------------------------


def new_page(browser, size: str = "1366"):
    context = browser.new_context(viewport=SIZES[size], locale="tr-TR", timezone_id="Europe/Istanbul")
    context.add_init_script(RECORD_CSP)
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


@pytest.fixture
def pages(browser):
    """Pages in contexts of their own (one per agent: nothing shared but the server), closed after the test."""
    opened = []

    def make(size: str = "1366"):
        page = new_page(browser, size)
        opened.append(page)
        return page

    yield make
    for page in opened:
        page.context.close()


def checked(page, name: str) -> None:
    """Every control named, nothing refused by the CSP, no script error, and axe-core's verdict."""
    assert_clean(page)
    assert_accessible(page, name)


def focused(page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement;
          return {tag: el.tagName.toLowerCase(), id: el.id, text: (el.innerText || el.value || '').trim(),
                  label: el.getAttribute('aria-label') || '', role: el.getAttribute('role') || '',
                  type: el.getAttribute('type') || '', href: el.getAttribute('href') || ''}; }"""
    )


def tab_to(page, matches, what: str, *, back: bool = False, limit: int = 60) -> dict:
    """Tab (or Shift+Tab) until the focused element matches: the keyboard's way, never a click or .focus()."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        now = focused(page)
        if matches(now):
            return now
    raise AssertionError(f"{what}: not reached in {limit} presses of {'Shift+Tab' if back else 'Tab'}")


HIGHLIGHTED = """() => { const id = document.activeElement.getAttribute('aria-activedescendant');
  const el = id && document.getElementById(id); return el ? el.innerText.trim() : ''; }"""


def arrow_to(page, option: str, limit: int = 12) -> None:
    """ArrowDown through an open list until `option` is the highlighted one (what Enter then picks)."""
    for _ in range(limit):
        page.keyboard.press("ArrowDown")
        if page.evaluate(HIGHLIGHTED).startswith(option):
            return
    raise AssertionError(f"{option}: not reached with ArrowDown (last: {page.evaluate(HIGHLIGHTED)!r})")


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


# --- 1. the call, the referral, the unit's answer, its return ------------------------------------------------


def test_an_agent_classifies_refers_and_returns_the_units_answer(
    operator: Operator, api: str, agents, pages, tmp_path: Path
) -> None:
    start = now_utc() - timedelta(minutes=5)  # with the agent since 4 min 20 s
    replay(
        operator,
        tmp_path,
        "calls",
        ended_call("panel-earlier-1", CALLER, start - timedelta(days=1, hours=2), answered=True, category="bilgi")
        + live_call("panel-call-1", CALLER, start),
    )

    # The agent signs in and opens the call from today's contacts.
    page = pages()
    page.goto(f"{api}/console/")
    sign_in(page, "ayse", "Temsilci")
    recent = page.get_by_role("table", name="Son görüşmeler")
    row = recent.get_by_role("row").filter(has_text=CALLER_MASKED).filter(has_text="Temsilcide")
    row.wait_for()
    checked(page, "no contact, recent contacts")
    row.get_by_role("link").click()

    # The card: the call as it stands, the number masked, the caller's history (the call of yesterday).
    page.get_by_role("heading", level=2, name="Görüşme bilgileri").wait_for()
    assert "contact=panel-call-1" in page.url
    main = page.get_by_role("main")
    assert CALLER_MASKED in main.inner_text() and CALLER not in page.content()
    assert "Telefon · Temsilcide" in main.inner_text()
    assert "28 sn" in main.inner_text()  # the wait in the queue (12 s to 40 s)
    earlier = page.get_by_role("table", name="Önceki görüşmeler").get_by_role("row")
    assert earlier.count() == 2  # the header and yesterday's call
    assert "Bilgi" in earlier.nth(1).inner_text() and "Yanıtlandı" in earlier.nth(1).inner_text()
    assert page.get_by_text("Açık geri arama yok.").is_visible()
    assert page.get_by_text("Yönlendirme yok.").is_visible()
    checked(page, "contact card")

    # Classify: a fact on the contact and its `category` attribute in Amazon Connect.
    page.get_by_role("button", name=re.compile("^Görüşmenin konusu")).click()
    page.get_by_role("option", name="Başvuru", exact=True).click()
    with page.expect_response(lambda r: r.url.endswith("/contacts/panel-call-1/category")) as classified:
        page.get_by_role("button", name="Konuyu kaydet").click()
    assert classified.value.status == 200 and classified.value.json()["connect_updated"] is True
    page.get_by_text("Konu kaydedildi: Başvuru").wait_for()
    page.get_by_text("Kayıtlı konu: Başvuru").wait_for()
    status, card = as_agent(api, "GET", "/contacts/panel-call-1")
    assert status == 200 and card["category"] == "başvuru"
    assert connect_attributes(operator, "panel-call-1") == {"category": "başvuru"}

    # Refer the question: the unit picker (with each unit's target), the question, an e-mail return, consent.
    page.get_by_role("link", name="Birime yönlendir").last.click()  # the card's action (the first: the navigation)
    page.get_by_role("heading", level=1, name="Birime yönlendir").wait_for()
    assert "contact=panel-call-1" in page.url
    page.locator("#refer-unit").click()
    page.get_by_role("option", name=re.compile("^Öğrenci İşleri")).first.wait_for()
    option = page.get_by_role("option", name=re.compile("^Öğrenci İşleri"))
    assert "Hedef yanıt süresi" in option.first.inner_text()
    option.first.click()
    page.get_by_role("textbox", name="Soru").fill(QUESTION)
    page.locator("#refer-category").click()
    page.get_by_role("option", name="Başvuru", exact=True).click()
    page.get_by_role("radio", name="E-posta (yanıtı sistem gönderir)").check()
    page.get_by_role("textbox", name="Yanıt adresi").fill(CALLER_EMAIL)
    page.get_by_role("checkbox", name=re.compile("adının ve numarasının birimle paylaşılmasına izin verdi")).check()
    page.get_by_role("textbox", name=re.compile("^Arayanın adı")).fill("Zeynep Kaya")
    page.evaluate("window.scrollTo(0, 0)")  # the form from its top: the contact, the unit, the question
    shoot(page, "agent-1-refer-form")
    checked(page, "referral form")

    with page.expect_response(lambda r: r.url.endswith("/referrals") and r.request.method == "POST") as sent:
        page.get_by_role("button", name="Birime gönder").click()
    assert sent.value.status == 201
    made = sent.value.json()
    shown = page.get_by_test_id("reference")
    shown.wait_for()
    reference = shown.inner_text().strip()
    assert REFERENCE.match(reference) and reference == made["reference"]
    assert page.get_by_role("heading", name="Soru birime iletildi").is_visible()
    assert "Öğrenci İşleri" in page.get_by_role("main").inner_text()  # with its target time
    shoot(page, "agent-2-reference")
    checked(page, "reference shown")

    # The unit's e-mail in the embedded SES, with its signed reply link; the unit answers on the reply page.
    [mail] = [m for m in outbox(operator) if reference in m["subject"]]
    assert mail["recipients"] == ["ogrenciisleri@ostimteknik.edu.tr"]
    assert QUESTION in mail["text"] and "Zeynep Kaya" in mail["text"]  # consent given: the name is shared
    link = re.search(re.escape(api) + r"/reply/[A-Za-z0-9_.~-]+", mail["text"])
    assert link, mail["text"]
    unit = pages()
    unit.goto(link.group(0))
    assert unit.locator("blockquote").inner_text().strip() == QUESTION
    assert_accessible(unit, "the unit's reply page")
    unit.fill("#answer", ANSWER)
    unit.fill("#responder_name", "Ali Veli, Öğrenci İşleri")
    with unit.expect_navigation():
        unit.get_by_role("button", name="Yanıtı gönder / Send answer").click()
    assert "Yanıtınız kaydedildi" in unit.locator("[role=status]").inner_text()
    assert_accessible(unit, "the unit's thanks")
    status, answered = as_agent(api, "GET", f"/referrals/{made['referral_id']}")
    assert status == 200 and answered["status"] == "ANSWERED"

    # The first call ends (its trace record carries the category the panel set); the caller rings again,
    # and the answer waiting for them is the first thing on the new call's card.
    replay(
        operator,
        tmp_path,
        "again",
        ended_call("panel-call-1", CALLER, start, answered=True, category="başvuru")
        + live_call("panel-call-2", CALLER, now_utc() - timedelta(seconds=45)),
    )
    page.get_by_role("link", name="Görüşme", exact=True).first.click()
    page.get_by_role("button", name="Başka görüşme").click()
    row = page.get_by_role("table", name="Son görüşmeler").get_by_role("row").filter(has_text=CALLER_MASKED)
    row.filter(has_text="Yanıtlandı").wait_for()  # the first call, ended
    row.filter(has_text="Temsilcide").get_by_role("link").click()
    alert = page.get_by_text("Bu arayan için bekleyen yanıt var")
    alert.wait_for()
    details = page.get_by_role("heading", level=2, name="Görüşme bilgileri")
    details.wait_for()
    assert alert.bounding_box()["y"] < details.bounding_box()["y"]
    assert reference in page.get_by_role("main").inner_text()
    assert ANSWER not in page.content()  # one click away, not on the screen
    show = page.get_by_role("button", name="Yanıtı göster")
    assert show.get_attribute("aria-expanded") == "false"
    show.click()
    page.get_by_text(ANSWER).wait_for()
    assert page.get_by_role("button", name="Yanıtı gizle").get_attribute("aria-expanded") == "true"
    history = page.get_by_role("table", name="Yönlendirmeler")
    assert reference in history.inner_text() and "Yanıtlandı" in history.inner_text()
    contacts = page.get_by_role("table", name="Önceki görüşmeler").inner_text()
    assert "Başvuru" in contacts and "Bilgi" in contacts  # this morning's call (classified) and yesterday's
    for dismiss in page.get_by_role("button", name="Kapat", exact=True).all():  # the classification's notice, long read
        dismiss.click()
    page.mouse.move(5, 760)  # no button drawn hovered
    shoot(page, "agent-3-card-answer-waiting")
    page.screenshot(path=str(SHOTS / "agent-3-card-answer-waiting-full-1366.png"), full_page=True)
    checked(page, "contact card with an answer waiting")

    # İşlerim: the answer to return, counted in its tab and in the browser tab's title.
    page.get_by_role("link", name="İşlerim'de üstlen").click()
    page.get_by_role("heading", level=1, name="İşlerim").wait_for()
    status, work = as_agent(api, "GET", "/work")
    assert status == 200 and work["counts"]["answers"] >= 1
    total = sum(work["counts"].values())
    page.wait_for_function("(title) => document.title === title", arg=f"({total}) Çağrı")
    answers_tab = page.get_by_role("tab", name=f"İletilecek yanıtlar ({work['counts']['answers']})")
    answers_tab.click()
    claim = page.get_by_role("button", name=f"Üstlen: {reference}")
    claim.wait_for()
    shoot(page, "agent-4-my-work")
    checked(page, "my work")

    claim.click()
    page.get_by_role("heading", level=2, name=re.compile(re.escape(reference))).wait_for()
    main = page.get_by_role("main")
    assert CALLER_EMAIL in main.inner_text()  # the address in full, for the agent holding the claim
    assert ANSWER in main.inner_text() and QUESTION in main.inner_text()
    checked(page, "an answer claimed")
    with page.expect_response(lambda r: r.url.endswith(f"/referrals/{made['referral_id']}/return")) as returned:
        page.get_by_role("button", name="Yanıtı e-postayla gönder").click()
    assert returned.value.status == 200
    page.get_by_text("Arayana iletildi", exact=True).wait_for()  # the referral's status now
    status, after_return = as_agent(api, "GET", f"/referrals/{made['referral_id']}")
    assert status == 200 and after_return["status"] == "RETURNED" and after_return["returned_at"]
    [to_caller] = [m for m in outbox(operator) if CALLER_EMAIL in m["recipients"]]
    assert ANSWER in to_caller["text"]

    page.get_by_role("radio", name="Arayana iletildi, konu çözüldü").check()
    page.get_by_role("button", name="Yönlendirmeyi kapat").click()
    page.get_by_text("Kapatıldı.").wait_for()
    status, closed = as_agent(api, "GET", f"/referrals/{made['referral_id']}")
    assert status == 200 and (closed["status"], closed["outcome"]) == ("CLOSED", "resolved")
    page.get_by_role("button", name=f"Üstlen: {reference}").wait_for(state="detached")  # the list refreshed
    checked(page, "my work after closing")
    assert page.errors == []  # type: ignore[attr-defined]


# --- 2. two agents, one callback ---------------------------------------------------------------------------


def test_two_agents_claim_one_callback_and_the_slower_one_is_told(
    operator: Operator, api: str, agents, pages, tmp_path: Path
) -> None:
    replay(
        operator,
        tmp_path,
        "lost",
        ended_call("panel-lost-1", LOST_CALLER, now_utc() - timedelta(minutes=6), answered=False, category=None),
    )
    listed = operator.run("callbacks", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    [raised] = [c for c in json.loads(listed.stdout) if c["source_contact_id"] == "panel-lost-1"]
    assert (raised["reason"], raised["status"], raised["caller"]) == ("abandoned", "PENDING", LOST_MASKED)

    ayse, mehmet = pages(), pages()
    for page, username in ((ayse, "ayse"), (mehmet, "mehmet")):
        page.goto(f"{api}/console/work")
        sign_in(page, username, "Temsilci")
        page.get_by_role("heading", level=1, name="İşlerim").wait_for()
        page.get_by_role("tabpanel").get_by_text(LOST_MASKED).wait_for()

    def claim_button(page):
        card = page.get_by_role("listitem").filter(has_text=LOST_MASKED)
        return card.get_by_role("button", name=re.compile("^Üstlen: "))

    # Ayşe is first: the number in full, hers to call.
    claim_button(ayse).click()
    ayse.get_by_role("heading", level=2, name="Üstlendiniz").wait_for()
    assert ayse.locator(".caller-number").first.inner_text() == LOST_CALLER
    checked(ayse, "a callback claimed")

    # Mehmet's list still shows it: his claim is refused, said plainly, and his list refreshes.
    mehmet_before = mehmet.get_by_role("tab", selected=True).inner_text()
    claim_button(mehmet).click()
    told = mehmet.get_by_role("alert").filter(has_text="Bu işi başka bir temsilci aldı. Liste yenilendi.")
    told.wait_for()
    mehmet.get_by_role("tabpanel").get_by_text(LOST_MASKED).wait_for(state="detached")
    assert LOST_CALLER not in mehmet.content()
    assert mehmet.get_by_role("heading", name="Üstlendiniz").count() == 0
    assert mehmet.get_by_role("tab", selected=True).inner_text() != mehmet_before  # the count went down
    mehmet.wait_for_timeout(600)  # the notice has slid in, its dismiss button drawn
    shoot(mehmet, "agent-5-claim-conflict")
    checked(mehmet, "a claim another agent won")

    listed = operator.run("callbacks", "list", "--format", "json", "--status", "CLAIMED")
    [claimed] = [c for c in json.loads(listed.stdout) if c["source_contact_id"] == "panel-lost-1"]
    assert claimed["claimed_by"] == "ayse"

    # Ayşe calls and records the outcome; the callback leaves her work.
    ayse.get_by_role("radio", name="Ulaşıldı").check()
    ayse.get_by_role("button", name="Sonucu kaydet").click()
    ayse.get_by_text("Sonuç kaydedildi.").wait_for()
    status, done = as_agent(api, "GET", f"/callbacks/{raised['callback_id']}")
    assert status == 200 and done["status"] == "COMPLETED"


# --- 3. the referral flow by keyboard alone ------------------------------------------------------------------


def test_the_whole_referral_flow_by_keyboard_alone(operator: Operator, api: str, agents, pages, tmp_path: Path) -> None:
    """Tab, Shift+Tab, Enter, Space and the arrow keys only: signing in, opening the referral form from the
    card, every field, an API refusal that names the return address (the focus goes there, nothing typed is
    lost), and the reference."""
    replay(operator, tmp_path, "kb", live_call("panel-call-kb", KEYBOARD_CALLER, now_utc() - timedelta(seconds=40)))
    page = pages("1024")
    page.goto(f"{api}/console/?contact=panel-call-kb")
    page.get_by_role("heading", name="Giriş").wait_for()
    page.get_by_role("button", name="Hesap").wait_for()

    tab_to(page, lambda f: f["id"] == "local-account" or "Hesap" in f["label"], "the account picker")
    page.keyboard.press("Enter")
    page.keyboard.type("ayse")
    page.get_by_role("option", name="ayse").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    tab_to(page, lambda f: f["text"] == "Giriş yap", "the sign-in button")
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=2, name="Görüşme bilgileri").wait_for()
    checked(page, "contact card (keyboard)")

    # From the card to the form: its "Birime yönlendir" action, reached by Tab.
    tab_to(page, lambda f: f["text"] == "Birime yönlendir" and "contact=panel-call-kb" in f["href"], "refer action")
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Birime yönlendir").wait_for()

    tab_to(page, lambda f: f["id"] == "refer-unit", "the unit picker")
    page.keyboard.press("Enter")
    page.keyboard.type("Kütüphane")
    page.get_by_role("option", name=re.compile("^Kütüphane")).first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert "Kütüphane" in page.locator("#refer-unit").inner_text()
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "refer-question"
    page.keyboard.type("Yaz okulunda ödünç alınan kitapların iade süresi uzatılabilir mi?")
    page.keyboard.press("Shift+Tab")  # back to the unit: still chosen
    assert focused(page)["id"] == "refer-unit" and "Kütüphane" in page.locator("#refer-unit").inner_text()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "refer-category"
    page.keyboard.press("Enter")
    page.get_by_role("option", name="Bilgi", exact=True).wait_for()
    arrow_to(page, "Başvuru")
    page.keyboard.press("Enter")
    assert "Başvuru" in page.locator("#refer-category").inner_text()

    # The return channel: a radio group, moved through with the arrow keys.
    tab_to(page, lambda f: f["type"] == "radio", "the return channel")
    assert page.evaluate("document.activeElement.checked")  # the chosen one: VOICE, the default
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.get_by_role("radio", name="E-posta (yanıtı sistem gönderir)").is_checked()
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "refer-address"
    page.keyboard.type("öğrenci.kaya@ornek.edu.tr")  # the browser's check passes it; the API's does not
    page.keyboard.press("Tab")
    assert focused(page)["type"] == "checkbox"
    page.keyboard.press("Space")
    assert page.get_by_role("checkbox", name=re.compile("izin verdi")).is_checked()
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "refer-caller-name"
    page.keyboard.type("Deniz Kaya")
    shoot(page, "agent-6-refer-form-keyboard")
    checked(page, "referral form (keyboard)")

    tab_to(page, lambda f: f["text"] == "Birime gönder", "the send button")
    with page.expect_response(lambda r: r.url.endswith("/referrals") and r.request.method == "POST") as refused:
        page.keyboard.press("Enter")
    assert refused.value.status == 400 and refused.value.json()["field"] == "return_address"
    error = page.get_by_text(re.compile("^Yanıt adresini denetleyin"))
    error.wait_for()
    assert "e-mail address" in error.inner_text()  # the API's own rule, after the field's name
    page.wait_for_function("document.activeElement && document.activeElement.id === 'refer-address'")
    assert page.get_by_role("textbox", name="Yanıt adresi").input_value() == "öğrenci.kaya@ornek.edu.tr"
    assert page.get_by_role("textbox", name="Soru").input_value().startswith("Yaz okulunda")
    assert "Kütüphane" in page.locator("#refer-unit").inner_text()
    assert page.get_by_role("textbox", name=re.compile("^Arayanın adı")).input_value() == "Deniz Kaya"
    shoot(page, "agent-7-refer-refused")
    checked(page, "referral refused (keyboard)")

    page.keyboard.press("Control+A")
    page.keyboard.type("deniz.kaya@ornek.edu.tr")
    with page.expect_response(lambda r: r.url.endswith("/referrals") and r.request.method == "POST") as sent:
        page.keyboard.press("Enter")  # submits the form from its field
    assert sent.value.status == 201
    page.get_by_test_id("reference").wait_for()
    assert REFERENCE.match(page.get_by_test_id("reference").inner_text().strip())
    assert focused(page)["text"] == "Soru birime iletildi"  # the focus lands on what happened
    checked(page, "reference (keyboard)")

    status, referral = as_agent(api, "GET", f"/referrals/{sent.value.json()['referral_id']}")
    assert status == 200 and referral["status"] == "SENT" and referral["return_channel"] == "EMAIL"
    assert referral["unit_id"] == "kutuphane" and referral["consent"] is True


# --- 4. a contact that has not arrived yet ---------------------------------------------------------------


def test_a_contact_still_arriving_is_said_and_its_card_appears_without_a_reload(
    operator: Operator, api: str, agents, pages, tmp_path: Path
) -> None:
    page = pages()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if r.url.endswith("/contacts/panel-arriving-1") else None)
    page.goto(f"{api}/console/?contact=panel-arriving-1")
    sign_in(page, "ayse", "Temsilci")
    page.get_by_text("Görüşme kaydı geliyor").wait_for()
    assert page.get_by_text("Amazon Connect'in kaydı genellikle birkaç saniyede gelir").is_visible()
    page.evaluate("window.__samePage = true")  # gone if anything reloads the page
    deadline = time.monotonic() + 15
    while len(asked) < 3 and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert len(asked) >= 3, asked  # it retries
    assert page.get_by_text("Görüşme alınamadı").count() == 0  # never an error page
    shoot(page, "agent-8-contact-arriving")
    checked(page, "contact arriving")

    replay(
        operator,
        tmp_path,
        "arriving",
        live_call("panel-arriving-1", ARRIVING_CALLER, now_utc() - timedelta(seconds=30)),
    )
    page.get_by_role("heading", level=2, name="Görüşme bilgileri").wait_for(timeout=20_000)
    assert page.evaluate("window.__samePage") is True
    assert page.get_by_text("Görüşme kaydı geliyor").count() == 0
    # The card came with the call's first input; what came after (the number, from the flow) is one refresh away.
    page.get_by_role("button", name="Yenile").click()
    page.get_by_role("main").get_by_text(ARRIVING_MASKED).wait_for()
    checked(page, "contact arrived")

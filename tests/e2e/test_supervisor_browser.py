"""The supervisor's console in a real browser: `callcenter local api` with the embedded AWS, Debian's
Chromium driven by Playwright, signed in with the local stand-in as `basin` (the local supervisor).
Screenshots go to out/supervisor/ at 1920×1080 and 1366×768; axe-core finds no serious or critical
violation on any screen, in Turkish and in English.

Two groups of tests. Those on routes the API has today (accounts, units, incidents, confidentiality, a
report's rebuild) run now. Those on the routes issue 16 adds in parallel — GET /live and
/live/thresholds, GET /reports, /reports/{month}/html, /workbook, /send — are written against the real
API and pass once those routes are merged: `test_the_centre_now_*` and `test_reports_open_*` (they fail
here with "Sunucu bu isteği henüz tanımıyor" until then; nothing is faked in this file). And
`test_reports_health_*` waits for GET /health to stop answering 500 on the local stage.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from chalicelib.core.turkish import MONTHS_TR, WEEKDAYS_TR
from chalicelib.core.workhours import default_calendar
from cli.simulator import shapes
from tests.e2e.browser import chromium, local_api, require_chromium
from tests.e2e.conftest import REPO, Operator, write_jsonl
from tests.e2e.test_console_browser import RECORD_CSP, assert_accessible, assert_clean, sign_in

pytestmark = pytest.mark.e2e

SHOTS = REPO / "out" / "supervisor"
SIZES = {"1920": {"width": 1920, "height": 1080}, "1366": {"width": 1366, "height": 768}}
ISTANBUL = ZoneInfo("Europe/Istanbul")
QUEUE, AGENT_ARN = shapes.queue_arn(), shapes.agent_arn()
_loopback = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture(scope="module", autouse=True)
def chromium_path() -> Path:
    return require_chromium(console=True)


@pytest.fixture(scope="module")
def api(operator: Operator, tmp_path_factory) -> Iterator[str]:
    """`callcenter local api` on a free port against the module's embedded AWS; yields its base URL."""
    # An agent opened from the command line, as operators do, beside the seeded supervisor `basin`.
    opened = operator.run("agents", "create", "--username", "mert", "--first-name", "Mert", "--last-name", "Demir")
    assert opened.returncode == 0, opened.stderr
    with local_api(operator, tmp_path_factory.mktemp("api")) as base:
        yield base


@pytest.fixture(scope="module")
def browser(chromium_path: Path):
    with chromium(chromium_path) as launched:
        yield launched


def _new_page(browser):
    # Reduced motion: no transition is half-way when axe-core measures contrast or a screenshot is taken.
    context = browser.new_context(
        viewport=SIZES["1920"], locale="tr-TR", timezone_id="UTC", accept_downloads=True, reduced_motion="reduce"
    )
    context.add_init_script(RECORD_CSP)
    opened = context.new_page()
    opened.errors = []  # type: ignore[attr-defined]
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    return opened


@pytest.fixture
def page(browser):
    opened = _new_page(browser)
    yield opened
    opened.context.close()


@pytest.fixture
def second_page(browser):
    """Another person's browser (its own context: nothing of the first session is shared)."""
    opened = _new_page(browser)
    yield opened
    opened.context.close()


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.wait_for_timeout(250)  # the layout (and a chart) settles after a resize
        page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=False)
    page.set_viewport_size(SIZES["1920"])


def open_screen(page, api: str, path: str, heading: str) -> None:
    """Through the side navigation, as a supervisor moves between screens (no page load)."""
    navigation = page.get_by_role("navigation", name=re.compile("Panel bölümleri|Panel sections"))
    link = navigation.get_by_role("link", name=heading, exact=True)
    if link.count():
        link.click()
    else:
        page.goto(f"{api}/console{path}")
    page.get_by_role("heading", level=1, name=heading).wait_for()


def as_supervisor(page, api: str, path: str = "/supervisor") -> None:
    page.goto(f"{api}/console{path}")
    sign_in(page, "basin", "Sorumlu")


def api_call(api: str, method: str, path: str, who: str, groups: str = "agents", body: dict | None = None):
    """The API directly, with the local stand-in's headers: what the panel would send."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{api}{path}", data=data, method=method)
    request.add_header("X-Agent-Id", who)
    request.add_header("X-Groups", groups)
    request.add_header("Content-Type", "application/json")
    try:
        with _loopback.open(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def figure(page, name: str) -> str:
    return page.locator(f'[data-figure="{name}"] .figure-value').inner_text().strip()


# --------------------------------------------------------------------------------------------------------
# Routes the API has today
# --------------------------------------------------------------------------------------------------------


def test_a_supervisor_creates_an_agent_who_signs_in_to_the_agents_panel_and_is_refused_a_supervisor_screen(
    api: str, page, second_page
) -> None:
    as_supervisor(page, api, "/supervisor/accounts")
    page.get_by_role("heading", level=1, name="Hesaplar").wait_for()
    page.get_by_role("radio", name="mert hesabını seç").wait_for()
    shoot(page, "1-accounts")
    assert_accessible(page, "accounts")
    assert_clean(page)

    page.get_by_role("button", name="Yeni hesap").click()
    dialog = page.get_by_role("dialog", name="Yeni hesap")
    dialog.get_by_label("Kullanıcı adı").fill("zeynep")
    dialog.get_by_label("Ad", exact=True).fill("Zeynep")
    dialog.get_by_label("Soyad").fill("Kaya")
    dialog.get_by_label("Kullanıcı adı").press("Enter")  # Enter in the form sends it

    created = page.get_by_role("dialog", name="zeynep hesabı açıldı")
    created.wait_for()
    password = created.locator(".temporary-password").inner_text().strip()
    assert len(password) >= 8, password
    created.get_by_text("Çağrı'ya giriş daveti Cognito tarafından e-postayla gönderildi.").wait_for()
    assert created.get_by_role("button", name="Parolayı kopyala").is_visible()
    shoot(page, "2-account-created")
    assert_accessible(page, "the one-time password")
    created.get_by_role("button", name="Parolayı ilettim, kapat").click()
    created.wait_for(state="hidden")
    assert page.get_by_text(password).count() == 0  # shown once: gone with its dialog

    # The new account, in training, with its audit trail.
    page.get_by_role("radio", name="zeynep hesabını seç").wait_for()
    row = page.get_by_role("row").filter(has_text="zeynep")
    assert "Eğitimde" in row.inner_text()
    page.get_by_role("heading", name="zeynep: denetim kaydı").wait_for()
    page.get_by_text("Hesap açıldı").wait_for()

    # The agent signs in (the stand-in) and sees the agents' panel, without the supervisor's section.
    second_page.goto(f"{api}/console/")
    sign_in(second_page, "zeynep", "Temsilci")
    second_page.get_by_role("heading", level=1, name="Görüşme").wait_for()
    navigation = second_page.get_by_role("navigation", name="Panel bölümleri")
    assert navigation.get_by_role("link", name="İşlerim", exact=True).is_visible()
    for label in ("Merkez şimdi", "Hesaplar", "Birimler", "Arızalar", "Gizlilik", "Raporlar"):
        assert navigation.get_by_role("link", name=label, exact=True).count() == 0, label
    # A supervisor's screen opened by its address: the route table refuses it.
    second_page.goto(f"{api}/console/supervisor/accounts")
    sign_in(second_page, "zeynep", "Temsilci")
    second_page.get_by_text("Bu bölüm yalnızca sorumlular içindir.").wait_for()
    shoot(second_page, "3-agent-refused")
    # And the API refuses it anyway.
    status, body = api_call(api, "GET", "/agents", "zeynep")
    assert status == 403 and body["error"] == "forbidden", body


def test_training_then_deactivation_after_a_confirmation_keeps_the_leaver_out(api: str, page, second_page) -> None:
    as_supervisor(page, api, "/supervisor/accounts")
    page.get_by_role("radio", name="mert hesabını seç").click()
    page.get_by_role("button", name="Eğitimi kaydet: mert").click()
    dialog = page.get_by_role("dialog", name="mert: eğitimi kaydet")
    dialog.get_by_text("canlı yönlendirme profiline geçer", exact=False).wait_for()
    dialog.get_by_role("button", name="Eğitimi kaydet").click()
    page.get_by_text("mert: eğitim kaydedildi, hesap etkin.").wait_for()
    page.get_by_role("row").filter(has_text="mert").get_by_text("Etkin").wait_for()

    # Deactivation, keyboard only from the button: what it does is said before it happens.
    page.get_by_role("button", name="Hesabı kapat: mert").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="mert hesabını kapat")
    for consequence in (
        "Çağrı'ya erişimi hemen kesilir; her istek reddedilir.",
        "Her yerdeki oturumu kapatılır ve girişi engellenir (Cognito).",
        "Amazon Connect kullanıcısı silinir; çağrı alamaz, CCP'ye giremez.",
        "Kaydı raporlar için saklanır: geçmiş görüşmeleri ve denetim kaydı olduğu gibi kalır.",
        "Bu kullanıcı adı bir daha kullanılmaz; geri dönerse yeni bir hesap açılır.",
    ):
        dialog.get_by_text(consequence).wait_for()
    confirm = dialog.get_by_role("button", name="Hesabı kapat (geri alınamaz)")
    assert confirm.is_disabled()
    shoot(page, "4-deactivate-confirmation")
    assert_accessible(page, "the deactivation's confirmation")
    typed = dialog.get_by_label(re.compile("Onaylamak için kullanıcı adını yazın"))
    typed.focus()
    page.keyboard.type("mert")
    assert confirm.is_enabled()
    page.keyboard.press("Tab")  # past the field, through the footer, to the confirmation
    while not confirm.evaluate("el => el === document.activeElement"):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_text("mert hesabı kapatıldı", exact=False).wait_for()
    page.get_by_role("row").filter(has_text="mert").get_by_text("Kapatıldı").wait_for()
    page.get_by_text("Erişim kaldırıldı (Cognito, Amazon Connect)").wait_for()
    assert_clean(page)

    # The leaver's own requests are refused by the API at once.
    status, body = api_call(api, "GET", "/units", "mert")
    assert status == 403 and body["error"] == "account_deactivated", body
    second_page.goto(f"{api}/console/incidents")
    sign_in(second_page, "mert", "Temsilci")
    second_page.get_by_text("Hesabınız kapatılmış", exact=False).first.wait_for()


def test_incidents_are_acknowledged_then_resolved_with_a_note(api: str, page) -> None:
    status, body = api_call(
        api,
        "POST",
        "/incidents",
        "basin",
        "supervisors",
        {
            "category": "headset",
            "severity": "high",
            "description": "Kulaklığın mikrofonu çalışmıyor; arayanlar beni duymuyor.",
        },
    )
    assert status == 201, body
    as_supervisor(page, api, "/supervisor/incidents")
    page.get_by_role("heading", level=1, name="Arızalar").wait_for()
    open_table = page.get_by_role("table", name="Açık")
    open_table.get_by_text("Kulaklığın mikrofonu çalışmıyor", exact=False).wait_for()
    shoot(page, "5-incidents")
    assert_accessible(page, "incidents")

    open_table.get_by_role("button", name=re.compile("^Üstlen: Kulaklık")).click()
    page.get_by_text(re.compile("^Üstlendiniz: Kulaklık")).wait_for()
    taken = page.get_by_role("table", name="Üstlenilen")
    taken.get_by_text("Kulaklığın mikrofonu çalışmıyor", exact=False).wait_for()
    assert "basin" in taken.inner_text()

    # Resolved by keyboard: the button, the note, the confirmation.
    taken.get_by_role("button", name=re.compile("^Çöz: Kulaklık")).focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Arızayı çözüldü olarak kapat")
    note = dialog.get_by_label("Ne yapıldı?")
    note.focus()
    page.keyboard.type("Kulaklık yenisiyle değiştirildi; mikrofon denendi.")
    dialog.get_by_role("button", name="Çözüldü olarak kapat").focus()
    page.keyboard.press("Enter")
    page.get_by_text(re.compile("^Çözüldü: Kulaklık")).wait_for()
    page.get_by_role("button", name="Çözülenler").click()
    page.get_by_text("Kulaklık yenisiyle değiştirildi; mikrofon denendi.").wait_for()
    status, listed = api_call(api, "GET", "/incidents?status=RESOLVED", "basin", "supervisors")
    assert listed["incidents"][0]["resolution"] == "Kulaklık yenisiyle değiştirildi; mikrofon denendi."
    shoot(page, "6-incident-resolved")
    assert_clean(page)


def _day_to_close() -> date:
    """The first working day at least a week from today, by the calendar without closures."""
    calendar = default_calendar()
    day = datetime.now(ISTANBUL).date() + timedelta(days=7)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def test_a_closure_is_declared_heard_by_the_flow_and_removed_after_a_confirmation(
    api: str, operator: Operator, page
) -> None:
    day = _day_to_close()
    spoken = f"{day.day} {MONTHS_TR[day.month - 1]} {day.year} {WEEKDAYS_TR[day.weekday()]}"
    reason = "Kar yağışı nedeniyle üniversitemiz bugün tatildir"
    as_supervisor(page, api, "/supervisor/closures")
    page.get_by_role("heading", level=1, name="Kapanışlar").wait_for()
    page.get_by_text("Bildirilmiş kapanış yok.").wait_for()

    # A past day: the API's refusal, under the field it names.
    page.get_by_label("Tarih").fill("2020-01-06")
    page.get_by_label("Arayanlara okunacak neden").fill(reason)
    page.get_by_role("button", name="Kapanışı bildir").click()
    page.get_by_text("geçmiş bir gün kapatılamaz", exact=False).wait_for()

    page.get_by_label("Tarih").fill(day.isoformat())
    page.get_by_label("Başlangıç saati").fill("14:00")
    page.get_by_label("Arayanlara okunacak neden").press("Enter")  # Enter in the form sends it
    page.get_by_text(f"{spoken} kapanışı bildirildi.").wait_for()
    row = page.get_by_role("row").filter(has_text=reason)
    row.get_by_text("14:00 itibarıyla").wait_for()
    row.get_by_text("Saatlere yazıldı").wait_for()
    [override] = json.loads((operator.home / "connect-hours.json").read_text()).values()
    assert (override["day"], override["open"]) == (day.isoformat(), [{"from": "08:30", "until": "14:00"}])

    # What the flow answers that afternoon, and in the morning before it.
    # Asked by the supervisor: an earlier test of this module deactivates the agent `mert`.
    _, afternoon = api_call(api, "GET", f"/hours?at={day.isoformat()}T14:30:00%2B03:00", "basin", "supervisors")
    assert (afternoon["open"], afternoon["reason"]) == (False, reason), afternoon
    _, morning = api_call(api, "GET", f"/hours?at={day.isoformat()}T10:00:00%2B03:00", "basin", "supervisors")
    assert morning["open"] is True, morning
    shoot(page, "15-closures")
    assert_accessible(page, "closures")

    row.get_by_role("button", name=f"{spoken} kapanışını kaldır").click()
    dialog = page.get_by_role("dialog", name=f"{spoken} kapanışı kaldırılsın mı?")
    dialog.get_by_text("Amazon Connect'in çalışma saatlerindeki kayıt silinir;").wait_for()
    shoot(page, "16-closure-remove-confirmation")
    assert_accessible(page, "the closure's removal")
    dialog.get_by_role("button", name="Kapanışı kaldır").click()
    page.get_by_text(f"{spoken} kapanışı kaldırıldı.").wait_for()
    page.get_by_text("Bildirilmiş kapanış yok.").wait_for()
    assert json.loads((operator.home / "connect-hours.json").read_text()) == {}
    _, reopened = api_call(api, "GET", f"/hours?at={day.isoformat()}T14:30:00%2B03:00", "basin", "supervisors")
    assert reopened["open"] is True, reopened
    assert_clean(page)


def test_every_screen_in_turkish_and_english_is_accessible(api: str, page) -> None:
    """Units, confidentiality and a report's rebuild (routes of today), then every screen in both languages."""
    as_supervisor(page, api, "/supervisor/units")
    page.get_by_role("heading", level=1, name="Birimler").wait_for()
    page.get_by_text("Bilgi İşlem Daire Başkanlığı").wait_for()
    page.get_by_role("button", name="Bilgi İşlem Daire Başkanlığı birimini düzenle").click()
    dialog = page.get_by_role("dialog", name="Bilgi İşlem Daire Başkanlığı")
    dialog.get_by_label("Hedef süre").fill("12")
    dialog.get_by_role("button", name="Kaydet").click()
    page.get_by_text("Bilgi İşlem Daire Başkanlığı kaydedildi.").wait_for()
    page.get_by_role("row").filter(has_text="Bilgi İşlem Daire Başkanlığı").get_by_text("12 iş saati").wait_for()
    shoot(page, "7-units")

    open_screen(page, api, "/supervisor/privacy", "Gizlilik")
    page.get_by_role("button", name="Başvuru kaydet").click()
    dialog = page.get_by_role("dialog", name="İlgili kişi başvurusu kaydet")
    dialog.get_by_role("radio", name=re.compile("^Silme")).check()
    dialog.get_by_label("Numara").fill("0532 123 45 67")
    dialog.get_by_label("Kimlik doğrulama").fill("T.C. kimlik kartı, yüz yüze")
    dialog.get_by_role("button", name="Kaydet").click()
    page.get_by_text(re.compile("^Başvuru kaydedildi; son tarih")).wait_for()
    page.get_by_text("30 gün kaldı").or_(page.get_by_text("29 gün kaldı")).first.wait_for()
    page.get_by_role("button", name=re.compile("^Yerine getir: Silme")).click()
    dialog = page.get_by_role("dialog", name=re.compile("^Silme başvurusu"))
    dialog.get_by_text("Geri alınamaz.", exact=False).wait_for()
    shoot(page, "8-privacy-erasure-confirmation")
    assert_accessible(page, "the erasure's confirmation")
    dialog.get_by_role("button", name="Kayıtları anonimleştir (geri alınamaz)").click()
    page.get_by_text("Silme başvurusu yerine getirildi; kayıtlar anonimleştirildi.").wait_for()
    page.get_by_role("tab", name="Açıklamalar").click()
    page.get_by_role("table", name="Açıklamalar").wait_for()

    month = datetime.now(ISTANBUL).strftime("%Y-%m")
    open_screen(page, api, "/supervisor/reports", "Raporlar")
    page.get_by_label("Ay", exact=True).fill(month)
    page.get_by_role("button", name="Yeniden oluştur").last.click()
    dialog = page.get_by_role("dialog", name=f"{month} raporunu yeniden oluştur")
    dialog.get_by_text("E-posta gönderilmez", exact=False).wait_for()
    dialog.get_by_role("button", name="Yeniden oluştur").click()
    page.get_by_text(f"{month} raporu yeniden oluşturuldu.").wait_for(timeout=60_000)

    screens = [
        ("/supervisor", "Merkez şimdi", "The centre now"),
        ("/supervisor/accounts", "Hesaplar", "Accounts"),
        ("/supervisor/units", "Birimler", "Units"),
        ("/supervisor/incidents", "Arızalar", "Incidents"),
        ("/supervisor/privacy", "Gizlilik", "Confidentiality"),
        ("/supervisor/reports", "Raporlar", "Reports"),
        ("/supervisor/closures", "Kapanışlar", "Closures"),
    ]
    for lang in ("tr", "en"):
        if lang == "en":
            page.get_by_role("button", name="Switch to English").click()
        for path, turkish, english in screens:
            open_screen(page, api, path, turkish if lang == "tr" else english)
            page.wait_for_timeout(600)  # the lists answer
            assert_accessible(page, f"{path} ({lang})")
            if lang == "en":
                shoot(page, f"9-{path.strip('/').replace('/', '-')}-en")
    assert_clean(page)


# --------------------------------------------------------------------------------------------------------
# Routes issue 16 adds in parallel (GET /live, /live/thresholds, /reports…): they pass once merged.
# --------------------------------------------------------------------------------------------------------


def _calls(prefix: str, starts: list[datetime], *, answered: bool, wait: int = 45) -> list:
    """Inbound calls through the same inputs AWS delivers: the flow, the contact events, the trace record."""
    lines: list = []
    for n, start in enumerate(starts):
        cid = f"{prefix}-{n}"
        enqueued = start + timedelta(seconds=10)
        connected = enqueued + timedelta(seconds=wait) if answered else None
        end = connected + timedelta(seconds=120) if connected else enqueued + timedelta(seconds=wait)
        agent = {"agent_arn": AGENT_ARN, "connected_to_agent": connected} if connected else {}
        lines += [
            shapes.flow_invocation(cid, attributes={"category": "bilgi"}),
            shapes.contact_event("INITIATED", cid, initiation=start, time=start),
            shapes.contact_event("QUEUED", cid, initiation=start, time=enqueued, queue_arn=QUEUE, enqueued=enqueued),
            shapes.contact_event(
                "DISCONNECTED",
                cid,
                initiation=start,
                time=end,
                queue_arn=QUEUE,
                enqueued=enqueued,
                disconnected=end,
                **agent,
            ),
            shapes.kinesis_event(
                shapes.ctr(
                    cid,
                    initiation=start,
                    disconnected=end,
                    disconnect_reason="AGENT_DISCONNECT" if answered else "CUSTOMER_DISCONNECT",
                    queue={"arn": QUEUE, "name": "Genel", "enqueue": enqueued, "duration": wait},
                    agent={
                        "arn": AGENT_ARN,
                        "username": "mert",
                        "connected": connected,
                        "interaction": 100,
                        "hold": 0,
                        "acw": 20,
                    }
                    if connected
                    else None,
                    attributes={"category": "bilgi"},
                )
            ),
        ]
    return lines


def _waiting(cid: str, start: datetime) -> list:
    """A call in the queue now: enqueued, not answered, not ended."""
    enqueued = start + timedelta(seconds=5)
    return [
        shapes.contact_event("INITIATED", cid, initiation=start, time=start),
        shapes.contact_event("QUEUED", cid, initiation=start, time=enqueued, queue_arn=QUEUE, enqueued=enqueued),
    ]


def _replay(operator: Operator, tmp_path: Path, name: str, lines: list) -> None:
    done = operator.run("replay", str(write_jsonl(tmp_path / f"{name}.jsonl", lines)))
    assert done.returncode == 0, done.stderr


def test_the_centre_now_moves_with_a_replayed_day(api: str, operator: Operator, page, tmp_path) -> None:
    """Inputs stamped today: the figures on the screen follow them at the next refresh (every 15 s), a
    threshold the supervisor lowers turns into an alert, and `?at=` shows an earlier moment of the day."""
    now = datetime.now(UTC).replace(microsecond=0)
    midnight = datetime.combine(now.astimezone(ISTANBUL).date(), datetime.min.time(), ISTANBUL).astimezone(UTC)
    first = max(now - timedelta(minutes=20), midnight + timedelta(minutes=1))
    middle = first + (now - first) / 2
    _replay(
        operator,
        tmp_path,
        "morning",
        _calls("live-a", [first + timedelta(seconds=20 * i) for i in range(3)], answered=True),
    )
    _replay(operator, tmp_path, "lost", _calls("live-l", [first + timedelta(seconds=70)], answered=False))

    as_supervisor(page, api, "/supervisor")
    page.get_by_role("heading", level=1, name="Merkez şimdi").wait_for()
    page.locator('[data-figure="inbound"]').wait_for()
    assert figure(page, "inbound") == "4"
    assert figure(page, "answered") == "3"
    assert figure(page, "abandoned") == "1"
    assert re.fullmatch(r"%\d{1,3},\d", figure(page, "service_level")), figure(page, "service_level")
    description = page.get_by_text(re.compile(r"son yenileme \d\d:\d\d:\d\d")).inner_text()

    # More calls arrive: two more lost, one waiting in the queue now. The screen follows by itself.
    later = [middle + timedelta(seconds=30 * i) for i in range(2)]
    _replay(
        operator,
        tmp_path,
        "more",
        _calls("live-b", later, answered=False) + _waiting("live-w", now - timedelta(seconds=90)),
    )
    page.wait_for_function(
        "() => document.querySelector('[data-figure=\"inbound\"] .figure-value').textContent.trim() === '7'",
        timeout=25_000,
    )
    assert figure(page, "abandoned") == "3"
    assert figure(page, "in_queue_now") == "1"
    assert figure(page, "longest_wait_now_seconds") != "—"
    assert page.get_by_text(re.compile(r"son yenileme \d\d:\d\d:\d\d")).inner_text() != description
    shoot(page, "10-live")
    assert_accessible(page, "the centre now")

    # The supervisor lowers a threshold: the figure turns into an alert with its Turkish advice.
    page.get_by_role("button", name=re.compile("^Eşikler")).click()
    lost = page.get_by_label("Son 30 dakikada kayıp çağrı")
    page.wait_for_function("() => document.querySelector('#threshold-lost_last_30_minutes').value !== ''")
    lost.fill("1")
    page.get_by_role("button", name="Eşikleri kaydet").click()
    page.get_by_text("Eşikler kaydedildi.").wait_for()
    page.locator('[data-figure="lost_last_30_minutes"]').get_by_text(re.compile("^(Uyarı|Kritik)$")).wait_for(
        timeout=25_000
    )
    alerts = page.get_by_role("region", name="Uyarılar").or_(page.locator('section[aria-label="Uyarılar"]'))
    assert "Son 30 dakikada kayıp" in alerts.first.inner_text()
    page.evaluate("window.scrollTo(0, 0)")  # the alert is at the top, what to do now first
    shoot(page, "11-live-alert")
    assert_accessible(page, "the centre now with an alert")

    # English one switch away: the same figures, English percentages.
    page.get_by_role("button", name="Switch to English").click()
    page.get_by_role("heading", level=1, name="The centre now").wait_for()
    assert re.fullmatch(r"\d{1,3}\.\d%", figure(page, "service_level")), figure(page, "service_level")
    shoot(page, "12-live-en")
    assert_accessible(page, "the centre now in English")

    # An earlier moment of the day: before the second batch.
    at = (middle - timedelta(seconds=5)).astimezone(ISTANBUL).isoformat()
    page.goto(f"{api}/console/supervisor?at={urllib.request.quote(at)}")
    sign_in(page, "basin", "Sorumlu")
    page.get_by_text(re.compile("^Geçmiş bir an gösteriliyor")).wait_for()
    page.locator('[data-figure="inbound"]').wait_for()
    assert figure(page, "inbound") == "4"
    assert_clean(page)


def test_reports_health_at_a_glance_shows_each_check(api: str, page) -> None:
    """GET /health exists, but on the local stage it answers 500 today: moto has no SES
    GetAccountSendingEnabled, and the check does not catch botocore's ResponseParserError. Passes once
    the health check says "failing" for it (the console shows a 503's checks as well as a 200's)."""
    as_supervisor(page, api, "/supervisor/reports")
    page.get_by_role("heading", level=1, name="Raporlar").wait_for()
    for check in ("tables", "ses", "connect", "contact_events", "dead_letters"):
        page.locator(f'[data-check="{check}"]').get_by_text(re.compile("^(Çalışıyor|Sessiz|Sorunlu)$")).wait_for()
    page.get_by_text(re.compile("^(Her şey çalışıyor|Bir şey çalışmıyor: aşağıya bakın)$")).wait_for()
    assert_accessible(page, "health")


def test_reports_send_then_open_as_emailed_and_download_the_workbook(api: str, operator: Operator, page) -> None:
    month = (datetime.now(ISTANBUL).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")  # last month: ended
    status, body = api_call(api, "POST", f"/reports/{month}/rebuild", "basin", "supervisors")
    assert status == 200, body

    as_supervisor(page, api, "/supervisor/reports")
    page.get_by_role("heading", level=1, name="Raporlar").wait_for()
    page.get_by_role("radio", name=f"{month} raporunu seç").click()
    # Sent by the report function (locally, a thread of the local API): the list shows it once it is.
    page.get_by_role("button", name="Gönder").first.click()
    dialog = page.get_by_role("dialog", name=f"{month} raporunu gönder")
    dialog.get_by_text(f"{month} raporu şu alıcılara e-postayla gönderilecek", exact=False).wait_for()
    dialog.get_by_role("button", name="Gönder").click()
    page.get_by_text(f"{month} raporu gönderiliyor", exact=False).wait_for(timeout=30_000)
    page.get_by_role("button", name="Yeniden gönder").wait_for(timeout=120_000)
    from chalicelib.reports.formatting import month_name

    outbox = operator.run("local", "outbox", "--format", "json")
    subjects = [message["subject"] for message in json.loads(outbox.stdout)]
    assert any(month_name(month) in subject for subject in subjects), subjects  # "… — Ekim 2026 aylık raporu"

    page.get_by_role("button", name=f"{month} raporunu aç").click()
    frame = page.frame_locator(f'iframe[title="{month} raporu"]')
    frame.get_by_role("heading", name=re.compile("Aylık Rapor")).wait_for()
    assert page.locator("iframe.report-frame").get_attribute("sandbox") == "allow-same-origin"
    shoot(page, "13-report-opened")
    assert_accessible(page, "the report opened")

    with page.expect_download() as download:
        page.get_by_role("button", name="Çalışma kitabı (.xlsx)").first.click()
    saved = download.value
    assert saved.suggested_filename == f"cagri-rapor-{month}.xlsx"
    assert Path(saved.path()).read_bytes()[:2] == b"PK"  # a zip: the workbook

    # Sent: the button now resends, and says so before it does.
    page.get_by_role("button", name="Yeniden gönder").click()
    page.get_by_role("dialog", name=f"{month} raporunu yeniden gönder").get_by_text(
        "Yeniden göndermek aynı rapora ikinci bir e-posta gönderir", exact=False
    ).wait_for()
    shoot(page, "14-report-resend")
    assert_clean(page)

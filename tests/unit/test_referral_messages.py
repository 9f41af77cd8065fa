"""The referral e-mails: Turkish first, the caller's identity only with consent, nothing unescaped."""

from chalicelib.core.config import Settings
from chalicelib.referrals.messages import ReferralMailFacts, caller_answer, supervisor_escalation, unit_email

CFG = Settings()
FACTS = ReferralMailFacts(
    referral_id="rf-0123456789abcdef0123",
    reference="ÇİM-2026-000042",
    unit_tr="Öğrenci İşleri Daire Başkanlığı",
    unit_en="Student Affairs",
    category="başvuru",
    question='Harç iadesi ne zaman yapılır? <script>alert("x")</script> & "tırnak"',
    created_at="2026-10-13T07:00:00.000Z",
    due_at="2026-10-14T14:00:00.000Z",
    expires_at="2026-10-20T10:00:00.000Z",
    identity=None,
)
LINK = "https://cagri.example/reply/rf-0123456789abcdef0123.0.1792490400.abcdefghijklmnopqrstuvwxyz012345"


def test_the_unit_email_is_turkish_first_with_the_deadline_and_link():
    mail = unit_email(FACTS, "unit", "ogrenciisleri@ostimteknik.edu.tr", LINK, CFG)
    assert mail.subject == (
        "[ÇİM-2026-000042] Çağrı Merkezinden soru, yanıt 14.10.2026 17:00 tarihine kadar"
        " / Question from the Call Centre"
    )
    assert mail.recipients == ("ogrenciisleri@ostimteknik.edu.tr",)
    assert mail.text.index("Sayın") < mail.text.index("Dear") and mail.html.index("Sayın") < mail.html.index("Dear")
    for body in (mail.text, mail.html):
        assert "14 Ekim 2026 Çarşamba 17:00" in body and LINK in body and "Başvuru" in body
        assert "20 Ekim 2026 Salı 13:00" in body
    assert "Wednesday 14 October 2026, 17:00 (Istanbul time)" in mail.text


def test_the_question_is_escaped_in_html_and_verbatim_in_text():
    mail = unit_email(FACTS, "unit", "a@ostimteknik.edu.tr", LINK, CFG)
    assert "<script>" not in mail.html and "&lt;script&gt;" in mail.html and "&amp; &#34;tırnak&#34;" in mail.html
    assert FACTS.question in mail.text


def test_identity_only_with_consent():
    without = unit_email(FACTS, "unit", "a@ostimteknik.edu.tr", LINK, CFG)
    assert "paylaşılmamıştır" in without.text and "KVKK" in without.html
    shared = unit_email(
        FACTS.__class__(**{**FACTS.__dict__, "identity": "Zeynep Kaya, +905321234567"}),
        "unit",
        "a@ostimteknik.edu.tr",
        LINK,
        CFG,
    )
    assert "Zeynep Kaya, +905321234567" in shared.text and "açık rızasıyla" in shared.html


def test_reminder_and_escalation_say_so_first():
    reminder = unit_email(FACTS, "reminder", "a@ostimteknik.edu.tr", LINK, CFG)
    escalation = unit_email(FACTS, "escalation", "deputy@ostimteknik.edu.tr", LINK, CFG)
    assert reminder.subject.startswith("[ÇİM-2026-000042] Hatırlatma") and reminder.text.startswith("HATIRLATMA")
    assert escalation.subject.startswith("[ÇİM-2026-000042] Süresi geçti") and escalation.text.startswith(
        "SÜRESİ GEÇTİ"
    )


def test_the_supervisor_gets_dates_not_the_question():
    mail = supervisor_escalation(FACTS, "deputy@ostimteknik.edu.tr", CFG)
    assert mail.recipients == (CFG.supervisor_address,) and "Harç" not in mail.text
    assert "deputy@ostimteknik.edu.tr" in mail.text and "Öğrenci İşleri" in mail.subject


def test_the_caller_gets_question_and_answer_escaped():
    mail = caller_answer(FACTS, "Ekim sonunda. <b>kalın</b>", "ogrenci@example.com", None, CFG)
    assert mail.recipients == ("ogrenci@example.com",) and "Sayın Arayanımız" in mail.text
    assert "Ekim sonunda. <b>kalın</b>" in mail.text and "&lt;b&gt;kalın&lt;/b&gt;" in mail.html

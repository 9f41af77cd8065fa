"""The report's appendix: what each figure means, in Turkish and English (docs/figures.md's definitions),
with the thresholds the centre set (short abandon, service level and its target) written in."""

from __future__ import annotations

from chalicelib.core.config import Settings
from chalicelib.reports.formatting import fmt_num, fmt_pct_object
from chalicelib.reports.model import Definition
from chalicelib.reports.satisfaction import LOW_AVERAGE, MIN_RESPONSES


def definitions(cfg: Settings) -> dict[str, Definition]:
    """Each figure's definition by its dotted name, in the order the appendix lists them."""
    return {name: Definition(**texts) for name, texts in _texts(cfg).items()}


def _texts(cfg: Settings) -> dict[str, dict[str, str]]:
    short, seconds, target = cfg.short_abandon_seconds, cfg.service_level_seconds, cfg.service_level_target
    return {
        "contacts.total": {
            "tr": "Ay içinde (İstanbul saatiyle) başlatılan tüm temaslar; her kanal ve başlatma yöntemi.",
            "en": "Every contact initiated in the month (Istanbul time), any channel and initiation method.",
        },
        "calls.inbound": {
            "tr": "Gelen sesli çağrılar (kanal VOICE, başlatma yöntemi INBOUND): yönergenin çağrıları.",
            "en": "Inbound voice calls (channel VOICE, initiation method INBOUND): the directive's calls.",
        },
        "calls.queued": {
            "tr": "Temsilci kuyruğuna giren gelen çağrılar.",
            "en": "Inbound calls that entered an agent queue.",
        },
        "calls.answered": {
            "tr": "Cevaplanan çağrı (madde 4(b)): kuyruğa girip bir temsilciye bağlanan çağrı.",
            "en": "Answered call (art. 4(b)): queued and connected to an agent.",
        },
        "calls.abandoned": {
            "tr": "Kaybedilen çağrı (madde 4(a)): kuyruğa girip bir temsilciye ulaşmadan arayanın kapattığı çağrı.",
            "en": "Lost call (art. 4(a)): queued, and the caller hung up before reaching an agent.",
        },
        "calls.short_abandoned": {
            "tr": f"Kaybedilenlerden kuyrukta {short} saniyeden az bekleyenler (yanlış arama, anında vazgeçme).",
            "en": f"Lost calls that waited under {short} s in queue (misdials, instant changes of mind).",
        },
        "calls.system_dropped": {
            "tr": "Sistem ya da hat arızasıyla (TELECOM_PROBLEM) kuyrukta veya temsilcideyken kesilen çağrılar "
            "(madde 6(6), 8(ç)); kapsam dışı olanlar dışında hepsi geri aranır (madde 6(5)).",
            "en": "Calls cut off by a system or line fault (TELECOM_PROBLEM), in queue or with an agent "
            "(art. 6(6), 8(ç)); every one is called back except those out of scope (art. 6(5)).",
        },
        "calls.queue_exits_other": {
            "tr": "Kuyruktan temsilciye bağlanmadan başka yolla çıkanlar (ör. geri aranmayı seçen arayan).",
            "en": "Queued, never connected, ended otherwise (e.g. the caller chose a callback).",
        },
        "calls.abandon_rate": {"tr": "Kaybedilen / kuyruğa giren.", "en": "Abandoned / queued."},
        "calls.service_level": {
            "tr": f"Hizmet düzeyi: {seconds} saniye içinde cevaplanan / kuyruğa giren.",
            "en": f"Service level: answered within {seconds} s / queued.",
        },
        "calls.asa_seconds": {
            "tr": "Ortalama cevaplama süresi: cevaplanan çağrıların kuyrukta ortalama bekleme süresi (saniye).",
            "en": "Average speed of answer: mean queue wait of answered calls (seconds).",
        },
        "calls.avg_abandon_seconds": {
            "tr": "Kaybedilen çağrıların kuyrukta ortalama bekleme süresi (saniye).",
            "en": "Mean queue wait of lost calls (seconds).",
        },
        "calls.aht_seconds": {
            "tr": "Ortalama işlem süresi: görüşme + bekletme + görüşme sonrası iş (saniye), çağrı kaydı olan "
            "cevaplanan çağrılar üzerinden.",
            "en": "Average handle time: talk + hold + after-contact work (seconds), over answered calls with a "
            "contact record.",
        },
        "queue_wait": {
            "tr": "Kuyrukta bekleme: çağrı kaydındaki Queue.Duration; kaydı olmayan çağrıda kuyruğa giriş ile "
            "temsilciye bağlanma (ya da kapanma) arası.",
            "en": "Queue wait: Queue.Duration of the contact record; without one, enqueue to agent connection "
            "(or to disconnect).",
        },
        "out_of_scope": {
            "tr": "Üniversitenin görev alanı dışında kalıp nazikçe kapatılan temaslar (madde 6(5), 8(c)).",
            "en": "Contacts outside the university's remit, closed politely (art. 6(5), 8(c)).",
        },
        "staffing": {
            "tr": "Gereken temsilci: ölçülen saatlik çağrı sayısı ve ortalama işlem süresiyle Erlang C "
            f"modeline göre çağrıların {fmt_pct_object(target)} {seconds} saniyede cevaplamak için gereken en "
            "az temsilci. Çalışan temsilci: temsilci olay akışına göre o saatte oturumu açık olup Müsait ya da "
            "görüşmede geçen süre (saatte ortalama temsilci sayısı); olay akışı olmayan günlerde o saatte en az "
            "bir temas alan temsilciler (kayıtlardan, bir tahmin).",
            "en": f"Agents needed: the fewest agents for {target * 100:.0f} % of calls answered within {seconds} s "
            "(Erlang C) at the measured calls per hour and handle time. Agents at work: from the agent event "
            "stream, the time agents were logged in and available or on a contact in that hour (agents on "
            "average); on days without agent events, those who took at least one contact in that hour (from "
            "the records, a guess).",
        },
        "agents_time": {
            "tr": "Temsilci oturum süresi: temsilci olay akışında LOGIN ile LOGOUT arası; çıkış yapılmadan "
            "bırakılan oturum son olaydan (temsilci sessizken Connect 120 saniyede bir HEART_BEAT gönderir) 120 "
            "saniye sonra kapanmış sayılır. İstanbul saatiyle aya kırpılır; saat, iki ondalık.",
            "en": "Agents' logged-in time: from LOGIN to LOGOUT in the agent event stream; a session left without "
            "a logout ends 120 s after its last event (Connect sends a HEART_BEAT every 120 s of silence). "
            "Clipped to the month in Istanbul time; hours, two decimals.",
        },
        "occupancy": {
            "tr": "Doluluk: görüşmede geçen süre (bekletme ve görüşme sonrası iş dahil) ÷ (görüşmede geçen süre + "
            "Müsait olup çağrı bekleyerek geçen süre). Mola, eğitim ve Müsait dışındaki her durum paydaya girmez. "
            "Bir hafta %85'in üzerinde ya da %50'nin altında kalırsa bulgu olarak yazılır.",
            "en": "Occupancy: time on contacts (hold and after-contact work included) ÷ (that + time available and "
            "waiting). Breaks, training and every status other than Available are left out. A week above 85 % "
            "or below 50 % is a finding.",
        },
        "callbacks": {
            "tr": "Geri aramalar ayın içinde doğanlardır; SLA: sistem kesintisinde 2 mesai saati, diğerlerinde "
            "1 iş günü. Mesai dışında arayıp “açılınca arayın” diyenler açılışta, sistem kesintilerinin hemen "
            "ardından aranır.",
            "en": "Callbacks raised in the month; SLA: 2 working hours for system drops, 1 working day otherwise. "
            "Callers who asked out of hours to be called when the centre opens are rung at the opening, right "
            "after the system drops.",
        },
        "referrals": {
            "tr": "Yönlendirmeler ayın içinde açılanlardır (madde 6(7), 8(d)). Birim yanıt süresi, sorunun birime "
            "gönderilmesinden yanıta kadar geçen mesai saatidir (hafta sonu, tatil ve mesai dışı sayılmaz); "
            "geciken: yanıtı son tarihten sonra gelen ya da ay içinde son tarihi geçip hâlâ yanıtlanmayan. "
            "Aramadan dönüşe: arayanın çağrısından yanıtın kendisine iletilmesine kadar geçen mesai saati.",
            "en": "Referrals opened in the month (art. 6(7), 8(d)). Unit turnaround is the working time from sending "
            "the question to the unit's answer (weekends, holidays and closed hours do not count); late: answered "
            "after the deadline, or past it within the month and still unanswered. Call to return: working time "
            "from the caller's call to the answer reaching them.",
        },
        "satisfaction": {
            "tr": "Memnuniyet (madde 5(1)–(3)): temsilci görüşmeyi bitirdiğinde hatta kalan arayana sorulan "
            "ankete göre. Yanıt: cevaplanan gelen çağrılardan 1 ile 5 arasında puan verilenler; yanıt oranı: "
            "yanıt / cevaplanan çağrı; sorunu çözülen: “evet” / (“evet” + “hayır”). 1–5 dışındaki değerler "
            f"yanıt sayılmaz, geçersiz olarak sayılır. En az {MIN_RESPONSES} yanıtla ortalaması "
            f"{fmt_num(LOW_AVERAGE)} altında kalan konu ya da saat düşük puanlı sayılır.",
            "en": "Satisfaction (art. 5(1)–(3)): the survey a caller hears on staying on the line when the agent "
            "ends the call. Response: an answered inbound call scored 1 to 5; response rate: responses / "
            "answered calls; resolved: yes / (yes + no). Values outside 1–5 are no response and are counted as "
            f"invalid. A category or hour averaging below {LOW_AVERAGE} over at least {MIN_RESPONSES} responses "
            "scores low.",
        },
    }

"""What the report calls things, in Turkish: channels, initiation methods, callback reasons, console
fault kinds, the definitions' terms and the headline figures (with which way is better)."""

from __future__ import annotations

CHANNEL_LABELS = {
    "VOICE": "sesli çağrı",
    "CHAT": "sohbet",
    "TASK": "görev",
    "EMAIL": "e-posta",
    "UNKNOWN": "bilinmeyen",
    "UNRECOGNISED": "okunamayan",
}
METHOD_LABELS = {
    "INBOUND": "gelen",
    "OUTBOUND": "giden",
    "API": "API ile açılan",
    "CALLBACK": "geri arama",
    "TRANSFER": "aktarma",
    "QUEUE_TRANSFER": "kuyruk aktarması",
    "UNKNOWN": "bilinmeyen",
    "UNRECOGNISED": "okunamayan",
}
CALLBACK_REASONS = {"system_drop": "Sistem kesintisi", "requested": "Arayanın isteği", "abandoned": "Kaybedilen çağrı"}
INCIDENT_CATEGORIES = {
    "headset": "kulaklık",
    "computer": "bilgisayar",
    "network": "ağ",
    "ccp": "CCP",
    "software": "yazılım",
    "other": "diğer",
}
DEFINITION_LABELS = {
    "contacts.total": "Toplam temas",
    "calls.inbound": "Gelen çağrı",
    "calls.queued": "Kuyruğa giren",
    "calls.answered": "Cevaplanan çağrı",
    "calls.abandoned": "Kaybedilen çağrı",
    "calls.short_abandoned": "Kısa süreli kaybedilen",
    "calls.system_dropped": "Sistem kesintisi",
    "calls.queue_exits_other": "Kuyruktan başka çıkış",
    "calls.abandon_rate": "Kaybedilen oranı",
    "calls.service_level": "Hizmet düzeyi",
    "calls.asa_seconds": "Ortalama cevaplama süresi",
    "calls.avg_abandon_seconds": "Ortalama vazgeçme süresi",
    "calls.aht_seconds": "Ortalama işlem süresi",
    "queue_wait": "Kuyrukta bekleme",
    "out_of_scope": "Kapsam dışı temas",
    "staffing": "Personel hesabı",
    "agents_time": "Temsilci oturum süresi",
    "occupancy": "Doluluk",
    "callbacks": "Geri arama",
    "referrals": "Yönlendirme",
    "satisfaction": "Memnuniyet",
}

# The headline figures (model.HEADLINE, in its order): label, kind (a count, a rate, seconds or a 1–5
# score), which way is better (+1 up, -1 down, 0 neither).
METRICS: dict[str, tuple[str, str, int]] = {
    "contacts.total": ("Toplam temas", "count", 0),
    "calls.inbound": ("Gelen çağrı", "count", 0),
    "calls.answered": ("Cevaplanan çağrı", "count", 0),
    "calls.abandoned": ("Kaybedilen çağrı", "count", -1),
    "calls.system_dropped": ("Sistem kesintisi", "count", -1),
    "calls.abandon_rate": ("Kaybedilen oranı", "rate", -1),
    "calls.service_level": ("Hizmet düzeyi", "rate", 1),
    "calls.asa_seconds": ("Ort. cevaplama süresi", "seconds", -1),
    "calls.aht_seconds": ("Ort. işlem süresi", "seconds", 0),
    "out_of_scope": ("Kapsam dışı temas", "count", 0),
    "satisfaction.response_rate": ("Anket yanıt oranı", "rate", 0),
    "satisfaction.average": ("Memnuniyet puanı (1–5)", "score", 1),
    "satisfaction.resolved_rate": ("Sorunu çözülen (ankete göre)", "rate", 1),
}
# The headline figures shown as tiles at the top of the e-mail.
TILES = (
    "calls.inbound",
    "calls.service_level",
    "calls.abandon_rate",
    "calls.asa_seconds",
    "calls.aht_seconds",
    "calls.system_dropped",
)

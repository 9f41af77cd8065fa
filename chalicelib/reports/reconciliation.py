"""Pure: the month's figures beside Amazon Connect's own (GetMetricDataV2), and why they differ, figure by figure.

Connect and the directive count on purpose differently (docs/report.md, "Beside Amazon Connect's own"):
- whom: Connect counts every voice contact in the instance's queues (the calls our callbacks place, transfers,
  outbound calls); the report counts the callers (VOICE + INBOUND);
- when: Connect files a contact under the interval its record closed (its disconnect); the report under the
  Istanbul month it began;
- abandoned: to Connect, every queued contact that left the queue without an agent (its own queued callbacks
  aside), so system drops in the queue and callers the flow took out of it (a callback) too; to the directive
  only the caller hanging up (4(a));
- service level: Connect counts a contact removed from the queue within X s however it left (answered, hung
  up, a callback); the report counts only those answered within X s;
- handle time: Connect averages every handled voice contact, the report the callers'.

`connect_counts` is how Connect counts one contact (the simulated Connect sums it; the tests hold it to
Connect's documented definitions); `our_counts` how the report does (docs/figures.md). `Tally` feeds on the
month's records beside the report's own aggregates and files every contact the two count differently under
its reason; `reconcile` sets Connect's answer beside ours plus those reasons. A difference they account for
is explained, with the breakdown; what remains is a finding, never a footnote.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict

from chalicelib.contacts.merge import ContactRecord
from chalicelib.core.times import iso
from chalicelib.reports.formatting import fmt_int, fmt_num, fmt_pct, fmt_secs
from chalicelib.reports.model import Adjustment, ReconciledFigure, Reconciliation

if TYPE_CHECKING:
    from chalicelib.adapters.connect import HistoricalFigures

# Connect answers a rate in percent and an average in seconds, with decimals of its own rounding.
SERVICE_LEVEL_TOLERANCE = 0.0005  # half a tenth of a point
AHT_TOLERANCE_SECONDS = 0.5

COUNTS = ("queued", "handled", "abandoned")
FIGURES = (*COUNTS, "service_level", "aht_seconds")
METRIC_NAMES = {  # what each figure is called in GetMetricDataV2, for the reader who checks it in Connect
    "queued": "CONTACTS_QUEUED",
    "handled": "CONTACTS_HANDLED",
    "abandoned": "CONTACTS_ABANDONED",
    "service_level": "SERVICE_LEVEL",
    "aht_seconds": "AVG_HANDLE_TIME",
}
LABELS = {  # (Turkish, English); {x}: the service level's seconds
    "queued": ("Kuyruğa giren", "Contacts queued"),
    "handled": ("Cevaplanan (Connect: işlenen)", "Answered (Connect: handled)"),
    "abandoned": ("Kaybedilen (Connect: terk edilen)", "Lost (Connect: abandoned)"),
    "service_level": ("Hizmet düzeyi ({x} sn)", "Service level ({x} s)"),
    "aht_seconds": ("Ortalama işlem süresi", "Average handle time"),
}
REASONS = {  # why a contact counts in one and not the other: (Turkish, English)
    "callback_calls": (
        "sistemin geri arama için başlattığı aramalar (Connect bunları da sayar)",
        "the calls our callbacks placed (Connect counts them too)",
    ),
    "transfers": ("aktarılan temaslar (Connect her aktarmayı ayrı temas sayar)", "transfers (a new contact each)"),
    "outbound": ("temsilcilerin yaptığı giden aramalar", "outbound calls agents made"),
    "other_methods": ("başka yolla başlayan sesli temaslar", "voice contacts initiated otherwise"),
    "system_drops_in_queue": (
        "kuyrukta sistem kesintisiyle düşen çağrılar (bizde sistem kesintisi, madde 6(6))",
        "calls cut off by a system fault in the queue (ours: system drops, 6(6))",
    ),
    "left_queue_by_flow": (
        "akışın kuyruktan çıkardığı çağrılar (geri arama isteyenler; bizde kayıp değil)",
        "calls the flow took out of the queue (callback requests; not lost to us)",
    ),
    "abandoned_within": (
        "arayanın {x} sn dolmadan kapattığı çağrılar (kısa süreli kaybedilenler dahil)",
        "callers who hung up within {x} s (short abandons included)",
    ),
    "outside_queues": ("kuyruğu bilinmeyen çağrılar", "calls whose queue is not known"),
    "earlier_month": (
        "önceki ay başlayıp bu ay biten temaslar (Connect bir teması bittiği zamana yazar)",
        "contacts begun last month and ended in this one (Connect files a contact when it ends)",
    ),
    "later_month": ("bu ay başlayıp sonraki ay biten temaslar", "contacts begun this month and ended in the next"),
    "in_progress": (
        "bitişi bizde kayıtlı olmayan temaslar (hâlâ sürüyor ya da sonu bize ulaşmadı; Connect biteni sayar)",
        "contacts whose end we have not recorded (still going, or their end never reached us; Connect counts "
        "those that ended)",
    ),
    "other": ("başka nedenler", "other reasons"),
}
_METHOD_REASONS = {
    "CALLBACK": "callback_calls",
    "TRANSFER": "transfers",
    "QUEUE_TRANSFER": "transfers",
    "EXTERNAL_OUTBOUND": "outbound",
    "OUTBOUND": "outbound",
}
PROBLEMS = {  # why Connect could not be asked: (Turkish, English)
    "not_configured": (
        "bu ortamda bir Amazon Connect örneği tanımlı değil",
        "no Amazon Connect instance is configured for this stage",
    ),
    "local_without_twin": (
        "yerel ortamda Amazon Connect simüle edilir ve bu rapor simüle Connect olmadan hazırlandı",
        "on the local stage Amazon Connect is simulated, and this report was built without the simulation",
    ),
    "no_history": (
        "Connect bu dönemin rakamlarını tutmuyor (yalnızca son 3 ayı saklar)",
        "Connect keeps no figures for this period (it keeps the last 3 months)",
    ),
    "unavailable": (
        "Connect şu an yanıt vermedi; rapor yeniden oluşturulduğunda tekrar sorulur",
        "Connect did not answer; it is asked again when the report is rebuilt",
    ),
    "refused": ("Connect isteği reddetti", "Connect refused the request"),
    "not_asked": ("bu rapor oluşturulurken Connect'e sorulmadı", "Connect was not asked when this report was built"),
}


BEFORE_THE_SECTION = "Bu rapor Connect karşılaştırmasından önce hazırlandı."


@dataclass(frozen=True)
class ConnectAnswer:
    """What asking Connect gave: its figures, or the problem that kept them away (PROBLEMS) and its detail."""

    figures: HistoricalFigures | None = None
    problem: str | None = None
    detail: str | None = None  # Connect's error code and request id: no personal data in a metrics request


@dataclass(frozen=True)
class Counted:
    """How one contact counts: queued, handled, abandoned, out of the queue within X s, its handle time."""

    queued: bool = False
    handled: bool = False
    abandoned: bool = False
    within: bool = False
    handle: float | None = None  # seconds, when handled and known (only a trace record carries it)


NOTHING = Counted()


def connect_counts(r: ContactRecord, start: datetime, end: datetime, threshold: float) -> Counted:
    """Connect's definitions for what the report asks (voice contacts in the instance's queues, filed by
    their disconnect within [start, end)): queued = placed in a queue, whatever started it; handled =
    connected to an agent; abandoned = left the queue without an agent, whatever ended it; within = left
    the queue within X s, however; handle time of every handled contact."""
    if r.channel != "VOICE" or r.queue_arn is None or not r.ended or r.disconnected_at is None:
        return NOTHING
    if not start <= r.disconnected_at < end:
        return NOTHING
    wait = r.queue_seconds
    return Counted(
        queued=r.queued,
        handled=r.connected,
        abandoned=r.queued and not r.connected,
        within=r.queued and wait is not None and wait <= threshold,
        handle=r.handle_seconds if r.connected else None,
    )


def our_counts(r: ContactRecord, threshold: float) -> Counted:
    """The report's own (docs/figures.md), for a contact of the month: callers (VOICE + INBOUND) queued;
    answered; lost (4(a)); answered within X s; handle time of the answered."""
    if not (r.is_inbound_call and r.queued):
        return NOTHING
    wait = r.queue_seconds
    return Counted(
        queued=True,
        handled=r.connected,
        abandoned=r.abandoned,
        within=r.connected and wait is not None and wait <= threshold,
        handle=r.handle_seconds if r.connected else None,
    )


def reason(r: ContactRecord, of_the_month: bool, end: datetime) -> str:
    """Why Connect may count this contact differently from the report (REASONS)."""
    if not of_the_month:
        return "earlier_month"
    if not r.ended or r.disconnected_at is None:
        return "in_progress"
    if r.disconnected_at >= end:
        return "later_month"
    method = r.initiation_method or ""
    if method != "INBOUND":
        return "callback_calls" if r.callback_id else _METHOD_REASONS.get(method, "other_methods")
    if r.queue_arn is None:
        return "outside_queues"
    if r.system_dropped and not r.connected:
        return "system_drops_in_queue"
    if r.queue_exit_other:
        return "left_queue_by_flow"
    if r.abandoned:
        return "abandoned_within"
    return "other"


@dataclass
class _Adjust:
    contacts: int = 0
    within: int = 0
    seconds: float = 0.0


@dataclass
class _Ours:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    within: int = 0
    handle_total: float = 0.0
    handle_count: int = 0


@dataclass
class Tally:
    """One pass beside the report's aggregates: our figures, and every difference from Connect's by reason."""

    start: datetime
    end: datetime
    threshold: float
    ours: _Ours = field(default_factory=_Ours)
    adjust: dict[str, dict[str, _Adjust]] = field(
        default_factory=lambda: {name: defaultdict(_Adjust) for name in FIGURES}
    )

    def add(self, r: ContactRecord, *, of_the_month: bool = True) -> None:
        """A contact of the month, or (of_the_month=False) one begun before it that may have ended in it."""
        ours = our_counts(r, self.threshold) if of_the_month else NOTHING
        theirs = connect_counts(r, self.start, self.end, self.threshold)
        for name in COUNTS:
            self.ours.counts[name] += getattr(ours, name)
        self.ours.within += ours.within
        if ours.handle is not None:
            self.ours.handle_total += ours.handle
            self.ours.handle_count += 1
        if ours == theirs:
            return
        why = reason(r, of_the_month, self.end)
        for name in COUNTS:
            self.adjust[name][why].contacts += getattr(theirs, name) - getattr(ours, name)
        service_level = self.adjust["service_level"][why]
        service_level.contacts += theirs.queued - ours.queued
        service_level.within += theirs.within - ours.within
        aht = self.adjust["aht_seconds"][why]
        aht.contacts += (theirs.handle is not None) - (ours.handle is not None)
        aht.seconds += (theirs.handle or 0.0) - (ours.handle or 0.0)


def _adjustments(found: dict[str, _Adjust], kind: str) -> list[Adjustment]:
    out = []
    for key, a in sorted(found.items(), key=lambda kv: (-abs(kv[1].contacts), kv[0])):
        if not (a.contacts or (kind == "service_level" and a.within) or (kind == "aht_seconds" and a.seconds)):
            continue
        out.append(
            Adjustment(
                reason=key,
                contacts=a.contacts,
                within=a.within if kind == "service_level" else None,
                seconds=round(a.seconds, 1) if kind == "aht_seconds" else None,
            )
        )
    return out


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _signed(n: float) -> str:
    return ("+" if n > 0 else "−" if n < 0 else "") + fmt_int(abs(n))


def _signed_en(n: float) -> str:
    return f"{n:+,.0f}".replace("-", "−")


def _label(kind: str, x: int) -> tuple[str, str]:
    tr, en = LABELS[kind]
    return tr.format(x=x), en.format(x=x)


def _reason(key: str, x: int) -> tuple[str, str]:
    tr, en = REASONS.get(key, (key, key))
    return tr.format(x=x), en.format(x=x)


def _parts(adjustments: list[Adjustment], kind: str, x: int) -> tuple[str, str]:
    """The breakdown, one clause per reason, in both languages."""
    tr, en = [], []
    for a in adjustments:
        r_tr, r_en = _reason(a.reason or "other", x)
        n = a.contacts or 0
        if kind == "service_level":
            within = a.within or 0
            counts_tr = [f"kuyruğa giren {_signed(n)}"] * bool(n) + [f"{x} sn içinde çıkan {_signed(within)}"] * bool(
                within
            )
            counts_en = [f"queued {_signed_en(n)}"] * bool(n) + [f"out within {x} s {_signed_en(within)}"] * bool(
                within
            )
            tr.append(f"{r_tr}: {', '.join(counts_tr)}")
            en.append(f"{r_en}: {', '.join(counts_en)}")
        elif kind == "aht_seconds":
            mean = (a.seconds or 0.0) / n if n else None
            tr.append(f"{r_tr}: {_signed(n)} görüşme" + (f", ortalama {fmt_secs(abs(mean))}" if mean else ""))
            en.append(f"{r_en}: {_signed_en(n)} calls" + (f", {abs(mean):.0f} s on average" if mean else ""))
        else:
            tr.append(f"{_signed(n)} {r_tr}")
            en.append(f"{_signed_en(n)} {r_en}")
    return "; ".join(tr), "; ".join(en)


def _show(kind: str, value: float | None) -> tuple[str, str]:
    if value is None:
        return "—", "—"
    if kind == "service_level":
        return fmt_pct(value), f"{value:.1%}"
    if kind == "aht_seconds":
        return fmt_secs(value), f"{value:.1f} s"
    return fmt_int(value), f"{value:,.0f}"


def _sentences(figure: ReconciledFigure, x: int) -> tuple[str, str]:
    kind = figure.key or ""
    label_tr, label_en = _label(kind, x)
    ours_tr, ours_en = _show(kind, figure.ours)
    theirs_tr, theirs_en = _show(kind, figure.connect)
    head_tr = f"{label_tr}: bizde {ours_tr}, Connect'te {theirs_tr}"
    head_en = f"{label_en}: ours {ours_en}, Connect's {theirs_en}"
    if figure.connect is None and figure.explained is None:
        return f"{head_tr}; Connect bu rakamı vermedi.", f"{head_en}; Connect gave no value."
    parts_tr, parts_en = _parts(figure.adjustments, kind, x)
    expected_tr, expected_en = _show(kind, figure.expected)
    if figure.explained:
        if not figure.adjustments:
            return f"{head_tr}: aynı.", f"{head_en}: the same."
        if kind in COUNTS:
            diff = (figure.connect or 0) - (figure.ours or 0)
            if not diff:
                return (
                    f"{head_tr}: aynı; bilinen farklar birbirini götürüyor ({parts_tr}).",
                    f"{head_en}: the same; the known differences cancel out ({parts_en}).",
                )
            return (
                f"{head_tr} ({_signed(diff)}). Fark bilinen nedenlerle tamamen açıklanıyor: {parts_tr}.",
                f"{head_en} ({_signed_en(diff)}). The known reasons account for all of it: {parts_en}.",
            )
        return (
            f"{head_tr}. Fark bilinen nedenlerle açıklanıyor ({parts_tr}); Connect'in hesabıyla beklenen "
            f"{expected_tr}.",
            f"{head_en}. The known reasons account for it ({parts_en}); Connect's way, {expected_en} was expected.",
        )
    known_tr = f" Bilinen nedenlerle beklenen {expected_tr} ({parts_tr})." if figure.adjustments else ""
    known_en = f" The known reasons give {expected_en} ({parts_en})." if figure.adjustments else ""
    if kind in COUNTS:
        rest = abs(figure.unexplained or 0)
        unexplained_tr = f"{fmt_int(rest)} temasın farkı açıklanamıyor."
        unexplained_en = f"{rest:,.0f} {'contact is' if rest == 1 else 'contacts are'} unaccounted for."
    elif kind == "service_level" and figure.unexplained is not None:
        points = abs(figure.unexplained) * 100
        unexplained_tr = f"{fmt_num(points, 1)} puanlık fark açıklanamıyor."
        unexplained_en = f"{points:.1f} points are unaccounted for."
    elif figure.unexplained is not None:
        unexplained_tr = f"{fmt_secs(abs(figure.unexplained))} fark açıklanamıyor."
        unexplained_en = f"{abs(figure.unexplained):.1f} s are unaccounted for."
    else:
        unexplained_tr = "Birinde değer var, ötekinde yok: fark açıklanamıyor."
        unexplained_en = "One has a value and the other none: unaccounted for."
    return (
        f"BULGU — {head_tr}.{known_tr} {unexplained_tr}",
        f"FINDING — {head_en}.{known_en} {unexplained_en}",
    )


def _figure(kind: str, tally: Tally, figures: HistoricalFigures, x: int) -> ReconciledFigure:
    found = _adjustments(tally.adjust[kind], kind)
    ours, theirs = tally.ours, getattr(figures, kind)
    if kind in COUNTS:
        mine = ours.counts[kind]
        expected: float | None = mine + sum(a.contacts or 0 for a in found)
        unexplained = None if theirs is None else theirs - expected
        explained = None if theirs is None else unexplained == 0
        value: float | None = mine
    else:
        part: float
        extra_part: float
        if kind == "service_level":
            part, whole = ours.within, ours.counts["queued"]
            extra_part, extra_whole = sum(a.within or 0 for a in found), sum(a.contacts or 0 for a in found)
            tolerance, digits = SERVICE_LEVEL_TOLERANCE, 4
        else:
            part, whole = ours.handle_total, ours.handle_count
            extra_part, extra_whole = sum(a.seconds or 0.0 for a in found), sum(a.contacts or 0 for a in found)
            tolerance, digits = AHT_TOLERANCE_SECONDS, 1
        mean = _ratio(part, whole)
        # Ours exactly as the report's calls block holds it (the service level whole, handle time to 0.1 s).
        value = None if mean is None else mean if kind == "service_level" else round(mean, digits)
        exact = _ratio(part + extra_part, whole + extra_whole)
        expected = None if exact is None else round(exact, digits)
        if theirs is None or exact is None:
            unexplained, explained = None, theirs is None and exact is None
        else:
            unexplained = round(theirs - exact, digits)
            explained = abs(theirs - exact) <= tolerance
    figure = ReconciledFigure(
        key=kind,
        metric=METRIC_NAMES[kind],
        ours=value,
        connect=theirs,
        expected=expected,
        unexplained=unexplained,
        explained=explained,
        adjustments=found,
    )
    tr, en = _sentences(figure, x)
    return replace(figure, tr=tr, en=en)


class _Window(TypedDict):
    start: str
    end: str
    timezone: str
    threshold_seconds: int


def reconcile(tally: Tally, answer: ConnectAnswer | None, timezone: str) -> Reconciliation:
    """The report's section: Connect's figures beside ours with the reasons, or why Connect was not asked."""
    x = round(tally.threshold)
    window = _Window(start=iso(tally.start), end=iso(tally.end), timezone=timezone, threshold_seconds=x)
    if answer is None:
        answer = ConnectAnswer(problem="not_asked")
    if answer.figures is None:
        problem = answer.problem or "unavailable"
        why_tr, why_en = PROBLEMS.get(problem, PROBLEMS["unavailable"])
        detail = f" ({answer.detail})" if answer.detail else ""
        return Reconciliation(
            status="unavailable",
            problem=problem,
            detail=answer.detail,
            **window,
            tr=f"Amazon Connect'in kendi rakamları alınamadı: {why_tr}{detail}. "
            "Raporun rakamları kendi kayıtlarımızdan.",
            en=f"Amazon Connect's own figures could not be had: {why_en}{detail}. "
            "The report's figures are from our own records.",
        )
    figures = answer.figures
    rows = [_figure(kind, tally, figures, x) for kind in FIGURES]
    unexplained = [row for row in rows if row.explained is False]
    simulated_tr = " Rakamlar yerel ortamın simüle Connect'inden." if figures.source == "simulated" else ""
    simulated_en = (
        " The figures come from the local stage's simulated Connect." if figures.source == "simulated" else ""
    )
    if unexplained:
        verdict_tr = f"{len(unexplained)} rakamdaki fark bilinen nedenlerle açıklanamıyor: bu bir bulgudur."
        verdict_en = f"The known reasons do not account for {len(unexplained)} of the figures: that is a finding."
    else:
        verdict_tr = "Her farkın nedeni biliniyor ve aşağıda yazılı."
        verdict_en = "Every difference has a known reason, written out below."
    return Reconciliation(
        status="compared",
        source=figures.source,
        **window,
        queues=figures.queues,
        tr=(
            f"Amazon Connect'in kendi geçmiş rakamları (GetMetricDataV2: ayın tamamı, {timezone} saat diliminde, "
            f"sesli temaslar, {figures.queues} kuyruk) bizimkilerin yanında. {verdict_tr} Connect'in "
            "konsolundaki raporlar başka bir saat diliminde (ör. UTC) alınırsa ay sınırı kayar; burada "
            f"Connect'e İstanbul ayı soruldu.{simulated_tr}"
        ),
        en=(
            f"Amazon Connect's own historical figures (GetMetricDataV2: the whole month in {timezone} time, "
            f"voice contacts, {figures.queues} queues) beside ours. {verdict_en} Connect's console reports run in "
            "another time zone (UTC, say) shift the month's edges; Connect was asked for the Istanbul month "
            f"here.{simulated_en}"
        ),
        figures=rows,
    )


def finding(section: Reconciliation) -> tuple[str, str] | None:
    """The findings' sentence when a difference from Connect has no known reason (tr, en); None otherwise."""
    unexplained = [row for row in section.figures if row.explained is False]
    if not unexplained:
        return None
    x = section.threshold_seconds or 20
    tr, en = [], []
    for row in unexplained:
        kind = row.key or ""
        label_tr, label_en = _label(kind, x)
        (ours_tr, ours_en), (theirs_tr, theirs_en) = _show(kind, row.ours), _show(kind, row.connect)
        expected_tr, expected_en = _show(kind, row.expected)
        tr.append(f"{label_tr}: Connect'te {theirs_tr}, bizde {ours_tr} (bilinen nedenlerle beklenen {expected_tr})")
        en.append(f"{label_en}: {theirs_en} in Connect, {ours_en} here ({expected_en} expected for the known reasons)")
    return (
        "Amazon Connect'in kendi rakamlarıyla bilinen nedenlerle açıklanamayan fark var: "
        + "; ".join(tr)
        + ". Kaydı bize ulaşmamış temaslar olabilir: veri akışlarını ve teslim edilemeyen kayıtları kontrol edin.",
        "Amazon Connect's own figures differ from ours beyond the known reasons: "
        + "; ".join(en)
        + ". Contacts whose records never reached us may be missing: check the data feeds and the dead letters.",
    )


def _difference(kind: str, ours: float | None, theirs: float | None) -> str:
    if ours is None or theirs is None:
        return "—"
    if kind == "service_level":
        points = (theirs - ours) * 100
        return ("+" if points > 0 else "−" if points < 0 else "") + f"{fmt_num(abs(points), 1)} puan"
    if kind == "aht_seconds":
        return ("+" if theirs > ours else "−" if theirs < ours else "") + fmt_secs(abs(theirs - ours))
    return _signed(theirs - ours)


def _verdict(row: ReconciledFigure) -> str:
    if row.explained is None:
        return "karşılaştırılamadı"
    if not row.explained:
        return "BULGU"
    return "açıklanıyor" if row.adjustments else "aynı"


def view(section: Reconciliation) -> dict[str, Any]:
    """What the e-mail, its text and the workbook show of the section (a report stored before it says so)."""
    if section.status is None:
        return {"lead": BEFORE_THE_SECTION, "rows": []}
    x = section.threshold_seconds or 20
    rows = []
    for row in section.figures:
        kind = row.key or ""
        rows.append(
            {
                "key": kind,
                "label": _label(kind, x)[0],
                "metric": row.metric,
                "ours": _show(kind, row.ours)[0],
                "connect": _show(kind, row.connect)[0],
                "difference": _difference(kind, row.ours, row.connect),
                "verdict": _verdict(row),
                "alert": row.explained is False,
                "text": row.tr or "",
            }
        )
    return {"lead": section.tr or "", "rows": rows}

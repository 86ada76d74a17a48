"""The findings of a checkup: short sentences, in Italian and English, that a union officer can act
on: what every comune already has (a base for managing it together), each gap with the calls for
it, the money assigned and not yet disbursed, the renounced projects, the measures the sources
cannot tell about, the union's own projects and where the union stands among the others."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ..pnrr.indicators import ASSIGNED, RENOUNCED, Standing
from .dumps import CallRow
from .labels import amount, day, number, region_name, status
from .model import Checkup, Finding, Gap

__all__ = ["findings"]

_CLOSED = "TERMINATO"


def _and(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" e " if lang == "it" else " and ") + items[-1]


def _both(key: str, it: str, en: str) -> Finding:
    return Finding(key, " ".join(it.split()), " ".join(en.split()))


def _names(c: Checkup, codes: Iterable[str]) -> list[str]:
    return [c.member(i).name for i in codes]


def _shared_base(c: Checkup) -> Finding | None:
    everyone = [cov.measure for cov in c.figures.coverage if cov.members and len(cov.covered) == cov.members]
    if not everyone or len(c.members) < 2:
        return None
    n = len(c.members)
    return _both(
        "shared-base",
        f"Tutti i {n} comuni hanno progetti finanziati per {_and(everyone, 'it')}: una base comune su cui "
        "l'Unione può organizzare la gestione associata di questi servizi digitali.",
        f"All {n} comuni have funded projects for {_and(everyone, 'en')}: a common base on which the union can "
        "organise the joint management of these digital services.",
    )


def _call_text(calls: tuple[CallRow, ...], lang: str) -> str:
    if not calls:
        return (
            "nei dati non c'è alcun avviso per i comuni su questa misura"
            if lang == "it"
            else "the data have no call for comuni on this measure"
        )
    open_calls = [k for k in calls if (k.state or "").upper() != _CLOSED]
    last = max(calls, key=lambda k: (k.end or k.start or k.title, k.title))
    if open_calls:
        k = open_calls[-1]
        return (
            f"avviso aperto: «{k.title}» fino al {day(k.end, 'it')}"
            if lang == "it"
            else f"open call: “{k.title}” until {day(k.end, 'en')}"
        )
    return (
        f"gli avvisi per i comuni finora sono chiusi (l'ultimo, «{last.title}», fino al {day(last.end, 'it')}): "
        "seguire le prossime finestre"
        if lang == "it"
        else f"the calls for comuni so far are closed (the last, “{last.title}”, until {day(last.end, 'en')}): "
        "watch for the next windows"
    )


def _gap(c: Checkup, g: Gap) -> Finding | None:
    names = _names(c, g.comuni)
    renounced = _names(c, g.renounced)
    m = c.measure(g.measure)
    note_it = f" ({_and(renounced, 'it')}: solo rinunce)" if renounced else ""
    note_en = f" ({_and(renounced, 'en')}: renounced only)" if renounced else ""
    verb_it = "non ha" if len(names) == 1 else "non hanno"
    verb_en = "has" if len(names) == 1 else "have"
    return _both(
        f"gap:{g.measure}",
        f"{_and(names, 'it')} {verb_it} un progetto finanziato per {m.label_it}{note_it}; {_call_text(g.calls, 'it')}.",
        f"{_and(names, 'en')} {verb_en} no funded project for {m.label_en}{note_en}; {_call_text(g.calls, 'en')}.",
    )


def _pending(c: Checkup) -> Finding | None:
    projects = [p for cf in c.figures.comuni for cell in cf.cells for p in cell.projects]
    projects += [p for cell in c.figures.own for p in cell.projects]
    pending = {p.cup: p for p in projects if p.status == ASSIGNED}
    if not pending:
        return None
    total = sum((p.amount for p in pending.values()), Decimal(0))
    n = len(pending)
    return _both(
        "pending",
        f"{n} {'progetto è assegnato' if n == 1 else 'progetti sono assegnati'} ma non ancora "
        f"{'erogato' if n == 1 else 'erogati'} ({amount(total, 'it')}): l'erogazione segue l'asseverazione "
        "del progetto, verificarne lo stato e le scadenze.",
        f"{n} {'project is' if n == 1 else 'projects are'} assigned but not yet disbursed ({amount(total, 'en')}): "
        "the money follows the project's certification, check their progress and deadlines.",
    )


def _renounced(c: Checkup) -> Finding | None:
    t = c.figures.totals
    n = sum(1 for cf in c.figures.comuni for cell in cf.cells for p in cell.projects if p.status == RENOUNCED)
    n += sum(1 for cell in c.figures.own for p in cell.projects if p.status == RENOUNCED)
    if not n:
        return None
    return _both(
        "renounced",
        f"{n} {'progetto rinunciato' if n == 1 else 'progetti rinunciati'} ({amount(t.renounced, 'it')}): non "
        "contano negli importi assegnati.",
        f"{n} renounced {'project' if n == 1 else 'projects'} ({amount(t.renounced, 'en')}): not counted in the "
        "amounts assigned.",
    )


def _unknown(c: Checkup) -> Finding | None:
    missing = [m.notation for m in c.measures if not m.comuni_in_sources]
    if not missing:
        return None
    return _both(
        "not-in-sources",
        f"{_and(missing, 'it')}: i file delle candidature di queste misure non sono tra le fonti dei dati, quindi "
        "il checkup non può dire se i comuni le hanno (lod-unioni sources fetch li scarica).",
        f"{_and(missing, 'en')}: the applications' files of these measures are not among the sources of the data, "
        "so the checkup cannot tell whether the comuni have them (lod-unioni sources fetch downloads them).",
    )


def _own(c: Checkup) -> Finding:
    own = [p for cell in c.figures.own for p in cell.projects]
    if not own:
        return _both(
            "own",
            "L'Unione stessa non ha candidature finanziate: può candidarsi agli avvisi per gli altri enti.",
            "The union itself has no funded application: it may apply to the calls for other bodies.",
        )
    it = [f"{p.measure} ({status(p.status, 'it')}, {amount(p.amount, 'it')})" for p in own]
    en = [f"{p.measure} ({status(p.status, 'en')}, {amount(p.amount, 'en')})" for p in own]
    n = len(own)
    return _both(
        "own",
        f"L'Unione stessa ha {n} {'progetto' if n == 1 else 'progetti'}: {_and(it, 'it')}.",
        f"The union itself has {n} {'project' if n == 1 else 'projects'}: {_and(en, 'en')}.",
    )


def _place(s: Standing, lang: str) -> str:
    median = amount(s.median, lang)
    if lang == "it":
        return f"{s.rank}ª su {s.ranked} (mediana {median})"
    return f"{s.rank} of {s.ranked} (median {median})"


def _standing(c: Checkup) -> Finding:
    cmp = c.comparison
    if cmp.italy.value is None:
        return _both(
            "standing",
            "La popolazione dei comuni non è nota per intero: nessun confronto per abitante con le altre Unioni.",
            "The population of the comuni is not fully known: no per-inhabitant comparison with the other unions.",
        )
    region = region_name(c.union.region)
    it = f"Con {amount(cmp.italy.value, 'it')} per abitante l'Unione è "
    en = f"With {amount(cmp.italy.value, 'en')} per inhabitant the union ranks "
    if cmp.region is not None:
        it += f"{_place(cmp.region, 'it')} tra le Unioni della regione {region} e "
        en += f"{_place(cmp.region, 'en')} among the unions of {region} and "
    it += f"{_place(cmp.italy, 'it')} in Italia."
    en += f"{_place(cmp.italy, 'en')} in Italy."
    return _both("standing", it, en)


def _members_unknown(c: Checkup) -> Finding | None:
    if c.members:
        return None
    return _both(
        "members-unknown",
        "I comuni membri di questa Unione non sono noti dalle fonti: il checkup mostra solo i progetti dell'Unione.",
        "The member comuni of this union are not known from the sources: the checkup shows only the union's projects.",
    )


def _shared(c: Checkup) -> Finding | None:
    n = len(c.figures.shared)
    if not n:
        return None
    return _both(
        "shared-cups",
        f"{number(n, 'it')} CUP {'compare' if n == 1 else 'compaiono'} per più di un ente (l'Unione e un comune, o "
        "due comuni): nei totali ciascuno è contato una volta.",
        f"{number(n, 'en')} {'CUP appears' if n == 1 else 'CUPs appear'} for more than one body (the union and a "
        "comune, or two comuni): the totals count each once.",
    )


def findings(c: Checkup) -> tuple[Finding, ...]:
    """The findings of a checkup, most useful first."""
    found = [_members_unknown(c), _shared_base(c)]
    found += [_gap(c, g) for g in c.gaps]
    found += [_own(c), _pending(c), _renounced(c), _unknown(c), _shared(c), _standing(c)]
    return tuple(f for f in found if f is not None)

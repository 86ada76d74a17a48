"""The words of the checkup in Italian and English, and how its numbers, amounts and dates are
written in each language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..pnrr.indicators import ASSIGNED, DISBURSED, NO_APPLICATION, NOT_IN_SOURCES, RENOUNCED

__all__ = ["LANGS", "REGION_NAMES", "STATUS", "amount", "day", "mark", "number", "region_name", "say", "status"]

LANGS = ("it", "en")

#: The regions by ISTAT code, as OntoPiA names them (the dumps carry only the regions' IRIs; the
#: same table as the bundled query unions-by-region).
REGION_NAMES = {
    "01": "Piemonte",
    "02": "Valle d'Aosta/Vallée d'Aoste",
    "03": "Lombardia",
    "04": "Trentino-Alto Adige/Südtirol",
    "05": "Veneto",
    "06": "Friuli-Venezia Giulia",
    "07": "Liguria",
    "08": "Emilia-Romagna",
    "09": "Toscana",
    "10": "Umbria",
    "11": "Marche",
    "12": "Lazio",
    "13": "Abruzzo",
    "14": "Molise",
    "15": "Campania",
    "16": "Puglia",
    "17": "Basilicata",
    "18": "Calabria",
    "19": "Sicilia",
    "20": "Sardegna",
}

#: A cell's state: (Italian, English, a short mark for the tables).
STATUS = {
    DISBURSED: ("erogato", "disbursed", "E"),
    ASSIGNED: ("assegnato", "assigned", "A"),
    RENOUNCED: ("rinunciato", "renounced", "R"),
    NO_APPLICATION: ("nessuna candidatura", "no application", "-"),
    NOT_IN_SOURCES: ("non nelle fonti", "not in the sources", "?"),
}

_WORDS = {
    "title": ("Checkup digitale PNRR", "PNRR digital checkup"),
    "subtitle": (
        "PA digitale 2026: candidature finanziate dei comuni e dell'Unione",
        "PA digitale 2026: funded applications of the comuni and of the union",
    ),
    "union": ("Unione", "Union"),
    "region": ("Regione", "Region"),
    "members": ("Comuni membri", "Member comuni"),
    "population": ("Popolazione (ISTAT, 1/1/2022)", "Population (ISTAT, 1 Jan 2022)"),
    "comune": ("Comune", "Comune"),
    "istat": ("Codice ISTAT", "ISTAT code"),
    "measure": ("Misura", "Measure"),
    "status": ("Stato", "Status"),
    "cup": ("CUP", "CUP"),
    "amount": ("Importo", "Amount"),
    "call": ("Avviso", "Call"),
    "date": ("Data dello stato", "Status date"),
    "assigned": ("Assegnato", "Assigned"),
    "disbursed": ("Erogato", "Disbursed"),
    "renounced": ("Rinunciato", "Renounced"),
    "per_capita": ("Euro per abitante", "Euro per inhabitant"),
    "projects": ("Progetti", "Projects"),
    "table": ("Comuni e misure", "Comuni and measures"),
    "table_note": (
        "Per ogni comune e misura: lo stato del progetto più avanzato (E erogato, A assegnato, R solo rinunce, "
        "- nessuna candidatura, ? file della misura non nelle fonti) e l'importo assegnato.",
        "For each comune and measure: the state of its most advanced project (E disbursed, A assigned, "
        "R renounced only, - no application, ? the measure's file is not in the sources) and the amount assigned.",
    ),
    "own": ("Progetti dell'Unione", "The union's own projects"),
    "no_own": ("L'Unione non ha candidature finanziate.", "The union has no funded application."),
    "coverage": ("Copertura per misura", "Coverage per measure"),
    "covered": ("Comuni con la misura", "Comuni with the measure"),
    "missing": ("Comuni senza", "Comuni without"),
    "gaps": ("Lacune e avvisi", "Gaps and calls"),
    "no_gaps": (
        "Nessuna lacuna: ogni comune ha ogni misura delle fonti.",
        "No gap: every comune has every measure of the sources.",
    ),
    "calls_for": ("Avvisi per i comuni", "Calls for comuni"),
    "no_call": ("nessun avviso per i comuni nei dati", "no call for comuni in the data"),
    "totals": ("Totali (ogni CUP una volta)", "Totals (each CUP once)"),
    "comparison": ("Confronto", "Comparison"),
    "italy": ("Italia", "Italy"),
    "rank": ("Posizione", "Rank"),
    "median": ("Mediana", "Median"),
    "of": ("su", "of"),
    "unranked": ("senza popolazione nota, non in classifica", "without a known population, not ranked"),
    "findings": ("In sintesi", "Findings"),
    "notes": ("Note", "Notes"),
    "not_in_sources": ("non nelle fonti", "not in the sources"),
    "not_for_comuni": ("nessun avviso per i comuni", "no call for comuni"),
    "sources": ("Fonti", "Sources"),
    "version": ("Versione dei dati", "Data version"),
    "total": ("Totale", "Total"),
    "body": ("Ente", "Body"),
    "coverage_chart": ("Comuni con ciascuna misura", "Comuni with each measure"),
    "comparison_chart": (
        "Euro per abitante: le Unioni della regione e d'Italia",
        "Euro per inhabitant: the unions of the region and of Italy",
    ),
    "amounts_chart": ("Assegnato ed erogato per comune", "Assigned and disbursed per comune"),
    "this_union": ("questa Unione", "this union"),
    "rule_renounced": (
        "I progetti rinunciati non contano come importo assegnato; l'importo assegnato comprende quello erogato.",
        "Renounced projects do not count as money assigned; the amount assigned includes the amount disbursed.",
    ),
    "rule_once": (
        "Un progetto (CUP) dell'Unione e di un comune, o di due comuni, è contato una volta.",
        "A project (CUP) of the union and of a comune, or of two comuni, is counted once.",
    ),
    "rule_measures": (
        "Gli importi e i totali sono quelli delle misure i cui file di candidature sono tra le fonti:",
        "The amounts and totals are those of the measures whose applications' files are among the sources:",
    ),
    "rule_rank": (
        "Classifica per euro per abitante, dal più alto; a pari importo (al centesimo) la stessa posizione; "
        "le Unioni senza popolazione nota non sono in classifica.",
        "Ranked by euro per inhabitant, highest first; equal figures (to the cent) share a rank; "
        "unions without a known population are not ranked.",
    ),
}


def say(key: str, lang: str) -> str:
    """The word or sentence ``key`` in ``lang`` (``it`` or ``en``)."""
    it, en = _WORDS[key]
    return it if lang == "it" else en


def status(state: str, lang: str) -> str:
    it, en, _ = STATUS[state]
    return it if lang == "it" else en


def mark(state: str) -> str:
    return STATUS[state][2]


def region_name(code: str | None) -> str:
    return REGION_NAMES.get(code or "", code or "?")


def number(value: int | Decimal, lang: str, decimals: int = 0) -> str:
    """``12345.6`` -> ``12.345,60`` (it) or ``12,345.60`` (en) with ``decimals`` digits."""
    text = f"{Decimal(value):,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "it" else text


def amount(value: Decimal | None, lang: str) -> str:
    """Euro: ``14.000,00 €`` (it), ``€14,000.00`` (en); an em dash when unknown."""
    if value is None:
        return "—"
    return f"{number(value, lang, 2)} €" if lang == "it" else f"€{number(value, lang, 2)}"


def day(value: date | None, lang: str) -> str:
    """``15/06/2026`` (it) or ``2026-06-15`` (en); empty when unknown."""
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y") if lang == "it" else value.isoformat()

"""What each publisher of a registry file states about its reuse (:class:`Terms`), for the dumps'
description of the files (``dcterms:license``, ``dcterms:rights``). The table of files,
:data:`lod_unioni.sources.kinds.FILES`, gives each file its publisher's terms."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CC_BY_4", "DAIT_TERMS", "DTD_TERMS", "IPA_TERMS", "ISTAT_TERMS", "ONTOPIA_TERMS", "Terms"]

CC_BY_4 = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")


@dataclass(frozen=True)
class Terms:
    """What a publisher states about the reuse of its files: the licence (its name and IRI; both
    None when the publisher states none) and the statement the dumps publish as ``dcterms:rights``
    (Italian, English): where the publisher states the licence, or that it states none."""

    licence: str | None
    licence_url: str | None
    rights_it: str
    rights_en: str


# Checked on the publishers' own pages and files:
# * ISTAT's legal notice (https://www.istat.it/en/legal-notice): "Unless otherwise stated, content on
#   this website is licensed under a Creative Commons License - Attribution - 3.0 or later";
# * IPA: AgID publishes the open data of the IPA portal (indicepa.gov.it/ipa-dati) under CC BY 4.0;
# * OntoPiA: every controlled vocabulary declares dct:license .../licences/A21_CCBY40 (CC BY 4.0) in
#   its DCAT-AP_IT metadata (e.g. S13.ttl, legal-status.ttl);
# * PA digitale 2026: the repository's README and LICENSE, CC-BY-4.0;
# * the Ministry of the Interior (DAIT): its register of unions names no licence, and no licence
#   statement of DAIT for it is known (the register is placed by hand: it has no download URL).
ISTAT_TERMS = Terms(
    *CC_BY_4,
    "L'ISTAT rilascia i contenuti del proprio sito, salvo diversa indicazione, con licenza Creative Commons "
    "Attribuzione 3.0 o successiva (note legali ISTAT, https://www.istat.it/en/legal-notice); qui vale la 4.0.",
    "ISTAT licenses the content of its website, unless otherwise stated, under Creative Commons Attribution 3.0 "
    "or later (ISTAT legal notice, https://www.istat.it/en/legal-notice); version 4.0 applies here.",
)
IPA_TERMS = Terms(
    *CC_BY_4,
    "AgID pubblica gli open data dell'Indice dei domicili digitali della PA (IPA) con licenza CC BY 4.0 "
    "(https://indicepa.gov.it/ipa-dati/dataset/enti).",
    "AgID publishes the open data of the Index of the digital domiciles of the PA (IPA) under CC BY 4.0 "
    "(https://indicepa.gov.it/ipa-dati/dataset/enti).",
)
ONTOPIA_TERMS = Terms(
    *CC_BY_4,
    "I vocabolari controllati OntoPiA dichiarano nei propri metadati DCAT-AP_IT la licenza CC BY 4.0 "
    "(https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40).",
    "The OntoPiA controlled vocabularies state the CC BY 4.0 licence in their DCAT-AP_IT metadata "
    "(https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40).",
)
DAIT_TERMS = Terms(
    None,
    None,
    "Il Ministero dell'Interno (DAIT) non indica alcuna licenza per l'elenco delle Unioni di Comuni. Il Codice "
    "dell'amministrazione digitale (d.lgs. 82/2005, art. 52, comma 2) dispone che i dati pubblicati da una "
    "pubblica amministrazione senza una licenza si intendano rilasciati come dati di tipo aperto.",
    "The Ministry of the Interior (DAIT) states no licence for the register of the Unioni di Comuni. The Italian "
    "Digital Administration Code (d.lgs. 82/2005, art. 52(2)) provides that data a public administration "
    "publishes without a licence are deemed released as open data.",
)
DTD_TERMS = Terms(
    *CC_BY_4,
    "Il Dipartimento per la trasformazione digitale pubblica gli open data di PA digitale 2026 con licenza "
    "CC BY 4.0 (README e LICENSE di https://github.com/teamdigitale/padigitale2026-opendata).",
    "The Department for Digital Transformation publishes the PA digitale 2026 open data under CC BY 4.0 "
    "(README and LICENSE of https://github.com/teamdigitale/padigitale2026-opendata).",
)

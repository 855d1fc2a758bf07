#!/usr/bin/env python3
"""Writes data/countries.json from Debian's iso-codes package.

    python3 tools/make-countries.py [OUTPUT]     (default: data/countries.json)

Every ISO 3166-1 country or territory (alpha-2 code), with its English name and its French
name (iso-codes' translation catalogue), each placed in one UN M49 region: the five African
sub-regions (the platform works mostly in West and sub-Saharan Africa), then one region per
other continent. M49 membership is not shipped by iso-codes, so it is written out below; the
script stops if a code is missing from the tables or placed twice, so a new iso-codes release
that adds a country cannot slip through unnoticed.

Needs: apt-get install iso-codes (Debian 12 ships 4.15).
"""
import gettext
import json
import sys
import unicodedata

ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"
LOCALE_DIR = "/usr/share/locale"

REGIONS = [
    ("015", "Afrique du Nord", "Northern Africa"),
    ("011", "Afrique de l’Ouest", "Western Africa"),
    ("017", "Afrique centrale", "Middle Africa"),
    ("014", "Afrique de l’Est", "Eastern Africa"),
    ("018", "Afrique australe", "Southern Africa"),
    ("150", "Europe", "Europe"),
    ("019", "Amériques", "Americas"),
    ("142", "Asie", "Asia"),
    ("009", "Océanie", "Oceania"),
    ("010", "Antarctique", "Antarctica"),
]

# UN M49 (unstats.un.org/unsd/methodology/m49/), by alpha-2 code.
M49 = {
    # Northern Africa: 6 countries + Western Sahara (M49 puts Sudan here).
    "015": "DZ EG LY MA SD TN EH",
    # Western Africa: 16 countries (with Cabo Verde and Mauritania) + Saint Helena.
    "011": "BJ BF CV CI GM GH GN GW LR ML MR NE NG SN SL TG SH",
    # Middle Africa: 9 countries.
    "017": "AO CM CF TD CG CD GQ GA ST",
    # Eastern Africa: 18 countries (with South Sudan) + Réunion, Mayotte, British Indian Ocean
    # Territory and French Southern Territories.
    "014": "BI KM DJ ER ET KE MG MW MU MZ RW SC SO SS UG TZ ZM ZW RE YT IO TF",
    # Southern Africa: 5 countries.
    "018": "BW SZ LS NA ZA",
    # Europe (Cyprus, Türkiye and the Caucasus are in Western Asia for M49).
    "150": "AX AL AD AT BY BE BA BG HR CZ DK EE FO FI FR DE GI GR GG VA HU IS IE IM IT JE LV"
           " LI LT LU MT MD MC ME NL MK NO PL PT RO RU SM RS SK SI ES SJ SE CH UA GB",
    # Americas: Caribbean, Central America, South America (with Bouvet Island and South
    # Georgia), Northern America (with Greenland).
    "019": "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI"
           " BZ CR SV GT HN MX NI PA"
           " AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE"
           " BM CA GL PM US",
    # Asia: Central, Eastern (with Taiwan), South-eastern, Southern, Western.
    "142": "KZ KG TJ TM UZ"
           " CN HK MO KP JP MN KR TW"
           " BN KH ID LA MY MM PH SG TH TL VN"
           " AF BD BT IN IR MV NP PK LK"
           " AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE",
    # Oceania (with Christmas Island, Cocos Islands, Heard and McDonald Islands, US Minor
    # Outlying Islands).
    "009": "AU CX CC HM NZ NF FJ NC PG SB VU GU KI MH FM NR MP PW UM AS CK PF NU PN WS TK TO TV WF",
    "010": "AQ",
}

# Where iso-codes' French is missing or mis-capitalised, or its English reads badly in a list.
FR_FIX = {
    "SY": "Syrie",  # common name "Syria" has no French translation in iso-codes 4.15
    "GQ": "Guinée équatoriale",
    "GL": "Groenland",  # iso-codes: "Groënland", an old spelling
    "VA": "Saint-Siège (État de la Cité du Vatican)",
}
EN_FIX = {
    "CD": "Democratic Republic of the Congo",  # iso-codes: "Congo, The Democratic Republic of the"
}


def fold(s):
    """Sort key close to French collation: accents, case and punctuation ignored first."""
    s = s.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    base = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    base = base.casefold()
    return ("".join(c for c in base if c.isalnum()), base, s)


def french(s):
    s = s.replace("'", "’")
    return s[:1].upper() + s[1:]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "data/countries.json"
    fr = gettext.translation("iso_3166-1", LOCALE_DIR, ["fr"])
    with open(ISO_JSON, encoding="utf-8") as f:
        iso = json.load(f)["3166-1"]

    region_of = {}
    for region, codes in M49.items():
        for code in codes.split():
            if code in region_of:
                sys.exit(f"make-countries: {code} in {region_of[code]} and {region}")
            region_of[code] = region
    known = {c["alpha_2"] for c in iso}
    missing = known - region_of.keys()
    extra = region_of.keys() - known
    if missing or extra:
        sys.exit(f"make-countries: no region for {sorted(missing)}; unknown codes {sorted(extra)}")

    options = []
    for c in iso:
        code = c["alpha_2"]
        en = c.get("common_name", c["name"])
        options.append({
            "code": code,
            "fr": FR_FIX.get(code) or french(fr.gettext(en)),
            "en": EN_FIX.get(code, en),
            "region": region_of[code],
        })
    options.sort(key=lambda o: fold(o["fr"]))

    # One option per line: readable, and a change shows as a one-line diff.
    lines = ['{', '  "key": "countries",', '  "regions": [']
    lines += ["    " + json.dumps({"code": r, "fr": f, "en": e}, ensure_ascii=False)
              + ("," if i < len(REGIONS) - 1 else "") for i, (r, f, e) in enumerate(REGIONS)]
    lines += ['  ],', '  "options": [']
    lines += ["    " + json.dumps(o, ensure_ascii=False) + ("," if i < len(options) - 1 else "")
              for i, o in enumerate(options)]
    lines += ['  ]', '}']
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{out}: {len(options)} countries in {len(REGIONS)} regions")


if __name__ == "__main__":
    main()
